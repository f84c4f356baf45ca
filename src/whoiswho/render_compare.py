"""`whoiswho compare`: how the roles relate, their key difference, and their duties by facet.

Side by side while every column keeps room to read; below that, one role after another, facet
by facet (a phone over ssh, a split pane, twenty roles at once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.panel import Panel
from rich.text import Text

from whoiswho.render_base import Bullets, Facts, lines, t

if TYPE_CHECKING:
    from rich.table import Table

    from whoiswho.compare import Comparison
    from whoiswho.model import Catalog, Role

# The narrowest readable column of duties, and the label column beside them.
COLUMN_MIN = 28
LABEL_WIDTH = 14


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
    return ComparisonView(catalog, comparison)


class ComparisonView:
    """How the roles relate and their key difference first, then duties set beside each other by
    facet: a row per facet and a column per role, or stacked when the columns would not fit."""

    def __init__(self, catalog: Catalog, comparison: Comparison) -> None:
        self.catalog = catalog
        self.comparison = comparison

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        catalog, comparison = self.catalog, self.comparison
        sentences = relation_sentences(catalog, comparison)
        if sentences:
            yield lines(sentences)
        for note in comparison.notes:
            a, b = (catalog.role(i).abbreviation for i in note.roles)
            title = t(f"Key difference: {a} vs {b}")
            yield Panel(t(note.note), title=title, title_align="left", expand=False)
        fits = options.max_width >= LABEL_WIDTH + COLUMN_MIN * len(comparison.roles)
        if fits:
            yield self.table()
        else:
            yield from self.stacked()
        shared = Facts()
        if comparison.common_area:
            shared.add_row("Same area", t(comparison.common_area))
        if comparison.shared:
            shared.add_row("Shared duties", Bullets(comparison.shared))
        some = [
            f"{d} ({r.abbreviation})" for r in comparison.roles for d in comparison.partly[r.id]
        ]
        if some:
            shared.add_row("Shared with some", Bullets(some))
        if shared.row_count:
            yield Panel(shared, title="What they share", title_align="left", expand=False)

    def facet_label(self, facet: str) -> Text:
        holders = [r for r in self.comparison.roles if self.comparison.facets[facet][r.id]]
        label = t(facet.capitalize())
        if len(holders) == 1:
            label.append(f"\n(only {holders[0].abbreviation})", "dim")
        return label

    def table(self) -> Table:
        from rich.table import Table

        roles = self.comparison.roles
        table = Table(box=box.ROUNDED, show_lines=True)
        table.add_column("", max_width=LABEL_WIDTH)
        for role in roles:
            table.add_column(t(role.abbreviation), ratio=1)
        table.add_row("Title", *(t(r.title) for r in roles))
        table.add_row("Reports to", *(_superior(self.catalog, r) for r in roles))
        table.add_row("Summary", *(t(r.summary) for r in roles))
        for facet, by_role in self.comparison.facets.items():
            cells = (Bullets(by_role[r.id]) or t("-", "dim") for r in roles)
            table.add_row(self.facet_label(facet), *cells)
        return table

    def stacked(self) -> RenderResult:
        for role in self.comparison.roles:
            yield Text("")
            yield t(role.abbreviation, "bold cyan") + t("  ") + t(role.title, "bold")
            facts = Facts()
            facts.add_row("Reports to", _superior(self.catalog, role))
            facts.add_row("Summary", t(role.summary))
            for facet, by_role in self.comparison.facets.items():
                if by_role[role.id]:
                    facts.add_row(
                        self.facet_label(facet).plain.replace("\n", " "), Bullets(by_role[role.id])
                    )
            yield facts
        yield Text("")


def _superior(catalog: Catalog, role: Role) -> Text:
    if role.reports_to is None:
        return t("(top)", "dim")
    alternatives = [f"or {catalog.role(alt).label}" for alt in role.reports_to_alternatives]
    return lines([catalog.role(role.reports_to).label, *alternatives])
