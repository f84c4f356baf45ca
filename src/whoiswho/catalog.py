"""Read catalogue files, merge them entry by entry, validate the result and build the model."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from whoiswho import RESERVED
from whoiswho.errors import CatalogError
from whoiswho.model import BUNDLED, Catalog, Difference, Role, Source
from whoiswho.text import lookup_key

# Lookup tiers, strongest first: a query resolves at the first tier where it matches anything.
TIER_ID, TIER_TITLE, TIER_ZH, TIER_ABBREVIATION, TIER_OTHER, TIER_SHARED = range(6)
TIER_NAMES = ("id", "title", "zh", "abbreviation", "other name", "shared name")

_STR_FIELDS = ("abbreviation", "title", "area", "summary")
_LIST_FIELDS = (
    "responsibilities",
    "other_names",
    "shared_names",
    "reports_to_alternatives",
)
_CODE_KEYS = frozenset({"us_soc_2018", "onet_soc", "isco_08"})
_KNOWN = frozenset(
    (
        "id",
        "reports_to",
        "zh",
        "occupation_codes",
        "sources",
        "primary",
        "meaning_rank",
        *_STR_FIELDS,
        *_LIST_FIELDS,
    )
)
_REQUIRED = ("abbreviation", "title", "area", "summary", "responsibilities", "reports_to")


class Layer(NamedTuple):
    """One catalogue file as read: its path (or "bundled") and its parsed, shape-checked content."""

    path: str
    roles: list[dict[str, Any]]
    differences: list[dict[str, Any]]
    version: str | None


def user_config_dir() -> str:
    """The per-user config folder, exactly as click.get_app_dir("whoiswho") names it.

    Computed here so that the lookup path need not import click (a test keeps the two equal).
    """
    if sys.platform.startswith("win"):
        return os.path.join(os.environ.get("APPDATA") or os.path.expanduser("~"), "whoiswho")
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~/Library/Application Support"), "whoiswho")
    config = os.environ.get("XDG_CONFIG_HOME", os.path.expanduser("~/.config"))
    return os.path.join(config, "whoiswho")


def bundled_path() -> str:
    """The catalogue inside the installed package, or the checkout's data/roles.json (editable)."""
    here = os.path.dirname(os.path.abspath(__file__))
    packaged = os.path.join(here, "data", "roles.json")
    if os.path.isfile(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(here)), "data", "roles.json")


def load(extra: Sequence[str | os.PathLike[str]] = (), *, bundled: bool = True) -> Catalog:
    """The bundled catalogue (unless `bundled` is false) with each extra file layered on top."""
    files = [CatalogFile("bundled", bundled_path())] if bundled else []
    return load_files(files + [CatalogFile("option", os.fspath(p)) for p in extra])


class CatalogFile(NamedTuple):
    """One file in the load order, and why it is there."""

    kind: str  # "bundled", "user", "env" (WHOISWHO_CATALOG) or "option" (--catalog)
    path: str


def load_order(
    *, app_dir: str, env: str | None, options: Sequence[str], bundled: bool = True
) -> list[CatalogFile]:
    """The files to load, in order: bundled, the per-user file if it exists, env, options."""
    files = [CatalogFile("bundled", bundled_path())] if bundled else []
    user = os.path.join(app_dir, "roles.json")
    if os.path.isfile(user):
        files.append(CatalogFile("user", user))
    files += [CatalogFile("env", p) for p in (env or "").split(os.pathsep) if p]
    files += [CatalogFile("option", p) for p in options]
    return files


def load_files(files: Sequence[CatalogFile]) -> Catalog:
    """Read and merge the files of `load_order`, later ones overriding earlier ones.

    A large catalogue comes from the cache while its files are unchanged (see cache.py).
    """
    if not files:
        raise CatalogError("(none)", "no catalogue to read: --no-bundled needs --catalog FILE")
    large = _total_size(files) >= CACHE_THRESHOLD
    if large:
        from whoiswho import cache

        cached = cache.open_cached(files)
        if cached is not None:
            return cached
    catalog = build([read_layer(f.path, BUNDLED if f.kind == "bundled" else None) for f in files])
    if large:
        from whoiswho.search import search_text

        cache.store(files, catalog, search_text)
    return catalog


# Catalogues at least this large (all files together) are worth caching; the bundled one is not.
CACHE_THRESHOLD = 2_000_000


def _total_size(files: Sequence[CatalogFile]) -> int:
    total = 0
    for f in files:
        try:
            total += os.stat(f.path).st_size
        except OSError:
            return 0  # read_layer reports the problem
    return total


def read_layer(path: str | os.PathLike[str], label: str | None = None) -> Layer:
    """Read one catalogue file; every problem becomes a CatalogError naming the file and place."""
    name = label or os.fspath(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise CatalogError(name, "file not found") from None
    except IsADirectoryError:
        raise CatalogError(name, "is a folder, not a file") from None
    except PermissionError:
        raise CatalogError(name, "permission denied") from None
    except OSError as exc:
        raise CatalogError(name, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(
            name, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None
    return parse_layer(text, name)


def parse_layer(text: str, name: str) -> Layer:
    """Parse and shape-check one catalogue document."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(
            name, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise CatalogError(name, "not valid JSON: nested too deeply") from None
    if not isinstance(doc, dict):
        raise CatalogError(name, "expected a JSON object with a 'roles' list", "")
    roles = doc.get("roles")
    if not isinstance(roles, list):
        raise CatalogError(name, "missing or mistyped field 'roles' (expected a list)", "/roles")
    differences = doc.get("differences", [])
    if not isinstance(differences, list):
        raise CatalogError(name, "field 'differences' must be a list", "/differences")
    version = doc.get("version")
    if version is not None and not isinstance(version, str):
        raise CatalogError(name, "field 'version' must be a string", "/version")
    seen: set[str] = set()
    for i, entry in enumerate(roles):
        _check_entry(entry, name, f"/roles/{i}")
        if entry["id"] in seen:
            raise CatalogError(name, f"duplicate id {entry['id']!r}", f"/roles/{i}/id")
        seen.add(entry["id"])
    for i, diff in enumerate(differences):
        _check_difference(diff, name, f"/differences/{i}")
    return Layer(name, roles, differences, version)


def _check_entry(entry: object, name: str, at: str) -> None:
    if not isinstance(entry, dict):
        raise CatalogError(name, "a role must be a JSON object", at)
    role_id = entry.get("id")
    if not isinstance(role_id, str) or not role_id.strip():
        raise CatalogError(name, "missing or mistyped field 'id' (expected a string)", f"{at}/id")
    for key, value in entry.items():
        where = f"{at}/{key}"
        if key not in _KNOWN:
            raise CatalogError(name, f"unknown field {key!r}", where)
        if key in _STR_FIELDS or key == "zh":
            if not isinstance(value, str) or not value.strip():
                raise CatalogError(name, f"field {key!r} must be a non-empty string", where)
        elif key in _LIST_FIELDS:
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                raise CatalogError(
                    name, f"field {key!r} must be a list of non-empty strings", where
                )
        elif key == "reports_to":
            if value is not None and (not isinstance(value, str) or not value):
                raise CatalogError(name, "field 'reports_to' must be a role id or null", where)
        elif key == "primary":
            if not isinstance(value, bool):
                raise CatalogError(name, "field 'primary' must be true or false", where)
        elif key == "meaning_rank":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise CatalogError(name, "field 'meaning_rank' must be a whole number >= 1", where)
        elif key == "occupation_codes":
            _check_codes(value, name, where)
        elif key == "sources":
            _check_sources(value, name, where)


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


def _check_difference(diff: object, name: str, at: str) -> None:
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


def build(layers: Sequence[Layer]) -> Catalog:
    """Merge layers (later files override earlier ones field by field, by id) and validate."""
    merged: dict[str, dict[str, Any]] = {}
    where: dict[str, tuple[str, str]] = {}  # id -> (file, pointer) that last touched it
    differences: dict[frozenset[str], Difference] = {}
    diff_where: dict[frozenset[str], tuple[str, str]] = {}
    version = ""
    for layer in layers:
        version = layer.version or version
        for i, entry in enumerate(layer.roles):
            role_id = entry["id"]
            if role_id in merged:
                merged[role_id] = {**merged[role_id], **entry}
            else:
                merged[role_id] = dict(entry)
            where[role_id] = (layer.path, f"/roles/{i}")
        for i, diff in enumerate(layer.differences):
            key = frozenset(diff["roles"])
            differences[key] = Difference(
                (diff["roles"][0], diff["roles"][1]),
                diff["note"],
                _sources(diff.get("sources", [])),
            )
            diff_where[key] = (layer.path, f"/differences/{i}")
    roles = {}
    for role_id, entry in merged.items():
        path, at = where[role_id]
        missing = [f for f in _REQUIRED if f not in entry]
        if missing:
            raise CatalogError(path, f"role {role_id!r} is missing field {missing[0]!r}", at)
        roles[role_id] = _role(entry, path)
    _check_references(roles, where)
    for key, note in differences.items():
        for role_id in note.roles:
            if role_id not in roles:
                path, at = diff_where[key]
                raise CatalogError(
                    path, f"difference names unknown role {role_id!r}", f"{at}/roles"
                )
    index = build_index(roles.values(), where)
    groups: dict[str, list[str]] = {}
    for role in roles.values():
        groups.setdefault(role.abbreviation.casefold(), []).append(role.id)
    shared = {k: tuple(ids) for k, ids in groups.items() if len(ids) > 1}
    files = tuple(layer.path for layer in layers)
    return Catalog(version, roles, differences, files, index, shared)


def _sources(items: Iterable[dict[str, Any]]) -> tuple[Source, ...]:
    return tuple(Source(s["title"], s.get("url")) for s in items)


def _role(entry: dict[str, Any], path: str) -> Role:
    return Role(
        id=entry["id"],
        abbreviation=entry["abbreviation"],
        title=entry["title"],
        area=entry["area"],
        summary=entry["summary"],
        responsibilities=tuple(entry["responsibilities"]),
        reports_to=entry["reports_to"],
        other_names=tuple(entry.get("other_names", ())),
        shared_names=tuple(entry.get("shared_names", ())),
        zh=entry.get("zh"),
        reports_to_alternatives=tuple(entry.get("reports_to_alternatives", ())),
        occupation_codes=tuple(sorted(entry.get("occupation_codes", {}).items())),
        sources=_sources(entry.get("sources", ())),
        primary=entry.get("primary", False),
        meaning_rank=entry.get("meaning_rank"),
        origin=path,
    )


def _check_references(roles: dict[str, Role], where: dict[str, tuple[str, str]]) -> None:
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
        for tier, name in names:
            key = lookup_key(name)
            path, at = where[role.id]
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
