"""`python -m whoiswho`: the same entry point as the installed command."""

from whoiswho.entry import console

if __name__ == "__main__":
    console()
