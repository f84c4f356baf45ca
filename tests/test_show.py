"""`whoiswho QUERY` / `whoiswho show QUERY`: lookup, the human card, JSON, not found."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, invoke
from whoiswho import RESERVED
from whoiswho.cli import cli

# The documented contract: the keys schemas/whoiswho.schema.json requires of a role.
ROLE_KEYS = set(
    json.loads((ROOT / "schemas" / "whoiswho.schema.json").read_text(encoding="utf-8"))["$defs"][
        "role"
    ]["required"]
)


@pytest.mark.parametrize(
    "query",
    [
        "CFO",
        "cfo",
        "C.F.O.",
        "c-f-o",
        " cfo ",
        "chief financial officer",
        "Financial Director",
        "Finance Director",
        "首席财务官",
        "CHIEF-FINANCIAL-OFFICER",
    ],
)
def test_query_forms_resolve_to_cfo(runner: CliRunner, query: str) -> None:
    """Abbreviation, id, title, other names and the Chinese name all find the CFO, in any case."""
    result = invoke(runner, query, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "cfo"
    assert result.stderr == ""


def test_bare_and_show_forms_print_the_same(runner: CliRunner) -> None:
    """`whoiswho CFO` is exactly `whoiswho show CFO`."""
    assert invoke(runner, "CFO").stdout == invoke(runner, "show", "CFO").stdout
    assert invoke(runner, "CFO", "--json").stdout == invoke(runner, "show", "CFO", "--json").stdout


def test_json_object_matches_the_catalogue(runner: CliRunner, raw_catalog: dict[str, Any]) -> None:
    """The lookup object carries the catalogue's own fields and the computed reporting line."""
    data = json.loads(invoke(runner, "cfo", "--json").stdout)
    entry = next(r for r in raw_catalog["roles"] if r["id"] == "cfo")
    assert set(data) == ROLE_KEYS
    for key in ("abbreviation", "title", "summary", "responsibilities", "reports_to", "zh"):
        assert data[key] == entry[key]
    assert data["other_names"] == entry["other_names"]
    assert data["reporting_line"] == ["cfo", "ceo", "board"]
    assert data["origin"] == "bundled"
    assert data["schema_version"] == 1


def test_board_is_the_top(runner: CliRunner) -> None:
    """The Board of Directors reports to nobody: reports_to is null and the line is itself."""
    data = json.loads(invoke(runner, "Board of Directors", "--json").stdout)
    assert data["reports_to"] is None
    assert data["reporting_line"] == ["board"]


def test_human_card_shows_everything(runner: CliRunner, raw_catalog: dict[str, Any]) -> None:
    """The card has the title, summary, every duty, the chain up to the board and other names."""
    result = invoke(runner, "CFO")
    assert result.exit_code == 0
    entry = next(r for r in raw_catalog["roles"] if r["id"] == "cfo")
    flat = " ".join(result.stdout.replace("│", " ").split())
    assert result.stdout.startswith("╭─ CFO ─")
    assert "Chief Financial Officer 首席财务官" in flat
    assert "CFO → CEO → Board of Directors" in flat
    assert " ".join(entry["summary"].split()) in flat
    for duty in entry["responsibilities"]:
        assert duty in flat
    for name in entry["other_names"]:
        assert name in flat
    assert "首席财务官" in flat
    assert result.stderr == ""


def test_primary_meaning_lists_the_others(runner: CliRunner) -> None:
    """A dominant meaning answers, and the card says what else the abbreviation means."""
    out = invoke(runner, "CIO").stdout
    flat = " ".join(out.replace("│", " ").split())
    assert out.startswith("╭─ CIO ─")
    assert "Chief Information Officer" in flat
    assert "CIO can also mean: Chief Investment Officer (cio-investment)" in flat


def test_unknown_query_exits_1_with_suggestions_on_stderr(runner: CliRunner) -> None:
    """Nothing on stdout, a message and close matches on stderr, exit status 1."""
    result = invoke(runner, "CF0")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no role matches 'CF0'" in result.stderr
    assert "Did you mean" in result.stderr
    assert "Chief Financial Officer (cfo)" in result.stderr


def test_unknown_query_without_close_match(runner: CliRunner) -> None:
    """A query nothing resembles still exits 1 with a message, and no suggestion list."""
    result = invoke(runner, "NOSUCH")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "no role matches 'NOSUCH'" in result.stderr


def test_unknown_query_json_error_on_stderr(runner: CliRunner) -> None:
    """Under --json the error is one JSON object on stderr and stdout stays empty."""
    result = invoke(runner, "CF0", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    error = json.loads(result.stderr)
    assert error["error"] == "not_found"
    assert error["query"] == "CF0"
    assert "cfo" in error["candidates"]


@pytest.mark.parametrize("name", sorted(RESERVED))
def test_subcommand_names_are_reserved(runner: CliRunner, name: str) -> None:
    """Each subcommand exists, and no role can be looked up by a subcommand's name."""
    assert name in cli.commands  # type: ignore[attr-defined]
    result = invoke(runner, "show", name, "--json")
    assert result.exit_code == 1, result.stdout


def test_reserved_words_are_exactly_the_subcommands() -> None:
    """The catalogue's reserved words and the CLI's commands cannot drift apart."""
    assert set(cli.commands) == RESERVED  # type: ignore[attr-defined]


def test_version_comes_from_package_metadata(runner: CliRunner) -> None:
    """--version prints the installed distribution's version."""
    from importlib.metadata import version

    result = invoke(runner, "--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"whoiswho, version {version('whoiswho-cli')}"


def test_no_arguments_shows_help(runner: CliRunner) -> None:
    """Bare `whoiswho` teaches: usage, commands and examples."""
    result = runner.invoke(cli, [])
    assert "Usage: whoiswho" in result.output
    assert "whoiswho compare CIO CTO" in result.output


def test_card_shows_alternative_reporting_lines(
    runner: CliRunner, raw_catalog: dict[str, Any]
) -> None:
    """The CISO's card shows its usual chain and each alternative line, from the same data."""
    entry = next(r for r in raw_catalog["roles"] if r["id"] == "ciso")
    flat = " ".join(invoke(runner, "CISO").stdout.replace("│", " ").split())
    assert "Reporting line CISO → CEO → Board of Directors" in flat
    assert entry["reports_to_alternatives"]
    assert "CISO → CIO → CEO → Board of Directors" in flat
    data = json.loads(invoke(runner, "CISO", "--json").stdout)
    assert data["reports_to_alternatives"] == entry["reports_to_alternatives"]
