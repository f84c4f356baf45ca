"""Human views of classified titles and of ranks: what a title means, in words, and where the
person sits, up to the board."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from whoiswho.render_base import Facts, lines, t

if TYPE_CHECKING:
    from rich.table import Table

    from whoiswho.classifier import Classification
    from whoiswho.model import Catalog, Role
    from whoiswho.vocabulary import Rank

ARROW = " \u2192 "
LEVEL_WORDS = {
    "board": "a board member",
    "c_level": "a C-level executive",
    "evp": "an executive vice president",
    "svp": "a senior vice president",
    "vp": "a vice president",
    "head_or_director": "a head of department or director",
    "manager": "a manager",
    "other": "a professional or staff member (no management rank)",
}


def describe(catalog: Catalog, found: Classification) -> str:
    """The title in one sentence: rank, function, roles named, whose organisation."""
    if not found.classified:
        return f"Not read as a title: {found.reason}."
    level = LEVEL_WORDS.get(found.level or "", "someone")
    parts = [level]
    if found.function:
        parts.append(f"in {found.function}")
    sentence = " ".join(parts)
    if found.roles:
        named = ", ".join(_label(catalog, r) for r in found.roles)
        sentence += f", holding the role{'s' if len(found.roles) > 1 else ''} of {named}"
    if found.reports_into and found.reports_into in catalog.roles and not found.roles:
        boss = catalog.role(found.reports_into)
        sentence += f", in the {boss.abbreviation}'s organisation"
    if found.qualifiers:
        sentence += f" ({', '.join(found.qualifiers)})"
    return sentence[0].upper() + sentence[1:] + "."


def chain_up(catalog: Catalog, found: Classification) -> str | None:
    """`You → CFO → CEO → Board of Directors`: from the person up to the board."""
    start = found.roles[0] if found.roles else found.reports_into
    if start is None or start not in catalog.roles:
        return None
    line = catalog.reporting_line(catalog.role(start))
    names = [r.abbreviation for r in line[:-1]] + [line[-1].title]
    if not found.roles:
        names.insert(0, "this title")
    return ARROW.join(names)


def classification_view(catalog: Catalog, found: Classification) -> RenderableType:
    """One title: what it means, its parts, and the reporting chain up to the board."""
    facts = Facts()
    facts.add_row("Function", t(", ".join(found.functions) or "-"))
    facts.add_row("Level", t(found.level or "-"))
    facts.add_row("Roles", t(", ".join(_label(catalog, r) for r in found.roles) or "-"))
    if found.reports_into and found.reports_into in catalog.roles:
        facts.add_row("Sits under", t(catalog.role(found.reports_into).label))
    chain = chain_up(catalog, found)
    if chain:
        facts.add_row("Reporting line", t(chain))
    if found.qualifiers:
        facts.add_row("Qualifiers", t(", ".join(found.qualifiers)))
    if found.matched:
        facts.add_row(
            "Read from", t(", ".join(found.matched) + f"  (confidence {found.confidence:.2f})")
        )
    body = Group(t(describe(catalog, found), "italic"), Text(""), facts)
    return Panel(body, title=t(found.title.strip() or "(empty)"), title_align="left",
                 box=box.ROUNDED, expand=False)  # fmt: skip


def read_as_line(catalog: Catalog, found: Classification) -> Text:
    """The line above a card reached through a title: how the title was read."""
    ranks = [q.upper() for q in found.qualifiers if q in LEVEL_WORDS]
    others = [q for q in found.qualifiers if q not in LEVEL_WORDS]
    how = f" at {' and '.join(ranks)} rank" if ranks else ""
    how += f" ({', '.join(others)})" if others else ""
    names = " and ".join(_label(catalog, r) for r in found.roles)
    return t(f"Read {found.title.strip()!r} as {names}{how}.", "dim")


def classification_table(catalog: Catalog, rows: Sequence[Classification]) -> Table:
    """Many titles: one row each."""
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for name in ("Title", "Function", "Level", "Role(s)", "Sits under"):
        table.add_column(name)
    for found in rows:
        sits = found.reports_into or ("-" if found.classified else found.reason or "-")
        table.add_row(
            t(found.title),
            t(found.function or "-"),
            t(found.level or "-"),
            t(", ".join(found.roles) or "-"),
            t(sits),
        )
    return table


def rank_card(rank: Rank) -> RenderableType:
    """`whoiswho VP`: a rank, not a job: what it means, where it sits, how it combines."""
    facts = Facts()
    facts.add_row("Level", t(rank.level))
    shown = rank.names[:8]
    more = f" and {len(rank.names) - len(shown)} more spellings" if len(rank.names) > 8 else ""
    facts.add_row("Written as", t(", ".join(shown) + more))
    if rank.sources:
        facts.add_row("Sources", lines(s.title for s in rank.sources))
    body = Group(
        t(rank.summary, "italic"),
        Text(""),
        t(
            "A rank, not a job: it says how senior, and combines with a function or a role "
            "(\u201cSVP, Finance\u201d, \u201cEVP & CFO\u201d). "
            "`whoiswho classify TITLE` reads a whole title."
        ),
        Text(""),
        facts,
    )
    return Panel(body, title=t(rank.title, "bold"), title_align="left", box=box.ROUNDED,
                 expand=False)  # fmt: skip


def _label(catalog: Catalog, role_id: str) -> str:
    role: Role | None = catalog.roles.get(role_id) if role_id in catalog.roles else None
    return role.label if role is not None else role_id
