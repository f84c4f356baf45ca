"""The rules a catalogue must keep: the shape of each entry, and the consistency of the whole.

Every problem is a CatalogError naming the file, the place in it (a JSON pointer) and the problem.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from whoiswho import RESERVED
from whoiswho.errors import CatalogError
from whoiswho.model import FACETS, ROLE_SPEC
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
    if isinstance(value, list):
        try:
            if all(map(str.strip, value)):  # str.strip raises TypeError for anything but text
                return None
        except TypeError:
            pass
    return "must be a list of non-empty strings"


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
        check = _FIELD_CHECKS.get(key)
        if check is None:
            raise CatalogError(name, f"unknown field {key!r}", f"{at}/{key}")
        problem = check(value)
        if problem:
            where = f"{at}/{key}"
            kind = ROLE_SPEC[key].kind
            if kind == "codes":
                _check_codes(value, name, where)
            elif kind == "sources":
                _check_sources(value, name, where)
            raise CatalogError(name, f"field {key!r} {problem}", where)


def _codes_ok(value: object) -> str | None:
    ok = isinstance(value, dict) and all(
        k in _CODE_KEYS and isinstance(c, str) and c for k, c in value.items()
    )
    return None if ok else "is mistyped"


def _sources_ok(value: object) -> str | None:
    if isinstance(value, list):
        for src in value:
            if not isinstance(src, dict):
                break
            title, url = src.get("title"), src.get("url")
            if not isinstance(title, str) or not title.strip():
                break
            if url is not None and not isinstance(url, str):
                break
        else:
            return None
    return "is mistyped"


# Per settable field, its check (the problem or None); the id was checked first on its own.
_FIELD_CHECKS: dict[str, Callable[[object], str | None]] = {
    name: (
        (lambda value: None)
        if field.kind == "id"
        else _codes_ok
        if field.kind == "codes"
        else _sources_ok
        if field.kind == "sources"
        else CHECKS[field.kind]
    )
    for name, field in ROLE_SPEC.items()
    if name in SETTABLE
}


def valid_id(role_id: str) -> bool:
    """Lowercase, NFKC-normalised letters and digits, words joined by single hyphens.

    Ids are what scripts and `reports_to` use, so each has one spelling: `CFO`, `c.f.o` or
    ` cfo ` would make `whoiswho cfo` ambiguous with the real `cfo`.
    """
    return (
        role_id.replace("-", "").isalnum()
        and "--" not in role_id
        and role_id[0] != "-"
        and role_id[-1] != "-"
        and (role_id == role_id.lower() if role_id.isascii() else _folded(role_id))
    )


def _folded(role_id: str) -> bool:
    return role_id == unicodedata.normalize("NFKC", role_id).casefold()


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


# Where a role came from, for messages: (file, JSON pointer) of the entry that last set it.
Place = Callable[[str], tuple[str, str]]


class Keys(NamedTuple):
    """Every role's lookup keys, for the cache's key columns and names table: the id's, the
    title's and the abbreviation's (lists in catalogue order), and (key, place in the role's
    names, tier, role id) for each other name (zh, other and shared names), as the index
    holds them."""

    ids: list[str]
    titles: list[str]
    abbreviations: list[str]
    others: list[tuple[str, int, int, str]]


class Checked(NamedTuple):
    """What checking a whole catalogue computes on the way, for the model and the cache."""

    # role id -> its reporting line: its id, then each superior's up to the top, space-separated
    lines: dict[str, str]
    # case-folded abbreviation -> ids of the roles sharing it (only where two or more do)
    shared: dict[str, tuple[str, ...]]
    # the lookup index (lookup key -> (tier, role id) pairs), when asked for (the model)...
    names: dict[str, list[tuple[int, str]]] | None
    # ... or each role's keys (the cache)
    keys: Keys | None


def check_catalog(
    entries: Mapping[str, Mapping[str, Any]],
    place: Place,
    notes: Iterable[tuple[tuple[str, ...], tuple[str, str]]] = (),
    *,
    index: bool = True,
) -> Checked:
    """Rules across fields and across roles, on merged entries (each already passed
    check_entry): ids, required fields, facets, rank sources, references and cycles, the
    roles the notes (role ids, where the note is) name, primaries, names. The first problem
    raises a CatalogError; else what was computed on the way: the lookup index if `index`,
    else each role's keys.

    Large catalogues take quick paths (whole columns at a time, superiors listed before
    their reports); anything they cannot vouch for goes to the exact rules, which name the
    first problem in catalogue order."""
    check_ids(entries, place)
    complete = all(map(_REQUIRED_SET.issubset, entries.values()))
    for role_id, entry in entries.items():
        if not complete and not _REQUIRED_SET.issubset(entry):
            missing = [f for f in REQUIRED if f not in entry]
            path, at = place(role_id)
            raise CatalogError(path, f"role {role_id!r} is missing field {missing[0]!r}", at)
        if "facets" in entry or "rank_source" in entry:
            check_role(role_id, entry, place)
    lines = _lines_in_order(entries)
    if lines is None:
        lines = check_references(entries, place)
    for role_ids, (path, at) in notes:
        for role_id in role_ids:
            if role_id not in entries:
                raise CatalogError(
                    path, f"difference names unknown role {role_id!r}", f"{at}/roles"
                )
    check_primaries(entries, place)
    names = keys = None
    if index:
        names = build_index(entries, place)
    else:
        keys = quick_keys(entries)
        if keys is None:
            build_index(entries, place)  # names the problem
            keys = slow_keys(entries)  # the quick path was only too careful
    abbreviations = [entry["abbreviation"].casefold() for entry in entries.values()]
    groups: dict[str, list[str]] = {}
    if len(set(abbreviations)) != len(abbreviations):
        for role_id, abbreviation in zip(entries, abbreviations, strict=True):
            groups.setdefault(abbreviation, []).append(role_id)
    shared = {k: tuple(ids) for k, ids in groups.items() if len(ids) > 1}
    return Checked(lines, shared, names, keys)


_REQUIRED_SET = frozenset(REQUIRED)


def _lines_in_order(entries: Mapping[str, Mapping[str, Any]]) -> dict[str, str] | None:
    """Each role's reporting line, in one pass, if every superior comes before its reports
    and every alternative superior exists; None for anything else (check_references)."""
    lines: dict[str, str] = {}
    for role_id, entry in entries.items():
        up = entry["reports_to"]
        if up is None:
            lines[role_id] = role_id
        else:
            above = lines.get(up)
            if above is None:
                return None  # listed later, missing, or the role itself
            lines[role_id] = f"{role_id} {above}"
        if "reports_to_alternatives" in entry:
            for target in entry["reports_to_alternatives"]:
                if target == role_id or target not in entries:
                    return None
    return lines


def keys_of(texts: list[str]) -> list[str]:
    """lookup_key of each text: for ASCII texts, all in one pass over their joined bytes."""
    joined = "\0".join(texts)
    if texts and joined.isascii() and joined.count("\0") == len(texts) - 1:
        return lookup_key(joined).split("\0")  # NUL is neither removed nor changed
    return [lookup_key(text) for text in texts]


_EXTRA = ("zh", "other_names", "shared_names")


def _other_names(role_id: str, entry: Mapping[str, Any]) -> list[tuple[int, int, str]]:
    """(place in the role's names, tier, name) of the role's zh, other and shared names."""
    found: list[tuple[int, str]] = []
    if entry.get("zh"):
        found.append((TIER_ZH, entry["zh"]))
    found += [(TIER_OTHER, n) for n in entry.get("other_names", ())]
    found += [(TIER_SHARED, n) for n in entry.get("shared_names", ())]
    return [(seq, tier, name) for seq, (tier, name) in enumerate(found, start=3)]


def slow_keys(entries: Mapping[str, Mapping[str, Any]]) -> Keys:
    """Keys, one name at a time, as build_index keys them (the reference for quick_keys)."""
    others = []
    for role_id, entry in entries.items():
        seen = set()
        for seq, tier, name in _other_names(role_id, entry):
            key = lookup_key(name)
            if (key, tier) not in seen:
                seen.add((key, tier))
                others.append((key, seq, tier, role_id))
    values = entries.values()
    return Keys(
        [id_key(i) for i in entries],
        [lookup_key(e["title"]) for e in values],
        [lookup_key(e["abbreviation"]) for e in values],
        others,
    )


def index_of(keys: Keys, ids: Sequence[str]) -> dict[str, list[tuple[int, str]]]:
    """The lookup index that build_index makes, from checked keys (role by role, each role's
    names in order: id, title, abbreviation, then zh, other and shared names)."""
    others: dict[str, list[tuple[str, int]]] = {}
    for key, _, tier, role_id in keys.others:  # in (role, name) order already
        others.setdefault(role_id, []).append((key, tier))
    index: dict[str, list[tuple[int, str]]] = {}
    get = index.get
    for pos, role_id in enumerate(ids):
        names = [
            (keys.ids[pos], TIER_ID),
            (keys.titles[pos], TIER_TITLE),
            (keys.abbreviations[pos], TIER_ABBREVIATION),
        ]
        if role_id in others:
            names += others[role_id]
        for key, tier in names:
            found = get(key)
            if found is None:
                index[key] = [(tier, role_id)]
            else:
                found.append((tier, role_id))
    return index


def quick_keys(entries: Mapping[str, Mapping[str, Any]]) -> Keys | None:
    """Keys for a catalogue whose names pass build_index's rules, whole columns at a time;
    None when a name may break one (build_index then says which)."""
    values = list(entries.values())
    keys = Keys(
        [i.replace("-", "") for i in entries],  # id_key
        keys_of([e["title"] for e in values]),
        keys_of([e["abbreviation"] for e in values]),
        [],
    )
    extra = [
        (i, e) for i, e in entries.items() if "zh" in e or "other_names" in e or "shared_names" in e
    ]
    for role_id, entry in extra:
        for seq, tier, name in _other_names(role_id, entry):
            keys.others.append((lookup_key(name), seq, tier, role_id))
    counts = Counter(keys.ids)
    counts.update(keys.titles)
    counts.update(keys.abbreviations)
    counts.update(key for key, *_ in keys.others)
    if "" in counts or not RESERVED.isdisjoint(counts):
        return None
    shared = {key for key, _, tier, _ in keys.others if tier == TIER_SHARED}
    repeated = {key for key, n in counts.items() if n > 1}
    if shared - repeated:
        return None  # a shared name no other role uses
    if not repeated:
        return keys
    # The few names two roles (or one role twice) have: build_index's rules, on them alone.
    index: dict[str, list[tuple[int, str]]] = {}
    kept = set()
    others: dict[str, list[tuple[str, int, int]]] = {}
    for key, seq, tier, role_id in keys.others:
        others.setdefault(role_id, []).append((key, seq, tier))
    for pos, role_id in enumerate(entries):
        names = [(keys.ids[pos], 0, TIER_ID), (keys.titles[pos], 1, TIER_TITLE)]
        names.append((keys.abbreviations[pos], 2, TIER_ABBREVIATION))
        for key, seq, tier in [*names, *others.get(role_id, ())]:
            if key not in repeated:
                continue
            found = index.setdefault(key, [])
            if any(other != role_id and _clash(tier, t) for t, other in found):
                return None
            if (tier, role_id) not in found:
                found.append((tier, role_id))
                kept.add((key, seq, tier, role_id))
    if any(len({i for _, i in index[key]}) < 2 for key in shared):
        return None
    keys.others[:] = [o for o in keys.others if o[0] not in repeated or o in kept]
    return keys


def check_ids(entries: Mapping[str, Any], place: Place) -> None:
    """Two ids may not have the same lookup key (`c-f-o` and `cfo` both answer to `cfo`)."""
    seen: dict[str, str] = {}
    for role_id in entries:
        other = seen.setdefault(id_key(role_id), role_id)
        if other != role_id:
            path, at = place(role_id)
            raise CatalogError(
                path, f"id {role_id!r} is looked up as the same name as id {other!r}", f"{at}/id"
            )


def id_key(role_id: str) -> str:
    """lookup_key of a valid id: its letters and digits are kept as they are, hyphens dropped
    (valid_id admits no other character lookup_key removes, and no case or form it changes)."""
    return role_id.replace("-", "")


def check_role(role_id: str, entry: Mapping[str, Any], place: Place) -> None:
    """Rules across fields of one merged role."""
    facets = entry.get("facets")
    if facets and len(facets) != len(entry["responsibilities"]):
        path, at = place(role_id)
        raise CatalogError(
            path,
            f"role {role_id!r} has {len(facets)} facets for "
            f"{len(entry['responsibilities'])} responsibilities (one facet per duty)",
            f"{at}/facets",
        )
    rank_source = entry.get("rank_source")
    if rank_source is not None and rank_source not in {
        s.get("url") for s in entry.get("sources", ())
    }:
        path, at = place(role_id)
        raise CatalogError(
            path,
            f"role {role_id!r}: rank_source must be the url of one of its sources",
            f"{at}/rank_source",
        )


def check_primaries(entries: Mapping[str, Mapping[str, Any]], place: Place) -> None:
    """At most one role is the primary meaning of an abbreviation."""
    primary: dict[str, str] = {}
    for role_id, entry in entries.items():
        if not entry.get("primary"):
            continue
        abbreviation = entry["abbreviation"]
        other = primary.setdefault(abbreviation.casefold(), role_id)
        if other != role_id:
            path, at = place(role_id)
            raise CatalogError(
                path,
                f"{role_id!r} and {other!r} are both marked primary for {abbreviation!r}; "
                "only one meaning can be the primary one",
                f"{at}/primary",
            )


def check_references(entries: Mapping[str, Mapping[str, Any]], place: Place) -> dict[str, str]:
    """Every superior exists, none is the role itself, no line runs in a circle; each role's
    reporting line (its id, then its superiors' up to the top, space-separated)."""
    for role_id, entry in entries.items():
        up = entry["reports_to"]
        alternatives = entry.get("reports_to_alternatives")
        targets = (up, *alternatives) if alternatives else (up,)
        for target in targets:
            if target is None or (target in entries and target != role_id):
                continue
            path, at = place(role_id)
            if target == role_id:
                raise CatalogError(path, f"role {role_id!r} reports to itself", at)
            raise CatalogError(
                path, f"role {role_id!r} reports to unknown role {target!r}", f"{at}/reports_to"
            )
    # Walk each chain once, up to a role whose line is known; a role met twice is a cycle.
    lines: dict[str, str] = {}
    for start in entries:
        if start in lines:
            continue
        chain: list[str] = []
        on_chain: set[str] = set()
        current: str | None = start
        while current is not None and current not in lines:
            if current in on_chain:
                cycle = [*chain[chain.index(current) :], current]
                path, at = place(current)
                raise CatalogError(path, "reporting cycle: " + " -> ".join(cycle), at)
            chain.append(current)
            on_chain.add(current)
            current = entries[current]["reports_to"]
        above = "" if current is None else lines[current]
        for role_id in reversed(chain):
            above = lines[role_id] = f"{role_id} {above}" if above else role_id
    return lines


def build_index(
    entries: Mapping[str, Mapping[str, Any]], place: Place
) -> dict[str, list[tuple[int, str]]]:
    """Map each lookup key to the (tier, role id) pairs it names, refusing silent clashes."""
    index: dict[str, list[tuple[int, str]]] = {}
    shared_keys: list[str] = []
    for role_id, entry in entries.items():
        names: list[tuple[int, str]] = [
            (TIER_ID, role_id),
            (TIER_TITLE, entry["title"]),
            (TIER_ABBREVIATION, entry["abbreviation"]),
        ]
        if entry.get("zh"):
            names.append((TIER_ZH, entry["zh"]))
        if "other_names" in entry:
            names += [(TIER_OTHER, n) for n in entry["other_names"]]
        if "shared_names" in entry:
            names += [(TIER_SHARED, n) for n in entry["shared_names"]]
        for tier, name in names:
            key = id_key(name) if tier == TIER_ID else lookup_key(name)
            found = index.get(key)
            if found is None:  # the common case: a name no role had yet
                if not key or key in RESERVED:
                    _refuse_name(tier, name, key, place(role_id))
                index[key] = [(tier, role_id)]
            else:
                for other_tier, other_id in found:
                    if other_id != role_id and _clash(tier, other_tier):
                        path, at = place(role_id)
                        raise CatalogError(
                            path,
                            f"{TIER_NAMES[tier]} {name!r} of {role_id!r} is also the "
                            f"{TIER_NAMES[other_tier]} of {other_id!r}; a name two roles share "
                            "belongs in 'shared_names' of both",
                            at,
                        )
                if (tier, role_id) not in found:
                    found.append((tier, role_id))
            if tier == TIER_SHARED:
                shared_keys.append(key)
    wanted = set(shared_keys)
    for key, found in index.items() if wanted else ():
        if key in wanted and len({rid for _, rid in found}) < 2:
            for tier, role_id in found:
                if tier == TIER_SHARED:
                    path, at = place(role_id)
                    raise CatalogError(
                        path,
                        f"shared name for key {key!r} of {role_id!r} is used by no other role",
                        at,
                    )
    return index


def _refuse_name(tier: int, name: str, key: str, where: tuple[str, str]) -> None:
    path, at = where
    if not key:
        raise CatalogError(path, f"{TIER_NAMES[tier]} {name!r} has no letters or digits", at)
    raise CatalogError(
        path, f"{TIER_NAMES[tier]} {name!r} is a subcommand name and cannot name a role", at
    )


def _clash(tier: int, other: int) -> bool:
    """Which pairs of names two different roles may not both use."""
    pair = {tier, other}
    # Allowed: two shared names; shared abbreviations (the point: CSO, CPO, ...); and an id
    # that is also an abbreviation (`cio` is the primary CIO's id and every CIO's abbreviation).
    return pair != {TIER_SHARED} and not pair <= {TIER_ID, TIER_ABBREVIATION}
