"""Golden files: the exact human views, so that any change to what people see shows in a diff.

Regenerate on purpose with `WHOISWHO_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`, then
review the diff of tests/golden/ before committing.
"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from whoiswho.cli import cli

GOLDEN = ROOT / "tests" / "golden"
VIEWS = {
    "card-cfo": ["CFO"],
    "card-cio-also-means": ["CIO"],
    "meanings-cso": ["CSO"],
    "compare-cio-cto": ["compare", "CIO", "CTO"],
    "compare-ceo-coo-president": ["compare", "CEO", "COO", "President"],
    "search-security-breaches": ["search", "security", "breaches"],
    "chart-cfo": ["chart", "cfo"],
    "chart-mermaid-cfo": ["chart", "cfo", "--format", "mermaid"],
    "chart-dot-cfo": ["chart", "cfo", "--format", "dot"],
    "list-piped": ["list"],
    "not-found-cf0": ["CF0"],
    "ambiguous-compare": ["compare", "CSO", "CTO"],
}


@pytest.mark.parametrize("name", list(VIEWS))
def test_view_matches_golden_file(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """The view, at 100 columns and piped (colour only where asked), is exactly the golden file."""
    monkeypatch.setenv("COLUMNS", "100")
    result = runner.invoke(cli, VIEWS[name])
    text = f"exit {result.exit_code}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("WHOISWHO_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
