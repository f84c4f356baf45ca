"""The org chart's text forms: Mermaid, Graphviz DOT and plain data for JSON.

Every catalogue string passes through `printable()` (control characters and lone surrogates become
escapes) before the format's own escaping.
"""

from __future__ import annotations

from typing import Any

from whoiswho import chart
from whoiswho.chart import Drawn
from whoiswho.model import SCHEMA_VERSION, Catalog
from whoiswho.text import printable

# Left as they are inside a Mermaid label; everything else becomes a `#NNN;` entity.
_MERMAID_SAFE = frozenset(" .,-_()/'+")


def mermaid_label(text: str) -> str:
    """Text that is safe inside a Mermaid `["..."]` label: no quote, bracket, markup or entity."""
    return "".join(
        c if (c.isascii() and c.isalnum()) or c in _MERMAID_SAFE else f"#{ord(c)};"
        for c in printable(text)
    )


def to_mermaid(catalog: Catalog, root: str | None = None) -> str:
    """A Mermaid `flowchart TD`: solid arrows for the primary line, dashed for alternatives."""
    roles, edges = chart.edges(catalog, chart.build_tree(catalog, root, drawn=True))
    # Node ids are n0, n1, ... in tree order: role ids may hold anything, these cannot clash.
    ids = {role.id: f"n{i}" for i, role in enumerate(roles)}
    lines = ["flowchart TD"]
    lines += [f'    {ids[r.id]}["{mermaid_label(r.label)}"]' for r in roles]
    arrows = {"primary": "-->", "alternative": "-.->"}
    lines += [f"    {ids[sup]} {arrows[kind]} {ids[sub]}" for sup, sub, kind in edges]
    return "\n".join(lines) + "\n"


def dot_string(text: str, *, label: bool = False) -> str:
    """A double-quoted DOT string; labels also escape `&` (Graphviz reads `&...;` as entities)."""
    text = printable(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + (text.replace("&", "&amp;") if label else text) + '"'


def _dot_label(role: Drawn) -> str:
    if role.abbreviation == role.title:
        return dot_string(role.title, label=True)
    # `\n` is DOT's own line break between the parts; printable() escaped catalogue newlines.
    abbreviation = dot_string(role.abbreviation, label=True)
    return abbreviation[:-1] + "\\n" + dot_string(role.title, label=True)[1:]


def to_dot(catalog: Catalog, root: str | None = None) -> str:
    """A Graphviz `digraph`; alternatives dashed and left out of the ranking."""
    roles, edges = chart.edges(catalog, chart.build_tree(catalog, root, drawn=True))
    lines = [
        "digraph whoiswho {",
        # Left to right: the CEO's dozens of direct reports stack up instead of spreading out.
        "    rankdir=LR;",
        '    node [shape=box, style=rounded, fontname="Helvetica"];',
    ]
    ids = {r.id: dot_string(r.id) for r in roles}
    lines += [f"    {ids[r.id]} [label={_dot_label(r)}];" for r in roles]
    for sup, sub, kind in edges:
        attrs = " [style=dashed, constraint=false]" if kind == "alternative" else ""
        lines.append(f"    {ids[sup]} -> {ids[sub]}{attrs};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_dict(catalog: Catalog, root: str | None = None) -> dict[str, Any]:
    """The chart as plain data: nodes depth first, then primary and alternative edges."""
    roles, edges = chart.edges(catalog, chart.build_tree(catalog, root, drawn=True))
    return {
        "schema_version": SCHEMA_VERSION,
        "root": root,
        "nodes": [
            {
                "id": r.id,
                "abbreviation": r.abbreviation,
                "title": r.title,
                "reports_to": r.reports_to,
            }
            for r in roles
        ],
        "edges": [{"from": sup, "to": sub, "kind": kind} for sup, sub, kind in edges],
    }
