"""The human views: functions that return rich renderables; the caller prints them.

Every catalogue string reaches rich as `Text` after `printable()`: data is never markup and never
a terminal control sequence.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from whoiswho.model import BUNDLED, Catalog, Role
from whoiswho.text import WORD_PATTERN, fold, printable, stem

if TYPE_CHECKING:  # the card, the commonest view, needs none of these modules at run time
    from rich.table import Table

    from whoiswho.compare import Comparison
    from whoiswho.lookup import Match
    from whoiswho.search import Hit

ARROW = " \u2192 "
# Piped output is never cut at 80 columns: lines are as long as the data (COLUMNS still wins).
PIPE_WIDTH = 10_000
CODE_LABELS = {"us_soc_2018": "US SOC 2018", "onet_soc": "O*NET-SOC", "isco_08": "ISCO-08"}


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
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPE_WIDTH
    return console


def t(text: str, style: str = "") -> Text:
    """Catalogue text as a rich Text, with control characters made visible."""
    return Text(printable(text), style=style)


def lines(items: Iterable[str], *, bullet: bool = False) -> Text:
    """One catalogue string per line (each made printable on its own)."""
    prefix = "\u2022 " if bullet else ""
    return Text("\n").join(t(prefix + item) for item in items)


def short(role: Role) -> str:
    return role.abbreviation


def chain(catalog: Catalog, role: Role) -> Text:
    """`CFO → CEO → Board of Directors`: abbreviations, the top by its full title."""
    line = catalog.reporting_line(role)
    parts = [short(r) for r in line[:-1]] + [line[-1].title]
    return t(ARROW.join(parts))


def alternative_chains(catalog: Catalog, role: Role) -> list[Text]:
    return [
        t(short(role) + ARROW) + chain(catalog, catalog.role(alt))
        for alt in role.reports_to_alternatives
    ]


class Facts:
    """Label / value rows, each value wrapped under its first line: the card's fact sheet.

    A two-column Table.grid would do the same, but rich.table costs the card a tenth of its
    start-up; this needs only what rich.console has already loaded.
    """

    GAP = 2
    LABEL = Style(bold=True)

    def __init__(self) -> None:
        self.rows: list[tuple[str, Text]] = []

    def add_row(self, label: str, value: Text) -> None:
        self.rows.append((label, value))

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def _label_width(self) -> int:
        return max(len(label) for label, _ in self.rows) + self.GAP

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = self._label_width()
        inner = options.update(width=max(options.max_width - indent, 1))
        for label, value in self.rows:
            for n, line in enumerate(console.render_lines(value, inner, pad=False)):
                if n == 0:
                    yield Segment(label, self.LABEL)
                    yield Segment(" " * (indent - len(label)))
                else:
                    yield Segment(" " * indent)
                yield from line
                yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        indent = self._label_width()
        inner = options.update(width=max(options.max_width - indent, 1))
        sizes = [Measurement.get(console, inner, value) for _, value in self.rows]
        widest = max((m.maximum for m in sizes), default=0)
        narrowest = max((m.minimum for m in sizes), default=0)
        return Measurement(indent + narrowest, indent + widest)


def role_card(catalog: Catalog, role: Role) -> RenderableType:
    """Everything about one role: title, purpose, duties, reporting line, names and sources."""
    heading = t(role.abbreviation, "bold cyan")
    if role.title != role.abbreviation:
        heading += t("  ") + t(role.title, "bold")
    if role.zh:
        heading += t("  ") + t(role.zh)
    facts = Facts()
    if role.top_level:
        facts.add_row("Reports to", t("(top of the reporting line)", "dim"))
    else:
        facts.add_row("Reporting line", chain(catalog, role))
    for alt in alternative_chains(catalog, role):
        facts.add_row("Or", alt)
    if role.names:
        facts.add_row("Other names", t(", ".join(role.names)))
    facts.add_row("Area", t(role.area))
    if role.occupation_codes:
        codes = ", ".join(f"{CODE_LABELS.get(k, k)} {v}" for k, v in role.occupation_codes)
        facts.add_row("Occupation codes", t(codes))
    others = catalog.same_abbreviation(role)
    if others:
        also = "; ".join(f"{r.title} ({r.id})" for r in others)
        facts.add_row("Also", t(f"{role.abbreviation} can also mean: {also}"))
    if role.sources:
        # Titles only: the card stays readable; `--json` carries each source's URL.
        facts.add_row("Sources", lines(s.title for s in role.sources))
    if role.origin != BUNDLED:
        facts.add_row("From", t(role.origin))
    duties = lines(role.responsibilities, bullet=True)
    body = Group(
        t(role.summary, "italic"),
        Text(""),
        Text("Responsibilities", style="bold"),
        Padding(duties, (0, 0, 0, 2)),
        Text(""),
        facts,
    )
    return Panel(body, title=heading, title_align="left", box=box.ROUNDED, expand=False)


def lookup_view(catalog: Catalog, found: Match) -> RenderableType:
    """`whoiswho QUERY`: the role's card, or every meaning of an ambiguous query."""
    if found.ambiguous:
        return meanings(found.query, found.roles)
    return role_card(catalog, found.roles[0])


def meanings(query: str, roles: tuple[Role, ...]) -> RenderableType:
    """An ambiguous query: every meaning, most common first, and how to pick one."""
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("#", justify="right")
    table.add_column("Id", style="cyan", no_wrap=True)
    table.add_column("Title", style="bold")
    table.add_column("What the role is for", overflow="fold")
    for n, role in enumerate(roles, 1):
        table.add_row(str(n), t(role.id), t(role.title), t(role.summary))
    intro = t(f"{query!r} can mean {len(roles)} roles (most common first):")
    hint = t(f"Pick one by its id, e.g. `whoiswho {roles[0].id}`.", "dim")
    return Group(intro, table, hint)


def relation_sentences(catalog: Catalog, comparison: Comparison) -> list[str]:
    """How the compared roles relate, in words: "Controller reports to CFO"."""
    name = {r.id: r.abbreviation for r in comparison.roles}
    out: list[str] = []
    # Roles under one superior read as one sentence, however many were compared.
    peers: dict[str, list[str]] = {}
    for rel in comparison.relations:
        if rel.kind == "same_superior":
            boss = catalog.role(rel.source).reports_to or ""
            group = peers.setdefault(boss, [])
            group += [i for i in (rel.source, rel.target) if i not in group]
    for rel in comparison.relations:
        a, b = name[rel.source], name.get(rel.target, rel.target)
        if rel.kind == "reports_to":
            out.append(f"{a} reports to {b}.")
        elif rel.kind == "may_report_to":
            out.append(f"{a} may report to {b}.")
        elif rel.kind == "below":
            out.append(f"{a} sits below {b}, further down its reporting line.")
    for boss, ids in peers.items():
        names = [name[i] for i in ids]
        both = (
            " and ".join(names) if len(names) == 2 else ", ".join(names[:-1]) + f" and {names[-1]}"
        )
        out.append(f"{both} report to the same superior: {catalog.role(boss).label}.")
    return out


def comparison_view(catalog: Catalog, comparison: Comparison) -> RenderableType:
    """How the roles relate and their key difference first, then duties set side by side by
    facet (a row per facet, a column per role)."""
    from rich.table import Table

    parts: list[RenderableType] = []
    sentences = relation_sentences(catalog, comparison)
    if sentences:
        parts.append(lines(sentences))
    for note in comparison.notes:
        a, b = (catalog.role(i).abbreviation for i in note.roles)
        parts.append(
            Panel(
                t(note.note),
                title=t(f"Key difference: {a} vs {b}"),
                title_align="left",
                expand=False,
            )
        )
    table = Table(box=box.ROUNDED, show_lines=True)
    table.add_column("")
    for role in comparison.roles:
        table.add_column(t(role.abbreviation), overflow="fold")
    table.add_row("Title", *(t(r.title) for r in comparison.roles))
    table.add_row("Reports to", *(_superior(catalog, r) for r in comparison.roles))
    table.add_row("Summary", *(t(r.summary) for r in comparison.roles))
    for facet, by_role in comparison.facets.items():
        holders = [r for r in comparison.roles if by_role[r.id]]
        label = t(facet.capitalize())
        if len(holders) == 1 and len(comparison.roles) > 1:
            label.append(f"\n(only {holders[0].abbreviation})", "dim")
        table.add_row(label, *(_bullets(by_role[r.id]) or t("-", "dim") for r in comparison.roles))
    parts.append(table)
    shared = Facts()
    if comparison.common_area:
        shared.add_row("Same area", t(comparison.common_area))
    if comparison.shared:
        shared.add_row("Shared duties", lines(comparison.shared, bullet=True))
    some = [f"{d} ({r.abbreviation})" for r in comparison.roles for d in comparison.partly[r.id]]
    if some:
        shared.add_row("Shared with some", lines(some, bullet=True))
    if shared.row_count:
        parts.append(Panel(shared, title="What they share", title_align="left", expand=False))
    return Group(*parts)


def _superior(catalog: Catalog, role: Role) -> Text:
    if role.reports_to is None:
        return t("(top)", "dim")
    alternatives = [f"or {catalog.role(alt).label}" for alt in role.reports_to_alternatives]
    return lines([catalog.role(role.reports_to).label, *alternatives])


def _bullets(items: tuple[str, ...]) -> Text | None:
    return lines(items, bullet=True) if items else None


def role_table(catalog: Catalog, roles: list[Role]) -> Table:
    """`whoiswho list` on a terminal."""
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("Abbr", style="cyan", no_wrap=True)
    table.add_column("Title", style="bold")
    table.add_column("Id", no_wrap=True)
    table.add_column("Area")
    table.add_column("Reports to")
    for role in roles:
        boss = catalog.role(role.reports_to).abbreviation if role.reports_to else "-"
        table.add_row(t(role.abbreviation), t(role.title), t(role.id), t(role.area), t(boss))
    return table


def search_view(query: str, hits: list[Hit]) -> RenderableType:
    """Ranked roles, each with the duties that matched and the matched words highlighted."""
    from rich.table import Table

    from whoiswho.search import highlight_stems

    stems = highlight_stems(query)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("Score", justify="right")
    table.add_column("Role", overflow="fold")
    table.add_column("Matching duties", overflow="fold")
    for hit in hits:
        name = t(hit.role.abbreviation, "bold cyan") + t(f"  {hit.role.title}")
        role = Text("\n").join([name, t(hit.role.id, "dim")])
        duties = Text("\n").join(_marked("\u2022 " + d, stems) for d in hit.lines)
        table.add_row(f"{hit.score:g}", role, duties or t(hit.role.summary, "dim"))
    return table


def _marked(text: str, stems: set[str]) -> Text:
    """The text with every word whose stem was searched for in bold yellow."""
    out = t(text)
    plain = out.plain
    for match in re.finditer(WORD_PATTERN, plain):
        if stem(fold(match.group())) in stems:
            out.stylize("bold yellow", match.start(), match.end())
    return out
