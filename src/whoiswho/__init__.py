"""whoiswho: who is who at the top of a company."""

# The subcommands' names. No role may be known by one of them (`whoiswho list` must stay the
# command); the catalogue loader refuses such a name and a test keeps this set equal to the CLI's.
RESERVED = frozenset({"show", "compare", "list", "search", "chart", "completion", "catalog"})


def __getattr__(name: str) -> object:
    """`from whoiswho import classify`, without importing the classifier on every start-up."""
    if name == "classify":
        from whoiswho.classify import classify

        globals()["classify"] = classify
        return classify
    raise AttributeError(f"module 'whoiswho' has no attribute {name!r}")
