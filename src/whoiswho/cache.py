"""A cache of large parsed catalogues, so a lookup in 50,000 roles does not re-parse 25 MB of JSON.

The cache is an SQLite file of plain data (JSON text and strings, never pickle) written after a
full load and validation. It is used only while every catalogue file still has the size,
modification time and inode it had when the cache was written; any change, and the next run
rebuilds it. A cache that cannot be written (read-only home, no space) is simply not used.
Small catalogues (the bundled one) never touch it: reading them is faster than opening SQLite.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from whoiswho.model import (
    ROLE_SPEC,
    Catalog,
    Difference,
    Role,
    Source,
    role_from_plain,
    role_to_plain,
)

if TYPE_CHECKING:
    from whoiswho.locations import CatalogFile

# How many caches (one per distinct list of catalogue files) to keep.
KEEP = 4
# Bump when the layout below or the meaning of a cached field changes.
FORMAT = "whoiswho-cache-2"


def cache_dir() -> str:
    """The per-user cache folder, by each platform's convention."""
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~")
        return os.path.join(base, "whoiswho", "Cache")
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~/Library/Caches"), "whoiswho")
    return os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "whoiswho"
    )


def stamps(files: Sequence[CatalogFile]) -> list[list[Any]] | None:
    """What identifies the files' contents without reading them; None if one cannot be read."""
    result: list[list[Any]] = []
    for f in files:
        try:
            st = os.stat(f.path)
        except OSError:
            return None
        result.append([f.kind, os.path.abspath(f.path), st.st_size, st.st_mtime_ns, st.st_ino])
    return result


def _path(current: list[list[Any]]) -> str:
    names = json.dumps([s[:2] for s in current])
    return os.path.join(cache_dir(), f"catalog-{zlib.crc32(names.encode()):08x}.sqlite")


def open_cached(files: Sequence[CatalogFile]) -> Catalog | None:
    """The cached catalogue for exactly these files as they are now, or None."""
    current = stamps(files)
    if current is None:
        return None
    path = _path(current)
    if not os.path.isfile(path):
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if meta.get("format") != FORMAT or json.loads(meta["stamps"]) != current:
            db.close()
            return None
        return CachedCatalog(db, meta)
    except (sqlite3.Error, KeyError, ValueError):
        return None


def store(files: Sequence[CatalogFile], catalog: Catalog, blob: Callable[[Role], str]) -> None:
    """Write the cache for these files (best effort: any failure leaves no cache behind)."""
    current = stamps(files)
    if current is None:
        return
    path = _path(current)
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        db = sqlite3.connect(temp)
        with db:
            db.executescript(
                """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE roles (pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
                                    data TEXT NOT NULL, blob TEXT NOT NULL);
                CREATE TABLE names (key TEXT NOT NULL, tier INTEGER NOT NULL, id TEXT NOT NULL);
                CREATE TABLE shared (abbreviation TEXT PRIMARY KEY, ids TEXT NOT NULL);
                CREATE TABLE differences (data TEXT NOT NULL);
                """
            )
            meta = {
                "format": FORMAT,
                "stamps": json.dumps(current),
                "version": catalog.version,
                "files": json.dumps(list(catalog.files)),
                "vocabulary": json.dumps(catalog.vocabulary, ensure_ascii=False),
            }
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            db.executemany(
                "INSERT INTO roles VALUES (?, ?, ?, ?)",
                (
                    (
                        pos,
                        r.id,
                        json.dumps(list(role_to_plain(r).values()), ensure_ascii=False),
                        blob(r),
                    )
                    for pos, r in enumerate(catalog.roles.values())
                ),
            )
            db.executemany(
                "INSERT INTO names VALUES (?, ?, ?)",
                ((k, tier, i) for k, entries in catalog.index.items() for tier, i in entries),
            )
            db.execute("CREATE INDEX names_key ON names (key)")
            db.executemany(
                "INSERT INTO shared VALUES (?, ?)",
                ((k, json.dumps(ids)) for k, ids in catalog.shared.items()),
            )
            db.executemany(
                "INSERT INTO differences VALUES (?)",
                ((json.dumps(list(d)),) for d in catalog.differences.values()),
            )
        db.close()
        os.replace(temp, path)
        prune(os.path.dirname(path))
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            os.remove(temp)


def prune(folder: str, keep: int = KEEP) -> None:
    """Remove all but the `keep` most recently written caches: each set of files has its own."""
    caches = []
    for entry in os.scandir(folder):
        if entry.name.startswith("catalog-") and entry.name.endswith(".sqlite"):
            caches.append((entry.stat().st_mtime_ns, entry.path))
    for _, stale in sorted(caches, reverse=True)[keep:]:
        with contextlib.suppress(OSError):
            os.remove(stale)


def _row(role: Role) -> str:
    return json.dumps(list(role_to_plain(role).values()), ensure_ascii=False)


def role_from_row(data: str) -> Role:
    """A Role from the JSON list `store` wrote (plain values in model.ROLE_SPEC's order)."""
    return role_from_plain(dict(zip(ROLE_SPEC, json.loads(data), strict=True)))


class CachedRoles(Mapping[str, Role]):
    """Roles read from the cache on demand, in catalogue order when iterated."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._built: dict[str, Role] = {}

    def __getitem__(self, role_id: str) -> Role:
        role = self._built.get(role_id)
        if role is None:
            row = self._db.execute("SELECT data FROM roles WHERE id = ?", (role_id,)).fetchone()
            if row is None:
                raise KeyError(role_id)
            role = self._built[role_id] = role_from_row(row[0])
        return role

    def __iter__(self) -> Iterator[str]:
        return (row[0] for row in self._db.execute("SELECT id FROM roles ORDER BY pos"))

    def __len__(self) -> int:
        count: int = self._db.execute("SELECT count(*) FROM roles").fetchone()[0]
        return count

    def __contains__(self, role_id: object) -> bool:
        found = self._db.execute("SELECT 1 FROM roles WHERE id = ?", (role_id,)).fetchone()
        return found is not None

    def values(self) -> Iterator[Role]:  # type: ignore[override]
        for role_id, data in self._db.execute("SELECT id, data FROM roles ORDER BY pos"):
            role = self._built.get(role_id)
            yield role if role is not None else role_from_row(data)


class CachedIndex(Mapping[str, list[tuple[int, str]]]):
    """The lookup index, one indexed query per key."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __getitem__(self, key: str) -> list[tuple[int, str]]:
        rows = self._db.execute("SELECT tier, id FROM names WHERE key = ? ORDER BY rowid", (key,))
        entries = [(tier, role_id) for tier, role_id in rows]
        if not entries:
            raise KeyError(key)
        return entries

    def __iter__(self) -> Iterator[str]:
        return (row[0] for row in self._db.execute("SELECT DISTINCT key FROM names"))

    def __len__(self) -> int:
        count: int = self._db.execute("SELECT count(DISTINCT key) FROM names").fetchone()[0]
        return count


class CachedCatalog(Catalog):
    """A Catalog whose roles and index stay in the cache until asked for."""

    __slots__ = ("_db",)

    def __init__(self, db: sqlite3.Connection, meta: dict[str, str]) -> None:
        shared = {k: tuple(json.loads(ids)) for k, ids in db.execute("SELECT * FROM shared")}
        differences = {}
        for (data,) in db.execute("SELECT data FROM differences"):
            roles, note, sources = json.loads(data)
            differences[frozenset(roles)] = Difference(
                (roles[0], roles[1]), note, tuple(Source(*s) for s in sources)
            )
        files = tuple(json.loads(meta["files"]))
        vocabulary = tuple((origin, extra) for origin, extra in json.loads(meta["vocabulary"]))
        super().__init__(
            meta["version"],
            CachedRoles(db),
            differences,
            files,
            CachedIndex(db),
            shared,
            vocabulary,
        )
        self._db = db

    def roles_containing(self, needles: Sequence[str]) -> Iterable[tuple[int, Role]] | None:
        """Roles whose search text holds any needle, found by SQLite without building the rest."""
        if not needles:
            return []
        where = " OR ".join("instr(blob, ?) > 0" for _ in needles)
        rows = self._db.execute(f"SELECT pos, data FROM roles WHERE {where} ORDER BY pos", needles)
        return ((pos, role_from_row(data)) for pos, data in rows)
