"""The click layer: parse, call the core, print, and turn errors into exit statuses.

Only this package imports click. `base` holds the shared plumbing, `commands` the lookup commands,
`admin` completion and catalogue inspection.
"""

from __future__ import annotations

import sys

from whoiswho.cli.admin import catalog_group, completion
from whoiswho.cli.commands import cli
from whoiswho.render_text import replace_unencodable

cli.add_command(completion)
cli.add_command(catalog_group)


def main() -> int:
    """Run the click CLI on sys.argv; return the exit status (whoiswho.entry exits with it)."""
    replace_unencodable()
    try:
        cli(prog_name="whoiswho")
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        sys.stderr.write(f"{done.code}\n")
        return 1
    return 0


__all__ = ["cli", "main"]
