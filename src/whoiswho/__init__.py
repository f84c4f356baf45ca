"""whoiswho: who is who at the top of a company."""

# The subcommands' names. No role may be known by one of them (`whoiswho list` must stay the
# command); the catalogue loader refuses such a name and a test keeps this set equal to the CLI's.
RESERVED = frozenset(
    {"show", "compare", "list", "search", "chart", "completion", "catalog", "help"}
)
