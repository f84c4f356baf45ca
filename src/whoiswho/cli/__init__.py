"""The click layer: declarations that parse arguments and call `whoiswho.app`.

Only this package imports click. `base` holds the group and the shared options, `commands` the
lookup commands, `admin` completion and catalogue inspection.
"""

from __future__ import annotations

from collections.abc import Sequence

from whoiswho.cli.admin import catalog_group, completion
from whoiswho.cli.commands import cli

cli.add_command(completion)
cli.add_command(catalog_group)


def main(args: Sequence[str] | None = None) -> int:
    """Run the click CLI on `args` (default: sys.argv); return the exit status."""
    return cli.main(args, prog_name="whoiswho", standalone_mode=False)


__all__ = ["cli", "main"]
