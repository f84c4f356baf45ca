"""Read catalogue files, merge them entry by entry, validate the result and build the model."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from whoiswho import strictjson
from whoiswho.errors import CatalogError, NoCatalogError
from whoiswho.locations import (
    CACHE_THRESHOLD,
    CatalogFile,
    read_bytes,
    total_size,
)
from whoiswho.model import BUNDLED, Catalog, Difference, Source, role_from_entry
from whoiswho.strictjson import escape
from whoiswho.validate import (
    REQUIRED,
    build_index,
    check_difference,
    check_entry,
    check_ids,
    check_primaries,
    check_references,
    check_role,
)

# Every key a catalogue file may have at its top level; anything else (a typo such as
# "differnces", which would silently drop every note) is refused. Extend here for new sections.
TOP_LEVEL_KEYS = frozenset({"$schema", "version", "roles", "differences", "titles"})


class Layer(NamedTuple):
    """One catalogue file as read: its path (or "bundled") and its parsed, shape-checked content."""

    path: str
    roles: list[dict[str, Any]]
    differences: list[dict[str, Any]]
    version: str | None
    # The file's "titles" section: title vocabulary in data/titles.json's shape, checked when
    # the classifier merges it (vocabulary.Vocabulary.merged).
    titles: dict[str, Any] | None = None


def load_files(files: Sequence[CatalogFile], *, use_cache: bool = True) -> Catalog:
    """Read and merge the files of `load_order`, later ones overriding earlier ones.

    A large catalogue comes from the cache while its files are unchanged (see cache.py), unless
    `use_cache` is false (`catalog validate` must check the files themselves).
    """
    if not files:
        raise NoCatalogError()
    if not use_cache or total_size(files) < CACHE_THRESHOLD:
        return build([read_layer(f.path, _label(f)) for f in files])
    from whoiswho import cache

    cached = cache.open_cached(files, lambda: _parse_and_cache(files))
    return cached if cached is not None else _parse_and_cache(files)


def _parse_and_cache(files: Sequence[CatalogFile]) -> Catalog:
    """Parse the files and cache the result, if no file changed while it was read."""
    import time

    from whoiswho import cache

    # Stamps before reading, compared after: a file saved while this parses is not cached with
    # its new stamps and its old content.
    taken = time.time_ns()
    before = cache.stamps(files)
    raws = [read_bytes(f.path, _name(f)) for f in files]
    # Parsing allocates millions of objects and frees none: the cycle collector would walk them
    # all again and again (half the time of a 50,000-role build) to find no garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        catalog = build(
            [
                parse_layer(_text(raw, _name(f)), _name(f))
                for f, raw in zip(files, raws, strict=True)
            ]
        )
        if before is not None and cache.stamps(files) == before:
            cache.store(files, before, taken, raws, catalog)
    finally:
        if collecting:
            gc.enable()
    return catalog


def _label(f: CatalogFile) -> str | None:
    return BUNDLED if f.kind == "bundled" else None


def _name(f: CatalogFile) -> str:
    return BUNDLED if f.kind == "bundled" else f.path


def read_layer(path: str | os.PathLike[str], label: str | None = None) -> Layer:
    """Read one catalogue file; every problem becomes a CatalogError naming the file and place."""
    name = label or os.fspath(path)
    return parse_layer(_text(read_bytes(path, name), name), name)


def _text(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(
            name, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
        ) from None


def parse_layer(text: str, name: str) -> Layer:
    """Parse and shape-check one catalogue document."""
    doc = strictjson.loads(text, name)
    if not isinstance(doc, dict):
        raise CatalogError(name, "expected a JSON object with a 'roles' list", "")
    for key in doc:
        if key not in TOP_LEVEL_KEYS:
            known = ", ".join(sorted(TOP_LEVEL_KEYS))
            raise CatalogError(
                name, f"unknown top-level field {key!r} (expected {known})", f"/{escape(key)}"
            )
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
    check_ids(merged, where)
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
    check_primaries(roles, where)
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
