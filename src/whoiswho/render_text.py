"""Plain-text views with no rich at all: error messages and tab-separated records for pipes."""

from __future__ import annotations

import sys

from whoiswho.errors import AmbiguousQueryError, UnknownRoleError, WhoiswhoError
from whoiswho.text import printable


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


def replace_unencodable() -> None:
    """A terminal or pipe that cannot show a character gets "?", never a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
