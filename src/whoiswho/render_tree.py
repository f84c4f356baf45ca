"""The org chart as a rich tree; the caller prints it.

Every catalogue string reaches rich as `Text` after `text.printable()` (control characters and
lone surrogates escaped): data is never markup. The tree is built at render time, when the width is
known, so that a deep chain stops at a "... N more levels" line instead of running out of columns
(rich draws nothing for a label left with no width, silently dropping the deeper roles).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from rich.tree import Tree

from whoiswho.chart import Drawn, Node
from whoiswho.model import Catalog, Role
from whoiswho.text import printable

# A node with more direct reports than this shows them under one dim heading per area.
GROUP_OVER = 6
# Each level of a rich tree indents by four columns; keep this many for the deepest label.
GUIDE_WIDTH = 4
LABEL_ROOM = 36


class ChartTree:
    """A renderable reporting tree; its depth is capped to fit the width it is printed at."""

    def __init__(
        self,
        catalog: Catalog,
        roots: Sequence[Node],
        max_depth: int | None = None,
        *,
        whole: bool = False,
    ):
        self.catalog = catalog
        self.roots = list(roots)
        self.max_depth = max_depth
        # Draw every level (piped output): no "... N more levels" line.
        self.whole = whole
        self._names = _NameRule(catalog)

    def depth_for(self, width: int) -> int:
        """The deepest indentation level drawn at this width (the root is level 0)."""
        if self.max_depth is not None:
            return self.max_depth
        # At least two levels at any width: a chart of the top alone says nothing.
        return max(2, (width - LABEL_ROOM) // GUIDE_WIDTH)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.whole:
            yield self.tree(self.depth_for(options.max_width))
            return
        # Piped or saved: the whole tree, however deep, at the width `needed_width` asked for.
        levels = _drawn_depth(self.roots)
        width = max(options.max_width, self.needed_width())
        yield from console.render(self.tree(levels), options.update(width=width))

    def needed_width(self) -> int:
        """The width that draws every level with room for its label (rich draws nothing for a
        label left with no width): the console printing a whole tree must be this wide."""
        return GUIDE_WIDTH * _drawn_depth(self.roots) + LABEL_ROOM

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.tree(self.depth_for(options.max_width)))

    def tree(self, max_depth: int) -> Tree:
        """The rich Tree, built with an explicit stack (chains may be thousands deep)."""
        if len(self.roots) == 1:
            top = Tree(self.label(self.roots[0].role), guide_style="dim")
            stack = [(self.roots[0].children, top, 0)]
        else:
            # Several tops (a catalogue without one board): siblings under a hidden root.
            top = Tree(Text(""), hide_root=True, guide_style="dim")
            stack = [(tuple(self.roots), top, -1)]
        while stack:
            children, branch, level = stack.pop()
            if not children:
                continue
            grouped = len(children) > GROUP_OVER
            child_level = level + (2 if grouped else 1)
            if child_level > max_depth:
                levels, roles = _extent(children)
                more = f"\u2026 {_count(levels, 'more level')} ({_count(roles, 'role')})"
                branch.add(Text(more, style="dim italic"))
                continue
            added: list[tuple[tuple[Node, ...], Tree, int]] = []
            for heading, members in _groups(children, grouped):
                parent = branch
                if heading is not None:
                    parent = branch.add(Text(f"{printable(heading)} ({len(members)})", style="dim"))
                added += [
                    (child.children, parent.add(self.label(child.role)), child_level)
                    for child in members
                ]
            stack.extend(reversed(added))
        return top

    def label(self, role: Drawn) -> Text:
        """`ABBR  Full Title`, and a dim note naming any alternative superiors."""
        text = Text(printable(role.abbreviation), style="bold cyan")
        if role.title != role.abbreviation:
            text.append("  ")
            text.append(printable(role.title))
        alternatives = [
            a for a in dict.fromkeys(role.reports_to_alternatives) if a != role.reports_to
        ]
        if alternatives:
            names = ", ".join(self._names(a) for a in alternatives)
            text.append("\n")
            text.append(f"also reports to: {printable(names)}", style="dim")
        return text


def chart_tree(
    catalog: Catalog, roots: Sequence[Node], max_depth: int | None = None, *, whole: bool = False
) -> ChartTree:
    """The reporting tree from `chart.build_tree`, ready for `console.print`."""
    return ChartTree(catalog, roots, max_depth, whole=whole)


def _drawn_depth(roots: Sequence[Node]) -> int:
    """The deepest level the drawn tree reaches, counting the area headings of crowded nodes."""
    deepest = 0
    stack = [(root, 0) for root in roots]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        step = 2 if len(node.children) > GROUP_OVER else 1
        stack.extend((child, level + step) for child in node.children)
    return deepest


class _NameRule:
    """How a note names a superior: the abbreviation where it says which role, else the title."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.counts = Counter(r.abbreviation.casefold() for r in catalog.roles.values())

    def __call__(self, role_id: str) -> str:
        role = self.catalog.role(role_id)
        # The top (the board) reads better by its title, as in the card's reporting line; a shared
        # abbreviation names its dominant meaning only (`whoiswho CIO` shows that one).
        unique = self.counts[role.abbreviation.casefold()] == 1 or role.primary
        return role.abbreviation if unique and role.reports_to is not None else role.title


def _groups(children: Sequence[Node], grouped: bool) -> list[tuple[str | None, list[Node]]]:
    """Children as (area heading, members) in order of first appearance, or one unheaded group."""
    if not grouped:
        return [(None, list(children))]
    areas: dict[str, list[Node]] = {}
    for child in children:
        role = child.role
        assert isinstance(role, Role)  # a terminal tree is built of whole roles
        areas.setdefault(role.area, []).append(child)
    return list(areas.items())


def _extent(children: Sequence[Node]) -> tuple[int, int]:
    """How many levels and how many roles these subtrees hold."""
    levels = roles = 0
    stack = [(0, child) for child in children]
    while stack:
        depth, current = stack.pop()
        levels, roles = max(levels, depth + 1), roles + 1
        stack.extend((depth + 1, child) for child in current.children)
    return levels, roles


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
