"""What a TAB offers: role names for the click CLI's arguments, and the whole answer for the
first word, which needs no click at all.

Every TAB runs the program. Completing the first word (`whoiswho CF<TAB>`, by far the most
common) offers the subcommands and the roles starting with it: what click works out from the
group, here without importing click or building the command tree. Anything less plain (another
shell, a later word, an option, quoting) is left to click.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from whoiswho import RESERVED

if TYPE_CHECKING:
    from whoiswho.locations import CatalogFile

# The characters shlex (click's split of COMP_WORDS) reads as whitespace; quotes and
# backslashes change how it splits.
_SHLEX_SPACE = " \t\r\n"
_SHLEX_SPECIAL = "\"'\\"


def role_completions(files: Sequence[CatalogFile], incomplete: str) -> list[tuple[str, str]]:
    """(value, title) for each role abbreviation, or else id, starting with what was typed,
    in catalogue order; nothing when the catalogue cannot be read. Never imports rich."""
    from whoiswho.locations import completions, role_names

    names = role_names(files)
    if names is None:
        # A large catalogue: names straight from the cache's columns, no role built; without
        # a current cache, one full load (which writes it for the next TAB).
        from whoiswho.cache import completion_names

        names = completion_names(files, incomplete)
    if names is None:
        from whoiswho.catalog import load_files
        from whoiswho.errors import WhoiswhoError

        try:
            catalog = load_files(files)
        except WhoiswhoError:
            return []
        names = [(r.id, r.abbreviation, r.title) for r in catalog.iter_roles()]
    return completions(names, incomplete)


def first_word(environ: Mapping[str, str]) -> bytes | None:
    """The bytes click's bash completion would print for a TAB on the first word after
    `whoiswho` (and any `--no-bundled` / `--catalog PATH` before it): the subcommands starting
    with it (sorted, as click lists them), then the roles of those catalogues, one
    `plain,VALUE` line each. None for any other completion request, which click answers.

    Identical to click's answer there: the group takes no arguments, so click offers its
    subcommands and then (WhoiswhoGroup.shell_complete) the roles, with the catalogue options
    parsed so far. tests/test_completion.py compares the two.
    """
    cword = environ.get("COMP_CWORD", "")
    if environ.get("_WHOISWHO_COMPLETE") != "bash_complete" or not cword.isdigit():
        return None
    line = environ.get("COMP_WORDS")
    if line is None or cword == "0":
        return None  # click's to report
    if any(c in _SHLEX_SPECIAL or (c.isspace() and c not in _SHLEX_SPACE) for c in line):
        return None  # quotes, escapes or unusual spaces: shlex's reading decides
    words = line.split()
    position = int(cword)
    incomplete = words[position] if len(words) > position else ""
    if incomplete and not incomplete[0].isalnum():
        return None  # an option (`-`), or `=`: click completes those
    from whoiswho.entry import catalogue_options
    from whoiswho.locations import load_order

    catalogs, bundled, used = catalogue_options(words[1:position])
    if used != position - 1:
        return None  # a subcommand or another option comes first: click's
    commands = [name for name in sorted(RESERVED) if name.startswith(incomplete)]
    files = load_order(catalogs, bundled=bundled)
    roles = [value for value, _ in role_completions(files, incomplete)]
    return "\n".join(f"plain,{value}" for value in [*commands, *roles]).encode() + b"\n"
