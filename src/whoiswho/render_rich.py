"""The human views: functions that return rich renderables; the caller prints them.

Every catalogue string reaches rich as `Text` after `printable()`: data is never markup and never
a terminal control sequence.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.text import Text

from whoiswho.model import BUNDLED, Catalog, Role
from whoiswho.render_base import Bullets, Facts, Indented, lines, t
from whoiswho.text import WORD_PATTERN, fold, stem

if TYPE_CHECKING:  # the card, the commonest view, needs none of these modules at run time
    from rich.table import Table

    from whoiswho.lookup import Match
    from whoiswho.search import Hit

ARROW = " \u2192 "
CODE_LABELS = {"us_soc_2018": "US SOC 2018", "onet_soc": "O*NET-SOC", "isco_08": "ISCO-08"}
# Below this width a table of meanings stops being readable: one meaning after another instead.
MEANINGS_TABLE_WIDTH = 100


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


def role_card(catalog: Catalog, role: Role, *, all_sources: bool = False) -> RenderableType:
    """Everything about one role: title, purpose, duties, reporting line, names and sources.

    The panel's own title holds only the abbreviation (a title rich would cut short on a narrow
    terminal); the full title and the Chinese name open the body, where they wrap.
    """
    heading = t(role.title, "bold")
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
        facts.add_row("Sources", _sources(role, all_sources))
    if role.origin != BUNDLED:
        facts.add_row("From", t(role.origin))
    body = Group(
        heading,
        t(role.summary, "italic"),
        Text(""),
        Text("Responsibilities", style="bold"),
        Indented(Bullets(role.responsibilities), 2),
        Text(""),
        facts,
    )
    title = t(role.abbreviation, "bold cyan")
    return Panel(body, title=title, title_align="left", box=box.ROUNDED, expand=False)


def _sources(role: Role, every: bool) -> Text:
    """Titles only (`--json` carries each URL); by default the first and a count, so that a
    typical card fits one 80x24 screen."""
    if every or len(role.sources) <= 2:
        return lines(s.title for s in role.sources)
    more = len(role.sources) - 1
    note = t(f"+ {more} more (whoiswho {role.id} --sources, or --json)", "dim")
    return Text("\n").join([t(role.sources[0].title), note])


def lookup_view(catalog: Catalog, found: Match, *, all_sources: bool = False) -> RenderableType:
    """`whoiswho QUERY`: the role's card, or every meaning of an ambiguous query."""
    if found.ambiguous:
        return Meanings(found.query, found.roles)
    return role_card(catalog, found.roles[0], all_sources=all_sources)


class Meanings:
    """An ambiguous query: every meaning, most common first, and how to pick one. A table on a
    wide terminal; one meaning after another below MEANINGS_TABLE_WIDTH."""

    def __init__(self, query: str, roles: tuple[Role, ...]) -> None:
        self.query = query
        self.roles = roles

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield t(f"{self.query!r} can mean {len(self.roles)} roles (most common first):")
        if options.max_width >= MEANINGS_TABLE_WIDTH:
            yield self._table()
        else:
            for n, role in enumerate(self.roles, 1):
                head = t(f"{n}. ") + t(role.id, "cyan") + t("  ") + t(role.title, "bold")
                yield Text("")
                yield head
                yield Indented(t(role.summary), 3)
            yield Text("")
        yield t(f"Pick one by its id, e.g. `whoiswho {self.roles[0].id}`.", "dim")

    def _table(self) -> Table:
        from rich.table import Table

        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        table.add_column("#", justify="right")
        table.add_column("Id", style="cyan", no_wrap=True)
        table.add_column("Title", style="bold")
        table.add_column("What the role is for")
        for n, role in enumerate(self.roles, 1):
            table.add_row(str(n), t(role.id), t(role.title), t(role.summary))
        return table


class RoleTable:
    """`whoiswho list` on a terminal: the title gets the room; Area and Reports to go first as
    the terminal narrows, then the columns themselves (one line per role)."""

    def __init__(self, catalog: Catalog, roles: list[Role]) -> None:
        self.catalog = catalog
        self.roles = roles

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.table import Table

        width = options.max_width
        if width < 70:
            # A phone or a split pane: one line per role, wrapping, no columns to squeeze.
            for role in self.roles:
                line = t(role.abbreviation, "bold cyan")
                if role.title != role.abbreviation:
                    line += t("  ") + t(role.title)
                yield line
            return
        columns = ["Abbr", "Title", "Id"] + (["Area", "Reports to"] if width >= 110 else [])
        table = Table(box=box.SIMPLE_HEAD, show_edge=False)
        for name in columns:
            table.add_column(
                name,
                style={"Abbr": "cyan", "Title": "bold"}.get(name, ""),
                no_wrap=name == "Id",
            )
        for role in self.roles:
            boss = self.catalog.role(role.reports_to).abbreviation if role.reports_to else "-"
            cells = {"Abbr": role.abbreviation, "Title": role.title, "Id": role.id}
            cells |= {"Area": role.area, "Reports to": boss}
            table.add_row(*(t(cells[name]) for name in columns))
        yield table


def search_view(query: str, hits: list[Hit]) -> RenderableType:
    """Ranked roles, each with the duties that matched and the matched words highlighted.

    Scores print with two decimals; equal scores are in alphabetical order of id (search)."""
    from rich.table import Table

    from whoiswho.search import highlight_stems

    stems = highlight_stems(query)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Role", ratio=1)
    table.add_column("Matching duties", ratio=2)
    for hit in hits:
        name = t(hit.role.abbreviation, "bold cyan") + t(f"  {hit.role.title}")
        role = Text("\n").join([name, t(hit.role.id, "dim")])
        duties: RenderableType = Bullets(_marked(d, stems) for d in hit.lines)
        table.add_row(f"{hit.score:.2f}", role, duties or t(hit.role.summary, "dim"))
    return table


def _marked(text: str, stems: set[str]) -> Text:
    """The text with every word whose stem was searched for in bold yellow."""
    out = t(text)
    plain = out.plain
    for match in re.finditer(WORD_PATTERN, plain):
        if stem(fold(match.group())) in stems:
            out.stylize("bold yellow", match.start(), match.end())
    return out
