"""The org chart: the reporting tree, its walk and its edges (render_chart writes its forms).

Pure functions, no printing. Every walk is iterative: a catalogue may hold reporting chains a
thousand levels deep, past Python's recursion limit. Alternative superiors are edges (dashed), never
a second copy of a subtree.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Final

from whoiswho.errors import UnknownRoleError
from whoiswho.model import Catalog, Member, Role

# What a chart draws of a role: the role, or (its text forms) only its names and superiors.
Drawn = Role | Member


class Node:
    """One role in the reporting tree and its direct reports, in catalogue order. Never mutated.

    A plain slotted class, as in `model`: no `dataclasses` import at start-up, and no generated
    `__eq__`/`__hash__`/`__repr__` recursing through `children` (a 1,000-deep chain would overflow
    the stack). Nodes compare by identity and print shallowly.
    """

    __slots__ = ("children", "role")

    def __init__(self, role: Drawn, children: tuple[Node, ...]) -> None:
        self.role: Final = role
        self.children: Final = children

    def __repr__(self) -> str:
        return f"Node(role={self.role.id!r}, children={len(self.children)})"


def build_tree(catalog: Catalog, root: str | None = None, *, drawn: bool = False) -> list[Node]:
    """The primary reporting tree: every top-level role's, or only `root`'s subtree; of
    Members rather than whole roles if only `drawn` (a chart's text forms)."""
    if root is not None and root not in catalog.roles:
        raise UnknownRoleError(root, [])
    # A subtree needs only its own roles (a cached catalogue finds them through an index).
    members: Iterable[Drawn]
    if root is None:
        members = catalog.roles.values()
    else:
        members = catalog.members_under(root) if drawn else catalog.roles_under(root)
    reports: dict[str, list[Drawn]] = {}
    for role in members:
        if role.reports_to is not None and role.id != root:
            reports.setdefault(role.reports_to, []).append(role)
    tops: list[Drawn] = (
        [catalog.roles[root]]
        if root is not None
        else [r for r in catalog.roles.values() if r.reports_to is None]
    )
    # Pre-order by an explicit stack, then build bottom-up in reverse so each node's children
    # exist before the node itself (Node is frozen: children are fixed at construction).
    order: list[Drawn] = []
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


def alternative_edges(
    catalog: Catalog, shown: Mapping[str, Drawn] | Collection[str]
) -> list[tuple[str, str]]:
    """(role id, alternative superior id) pairs with both ends shown, in catalogue order.

    `shown` maps the shown ids to their roles (or is the ids alone, looked up here)."""
    edges: list[tuple[str, str]] = []
    roles = shown.values() if isinstance(shown, Mapping) else (catalog.roles[i] for i in shown)
    having = [r for r in roles if r.reports_to_alternatives]
    for role in catalog.in_order(having):
        seen = {role.reports_to}
        for alt in role.reports_to_alternatives:
            if alt in shown and alt not in seen:
                seen.add(alt)
                edges.append((role.id, alt))
    return edges


Edge = tuple[str, str, str]  # (superior id, subordinate id, "primary" | "alternative")


def edges(catalog: Catalog, roots: Sequence[Node]) -> tuple[list[Drawn], list[Edge]]:
    """The shown roles in tree order and (superior, subordinate, kind) edges, primary ones first."""
    roles: list[Drawn] = []
    edges: list[Edge] = []
    for _, node in walk(roots):
        roles.append(node.role)
        edges.extend((node.role.id, child.role.id, "primary") for child in node.children)
    shown = {role.id: role for role in roles}
    edges.extend((sup, sub, "alternative") for sub, sup in alternative_edges(catalog, shown))
    return roles, edges
