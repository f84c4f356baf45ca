"""A cache of large parsed catalogues, so a lookup in 50,000 roles does not re-parse 25 MB of JSON.

The cache is an SQLite file of plain data (JSON text and strings, never pickle) written after a
full load and validation, in a private folder (0700, files 0600) that must belong to the user and
be writable by no one else; a folder that is not is not used at all. A cache answers only while
every catalogue file has the device, inode, size, modification and change time (ctime, which
`touch -d` and `cp -p` cannot restore) it had when its content was read, and only for the same
package version and the same validation code; a file changed around the time it was read is
checked against the content hash stored with it. Rows are checked as they are read (cachedb.py).
Anything wrong, and the files are parsed instead; a cache that cannot be written is not used.
Small catalogues (the bundled one) never touch it: reading them is faster than opening SQLite.
Set WHOISWHO_NO_CACHE=1 to turn it off; delete the folder to clear it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from whoiswho.cachedb import DAMAGE, CachedCatalog, Damaged, row_sum
from whoiswho.locations import OWNED, cache_dir, private_folder, read_bytes
from whoiswho.model import Catalog

if TYPE_CHECKING:
    from whoiswho.catalog import Merged
    from whoiswho.locations import CatalogFile

# How many caches (one per distinct list of catalogue files) to keep.
KEEP = 4
# Bump when the layout below or the meaning of a cached field changes.
FORMAT = "whoiswho-cache-5"
# File systems store times in steps (up to 2 s): a file changed this close to the moment it was
# read could change again with the same stamps, so its content hash is checked instead.
RACY_NS = 2_000_000_000
# A temporary file this old is left over from a write that was killed or failed: pruned.
LEFTOVER_NS = 10 * 60 * 1_000_000_000
# The code whose behaviour the cached data depends on: a change to any of them (an upgrade, a
# new validation rule) makes every older cache unusable.
SOURCES = (
    "__init__.py",
    "cache.py",
    "cachedb.py",
    "catalog.py",
    "locations.py",
    "model.py",
    "search.py",
    "strictjson.py",
    "text.py",
    "validate.py",
)
TABLES = {"meta", "roles", "names", "shared", "differences"}


def stamps(files: Sequence[CatalogFile]) -> list[list[Any]] | None:
    """What identifies the files' contents without reading them; None if one cannot be read."""
    result: list[list[Any]] = []
    for f in files:
        try:
            st = os.stat(f.path)
        except (OSError, ValueError):
            return None
        identity = [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]
        result.append([f.kind, os.path.abspath(f.path), *identity])
    return result


def fingerprint() -> str | None:
    """The package version and a checksum of the code the cached data depends on."""
    from whoiswho.version import package_version

    here = os.path.dirname(os.path.abspath(__file__))
    crc = 0
    try:
        for name in SOURCES:
            with open(os.path.join(here, name), "rb") as source:
                crc = zlib.crc32(source.read(), crc)
        return f"{package_version()}+{crc:08x}"
    except (OSError, ImportError):
        return None


def digest(raw: bytes) -> str:
    import hashlib

    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _path(folder: str, current: list[list[Any]]) -> str:
    names = json.dumps([s[:2] for s in current])  # ASCII: odd paths are escaped
    return os.path.join(folder, f"catalog-{zlib.crc32(names.encode()):08x}.sqlite")


def _uri(path: str) -> str:
    """A read-only SQLite URI for a path (`?` and `#` would end the path part)."""
    quoted = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{quoted}?mode=ro"


def open_cached(files: Sequence[CatalogFile], rebuild: Callable[[], Catalog]) -> Catalog | None:
    """The cached catalogue for exactly these files as they are now, or None.

    `rebuild` parses the files (and replaces the cache) should a row turn out damaged later.
    """
    opened = _open(files)
    if opened is None:
        return None
    db, meta = opened
    try:
        return CachedCatalog(db, meta, rebuild)
    except (Damaged, *DAMAGE):
        db.close()
        return None  # parsed afresh, and the new cache replaces this one


def completion_names(
    files: Sequence[CatalogFile], incomplete: str = ""
) -> list[tuple[str, str, str]] | None:
    """(id, abbreviation, title) of the roles in catalogue order, read from the cache's own
    columns (no role is built): at least every role whose abbreviation or id starts with
    `incomplete` as locations.completions matches it. None without a current cache, or with a
    damaged one.

    Completion only offers words: the command that runs afterwards reads and checks the rows.
    """
    opened = _open(files)
    if opened is None:
        return None
    db = opened[0]
    sql = "SELECT id, abbreviation, title FROM roles"
    params: tuple[str, ...] = ()
    if incomplete and incomplete.isascii():
        # LIKE folds ASCII case as casefold() does for ASCII; an abbreviation with other
        # characters (a ligature folds to two letters) is always read and matched in Python.
        escaped = incomplete.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        sql += (
            " WHERE abbreviation LIKE ?1 ESCAPE '\\' OR id LIKE ?1 ESCAPE '\\'"
            " OR abbreviation GLOB ?2"
        )
        params = (f"{escaped}%", "*[^ -~]*")
    try:
        rows = db.execute(sql + " ORDER BY pos", params).fetchall()
        if all(type(a) is str and type(b) is str and type(c) is str for a, b, c in rows):
            return rows
    except DAMAGE:
        pass
    finally:
        db.close()
    return None


def _open(files: Sequence[CatalogFile]) -> tuple[sqlite3.Connection, dict[str, str]] | None:
    """The cache for exactly these files as they are now, opened read-only, and its meta."""
    opened = time.time_ns()
    current = stamps(files)
    folder = private_folder(create=False)
    if current is None or folder is None:
        return None
    path = _path(folder, current)
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or (OWNED and info.st_uid != os.getuid()):
            return None
    except (OSError, ValueError):
        return None
    db = None
    try:
        db = sqlite3.connect(_uri(path), uri=True)
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        if not tables >= TABLES:
            raise Damaged("a table is missing")
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if (
            meta.get("format") == FORMAT
            and meta.get("fingerprint") == fingerprint()
            and json.loads(meta["stamps"]) == current
            and _content_unchanged(files, current, meta, opened, path)
        ):
            return db, meta
    except (Damaged, *DAMAGE):
        pass  # parsed afresh, and the new cache replaces this one
    if db is not None:
        db.close()
    return None


def _content_unchanged(
    files: Sequence[CatalogFile],
    current: list[list[Any]],
    meta: dict[str, str],
    opened: int,
    path: str,
) -> bool:
    """False if a file changed around the time it was read and its content differs now.

    Once the hashes have matched at a time (`opened`) well after every file last changed, no
    later change can keep the stamps: the cache is re-dated so that later runs skip the hashing.
    """
    taken = int(meta["taken"])
    hashes = json.loads(meta["hashes"])
    racy = False
    for f, stamp, stored in zip(files, current, hashes, strict=True):
        if max(stamp[5], stamp[6]) >= taken - RACY_NS:
            racy = True
            try:
                if digest(read_bytes(f.path, f.path)) != stored:
                    return False
            except Exception:  # any failure to read means: do not trust the cache
                return False
    if racy and all(max(s[5], s[6]) < opened - RACY_NS for s in current):
        with contextlib.suppress(sqlite3.Error, ValueError):
            db = sqlite3.connect(path)
            try:
                with db:
                    db.execute("UPDATE meta SET value = ? WHERE key = 'taken'", (str(opened),))
            finally:
                db.close()
    return True


def store(
    files: Sequence[CatalogFile],
    current: list[list[Any]],
    taken: int,
    raws: Sequence[bytes],
    catalog: Merged,
) -> None:
    """Write the cache for these files as `current` describes them, their content `raws` read
    from time `taken` on (best effort: any failure leaves no cache and no temporary file)."""
    folder = private_folder(create=True)
    stamp = fingerprint()
    if folder is None or stamp is None:
        return
    path = _path(folder, current)
    temp = None
    try:
        temp = _create_private(path)
        meta = {
            "format": FORMAT,
            "fingerprint": stamp,
            "stamps": json.dumps(current),
            "taken": str(taken),
            # Only a file changed around the time it was read is ever compared by content
            # (_content_unchanged); the others are known by their stamps alone.
            "hashes": json.dumps(
                [
                    digest(raw) if max(stamp[5], stamp[6]) >= taken - RACY_NS else None
                    for stamp, raw in zip(current, raws, strict=True)
                ]
            ),
            "version": catalog.version,
            "count": str(len(catalog.entries)),
            "files": json.dumps(list(catalog.files)),
            "vocabulary": json.dumps(catalog.vocabulary),
        }
        _write(temp, meta, catalog)
        # A search killed while writing its index into the old file leaves that file's rollback
        # journal: beside the new file it would be played back into it, so it goes first.
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}-journal")
        os.replace(temp, path)  # replaces a link at `path` rather than following it
        temp = None
    except (OSError, sqlite3.Error, ValueError, TypeError, OverflowError):
        pass  # a lone surrogate in a name, a full disk, a read-only home: no cache
    finally:
        # Also on KeyboardInterrupt: no temporary file is left behind.
        if temp is not None:
            for leftover in (temp, f"{temp}-journal"):
                with contextlib.suppress(OSError):
                    os.remove(leftover)
        prune(folder)


def store_detached(
    files: Sequence[CatalogFile],
    current: list[list[Any]],
    taken: int,
    raws: Sequence[bytes],
    catalog: Merged,
) -> bool:
    """store() in a detached process, so that the caller can answer from the parse at once:
    True if that process was started. Linux only (a fork that does not exec is sound there);
    the writer has its own session, no terminal and no standard streams, so a pipe reading
    the answer ends with the answer, and nothing waits for it or is killed with it.
    """
    if not sys.platform.startswith("linux") or cache_dir() is None:
        return False  # elsewhere, or no cache at all (WHOISWHO_NO_CACHE, no home): no writer
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.flush()
    try:
        child = os.fork()
    except OSError:
        return False
    if child:
        with contextlib.suppress(OSError):
            os.waitpid(child, 0)  # it exits once it has started the writer
        return True
    try:  # the child: a new session, then the writer, whose parent exits at once
        os.setsid()
        if os.fork() == 0:
            quiet = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(quiet, fd)
            store(files, current, taken, raws, catalog)
    finally:
        os._exit(0)  # whatever happened: never back into the caller's code


def _create_private(path: str) -> str:
    """A new empty file beside `path`, 0600, with a name no one can predict or pre-create."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    while True:
        temp = f"{path}.{os.urandom(8).hex()}.tmp"
        try:
            os.close(os.open(temp, flags, 0o600))
        except FileExistsError:
            continue
        return temp


def _write(temp: str, meta: dict[str, str], catalog: Merged) -> None:
    db = sqlite3.connect(temp)
    try:
        # The file is private until renamed into place: no rollback journal to leave behind,
        # and nothing to flush to disk before then (a crash leaves a `.tmp` file, pruned).
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        with db:
            db.executescript(
                """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE roles (pos INTEGER PRIMARY KEY, id TEXT NOT NULL,
                                    abbreviation TEXT NOT NULL, title TEXT NOT NULL,
                                    reports_to TEXT, line TEXT NOT NULL,
                                    reports INTEGER NOT NULL, layer INTEGER NOT NULL,
                                    alternatives TEXT NOT NULL, data TEXT NOT NULL,
                                    crc INTEGER NOT NULL, id_key TEXT NOT NULL,
                                    title_key TEXT NOT NULL, abbreviation_key TEXT NOT NULL);
                CREATE TABLE names (key TEXT NOT NULL, seq INTEGER NOT NULL,
                                    tier INTEGER NOT NULL, id TEXT NOT NULL);
                CREATE TABLE shared (abbreviation TEXT PRIMARY KEY, ids TEXT NOT NULL);
                CREATE TABLE differences (data TEXT NOT NULL);
                """
            )
            db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            db.executemany(
                "INSERT INTO roles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _rows(catalog),
            )
            # Built after the rows are in: one sort each instead of a b-tree insert per row.
            # The lookup index is the three key columns and the table of other names.
            db.executescript(
                """
                CREATE UNIQUE INDEX roles_id ON roles (id);
                CREATE INDEX roles_reports_to ON roles (reports_to);
                CREATE INDEX roles_id_key ON roles (id_key);
                CREATE INDEX roles_title_key ON roles (title_key);
                CREATE INDEX roles_abbreviation_key ON roles (abbreviation_key);
                """
            )
            assert catalog.checked.keys is not None
            db.executemany("INSERT INTO names VALUES (?, ?, ?, ?)", catalog.checked.keys.others)
            db.execute("CREATE INDEX names_key ON names (key)")
            db.executemany(
                "INSERT INTO shared VALUES (?, ?)",
                ((k, json.dumps(ids)) for k, ids in catalog.checked.shared.items()),
            )
            db.executemany(
                "INSERT INTO differences VALUES (?)",
                ((json.dumps(list(d)),) for d in catalog.differences.values()),
            )
    finally:
        db.close()


def _rows(catalog: Merged) -> Iterator[tuple[Any, ...]]:
    """A row per role (cachedb.ROW's columns after `pos`, then its keys): the entry as its
    file wrote it, or encoded where several files set the role; its reporting line (a whole
    line in one read); how many report to it; its keys (the lookup index)."""
    checked = catalog.checked
    assert checked.keys is not None
    lines, keys = checked.lines, checked.keys
    last = catalog.last
    reports = Counter(entry["reports_to"] for entry in catalog.entries.values())
    texts = [layer.texts for layer in catalog.layers]
    overridden = catalog.overridden
    for pos, (role_id, entry) in enumerate(catalog.entries.items()):
        layer, at = last[role_id]
        kept = texts[layer]
        data = kept[at] if kept is not None and role_id not in overridden else json.dumps(entry)
        abbreviation, title, up = entry["abbreviation"], entry["title"], entry["reports_to"]
        line = lines[role_id]
        alternatives = " ".join(entry.get("reports_to_alternatives", ()))
        below = reports[role_id]
        crc = row_sum(role_id, abbreviation, title, up, line, below, layer, alternatives, data)
        yield (
            pos, role_id, abbreviation, title, up, line, below, layer, alternatives, data, crc,
            keys.ids[pos], keys.titles[pos], keys.abbreviations[pos],
        )  # fmt: skip


def prune(folder: str, keep: int = KEEP) -> None:
    """Keep the `keep` most recently written caches (each set of files has its own) and remove
    temporary files that a killed or failed write left behind."""
    now = time.time_ns()
    caches = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if not entry.name.startswith("catalog-"):
                continue
            with contextlib.suppress(OSError):
                modified = entry.stat(follow_symlinks=False).st_mtime_ns
                if entry.name.endswith(".sqlite"):
                    caches.append((modified, entry.path))
                elif now - modified > LEFTOVER_NS:  # `.tmp`, `.tmp-journal`, `-journal`
                    os.remove(entry.path)
    for _, stale in sorted(caches, reverse=True)[keep:]:
        with contextlib.suppress(OSError):
            os.remove(stale)
