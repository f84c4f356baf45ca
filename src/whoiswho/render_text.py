"""Plain-text views with no rich at all: error messages and tab-separated records for pipes."""

from __future__ import annotations

from whoiswho.errors import (
    AmbiguousQueryError,
    NoCatalogError,
    NoSearchWordsError,
    TooFewRolesError,
    UnknownRoleError,
    WhoiswhoError,
)
from whoiswho.text import printable

# What to type instead: command syntax lives here, beside the commands, never in core messages.
HINTS: dict[type[WhoiswhoError], str] = {
    NoCatalogError: "--no-bundled needs --catalog FILE (or WHOISWHO_CATALOG).",
    TooFewRolesError: "For example: `whoiswho compare CIO CTO`.",
    NoSearchWordsError: "For example: `whoiswho search budget`.",
}


def error_message(error: WhoiswhoError) -> str:
    """What a person reads on stderr: the problem, then what to do about it."""
    lines = [f"whoiswho: {error.message}"]
    if isinstance(error, UnknownRoleError):
        if error.suggestions:
            lines.append("Did you mean:")
            lines += [f"  {abbr:<8} {title} ({rid})" for rid, abbr, title in error.suggestions]
        lines.append("Find a role by what it does: `whoiswho search WORDS`; all: `whoiswho list`.")
    elif isinstance(error, AmbiguousQueryError):
        lines += [f"  {rid:<20} {title}" for rid, _, title in error.candidates]
        lines.append(f"Name one by its id, e.g. `whoiswho {error.candidates[0][0]}`.")
    hint = HINTS.get(type(error))
    if hint:
        lines.append(hint)
    return "\n".join(printable(line) for line in lines)


def error_report(error: WhoiswhoError, *, as_json: bool) -> str:
    """An error as stderr shows it: one compact JSON object under --json, else the message."""
    if as_json:
        from whoiswho.render_json import dumps, error_dict

        return dumps(error_dict(error), None)
    return error_message(error)


def record(*fields: str) -> str:
    """One tab-separated line for pipes: each field made printable (tabs in data escaped)."""
    return "\t".join(map(printable, fields))
