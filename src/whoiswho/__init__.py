"""whoiswho: who is who at the top of a company.

For scripts: `from whoiswho import classify` reads a job title as people write it::

    >>> from whoiswho import classify
    >>> classify("EVP & CFO").roles
    ('cfo',)
"""

# The subcommands' names. No role may be known by one of them (`whoiswho list` must stay the
# command); the catalogue loader refuses such a name and a test keeps this set equal to the CLI's.
RESERVED = frozenset(
    {"show", "compare", "list", "search", "chart", "completion", "catalog", "help", "classify"}
)

# True in the console script, which answers once and ends with os._exit: a large catalogue's
# parse is then left to the exit rather than freed one object at a time, and its cache is
# written by a detached process while the answer is printed (catalog._parse_and_cache).
# False for any longer-lived caller (tests, `from whoiswho import ...`).
ONE_SHOT = False


def __getattr__(name: str) -> object:
    """`from whoiswho import classify, Classification`, without importing the classifier on
    every start-up of the command."""
    if name in ("classify", "Classification", "LEVELS"):
        from whoiswho import classifier

        value = getattr(classifier, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'whoiswho' has no attribute {name!r}")
