"""The JSON views: plain dicts built from the model, written with json.dumps (never rich)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from whoiswho.errors import WhoiswhoError
from whoiswho.model import SCHEMA_VERSION, Catalog, Role

if TYPE_CHECKING:
    from whoiswho.compare import Comparison
    from whoiswho.search import Hit

ROLE_FIELDS = (
    "schema_version",
    "id",
    "abbreviation",
    "title",
    "zh",
    "area",
    "summary",
    "responsibilities",
    "other_names",
    "shared_names",
    "reports_to",
    "reports_to_alternatives",
    "reporting_line",
    "primary",
    "meaning_rank",
    "also_means",
    "occupation_codes",
    "sources",
    "origin",
)
HIT_FIELDS = ("schema_version", "id", "abbreviation", "title", "score", "matched", "lines")


def select(data: dict[str, Any], fields: tuple[str, ...] | None) -> dict[str, Any]:
    """Only the requested keys, in the order asked (the caller has checked they exist)."""
    return data if fields is None else {f: data[f] for f in fields}


def role_dict(catalog: Catalog, role: Role) -> dict[str, Any]:
    """One role, the same object in every command that prints roles."""
    return {
        "schema_version": SCHEMA_VERSION,
        "id": role.id,
        "abbreviation": role.abbreviation,
        "title": role.title,
        "zh": role.zh,
        "area": role.area,
        "summary": role.summary,
        "responsibilities": list(role.responsibilities),
        "other_names": list(role.other_names),
        "shared_names": list(role.shared_names),
        "reports_to": role.reports_to,
        "reports_to_alternatives": list(role.reports_to_alternatives),
        "reporting_line": [r.id for r in catalog.reporting_line(role)],
        "primary": role.primary,
        "meaning_rank": role.meaning_rank,
        "also_means": [r.id for r in catalog.same_abbreviation(role)],
        "occupation_codes": dict(role.occupation_codes),
        "sources": [s.to_dict() for s in role.sources],
        "origin": role.origin,
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
        return json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return json.dumps(data, ensure_ascii=True, indent=indent)
