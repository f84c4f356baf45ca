"""Inputs a hostile or careless user can give: odd catalogue files, odd characters, odd places.

Each test names the defect it guards against (issue 16). The cache's own hostile cases (damage,
staleness, permissions, leftovers, races) are in tests/test_cache.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import invoke
from whoiswho import locations
from whoiswho.catalog import TOP_LEVEL_KEYS
from whoiswho.text import printable

ROLE = {
    "id": "vp-engineering",
    "abbreviation": "VPE",
    "title": "Vice President of Engineering",
    "area": "technology",
    "summary": "Runs engineering.",
    "responsibilities": ["Hire engineering managers"],
    "reports_to": "cto",
}


def tab_complete(
    installed: Path, env: dict[str, str], *, timeout: int
) -> subprocess.CompletedProcess[str]:
    """What a TAB after `whoiswho CF` runs, with `env` on top of the test's environment."""
    return subprocess.run(
        [str(installed)],
        env={**os.environ, **env, "_WHOISWHO_COMPLETE": "bash_complete"}
        | {"COMP_WORDS": "whoiswho CF", "COMP_CWORD": "1"},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def bad(result: Any, *words: str) -> None:
    """Exit 2, no traceback, and a message holding each word."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


# --- numbers, duplicate keys, NaN, unknown top-level keys ---------------------------------------


def test_a_5000_digit_number_is_not_valid_json(runner: CliRunner, tmp_path: Path) -> None:
    """int() refuses over 4,300 digits: exit 2 "not valid JSON", not a ValueError traceback."""
    path = write(tmp_path / "big-int.json", '{"roles": [], "version": ' + "9" * 5000 + "}")
    bad(invoke(runner, "--catalog", path, "CFO", "--json"), "not valid JSON", path)


@pytest.mark.subprocess
def test_a_5000_digit_number_on_the_fast_path_and_tab(
    shell: Any, installed: Path, tmp_path: Path
) -> None:
    """The fast path (`whoiswho cfo`) and TAB completion read the same file: no traceback."""
    path = write(tmp_path / "big-int.json", '{"roles": [{"id": "x", "n": ' + "9" * 5000 + "}]}")
    env = {"WHOISWHO_CATALOG": path}
    result = shell("whoiswho cfo", env=env)
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr
    tab = tab_complete(installed, env, timeout=60)
    assert "Traceback" not in tab.stderr
    assert tab.returncode == 0


@pytest.mark.parametrize(
    ("text", "pointer", "words"),
    [
        ('{"roles": [], "differnces": []}', "/differnces", "unknown top-level field"),
        ('{"roles": [{"id": "cfo", "title": "A", "title": "B"}]}', "/roles/0/title", "duplicate"),
        ('{"roles": [], "roles": []}', "/roles", "duplicate key 'roles'"),
        (
            '{"roles": [], "differences": [{"roles": ["cfo", "ceo"], "note": "n", "w": NaN}]}',
            "/differences/0/w",
            "NaN",
        ),
        ('{"roles": [{"id": "cfo", "meaning_rank": Infinity}]}', "/roles/0/meaning_rank", "NaN"),
        ('{"roles": [{"id": "cfo", "meaning_rank": -1e400}]}', "/roles/0/meaning_rank", "NaN"),
    ],
)
def test_strict_json_is_refused_with_file_and_pointer(
    runner: CliRunner, tmp_path: Path, text: str, pointer: str, words: str
) -> None:
    """Unknown top-level keys, duplicate keys and non-numbers are refused, never silently used."""
    path = write(tmp_path / "ours.json", text)
    bad(invoke(runner, "--catalog", path, "CFO", "--json"), f"{path} at {pointer}", words)


def test_top_level_keys_are_one_constant() -> None:
    """The keys a catalogue may have at the top are listed once, for the next section to join."""
    assert {"$schema", "version", "roles", "differences", "titles"} == TOP_LEVEL_KEYS


# --- ids and primaries -------------------------------------------------------------------------


@pytest.mark.parametrize("role_id", ["CFO", "c.f.o", " cfo ", "vp_eng", "vp--eng", "-vp", "ｃｆｏ"])
def test_ids_must_be_lowercase_and_normalised(
    runner: CliRunner, tmp_path: Path, role_id: str
) -> None:
    """An id is one spelling of one role: `CFO` beside `cfo` made `whoiswho cfo` ambiguous."""
    path = write(tmp_path / "ours.json", json.dumps({"roles": [{**ROLE, "id": role_id}]}))
    bad(invoke(runner, "--catalog", path, "cfo", "--json"), f"{path} at /roles/0/id", "id ")


def test_ids_with_the_same_lookup_key_are_refused(runner: CliRunner, tmp_path: Path) -> None:
    """`c-f-o` is looked up as `cfo`: two ids one name is refused, naming both."""
    path = write(tmp_path / "ours.json", json.dumps({"roles": [{**ROLE, "id": "c-f-o"}]}))
    bad(invoke(runner, "--catalog", path, "cfo", "--json"), "/roles/0/id", "'c-f-o'", "'cfo'")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(role_id=st.text(min_size=1, max_size=12))
def test_any_accepted_id_names_exactly_its_role(
    runner: CliRunner, tmp_path: Path, role_id: str
) -> None:
    """Whatever the id, it is refused (exit 2) or `whoiswho ID --json` answers that very role."""
    role = {**ROLE, "id": role_id, "abbreviation": "ZZQ", "title": "Zzq", "other_names": []}
    path = write(tmp_path / "ours.json", json.dumps({"roles": [role]}))
    result = invoke(runner, "--catalog", path, "show", "--json", "--", role_id)
    if result.exit_code == 2 and "bad catalogue" in result.stderr:
        return
    if result.exit_code == 0:
        assert json.loads(result.stdout)["id"] == role_id
    else:  # a name the bundled roles already use (`ceo`): refused at load, never ambiguous
        assert result.exit_code != 3, result.stderr


def test_two_primaries_for_one_abbreviation_are_refused(runner: CliRunner, tmp_path: Path) -> None:
    """Only one meaning of CIO can be the primary one (bundled: cio)."""
    path = write(tmp_path / "ours.json", '{"roles": [{"id": "cio-innovation", "primary": true}]}')
    bad(invoke(runner, "--catalog", path, "CIO", "--json"), "/roles/0/primary", "'cio'", "CIO")


# --- files that are not regular files, or too large --------------------------------------------


@pytest.mark.subprocess
def test_a_fifo_is_refused_not_waited_on(shell: Any, installed: Path, tmp_path: Path) -> None:
    """A FIFO in WHOISWHO_CATALOG hung every command and every TAB: refused at once."""
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    env = {"WHOISWHO_CATALOG": str(fifo)}
    for command in ("whoiswho cfo", "whoiswho list --json"):
        result = shell(f"timeout 20 {command}", env=env)
        assert result.returncode == 2, result.stderr
        assert "not a regular file" in result.stderr
    tab = tab_complete(installed, env, timeout=20)
    assert tab.returncode == 0
    assert "Traceback" not in tab.stderr


@pytest.mark.subprocess
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused(shell: Any, device: str) -> None:
    """`/dev/zero` grew memory without bound: refused (memory capped here should it regress)."""
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    result = shell(f"ulimit -v 1000000; timeout 20 whoiswho --catalog {device} cfo")
    assert result.returncode == 2
    assert f"bad catalogue {device}: not a regular file" in result.stderr


def test_a_file_over_the_cap_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """A file larger than MAX_FILE_BYTES (64 MiB, documented) is refused before it is parsed."""
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(locations.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    bad(invoke(runner, "--catalog", str(path), "CFO"), "larger than 64 MiB")


def test_the_cap_holds_for_a_file_that_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap counts bytes read, not the size stat saw first (a log still being written)."""
    monkeypatch.setattr(locations, "MAX_FILE_BYTES", 10)
    path = tmp_path / "grows.json"
    path.write_bytes(b"x" * 11)
    with pytest.raises(Exception, match="larger than"):
        locations.read_bytes(str(path), "grows.json")


# --- invisible and bidi characters --------------------------------------------------------------

INVISIBLE = [
    "\u061c",  # Arabic letter mark
    "\u2060",  # word joiner
    "\ufeff",  # zero-width no-break space
    "\u180e",  # Mongolian vowel separator
    "\u00ad",  # soft hyphen
    "\U000e0041",  # tag latin capital A
    "\U000e007f",  # cancel tag
    "\U000e0000",  # unassigned, in the tag block
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\ufff9",  # interlinear annotation anchor
    "\ufffb",
    "\ue000",  # private use
    "\u202e",  # right-to-left override (escaped before too)
]


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_invisible_characters_from_data_are_escaped(
    runner: CliRunner, tmp_path: Path, char: str
) -> None:
    """The card, list and error views show an invisible or bidi character as an escape."""
    role = {**ROLE, "summary": f"Runs{char}engineering.", "title": f"Vice{char}President"}
    path = write(tmp_path / "ours.json", json.dumps({"roles": [role]}))
    code = ord(char)
    escape = (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )
    for args in (("vp-engineering",), ("list",), ("search", "engineering")):
        result = invoke(runner, "--catalog", path, *args)
        assert result.exit_code == 0, result.stderr
        assert char not in result.stdout, args
        assert escape in result.stdout, args


@given(st.text())
def test_printable_leaves_no_invisible_character(text: str) -> None:
    """Nothing of categories Cc, Cf, Zl, Zp, Cs, Co, nor a tag, survives printable()."""
    shown = printable(text)
    for char in shown:
        assert unicodedata.category(char) not in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co"}
        assert not 0xE0000 <= ord(char) <= 0xE007F
    if text.isprintable():
        assert shown == text


# --- odd locations ------------------------------------------------------------------------------


def test_relative_xdg_folders_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """XDG says a relative XDG_CACHE_HOME or XDG_CONFIG_HOME is invalid: use ~/.cache, ~/.config."""
    monkeypatch.setenv("HOME", str(tmp_path))
    for value in ("", "relative", "./here"):
        monkeypatch.setenv("XDG_CACHE_HOME", value)
        monkeypatch.setenv("XDG_CONFIG_HOME", value)
        assert locations.cache_dir() == str(tmp_path / ".cache" / "whoiswho")
        assert locations.user_catalog() == str(tmp_path / ".config" / "whoiswho" / "roles.json")


def test_an_empty_home_means_no_home(monkeypatch: pytest.MonkeyPatch) -> None:
    """`HOME=""` pointed the cache at `/.cache`: no cache and no per-user catalogue instead."""
    monkeypatch.setenv("HOME", "")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert locations.cache_dir() is None
    assert locations.user_catalog() is None
    assert [f.kind for f in locations.load_order()] == ["bundled"]


@pytest.mark.subprocess
@pytest.mark.parametrize("config", ["", "conf"])
def test_a_planted_catalogue_in_the_current_folder_is_not_read(
    shell: Any, tmp_path: Path, config: str
) -> None:
    """An empty or relative XDG_CONFIG_HOME read `./whoiswho/roles.json` from the current folder."""
    planted = tmp_path / config / "whoiswho" / "roles.json"
    planted.parent.mkdir(parents=True)
    planted.write_text('{"roles": [{"id": "cfo", "summary": "Planted."}]}', encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = {"XDG_CONFIG_HOME": config, "HOME": str(home)}
    for command in ("whoiswho cfo --json", "whoiswho show cfo --json"):
        result = shell(command, env=env)
        assert result.returncode == 0, result.stderr
        assert "Planted" not in result.stdout


@pytest.mark.subprocess
def test_an_empty_home_still_answers(shell: Any) -> None:
    """With `HOME=""` and no XDG variables every command still works."""
    env = {"HOME": "", "XDG_CACHE_HOME": "", "XDG_CONFIG_HOME": ""}
    assert shell("whoiswho cfo --json && whoiswho catalog paths", env=env).returncode == 0
