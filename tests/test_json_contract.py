"""The JSON contract: schemas for every shape, field selection, JSON Lines, batches, jq, bytes."""

from __future__ import annotations

import json
import os
import pty
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, bundled_catalog, drain, invoke
from whoiswho.render_json import HIT_FIELDS, ROLE_FIELDS, role_dict

SCHEMA = json.loads((ROOT / "schemas" / "whoiswho.schema.json").read_text(encoding="utf-8"))


def check(shape: str, data: Any) -> None:
    """Validate data against one $defs entry of schemas/whoiswho.schema.json."""
    validator = jsonschema.Draft202012Validator(
        {"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{shape}"}
    )
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def test_schema_itself_is_valid() -> None:
    """schemas/whoiswho.schema.json is a valid 2020-12 schema."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_schema_rejects_wrong_data() -> None:
    """The schema has teeth: a role without an id fails it."""
    data = role_dict(bundled_catalog(), bundled_catalog().role("cfo"))
    del data["id"]
    with pytest.raises(AssertionError):
        check("role", data)


@pytest.mark.parametrize(
    ("shape", "args"),
    [
        ("role", ["CFO", "--json"]),
        ("role", ["board", "--json"]),
        ("roleList", ["list", "--json"]),
        ("comparison", ["compare", "CIO", "CTO", "--json"]),
        ("comparison", ["compare", "CEO", "COO", "CFO", "--json"]),
        ("searchResults", ["search", "budget", "--json"]),
        ("chart", ["chart", "--format", "json"]),
        ("chart", ["chart", "cfo", "--format", "json"]),
        ("classification", ["classify", "SVP, Global Finance", "--json"]),
        ("classification", ["classify", "President and CEO", "--json"]),
    ],
)
def test_stdout_matches_schema(runner: CliRunner, shape: str, args: list[str]) -> None:
    """Each command's real JSON output validates against its shape."""
    result = invoke(runner, *args)
    assert result.exit_code == 0, result.stderr
    check(shape, json.loads(result.stdout))


def test_every_role_matches_schema(runner: CliRunner) -> None:
    """Every role object of the catalogue validates, with the documented keys in order."""
    for line in invoke(runner, "list", "--jsonl").stdout.splitlines():
        data = json.loads(line)
        check("role", data)
        assert tuple(data) == ROLE_FIELDS


def test_search_hits_have_the_documented_keys(runner: CliRunner) -> None:
    """Search hits carry exactly HIT_FIELDS."""
    for hit in json.loads(invoke(runner, "search", "risk", "--json").stdout):
        assert tuple(hit) == HIT_FIELDS


@pytest.mark.parametrize(
    ("args", "status", "code"),
    [
        (["NOSUCH", "--json"], 1, "not_found"),
        (["CSO", "--json"], 3, "ambiguous"),
        (["compare", "CFO", "--json"], 2, "usage"),
        (["list", "--json", "--no-such-option"], 2, "usage"),
        (["list", "--json", "--fields", "id,nope"], 2, "usage"),
        (["--catalog", "/nonexistent/x.json", "CFO", "--json"], 2, "bad_catalog"),
    ],
)
def test_errors_are_one_json_object_on_stderr(
    runner: CliRunner, args: list[str], status: int, code: str
) -> None:
    """Under --json an error is one JSON object on stderr, stdout empty, the documented status."""
    result = invoke(runner, *args)
    assert result.exit_code == status
    assert result.stdout == ""
    error = json.loads(result.stderr)
    check("error", error)
    assert error["error"] == code


def test_fields_keeps_only_those_keys_in_order(runner: CliRunner) -> None:
    """--fields title,id prints exactly those keys, in that order, for show, list and search."""
    assert invoke(runner, "CFO", "--json", "--fields", "title,id").stdout == (
        '{"title":"Chief Financial Officer","id":"cfo"}\n'
    )
    listed = json.loads(invoke(runner, "list", "--json", "--fields", "id").stdout)
    assert all(list(r) == ["id"] for r in listed)
    hits = json.loads(invoke(runner, "search", "budget", "--json", "--fields", "id,score").stdout)
    assert all(list(h) == ["id", "score"] for h in hits)


def test_unknown_field_lists_the_valid_ones(runner: CliRunner) -> None:
    """An unknown --fields name is a usage error naming every valid field."""
    result = invoke(runner, "CFO", "--fields", "titel")
    assert result.exit_code == 2
    assert "unknown field 'titel'" in result.stderr
    for name in ROLE_FIELDS:
        assert name in result.stderr


def test_indent_option(runner: CliRunner) -> None:
    """--indent N chooses the indentation; --indent 0 is one line."""
    four = invoke(runner, "CFO", "--json", "--indent", "4").stdout
    assert '\n    "id": "cfo",' in four
    assert invoke(runner, "CFO", "--json", "--indent", "0").stdout.count("\n") == 1


def test_jsonl_lists(runner: CliRunner) -> None:
    """list --jsonl and search --jsonl print one compact object per line, matching --json."""
    lines = invoke(runner, "list", "--jsonl").stdout.splitlines()
    assert [json.loads(x) for x in lines] == json.loads(invoke(runner, "list", "--json").stdout)
    hits = invoke(runner, "search", "budget", "--jsonl").stdout.splitlines()
    assert [json.loads(x) for x in hits] == json.loads(
        invoke(runner, "search", "budget", "--json").stdout
    )


def test_batch_lines_in_order(runner: CliRunner) -> None:
    """`show -` prints a line per query, in order: roles or error objects; exit 1 if any failed."""
    result = invoke(
        runner, "show", "-", "--jsonl", input="CFO\nCSO\nNOSUCH\n\nchief technology officer\n"
    )
    assert result.exit_code == 1
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(lines) == 5
    assert lines[0]["id"] == "cfo"
    check("role", lines[0])
    assert lines[1]["error"] == "ambiguous"
    assert lines[1]["candidates"][0].startswith("cso-")
    assert lines[2] == {**lines[2], "query": "NOSUCH", "error": "not_found"}
    assert lines[3]["error"] == "not_found"
    assert lines[4]["id"] == "cto"
    for line in lines[1:4]:
        check("batchError", line)


def test_batch_all_resolved_exits_0(runner: CliRunner) -> None:
    """A batch where every line resolves exits 0; --json behaves like --jsonl there."""
    result = invoke(runner, "show", "-", "--json", "--fields", "id", input="cfo\nCOO\n")
    assert (result.exit_code, result.stdout) == (0, '{"id":"cfo"}\n{"id":"coo"}\n')


@pytest.mark.subprocess
def test_batch_of_10000_lines_in_one_process(
    shell: Any, raw_catalog: dict[str, Any], tmp_path: Path
) -> None:
    """10,000 queries through one process: 10,000 lines out, in order, exit 0."""
    titles = [r["title"] for r in raw_catalog["roles"]]
    queries = [titles[i % len(titles)] for i in range(10_000)]
    (tmp_path / "in.txt").write_text("\n".join(queries) + "\n", encoding="utf-8")
    result = shell("whoiswho show - --jsonl --fields title < in.txt")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert len(out) == 10_000
    assert [json.loads(x)["title"] for x in out] == queries


@pytest.mark.subprocess
@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("whoiswho cfo --json | jq -r .title", "Chief Financial Officer"),
        ("whoiswho list --json | jq -r '.[] | select(.id == \"cto\") | .abbreviation'", "CTO"),
        ("whoiswho compare CIO CTO --json | jq -r '.roles | map(.id) | join(\",\")'", "cio,cto"),
        ("whoiswho search security breaches --json | jq -r '.[0].id'", "ciso"),
        ("printf 'CFO\\nCOO\\n' | whoiswho show - --jsonl | jq -r .id", "cfo\ncoo"),
        ("whoiswho list --jsonl | jq -s length | xargs test 45 -le && echo ok", "ok"),
    ],
)
def test_real_jq(shell: Any, command: str, expected: str) -> None:
    """Real whoiswho output piped through the real jq binary."""
    result = shell(command)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.subprocess
def test_same_bytes_whatever_the_environment(installed: Path) -> None:
    """JSON is byte-identical across locale, encoding, colour and width settings."""
    outputs = set()
    environments: list[dict[str, str]] = [
        {},
        {"LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
        {"FORCE_COLOR": "1", "COLUMNS": "20"},
        {"NO_COLOR": "1", "TERM": "dumb"},
    ]
    for extra in environments:
        env = {**os.environ, **extra}
        for args in (["CFO", "--json"], ["compare", "CIO", "CTO", "--json"], ["list", "--jsonl"]):
            out = subprocess.run([str(installed), *args], env=env, capture_output=True, timeout=30)
            outputs.add((tuple(args), out.stdout))
    assert len(outputs) == 3


@pytest.mark.subprocess
def test_pretty_on_a_terminal(installed: Path) -> None:
    """On a terminal JSON is indented by two spaces; piped it is compact."""
    leader, follower = pty.openpty()
    proc = subprocess.run(
        [str(installed), "CFO", "--json"], stdout=follower, stderr=subprocess.PIPE, timeout=30
    )
    os.close(follower)
    text = drain(leader)
    assert proc.returncode == 0
    assert text.startswith('{\n  "schema_version": 1,\n  "id": "cfo",')


def test_classification_error_matches_schema(runner: CliRunner) -> None:
    """A title that names no role: the not_found error carries a valid classification."""
    result = invoke(runner, "VP of Engineering", "--json")
    assert result.exit_code == 1
    check("error", json.loads(result.stderr))
    check("classification", json.loads(result.stderr)["classification"])


def test_unreadable_title_matches_schema(runner: CliRunner) -> None:
    """Nulls and a reason still make a valid classification object."""
    result = invoke(runner, "classify", "qzxv", "--json")
    check("classification", json.loads(result.stdout))


def test_rank_objects_match_schema() -> None:
    """Every rank of data/titles.json, as the API gives it, fits the documented shape."""
    from whoiswho.vocabulary import bundled

    for rank in bundled().ranks:
        check("rank", rank.to_dict())
