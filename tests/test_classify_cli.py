"""`whoiswho classify` and titles in lookups, through the real CLI: one title, a stream, a CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import invoke


def classified(runner: CliRunner, title: str) -> dict[str, Any]:
    result = invoke(runner, "classify", title, "--json")
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize(
    ("title", "function", "level", "roles", "reports_into"),
    [
        ("SVP, Global Finance", "finance", "svp", [], "cfo"),  # ranked
        ("President and CEO", "executive", "c_level", ["ceo", "president"], "board"),  # compound
        (
            "EVP, Chief Financial Officer & Treasurer",
            "finance",
            "c_level",
            ["cfo", "treasurer"],
            "ceo",
        ),
        ("Pres, CEO", "executive", "c_level", ["ceo", "president"], "board"),  # filing style
        ("Interim CFO", "finance", "c_level", ["cfo"], "ceo"),  # decorated
        ("VP of Engineering", "technology", "vp", [], "cto"),
        ("Marketing Manager", "marketing", "manager", [], "cmo"),
        ("CEO & Director", "executive", "board", ["board", "ceo"], "board"),  # filings' Director
    ],
)
def test_titles_read_as_people_write_them(
    runner: CliRunner,
    title: str,
    function: str,
    level: str,
    roles: list[str],
    reports_into: str,
) -> None:
    """Compound, ranked, decorated and abbreviated titles: function, level, roles, superior."""
    data = classified(runner, title)
    assert (data["function"], data["level"], data["roles"], data["reports_into"]) == (
        function,
        level,
        roles,
        reports_into,
    )
    assert data["title"] == title
    assert data["reason"] is None


def test_quotes_are_optional(runner: CliRunner) -> None:
    """`classify President and CEO` is the same title as `classify "President and CEO"`."""
    joined = json.loads(invoke(runner, "classify", "President", "and", "CEO", "--json").stdout)
    assert joined == classified(runner, "President and CEO")


def test_unclassifiable_title_exits_1_with_a_reason(runner: CliRunner) -> None:
    """Gibberish: nulls, a reason, exit 1."""
    result = invoke(runner, "classify", "qzxv wplk", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["function"], data["level"], data["roles"]) == (None, None, [])
    assert data["reason"]


def test_human_view_says_it_in_words(runner: CliRunner) -> None:
    """One title: a sentence and the chain up to the board."""
    out = " ".join(invoke(runner, "classify", "SVP, Global Finance").stdout.split())
    assert "A senior vice president in finance, in the CFO's organisation" in out
    assert "this title → CFO → CEO → Board of Directors" in out


def test_stream_keeps_every_line_in_order(runner: CliRunner) -> None:
    """`classify -`: one JSON line per input line, in order, failures included; exit 1."""
    titles = ["CEO", "qzxv", "", "VP Sales", "CEO"]
    result = invoke(runner, "classify", "-", "--json", input="\n".join(titles) + "\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["title"] for line in lines] == titles
    assert [line["reason"] is None for line in lines] == [True, False, False, True, True]
    assert result.exit_code == 1


def test_stream_of_good_titles_exits_0(runner: CliRunner) -> None:
    """Every line read: exit 0; --jsonl is accepted too."""
    result = invoke(runner, "classify", "-", "--jsonl", input="CFO\nHead of Sales\n")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 2


def test_piped_human_stream_is_tab_separated(runner: CliRunner) -> None:
    """Without --json, piped: one tab-separated record per title, no decoration."""
    result = invoke(runner, "classify", "-", input="VP Sales\n")
    assert result.stdout.split("\t")[:5] == ["VP Sales", "sales", "vp", "", "cro-revenue"]


def write_csv(path: Path, rows: list[list[str]], *, bom: bool = False, crlf: bool = False) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))


ROWS = [
    ["Name", "Job Title", "Notes"],
    ["Smith, Jane", "EVP & CFO", 'said "hello"\non two lines'],
    ["Empty", "", ""],
    ["Lee", "VP, Sales", "x"],
]


@pytest.mark.parametrize(("bom", "crlf"), [(False, False), (True, True)])
def test_csv_round_trip(runner: CliRunner, tmp_path: Path, bom: bool, crlf: bool) -> None:
    """Every original row and column kept (quoting, embedded newlines, BOM, CR LF), the
    classification in added columns; an empty cell is unclassified: exit 1."""
    path = tmp_path / "leads.csv"
    write_csv(path, ROWS, bom=bom, crlf=crlf)
    result = invoke(runner, "classify", "--csv", str(path), "--column", "Job Title")
    assert result.exit_code == 1
    text = result.stdout_bytes.decode("utf-8")  # .stdout would turn CR LF into LF
    assert text.startswith("\ufeff") is bom
    assert ("\r\n" in text) is crlf
    out = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert [row[:3] for row in out] == ROWS
    assert out[0][3:] == [
        "whoiswho_function",
        "whoiswho_level",
        "whoiswho_roles",
        "whoiswho_reports_into",
        "whoiswho_qualifiers",
        "whoiswho_confidence",
    ]
    assert out[1][3:7] == ["finance", "c_level", "cfo", "ceo"]
    assert out[2][3:6] == ["", "", ""]


def test_csv_from_stdin(runner: CliRunner) -> None:
    """`--csv -` reads the CSV from standard input."""
    result = invoke(
        runner, "classify", "--csv", "-", "--column", "t", input="t\nCFO\nChief People Officer\n"
    )
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 3


def test_csv_missing_column_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    """A column that is not there: exit 2, the file, the line and the columns it has."""
    path = tmp_path / "leads.csv"
    write_csv(path, ROWS)
    result = invoke(runner, "classify", "--csv", str(path), "--column", "Title")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"whoiswho: {path}, line 1: no column 'Title'; the columns are 'Name', 'Job Title', "
        "'Notes'\n"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"", "empty, no header line"), (b"t\n\xff\xfe\n", "not UTF-8 text")],
)
def test_unreadable_csv_names_the_problem(
    runner: CliRunner, tmp_path: Path, content: bytes, problem: str
) -> None:
    """An empty or undecodable file: exit 2, a message naming the file and the problem."""
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = invoke(runner, "classify", "--csv", str(path), "--column", "t")
    assert result.exit_code == 2
    assert str(path) in result.stderr
    assert problem in result.stderr


def test_csv_file_that_does_not_exist(runner: CliRunner, tmp_path: Path) -> None:
    """A missing file is a usage error naming it."""
    result = invoke(runner, "classify", "--csv", str(tmp_path / "no.csv"), "--column", "t")
    assert result.exit_code == 2
    assert result.stderr == f"whoiswho: {tmp_path / 'no.csv'}: no such file\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30),
                max_size=8))  # fmt: skip
def test_any_titles_one_line_each(titles: list[str]) -> None:
    """Whatever the titles: no traceback, one JSON line per input line, in order."""
    titles = [t.replace("\r", " ").replace("\n", " ") for t in titles]
    runner = CliRunner()
    result = runner.invoke(
        __import__("whoiswho.cli", fromlist=["cli"]).cli,
        ["classify", "-", "--json"],
        input="".join(t + "\n" for t in titles),
        catch_exceptions=False,
    )
    assert result.exit_code in (0, 1)
    lines = result.stdout.splitlines()
    assert len(lines) == len(titles)
    assert [json.loads(line)["title"] for line in lines] == titles


# --- titles in lookups ----------------------------------------------------------------------


def test_title_naming_one_role_shows_its_card(runner: CliRunner) -> None:
    """`whoiswho "EVP & CFO"`: the CFO card, with how the title was read; JSON is the role."""
    human = invoke(runner, "EVP & CFO")
    assert human.exit_code == 0
    assert human.stdout.startswith("Read 'EVP & CFO' as CFO (Chief Financial Officer) at EVP rank.")
    data = json.loads(invoke(runner, "EVP & CFO", "--json").stdout)
    assert data["id"] == "cfo"


def test_title_naming_two_roles(runner: CliRunner) -> None:
    """ "President and CEO": both cards, most senior first; --json is ambiguous (exit 3)."""
    human = invoke(runner, "President and CEO").stdout
    assert human.index("╭─ CEO") < human.index("╭─ President")
    result = invoke(runner, "President and CEO", "--json")
    assert result.exit_code == 3
    assert json.loads(result.stderr)["candidates"] == ["ceo", "president"]


def test_title_naming_no_role(runner: CliRunner) -> None:
    """ "VP of Engineering": the classification (exit 0); --json: not found, exit 1, with it."""
    human = invoke(runner, "VP of Engineering")
    assert human.exit_code == 0
    assert "in the CTO's organisation" in " ".join(human.stdout.split())
    result = invoke(runner, "VP of Engineering", "--json")
    assert result.exit_code == 1
    error = json.loads(result.stderr)
    assert error["error"] == "not_found"
    assert error["classification"]["reports_into"] == "cto"


def test_rank_is_explained(runner: CliRunner) -> None:
    """`whoiswho SVP`: the rank, what it means and how it combines, not a miss."""
    result = invoke(runner, "SVP")
    assert result.exit_code == 0
    assert "Senior Vice President" in result.stdout
    assert "A rank, not a job" in " ".join(result.stdout.replace("│", " ").split())


def test_general_manager_never_suggests_the_lawyer(runner: CliRunner) -> None:
    """ "general manager" finds the general manager, nothing legal."""
    result = invoke(runner, "general manager", "--json")
    assert json.loads(result.stdout)["id"] == "general-manager"


def test_user_catalogue_extends_the_vocabulary(runner: CliRunner, tmp_path: Path) -> None:
    """A catalogue file's "titles" section adds words the classifier then reads."""
    ours = tmp_path / "ours.json"
    ours.write_text(
        json.dumps(
            {
                "roles": [],
                "titles": {
                    "functions": [{"names": ["widgetry"], "area": "operations", "under": "coo"}]
                },
            }
        ),
        encoding="utf-8",
    )
    before = classified(runner, "VP of Widgetry")
    assert (before["function"], before["reports_into"]) != ("operations", "coo")
    result = invoke(runner, "--catalog", str(ours), "classify", "VP of Widgetry", "--json")
    data = json.loads(result.stdout)
    assert (data["function"], data["level"], data["reports_into"]) == ("operations", "vp", "coo")


@pytest.mark.subprocess
def test_a_crm_column_through_a_pipe(shell: Any, tmp_path: Path) -> None:
    """`cut -f3 contacts.tsv | whoiswho classify - --json | jq`: one line each, no progress
    output on a piped stderr."""
    (tmp_path / "contacts.tsv").write_text(
        "a\tb\tEVP & CFO\nc\td\tHead of People\ne\tf\tqzxv\n", encoding="utf-8"
    )
    result = shell("cut -f3 contacts.tsv | whoiswho classify - --json | jq -r .level")
    assert result.stdout.splitlines() == ["c_level", "head_or_director", "null"]
    assert result.stderr == ""


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class FakePipe(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize("stderr_is_terminal", [True, False])
def test_progress_only_on_a_terminal_after_a_second(
    monkeypatch: pytest.MonkeyPatch, stderr_is_terminal: bool
) -> None:
    """With output redirected, a count shows on stderr once the work passes a second, and
    only when stderr is a terminal; the items pass through unchanged either way."""
    from whoiswho import app_classify

    clock = iter(range(1000))  # each reading of the clock: half a second later
    monkeypatch.setattr(app_classify.time, "monotonic", lambda: next(clock) / 2)
    err = FakeTerminal() if stderr_is_terminal else FakePipe()
    monkeypatch.setattr("sys.stderr", err)
    monkeypatch.setattr("sys.stdout", FakePipe())
    items = [str(i) for i in range(5000)]
    assert list(app_classify._progress(items)) == items
    if stderr_is_terminal:
        assert "\rwhoiswho: 5,000 titles, done" in err.getvalue()
    else:
        assert err.getvalue() == ""


def test_big_catalogues_skip_title_reading_in_lookups(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the limit a lookup miss stays a miss (no seconds spent compiling names); classify
    still reads the title."""
    from whoiswho import app_classify

    monkeypatch.setattr(app_classify, "TITLE_READING_LIMIT", 10)
    result = invoke(runner, "VP of Engineering", "--json")
    assert result.exit_code == 1
    assert "classification" not in json.loads(result.stderr)
    assert classified(runner, "VP of Engineering")["reports_into"] == "cto"
