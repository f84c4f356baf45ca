"""The click-free entry path answers exactly as the click CLI does, byte for byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import ROLES_JSON
from whoiswho import RESERVED, app
from whoiswho.cli import cli
from whoiswho.entry import classify_form, main, plain_form


def every_name() -> list[str]:
    """Every way the bundled catalogue lets a role be named, plus misses and ambiguities."""
    import json

    names: list[str] = ["CSO", "cso", "CF0", "NOSUCH", "Head of People", "c.f.o.", "  cfo  "]
    for role in json.loads(ROLES_JSON.read_text(encoding="utf-8"))["roles"]:
        names += [role["id"], role["abbreviation"], role["title"], role["title"].upper()]
        names += role.get("other_names", []) + role.get("shared_names", [])
        if role.get("zh"):
            names.append(role["zh"])
    return list(dict.fromkeys(names))


NAMES = every_name()


@pytest.mark.slow
@pytest.mark.parametrize("as_json", [False, True], ids=["human", "json"])
def test_fast_path_matches_click_for_every_name(
    runner: CliRunner, capsys: pytest.CaptureFixture[str], as_json: bool
) -> None:
    """For every name of every role (and misses), stdout, stderr and status are identical."""
    for name in NAMES:
        args = [name, "--json"] if as_json else [name]
        assert plain_form(args) == (name, as_json, (), True)
        status = main(args)
        fast = capsys.readouterr()
        slow = runner.invoke(cli, args)
        assert (fast.out, fast.err, status) == (slow.stdout, slow.stderr, slow.exit_code), name


def spy_on_show(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """The (settings, query, output, options) of each call of app.show from now on."""
    calls: list[tuple[object, ...]] = []
    real_show = app.show

    def spy(settings: app.Settings, query: str, out: object, **kwargs: Any) -> int:
        calls.append((settings, query, out, kwargs))
        return real_show(settings, query, out, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(app, "show", spy)
    return calls


@pytest.mark.parametrize("args", [["CFO"], ["CFO", "--json"]], ids=["human", "json"])
def test_both_paths_call_the_same_application_function(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """The plain entry, `whoiswho ROLE` through click and `show ROLE` all reach app.show with
    equal settings and output options: a setting added to one path reaches the others."""
    calls = spy_on_show(monkeypatch)
    assert plain_form(args) is not None
    main(args)
    runner.invoke(cli, args)
    runner.invoke(cli, ["show", *args])
    assert len(calls) == 3
    assert calls[0] == calls[1] == calls[2]


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--help"],
        ["--version"],
        ["-"],
        ["CFO", "--color", "never"],
        ["CFO", "--jsonl"],
        ["--json", "CFO"],
        ["CFO", "CTO"],
        [""],
        ["   "],
        *[[name] for name in sorted(RESERVED)],
    ],
)
def test_everything_else_goes_to_click(args: list[str]) -> None:
    """Options, subcommands, batches and odd queries are left to the click CLI."""
    assert plain_form(args) is None


def test_completion_requests_go_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    """A shell-completion request is never served by the fast path."""
    monkeypatch.setenv("_WHOISWHO_COMPLETE", "bash_complete")
    assert plain_form(["CFO"]) is None


@pytest.mark.subprocess
@pytest.mark.parametrize(
    "args",
    [
        ["CFO"],
        ["CFO", "--json"],
        ["CSO"],
        ["CSO", "--json"],
        ["CF0"],
        ["CF0", "--json"],
        ["首席财务官"],
        ["classify", "EVP & CFO", "--json"],
        ["classify", "EVP", "&", "CFO"],
        ["classify", "Chief Bottle Washer", "--json"],
        ["classify", "SVP, Global Finance"],
    ],
)
def test_real_processes_agree(installed: Path, tmp_path: Path, args: list[str]) -> None:
    """The installed command and the click CLI, as real piped processes, print the same bytes."""
    env = {**os.environ, "COLUMNS": "100"}
    fast = subprocess.run(
        [str(installed), *args], capture_output=True, env=env, cwd=tmp_path, timeout=30
    )
    click_only = "from whoiswho.cli import main; raise SystemExit(main())"
    slow = subprocess.run(
        [sys.executable, "-c", click_only, *args],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=30,
    )
    assert (fast.stdout, fast.stderr, fast.returncode) == (
        slow.stdout,
        slow.stderr,
        slow.returncode,
    )


@pytest.mark.subprocess
def test_fast_path_reads_user_catalogues(shell: Any, tmp_path: Path) -> None:
    """WHOISWHO_CATALOG is honoured on the fast path too."""
    extra = tmp_path / "extra.json"
    extra.write_text('{"roles": [{"id": "cfo", "summary": "Our own words."}]}', encoding="utf-8")
    result = shell("whoiswho cfo --json | jq -r .summary", env={"WHOISWHO_CATALOG": str(extra)})
    assert result.stdout == "Our own words.\n"


def test_user_config_dir_matches_click(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The catalogue's per-user folder is exactly click.get_app_dir('whoiswho')."""
    import click

    from whoiswho.locations import user_config_dir

    assert user_config_dir() == click.get_app_dir("whoiswho")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert user_config_dir() == click.get_app_dir("whoiswho")
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert user_config_dir() == click.get_app_dir("whoiswho")


@pytest.mark.parametrize(
    ("args", "form"),
    [
        (["classify", "EVP & CFO", "--json"], (["EVP & CFO"], True)),
        (["classify", "VP", "Sales"], (["VP", "Sales"], False)),
        (["classify", "-"], None),
        (["classify", "--json"], None),
        (["classify"], None),
        (["classify", "VP", "--jsonl"], None),
        (["classify", "--csv", "a.csv", "--column", "t"], None),
        (["classify", "VP", "--fields", "level"], None),
        (["CFO", "classify"], None),
    ],
)
def test_only_plain_classify_takes_the_fast_path(
    args: list[str], form: tuple[list[str], bool] | None
) -> None:
    """classify TITLE... [--json] skips click; stdin, CSV and any other option go to click."""
    assert classify_form(args) == form


@pytest.mark.parametrize(
    "options",
    [
        ["--no-bundled", "--catalog", "EXTRA"],
        ["--catalog", "EXTRA"],
        ["--catalog=EXTRA", "--no-bundled"],
        ["--catalog", "EXTRA", "--no-bundled", "--catalog", "BUNDLED"],
        ["--no-bundled", "--catalog", "MISSING"],
    ],
)
@pytest.mark.parametrize("query", [["CFO", "--json"], ["ZZTOP"], ["CSO", "--json"]])
def test_the_catalogue_options_take_the_plain_path_with_the_same_answer(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    options: list[str],
    query: list[str],
) -> None:
    """`--no-bundled`, `--catalog PATH` before `ROLE [--json]` are read without click, into the
    same settings, with the same output, errors and status as click's."""
    from whoiswho.locations import bundled_path

    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"roles": [
        {"id": "zz-top", "abbreviation": "ZZTOP", "title": "Chief Beard Officer", "area": "x",
         "summary": "Keeps the beards.", "responsibilities": ["Grow"], "reports_to": None},
    ]}), encoding="utf-8")  # fmt: skip
    paths = {"EXTRA": str(extra), "BUNDLED": bundled_path(), "MISSING": str(tmp_path / "no")}
    args = [paths.get(o, o.replace("EXTRA", str(extra))) for o in options] + query
    calls = spy_on_show(monkeypatch)
    assert plain_form(args) is not None
    status = main(args)
    fast = capsys.readouterr()
    slow = runner.invoke(cli, args)
    assert (fast.out, fast.err, status) == (slow.stdout, slow.stderr, slow.exit_code)
    assert len(calls) == 2
    assert calls[0] == calls[1]


@pytest.mark.parametrize(
    "args",
    [
        ["--catalog"],
        ["--catalog", "CFO"],
        ["--catalog", "--json", "CFO"],
        ["--catalog=", "CFO"],
        ["--no-bundled"],
        ["--no-bundled", "list"],
        ["--catalog", "x.json", "CFO", "CTO"],
        ["--catalogue", "x.json", "CFO"],
    ],
)
def test_odd_catalogue_options_go_to_click(args: list[str]) -> None:
    assert plain_form(args) is None
