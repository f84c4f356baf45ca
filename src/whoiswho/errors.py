"""The one family of exceptions the core raises; the CLI turns them into messages and exit codes."""

from __future__ import annotations

# Exit statuses, documented in README.md ("Exit statuses"); 0 is success.
EXIT_NOT_FOUND = 1
EXIT_USAGE = 2
EXIT_AMBIGUOUS = 3
EXIT_SOFTWARE = 70  # sysexits' EX_SOFTWARE: a bug in whoiswho (one line on stderr, no traceback)
EXIT_OUTPUT = 74  # sysexits' EX_IOERR: stdout closed or full, the answer could not be written
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


def shown(query: str, limit: int = 80) -> str:
    """A query as a message quotes it: repr'd, and cut short when it is long (a 1 MB argument)."""
    if len(query) > limit:
        return repr(query[:limit]) + f"... ({len(query):,} characters)"
    return repr(query)


class WhoiswhoError(Exception):
    """Base class: every error the core raises on purpose."""

    exit_code = EXIT_USAGE
    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def details(self) -> dict[str, object]:
        """Extra machine-readable fields for the JSON error object."""
        return {}


class UnknownRoleError(WhoiswhoError):
    """No role answers the query; `suggestions` holds the closest role ids, best first."""

    exit_code = EXIT_NOT_FOUND
    code = "not_found"

    def __init__(self, query: str, suggestions: list[tuple[str, str, str]]) -> None:
        self.query = query
        # (id, abbreviation, title) of each suggested role
        self.suggestions = suggestions
        super().__init__(f"no role matches {shown(query)}")

    def details(self) -> dict[str, object]:
        return {"query": self.query, "candidates": [s[0] for s in self.suggestions]}


class TitleNotARoleError(UnknownRoleError):
    """The query is a title that names no catalogue role ("VP of Engineering"): not found as a
    role, but read; `classification` is what the title says (classify's JSON object)."""

    def __init__(self, query: str, classification: dict[str, object]) -> None:
        super().__init__(query, [])
        self.classification = classification
        self.message = f"{shown(query)} names no role in the catalogue; it reads as a title"

    def details(self) -> dict[str, object]:
        return {**super().details(), "classification": self.classification}


class AmbiguousQueryError(WhoiswhoError):
    """Several roles answer the query and none is the dominant meaning."""

    exit_code = EXIT_AMBIGUOUS
    code = "ambiguous"

    def __init__(self, query: str, candidates: list[tuple[str, str, str]]) -> None:
        self.query = query
        # (id, abbreviation, title) of each candidate, most common meaning first
        self.candidates = candidates
        super().__init__(f"{shown(query)} is ambiguous: it can mean {len(candidates)} roles")

    def details(self) -> dict[str, object]:
        return {"query": self.query, "candidates": [c[0] for c in self.candidates]}


class UsageError(WhoiswhoError):
    """The command was called in a way that cannot be answered (exit 2)."""

    code = "usage"


class TooFewRolesError(UsageError):
    """compare was given fewer than two roles."""


class NoSearchWordsError(UsageError):
    """search was given nothing to search for."""


class CatalogError(WhoiswhoError):
    """A catalogue file cannot be used: missing, unreadable, not JSON, mis-shaped, inconsistent."""

    code = "bad_catalog"

    def __init__(self, path: str, problem: str, pointer: str | None = None) -> None:
        self.path = path
        self.problem = problem
        self.pointer = pointer
        where = f"{path}" if pointer is None else f"{path} at {pointer or '/'}"
        super().__init__(f"bad catalogue {where}: {problem}")

    def details(self) -> dict[str, object]:
        return {"file": self.path, "pointer": self.pointer, "problem": self.problem}


class NoCatalogError(CatalogError):
    """Every catalogue file was turned off: nothing to read."""

    def __init__(self) -> None:
        super().__init__("(none)", "no catalogue to read: the bundled one is turned off")
