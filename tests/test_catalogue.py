"""data/roles.json: the schema, consistency, breadth, ambiguity and own-words guarantees."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from tests.conftest import ROOT, invoke
from whoiswho.text import lookup_key

SCHEMA = json.loads((ROOT / "data" / "roles.schema.json").read_text(encoding="utf-8"))

# Pairs people confuse that must carry a curated note (issue: the catalogue).
CURATED_PAIRS = [
    ("cio", "cto"),
    ("ceo", "coo"),
    ("ceo", "president"),
    ("ceo", "chair"),
    ("cmo", "cco-communications"),
    ("ciso", "cso-security"),
    ("cio", "cdo-data"),
    ("cfo", "cao-accounting"),
    ("chro", "cpo-people"),
    ("cpo-product", "cto"),
    ("cro-revenue", "cco-commercial"),
    ("cdo-data", "cao-analytics"),
]


def roles_by_id(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in raw["roles"]}


def test_catalogue_matches_its_schema(raw_catalog: dict[str, Any]) -> None:
    """data/roles.json validates against data/roles.schema.json."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    errors = [
        f"{e.json_path}: {e.message}"
        for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(raw_catalog)
    ]
    assert errors == []


def test_schema_rejects_a_role_without_sources(raw_catalog: dict[str, Any]) -> None:
    """The schema has teeth: an entry with no sources fails it."""
    broken = json.loads(json.dumps(raw_catalog))
    broken["roles"][0]["sources"] = []
    assert not jsonschema.Draft202012Validator(SCHEMA).is_valid(broken)


def test_ids_are_unique(raw_catalog: dict[str, Any]) -> None:
    """No two entries share an id."""
    ids = [r["id"] for r in raw_catalog["roles"]]
    assert len(ids) == len(set(ids))


def test_breadth(raw_catalog: dict[str, Any]) -> None:
    """At least 45 entries, the seed article's seven among them, plus the board."""
    ids = set(roles_by_id(raw_catalog))
    assert len(ids) >= 45
    assert {"board", "ceo", "coo", "cmo", "cfo", "cio", "cto", "cco-communications"} <= ids


def test_every_reporting_line_reaches_the_board(raw_catalog: dict[str, Any]) -> None:
    """Every reports_to names an entry, nothing loops, and every chain ends at the board."""
    roles = roles_by_id(raw_catalog)
    tops = [r for r in roles.values() if r["reports_to"] is None]
    assert [r["id"] for r in tops] == ["board"]
    for role in roles.values():
        for target in role.get("reports_to_alternatives", []):
            assert target in roles, (role["id"], target)
            assert target != role["id"]
        seen, current = [], role["id"]
        while current is not None:
            assert current not in seen, f"cycle: {[*seen, current]}"
            seen.append(current)
            current = roles[current]["reports_to"]
        assert seen[-1] == "board"


def test_every_entry_has_sources_and_depth(raw_catalog: dict[str, Any]) -> None:
    """Each entry names where its facts come from and has at least four duties."""
    for role in raw_catalog["roles"]:
        assert role["sources"], role["id"]
        assert len(role["responsibilities"]) >= 4, role["id"]
        assert all(s["title"].strip() for s in role["sources"]), role["id"]


def test_seed_roles_cite_the_seed_article(raw_catalog: dict[str, Any]) -> None:
    """The seven roles of the seed article say they draw on it."""
    roles = roles_by_id(raw_catalog)
    for role_id in ("ceo", "coo", "cmo", "cfo", "cio", "cto", "cco-communications"):
        urls = [s.get("url") or "" for s in roles[role_id]["sources"]]
        assert any("globaltimes.cn" in u for u in urls), role_id


def test_shared_abbreviations_are_ranked(raw_catalog: dict[str, Any]) -> None:
    """A shared abbreviation is marked: ranks 1..n, at most one primary (rank 1)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for role in raw_catalog["roles"]:
        groups[role["abbreviation"].casefold()].append(role)
    for abbreviation, members in groups.items():
        if len(members) == 1:
            assert "meaning_rank" not in members[0], abbreviation
            assert "primary" not in members[0], abbreviation
            continue
        ranks = sorted(m.get("meaning_rank", 0) for m in members)
        assert ranks == list(range(1, len(members) + 1)), abbreviation
        primaries = [m for m in members if m.get("primary")]
        assert len(primaries) <= 1, abbreviation
        assert all(p["meaning_rank"] == 1 for p in primaries), abbreviation


@pytest.mark.parametrize(("abbreviation", "primary"), [("CIO", "cio"), ("CMO", "cmo")])
def test_dominant_meanings_are_primary(
    raw_catalog: dict[str, Any], abbreviation: str, primary: str
) -> None:
    """CIO and CMO have a primary meaning; the others of each share the abbreviation."""
    members = [r for r in raw_catalog["roles"] if r["abbreviation"] == abbreviation]
    assert len(members) >= 2
    assert [m["id"] for m in members if m.get("primary")] == [primary]


@pytest.mark.parametrize(
    ("abbreviation", "meanings"),
    [
        ("CSO", {"security", "strategy", "science", "sustainability"}),
        ("CPO", {"product", "people", "procurement", "privacy"}),
        ("CCO", {"compliance", "commercial", "customer", "creative", "content"}),
        ("CDO", {"data", "digital", "diversity"}),
        ("CAO", {"administrative", "accounting", "analytics"}),
        ("CRO", {"risk", "revenue"}),
        ("CMO", {"medical"}),
        ("CLO", {"legal", "learning"}),
        ("CIO", {"investment"}),
    ],
)
def test_every_meaning_is_its_own_entry(
    raw_catalog: dict[str, Any], abbreviation: str, meanings: set[str]
) -> None:
    """Each meaning of an ambiguous abbreviation has an id of the form abbr-meaning."""
    ids = set(roles_by_id(raw_catalog))
    for meaning in meanings:
        role_id = f"{abbreviation.lower()}-{meaning}"
        assert role_id in ids
        assert roles_by_id(raw_catalog)[role_id]["abbreviation"] == abbreviation


def test_no_name_is_silently_shared(raw_catalog: dict[str, Any]) -> None:
    """A name two entries go by is in shared_names of both, never in other_names."""
    owners: dict[str, set[str]] = defaultdict(set)
    for role in raw_catalog["roles"]:
        for name in role.get("other_names", []) + role.get("shared_names", []):
            owners[lookup_key(name)].add(role["id"])
    for role in raw_catalog["roles"]:
        for name in role.get("other_names", []):
            assert owners[lookup_key(name)] == {role["id"]}, name
        for name in role.get("shared_names", []):
            assert len(owners[lookup_key(name)]) >= 2, name


def test_curated_pairs_have_notes(raw_catalog: dict[str, Any]) -> None:
    """Every pair people confuse has a key-difference note, and every note names real ids."""
    ids = set(roles_by_id(raw_catalog))
    pairs = {frozenset(d["roles"]) for d in raw_catalog["differences"]}
    for diff in raw_catalog["differences"]:
        assert set(diff["roles"]) <= ids, diff["roles"]
    for pair in CURATED_PAIRS:
        assert frozenset(pair) in pairs, pair


def _shingle_hashes(text: str, size: int = 7) -> set[str]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    runs = (" ".join(words[i : i + size]) for i in range(len(words) - size + 1))
    return {hashlib.sha256(run.encode()).hexdigest()[:16] for run in runs}


SEED_SHINGLES = ROOT / "tests" / "data" / "seed_shingles.txt"


def test_no_sentence_copied_from_the_seed_article(raw_catalog: dict[str, Any]) -> None:
    """Facts carry over from the article, sentences do not: no 7-word run of it appears.

    tests/data/seed_shingles.txt holds hashes of the article's 7-word runs, not its text."""
    lines = SEED_SHINGLES.read_text(encoding="utf-8").splitlines()
    copied = {line for line in lines if line and not line.startswith("#")}
    assert len(copied) > 500  # the whole article, not an empty file
    texts = [d["note"] for d in raw_catalog["differences"]]
    for role in raw_catalog["roles"]:
        texts += [role["summary"], *role["responsibilities"]]
    for text in texts:
        assert not (_shingle_hashes(text) & copied), text


@pytest.mark.parametrize(
    ("query", "role_id"),
    [
        ("Finance Director", "cfo"),
        ("首席技术官", "cto"),
        ("General Counsel", "clo-legal"),
        ("Managing Director", "managing-director"),
        ("Executive Director", "executive-director"),
        ("EVP of Operations", "coo"),
        ("Chief Strategy Officer", "cso-strategy"),
        ("cso-security", "cso-security"),
        ("CIO", "cio"),
        ("CMO", "cmo"),
        ("Chief Communications Officer", "cco-communications"),
    ],
)
def test_names_resolve(runner: CliRunner, query: str, role_id: str) -> None:
    """Other names, Chinese names, ids and primary meanings answer a JSON lookup uniquely."""
    result = invoke(runner, query, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == role_id


@pytest.mark.parametrize("abbreviation", ["CSO", "CPO", "CDO", "CAO", "CRO", "CLO"])
def test_ambiguous_abbreviations(
    runner: CliRunner, raw_catalog: dict[str, Any], abbreviation: str
) -> None:
    """No dominant meaning: the human view lists each, JSON exits 3 with every candidate."""
    members = sorted(
        (r for r in raw_catalog["roles"] if r["abbreviation"] == abbreviation),
        key=lambda r: r["meaning_rank"],
    )
    human = invoke(runner, abbreviation)
    assert human.exit_code == 0
    positions = [human.stdout.index(m["id"]) for m in members]
    assert positions == sorted(positions), "most common meaning first"
    as_json = invoke(runner, abbreviation, "--json")
    assert as_json.exit_code == 3
    assert as_json.stdout == ""
    assert json.loads(as_json.stderr)["candidates"] == [m["id"] for m in members]


def test_head_of_people_is_ambiguous(runner: CliRunner) -> None:
    """A name two roles share never resolves silently to one of them."""
    result = invoke(runner, "Head of People", "--json")
    assert result.exit_code == 3
    assert set(json.loads(result.stderr)["candidates"]) == {"chro", "cpo-people"}


def test_compare_ciso_with_security_cso_shows_the_note(
    runner: CliRunner, raw_catalog: dict[str, Any]
) -> None:
    """`whoiswho compare CISO cso-security` shows the curated note."""
    note = next(
        d["note"] for d in raw_catalog["differences"] if set(d["roles"]) == {"ciso", "cso-security"}
    )
    flat = " ".join(
        invoke(runner, "compare", "CISO", "cso-security").stdout.replace("│", " ").split()
    )
    assert " ".join(note.split()) in flat


def test_primary_card_names_other_meanings(runner: CliRunner) -> None:
    """The primary CMO's card says CMO can also mean the Chief Medical Officer."""
    flat = " ".join(invoke(runner, "CMO").stdout.replace("│", " ").split())
    assert "Chief Medical Officer (cmo-medical)" in flat


def test_cco_has_no_dominant_meaning(runner: CliRunner) -> None:
    """No source puts one CCO first by a wide margin: `CCO --json` is ambiguous (exit 3) and
    lists every meaning, communications among them."""
    result = invoke(runner, "CCO", "--json")
    assert result.exit_code == 3
    candidates = json.loads(result.stderr)["candidates"]
    assert {"cco-communications", "cco-compliance", "cco-commercial"} <= set(candidates)


def test_every_ranked_meaning_cites_its_evidence(raw_catalog: dict[str, Any]) -> None:
    """Each meaning_rank and primary names, in rank_source, one of the entry's own sources."""
    for role in raw_catalog["roles"]:
        if "meaning_rank" in role or role.get("primary"):
            urls = {s.get("url") for s in role["sources"]}
            assert role.get("rank_source") in urls, role["id"]


def test_every_role_states_its_chinese_name_or_none(raw_catalog: dict[str, Any]) -> None:
    """zh is present on every bundled role: a name, or null for 'no established name found'."""
    assert all("zh" in role for role in raw_catalog["roles"])


def test_every_duty_has_a_facet(raw_catalog: dict[str, Any]) -> None:
    """Compare lines duties up by facet, so every bundled duty carries one."""
    for role in raw_catalog["roles"]:
        assert len(role.get("facets", [])) == len(role["responsibilities"]), role["id"]


def test_shared_abbreviations_have_at_most_one_cited_primary(raw_catalog: dict[str, Any]) -> None:
    """An abbreviation two roles share has one primary with a cited source, or none."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for role in raw_catalog["roles"]:
        groups.setdefault(role["abbreviation"].casefold(), []).append(role)
    for members in groups.values():
        primaries = [m for m in members if m.get("primary")]
        assert len(primaries) <= 1
        for p in primaries:
            assert p.get("rank_source"), p["id"]


def test_catalogue_has_at_least_a_hundred_roles(raw_catalog: dict[str, Any]) -> None:
    """The titles people meet: at least 100 roles."""
    assert len(raw_catalog["roles"]) >= 100


def test_every_shared_abbreviation_pair_has_a_note(raw_catalog: dict[str, Any]) -> None:
    """Two roles that share an abbreviation are the pairs people confuse first: each pair has
    a curated note saying what sets them apart."""
    notes = {frozenset(d["roles"]) for d in raw_catalog["differences"]}
    roles = raw_catalog["roles"]
    missing = [
        (a["id"], b["id"])
        for i, a in enumerate(roles)
        for b in roles[i + 1 :]
        if a["abbreviation"].casefold() == b["abbreviation"].casefold()
        and frozenset((a["id"], b["id"])) not in notes
    ]
    assert not missing
