"""Start-up stays light: the JSON, help, version and completion paths never import rich."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.subprocess

PROBE = """
import sys
import whoiswho.entry as entry

def finish(status):  # instead of os._exit, so that the probe can look at sys.modules
    raise SystemExit(status)

entry.finish = finish
sys.argv = ["whoiswho", *sys.argv[1:]]
try:
    entry.main()
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"rich", "click", "sqlite3", "dataclasses"})
print("LOADED=" + ",".join(heavy), file=sys.stderr)
"""


def loaded(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """The heavy top-level modules a real run of `whoiswho ARGS` imported."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=30,
    )
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("LOADED="), result.stderr
    return set(filter(None, line.removeprefix("LOADED=").split(",")))


def test_json_lookup_imports_neither_click_nor_rich() -> None:
    """`whoiswho CFO --json` is served without click, rich, SQLite or dataclasses."""
    assert loaded("CFO", "--json") == set()


def test_a_lookup_in_your_own_catalogue_stays_light() -> None:
    """`--no-bundled --catalog PATH ROLE --json` is the plain form too: no click, no rich."""
    from whoiswho.locations import bundled_path

    assert loaded("--no-bundled", "--catalog", bundled_path(), "CFO", "--json") == set()


def test_json_errors_stay_light() -> None:
    """Not found and ambiguous under --json stay on the light path too."""
    assert loaded("NOSUCH", "--json") == set()
    assert loaded("CSO", "--json") == set()


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["list", "--json"], ["compare", "CIO", "CTO", "--json"]]
)
def test_click_paths_without_rich(args: list[str]) -> None:
    """Help, version and the other JSON commands use click but never rich."""
    assert "rich" not in loaded(*args)


def test_completion_without_rich() -> None:
    """A TAB press (completion request) never imports rich."""
    env = {"_WHOISWHO_COMPLETE": "bash_complete", "COMP_WORDS": "whoiswho CF", "COMP_CWORD": "1"}
    assert "rich" not in loaded(env=env)


def test_first_word_completion_without_click() -> None:
    """A TAB on the first word is answered without click; one after a subcommand uses it."""
    first = {"_WHOISWHO_COMPLETE": "bash_complete", "COMP_WORDS": "whoiswho CF", "COMP_CWORD": "1"}
    assert loaded(env=first) == set()
    later = {**first, "COMP_WORDS": "whoiswho compare C", "COMP_CWORD": "2"}
    assert "click" in loaded(env=later)


def test_human_view_does_import_rich() -> None:
    """The probe can see rich when it is used: the card does import it (the test has teeth)."""
    assert "rich" in loaded("CFO")
