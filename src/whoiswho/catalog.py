"""Read catalogue files, merge them entry by entry, validate the result and build the model."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from whoiswho.errors import CatalogError, NoCatalogError
from whoiswho.locations import (
    CACHE_THRESHOLD,
    CatalogFile,
    total_size,
)
from whoiswho.model import BUNDLED, Catalog, Difference, Source, role_from_entry
from whoiswho.validate import (
    REQUIRED,
    build_index,
    check_difference,
    check_entry,
    check_references,
    check_role,
)


class Layer(NamedTuple):
    """One catalogue file as read: its path (or "bundled") and its parsed, shape-checked content."""

    path: str
    roles: list[dict[str, Any]]
    differences: list[dict[str, Any]]
    version: str | None
    # The file's "titles" section: title vocabulary in data/titles.json's shape, checked when
    # the classifier merges it (vocabulary.Vocabulary.merged).
    titles: dict[str, Any] | None = None


def load_files(files: Sequence[CatalogFile]) -> Catalog:
    """Read and merge the files of `load_order`, later ones overriding earlier ones.

    A large catalogue comes from the cache while its files are unchanged (see cache.py).
    """
    if not files:
        raise NoCatalogError()
    large = total_size(files) >= CACHE_THRESHOLD
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
        check_entry(entry, name, f"/roles/{i}")
        if entry["id"] in seen:
            raise CatalogError(name, f"duplicate id {entry['id']!r}", f"/roles/{i}/id")
        seen.add(entry["id"])
    for i, diff in enumerate(differences):
        check_difference(diff, name, f"/differences/{i}")
    titles = doc.get("titles")
    if titles is not None and not isinstance(titles, dict):
        raise CatalogError(name, "field 'titles' must be an object (title vocabulary)", "/titles")
    return Layer(name, roles, differences, version, titles)


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
        missing = [f for f in REQUIRED if f not in entry]
        if missing:
            raise CatalogError(path, f"role {role_id!r} is missing field {missing[0]!r}", at)
        roles[role_id] = role_from_entry(entry, path)
        check_role(roles[role_id], path, at)
    check_references(roles, where)
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
    vocabulary = tuple((layer.path, layer.titles) for layer in layers if layer.titles)
    return Catalog(version, roles, differences, files, index, shared, vocabulary)


def _sources(items: Iterable[dict[str, Any]]) -> tuple[Source, ...]:
    return tuple(Source(s["title"], s.get("url")) for s in items)
