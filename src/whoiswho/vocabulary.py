"""The title vocabulary: rank words, function words, filing abbreviations, qualifiers and noise.

It is data (data/titles.json, described by data/titles.schema.json), read and checked here,
so that a user catalogue can extend it (`Vocabulary.merged`) and a reviewer can read it without
the code.
The classifier (classify.py) compiles it, with a catalogue's role names, into lookup tables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, NamedTuple

from whoiswho.errors import CatalogError
from whoiswho.model import Source
from whoiswho.text import lookup_key

# Most senior first; `LEVELS.index` orders levels.
LEVELS = ("board", "c_level", "evp", "svp", "vp", "head_or_director", "manager", "other")

# The sections of titles.json, and how a merge treats each: "ranks" by id, lists appended,
# mappings updated key by key.
_LISTS: tuple[str, ...] = ("functions", "terms", "qualifiers", "places", "noise")
_LISTS += ("noise_marks", "officer_nouns", "chief_words", "stop_words", "and_words")
_LISTS += ("compound_heads",)
_MAPS: tuple[str, ...] = ("abbreviations", "ambiguous_abbreviations", "role_levels", "unit_roles")
_MAPS += ("deputy_levels", "role_areas")


class Rank(NamedTuple):
    """A rank word (VP, SVP, Director, Head of, Managing Director...): how senior, what it means."""

    id: str
    title: str
    level: str
    names: tuple[str, ...]
    summary: str
    sources: tuple[Source, ...]
    # What the rank means with no function beside it ("Director" alone: a board seat;
    # "Managing Director" alone: the chief executive): level, role, area, under.
    alone: Mapping[str, str] | None = None
    # Before a job noun the word only describes it ("Principal Engineer", "Partner Manager").
    modifier: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "level": self.level,
            "names": list(self.names),
            "summary": self.summary,
            "sources": [s.to_dict() for s in self.sources],
        }


class Vocabulary:
    """The checked vocabulary document, its ranks, and a way to layer more vocabulary on top."""

    __slots__ = ("_by_name", "doc", "origin", "ranks")

    def __init__(
        self, doc: Mapping[str, Any], origin: str = "titles.json", *, checked: bool = False
    ) -> None:
        if not checked:  # the bundled file is checked by the tests, not on every start-up
            check(doc, origin)
        self.doc = doc
        self.origin = origin
        self.ranks = tuple(_rank(r) for r in doc["ranks"])
        # Keyed when first asked: `classify` never asks, and keying every name costs more
        # than reading the title.
        self._by_name: dict[str, Rank] | None = None

    def rank(self, name: str) -> Rank | None:
        """The rank a word names ("VP", "Sr. VP", "svp", "Managing Director"), or None."""
        if self._by_name is None:
            self._by_name = {}
            for rank in self.ranks:
                for word in (rank.id, rank.title, *rank.names):
                    self._by_name.setdefault(self._key(word), rank)
        return self._by_name.get(self._key(name)) if name else None

    def _key(self, name: str) -> str:
        """A name compared as the classifier reads it: abbreviations spelled out ("Sr. VP")."""
        abbreviations = self.doc.get("abbreviations", {})
        words = name.casefold().replace(".", " ").split()
        return lookup_key(" ".join(abbreviations.get(w, w) for w in words))

    def merged(self, extra: Mapping[str, Any], origin: str = "extra vocabulary") -> Vocabulary:
        """A new vocabulary: this one with `extra` (titles.json's shape, any sections) on top.

        Ranks with a known id replace fields of that rank; other ranks are added. Lists are
        appended (later phrases win where two sections name the same words) and mappings updated.
        """
        if not isinstance(extra, Mapping):
            raise CatalogError(origin, "extra vocabulary must be a JSON object", "")
        doc: dict[str, Any] = dict(self.doc)
        for key, value in extra.items():
            if key == "ranks" and isinstance(value, list):
                ranks = {r["id"]: dict(r) for r in doc["ranks"]}
                for entry in value:
                    if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
                        ranks[entry["id"]] = {**ranks.get(entry["id"], {}), **entry}
                    else:
                        problem = "a rank must be an object with an 'id'"
                        raise CatalogError(origin, problem, "/ranks")
                doc["ranks"] = list(ranks.values())
            elif key in _LISTS and isinstance(value, list):
                doc[key] = [*doc.get(key, []), *value]
            elif key in _MAPS and isinstance(value, Mapping):
                doc[key] = {**doc.get(key, {}), **value}
            else:
                doc[key] = value  # check() reports unknown or mistyped sections
        return Vocabulary(doc, origin)


def bundled_path() -> str:
    """The bundled vocabulary, data/titles.json."""
    from whoiswho.locations import data_file

    return data_file("titles.json")


_BUNDLED: list[Vocabulary] = []


def bundled() -> Vocabulary:
    """The bundled vocabulary, read and checked once per process."""
    if not _BUNDLED:
        _BUNDLED.append(load(bundled_path(), "bundled titles.json", checked=True))
    return _BUNDLED[0]


def load(
    path: str | os.PathLike[str], name: str | None = None, *, checked: bool = False
) -> Vocabulary:
    """Read one vocabulary file; every problem is a CatalogError naming the file and place."""
    import json

    label = name or os.fspath(path)
    try:
        with open(path, encoding="utf-8") as handle:
            doc = json.load(handle)
    except OSError as exc:
        raise CatalogError(label, f"cannot be read ({exc.strerror or exc})") from None
    except (ValueError, RecursionError) as exc:
        raise CatalogError(label, f"not valid JSON: {exc}") from None
    return Vocabulary(doc, label, checked=checked)


def _rank(entry: Mapping[str, Any]) -> Rank:
    return Rank(
        id=entry["id"],
        title=entry["title"],
        level=entry["level"],
        names=tuple(entry["names"]),
        summary=entry["summary"],
        sources=tuple(Source(s["title"], s.get("url")) for s in entry["sources"]),
        alone=entry.get("alone"),
        modifier=bool(entry.get("modifier", False)),
    )


def check(doc: object, name: str) -> None:
    """The shape titles.schema.json describes, checked without a schema library."""
    if not isinstance(doc, Mapping):
        raise CatalogError(name, "expected a JSON object", "")
    known = {"$schema", "version", "ranks", *_LISTS, *_MAPS}
    for key in doc:
        if key not in known:
            raise CatalogError(name, f"unknown section {key!r}", f"/{key}")
    if not isinstance(doc.get("ranks"), list) or not doc["ranks"]:
        raise CatalogError(name, "'ranks' must be a non-empty list", "/ranks")
    seen: set[str] = set()
    for i, rank in enumerate(doc["ranks"]):
        at = f"/ranks/{i}"
        _fields(rank, name, at, ("id", "title", "level", "summary"), ("names",))
        if rank["id"] in seen:
            raise CatalogError(name, f"duplicate rank id {rank['id']!r}", f"{at}/id")
        seen.add(rank["id"])
        _level(rank["level"], name, f"{at}/level")
        sources = rank.get("sources")
        if (
            not isinstance(sources, list)
            or not sources
            or not all(isinstance(s, Mapping) and _text(s.get("title")) for s in sources)
        ):
            problem = "'sources' must list at least one {title, url}"
            raise CatalogError(name, problem, f"{at}/sources")
        if "alone" in rank:
            _meaning(rank["alone"], name, f"{at}/alone")
    for section, required in (("functions", ("area", "under")), ("terms", ("level",))):
        for i, entry in enumerate(doc.get(section, [])):
            _fields(entry, name, f"/{section}/{i}", required, ("names",))
            _meaning(entry, name, f"/{section}/{i}")
    for i, entry in enumerate(doc.get("qualifiers", [])):
        _fields(entry, name, f"/qualifiers/{i}", ("id",), ("names",))
        if not isinstance(entry.get("demote", False), bool):
            raise CatalogError(name, "'demote' must be true or false", f"/qualifiers/{i}/demote")
    for key in ("places", "noise", "noise_marks", "officer_nouns", "chief_words", "stop_words"):
        _strings(doc.get(key, []), name, f"/{key}")
    _strings(doc.get("and_words", []), name, "/and_words")
    _strings(doc.get("compound_heads", []), name, "/compound_heads")
    for key in ("abbreviations", "role_areas", "role_levels", "deputy_levels"):
        for word, value in _mapping(doc.get(key, {}), name, f"/{key}").items():
            if not _text(value):
                raise CatalogError(name, "values must be non-empty strings", f"/{key}/{word}")
            if key not in ("abbreviations", "role_areas"):
                _level(value, name, f"/{key}/{word}")
    for word, readings in _mapping(doc.get("ambiguous_abbreviations", {}), name, "/").items():
        _strings(readings, name, f"/ambiguous_abbreviations/{word}")
        if len(readings) != 2:
            raise CatalogError(name, "give two readings", f"/ambiguous_abbreviations/{word}")
    for role, meaning in _mapping(doc.get("unit_roles", {}), name, "/unit_roles").items():
        _meaning(meaning, name, f"/unit_roles/{role}")
    import re  # the patterns must compile: a bad one is the file's fault, not a crash later

    for i, pattern in enumerate(doc.get("noise", [])):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise CatalogError(name, f"bad noise pattern: {exc}", f"/noise/{i}") from None


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _fields(entry: Any, name: str, at: str, texts: tuple[str, ...], lists: tuple[str, ...]) -> None:
    if not isinstance(entry, Mapping):
        raise CatalogError(name, "expected an object", at)
    for key in texts:
        if not _text(entry.get(key)):
            raise CatalogError(name, f"field {key!r} must be a non-empty string", f"{at}/{key}")
    for key in lists:
        _strings(entry.get(key), name, f"{at}/{key}")
        if not entry[key]:
            raise CatalogError(name, f"field {key!r} must not be empty", f"{at}/{key}")


def _strings(value: object, name: str, at: str) -> None:
    if not isinstance(value, list) or not all(_text(v) for v in value):
        raise CatalogError(name, "expected a list of non-empty strings", at)


def _mapping(value: object, name: str, at: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CatalogError(name, "expected an object", at)
    return value


def _level(value: object, name: str, at: str) -> None:
    if value not in LEVELS:
        raise CatalogError(name, f"level must be one of {', '.join(LEVELS)}", at)


def _meaning(entry: object, name: str, at: str) -> None:
    """The optional fields that say what a phrase means: level, area, under, role, ..."""
    if not isinstance(entry, Mapping):
        raise CatalogError(name, "expected an object", at)
    for key in ("area", "under", "role", "qualifier"):
        if key in entry and not _text(entry[key]):
            raise CatalogError(name, f"field {key!r} must be a non-empty string", f"{at}/{key}")
    if "level" in entry:
        _level(entry["level"], name, f"{at}/level")
    for key in ("seat", "modifier", "no_function", "company"):
        if key in entry and not isinstance(entry[key], bool):
            raise CatalogError(name, f"field {key!r} must be true or false", f"{at}/{key}")
