"""The core, called directly: lookup tiers, meaning order, compare's similarity, batch resolution
and the exact wording of the messages people read."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from whoiswho import catalog as catalog_mod
from whoiswho.compare import compare, resolve_all, similar
from whoiswho.errors import (
    AmbiguousQueryError,
    NoCatalogError,
    TooFewRolesError,
    UnknownRoleError,
    UsageError,
)
from whoiswho.lookup import match, resolve, resolve_each
from whoiswho.model import Catalog, Role, meaning_order
from whoiswho.render_text import error_message
from whoiswho.text import stems


def role(role_id: str, **fields: Any) -> dict[str, Any]:
    entry = {
        "id": role_id,
        "abbreviation": role_id.upper(),
        "title": f"Title of {role_id}",
        "area": "x",
        "summary": "A role for tests.",
        "responsibilities": ["Do the work"],
        "reports_to": None,
    }
    return {**entry, **fields}


def build(*roles: dict[str, Any]) -> Catalog:
    return catalog_mod.build([catalog_mod.parse_layer(json.dumps({"roles": list(roles)}), "t")])


def test_an_id_beats_another_roles_abbreviation() -> None:
    """`cio` names the role whose id it is, although another role is abbreviated CIO too."""
    cat = build(
        role("cio", abbreviation="CIO", meaning_rank=1),
        role("cio-investment", abbreviation="CIO", meaning_rank=2),
    )
    assert match(cat, "cio").roles == (cat.role("cio"),)


def test_a_shared_name_names_every_role_that_shares_it() -> None:
    """A shared name (spacing and case ignored) answers each role listing it; an own name of
    one of them still answers that role alone."""
    cat = build(
        role("a", shared_names=["Head of Money"], other_names=["Money Boss"]),
        role("b", shared_names=["Head Of  Money"]),
    )
    assert {r.id for r in match(cat, "head of money").roles} == {"a", "b"}
    assert match(cat, "money boss").roles == (cat.role("a"),)


def test_a_shared_abbreviation_lists_meanings_by_rank() -> None:
    """Without a primary, every meaning comes back, ranked ones first in rank order."""
    cat = build(
        role("x-two", abbreviation="CXO", meaning_rank=2),
        role("x-none", abbreviation="CXO"),
        role("x-one", abbreviation="CXO", meaning_rank=1),
    )
    assert [r.id for r in match(cat, "CXO").roles] == ["x-one", "x-two", "x-none"]
    with pytest.raises(AmbiguousQueryError) as info:
        resolve(cat, "CXO")
    assert [c[0] for c in info.value.candidates] == ["x-one", "x-two", "x-none"]


def test_a_primary_meaning_answers_alone() -> None:
    """With exactly one primary, the abbreviation resolves to it."""
    cat = build(
        role("y-one", abbreviation="CYO", primary=True, meaning_rank=1),
        role("y-two", abbreviation="CYO", meaning_rank=2),
    )
    assert resolve(cat, "cyo").id == "y-one"


def test_meaning_order_puts_primary_then_rank_then_unranked() -> None:
    """The sort key: primary first, then by rank, unranked last."""
    base = Role("a", "A", "A", "x", "s", (), None)
    ranked = [
        base._replace(id="n"),
        base._replace(id="r2", meaning_rank=2),
        base._replace(id="p", primary=True, meaning_rank=3),
        base._replace(id="r1", meaning_rank=1),
    ]
    assert [r.id for r in sorted(ranked, key=meaning_order)] == ["p", "r1", "r2", "n"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Approve the yearly budget", "Approve budgets every year", True),
        ("Set the security strategy", "Negotiate supplier contracts", False),
        ("Hire staff", "Hire", False),  # one common word is never enough
        ("Manage investor relations", "Manage relations with investors", True),
    ],
)
def test_similar_duties(a: str, b: str, same: bool) -> None:
    """Two duties are the same work when most of the shorter one's content words recur."""
    assert similar(frozenset(stems(a)), frozenset(stems(b))) is same


def test_compare_needs_two_distinct_roles() -> None:
    """One role, or the same role twice, cannot be compared."""
    cat = build(role("a"), role("b"))
    with pytest.raises(TooFewRolesError):
        compare(cat, [cat.role("a")])
    with pytest.raises(UsageError, match="named twice"):
        compare(cat, [cat.role("a"), cat.role("a")])


def test_resolve_all_refuses_an_ambiguous_name() -> None:
    """compare needs exact roles: an ambiguous abbreviation is a usage error naming each."""
    cat = build(role("p-one", abbreviation="CPX"), role("p-two", abbreviation="CPX"))
    with pytest.raises(UsageError) as info:
        resolve_all(cat, ["CPX"])
    assert info.value.message == "'CPX' is ambiguous: name one of p-one, p-two"


def test_resolve_each_keeps_order_and_reports_each_miss() -> None:
    """A batch answers every query in order; a miss is an error object, not a stop."""
    cat = build(role("a"), role("b"))
    found = list(resolve_each(cat, ["a", "zzz", "b", "a"]))
    assert [q for q, _ in found] == ["a", "zzz", "b", "a"]
    assert isinstance(found[1][1], UnknownRoleError)
    assert [getattr(r, "id", None) for _, r in found] == ["a", None, "b", "a"]


def test_not_found_message_is_exact() -> None:
    """The miss message: the problem, the suggestions, then what to do."""
    cat = build(role("cfo", abbreviation="CFO", title="Chief Financial Officer"))
    with pytest.raises(UnknownRoleError) as info:
        resolve(cat, "CF0")
    assert error_message(info.value) == (
        "whoiswho: no role matches 'CF0'\n"
        "Did you mean:\n"
        "  CFO      Chief Financial Officer (cfo)\n"
        "Find a role by what it does: `whoiswho search WORDS`; all: `whoiswho list`."
    )


def test_ambiguous_message_is_exact() -> None:
    """The ambiguity message lists each meaning and how to name one."""
    error = AmbiguousQueryError("CSO", [("cso-a", "CSO", "Chief A"), ("cso-b", "CSO", "Chief B")])
    assert error_message(error) == (
        "whoiswho: 'CSO' is ambiguous: it can mean 2 roles\n"
        "  cso-a                Chief A\n"
        "  cso-b                Chief B\n"
        "Name one by its id, e.g. `whoiswho cso-a`."
    )


@pytest.mark.parametrize(
    ("error", "text"),
    [
        (
            NoCatalogError(),
            "whoiswho: bad catalogue (none): no catalogue to read: the bundled one is turned off\n"
            "--no-bundled needs --catalog FILE (or WHOISWHO_CATALOG).",
        ),
        (
            TooFewRolesError("compare needs at least two roles"),
            "whoiswho: compare needs at least two roles\nFor example: `whoiswho compare CIO CTO`.",
        ),
    ],
)
def test_command_hints_come_from_the_message_layer(error: Exception, text: str) -> None:
    """Core errors carry no command syntax; the message layer adds what to type."""
    assert error_message(error) == text  # type: ignore[arg-type]
    assert "whoiswho " not in str(error)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_lookup_key_is_the_unicode_one(text: str) -> None:
    """lookup_key's bytes fast path for ASCII keys names exactly as NFKC + casefold + translate."""
    import unicodedata

    from whoiswho.text import _IGNORED, lookup_key

    assert lookup_key(text) == unicodedata.normalize("NFKC", text).casefold().translate(_IGNORED)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)


@given(
    doc=st.dictionaries(st.sampled_from(["roles", "version", "x"]), _json_values),
    items=st.lists(_json_values, max_size=4),
    indent=st.sampled_from([None, 0, 2]),
    cut=st.integers(min_value=-3, max_value=3),
    insert=st.sampled_from([None, "", ",", "]", "}", " ", "NaN", '"roles": 1,']),
)
def test_reading_the_roles_texts_parses_exactly_as_loads(
    doc: dict[str, Any], items: list[Any], indent: int | None, cut: int, insert: str | None
) -> None:
    """loads_keeping gives loads' document (or its error, word for word) and each role's text
    as written, for well-formed and broken documents alike."""
    from whoiswho.errors import CatalogError
    from whoiswho.strictjson import loads, loads_keeping

    if "roles" in doc:
        doc["roles"] = items
    text = json.dumps(doc, indent=indent)
    at = len(text) // 2 + cut
    if insert is not None:  # broken: a character inserted, or one taken out ("")
        text = text[:at] + insert + text[at:] if insert else text[: max(at, 0)] + text[at + 1 :]
    try:
        expected = loads(text, "f")
    except CatalogError as error:
        expected_error = str(error)
    else:
        expected_error = None
    if expected_error is not None:
        with pytest.raises(CatalogError) as raised:
            loads_keeping(text, "f", "roles")
        assert str(raised.value) == expected_error
        return
    got, texts = loads_keeping(text, "f", "roles")
    assert got == expected
    if texts is not None:
        assert [json.loads(t) for t in texts] == expected["roles"]
    else:
        assert not (isinstance(expected, dict) and isinstance(expected.get("roles"), list))


_names = st.sampled_from(
    ["CFO", "cfo", "C.F.O.", "Chief", "chief", "首席", "a b", "R1"]
) | st.sampled_from(["list", "-"])


@st.composite
def _entries(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    count = draw(st.integers(min_value=1, max_value=6))
    ids = [f"r{i}" for i in range(count)]
    entries = {}
    for i, role_id in enumerate(ids):
        # Names two roles may or may not share; superiors before or after their reports,
        # missing, or the role itself; mostly a catalogue that passes.
        sometimes = st.integers(0, 3).map(lambda n: n == 0)
        entry = role(role_id, title=draw(_names) if draw(sometimes) else f"Title {i}")
        entry["abbreviation"] = draw(_names) if draw(sometimes) else f"T{i}"
        superiors = [None, *ids] if draw(sometimes) else [None, *ids[:i]]
        entry["reports_to"] = draw(st.sampled_from(superiors))
        for field in ("other_names", "shared_names"):
            if draw(sometimes):
                entry[field] = draw(st.lists(_names, max_size=2))
        if draw(sometimes):
            entry["zh"] = draw(_names)
        if i and draw(sometimes):
            entry["reports_to_alternatives"] = [draw(st.sampled_from([*ids, "ghost"]))]
        entries[role_id] = entry
    return entries


@settings(max_examples=400)
@given(_entries())
def test_the_quick_checks_of_a_big_catalogue_judge_as_the_exact_ones(
    entries: dict[str, dict[str, Any]],
) -> None:
    """Checked for the cache (whole columns at a time, superiors in order), a catalogue is
    refused with the same message as by the exact rules, or accepted with the same reporting
    lines, shared abbreviations and keys as name by name."""
    from whoiswho.catalog import KeyIndex
    from whoiswho.errors import CatalogError
    from whoiswho.validate import check_catalog, check_references, index_of, slow_keys

    def place(role_id: str) -> tuple[str, str]:
        return "f", f"/roles/{list(entries).index(role_id)}"

    outcomes = []
    for index in (True, False):
        try:
            outcomes.append(check_catalog(entries, place, index=index))
        except CatalogError as error:
            outcomes.append(str(error))
    exact, quick = outcomes
    event("refused" if isinstance(exact, str) else "accepted")
    if isinstance(exact, str) or isinstance(quick, str):
        assert quick == exact
        return
    assert (quick.lines, quick.shared) == (check_references(entries, place), exact.shared)
    keys = quick.keys
    assert keys == slow_keys(entries)
    # The keys, read back in (role, name) order as the cache's query orders them, are the index;
    # so are a KeyIndex's answers, found by scanning the key lists or from the index it builds.
    index = index_of(keys, list(entries))
    for scans in (0, 10**6):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(KeyIndex, "SCANS", scans)
            lazy = KeyIndex(keys, list(entries))
            assert {key: lazy[key] for key in exact.names} == exact.names
            assert "no such key" not in lazy
    assert index == exact.names


@given(st.lists(st.text(alphabet=st.sampled_from("aB -.\x00\t_é"), max_size=4), max_size=4))
def test_keys_of_a_column_are_each_texts_key(texts: list[str]) -> None:
    """keys_of's one pass over joined ASCII texts keys each text as lookup_key does."""
    from whoiswho.text import lookup_key
    from whoiswho.validate import keys_of

    assert keys_of(texts) == [lookup_key(t) for t in texts]


@given(st.text(alphabet=st.sampled_from("ab9Z-_. éÉ"), max_size=6))
def test_valid_id_keeps_its_definition(role_id: str) -> None:
    """valid_id's quick form accepts exactly the NFKC, case-folded ids of letters and digits
    joined by single hyphens (digits alone included: `2ic`, `360`)."""
    import unicodedata

    from whoiswho.validate import valid_id

    expected = role_id == unicodedata.normalize("NFKC", role_id).casefold() and all(
        part.isalnum() for part in role_id.split("-")
    )
    assert valid_id(role_id) == expected
    assert valid_id("360")
    assert valid_id("2ic")


def test_a_key_index_orders_a_shared_key_as_the_index_does() -> None:
    """A key that is one role's abbreviation and a later role's id lists the earlier role
    first, whether the KeyIndex scans its key lists or builds the index."""
    from whoiswho.catalog import KeyIndex, merge, parse_layer

    text = json.dumps({"roles": [role("r0", abbreviation="R1"), role("r1", abbreviation="X1")]})
    exact = merge([parse_layer(text, "t")]).checked.names
    checked = merge([parse_layer(text, "t")], index=False).checked
    assert exact is not None
    assert checked.keys is not None
    assert exact["r1"] == [(3, "r0"), (0, "r1")]
    for scans in (0, 10**6):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(KeyIndex, "SCANS", scans)
            assert KeyIndex(checked.keys, ["r0", "r1"])["r1"] == exact["r1"]
