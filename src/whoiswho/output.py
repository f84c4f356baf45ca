"""How one invocation prints: the format, its one dispatcher, stream writes and the error reporter.

Click-free, so the click CLI and the plain entry share every decision about output: JSON or the
human view, the indent on a terminal, where errors go, what a failed write says.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Literal, NamedTuple, assert_never

from whoiswho.errors import (
    EXIT_INTERRUPTED,
    EXIT_NOT_FOUND,
    EXIT_OUTPUT,
    UsageError,
    WhoiswhoError,
)

if TYPE_CHECKING:
    from rich.console import RenderableType

Format = Literal["human", "json", "jsonl"]
FORMATS: tuple[Format, ...] = ("human", "json", "jsonl")


class OutputError(Exception):
    """stdout cannot take the output (closed, full disk): one line on stderr, EXIT_OUTPUT."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Output(NamedTuple):
    """The output settings of one invocation, whichever entry point parsed them."""

    format: Format = "human"
    indent: int | None = None
    fields: tuple[str, ...] | None = None
    color: str = "auto"
    # The card lists every source, not the first and a count.
    all_sources: bool = False

    @property
    def machine(self) -> bool:
        return self.format != "human"

    def checked_fields(self, valid: tuple[str, ...]) -> tuple[str, ...] | None:
        """--fields, each name checked against the keys of the objects printed."""
        unknown = [f for f in self.fields or () if f not in valid]
        if unknown:
            raise UsageError(f"unknown field {unknown[0]!r}; valid fields: {', '.join(valid)}")
        return self.fields

    def present(self, data: object, human: Callable[[], None] | None = None) -> None:
        """The one format dispatcher: `data` as JSON, else the human view `human` prints
        (callers that have checked the format is a machine one pass none).

        A dict is one object (one line under jsonl); a list or any other iterable is an array
        (one line per item under jsonl), written while it is read: a generator of 500,000 roles
        is never held whole, and the text is what json.dumps would make of the list.
        """
        match self.format:
            case "json":
                if isinstance(data, dict):
                    write(dumps(data, self.json_indent()) + "\n")
                else:
                    write_json_array(data, self.json_indent())  # type: ignore[arg-type]
            case "jsonl":
                self.lines([data] if isinstance(data, dict) else data)  # type: ignore[arg-type]
            case "human":
                if human is None:
                    raise AssertionError("no human view was given for the human format")
                human()
            case _:
                assert_never(self.format)

    def json_indent(self) -> int | None:
        """Two spaces on a terminal, compact when piped, unless --indent says otherwise."""
        if self.indent is not None:
            return self.indent or None
        return 2 if stdout_is_terminal() else None

    def lines(self, items: Iterable[object]) -> None:
        """JSON Lines: one compact document per line, written a thousand lines at a time."""
        write_chunked(dumps(item, None) for item in items)

    def rich(self, renderable: RenderableType, *, min_width: int = 0) -> None:
        """A human view; `min_width` widens the console past the page (a whole deep chart)."""
        from whoiswho.render_base import make_console

        if sys.stdout is None:
            raise OutputError("standard output is closed")
        console = make_console(self.color)
        if console.width < min_width:
            console.width = min_width
        console.print(renderable)


def dumps(data: object, indent: int | None) -> str:
    from whoiswho.render_json import dumps as json_dumps

    return json_dumps(data, indent)


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal; a closed stdout is an OutputError."""
    if sys.stdout is None:
        raise OutputError("standard output is closed")
    return sys.stdout.isatty()


def write(text: str) -> None:
    """Text to stdout; a closed stdout is an OutputError, not an AttributeError."""
    if sys.stdout is None:
        raise OutputError("standard output is closed")
    sys.stdout.write(text)


def write_chunked(lines: Iterable[str]) -> None:
    """Lines to stdout, joined into one write per thousand (a batch of 100k stays fast)."""
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == 1000:
            write("\n".join(chunk) + "\n")
            chunk.clear()
    if chunk:
        write("\n".join(chunk) + "\n")


def write_json_array(items: Iterable[object], indent: int | None) -> None:
    """`json.dumps(list(items), indent=indent)` and a newline, written item by item."""
    if indent is None:
        first, between, last = "[", ",", "]\n"
        pieces = (dumps(item, None) for item in items)
    else:
        pad = " " * indent
        # JSON text holds no raw newline inside strings: each one is structure, indented once more.
        first, between, last = f"[\n{pad}", f",\n{pad}", "\n]\n"
        pieces = (dumps(item, indent).replace("\n", f"\n{pad}") for item in items)
    chunk: list[str] = []
    started = False
    for piece in pieces:
        chunk.append(piece)
        if len(chunk) == 1000:
            write((between if started else first) + between.join(chunk))
            started = True
            chunk.clear()
    if chunk:
        write((between if started else first) + between.join(chunk))
        started = True
    write(last if started else "[]\n")


def warn(text: str) -> None:
    """A message for the person: stderr, never stdout (a closed stderr drops it quietly)."""
    if sys.stderr is not None:
        sys.stderr.write(text + "\n")


def report(error: WhoiswhoError, *, as_json: bool) -> None:
    """The one error reporter: one JSON object under --json/--jsonl, readable text otherwise."""
    from whoiswho.render_text import error_report

    warn(error_report(error, as_json=as_json))


def guarded(out: Output, work: Callable[[], int]) -> int:
    """Run one command's work and flush; every way it can end becomes an exit status.

    Core errors are reported here, once; a reader that went away (`| head`) ends quietly with 1
    (as click does); a stdout that cannot be written says so in one line; Ctrl-C is 130.
    """
    try:
        status = work()
        flush()
    except WhoiswhoError as error:
        report(error, as_json=out.machine)
        return error.exit_code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        return EXIT_NOT_FOUND
    except OutputError as error:
        warn(f"whoiswho: cannot write output: {error.reason}")
        return EXIT_OUTPUT
    except OSError as error:
        if error.errno == errno.EPIPE:
            silence_stdout()
            return EXIT_NOT_FOUND
        warn(f"whoiswho: cannot write output: {error.strerror or error}")
        silence_stdout()
        return EXIT_OUTPUT
    return status


def flush() -> None:
    if sys.stdout is not None:
        sys.stdout.flush()


def silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's own final flush cannot fail again."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (CliRunner's buffer): nothing will flush it later
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)
