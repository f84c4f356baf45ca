"""Human views in terminals and pipes: colour switches, no escapes when piped, no 80-column cut."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import invoke

CYAN = "\x1b[1;36m"


def test_piped_output_has_no_escape_codes(runner: CliRunner) -> None:
    """CliRunner's stdout is not a terminal: plain text."""
    assert "\x1b" not in invoke(runner, "CFO").stdout
    assert "\x1b" not in invoke(runner, "compare", "CIO", "CTO").stdout


def test_color_always_forces_colour(runner: CliRunner) -> None:
    """--color always colours even a pipe (for `less -R`)."""
    assert CYAN in invoke(runner, "CFO", "--color", "always").stdout


def test_color_never_beats_force_color(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """--color never wins over FORCE_COLOR."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b" not in invoke(runner, "CFO", "--color", "never").stdout


def test_force_color_env_colours_a_pipe(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """FORCE_COLOR=1 under --color auto behaves like a terminal."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert CYAN in invoke(runner, "CFO").stdout


def test_no_color_env_drops_colour(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR removes colours even where FORCE_COLOR asks for a terminal."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    out = invoke(runner, "CFO").stdout
    assert "36m" not in out  # no cyan; bold may stay, as NO_COLOR intends


@pytest.mark.parametrize(("columns", "width"), [(None, 80), ("60", 60), ("132", 132)])
def test_piped_output_wraps_at_columns_or_80(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    raw_catalog: dict[str, Any],
    columns: str | None,
    width: int,
) -> None:
    """Piped human views wrap at COLUMNS, else at 80 (no terminal here to ask), and every word
    of the summary is still there, none cut with an ellipsis."""
    if columns is None:
        monkeypatch.delenv("COLUMNS")
    else:
        monkeypatch.setenv("COLUMNS", columns)
    entry = next(r for r in raw_catalog["roles"] if r["id"] == "cfo")
    for args in (["CFO"], ["compare", "CEO", "COO", "CFO"], ["CSO"]):
        out = invoke(runner, *args).stdout
        assert max(len(line) for line in out.splitlines()) <= width, args
        assert "…" not in out, args
    flat = " ".join(invoke(runner, "CFO").stdout.replace("│", " ").split())
    assert " ".join(entry["summary"].split()) in flat


def test_json_ignores_the_terminal(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON is the same bytes whatever the colour and width settings."""
    plain = invoke(runner, "CFO", "--json").stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "20")
    assert invoke(runner, "CFO", "--json", "--color", "always").stdout == plain
