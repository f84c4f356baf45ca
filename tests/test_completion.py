"""Shell completion: scripts for each shell, role names on TAB, and no rich on that path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import invoke
from whoiswho.cli import cli
from whoiswho.completion import first_word


def complete(installed: Path, words: str, cword: int) -> list[str]:
    env = {
        **os.environ,
        "_WHOISWHO_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
    }
    out = subprocess.run([str(installed)], env=env, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return [line.split(",", 1)[1] for line in out.stdout.splitlines() if line]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_script(runner: CliRunner, shell: str) -> None:
    """`whoiswho completion SHELL` prints a script wired to _WHOISWHO_COMPLETE."""
    result = invoke(runner, "completion", shell)
    assert result.exit_code == 0
    assert "_WHOISWHO_COMPLETE" in result.stdout
    assert f"{shell}_complete" in result.stdout or f"{shell}_source" in result.stdout


def test_completion_rejects_unknown_shell(runner: CliRunner) -> None:
    """An unsupported shell is a usage error."""
    assert invoke(runner, "completion", "tcsh").exit_code == 2


def test_first_word_offers_roles(installed: Path) -> None:
    """`whoiswho CF<TAB>` offers CFO."""
    assert "CFO" in complete(installed, "whoiswho CF", 1)


def test_first_word_offers_subcommands_and_roles(installed: Path) -> None:
    """`whoiswho c<TAB>` offers both `compare` and role abbreviations starting with C."""
    offered = complete(installed, "whoiswho c", 1)
    assert {"compare", "completion", "catalog", "CEO", "CFO"} <= set(offered)


def test_compare_offers_roles(installed: Path) -> None:
    """`whoiswho compare C<TAB>` offers roles."""
    offered = complete(installed, "whoiswho compare C", 2)
    assert {"CIO", "CTO", "CSO"} <= set(offered)
    assert "compare" not in offered


def test_ids_complete_too(installed: Path) -> None:
    """`whoiswho cso-s<TAB>` offers the ids of the CSO meanings."""
    offered = complete(installed, "whoiswho cso-s", 1)
    assert {"cso-security", "cso-strategy", "cso-science", "cso-sustainability"} <= set(offered)


def test_completion_path_never_imports_rich(installed: Path) -> None:
    """Every TAB runs the program: the completion path must not import rich."""
    code = (
        "import sys\n"
        "from whoiswho.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in sys.modules if m == 'rich' or m.startswith('rich.')]\n"
        "print('RICH' if loaded else 'NO-RICH', file=sys.stderr)\n"
    )
    env = {
        **os.environ,
        "_WHOISWHO_COMPLETE": "bash_complete",
        "COMP_WORDS": "whoiswho CF",
        "COMP_CWORD": "1",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=30
    )
    assert "plain,CFO" in out.stdout
    assert out.stderr.strip().endswith("NO-RICH")


def test_completion_sees_your_catalogue(installed: Path, tmp_path: Path) -> None:
    """Roles added with --catalog complete too; a broken extra file completes nothing, quietly."""
    ours = tmp_path / "ours.json"
    ours.write_text(
        '{"roles": [{"id": "vp-engineering", "abbreviation": "VPE", "title": "VP Engineering"}]}',
        encoding="utf-8",
    )
    offered = complete(installed, f"whoiswho --catalog {ours} VP", 3)
    assert offered == ["VPE"]
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert complete(installed, f"whoiswho --catalog {broken} CF", 3) == []


FIRST_WORDS = [
    "whoiswho CF",
    "whoiswho c",
    "whoiswho C",
    "whoiswho ",
    "whoiswho",
    "whoiswho cso-s",
    "whoiswho l",
    "whoiswho help",
    "whoiswho 首席",
    "whoiswho nothing-starts-so",
    "whoiswho CF compare",
    "whoiswho cfo=x",
    "whoiswho\tch  ",
]


@pytest.mark.parametrize("words", FIRST_WORDS)
def test_first_word_answer_is_clicks(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, words: str
) -> None:
    """A TAB on the first word is answered without click, byte for byte as click answers it
    (subcommands sorted, then roles, your catalogues' too)."""
    ours = tmp_path / "ours.json"
    ours.write_text(
        '{"roles": [{"id": "chief-x", "abbreviation": "CX", "title": "Chief X"}]}',
        encoding="utf-8",
    )
    env = {
        "_WHOISWHO_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": "1",
        "WHOISWHO_CATALOG": str(ours),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    by_click = runner.invoke(cli, [], env=env, prog_name="whoiswho", catch_exceptions=False)
    assert by_click.exit_code == 0
    assert first_word(os.environ) == by_click.stdout_bytes


@pytest.mark.parametrize(
    ("words", "cword"),
    [
        ("whoiswho -", "1"),
        ("whoiswho --cat", "1"),
        ("whoiswho =", "1"),
        ("whoiswho 'CF", "1"),
        ('whoiswho "chief f', "1"),
        ("whoiswho CF\\", "1"),
        ("whoiswho\u00a0CF", "1"),
        ("whoiswho compare C", "2"),
        ("whoiswho CF", "0"),
    ],
)
def test_other_completions_are_left_to_click(words: str, cword: str) -> None:
    """Options, quoting, odd spaces and later words are not answered without click."""
    env = {"_WHOISWHO_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": cword}
    assert first_word(env) is None
    assert first_word({"_WHOISWHO_COMPLETE": "bash_complete", "COMP_CWORD": "1"}) is None
    assert (
        first_word({**env, "_WHOISWHO_COMPLETE": "zsh_complete", "COMP_WORDS": "whoiswho CF"})
        is None
    )


@pytest.mark.parametrize(
    ("options", "word"),
    [
        ("--no-bundled --catalog OURS", "C"),
        ("--catalog OURS", "c"),
        ("--catalog=OURS --no-bundled", ""),
        ("--no-bundled --catalog OURS --catalog OURS", "ch"),
        ("--no-bundled", "CF"),
        ("--no-bundled --catalog MISSING", "C"),
    ],
)
def test_a_first_word_after_catalogue_options_is_answered_as_click_does(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, options: str, word: str
) -> None:
    """`whoiswho --no-bundled --catalog ours.json C<TAB>` is answered without click too, with
    the roles of the catalogues those options name, byte for byte as click answers."""
    ours = tmp_path / "ours.json"
    ours.write_text(
        '{"roles": [{"id": "chief-x", "abbreviation": "CX", "title": "Chief X"}]}',
        encoding="utf-8",
    )
    typed = options.replace("OURS", str(ours)).replace("MISSING", str(tmp_path / "no.json"))
    words = f"whoiswho {typed} {word}"
    env = {
        "_WHOISWHO_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(typed.split()) + 1),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    by_click = runner.invoke(cli, [], env=env, prog_name="whoiswho", catch_exceptions=False)
    assert by_click.exit_code == 0
    answer = first_word(os.environ)
    assert answer is not None
    assert answer == by_click.stdout_bytes


@pytest.mark.parametrize(
    "words",
    ["whoiswho --catalog C", "whoiswho --json C", "whoiswho show C", "whoiswho --catalog=x -"],
)
def test_other_options_before_the_word_are_left_to_click(words: str) -> None:
    env = {"_WHOISWHO_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": "2"}
    assert first_word(env) is None
