"""The JSON views: plain dicts built from the model, written with json.dumps (never rich)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from whoiswho.errors import WhoiswhoError
from whoiswho.model import ROLE_SPEC, SCHEMA_VERSION, Catalog, Role, role_to_plain

if TYPE_CHECKING:
    from whoiswho.compare import Comparison
    from whoiswho.search import Hit

# The keys of a role object, in order: the role's fields as model.ROLE_SPEC lists them (the one
# definition), each derived key right after the field it comes from.
_DERIVED_AFTER = {"reports_to_alternatives": "reporting_line", "meaning_rank": "also_means"}
ROLE_FIELDS = (
    "schema_version",
    *(
        key
        for name, field in ROLE_SPEC.items()
        if field.printed
        for key in (name, _DERIVED_AFTER.get(name))
        if key is not None
    ),
)
HIT_FIELDS = ("schema_version", "id", "abbreviation", "title", "score", "matched", "lines")


def select(data: dict[str, Any], fields: tuple[str, ...] | None) -> dict[str, Any]:
    """Only the requested keys, in the order asked (the caller has checked they exist)."""
    return data if fields is None else {f: data[f] for f in fields}


def role_dict(catalog: Catalog, role: Role) -> dict[str, Any]:
    """One role, the same object in every command that prints roles."""
    plain = role_to_plain(role)
    derived = {
        "reporting_line": catalog.line_ids(role),
        "also_means": [r.id for r in catalog.same_abbreviation(role)],
    }
    return {
        "schema_version": SCHEMA_VERSION,
        **{name: plain[name] if name in plain else derived[name] for name in ROLE_FIELDS[1:]},
    }


def comparison_dict(
    catalog: Catalog, comparison: Comparison, fields: tuple[str, ...] | None = None
) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "roles": [select(role_dict(catalog, r), fields) for r in comparison.roles],
        "shared": {
            "responsibilities": list(comparison.shared),
            "reports_to": comparison.common_superior,
            "area": comparison.common_area,
        },
        "only": [
            {"id": r.id, "responsibilities": list(comparison.only[r.id])} for r in comparison.roles
        ],
        "partly_shared": [
            {"id": r.id, "responsibilities": list(comparison.partly[r.id])}
            for r in comparison.roles
        ],
        "key_difference": comparison.key_difference,
        "notes": [n.to_dict() for n in comparison.notes],
        "relations": [r.to_dict() for r in comparison.relations],
        "facets": {
            facet: {role_id: list(duties) for role_id, duties in by_role.items()}
            for facet, by_role in comparison.facets.items()
        },
    }


def hit_dict(hit: Hit) -> dict[str, Any]:
    """One search result."""
    return {
        "schema_version": SCHEMA_VERSION,
        "id": hit.role.id,
        "abbreviation": hit.role.abbreviation,
        "title": hit.role.title,
        "score": hit.score,
        "matched": list(hit.matched),
        "lines": list(hit.lines),
    }


def error_dict(error: WhoiswhoError) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "error": error.code,
        "message": error.message,
        **error.details(),
    }


def batch_error_dict(query: str, error: WhoiswhoError) -> dict[str, Any]:
    """A batch line for a query that did not resolve to one role."""
    candidates = error.details().get("candidates", [])
    return {
        "schema_version": SCHEMA_VERSION,
        "query": query,
        "error": error.code,
        "message": error.message,
        "candidates": candidates,
    }


def dumps(data: object, indent: int | None) -> str:
    """Deterministic text: ASCII-only (so any locale can print it), keys in model order."""
    if indent is None:
        return _COMPACT(data)
    return json.dumps(data, ensure_ascii=True, indent=indent)


# json.dumps(data, ensure_ascii=True, separators=(",", ":")), made once: a batch or a list
# encodes a role per line, and json.dumps would build the same encoder for each.
_COMPACT = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode
