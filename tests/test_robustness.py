"""Never a traceback, never a lie: hostile queries and catalogues, pipes, terminals, encodings."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whoiswho.cli import cli

DOCUMENTED = {0, 1, 2, 3}
HOSTILE_QUERIES = [
    "",
    "   ",
    "\t\n",
    "...",
    "-.-",
    "--",
    "x" * 1_000_000,
    "\x00\x01\x02",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\u202eevil\u202c",
    "e\u0301\u0301\u0301",
    "مدير تنفيذي",
    "👩‍💼",
    "[bold]x[/]",
    "[/]",
    ":cd:",
    "$(rm -rf /)",
    "`reboot`",
    "../../etc/passwd",
    "list",
    "compare",
    "CFO\nCTO",
]


def run(runner: CliRunner, args: list[str], stdin: str | None = None) -> Any:
    result = runner.invoke(cli, args, input=stdin)
    # catch_exceptions=True: any exception other than SystemExit is a failure we report.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in DOCUMENTED
    assert "Traceback" not in result.stderr
    return result


def check_json(result: Any) -> None:
    """Under --json: stdout parses on success; on failure stdout is empty and stderr is JSON."""
    if result.exit_code == 0:
        json.loads(result.stdout)
    else:
        assert result.stdout.strip() in ("", "[]")
        if result.stderr:
            json.loads(result.stderr)


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_hostile_queries(runner: CliRunner, query: str) -> None:
    """Each hostile query gets a documented status, no traceback, valid JSON, no raw escapes."""
    # `--` first: the query is always a query, even when it looks like an option.
    for human in (run(runner, ["show", "--", query]), run(runner, [query])):
        assert "\x1b" not in human.stdout + human.stderr
        assert "\x07" not in human.stderr
    check_json(run(runner, ["show", "--json", "--", query]))
    check_json(run(runner, ["compare", "--json", "--", query, "CFO"]))
    check_json(run(runner, ["search", "--json", "--", query]))
    run(runner, ["search", "--", query])


def test_long_query_message_is_short(runner: CliRunner) -> None:
    """A 1 MB query is not echoed back whole to the terminal."""
    result = run(runner, ["show", "x" * 1_000_000])
    assert result.exit_code == 1
    assert len(result.stderr) < 1_000


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=st.text(max_size=60))
def test_any_query(query: str) -> None:
    """For any query string: documented status, no traceback, parseable JSON."""
    runner = CliRunner()
    run(runner, ["show", "--", query])
    single = run(runner, ["show", "--json", "--", query])
    if query == "-":  # batch mode: no stdin lines, no output lines
        assert (single.exit_code, single.stdout) == (0, "")
    else:
        check_json(single)
    check_json(run(runner, ["search", "--json", "--", query]))
    check_json(run(runner, ["compare", "--json", "--", query, "COO"]))
    batch = run(runner, ["show", "-", "--jsonl"], stdin=query)
    for line in batch.stdout.splitlines():
        json.loads(line)


# --- catalogues built from arbitrary text ---------------------------------------------------

NASTY = "\x1b[31m\x07\x9b[bold]:cd:\u202e"


def catalogue(texts: list[str], depth_first: bool = False) -> dict[str, Any]:
    """A valid-shaped catalogue whose every string carries the given text."""
    roles = []
    for i, text in enumerate(texts):
        parent = None if i == 0 else (f"r{i - 1}" if depth_first else f"r{(i - 1) // 3}")
        roles.append(
            {
                "id": f"r{i}",
                "abbreviation": f"A{i}{text}",
                "title": f"T{i} {text}",
                "area": text or "area",
                "summary": f"Summary {text}",
                "responsibilities": [f"Duty {text}", "Plan budgets", f"{text} risk", "Lead"],
                "reports_to": parent,
                "other_names": [f"N{i} {text}"],
                "sources": [{"title": f"Source {text}", "url": f"https://example.org/{text}"}],
            }
        )
    return {"version": "2026.01.01", "roles": roles, "differences": []}


def every_view(runner: CliRunner, path: str, role_id: str) -> list[tuple[list[str], Any]]:
    """(arguments, result) of every view of one role: human views first, then JSON ones."""
    base = ["--no-bundled", "--catalog", path]
    results = []
    for args in (
        [role_id],
        ["list", "--color", "always"],
        ["compare", role_id, "r0"],
        ["search", "budgets"],
        ["chart"],
        ["chart", "--format", "mermaid"],
        ["chart", "--format", "dot"],
    ):
        results.append((args, run(runner, base + args)))
    for args in ([role_id, "--json"], ["list", "--json"], ["compare", role_id, "r0", "--json"],
                 ["search", "budgets", "--json"], ["chart", "--json"]):  # fmt: skip
        result = run(runner, base + args)
        check_json(result)
        results.append((args, result))
    return results


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(st.text(max_size=20), min_size=2, max_size=6))
def test_any_catalogue_text(tmp_path: Path, texts: list[str]) -> None:
    """A catalogue of arbitrary text: documented statuses, JSON parses, no escape byte in views."""
    path = tmp_path / "any.json"
    path.write_text(json.dumps(catalogue(texts)), encoding="utf-8")
    runner = CliRunner()
    for args, result in every_view(runner, str(path), "r1"):
        assert result.exit_code in (0, 1, 2, 3), (args, result.stderr)
        # --color always adds rich's own SGR codes; any other ESC or BEL came from the data.
        shown = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
        assert "\x1b" not in shown, args
        assert "\x07" not in shown, args


def test_no_escape_from_data_reaches_any_human_view(runner: CliRunner, tmp_path: Path) -> None:
    """Escapes, BEL, CSI, markup and emoji codes in data are shown literally, never sent."""
    path = tmp_path / "nasty.json"
    path.write_text(json.dumps(catalogue([NASTY] * 5)), encoding="utf-8")
    base = ["--no-bundled", "--catalog", str(path)]
    views = [["r1"], ["list"], ["compare", "r1", "r0"], ["search", "budgets"], ["chart"]]
    for args in views:
        result = run(runner, base + args)
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout
        assert "\x07" not in result.stdout
        assert "\x9b" not in result.stdout
        assert "\\x1b[31m" in result.stdout  # shown, escaped
        assert "[bold]:cd:" in result.stdout  # not markup, not an emoji
    coloured = run(runner, [*base, "r1", "--color", "always"]).stdout
    assert "\x1b[31m" not in coloured
    assert "\x07" not in coloured


def test_deep_chain_of_1000_levels(runner: CliRunner, tmp_path: Path) -> None:
    """A 1,000-level chain loads, shows, charts and serialises without recursion errors."""
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(catalogue([f"x{i}" for i in range(1000)], depth_first=True)))
    base = ["--no-bundled", "--catalog", str(path)]
    data = json.loads(run(runner, [*base, "r999", "--json"]).stdout)
    assert len(data["reporting_line"]) == 1000
    assert run(runner, [*base, "r999"]).exit_code == 0
    assert run(runner, [*base, "chart"]).exit_code == 0
    assert run(runner, [*base, "chart", "--format", "dot"]).stdout.count("->") == 999


def test_cycle_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    """A reporting cycle in a user file: exit 2, the cycle spelled out."""
    data = catalogue(["a", "b", "c"])
    data["roles"][0]["reports_to"] = "r2"
    path = tmp_path / "cycle.json"
    path.write_text(json.dumps(data))
    result = run(runner, ["--no-bundled", "--catalog", str(path), "list"])
    assert result.exit_code == 2
    assert "reporting cycle: r0 -> r2 -> r0" in result.stderr


@pytest.mark.slow
def test_fifty_thousand_roles(runner: CliRunner, tmp_path: Path) -> None:
    """50,000 entries load and answer a lookup, a search and a list."""
    path = tmp_path / "big.json"
    path.write_text(json.dumps(catalogue([f"w{i}" for i in range(50_000)])))
    base = ["--no-bundled", "--catalog", str(path)]
    assert json.loads(run(runner, [*base, "r49999", "--json"]).stdout)["id"] == "r49999"
    assert run(runner, [*base, "search", "w777", "--json"]).exit_code == 0
    assert len(run(runner, [*base, "list"]).stdout.splitlines()) == 50_000


# --- the installed command in real environments ----------------------------------------------

ENVIRONMENTS: dict[str, dict[str, str | None]] = {
    "plain": {},
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "c-locale": {"LC_ALL": "C", "LANG": "C"},
    "no-color": {"NO_COLOR": "1"},
    "force-color": {"FORCE_COLOR": "1"},
    "dumb": {"TERM": "dumb"},
    "narrow": {"COLUMNS": "20"},
    "wide": {"COLUMNS": "500"},
    "no-home": {"HOME": None},
}
COMMANDS = [
    "whoiswho CFO",
    "whoiswho 首席财务官 --json",
    "whoiswho compare CIO CTO",
    "whoiswho CSO",
    "whoiswho list",
    "whoiswho search budget",
    "whoiswho chart",
    "whoiswho NOSUCH",
]


@pytest.mark.slow
@pytest.mark.subprocess
@pytest.mark.parametrize("env_name", list(ENVIRONMENTS))
def test_environment_matrix(installed: Path, tmp_path: Path, env_name: str) -> None:
    """Every command in every environment: documented status, no traceback, output to a file too."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    for key, value in ENVIRONMENTS[env_name].items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    env["PATH"] = f"{installed.parent}{os.pathsep}{env['PATH']}"
    for command in COMMANDS:
        out = tmp_path / "out.txt"
        result = subprocess.run(
            ["bash", "-c", f"{command} > {out}"], env=env, capture_output=True, timeout=60
        )
        assert result.returncode in DOCUMENTED, (command, result.stderr)
        assert b"Traceback" not in result.stderr, (command, result.stderr)
        assert b"Error" not in result.stderr or b"no role" in result.stderr
        text = out.read_bytes()
        if env_name in ("plain", "no-color", "dumb", "ascii", "c-locale", "narrow", "wide"):
            assert b"\x1b" not in text, command
        if env_name == "ascii":
            text.decode("ascii")  # every byte ASCII: replaced, never a UnicodeEncodeError


@pytest.mark.subprocess
@pytest.mark.parametrize(
    "command",
    ["whoiswho list --json | head -c 10", "whoiswho chart | head -1", "whoiswho list | head -1",
     "whoiswho CFO | head -1", "yes CFO | head -50000 | whoiswho show - --jsonl | head -1"],
)  # fmt: skip
def test_reader_closing_early_is_quiet(installed: Path, command: str) -> None:
    """`| head` closing the pipe: no traceback, no 'Exception ignored' noise on stderr."""
    env = {**os.environ, "PATH": f"{installed.parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", "-c", command], env=env, capture_output=True, timeout=60)
    assert result.stderr == b""
    assert result.stdout


@pytest.mark.subprocess
def test_read_only_filesystem_and_cwd(installed: Path, tmp_path: Path) -> None:
    """Nothing is written: runs from a read-only folder with a read-only config home."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    env = {**os.environ, "XDG_CONFIG_HOME": str(locked), "HOME": str(locked)}
    try:
        result = subprocess.run(
            [str(installed), "CFO", "--json"], cwd=locked, env=env, capture_output=True, timeout=30
        )
    finally:
        locked.chmod(0o755)
    assert result.returncode == 0
    assert json.loads(result.stdout)["id"] == "cfo"
    assert list(locked.iterdir()) == []
