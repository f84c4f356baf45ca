"""`whoiswho list`: every role, as a table, plain lines when piped, or JSON."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from tests.conftest import invoke


def test_list_json_has_every_role(runner: CliRunner, raw_catalog: dict[str, Any]) -> None:
    """An array of role objects, one per catalogue entry, in catalogue order."""
    result = invoke(runner, "list", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [r["id"] for r in data] == [r["id"] for r in raw_catalog["roles"]]
    assert all("reporting_line" in r for r in data)


def test_list_piped_is_one_record_per_line(runner: CliRunner, raw_catalog: dict[str, Any]) -> None:
    """Piped (CliRunner is not a terminal): id, abbreviation and title, tab-separated."""
    result = invoke(runner, "list")
    lines = result.stdout.splitlines()
    assert len(lines) == len(raw_catalog["roles"])
    first = raw_catalog["roles"][0]
    assert lines[0] == f"{first['id']}\t{first['abbreviation']}\t{first['title']}"
    assert "\x1b" not in result.stdout
