"""The console script: `whoiswho ROLE [--json]`, `whoiswho classify TITLE... [--json]` and a TAB
on the first word without importing click.

These forms are most of what people, scripts and shells run, and click alone costs more than
Python's start-up. They call the same `app.show` as `whoiswho show` (and the same role
completion as the click CLI); anything else (options, subcommands, a query that looks like one,
other completion requests) goes to the click CLI unchanged.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from typing import NamedTuple

import whoiswho
from whoiswho import RESERVED
from whoiswho.errors import EXIT_INTERRUPTED, EXIT_SOFTWARE

# The variable click's completion scripts set (`_{PROG}_COMPLETE`); whoiswho.completion is
# imported only when it is set.
COMPLETE_VAR = "_WHOISWHO_COMPLETE"


class Plain(NamedTuple):
    """A plain form: `[--no-bundled] [--catalog PATH]... ROLE [--json]`."""

    query: str
    as_json: bool
    catalogs: tuple[str, ...] = ()
    bundled: bool = True


def plain_form(args: Sequence[str]) -> Plain | None:
    """The plain form the arguments are, else None (click then reads them)."""
    if COMPLETE_VAR in os.environ:
        return None
    # A script that looks up in its own large catalogue should not pay for click either.
    catalogs, bundled, at = catalogue_options(args)
    rest = args[at:]
    if len(rest) == 1:
        query, as_json = rest[0], False
    elif len(rest) == 2 and rest[1] == "--json":
        query, as_json = rest[0], True
    else:
        return None
    if not query.strip() or query.startswith("-") or query in RESERVED:
        return None
    return Plain(query, as_json, catalogs, bundled)


def catalogue_options(args: Sequence[str]) -> tuple[tuple[str, ...], bool, int]:
    """The group's catalogue options at the start of the arguments, as click reads them before
    a command: (--catalog paths, whether the bundled catalogue loads, how many arguments they
    take). Only `--no-bundled`, `--catalog PATH` and `--catalog=PATH`; a path that looks like
    an option (or none) ends them, for click to judge."""
    catalogs: list[str] = []
    bundled = True
    at = 0
    while at < len(args):
        word = args[at]
        if word == "--no-bundled":
            bundled, at = False, at + 1
        elif word == "--catalog" and at + 1 < len(args) and not args[at + 1].startswith("-"):
            catalogs.append(args[at + 1])
            at += 2
        elif word.startswith("--catalog=") and len(word) > len("--catalog="):
            catalogs.append(word.removeprefix("--catalog="))
            at += 1
        else:
            break
    return tuple(catalogs), bundled, at


def classify_form(args: Sequence[str]) -> tuple[list[str], bool] | None:
    """(title words, as_json) for `classify TITLE...` with or without a final `--json` and no
    other option (each word as click would take it: none starts with `-`), else None."""
    if COMPLETE_VAR in os.environ or args[:1] != ["classify"]:
        return None
    as_json = args[-1:] == ["--json"]
    words = list(args[1 : len(args) - as_json])
    if not words or any(w.startswith("-") for w in words):
        return None
    return words, as_json


def main(args: Sequence[str] | None = None) -> int:
    """Answer one command line (default: sys.argv); return its exit status."""
    argv = sys.argv[1:] if args is None else list(args)
    if COMPLETE_VAR in os.environ:
        from whoiswho.completion import first_word

        answer = first_word(os.environ)
        if answer is not None:
            if sys.stdout is not None:  # as click.echo: nowhere to write, nothing written
                sys.stdout.flush()
                sys.stdout.buffer.write(answer)
            return 0
    form = plain_form(argv)
    titled = classify_form(argv) if form is None else None
    if titled is not None:
        # `whoiswho classify "EVP & CFO" --json` is the lookup of titles: no click either.
        from whoiswho import app
        from whoiswho.app_classify import classify_title
        from whoiswho.output import Output

        words, as_json = titled
        return classify_title(app.Settings(), words, Output("json" if as_json else "human"))
    if form is None:
        from whoiswho.cli import main as click_main

        return click_main(argv)
    from whoiswho import app
    from whoiswho.output import Output

    settings = app.Settings(form.catalogs, form.bundled)
    return app.show(settings, form.query, Output("json" if form.as_json else "human"))


def console() -> None:
    """The installed `whoiswho` command: the edge where streams, the collector and the process
    exit are set up, around `main`."""
    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe that cannot show a character gets "?", never a traceback.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    # A run lasts milliseconds and builds no reference cycles worth collecting: the cyclic
    # collector would only re-scan every object that imports and catalogue loading create.
    gc.disable()
    whoiswho.ONE_SHOT = fast_exit()
    try:
        status = main()
    except KeyboardInterrupt:
        status = EXIT_INTERRUPTED
    except Exception as error:
        # A bug, not a user's mistake: one line that says so and what to report.
        sys.stderr.write(
            f"whoiswho: internal error ({type(error).__name__}: {error}); "
            "please report it with the command you ran\n"
        )
        status = EXIT_SOFTWARE
    finally:
        gc.enable()
    finish(status)


def finish(status: int) -> None:
    """Flush what was written, then exit without tearing down every imported module.

    Freeing click's and rich's module objects one by one costs a sixth of a `--help`; the OS
    reclaims the memory at once. Nothing here relies on atexit handlers or finalizers, except a
    coverage run's (WHOISWHO_SLOW_EXIT, or coverage loaded), which exits the ordinary way.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (BrokenPipeError, ValueError):
            # The reader went away (`| head`): quiet, like click's own handling.
            status = status or 1
        except OSError:
            status = status or 74
    if not fast_exit():
        sys.exit(status)
    os._exit(status)


def fast_exit() -> bool:
    """Whether the process ends with os._exit (not under coverage or WHOISWHO_SLOW_EXIT)."""
    return not (os.environ.get("WHOISWHO_SLOW_EXIT") or "coverage" in sys.modules)
