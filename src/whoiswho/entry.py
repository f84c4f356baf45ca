"""The console-script entry: `whoiswho ROLE` and `whoiswho ROLE --json` without importing click.

These two forms are most of what people and scripts run, and click alone costs more than
Python's start-up. Anything else, or anything unusual (options, subcommands, a query that looks
like one, shell completion), goes to the click CLI unchanged. tests/test_entry.py proves that
the output and exit status here are byte-identical to the click path for every role and form.
"""

from __future__ import annotations

import gc
import os
import sys

from whoiswho import RESERVED


def plain_form(args: list[str]) -> tuple[str, bool] | None:
    """(query, as_json) when the arguments are one of the two plain forms, else None."""
    if "_WHOISWHO_COMPLETE" in os.environ:
        return None
    if len(args) == 1:
        query, as_json = args[0], False
    elif len(args) == 2 and args[1] == "--json":
        query, as_json = args[0], True
    else:
        return None
    if not query.strip() or query.startswith("-") or query in RESERVED:
        return None
    return query, as_json


def serve(query: str, as_json: bool) -> int:
    """Answer one plain lookup exactly as `whoiswho show QUERY [--json]` would; the exit status."""
    from whoiswho import lookup
    from whoiswho.catalog import load_files
    from whoiswho.errors import WhoiswhoError
    from whoiswho.locations import load_order

    try:
        catalog = load_files(load_order())
        if as_json:
            from whoiswho.render_json import dumps, role_dict

            role = lookup.resolve(catalog, query)
            indent = 2 if sys.stdout.isatty() else None
            sys.stdout.write(dumps(role_dict(catalog, role), indent) + "\n")
        else:
            from whoiswho.render_rich import lookup_view, make_console

            make_console().print(lookup_view(catalog, lookup.match(catalog, query)))
        sys.stdout.flush()
    except WhoiswhoError as error:
        from whoiswho.render_text import error_report

        sys.stderr.write(error_report(error, as_json=as_json) + "\n")
        return error.exit_code
    except BrokenPipeError:
        # The reader went away (`| head`): quiet, like click's own handling, status 1.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return 0


def main() -> None:
    """Console-script entry point: the plain forms here, everything else through click."""
    # A run lasts milliseconds and builds no reference cycles worth collecting: the cyclic
    # collector would only re-scan every object that imports and catalogue loading create.
    gc.disable()
    form = plain_form(sys.argv[1:])
    if form is None:
        from whoiswho.cli import main as click_main

        status = click_main()
    else:
        from whoiswho.render_text import replace_unencodable

        replace_unencodable()
        status = serve(*form)
    finish(status)


def finish(status: int) -> None:
    """Flush what was written, then exit without tearing down every imported module.

    Freeing click's and rich's module objects one by one costs a sixth of a `--help`; the OS
    reclaims the memory at once. Nothing here relies on atexit handlers or finalizers.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            # The reader went away (`| head`): quiet, like click's own handling.
            status = status or 1
    os._exit(status)
