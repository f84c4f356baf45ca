"""The org chart: the reporting tree, its Mermaid / DOT / dict forms and the rich tree view."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from tests.conftest import bundled_catalog
from whoiswho import catalog as catalog_mod
from whoiswho.chart import alternative_edges, build_tree, walk
from whoiswho.errors import UnknownRoleError
from whoiswho.model import Catalog
from whoiswho.render_chart import to_dict, to_dot, to_mermaid
from whoiswho.render_tree import chart_tree

DOT = shutil.which("dot")
needs_dot = pytest.mark.skipif(DOT is None, reason="Graphviz `dot` is not installed")

HOSTILE = [
    'Say "hi"',
    "a]b[c",
    "[bold]x[/bold]",
    "\x1b[31mred",
    "line1\nline2",
    "a --> b",
    "}{",
    "x;y#z",
    "<b>&amp;</b>",
    "`md`",
    "style:#fff;",
    "back\\slash\\",
    "😀 é 首席",
    "\u2028sep\u202e",
    "\ud800lone",
]
# A Mermaid node line: `n<k>["label"]`, the label only safe characters and `#<code>;` entities.
MERMAID_NODE = re.compile(r'^    (n\d+)\["((?:[A-Za-z0-9 .,\-_()/\'+]|#\d+;)*)"\]$')
MERMAID_EDGE = re.compile(r"^    (n\d+) (-->|-\.->) (n\d+)$")


def role(role_id: str, boss: str | None, **extra: Any) -> dict[str, Any]:
    """A minimal valid catalogue entry."""
    entry: dict[str, Any] = {
        "id": role_id,
        "abbreviation": role_id.upper(),
        "title": f"Title of {role_id}",
        "area": "general",
        "summary": "s",
        "responsibilities": ["r"],
        "reports_to": boss,
    }
    entry.update(extra)
    return entry


def make(roles: list[dict[str, Any]]) -> Catalog:
    layer = catalog_mod.parse_layer(json.dumps({"roles": roles}), "test.json")
    return catalog_mod.build([layer])


def render(catalog: Catalog, root: str | None = None, *, width: int = 80, **kw: Any) -> str:
    """The rich tree as printed to a plain (colourless) console of the given width."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, **kw)
    console.print(chart_tree(catalog, build_tree(catalog, root)))
    return buffer.getvalue()


def chain(n: int) -> Catalog:
    return make([role("r0", None)] + [role(f"r{i}", f"r{i - 1}") for i in range(1, n)])


def mermaid_parts(text: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Parse our Mermaid output line by line; any other line fails the test."""
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    nodes: dict[str, str] = {}
    edges = []
    for line in lines[1:]:
        if m := MERMAID_NODE.match(line):
            nodes[m[1]] = m[2]
        elif m := MERMAID_EDGE.match(line):
            assert m[1] in nodes, line
            assert m[3] in nodes, line
            edges.append((m[1], m[2], m[3]))
        else:
            pytest.fail(f"not a well-formed Mermaid line: {line!r}")
    return nodes, edges


def dot_svg(text: str) -> str:
    """Run Graphviz on DOT text; it must succeed."""
    assert DOT is not None
    done = subprocess.run(
        [DOT, "-Tsvg"], input=text.encode("utf-8"), capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"syntax error" not in done.stderr
    return done.stdout.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return bundled_catalog()


def tree_lines(out: str) -> list[str]:
    """The rendered tree's lines without the guide characters in front."""
    return [line.lstrip("│├└─ ") for line in out.splitlines()]


def test_every_bundled_role_in_tree_text(bundled: Catalog) -> None:
    """The rich tree at 80 columns shows every bundled role (a long label wraps onto the next
    line), and no line is wider."""
    out = render(bundled)
    flat = " ".join(" ".join(tree_lines(out)).split())
    for r in bundled.roles.values():
        label = r.title if r.abbreviation == r.title else f"{r.abbreviation} {r.title}"
        assert " ".join(label.split()) in flat, label
    assert max(len(line) for line in out.splitlines()) <= 80


def test_every_bundled_role_in_mermaid_dot_and_dict(bundled: Catalog) -> None:
    """Mermaid, DOT and the dict each hold one node per bundled role."""
    nodes, edges = mermaid_parts(to_mermaid(bundled))
    assert len(nodes) == len(bundled.roles)
    assert sum(1 for e in edges if e[1] == "-->") == len(bundled.roles) - 1
    dot = to_dot(bundled)
    for r in bundled.roles.values():
        assert f'    "{r.id}" [label=' in dot
    data = to_dict(bundled)
    assert [n["id"] for n in data["nodes"]] == [n.role.id for _, n in walk(build_tree(bundled))]
    assert sorted(n["id"] for n in data["nodes"]) == sorted(bundled.roles)


@needs_dot
def test_bundled_dot_renders(bundled: Catalog) -> None:
    """Graphviz draws the bundled chart with one SVG node per role."""
    svg = dot_svg(to_dot(bundled))
    assert svg.count('class="node"') == len(bundled.roles)


def test_root_gives_only_its_subtree(bundled: Catalog) -> None:
    """`build_tree(catalog, "cfo")` holds the CFO and exactly the roles whose line runs via it."""
    roots = build_tree(bundled, "cfo")
    assert [n.role.id for n in roots] == ["cfo"]
    shown = {node.role.id for _, node in walk(roots)}
    below = {
        r.id for r in bundled.roles.values() if bundled.role("cfo") in bundled.reporting_line(r)
    }
    assert shown == below
    assert "ceo" not in shown
    assert to_dict(bundled, "cfo")["root"] == "cfo"


def test_children_in_catalogue_order() -> None:
    """Direct reports come in catalogue order, not alphabetically."""
    cat = make([role("top", None), role("zed", "top"), role("alpha", "top"), role("mid", "top")])
    [top] = build_tree(cat)
    assert [c.role.id for c in top.children] == ["zed", "alpha", "mid"]


def test_unknown_root_raises() -> None:
    """A root that is not a role id raises UnknownRoleError, not KeyError."""
    with pytest.raises(UnknownRoleError):
        build_tree(make([role("top", None)]), "cfo")


def test_alternatives_are_dashed_edges_not_copies() -> None:
    """An alternative superior is a dashed edge / note; the subordinate appears once everywhere."""
    cat = make(
        [role("top", None), role("a", "top"), role("b", "a", reports_to_alternatives=["top"])]
    )
    assert alternative_edges(cat, {"top", "a", "b"}) == [("b", "top")]
    assert sum(1 for _, n in walk(build_tree(cat)) if n.role.id == "b") == 1
    nodes, edges = mermaid_parts(to_mermaid(cat))
    assert len(nodes) == 3
    assert ("n0", "-.->", "n2") in edges
    assert '"top" -> "b" [style=dashed, constraint=false];' in to_dot(cat)
    data = to_dict(cat)
    assert len(data["nodes"]) == 3
    assert {"from": "top", "to": "b", "kind": "alternative"} in data["edges"]
    out = render(cat)
    assert out.count("B  Title of b") == 1
    assert "also reports to: Title of top" in out


def test_alternative_outside_subtree_is_left_out() -> None:
    """Alternative edges need both ends shown: a subtree drops those reaching outside it."""
    cat = make(
        [role("top", None), role("a", "top"), role("b", "a", reports_to_alternatives=["top"])]
    )
    assert alternative_edges(cat, {"a", "b"}) == []
    assert [e["kind"] for e in to_dict(cat, "a")["edges"]] == ["primary"]


def test_dict_shape() -> None:
    """to_dict gives the documented shape: nodes depth first, primary edges then alternatives."""
    cat = make(
        [
            role("top", None),
            role("a", "top"),
            role("b", "top", reports_to_alternatives=["a"]),
            role("a1", "a"),
        ]
    )
    assert to_dict(cat) == {
        "schema_version": 1,
        "root": None,
        "nodes": [
            {"id": "top", "abbreviation": "TOP", "title": "Title of top", "reports_to": None},
            {"id": "a", "abbreviation": "A", "title": "Title of a", "reports_to": "top"},
            {"id": "a1", "abbreviation": "A1", "title": "Title of a1", "reports_to": "a"},
            {"id": "b", "abbreviation": "B", "title": "Title of b", "reports_to": "top"},
        ],
        "edges": [
            {"from": "top", "to": "a", "kind": "primary"},
            {"from": "top", "to": "b", "kind": "primary"},
            {"from": "a", "to": "a1", "kind": "primary"},
            {"from": "a", "to": "b", "kind": "alternative"},
        ],
    }


def test_note_names_superiors_unambiguously() -> None:
    """The note names a superior by an abbreviation only where it means that role, else by title."""
    cat = make(
        [
            role("board", None, abbreviation="BoD", title="Board"),
            role("x1", "board", abbreviation="X", title="Ex One", primary=True, meaning_rank=1),
            role("x2", "board", abbreviation="X", title="Ex Two", meaning_rank=2),
            role("u", "board"),
            role("sub", "u", reports_to_alternatives=["board", "x1", "x2", "u", "x1"]),
        ]
    )
    assert "also reports to: Board, X, Ex Two\n" in render(cat)


def test_many_children_grouped_by_area() -> None:
    """More than six direct reports are grouped under `area (n)` headings, catalogue order kept."""
    areas = ["finance", "legal", "finance", "people", "finance", "legal", "people"]
    cat = make([role("top", None)] + [role(f"r{i}", "top", area=a) for i, a in enumerate(areas)])
    assert tree_lines(render(cat))[1:] == [
        "finance (3)", "R0  Title of r0", "R2  Title of r2", "R4  Title of r4",
        "legal (2)", "R1  Title of r1", "R5  Title of r5",
        "people (2)", "R3  Title of r3", "R6  Title of r6",
    ]  # fmt: skip
    few = make(
        [role("top", None)] + [role(f"r{i}", "top", area=a) for i, a in enumerate(areas[:6])]
    )
    assert "finance (" not in render(few)


def hostile_catalog() -> Catalog:
    roles = [role("top", None, abbreviation='T"', title="Top <&>")]
    for i, text in enumerate(HOSTILE):
        # Ids must be lowercase words (the loader refuses `h0"\\`): the hostility is in the text.
        alternatives = [f"h{i - 1}"] if i else []
        roles.append(
            role(f"h{i}", "top", abbreviation=f"H{i}", title=text, area=text,
                 reports_to_alternatives=alternatives)
        )  # fmt: skip
    return make(roles)


@needs_dot
def test_hostile_text_gives_valid_dot() -> None:
    """Quotes, brackets, escapes, newlines and `-->` in the data still give DOT Graphviz draws."""
    cat = hostile_catalog()
    svg = dot_svg(to_dot(cat))
    assert svg.count('class="node"') == len(cat.roles)
    assert svg.count('class="edge"') == 2 * len(HOSTILE) - 1


def test_hostile_text_gives_valid_mermaid() -> None:
    """Hostile titles give well-formed Mermaid: labels hold no raw quote, bracket or `<`."""
    text = to_mermaid(hostile_catalog())
    nodes, edges = mermaid_parts(text)
    assert len(nodes) == len(HOSTILE) + 1
    assert len(edges) == 2 * len(HOSTILE) - 1
    assert text.isascii()
    assert "#34;hi#34;" in nodes["n1"]


def test_hostile_text_is_not_markup_in_tree() -> None:
    """Markup and escape codes in the data print literally on a colour terminal, never as styles."""
    out = render(hostile_catalog(), force_terminal=True, color_system="truecolor")
    assert "[bold]x[/bold]" in out
    assert "\\x1b[31mred" in out
    assert "\x1b[31m" not in out
    assert "\\ud800lone" in out
    assert "\\x0aline2" in out


def test_deep_chain() -> None:
    """A 1,000-level chain builds, exports and renders, the tree cut with a `more levels` line."""
    cat = chain(1000)
    roots = build_tree(cat)
    assert max(depth for depth, _ in walk(roots)) == 999
    assert len(to_dict(cat)["nodes"]) == 1000
    assert len(mermaid_parts(to_mermaid(cat))[0]) == 1000
    assert to_dot(cat).count(" -> ") == 999
    out = render(cat)
    assert out.rstrip().endswith("… 988 more levels (988 roles)")
    assert "R11  Title of r11" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_deep_chain_uncut_when_wide() -> None:
    """Given the width, all 1,000 levels of a chain print (rich's tree does not recurse)."""
    out = render(chain(1000), width=4100)
    assert "R999  Title of r999" in out
    assert "more level" not in out


def test_flat_catalogue() -> None:
    """5,000 direct reports of one role render grouped by area and export in full."""
    cat = make(
        [role("top", None)] + [role(f"r{i}", "top", area=f"area{i % 7}") for i in range(4999)]
    )
    out = render(cat)
    assert "area0 (715)" in out
    assert "area6 (714)" in out
    assert "R4998  Title of r4998" in out
    assert len(to_dict(cat)["nodes"]) == 5000
    assert len(mermaid_parts(to_mermaid(cat))[0]) == 5000


texts = st.text(
    st.one_of(st.characters(), st.sampled_from('"\\[]{}<>&#;`\n\x1b\ud800\u2028')), min_size=1
)


@needs_dot
@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(texts, texts, texts), min_size=2, max_size=4))
def test_any_text_gives_valid_dot_and_mermaid(names: list[tuple[str, str, str]]) -> None:
    """For any abbreviations, titles and areas, Graphviz draws the DOT and no Mermaid label holds
    a raw quote."""
    # Ids must be lowercase words (the loader refuses anything else); the numbered prefixes keep
    # every name distinct and non-blank; the rest of each abbreviation, title and area is
    # arbitrary text, the first text of each triple included.
    ids = [f"r{i}" for i in range(len(names))]
    roles = [
        role(
            ids[i],
            None if i == 0 else ids[0],
            abbreviation=f"a{i}:{abbreviation}",
            title=f"t{i}:{title}",
            area=f"area {other} {title}",
            reports_to_alternatives=[ids[1]] if i > 1 else [],
        )
        for i, (other, abbreviation, title) in enumerate(names)
    ]
    cat = make(roles)
    svg = dot_svg(to_dot(cat))
    assert svg.count('class="node"') == len(roles)
    assert svg.count('class="edge"') == 2 * len(roles) - 3
    nodes, _ = mermaid_parts(to_mermaid(cat))
    assert len(nodes) == len(roles)
    assert all('"' not in label for label in nodes.values())
