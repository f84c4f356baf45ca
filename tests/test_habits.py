"""Command-line habits the tool accepts: unquoted words, options anywhere, help as a command."""

from __future__ import annotations

import json
import os
import pty
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import invoke
from whoiswho.cli.base import move_output_options


@pytest.mark.parametrize(
    ("words", "role_id"),
    [
        (["chief", "people", "officer"], "cpo-people"),
        (["finance", "director"], "cfo"),
        (["Chief", "Financial", "Officer"], "cfo"),
    ],
)
def test_unquoted_words_are_one_query(runner: CliRunner, words: list[str], role_id: str) -> None:
    """`whoiswho chief people officer` is `whoiswho "chief people officer"`."""
    result = invoke(runner, *words, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == role_id


def test_forgotten_compare_is_named(runner: CliRunner) -> None:
    """`whoiswho CEO COO`: each word is a role, the two together are not: suggest compare."""
    result = invoke(runner, "CEO", "COO")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "whoiswho: 'CEO COO' is not one role, but each word is: to compare them, "
        "run `whoiswho compare CEO COO`\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--json", "CFO"],
        ["CFO", "--json"],
        ["--indent", "0", "--json", "CFO"],
        ["--fields=id", "CFO"],
        ["--json", "show", "CFO"],
    ],
)
def test_output_options_before_or_after_the_query(runner: CliRunner, args: list[str]) -> None:
    """Output options work wherever they are typed."""
    result = invoke(runner, *args)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "cfo"


def test_color_option_before_the_query(runner: CliRunner) -> None:
    """`whoiswho --color never CFO` shows the card."""
    result = invoke(runner, "--color", "never", "CFO")
    assert result.exit_code == 0, result.stderr
    assert "Chief Financial Officer" in result.stdout


def test_moving_leaves_group_options_and_values_in_place() -> None:
    """Only output options move; --catalog keeps its value, words stay in order."""
    assert move_output_options(["--catalog", "f.json", "--json", "CFO"]) == [
        "--catalog",
        "f.json",
        "CFO",
        "--json",
    ]
    # After the first word nothing moves: `x` is the query, the rest is the command's.
    assert move_output_options(["x", "--json", "CFO"]) == ["x", "--json", "CFO"]
    assert move_output_options(["--color", "never", "compare", "A", "B"]) == [
        "compare",
        "A",
        "B",
        "--color",
        "never",
    ]


def test_fields_implies_json(runner: CliRunner) -> None:
    """`--fields` without `--json` prints JSON with those keys, not the card."""
    result = invoke(runner, "CFO", "--fields", "id,title")
    assert json.loads(result.stdout) == {"id": "cfo", "title": "Chief Financial Officer"}


def test_top_level_help_lists_output_options(runner: CliRunner) -> None:
    """--help teaches the output options and that they go anywhere."""
    text = invoke(runner, "--help").stdout
    lines = [line.strip() for line in text.splitlines()]
    for option in ("--json", "--fields A,B", "--indent N", "--color WHEN"):
        # Each on a line of its own (click rewraps an epilog paragraph unless told not to).
        assert any(line.startswith(option + " ") for line in lines), option
    assert "before or after the query" in text


@pytest.mark.parametrize(("args", "first"), [([], "Usage: whoiswho [OPTIONS]"),
                                            (["compare"], "Usage: whoiswho compare")])  # fmt: skip
def test_help_command(runner: CliRunner, args: list[str], first: str) -> None:
    """`whoiswho help` and `whoiswho help compare` show help, exit 0."""
    result = invoke(runner, "help", *args)
    assert result.exit_code == 0
    assert result.stdout.startswith(first)


def test_help_for_an_unknown_command(runner: CliRunner) -> None:
    """`whoiswho help nosuch` is a usage error naming the commands."""
    result = invoke(runner, "help", "nosuch")
    assert result.exit_code == 2
    assert "no command 'nosuch'; the commands are:" in result.stderr


@pytest.mark.subprocess
def test_show_dash_on_a_terminal_says_what_it_reads(installed: Path) -> None:
    """`show -` with a terminal on stdin says on stderr that it reads one query per line."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [str(installed), "show", "-", "--jsonl"],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "80"},
    )
    os.close(follower)
    os.write(leader, b"CFO\n\x04")
    out, err = proc.communicate(timeout=30)
    os.close(leader)
    assert b"reading queries from standard input, one per line" in err
    assert json.loads(out.decode().splitlines()[0])["id"] == "cfo"


@pytest.mark.subprocess
def test_piped_stdin_gets_no_note(shell: Any) -> None:
    """Piped queries need no note: stderr stays empty."""
    result = shell("echo CFO | whoiswho show - --jsonl")
    assert result.stderr == ""
    assert json.loads(result.stdout)["id"] == "cfo"
