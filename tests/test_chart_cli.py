"""`whoiswho chart` through the real CLI: every role, subtrees, Mermaid, DOT, plain when piped."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import invoke


def roles(runner: CliRunner) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(invoke(runner, "list", "--json").stdout)
    return data


def subtree(all_roles: list[dict[str, Any]], root: str) -> set[str]:
    """The ids below `root` by the primary reporting line, computed from list --json."""
    found = {root}
    grew = True
    while grew:
        grew = False
        for role in all_roles:
            if role["reports_to"] in found and role["id"] not in found:
                found.add(role["id"])
                grew = True
    return found


def test_every_role_appears_in_the_chart(runner: CliRunner) -> None:
    """Each role of `list --json` is a node of the drawn tree, with abbreviation and title."""
    result = invoke(runner, "chart")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    lines = result.stdout.splitlines()
    for role in roles(runner):
        label = role["title"] if role["abbreviation"] == role["title"] else role["abbreviation"]
        assert any(label in line and role["title"] in line for line in lines), role["id"]


def test_chart_json_nodes_are_the_catalogue(runner: CliRunner) -> None:
    """chart --json lists every role once, and one primary edge per non-top role."""
    data = json.loads(invoke(runner, "chart", "--json").stdout)
    ids = [r["id"] for r in roles(runner)]
    assert sorted(n["id"] for n in data["nodes"]) == sorted(ids)
    primary = [e for e in data["edges"] if e["kind"] == "primary"]
    assert len(primary) == len(ids) - 1


def test_chart_cfo_shows_only_its_subtree(runner: CliRunner) -> None:
    """`whoiswho chart cfo` holds the CFO and everyone below, and nobody else."""
    all_roles = roles(runner)
    expected = subtree(all_roles, "cfo")
    data = json.loads(invoke(runner, "chart", "cfo", "--format", "json").stdout)
    assert data["root"] == "cfo"
    assert {n["id"] for n in data["nodes"]} == expected
    text = invoke(runner, "chart", "cfo").stdout
    assert text.splitlines()[0].startswith("CFO  Chief Financial Officer")
    assert "Chief Technology Officer" not in text
    assert "Board of Directors" not in text.splitlines()[0]


def test_mermaid_has_every_role(runner: CliRunner) -> None:
    """The Mermaid flowchart declares one node per role and an arrow per reporting line."""
    out = invoke(runner, "chart", "--format", "mermaid").stdout
    assert out.startswith("flowchart TD\n")
    all_roles = roles(runner)
    nodes = [line for line in out.splitlines() if '["' in line]
    assert len(nodes) == len(all_roles)
    assert out.count("-->") == len(all_roles) - 1


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
def test_dot_output_renders_with_graphviz(runner: CliRunner) -> None:
    """The DOT output is valid for the real `dot`, with one node per role."""
    out = invoke(runner, "chart", "--format", "dot").stdout
    svg = subprocess.run(["dot", "-Tsvg"], input=out, capture_output=True, text=True, timeout=60)
    assert svg.returncode == 0, svg.stderr
    assert svg.stdout.count('class="node"') == len(roles(runner))


def test_chart_root_errors(runner: CliRunner) -> None:
    """An unknown root is not found (1); an ambiguous one needs one answer (3)."""
    assert invoke(runner, "chart", "NOSUCH").exit_code == 1
    ambiguous = invoke(runner, "chart", "CSO", "--json")
    assert ambiguous.exit_code == 3
    assert "cso-security" in json.loads(ambiguous.stderr)["candidates"]
