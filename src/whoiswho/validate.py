"""The rules a catalogue must keep: the shape of each entry, and the consistency of the whole.

Every problem is a CatalogError naming the file, the place in it (a JSON pointer) and the problem.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from whoiswho import RESERVED
from whoiswho.errors import CatalogError
from whoiswho.model import FACETS, ROLE_SPEC, Role
from whoiswho.text import lookup_key

# Lookup tiers, strongest first: a query resolves at the first tier where it matches anything.
TIER_ID, TIER_TITLE, TIER_ZH, TIER_ABBREVIATION, TIER_OTHER, TIER_SHARED = range(6)
TIER_NAMES = ("id", "title", "zh", "abbreviation", "other name", "shared name")

_CODE_KEYS = frozenset({"us_soc_2018", "onet_soc", "isco_08"})
REQUIRED = tuple(name for name, field in ROLE_SPEC.items() if field.required and name != "id")


def _text(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "must be a non-empty string"
    return None


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _texts(value: object) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return "must be a list of non-empty strings"
    return None


def _ref(value: object) -> str | None:
    if value is not None and (not isinstance(value, str) or not value):
        return "must be a role id or null"
    return None


def _flag(value: object) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _rank(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return "must be a whole number >= 1"
    return None


def _url(value: object) -> str | None:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return "must be an http(s) URL"
    return None


def _facets(value: object) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "must be a list of facet names"
    unknown = [v for v in value if v not in FACETS]
    if unknown:
        return f"has unknown facet {unknown[0]!r} (known: {', '.join(FACETS)})"
    return None


# One checker per kind of field in model.ROLE_SPEC: the problem, or None when the value is fine.
CHECKS: dict[str, Callable[[object], str | None]] = {
    "text": _text,
    "optional_text": _optional_text,
    "texts": _texts,
    "ref": _ref,
    "flag": _flag,
    "rank": _rank,
    "url": _url,
    "facets": _facets,
}
# Fields a catalogue file may set: all but the loader's own (origin).
SETTABLE = frozenset(name for name, field in ROLE_SPEC.items() if field.kind != "origin")


def check_entry(entry: object, name: str, at: str) -> None:
    if not isinstance(entry, dict):
        raise CatalogError(name, "a role must be a JSON object", at)
    role_id = entry.get("id")
    if not isinstance(role_id, str) or not role_id.strip():
        raise CatalogError(name, "missing or mistyped field 'id' (expected a string)", f"{at}/id")
    if not valid_id(role_id):
        raise CatalogError(
            name,
            f"id {role_id!r} must be lowercase letters and digits, words joined by single "
            "hyphens (such as 'vp-engineering')",
            f"{at}/id",
        )
    for key, value in entry.items():
        where = f"{at}/{key}"
        if key not in SETTABLE:
            raise CatalogError(name, f"unknown field {key!r}", where)
        kind = ROLE_SPEC[key].kind
        if kind == "codes":
            _check_codes(value, name, where)
        elif kind == "sources":
            _check_sources(value, name, where)
        elif kind in CHECKS:
            problem = CHECKS[kind](value)
            if problem:
                raise CatalogError(name, f"field {key!r} {problem}", where)


def check_role(role: Role, path: str, at: str) -> None:
    """Rules across fields of one merged role."""
    if role.facets and len(role.facets) != len(role.responsibilities):
        raise CatalogError(
            path,
            f"role {role.id!r} has {len(role.facets)} facets for "
            f"{len(role.responsibilities)} responsibilities (one facet per duty)",
            f"{at}/facets",
        )
    if role.rank_source is not None and role.rank_source not in {s.url for s in role.sources}:
        raise CatalogError(
            path,
            f"role {role.id!r}: rank_source must be the url of one of its sources",
            f"{at}/rank_source",
        )


def valid_id(role_id: str) -> bool:
    """Lowercase, NFKC-normalised letters and digits, words joined by single hyphens.

    Ids are what scripts and `reports_to` use, so each has one spelling: `CFO`, `c.f.o` or
    ` cfo ` would make `whoiswho cfo` ambiguous with the real `cfo`.
    """
    return role_id == unicodedata.normalize("NFKC", role_id).casefold() and all(
        part.isalnum() for part in role_id.split("-")
    )


def check_ids(entries: Mapping[str, Any], where: dict[str, tuple[str, str]]) -> None:
    """Two ids may not have the same lookup key (`c-f-o` and `cfo` both answer to `cfo`)."""
    seen: dict[str, str] = {}
    for role_id in entries:
        other = seen.setdefault(lookup_key(role_id), role_id)
        if other != role_id:
            path, at = where[role_id]
            raise CatalogError(
                path, f"id {role_id!r} is looked up as the same name as id {other!r}", f"{at}/id"
            )


def check_primaries(roles: dict[str, Role], where: dict[str, tuple[str, str]]) -> None:
    """At most one role is the primary meaning of an abbreviation."""
    primary: dict[str, str] = {}
    for role in roles.values():
        if not role.primary:
            continue
        other = primary.setdefault(role.abbreviation.casefold(), role.id)
        if other != role.id:
            path, at = where[role.id]
            raise CatalogError(
                path,
                f"{role.id!r} and {other!r} are both marked primary for {role.abbreviation!r}; "
                "only one meaning can be the primary one",
                f"{at}/primary",
            )


def _check_codes(value: object, name: str, where: str) -> None:
    if not isinstance(value, dict):
        raise CatalogError(name, "field 'occupation_codes' must be an object", where)
    for key, code in value.items():
        if key not in _CODE_KEYS:
            valid = ", ".join(sorted(_CODE_KEYS))
            raise CatalogError(name, f"unknown occupation code system {key!r} ({valid})", where)
        if not isinstance(code, str) or not code:
            raise CatalogError(name, f"occupation code {key!r} must be a string", f"{where}/{key}")


def _check_sources(value: object, name: str, where: str) -> None:
    if not isinstance(value, list):
        raise CatalogError(name, "field 'sources' must be a list", where)
    for i, src in enumerate(value):
        ok = isinstance(src, dict) and isinstance(src.get("title"), str) and src["title"].strip()
        url = src.get("url") if isinstance(src, dict) else None
        if not ok or (url is not None and not isinstance(url, str)):
            raise CatalogError(
                name,
                "a source must be an object with a 'title' and an optional 'url'",
                f"{where}/{i}",
            )


def check_difference(diff: object, name: str, at: str) -> None:
    if not isinstance(diff, dict):
        raise CatalogError(name, "a difference must be a JSON object", at)
    roles = diff.get("roles")
    if (
        not isinstance(roles, list)
        or len(roles) != 2
        or not all(isinstance(r, str) for r in roles)
        or roles[0] == roles[1]
    ):
        raise CatalogError(name, "'roles' must name two different role ids", f"{at}/roles")
    if not isinstance(diff.get("note"), str) or not diff["note"].strip():
        raise CatalogError(name, "'note' must be a non-empty string", f"{at}/note")
    _check_sources(diff.get("sources", []), name, f"{at}/sources")


def check_references(roles: dict[str, Role], where: dict[str, tuple[str, str]]) -> None:
    for role in roles.values():
        path, at = where[role.id]
        for target in (role.reports_to, *role.reports_to_alternatives):
            if target is None:
                continue
            if target == role.id:
                raise CatalogError(path, f"role {role.id!r} reports to itself", at)
            if target not in roles:
                raise CatalogError(
                    path, f"role {role.id!r} reports to unknown role {target!r}", f"{at}/reports_to"
                )
    # Walk each chain once; `done` holds roles already known to reach the top.
    done: set[str] = set()
    for start in roles:
        chain: list[str] = []
        on_chain: set[str] = set()
        current: str | None = start
        while current is not None and current not in done:
            if current in on_chain:
                cycle = [*chain[chain.index(current) :], current]
                path, at = where[current]
                raise CatalogError(path, "reporting cycle: " + " -> ".join(cycle), at)
            chain.append(current)
            on_chain.add(current)
            current = roles[current].reports_to
        done.update(chain)


def build_index(
    roles: Iterable[Role], where: dict[str, tuple[str, str]]
) -> dict[str, list[tuple[int, str]]]:
    """Map each lookup key to the (tier, role id) pairs it names, refusing silent clashes."""
    index: dict[str, list[tuple[int, str]]] = {}
    for role in roles:
        names: list[tuple[int, str]] = [
            (TIER_ID, role.id),
            (TIER_TITLE, role.title),
            (TIER_ABBREVIATION, role.abbreviation),
        ]
        if role.zh:
            names.append((TIER_ZH, role.zh))
        names += [(TIER_OTHER, n) for n in role.other_names]
        names += [(TIER_SHARED, n) for n in role.shared_names]
        path, at = where[role.id]
        for tier, name in names:
            key = lookup_key(name)
            if not key:
                raise CatalogError(
                    path, f"{TIER_NAMES[tier]} {name!r} has no letters or digits", at
                )
            if key in RESERVED:
                raise CatalogError(
                    path,
                    f"{TIER_NAMES[tier]} {name!r} is a subcommand name and cannot name a role",
                    at,
                )
            entries = index.setdefault(key, [])
            for other_tier, other_id in entries:
                if other_id != role.id and _clash(tier, other_tier):
                    raise CatalogError(
                        path,
                        f"{TIER_NAMES[tier]} {name!r} of {role.id!r} is also the "
                        f"{TIER_NAMES[other_tier]} of {other_id!r}; a name two roles share belongs "
                        "in 'shared_names' of both",
                        at,
                    )
            if (tier, role.id) not in entries:
                entries.append((tier, role.id))
    for key, entries in index.items():
        for tier, role_id in entries:
            if tier == TIER_SHARED and len({rid for _, rid in entries}) < 2:
                path, at = where[role_id]
                raise CatalogError(
                    path, f"shared name for key {key!r} of {role_id!r} is used by no other role", at
                )
    return index


def _clash(tier: int, other: int) -> bool:
    """Which pairs of names two different roles may not both use."""
    pair = {tier, other}
    # Allowed: two shared names; shared abbreviations (the point: CSO, CPO, ...); and an id
    # that is also an abbreviation (`cio` is the primary CIO's id and every CIO's abbreviation).
    return pair != {TIER_SHARED} and not pair <= {TIER_ID, TIER_ABBREVIATION}
