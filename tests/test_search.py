"""`whoiswho search WORDS`: ranking by duty, word forms, highlighting, JSON; and suggestions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import bundled_catalog, invoke
from whoiswho.search import query_terms, search
from whoiswho.text import stem, words

CATALOG = bundled_catalog()
# Words the catalogue holds, so generated queries hit roles, not only miss them.
VOCABULARY = sorted({w for r in CATALOG.roles.values() for w in words(r.summary)})[:400]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["budget"], "cfo"),
        (["press", "and", "reputation"], "cco-communications"),
        (["day-to-day", "operations"], "coo"),
        (["security", "breaches"], "ciso"),
        (["who", "owns", "the", "budget?"], "cfo"),
        (["who", "talks", "to", "the", "press?"], "cco-communications"),
    ],
)
def test_examples_rank_the_right_role_first(
    runner: CliRunner, words: list[str], expected: str
) -> None:
    """The issue's examples put the right role at the top of the JSON results."""
    result = invoke(runner, "search", *words, "--json")
    assert result.exit_code == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == expected
    assert set(hits[0]) >= {"id", "abbreviation", "title", "score", "matched"}
    scores = [h["score"] for h in hits]
    assert all(isinstance(s, float | int) for s in scores)


@pytest.mark.parametrize("form", ["budget", "budgets", "budgeting", "BUDGETED", "Budgets"])
def test_word_forms_and_case_match_alike(runner: CliRunner, form: str) -> None:
    """budget / budgets / budgeting / BUDGETED find the same roles in the same order."""
    baseline = [h["id"] for h in json.loads(invoke(runner, "search", "budget", "--json").stdout)]
    assert [
        h["id"] for h in json.loads(invoke(runner, "search", form, "--json").stdout)
    ] == baseline


def test_accents_do_not_matter(runner: CliRunner) -> None:
    """Accented query words fold to their plain forms."""
    plain = invoke(runner, "search", "securite", "--json").stdout
    accented = invoke(runner, "search", "sécurité", "--json").stdout
    assert plain == accented


def test_more_words_matched_ranks_higher() -> None:
    """A role matching both words outranks roles matching one."""
    hits = search(CATALOG, "security breaches")
    assert hits[0].matched == ("security", "breaches")
    assert all(len(h.matched) <= len(hits[0].matched) for h in hits)


def test_names_weigh_more_than_duties() -> None:
    """A word in a title beats the same word in duties: 'audit' finds the audit executive first."""
    assert search(CATALOG, "audit")[0].role.id == "cae"


def test_limit(runner: CliRunner) -> None:
    """--limit N keeps the N best."""
    hits = json.loads(invoke(runner, "search", "budget", "--limit", "2", "--json").stdout)
    assert len(hits) == 2


def test_no_match_prints_empty_array_and_exits_1(runner: CliRunner) -> None:
    """No match: `[]` on stdout under --json, exit 1; a message on stderr otherwise."""
    result = invoke(runner, "search", "zzzzqx", "--json")
    assert (result.exit_code, result.stdout.strip()) == (1, "[]")
    human = invoke(runner, "search", "zzzzqx")
    assert human.exit_code == 1
    assert human.stdout == ""
    assert "no role matches" in human.stderr


def test_human_view_shows_matching_lines_highlighted(runner: CliRunner) -> None:
    """The human view lists the matching duty lines with the matched words styled."""
    result = invoke(runner, "search", "breaches", "--color", "always")
    assert result.exit_code == 0
    assert "\x1b[1;33mbreaches" in result.stdout
    plain = invoke(runner, "search", "breaches").stdout
    assert "CISO" in plain
    assert "breach occurs" in " ".join(plain.split())


@pytest.mark.parametrize(
    ("query", "suggested"),
    [("CF0", "cfo"), ("CTOO", "cto"), ("cheif executive", "ceo")],
)
def test_unknown_queries_suggest_close_roles(runner: CliRunner, query: str, suggested: str) -> None:
    """Under --json a near miss exits 1, says nothing was found and suggests the close role, on
    stderr only: a mended typo is never a silent answer to a script."""
    result = invoke(runner, query, "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert suggested in json.loads(result.stderr)["candidates"]


def test_people_get_the_mended_reading_said_aloud(runner: CliRunner) -> None:
    """In the human view a title with a typo is read, and the card says how."""
    result = invoke(runner, "cheif executive")
    assert result.exit_code == 0
    assert result.stdout.startswith("Read 'cheif executive' as CEO (Chief Executive Officer).")


def test_a_title_spelled_differently_resolves(runner: CliRunner) -> None:
    """ "chief finance officer" is the CFO, for scripts too (no word was guessed)."""
    result = invoke(runner, "chief finance officer", "--json")
    assert json.loads(result.stdout)["id"] == "cfo"


def test_a_near_miss_suggests_in_words(runner: CliRunner) -> None:
    """The human miss message lists the close role under "Did you mean"."""
    result = invoke(runner, "CF0")
    assert result.exit_code == 1
    assert "Did you mean" in result.stderr
    assert "(cfo)" in result.stderr


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=12).filter(
        lambda w: w[-1] not in "suiy" and not w.endswith("ie")
    )
)
def test_plural_and_singular_share_a_stem(word: str) -> None:
    """A regular plural (word + s) stems like its singular, so "budgets" finds "budget"."""
    assert stem(word + "s") == stem(word)


def _role_stems(role: Any) -> set[str]:
    texts = [role.title, role.abbreviation, *role.names, role.summary, *role.responsibilities]
    return {stem(w) for text in texts for w in words(text)}


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40) | st.lists(st.sampled_from(VOCABULARY), max_size=4).map(" ".join))
def test_search_finds_exactly_the_roles_that_hold_a_query_word(query: str) -> None:
    """Checked against a plain scan: a role is a hit exactly when one of its words stems like a
    query word; its matched words are those; more words matched ranks first."""
    from whoiswho.errors import UsageError

    try:
        hits = search(CATALOG, query)
    except UsageError:
        assert not words(query)
        return
    terms = query_terms(query)
    expected = {}
    for role in CATALOG.roles.values():
        found = [word for term, word in terms.items() if term in _role_stems(role)]
        if found:
            expected[role.id] = found
    assert {h.role.id: list(h.matched) for h in hits} == expected
    counts = [len(h.matched) for h in hits]
    assert counts == sorted(counts, reverse=True)


def test_whitespace_table_is_complete() -> None:
    """text.WHITESPACE lists exactly the characters str.isspace() accepts."""
    from whoiswho.text import WHITESPACE

    assert set(WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


@pytest.mark.parametrize(
    ("words", "first"),
    [
        (["head", "of", "finance"], "cfo"),
        (["VP", "of", "Engineering"], "cto"),
        (["general", "manager"], "general-manager"),
    ],
)
def test_search_reads_titles_as_lookups_do(runner: CliRunner, words: list[str], first: str) -> None:
    """A query that is a job title ranks the role it names, or sits under, first."""
    hits = json.loads(invoke(runner, "search", *words, "--json").stdout)
    assert hits[0]["id"] == first
    assert "clo-legal" not in [h["id"] for h in hits[:1]]


def test_promote_moves_only_matched_roles() -> None:
    """promote() puts the named roles first, in order, and adds nothing."""
    from whoiswho.search import promote

    hits = search(CATALOG, "budget")
    ids = [h.role.id for h in hits]
    moved = promote(hits, ["board", "no-such-role", "cfo"])
    assert [h.role.id for h in moved][:2] == ["board", "cfo"]
    assert sorted(h.role.id for h in moved) == sorted(ids)
