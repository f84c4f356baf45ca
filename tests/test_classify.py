"""The title classifier core: each reading rule and its counter-examples, the API, robustness."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from whoiswho.app import Settings
from whoiswho.catalog import load_files
from whoiswho.classifier import LEVELS, Classification, classify, reader
from whoiswho.errors import CatalogError
from whoiswho.locations import load_order
from whoiswho.model import Catalog
from whoiswho.vocabulary import bundled

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "classify_cases.tsv"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_files(load_order())


def read_cases() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def summary(result: Classification) -> tuple[str, str, str, str]:
    return (
        result.function or "",
        result.level or "",
        ",".join(sorted(result.roles)),
        result.reports_into or "",
    )


@pytest.mark.parametrize("case", read_cases(), ids=lambda c: c["title"])
def test_regression_cases(case: dict[str, str], catalog: Catalog) -> None:
    """Each hand-labelled case in tests/data/classify_cases.tsv reads as labelled."""
    roles = ",".join(sorted(r for r in case["roles"].split(",") if r))
    want = (case["function"], case["level"], roles, case["reports_into"])
    assert summary(classify(case["title"], catalog)) == want


@pytest.mark.parametrize(
    ("title", "roles"),
    [
        ("President and CEO", ("ceo", "president")),
        ("Sr VP, Gen Counsel & Sec'y", ("clo-legal", "company-secretary")),
        ("Chairman & CEO", ("chair", "ceo")),
        ("EVP, Chief Financial Officer & Treasurer", ("cfo", "treasurer")),
    ],
)
def test_roles_most_senior_first(title: str, roles: tuple[str, ...], catalog: Catalog) -> None:
    """Roles come most senior first: by level, then a role before those reporting to it."""
    assert classify(title, catalog).roles == roles


@pytest.mark.parametrize(
    ("title", "functions"),
    [
        ("Chief Financial and Operating Officer", ("finance", "operations")),
        ("VP, Sales and Marketing", ("sales", "marketing")),
        ("Sr VP, Gen Counsel & Sec'y", ("legal", "governance")),
        ("Chairman & CEO", ("executive", "governance")),
    ],
)
def test_every_function_named_main_first(
    title: str, functions: tuple[str, ...], catalog: Catalog
) -> None:
    """A title naming several functions lists them all, the leading role's first."""
    assert classify(title, catalog).functions == functions


@pytest.mark.parametrize(
    ("title", "parts"),
    [
        ("Research and Development Manager", 1),  # a phrase with "and" inside
        ("Chief Financial and Operating Officer", 2),  # two officers, one noun
        ("VP, Sales and Marketing", 1),  # functions of one rank
        ("President and CEO", 2),  # two titles
        ("CFO / COO", 2),
        ("CFO | Board Member", 2),
        ("Vice President – Finance", 1),
    ],
)
def test_split_only_where_each_side_stands(title: str, parts: int, catalog: Catalog) -> None:
    """Separators split a title only where each side stands as a title on its own."""
    result = classify(title, catalog)
    named = len(result.roles) + (result.level in ("vp", "manager") and not result.roles)
    assert named == parts, result


def test_ambiguous_abbreviation_lists_every_meaning(catalog: Catalog) -> None:
    """CSO alone: every meaning's function, all its roles, and less confidence."""
    result = classify("CSO", catalog)
    every_cso = [r for r in catalog.roles.values() if r.abbreviation == "CSO"]
    assert len(every_cso) >= 4
    assert set(result.functions) == {r.area for r in every_cso}
    assert set(result.roles) == {r.id for r in every_cso}
    assert result.confidence < classify("CFO", catalog).confidence


def test_ambiguous_abbreviation_decided_by_the_rest(catalog: Catalog) -> None:
    """ "SVP & CCO, Compliance": the compliance meaning, alone."""
    result = classify("SVP & CCO, Compliance", catalog)
    assert result.roles == ("cco-compliance",)
    assert result.functions == ("compliance",)


def test_dominant_meaning_still_lists_the_others(catalog: Catalog) -> None:
    """CIO names the primary CIO but lists the other meanings' functions after its own."""
    result = classify("CIO", catalog)
    assert result.roles == ("cio",)
    assert result.functions[0] == "technology"
    assert "investment" in result.functions


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("Director", "board"),
        ("Dir", "board"),
        ("CEO & Director", "board"),
        ("Director of Marketing", "head_or_director"),
        ("Marketing Director", "head_or_director"),
        ("Director, Marketing", "head_or_director"),
        ("Regional Director", "head_or_director"),
    ],
)
def test_bare_director_is_a_board_seat(title: str, level: str, catalog: Catalog) -> None:
    """Filings' bare Director is a board member; Director of X heads a department."""
    assert classify(title, catalog).level == level


@pytest.mark.parametrize(
    ("title", "qualifiers"),
    [
        ("Interim CFO", ("interim",)),
        ("Acting General Counsel", ("acting",)),
        ("Group CFO", ("group",)),
        ("CFO, Americas", ("regional",)),
        ("Co-Founder & CTO", ("founder",)),
        ("EVP & CFO", ("evp",)),
    ],
)
def test_decorations_become_qualifiers(
    title: str, qualifiers: tuple[str, ...], catalog: Catalog
) -> None:
    """Interim, acting, group, a region, founder and a lower rank do not block the role."""
    result = classify(title, catalog)
    assert result.qualifiers == qualifiers
    assert result.roles


@pytest.mark.parametrize(
    ("title", "level", "function"),
    [
        ("Loan Officer", "other", "finance"),
        ("Compliance Officer", "other", "compliance"),
        ("Chief Compliance Officer", "c_level", "compliance"),
        ("Chief Engineer", "head_or_director", "technology"),
        ("Chief Engineering Officer", "c_level", "technology"),
        ("General Manager", "head_or_director", "executive"),
        ("General Counsel", "c_level", "legal"),
        ("Sales Engineer", "other", "sales"),
        ("Partner Marketing Manager", "manager", "sales"),
        ("Partner", "other", None),
        ("Lead Engineer", "manager", "technology"),  # rules 2.11: Lead is lexical
        ("Team Lead", "manager", None),
    ],
)
def test_words_read_in_their_phrase(
    title: str, level: str, function: str | None, catalog: Catalog
) -> None:
    """Officer, Chief, General, Partner and Lead mean what the whole phrase says."""
    result = classify(title, catalog)
    assert (result.level, result.function) == (level, function)


def test_unclassifiable_title_says_why(catalog: Catalog) -> None:
    """Gibberish: nothing classified, a reason, zero confidence."""
    result = classify("asdfgh", catalog)
    assert not result.classified
    assert result.reason
    assert "asdfgh" in result.reason
    assert result.confidence == 0.0
    assert classify("   ", catalog).reason


def test_to_dict_keys_in_contract_order(catalog: Catalog) -> None:
    """The JSON object: schema_version, then the fields in the documented order."""
    data = classify("EVP & CFO", catalog).to_dict()
    assert list(data) == [
        "schema_version",
        "title",
        "function",
        "functions",
        "level",
        "roles",
        "reports_into",
        "qualifiers",
        "confidence",
        "matched",
        "reason",
    ]
    assert data["schema_version"] == 1
    assert json.loads(json.dumps(data)) == data


def test_result_is_immutable_and_keeps_the_title(catalog: Catalog) -> None:
    """The result is a named tuple holding the title exactly as given."""
    result = classify("  Interim  CFO* ", catalog)
    assert result.title == "  Interim  CFO* "
    with pytest.raises(AttributeError):
        result.level = "vp"  # type: ignore[misc]


def test_package_exports_classify(catalog: Catalog) -> None:
    """`from whoiswho import classify` is the function; without a catalogue it reads the one
    the command reads."""
    from whoiswho import classify as exported

    assert exported("CFO", catalog).roles == ("cfo",)
    assert exported("CFO").roles == ("cfo",)


def test_import_stays_light() -> None:
    """Importing the classifier loads neither click nor rich."""
    code = "import sys, whoiswho.classifier; print(sorted({'click', 'rich'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_rank_lookup() -> None:
    """vocabulary.rank() finds a rank by any of its spellings."""
    vocabulary = bundled()
    svp = vocabulary.rank("Sr. VP")
    assert svp is not None
    assert svp.id == "svp"
    assert svp.level == "svp"
    assert vocabulary.rank("SEVP") == vocabulary.rank("senior executive vice president")
    assert vocabulary.rank("Managing Director") is not None
    assert vocabulary.rank("Widget") is None
    assert vocabulary.rank("") is None
    assert all(rank.sources and len(rank.summary) >= 20 for rank in vocabulary.ranks)


def test_bundled_vocabulary_matches_its_schema() -> None:
    """data/titles.json keeps the shape data/titles.schema.json describes."""
    import jsonschema

    schema = json.loads((ROOT / "data" / "titles.schema.json").read_text(encoding="utf-8"))
    doc = json.loads((ROOT / "data" / "titles.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)


def test_merged_vocabulary_extends_the_reading(catalog: Catalog) -> None:
    """Extra vocabulary on top: a new function word and a new rank take effect."""
    extra: dict[str, Any] = {
        "functions": [{"area": "operations", "under": "coo", "names": ["widgets"]}],
        "ranks": [
            {
                "id": "warden",
                "title": "Warden",
                "level": "vp",
                "names": ["warden"],
                "summary": "A made-up rank for this test, ranked with vice presidents.",
                "sources": [{"title": "this test"}],
            }
        ],
    }
    vocabulary = bundled().merged(extra)
    assert classify("Warden of Widgets", catalog).classified is False
    result = classify("Warden of Widgets", catalog, vocabulary)
    assert (result.function, result.level, result.reports_into) == ("operations", "vp", "coo")
    assert vocabulary.rank("warden") is not None
    assert bundled().rank("warden") is None


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ({"ranks": [{"id": "x"}]}, "/ranks/"),
        ({"terms": [{"names": ["x"], "level": "emperor"}]}, "/terms/"),
        ({"noise": ["("]}, "/noise/"),
        ({"sections": []}, "/sections"),
        ({"compound_heads": [""]}, "/compound_heads"),
        ({"role_areas": {"caio": ""}}, "/role_areas/caio"),
        ({"ranks": [{"id": "md", "alone": {"company": "yes"}}]}, "/ranks/"),
    ],
)
def test_bad_vocabulary_is_reported(extra: dict[str, Any], where: str) -> None:
    """A malformed vocabulary is a CatalogError naming the place, never a crash."""
    with pytest.raises(CatalogError) as caught:
        bundled().merged(extra, "mine.json")
    assert caught.value.path == "mine.json"
    assert where in (caught.value.pointer or "")


def test_user_catalogue_roles_classify(tmp_path: Path) -> None:
    """A role from a user catalogue is named by its own titles and abbreviation."""
    role = {
        "id": "cwo",
        "abbreviation": "CWO",
        "title": "Chief Widget Officer",
        "area": "operations",
        "summary": "Runs the widget business from design to delivery.",
        "responsibilities": ["widgets", "more widgets", "widget quality", "widget supply"],
        "facets": ["product", "product", "operations", "operations"],
        "reports_to": "coo",
    }
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"version": "2026.01.01", "roles": [role]}), encoding="utf-8")
    mine = Settings((str(path),)).catalog()
    for title in ("SVP & Chief Widget Officer", "Interim CWO"):
        result = classify(title, mine)
        assert result.roles == ("cwo",)
        assert (result.level, result.reports_into) == ("c_level", "coo")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_text_gives_a_well_typed_result(catalog: Catalog, title: str) -> None:
    """Arbitrary text never raises and always gives a well-typed result."""
    result = classify(title, catalog)
    assert result.title == title
    assert result.level is None or result.level in LEVELS
    assert result.function is None or result.function == result.functions[0]
    assert all(r in catalog.roles for r in result.roles)
    assert result.reports_into is None or result.reports_into in catalog.roles
    assert 0.0 <= result.confidence <= 1.0
    assert (result.reason is None) == result.classified
    assert all(isinstance(x, str) for x in (*result.functions, *result.qualifiers, *result.matched))
    json.dumps(result.to_dict())


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "SVP",
                "CFO",
                "&",
                ",",
                "and",
                "Chief",
                "Officer",
                "Director",
                "of",
                "Sales",
                "Sr",
                "Interim",
                "-",
                "/",
                "Head",
                "Manager",
                "10%",
                "Owner",
                "(1)",
                "Off",
                "Gen",
                "总监",
            ]
        ),
        max_size=12,
    )
)
def test_title_words_in_any_order(catalog: Catalog, words: list[str]) -> None:
    """Title words in any order and number (the combinations that stress the rules) never raise."""
    result = classify(" ".join(words), catalog)
    assert result.level is None or result.level in LEVELS


@pytest.mark.parametrize(
    ("title", "level", "reports_into"),
    [
        ("Deputy CEO", "evp", "ceo"),
        ("Deputy Managing Director", "evp", "ceo"),
        ("Deputy General Counsel", "head_or_director", "clo-legal"),
        ("Associate General Counsel", "head_or_director", "clo-legal"),
        ("Assistant Controller", "manager", "controller"),
        ("Deputy Chief of Staff", "head_or_director", "chief-of-staff"),
        ("VP & Deputy General Counsel", "vp", "clo-legal"),
    ],
)
def test_deputies_sit_under_the_role(
    title: str, level: str, reports_into: str, catalog: Catalog
) -> None:
    """A deputy, assistant or associate does not hold the role: they sit under it."""
    result = classify(title, catalog)
    assert (result.level, result.reports_into, result.roles) == (level, reports_into, ())


def test_a_role_after_to_is_served_not_named(catalog: Catalog) -> None:
    """ "Executive Assistant to the CEO" works for the CEO; the title names no role."""
    result = classify("Executive Assistant to the CEO", catalog)
    assert (result.level, result.function, result.roles) == ("other", "administration", ())
    assert result.reports_into == "ceo"


def test_bank_managing_director_before_a_head(catalog: Catalog) -> None:
    """A bare Managing Director followed by a head of X is the bank rank, not the CEO."""
    result = classify("Managing Director - Head of Technology", catalog)
    assert (result.level, result.function, result.roles) == ("head_or_director", "technology", ())
    assert classify("Managing Director & CEO", catalog).roles == ("ceo",)


@pytest.mark.parametrize(
    ("title", "roles"),
    [
        ("Cheif Financial Officer", ("cfo",)),  # two letters swapped
        ("Chief Financal Officer", ("cfo",)),  # a letter dropped
        ("Chf Fin Ofcr", ("cfo",)),  # filing abbreviations
        ("Chief Finance Officer", ("cfo",)),  # another spelling of the function word
        ("Chf Admin Ofcr", ("cao-administrative",)),
        ("Chief Accounting Offi", ("cao-accounting",)),  # cut at a fixed length
    ],
)
def test_misspelt_and_cut_words_still_name_the_role(
    title: str, roles: tuple[str, ...], catalog: Catalog
) -> None:
    """Typos one edit away, abbreviations and cut-off words are read as the known word."""
    assert classify(title, catalog).roles == roles


def test_unknown_words_are_not_forced_into_the_vocabulary(catalog: Catalog) -> None:
    """A word close to no single known word stays unknown (and lowers the confidence)."""
    plain = classify("Director of Finance", catalog)
    scoped = classify("Director of Finance, Zyxwv Holdings", catalog)
    assert (scoped.function, scoped.level) == (plain.function, plain.level)
    assert scoped.confidence < plain.confidence
    assert "zyxwv" not in scoped.matched


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdefgorstvp ,.-/&'()|:;1%*", max_size=40))
def test_ascii_fast_path_reads_like_the_pattern(catalog: Catalog, text: str) -> None:
    """The str.translate split of ASCII titles reads like the regular expression's."""
    if any(word.count("&") > 1 for word in text.split()):
        return  # "r&d&x": the pattern keeps a leading "r&d"; both readings are fine
    lexicon = reader(catalog).lex  # a Spelling
    for noise in (False, True):
        fast = lexicon._ascii_tokens(text.lower(), noise)
        assert _parts(fast) == _parts(lexicon._regex_tokens(text.lower(), noise))


def _parts(words: list[str]) -> list[list[str]]:
    """Words grouped by separator, empty groups dropped: what the classifier reads."""
    return [p.split() for p in " ".join(words).split(",") if p.strip()]


def test_common_words_are_not_read_as_qualifiers(catalog: Catalog) -> None:
    """ "stage" is not a mistyped "state": only title words take in mistyped words."""
    result = classify("CFO @ early-stage startup", catalog)
    assert (result.roles, result.qualifiers, result.reports_into) == (("cfo",), (), "ceo")


def test_bundled_vocabulary_passes_its_own_check() -> None:
    """The bundled file, loaded unchecked at start-up, passes the loader's check."""
    from whoiswho.vocabulary import bundled_path, check

    check(json.loads(Path(bundled_path()).read_text(encoding="utf-8")), "bundled")


@pytest.mark.parametrize(
    "title",
    ["x" * 200_000, "CFO " * 20_000, "&" * 50_000, "Chief " * 5_000 + "Officer", "总监" * 30_000],
)
def test_huge_titles_stay_quick(title: str, catalog: Catalog) -> None:
    """A pasted megabyte is read in linear time, not tried letter by letter for typos."""
    import time

    started = time.perf_counter()
    result = classify(title, catalog)
    assert time.perf_counter() - started < 5
    assert result.level is None or result.level in LEVELS


def test_rest_of_the_title_decides_an_abbreviation(catalog: Catalog) -> None:
    """ "VP, Corp Controller & CAO": the controller makes it the accounting CAO."""
    assert classify("VP, Corp Controller & CAO", catalog).roles == ("cao-accounting", "controller")
    every_cao = {r.id for r in catalog.roles.values() if r.abbreviation == "CAO"}
    assert set(classify("CAO", catalog).roles) == every_cao


def test_package_import_does_not_load_the_classifier() -> None:
    """`import whoiswho` (every command does) leaves the classifier unloaded until asked for."""
    code = "import sys, whoiswho; print('whoiswho.classifier' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("title", "level", "function", "roles"),
    [
        ("Co-CEOs", "c_level", "executive", ("ceo",)),  # an unknown plural: its singular
        ("Executive Directors", "c_level", "executive", ()),  # known only inside a phrase
        ("Non-Executive Directors", "board", "governance", ("non-executive-director",)),
        ("Secretaries", "head_or_director", "governance", ("company-secretary",)),  # -ies
        ("Vice Chairmen", "board", "governance", ("vice-chair",)),  # -men
        ("Board of Directors", "board", "governance", ("board",)),  # the phrase still reads
        ("Board of Trustees", "board", "governance", ("board",)),
        ("Sales", None, "sales", ()),  # a plural that is a word of its own stays
        ("Business Analyst", "other", "data", ()),  # "-ss" is no plural
    ],
)
def test_plurals_read_as_their_singular(
    title: str, level: str | None, function: str, roles: tuple[str, ...], catalog: Catalog
) -> None:
    """Group forms ("Co-CEOs", "Executive Directors") read like one person's title."""
    result = classify(title, catalog)
    assert (result.level, result.function, result.roles) == (level, function, roles)


@pytest.mark.parametrize(
    ("title", "level", "function"),
    [
        ("Vertriebsleiter", "head_or_director", "sales"),  # Vertrieb + linking s + Leiter
        ("Marketingleiterin", "head_or_director", "marketing"),
        ("Finanzdirektor", "head_or_director", "finance"),
        ("Qualitätsmanager", "manager", "operations"),
        ("Personalreferent", "other", "people"),
        ("Schraubenleiter", None, None),  # no function word before the head: not split
        ("Leiterplatte", None, None),  # the head word must end the compound
    ],
)
def test_german_compounds_split_into_function_and_head(
    title: str, level: str | None, function: str | None, catalog: Catalog
) -> None:
    """A compound of a function word and a rank or job noun reads as the two words."""
    result = classify(title, catalog)
    assert (result.level, result.function) == (level, function)


@pytest.mark.parametrize(
    ("title", "level", "roles"),
    [
        ("Holden MD", "c_level", ("ceo",)),
        ("Managing Director, Acme Ltd", "c_level", ("ceo",)),
        ("Managing Director of Acme", "c_level", ("ceo",)),
        ("Managing Director, Compliance", "head_or_director", ()),  # a desk: the bank rank
        ("Managing Director, EMEA", "head_or_director", ()),  # a region scopes it too
        ("Director, Acme Widgets", "head_or_director", ()),  # only MD reads a company name
    ],
)
def test_company_name_beside_managing_director(
    title: str, level: str, roles: tuple[str, ...], catalog: Catalog
) -> None:
    """Unknown words beside a bare MD name the company it runs, not a function."""
    result = classify(title, catalog)
    assert (result.level, result.roles) == (level, roles)


@pytest.mark.parametrize(
    ("title", "level", "roles", "reports_into"),
    [
        ("取締役副社長", "board", ("board",), "president"),  # the deputy is of 社長
        ("Directeur général adjoint", "evp", (), "ceo"),  # adjoint after the role
        ("Deputy CEO", "evp", (), "ceo"),
        ("Deputy City Manager", "evp", (), "city-manager"),
        ("Assistant Superintendent", "evp", (), "superintendent"),
        ("Deputy Managing Director", "evp", (), "ceo"),  # a rank that names the CEO
    ],
)
def test_deputy_of_the_role_next_to_it(
    title: str, level: str, roles: tuple[str, ...], reports_into: str, catalog: Catalog
) -> None:
    """Deputy/assistant qualifies the role beside it; other roles in the part keep theirs."""
    result = classify(title, catalog)
    assert (result.level, result.roles, result.reports_into) == (level, roles, reports_into)


@pytest.mark.parametrize(
    ("title", "level", "function"),
    [
        ("Lead Data Analyst", "manager", "data"),
        ("Engineering Lead", "manager", "technology"),
        ("Lead", "manager", None),
        ("Lead Generation Manager", "manager", "marketing"),  # a function, not the rank
        ("Lead Independent Director", "board", "governance"),  # the board role
        ("Principal Data Analyst", "other", "data"),  # Principal only marks seniority
    ],
)
def test_lead_is_a_manager_rank(
    title: str, level: str, function: str | None, catalog: Catalog
) -> None:
    """Rules 2.11: Lead is read lexically as a manager, also before a job noun."""
    result = classify(title, catalog)
    assert (result.level, result.function) == (level, function)


def test_role_areas_read_a_role_in_another_function(catalog: Catalog) -> None:
    """role_areas files a catalogue role's title under the function the rules give it."""
    assert classify("Chief AI Officer", catalog).function == "data"
    vocabulary = bundled().merged({"role_areas": {"caio": "strategy"}})
    result = classify("Chief AI Officer", catalog, vocabulary)
    assert (result.function, result.roles, result.level) == ("strategy", ("caio",), "c_level")
