"""README.md and --help cannot drift from the program: their examples are run and compared."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from whoiswho.cli import cli

SCRIPT = ROOT / "scripts" / "readme_examples.py"


@pytest.mark.subprocess
def test_readme_examples_are_what_the_program_prints() -> None:
    """Every `$ whoiswho ...` block in README.md is the program's real output at 100 columns
    (regenerate with `python scripts/readme_examples.py`)."""
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-3000:]


def help_examples() -> list[tuple[str, str]]:
    """(command, example) for every `whoiswho ...` line of every command's --help."""
    found: list[tuple[str, str]] = []
    names = [None, *sorted(cli.commands)]  # type: ignore[attr-defined]
    for name in names:
        args = [name, "--help"] if name else ["--help"]
        text = CliRunner().invoke(cli, args).stdout
        for line in text.splitlines():
            match = re.match(r"\s+(whoiswho .*)", line)
            if match:
                found.append((name or "whoiswho", match.group(1)))
    return found


EXAMPLES = help_examples()


def test_help_has_examples() -> None:
    """The help of the tool and of each command teaches with examples."""
    assert len(EXAMPLES) >= 25
    commands = {name for name, _ in EXAMPLES}
    assert {"whoiswho", "show", "compare", "list", "search", "chart", "classify"} <= commands


@pytest.mark.parametrize(("command", "example"), EXAMPLES)
def test_help_example_gives_an_answer(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, example: str
) -> None:
    """Each --help example (its whoiswho part, up to a pipe or a redirect) answers: a status of
    0, and something on stdout."""
    words = shlex.split(re.split(r"\s+[|>]|\s{2,}|\s\(", example)[0])[1:]
    # Examples name files of the reader's own; give them small real ones.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ours.json").write_text('{"roles": [{"id": "cfo", "summary": "Ours."}]}')
    (tmp_path / "leads.csv").write_text("Job Title\nEVP & CFO\n")
    stdin = "CFO\nVP Sales\n" if "-" in words else None
    result = runner.invoke(cli, words, input=stdin)
    assert result.exit_code == 0, (example, result.stderr)
    assert result.stdout.strip(), example
    if "completion" in words:
        pytest.skip("prints a script")
    assert not isinstance(result.exception, click.ClickException)
