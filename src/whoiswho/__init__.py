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

# Set to a list by the console script, which ends with os._exit: what is put here is freed by
# the exit rather than one object at a time (a cache build parses 50,000 entries; freeing them
# costs a tenth of a second). None for any longer-lived caller: nothing is kept.
KEEP_UNTIL_EXIT: list[object] | None = None


def __getattr__(name: str) -> object:
    """`from whoiswho import classify, Classification`, without importing the classifier on
    every start-up of the command."""
    if name in ("classify", "Classification", "LEVELS"):
        from whoiswho import classifier

        value = getattr(classifier, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'whoiswho' has no attribute {name!r}")
