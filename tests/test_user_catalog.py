"""Your own catalogue: extra files layered on the bundled one, and clear errors for bad files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import invoke

VP_ENG = {
    "id": "vp-engineering",
    "abbreviation": "VPE",
    "title": "Vice President of Engineering",
    "area": "technology",
    "summary": "Runs the engineering organisation day to day for the CTO.",
    "responsibilities": [
        "Hire and grow engineering managers",
        "Run delivery of the engineering roadmap",
        "Keep engineering quality and uptime high",
        "Plan engineering headcount and budget",
    ],
    "reports_to": "cto",
    "sources": [{"title": "Our org chart"}],
}


def write(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.fixture
def ours(tmp_path: Path) -> str:
    return write(tmp_path / "ours.json", {"roles": [VP_ENG]})


def test_added_role_is_in_show(runner: CliRunner, ours: str) -> None:
    """A role added on top reports to a bundled one; show names the file it came from."""
    data = json.loads(invoke(runner, "--catalog", ours, "VPE", "--json").stdout)
    assert data["reporting_line"] == ["vp-engineering", "cto", "ceo", "board"]
    assert data["origin"] == ours
    human = invoke(runner, "--catalog", ours, "VPE").stdout
    assert "VPE → CTO → CEO → Board of Directors" in human
    assert ours in " ".join(human.replace("│", " ").split())


def test_added_role_is_in_list_compare_and_search(runner: CliRunner, ours: str) -> None:
    """The added role appears in list, compare and search like a bundled one."""
    ids = [r["id"] for r in json.loads(invoke(runner, "--catalog", ours, "list", "--json").stdout)]
    assert "vp-engineering" in ids
    assert "cfo" in ids
    compared = json.loads(
        invoke(runner, "--catalog", ours, "compare", "VPE", "CTO", "--json").stdout
    )
    assert [r["id"] for r in compared["roles"]] == ["vp-engineering", "cto"]
    hits = json.loads(invoke(runner, "--catalog", ours, "search", "headcount", "--json").stdout)
    assert hits[0]["id"] == "vp-engineering"


def test_bundled_entry_is_not_visible_without_the_file(runner: CliRunner) -> None:
    """Without --catalog the added role does not exist."""
    assert invoke(runner, "VPE", "--json").exit_code == 1


def test_override_changes_one_field(runner: CliRunner, tmp_path: Path) -> None:
    """A later file can change one field of a bundled role and keep the rest."""
    path = write(tmp_path / "o.json", {"roles": [{"id": "cfo", "reports_to": "board"}]})
    data = json.loads(invoke(runner, "--catalog", path, "CFO", "--json").stdout)
    assert data["reporting_line"] == ["cfo", "board"]
    assert data["title"] == "Chief Financial Officer"
    assert data["origin"] == path


def test_later_files_win(runner: CliRunner, tmp_path: Path) -> None:
    """Of two files changing the same field, the later one wins."""
    first = write(tmp_path / "a.json", {"roles": [{"id": "cfo", "summary": "First file's words."}]})
    second = write(
        tmp_path / "b.json", {"roles": [{"id": "cfo", "summary": "Second file's words."}]}
    )
    data = json.loads(
        invoke(runner, "--catalog", first, "--catalog", second, "cfo", "--json").stdout
    )
    assert data["summary"] == "Second file's words."


def test_env_path_list_and_user_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WHOISWHO_CATALOG (a path list) and the per-user file load, in the documented order."""
    config = tmp_path / "config"
    (config / "whoiswho").mkdir(parents=True)
    user = write(config / "whoiswho" / "roles.json", {"roles": [VP_ENG]})
    env_a = write(
        tmp_path / "env-a.json", {"roles": [{"id": "vp-engineering", "title": "VP Eng A"}]}
    )
    env_b = write(tmp_path / "env-b.json", {"roles": [{"id": "cfo", "summary": "From env b."}]})
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("WHOISWHO_CATALOG", os.pathsep.join([env_a, env_b]))
    paths = invoke(runner, "catalog", "paths").stdout.splitlines()
    assert [line.split("\t")[0] for line in paths] == ["bundled", "user", "env", "env"]
    assert paths[1].split("\t")[1] == user
    assert json.loads(invoke(runner, "VPE", "--json").stdout)["title"] == "VP Eng A"
    assert json.loads(invoke(runner, "cfo", "--json").stdout)["summary"] == "From env b."


def test_no_bundled_uses_only_your_files(runner: CliRunner, tmp_path: Path) -> None:
    """--no-bundled: only the given files, which must then stand on their own."""
    top = {**VP_ENG, "reports_to": None}
    path = write(tmp_path / "alone.json", {"roles": [top]})
    data = json.loads(invoke(runner, "--no-bundled", "--catalog", path, "list", "--json").stdout)
    assert [r["id"] for r in data] == ["vp-engineering"]
    alone = invoke(runner, "--no-bundled", "list")
    assert alone.exit_code == 2
    assert "--no-bundled needs --catalog" in alone.stderr


def test_validate_good_file(runner: CliRunner, ours: str) -> None:
    """`catalog validate` says ok and exits 0 for a good file, without using it."""
    result = invoke(runner, "catalog", "validate", ours)
    assert (result.exit_code, result.stdout) == (0, f"{ours}: ok\n")


def test_user_files_are_never_modified(runner: CliRunner, ours: str) -> None:
    """Reading a catalogue leaves the file byte for byte as it was."""
    before = Path(ours).read_bytes()
    invoke(runner, "--catalog", ours, "list", "--json")
    invoke(runner, "catalog", "validate", ours)
    assert Path(ours).read_bytes() == before


BAD_FILES: list[tuple[str, Any, str, str]] = [
    # (name, content (bytes, str, or JSON-able), expected problem text, expected pointer/where)
    ("not-json", '{\n  "roles": [\n    {,\n', "not valid JSON", "line 3, column 6"),
    ("not-utf8", b'{"roles": [{"id": "x\xff"}]}', "not UTF-8", "offset"),
    ("wrong-shape", [1, 2, 3], "expected a JSON object with a 'roles' list", "at /"),
    ("roles-not-list", {"roles": {"id": "x"}}, "'roles'", "at /roles"),
    ("missing-field", {"roles": [{**VP_ENG, "title": None} | {}]}, "'title'", "/roles/0/title"),
    (
        "missing-required",
        {"roles": [{k: v for k, v in VP_ENG.items() if k != "summary"}]},
        "missing field 'summary'",
        "at /roles/0",
    ),
    (
        "mistyped",
        {"roles": [{**VP_ENG, "responsibilities": "just one string"}]},
        "'responsibilities' must be a list",
        "/roles/0/responsibilities",
    ),
    ("duplicate-id", {"roles": [VP_ENG, VP_ENG]}, "duplicate id 'vp-engineering'", "/roles/1/id"),
    (
        "dangling-reports-to",
        {"roles": [{**VP_ENG, "reports_to": "nobody"}]},
        "reports to unknown role 'nobody'",
        "/roles/0/reports_to",
    ),
    (
        "cycle",
        {"roles": [{"id": "ceo", "reports_to": "cfo"}]},
        "reporting cycle",
        "at /roles/0",
    ),
    (
        "unknown-field",
        {"roles": [{**VP_ENG, "salary": 1}]},
        "unknown field 'salary'",
        "/roles/0/salary",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "problem", "where"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
def test_bad_file_names_file_place_and_problem(
    runner: CliRunner, tmp_path: Path, name: str, content: Any, problem: str, where: str
) -> None:
    """Each kind of bad file: exit 2, no traceback, the file, the place and the problem named."""
    path = tmp_path / f"{name}.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        write(path, content)
    for args in (["--catalog", str(path), "CFO"], ["catalog", "validate", str(path)]):
        result = invoke(runner, *args)
        assert result.exit_code == 2, result.stdout
        assert result.stdout == ""
        assert str(path) in result.stderr
        assert problem in result.stderr
        assert where in result.stderr
        assert "Traceback" not in result.stderr


def test_missing_file_and_folder(runner: CliRunner, tmp_path: Path) -> None:
    """A path that does not exist, or is a folder, is a bad catalogue (exit 2)."""
    missing = invoke(runner, "--catalog", str(tmp_path / "nope.json"), "CFO")
    assert missing.exit_code == 2
    assert f"{tmp_path / 'nope.json'}: file not found" in missing.stderr
    folder = invoke(runner, "--catalog", str(tmp_path), "CFO")
    assert folder.exit_code == 2
    assert "is a folder" in folder.stderr


def test_bad_catalogue_json_error(runner: CliRunner, tmp_path: Path) -> None:
    """Under --json the bad-catalogue error is a JSON object naming file, pointer and problem."""
    path = write(tmp_path / "bad.json", {"roles": [{**VP_ENG, "reports_to": "nobody"}]})
    result = invoke(runner, "--catalog", path, "CFO", "--json")
    assert result.exit_code == 2
    error = json.loads(result.stderr)
    assert error["error"] == "bad_catalog"
    assert error["file"] == path
    assert error["pointer"] == "/roles/0/reports_to"
