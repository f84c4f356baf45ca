"""The org chart: the reporting tree and its Mermaid, Graphviz DOT and JSON forms.

Pure functions, no printing. Every walk is iterative: a catalogue may hold reporting chains a
thousand levels deep, past Python's recursion limit. Alternative superiors are edges (dashed), never
a second copy of a subtree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, Final

from whoiswho.errors import UnknownRoleError
from whoiswho.model import SCHEMA_VERSION, Catalog, Role
from whoiswho.text import printable


class Node:
    """One role in the reporting tree and its direct reports, in catalogue order. Never mutated.

    A plain slotted class, as in `model`: no `dataclasses` import at start-up, and no generated
    `__eq__`/`__hash__`/`__repr__` recursing through `children` (a 1,000-deep chain would overflow
    the stack). Nodes compare by identity and print shallowly.
    """

    __slots__ = ("children", "role")

    def __init__(self, role: Role, children: tuple[Node, ...]) -> None:
        self.role: Final = role
        self.children: Final = children

    def __repr__(self) -> str:
        return f"Node(role={self.role.id!r}, children={len(self.children)})"


def build_tree(catalog: Catalog, root: str | None = None) -> list[Node]:
    """The primary reporting tree: every top-level role's, or only `root`'s subtree."""
    if root is not None and root not in catalog.roles:
        raise UnknownRoleError(root, [])
    reports: dict[str, list[Role]] = {}
    for role in catalog.roles.values():
        if role.reports_to is not None:
            reports.setdefault(role.reports_to, []).append(role)
    tops = (
        [catalog.roles[root]]
        if root is not None
        else [r for r in catalog.roles.values() if r.reports_to is None]
    )
    # Pre-order by an explicit stack, then build bottom-up in reverse so each node's children
    # exist before the node itself (Node is frozen: children are fixed at construction).
    order: list[Role] = []
    stack = list(reversed(tops))
    while stack:
        role = stack.pop()
        order.append(role)
        stack.extend(reversed(reports.get(role.id, ())))
    built: dict[str, Node] = {}
    for role in reversed(order):
        kids = tuple(built.pop(r.id) for r in reports.get(role.id, ()))
        built[role.id] = Node(role, kids)
    return [built[r.id] for r in tops]


def walk(roots: Sequence[Node]) -> Iterator[tuple[int, Node]]:
    """Every node depth first (pre-order) with its depth, the roots at depth 0."""
    stack: list[tuple[int, Node]] = [(0, node) for node in reversed(roots)]
    while stack:
        depth, node = stack.pop()
        yield depth, node
        stack.extend((depth + 1, child) for child in reversed(node.children))


def alternative_edges(catalog: Catalog, shown: set[str]) -> list[tuple[str, str]]:
    """(role id, alternative superior id) pairs with both ends shown, in catalogue order."""
    edges: list[tuple[str, str]] = []
    for role in catalog.roles.values():
        if role.id not in shown:
            continue
        seen = {role.reports_to}
        for alt in role.reports_to_alternatives:
            if alt in shown and alt not in seen:
                seen.add(alt)
                edges.append((role.id, alt))
    return edges


Edge = tuple[str, str, str]  # (superior id, subordinate id, "primary" | "alternative")


def _edges(catalog: Catalog, roots: Sequence[Node]) -> tuple[list[Role], list[Edge]]:
    """The shown roles in tree order and (superior, subordinate, kind) edges, primary ones first."""
    roles: list[Role] = []
    edges: list[Edge] = []
    for _, node in walk(roots):
        roles.append(node.role)
        edges.extend((node.role.id, child.role.id, "primary") for child in node.children)
    shown = {role.id for role in roles}
    edges.extend((sup, sub, "alternative") for sub, sup in alternative_edges(catalog, shown))
    return roles, edges


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean(text: str) -> str:
    """Catalogue text on one line: control characters and lone surrogates shown as escapes."""
    # Lone surrogates (legal in JSON `\ud800`) cannot be encoded as UTF-8 when the text is written.
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", printable(text))


# Left as they are inside a Mermaid label; everything else becomes a `#NNN;` entity.
_MERMAID_SAFE = frozenset(" .,-_()/'+")


def mermaid_label(text: str) -> str:
    """Text that is safe inside a Mermaid `["..."]` label: no quote, bracket, markup or entity."""
    return "".join(
        c if (c.isascii() and c.isalnum()) or c in _MERMAID_SAFE else f"#{ord(c)};"
        for c in clean(text)
    )


def to_mermaid(catalog: Catalog, root: str | None = None) -> str:
    """A Mermaid `flowchart TD`: solid arrows for the primary line, dashed for alternatives."""
    roles, edges = _edges(catalog, build_tree(catalog, root))
    # Node ids are n0, n1, ... in tree order: role ids may hold anything, these cannot clash.
    ids = {role.id: f"n{i}" for i, role in enumerate(roles)}
    lines = ["flowchart TD"]
    lines += [f'    {ids[r.id]}["{mermaid_label(r.label)}"]' for r in roles]
    arrows = {"primary": "-->", "alternative": "-.->"}
    lines += [f"    {ids[sup]} {arrows[kind]} {ids[sub]}" for sup, sub, kind in edges]
    return "\n".join(lines) + "\n"


def dot_string(text: str, *, label: bool = False) -> str:
    """A double-quoted DOT string; labels also escape `&` (Graphviz reads `&...;` as entities)."""
    text = clean(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + (text.replace("&", "&amp;") if label else text) + '"'


def _dot_label(role: Role) -> str:
    if role.abbreviation == role.title:
        return dot_string(role.title, label=True)
    # `\n` is DOT's own line break between the parts; catalogue newlines were escaped by clean().
    abbreviation = dot_string(role.abbreviation, label=True)
    return abbreviation[:-1] + "\\n" + dot_string(role.title, label=True)[1:]


def to_dot(catalog: Catalog, root: str | None = None) -> str:
    """A Graphviz `digraph`; alternatives dashed and left out of the ranking."""
    roles, edges = _edges(catalog, build_tree(catalog, root))
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
    roles, edges = _edges(catalog, build_tree(catalog, root))
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
