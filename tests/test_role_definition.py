"""One definition of a role (model.ROLE_SPEC): the loader, validator, cache rows, JSON and both
schemas all agree with it, so adding a field is one edit plus data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import ROOT, bundled_catalog
from whoiswho.errors import CatalogError
from whoiswho.model import ROLE_SPEC, Role, role_from_plain, role_to_plain
from whoiswho.render_json import ROLE_FIELDS, role_dict
from whoiswho.validate import CHECKS, SETTABLE, check_entry

INPUT_SCHEMA = json.loads((ROOT / "data" / "roles.schema.json").read_text(encoding="utf-8"))
OUTPUT_SCHEMA = json.loads((ROOT / "schemas" / "whoiswho.schema.json").read_text(encoding="utf-8"))


def test_definition_covers_role_exactly() -> None:
    """Every Role attribute has a spec, and every spec is a Role attribute."""
    assert set(ROLE_SPEC) == set(Role._fields)


def test_input_schema_has_exactly_the_settable_fields() -> None:
    """data/roles.schema.json describes exactly the fields a catalogue file may set."""
    role = INPUT_SCHEMA["$defs"]["role"]
    assert set(role["properties"]) == SETTABLE
    required = {name for name, field in ROLE_SPEC.items() if field.required}
    assert required <= set(role["required"])


def test_output_schema_lists_every_printed_key() -> None:
    """schemas/whoiswho.schema.json requires exactly the keys a role object prints."""
    role = OUTPUT_SCHEMA["$defs"]["role"]
    assert set(role["required"]) == set(ROLE_FIELDS)
    assert set(role["properties"]) >= set(ROLE_FIELDS)


def test_every_kind_has_a_checker() -> None:
    """A field kind the validator does not know could never be refused when mistyped."""
    kinds = {field.kind for field in ROLE_SPEC.values()}
    assert kinds - set(CHECKS) == {"id", "codes", "sources", "origin"}


def test_rows_round_trip_every_bundled_role() -> None:
    """The cache's row codec gives back the same Role for every bundled role."""
    for role in bundled_catalog().roles.values():
        assert role_from_plain(json.loads(json.dumps(role_to_plain(role)))) == role


def test_role_object_keys_follow_the_definition() -> None:
    """The JSON role object prints its keys in ROLE_FIELDS order."""
    catalog = bundled_catalog()
    assert tuple(role_dict(catalog, catalog.role("cfo"))) == ROLE_FIELDS


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        (
            "facets",
            ["money", "nonsense"],
            "field 'facets' has unknown facet 'nonsense' (known: strategy, money, people, "
            "technology, operations, product, market, risk, communication, governance)",
        ),
        ("rank_source", "ftp://x", "field 'rank_source' must be an http(s) URL"),
        ("zh", "", "field 'zh' must be a non-empty string"),
        ("primary", "yes", "field 'primary' must be true or false"),
        ("origin", "mine", "unknown field 'origin'"),
    ],
)
def test_mistyped_fields_are_refused(field: str, value: Any, problem: str) -> None:
    """Each kind's checker refuses a wrong value with a message naming the field."""
    with pytest.raises(CatalogError) as info:
        check_entry({"id": "x", field: value}, "f.json", "/roles/0")
    assert info.value.problem == problem
    assert info.value.pointer == f"/roles/0/{field}"


def test_null_zh_means_none_found() -> None:
    """`"zh": null` is accepted: the catalogue says no established Chinese name was found."""
    check_entry({"id": "x", "zh": None}, "f.json", "/roles/0")
