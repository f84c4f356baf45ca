"""The installed `whoiswho`, run as a user's shell runs it: real processes, real pipes."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest

pytestmark = pytest.mark.subprocess


def test_json_title_through_jq(shell: Any) -> None:
    """`whoiswho cfo --json | jq -r .title` prints the full title."""
    result = shell("whoiswho cfo --json | jq -r .title")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Chief Financial Officer\n"


def test_human_view_through_cat_has_no_escapes(shell: Any) -> None:
    """`whoiswho CFO | cat`: the card, and no ANSI escape codes."""
    result = shell("whoiswho CFO | cat")
    assert result.returncode == 0
    assert "Chief Financial Officer" in result.stdout
    assert "\x1b" not in result.stdout


def test_not_found_writes_only_stderr(shell: Any) -> None:
    """`whoiswho NOSUCH`: exit 1, empty stdout, a message on stderr."""
    result = shell("whoiswho NOSUCH")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "no role matches" in result.stderr


def test_compare_and_list_json(shell: Any) -> None:
    """compare --json and list --json parse, from outside the checkout."""
    compare = shell("whoiswho compare CIO CTO --json")
    assert [r["id"] for r in json.loads(compare.stdout)["roles"]] == ["cio", "cto"]
    listed = shell("whoiswho list --json | jq length")
    assert int(listed.stdout) >= 8


def test_list_into_head_exits_quietly(shell: Any) -> None:
    """A reader that closes early gets no traceback and no 'Exception ignored' noise."""
    result = shell("whoiswho list | head -1", env={"COLUMNS": "80"})
    assert result.stdout.count("\n") == 1
    assert result.stderr == ""


def test_python_dash_m(shell: Any) -> None:
    """`python -m whoiswho` is the same program."""
    result = shell(f"{sys.executable} -m whoiswho CFO --json")
    assert json.loads(result.stdout)["id"] == "cfo"


def test_piped_json_is_one_compact_line(shell: Any) -> None:
    """Piped JSON is one compact line (the terminal case: test_json_contract's pty test)."""
    result = shell("whoiswho CFO --json")
    assert result.stdout.count("\n") == 1
