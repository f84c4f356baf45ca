"""Read catalogue files, merge them entry by entry, validate the result and build the model."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import whoiswho
from whoiswho import strictjson
from whoiswho.errors import CatalogError, NoCatalogError
from whoiswho.locations import (
    CACHE_THRESHOLD,
    CatalogFile,
    read_bytes,
    total_size,
)
from whoiswho.model import BUNDLED, Catalog, Difference, Role, Source, role_from_entry
from whoiswho.strictjson import escape
from whoiswho.validate import TIER_ABBREVIATION as TIER_ABBR
from whoiswho.validate import (
    TIER_ID,
    TIER_TITLE,
    Checked,
    Keys,
    check_catalog,
    check_difference,
    check_entry,
    index_of,
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
    # Each role's JSON text as the file wrote it, when read for the cache (else None).
    texts: list[str] | None = None


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

    cached = cache.open_cached(files, lambda: _parse_and_cache(files, answer_from_cache=False))
    return cached if cached is not None else _parse_and_cache(files)


# What a one-shot run no longer needs but leaves to the exit to free (see whoiswho.ONE_SHOT).
_KEPT: list[object] = []


def _parse_and_cache(files: Sequence[CatalogFile], *, answer_from_cache: bool = True) -> Catalog:
    """Parse and check the files and write the cache, if no file changed while they were read.

    The console script answers from the parse while a detached process writes the cache (on
    Linux); elsewhere the cache is written first and the answer comes from it, as every later
    run's will. Without a cache (none can be written, or this is the rebuild of a damaged one)
    the answer comes from the parse.
    """
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
        merged = merge(
            [
                parse_layer(_text(raw, _name(f)), _name(f), keep_texts=True)
                for f, raw in zip(files, raws, strict=True)
            ],
            index=False,
        )
        if before is not None and cache.stamps(files) == before:
            one_shot = whoiswho.ONE_SHOT and answer_from_cache
            if one_shot and cache.store_detached(files, before, taken, raws, merged):
                _KEPT.append(merged)  # freed by the exit, not one object at a time
                return model_of(merged)  # the cache is written meanwhile, in its own process
            cache.store(files, before, taken, raws, merged)
            if answer_from_cache:
                rebuild = lambda: _parse_and_cache(files, answer_from_cache=False)  # noqa: E731
                cached = cache.open_cached(files, rebuild)
                if cached is not None:
                    if one_shot:
                        _KEPT.append(merged)  # the parse, not needed now: freed by the exit
                    return cached
        return model_of(merged)
    finally:
        if collecting:
            gc.enable()


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


def parse_layer(text: str, name: str, *, keep_texts: bool = False) -> Layer:
    """Parse and shape-check one catalogue document (keeping each role's text if asked)."""
    texts = None
    if keep_texts:
        doc, texts = strictjson.loads_keeping(text, name, "roles")
    else:
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
    return Layer(name, roles, differences, version, titles, texts)


class Merged(NamedTuple):
    """Layers merged entry by entry (later files override earlier ones field by field, by id)
    and checked as a whole: what the model (model_of) and the cache (cache.store) are built
    from, so that both hold the same catalogue."""

    layers: Sequence[Layer]
    # role id -> its merged entry, in the order the ids first appear
    entries: dict[str, dict[str, Any]]
    # role id -> (layer number, position among that layer's roles) of the entry that set it last
    last: dict[str, tuple[int, int]]
    # ids that more than one layer sets: their entry is a merge, no one file's text
    overridden: set[str]
    differences: dict[frozenset[str], Difference]
    checked: Checked

    @property
    def version(self) -> str:
        return next((la.version for la in reversed(self.layers) if la.version), "")

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(layer.path for layer in self.layers)

    @property
    def vocabulary(self) -> tuple[tuple[str, Any], ...]:
        return tuple((layer.path, layer.titles) for layer in self.layers if layer.titles)


def merge(layers: Sequence[Layer], *, index: bool = True) -> Merged:
    """Merge the layers and check the result (the first problem raises a CatalogError);
    with the lookup index built, or (for the cache) only each role's keys."""
    entries: dict[str, dict[str, Any]] = {}
    last: dict[str, tuple[int, int]] = {}
    overridden: set[str] = set()
    differences: dict[frozenset[str], Difference] = {}
    diff_where: dict[frozenset[str], tuple[str, str]] = {}
    for n, layer in enumerate(layers):
        for i, entry in enumerate(layer.roles):
            role_id = entry["id"]
            if role_id in entries:
                entries[role_id] = {**entries[role_id], **entry}
                overridden.add(role_id)
            else:
                entries[role_id] = entry  # never changed: a later layer makes a new dict
            last[role_id] = (n, i)
        for i, diff in enumerate(layer.differences):
            key = frozenset(diff["roles"])
            differences[key] = Difference(
                (diff["roles"][0], diff["roles"][1]),
                diff["note"],
                _sources(diff.get("sources", [])),
            )
            diff_where[key] = (layer.path, f"/differences/{i}")

    def place(role_id: str) -> tuple[str, str]:
        """The file and JSON pointer of the entry that set the role last."""
        layer, at = last[role_id]
        return layers[layer].path, f"/roles/{at}"

    notes = [(note.roles, diff_where[key]) for key, note in differences.items()]
    checked = check_catalog(entries, place, notes, index=index)
    return Merged(layers, entries, last, overridden, differences, checked)


def model_of(merged: Merged) -> Catalog:
    """The in-memory model of a merged, checked catalogue: each Role is built when first
    asked for (a lookup in 50,000 roles needs a handful)."""
    checked = merged.checked
    names: Mapping[str, list[tuple[int, str]]]
    if checked.names is not None:
        names = checked.names
    else:  # checked for the cache: the keys were computed instead
        assert checked.keys is not None
        names = KeyIndex(checked.keys, list(merged.entries))
    return Catalog(
        merged.version,
        EntryRoles(merged),
        merged.differences,
        merged.files,
        names,
        checked.shared,
        merged.vocabulary,
    )


class KeyIndex(Mapping[str, list[tuple[int, str]]]):
    """The lookup index of checked keys: the first few keys are found by scanning the key
    lists (a lookup needs one, and building the index of 150,000 keys takes 0.1 s); from then
    on, or to list every key, the index is built (validate.index_of)."""

    __slots__ = ("_ids", "_index", "_keys", "_scans")

    SCANS = 8

    def __init__(self, keys: Keys, ids: list[str]) -> None:
        self._keys, self._ids = keys, ids
        self._index: dict[str, list[tuple[int, str]]] | None = None
        self._scans = 0

    def _built(self) -> dict[str, list[tuple[int, str]]]:
        if self._index is None:
            self._index = index_of(self._keys, self._ids)
        return self._index

    def __getitem__(self, key: str) -> list[tuple[int, str]]:
        if self._index is not None or self._scans >= self.SCANS:
            return self._built()[key]
        self._scans += 1
        keys = self._keys
        found: list[tuple[int, int, int, str]] = []  # (position, place among names, tier, id)
        for seq, (column, tier) in enumerate(
            ((keys.ids, TIER_ID), (keys.titles, TIER_TITLE), (keys.abbreviations, TIER_ABBR))
        ):
            at = 0
            while True:
                try:
                    at = column.index(key, at)  # a C scan of the column
                except ValueError:
                    break
                found.append((at, seq, tier, self._ids[at]))
                at += 1
        for other, seq, tier, role_id in keys.others:
            if other == key:
                found.append((self._ids.index(role_id), seq, tier, role_id))
        if not found:
            raise KeyError(key)
        return [(tier, role_id) for _, _, tier, role_id in sorted(found)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._built())


class EntryRoles(Mapping[str, Role]):
    """The roles of a merged catalogue, in catalogue order, each built on first use."""

    __slots__ = ("_built", "_entries", "_last", "_paths")

    def __init__(self, merged: Merged) -> None:
        self._entries = merged.entries
        self._last = merged.last
        self._paths = [layer.path for layer in merged.layers]
        self._built: dict[str, Role] = {}

    def __getitem__(self, role_id: str) -> Role:
        role = self._built.get(role_id)
        if role is None:
            entry = self._entries[role_id]  # KeyError for an id the catalogue lacks
            origin = self._paths[self._last[role_id][0]]
            role = self._built[role_id] = role_from_entry(entry, origin)
        return role

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, role_id: object) -> bool:
        return role_id in self._entries


def build(layers: Sequence[Layer]) -> Catalog:
    """Merge layers (later files override earlier ones field by field, by id) and validate."""
    return model_of(merge(layers))


def _sources(items: Iterable[dict[str, Any]]) -> tuple[Source, ...]:
    return tuple(Source(s["title"], s.get("url")) for s in items)
