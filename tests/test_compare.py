"""`whoiswho compare A B [C ...]`: columns, shared and unique duties, the curated note."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import invoke


def note_for(raw: dict[str, Any], a: str, b: str) -> str:
    return next(d["note"] for d in raw["differences"] if set(d["roles"]) == {a, b})


def test_compare_cio_cto_human(runner: CliRunner, raw_catalog: dict[str, Any]) -> None:
    """One column per role, each title, and the curated CIO/CTO note."""
    result = invoke(runner, "compare", "CIO", "CTO")
    assert result.exit_code == 0, result.stderr
    flat = " ".join(result.stdout.replace("│", " ").split())
    assert "Chief Information Officer" in flat
    assert "Chief Technology Officer" in flat
    assert "Key difference: CIO vs CTO" in flat
    assert " ".join(note_for(raw_catalog, "cio", "cto").split()) in flat


def test_compare_json_shape(runner: CliRunner, raw_catalog: dict[str, Any]) -> None:
    """The JSON holds both role objects, what only each does, and the key difference."""
    result = invoke(runner, "compare", "CIO", "CTO", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [r["id"] for r in data["roles"]] == ["cio", "cto"]
    assert data["key_difference"] == note_for(raw_catalog, "cio", "cto")
    assert [o["id"] for o in data["only"]] == ["cio", "cto"]
    assert data["shared"]["reports_to"] == "ceo"
    cio = next(r for r in raw_catalog["roles"] if r["id"] == "cio")
    # Every duty of the first role is shared, shared with some, or its own: nothing is lost.
    listed = (
        data["shared"]["responsibilities"]
        + data["only"][0]["responsibilities"]
        + data["partly_shared"][0]["responsibilities"]
    )
    assert sorted(listed) == sorted(cio["responsibilities"])


def test_compare_ceo_coo_has_a_note(runner: CliRunner, raw_catalog: dict[str, Any]) -> None:
    """CEO/COO is a curated pair too."""
    data = json.loads(invoke(runner, "compare", "CEO", "COO", "--json").stdout)
    assert data["key_difference"] == note_for(raw_catalog, "ceo", "coo")


def test_compare_three_roles(runner: CliRunner) -> None:
    """Three roles give three columns; the key difference is only for a pair."""
    data = json.loads(invoke(runner, "compare", "CEO", "COO", "CFO", "--json").stdout)
    assert len(data["roles"]) == 3
    assert data["key_difference"] is None
    assert len(data["notes"]) >= 1


@pytest.mark.parametrize("args", [["CFO"], ["CFO", "cfo"], ["CFO", "Finance Director"]])
def test_compare_usage_errors_exit_2(runner: CliRunner, args: list[str]) -> None:
    """Fewer than two roles, or one role twice, is a usage error."""
    result = invoke(runner, "compare", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "whoiswho:" in result.stderr


def test_compare_no_arguments_is_usage_error(runner: CliRunner) -> None:
    """`whoiswho compare` alone exits 2 with click's usage message."""
    result = runner.invoke(__import__("whoiswho.cli").cli.cli, ["compare"])
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_compare_unknown_role_exits_1(runner: CliRunner) -> None:
    """An unknown role in a comparison is 'not found'."""
    result = invoke(runner, "compare", "CFO", "NOSUCH")
    assert result.exit_code == 1
    assert result.stdout == ""


def test_compare_ambiguous_is_usage_error_listing_candidates(runner: CliRunner) -> None:
    """An ambiguous abbreviation cannot be compared: exit 2 and the candidates named."""
    result = invoke(runner, "compare", "CSO", "CFO")
    assert result.exit_code == 2
    assert "cso-security" in result.stderr
    assert "cso-strategy" in result.stderr


def test_duties_shared_by_some_are_not_lost(runner: CliRunner, tmp_path: Path) -> None:
    """With three roles, a duty two of them share is listed as shared with some, not dropped."""

    def role(role_id: str, duties: list[str]) -> dict[str, Any]:
        return {"id": role_id, "abbreviation": role_id.upper(), "title": f"Head of {role_id}",
                "area": "x", "summary": "A test role.", "responsibilities": duties,
                "reports_to": "ceo"}  # fmt: skip

    common = "Approve the yearly capital budget plan"
    path = tmp_path / "three.json"
    path.write_text(json.dumps({"roles": [
        role("aaa", [common, "Audit the warehouse stock counts"]),
        role("bbb", [common, "Negotiate supplier freight contracts"]),
        role("ccc", ["Design the brand colour palette", "Audit the warehouse stock counts"]),
    ]}), encoding="utf-8")  # fmt: skip
    data = json.loads(
        invoke(runner, "--catalog", str(path), "compare", "aaa", "bbb", "ccc", "--json").stdout
    )
    partly = {p["id"]: p["responsibilities"] for p in data["partly_shared"]}
    only = {o["id"]: o["responsibilities"] for o in data["only"]}
    assert partly == {
        "aaa": [common, "Audit the warehouse stock counts"],
        "bbb": [common],
        "ccc": ["Audit the warehouse stock counts"],
    }
    assert only == {"aaa": [], "bbb": ["Negotiate supplier freight contracts"],
                    "ccc": ["Design the brand colour palette"]}  # fmt: skip
    assert data["shared"]["responsibilities"] == []
    human = " ".join(
        invoke(runner, "--catalog", str(path), "compare", "aaa", "bbb", "ccc").stdout.split()
    )
    assert "Shared with some" in human


def test_relations_name_the_reporting_link(runner: CliRunner) -> None:
    """compare CFO controller says the controller reports to the CFO, in JSON and in words,
    before anything else in the human view."""
    data = json.loads(invoke(runner, "compare", "CFO", "controller", "--json").stdout)
    assert {"from": "controller", "to": "cfo", "kind": "reports_to"} in data["relations"]
    human = invoke(runner, "compare", "CFO", "controller").stdout
    assert human.splitlines()[0] == "Controller reports to CFO."


def test_same_superior_and_alternative_line(runner: CliRunner) -> None:
    """CIO and CTO share a superior, and the CTO may report to the CIO."""
    data = json.loads(invoke(runner, "compare", "CIO", "CTO", "--json").stdout)
    assert data["relations"] == [
        {"from": "cto", "to": "cio", "kind": "may_report_to"},
        {"from": "cio", "to": "cto", "kind": "same_superior"},
    ]


def test_key_difference_comes_before_the_table(runner: CliRunner) -> None:
    """The curated note is printed above the facet table, not after it."""
    out = invoke(runner, "compare", "CIO", "CTO").stdout
    assert out.index("Key difference: CIO vs CTO") < out.index("Title")


def test_facets_set_like_beside_like(runner: CliRunner, raw_catalog: dict[str, Any]) -> None:
    """Every duty appears once, under its own facet, in its own role's column."""
    data = json.loads(invoke(runner, "compare", "CHRO", "cpo-people", "--json").stdout)
    for role_id in ("chro", "cpo-people"):
        entry = next(r for r in raw_catalog["roles"] if r["id"] == role_id)
        placed = {
            duty: facet for facet, by_role in data["facets"].items() for duty in by_role[role_id]
        }
        assert placed == dict(zip(entry["responsibilities"], entry["facets"], strict=True))
    # Both roles' people duties sit in one row, side by side.
    assert data["facets"]["people"]["chro"]
    assert data["facets"]["people"]["cpo-people"]
