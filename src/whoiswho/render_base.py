"""What every rich view shares: the console, catalogue text as `Text`, and two small layouts
(label/value facts and bulleted lists) that wrap with a hanging indent.

Every catalogue string reaches rich as `Text` after `printable()`: data is never markup and never
a terminal control sequence.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import IO

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from whoiswho.text import printable

# Piped output with no COLUMNS and no terminal to ask: the width people and pagers expect.
PIPE_WIDTH = 80


def pipe_width() -> int:
    """The width for output that goes to a pipe or file: COLUMNS, else the controlling
    terminal's width (stderr or stdin may still be one: `whoiswho CFO | less`), else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for stream in (sys.stderr, sys.stdin):
        try:
            if stream is not None and stream.isatty():
                return os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            continue
    return PIPE_WIDTH


def make_console(color: str = "auto", file: IO[str] | None = None) -> Console:
    """A console for this invocation; rich reads NO_COLOR, FORCE_COLOR and TERM itself."""
    stream = file or sys.stdout
    force = {"always": True, "never": None, "auto": None}[color]
    console = Console(
        file=stream,
        force_terminal=force,
        no_color=True if color == "never" else None,
        color_system=None if color == "never" else "auto",
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )
    if not console.is_terminal:
        console.width = pipe_width()
    return console


def t(text: str, style: str = "") -> Text:
    """Catalogue text as a rich Text, with control characters made visible."""
    return Text(printable(text), style=style)


def lines(items: Iterable[str]) -> Text:
    """One catalogue string per line (each made printable on its own)."""
    return Text("\n").join(t(item) for item in items)


class Facts:
    """Label / value rows, each value wrapped under its first line: the card's fact sheet.

    A two-column Table.grid would do the same, but rich.table costs the card a tenth of its
    start-up; this needs only what rich.console has already loaded.
    """

    GAP = 2
    LABEL = Style(bold=True)

    def __init__(self) -> None:
        self.rows: list[tuple[str, RenderableType]] = []

    def add_row(self, label: str, value: RenderableType) -> None:
        self.rows.append((label, value))

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def _label_width(self, max_width: int) -> int:
        widest = max(len(label) for label, _ in self.rows) + self.GAP
        # Narrow terminals: long labels may not take more than a third of the width (a short
        # one always keeps its place beside its value).
        return min(widest, max(max_width // 3, 12))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self._label_width(options.max_width)
        inner = options.update(width=max(options.max_width - indent, 1))
        for label, value in self.rows:
            head = label if len(label) + 1 <= indent else ""
            if not head:
                # A label too long for the column gets a line of its own.
                yield Segment(label, self.LABEL)
                yield Segment.line()
            for n, line in enumerate(console.render_lines(value, inner, pad=False)):
                if n == 0 and head:
                    yield Segment(head, self.LABEL)
                    yield Segment(" " * (indent - len(head)))
                else:
                    yield Segment(" " * indent)
                yield from line
                yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = self._label_width(options.max_width)
        inner = options.update(width=max(options.max_width - indent, 1))
        sizes = [Measurement.get(console, inner, value) for _, value in self.rows]
        widest = max((m.maximum for m in sizes), default=0)
        narrowest = max((m.minimum for m in sizes), default=0)
        return Measurement(indent + narrowest, indent + widest)


class Bullets:
    """A bulleted list whose wrapped lines align with the text, not under the bullet."""

    BULLET = "\u2022 "

    def __init__(self, items: Iterable[str | Text]) -> None:
        self.items = [item if isinstance(item, Text) else t(item) for item in items]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = len(self.BULLET)
        inner = options.update(width=max(options.max_width - indent, 1))
        for item in self.items:
            for n, line in enumerate(console.render_lines(item, inner, pad=False)):
                yield Segment(self.BULLET if n == 0 else " " * indent)
                yield from line
                yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = len(self.BULLET)
        inner = options.update(width=max(options.max_width - indent, 1))
        sizes = [Measurement.get(console, inner, item) for item in self.items]
        widest = max((m.maximum for m in sizes), default=0)
        narrowest = max((m.minimum for m in sizes), default=0)
        return Measurement(indent + narrowest, indent + widest)

    def __bool__(self) -> bool:
        return bool(self.items)


class Indented:
    """A renderable indented by `width` spaces, its lines not padded to the full width (rich's
    Padding pads, leaving trailing spaces in piped text)."""

    def __init__(self, renderable: RenderableType, width: int) -> None:
        self.renderable = renderable
        self.width = width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        inner = options.update(width=max(options.max_width - self.width, 1))
        for line in console.render_lines(self.renderable, inner, pad=False):
            yield Segment(" " * self.width)
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        inner = options.update(width=max(options.max_width - self.width, 1))
        size = Measurement.get(console, inner, self.renderable)
        return Measurement(size.minimum + self.width, size.maximum + self.width)
