"""`python -m whoiswho`."""

from whoiswho.cli import main

if __name__ == "__main__":
    main()
