"""`whoiswho list`: every role, as a table, plain lines when piped, or JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import ROLES_JSON, invoke


def test_list_json_has_every_role(runner: CliRunner, raw_catalog: dict[str, Any]) -> None:
    """An array of role objects, one per catalogue entry (here in catalogue order)."""
    result = invoke(runner, "list", "--sort", "catalogue", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [r["id"] for r in data] == [r["id"] for r in raw_catalog["roles"]]
    assert all("reporting_line" in r for r in data)


def test_list_piped_is_one_record_per_line(runner: CliRunner, raw_catalog: dict[str, Any]) -> None:
    """Piped (CliRunner is not a terminal): id, abbreviation and title, tab-separated."""
    result = invoke(runner, "list", "--sort", "catalogue")
    lines = result.stdout.splitlines()
    assert len(lines) == len(raw_catalog["roles"])
    first = raw_catalog["roles"][0]
    assert lines[0] == f"{first['id']}\t{first['abbreviation']}\t{first['title']}"
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize("order", ["title", "id", "area", "catalogue"])
def test_sort_orders_are_what_they_say(runner: CliRunner, order: str) -> None:
    """--sort title/id: alphabetical; area: by area, then fewer superiors above first;
    catalogue: the files' own order. Every role once, whatever the order."""
    data = json.loads(invoke(runner, "list", "--sort", order, "--json").stdout)
    catalogue = json.loads(invoke(runner, "list", "--sort", "catalogue", "--json").stdout)
    assert sorted(r["id"] for r in data) == sorted(r["id"] for r in catalogue)
    if order == "title":
        titles = [r["title"].casefold() for r in data]
        assert titles == sorted(titles)
    elif order == "id":
        assert [r["id"] for r in data] == sorted(r["id"] for r in data)
    elif order == "area":
        keys = [(r["area"], len(r["reporting_line"])) for r in data]
        assert keys == sorted(keys)
    else:
        raw = json.loads(ROLES_JSON.read_text(encoding="utf-8"))["roles"]
        assert [r["id"] for r in data] == [r["id"] for r in raw]


def test_default_order_is_by_area(runner: CliRunner) -> None:
    """Without --sort the list is by area and seniority (documented in --help)."""
    default = invoke(runner, "list", "--json").stdout
    assert default == invoke(runner, "list", "--sort", "area", "--json").stdout
    assert "by area, then seniority" in " ".join(invoke(runner, "list", "--help").stdout.split())
