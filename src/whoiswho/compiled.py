"""The classifier's tables for the bundled catalogue and vocabulary, compiled ahead of time.

Compiling every role name and vocabulary phrase into the lexicon's tables (lexicon.py) cost
about as much as the rest of `whoiswho classify TITLE` together. In the common case, the bundled
files with nothing on top, the tables come ready from data/titles.compiled.json instead, which
`python -m whoiswho.compiled` writes (a test checks that it is what compiling gives today).

The file names the data files it was compiled from by size and checksum: if they differ (a
checkout whose data/ was edited since), the tables are compiled as before, so a stale file can
cost time but never change an answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from whoiswho.lexicon import Entry, Lexicon, Tables
from whoiswho.locations import data_file
from whoiswho.model import BUNDLED, Catalog
from whoiswho.vocabulary import Vocabulary, bundled

FILE = "titles.compiled.json"
FORMAT = 1
SOURCES = ("roles.json", "titles.json")


def lexicon(vocabulary: Vocabulary, catalog: Catalog) -> Lexicon:
    """The compiled lexicon for this pair: from the shipped tables when the pair is the bundled
    one and they were compiled from today's files, else compiled now."""
    if vocabulary is bundled() and catalog.files == (BUNDLED,) and not catalog.vocabulary:
        doc = shipped()
        if doc is not None:
            return Lexicon(vocabulary, catalog, restore(doc, vocabulary))
    return Lexicon(vocabulary, catalog)


def fingerprint() -> str:
    """Size and CRC-32 of each bundled data file the tables are compiled from.

    A checksum, not a cryptographic hash: it tells a file edited since the tables were written
    (whoever can change the package's data files can change the tables too), and costs
    a tenth of a millisecond where importing hashlib costs more than that.
    """
    import zlib

    parts = []
    for name in SOURCES:
        with open(data_file(name), "rb") as handle:
            raw = handle.read()
        parts.append(f"{name} {len(raw)} {zlib.crc32(raw):08x}")
    return ", ".join(parts)


def shipped() -> dict[str, Any] | None:
    try:
        with open(data_file(FILE), "rb") as handle:
            doc = json.loads(handle.read())
        if doc["format"] == FORMAT and doc["compiled_from"] == fingerprint():
            return dict(doc)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing or unreadable: compile instead
    return None


def restore(doc: dict[str, Any], vocabulary: Vocabulary) -> Tables:
    """The tables a document of `dump` holds, with each rank the vocabulary's own."""
    ranks = {rank.id: rank for rank in vocabulary.ranks}
    entries = [
        Entry(k, lv, area, under, tuple(roles), ranks[rank] if rank else None, q, *flags)
        for k, lv, area, under, roles, rank, q, *flags in doc["entries"]
    ]
    phrases: dict[tuple[str, ...], tuple[Entry, ...]] = {}
    texts: dict[tuple[str, ...], str] = {}
    for found, *names in doc["phrases"]:
        keys = [tuple(name.split(" ")) for name in names]
        phrases.update(dict.fromkeys(keys, tuple([entries[i] for i in found])))
        texts.update(zip(keys, names, strict=True))
    for name, text in doc["texts"].items():
        texts[tuple(name.split(" "))] = text
    known = set(doc["known"])
    plain = known.difference(doc["not_plain"])
    return Tables(phrases, texts, doc["longest"], known, doc["singular"], plain)


def dump(tables: Tables) -> str:
    """The tables as JSON text: each distinct reading on a line, then the phrases read so, one
    a line, each as its words joined by spaces (no word holds one), so a change reads well in
    a diff."""

    def one(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    def row(entry: Entry) -> str:
        rank = entry.rank.id if entry.rank is not None else None
        return one([*entry[:4], list(entry.roles), rank, *entry[6:]])

    def lines(items: Iterable[str], indent: str = "") -> str:
        return "[\n" + f",\n{indent}".join(items) + "\n]"

    # Each distinct reading once (a rank's holds its dict `alone`: keyed by its JSON row).
    entries: dict[str, int] = {}
    groups: dict[tuple[int, ...], list[str]] = {}
    texts: dict[str, str] = {}
    for words, readings in sorted(tables.phrases.items()):
        found = tuple(entries.setdefault(row(e), len(entries)) for e in readings)
        name = " ".join(words)
        groups.setdefault(found, []).append(name)
        if tables.texts[words] != name:  # "首席", and a plural's alias shows the plural
            texts[name] = tables.texts[words]
    sections = {
        "format": one(FORMAT),
        "compiled_from": one(fingerprint()),
        "entries": lines(entries),
        "phrases": lines(
            (lines([one(list(found)), *map(one, names)], " ") for found, names in groups.items()),
        ),
        "texts": one(texts),
        "longest": one(dict(sorted(tables.longest.items()))),
        "known": one(sorted(tables.known)),
        "singular": one(dict(sorted(tables.singular.items()))),
        "not_plain": one(sorted(tables.known - tables.plain)),
    }
    return "{\n" + ",\n".join(f"{one(k)}: {v}" for k, v in sections.items()) + "\n}\n"


def compile_bundled() -> str:
    """Compile the bundled catalogue and vocabulary now and dump the tables."""
    from whoiswho.catalog import load_files
    from whoiswho.locations import CatalogFile, bundled_path

    catalog = load_files([CatalogFile("bundled", bundled_path())])
    return dump(Lexicon(bundled(), catalog).tables())


if __name__ == "__main__":
    # python -m whoiswho.compiled: rewrite data/titles.compiled.json after editing data/.
    with open(data_file(FILE), "w", encoding="utf-8") as out:
        out.write(compile_bundled())
    print(f"wrote {data_file(FILE)}")
