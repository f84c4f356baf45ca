"""A catalogue read from the cache on demand, that trusts no row it reads.

The cache file is private (see cache.py), but a disk error, a crash or a hand edit can still
damage it: a flipped page, a garbage, short or mistyped row, an index entry naming no role, a
reporting line that points nowhere or in a circle. Every role row carries a checksum of all its
columns, computed when the checked catalogue was written (row_sum), and is compared before the
row is used: a row that matches is the row the validated catalogue wrote, its reporting line
included, so nothing is decoded just to check it. On the first problem the catalogue parses the
files afresh (which also replaces the cache) and answers from that parse from then on, so a
damaged cache costs one slow run, never a wrong answer, a traceback or an endless loop.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from whoiswho.model import Catalog, Difference, Member, R, Role, Source, role_from_entry
from whoiswho.text import lookup_key

# What reading a damaged row or table can raise.
DAMAGE = (sqlite3.Error, ValueError, TypeError, KeyError, IndexError, AttributeError)


class Damaged(Exception):
    """The cache holds something `store` never wrote."""


class _Restart(Exception):
    """A stream of rows met damage after handing out `done` roles: go on from a fresh parse."""

    def __init__(self, done: int) -> None:
        super().__init__(done)
        self.done = done


def _strs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Damaged("expected a list of strings")
    return tuple(value)


def _opt(value: Any, kind: type) -> Any:
    if value is not None and (
        not isinstance(value, kind) or isinstance(value, bool) != (kind is bool)
    ):
        raise Damaged(f"expected {kind.__name__} or null")
    return value


def _sources(value: Any) -> tuple[Source, ...]:
    """Sources as `store` wrote them: [title, url or null] pairs."""
    if not isinstance(value, list):
        raise Damaged("expected a list of sources")
    sources = tuple(Source(title, _opt(url, str)) for title, url in value)
    if not all(isinstance(s.title, str) and s.title for s in sources):
        raise Damaged("a source without a title")
    return sources


# The columns of a role row, in the order row_sum and decode_row take them: the role's id,
# abbreviation, title and superior (read without decoding it by completion, charts and the
# subtree index), its reporting line (ids, space-separated, its own first), how many roles
# report to it directly (a walk down the reports_to index proves it found them all), the
# number of the file that set it last (its origin), its alternative superiors
# (space-separated), its entry as JSON (the catalogue file's own text where one file wrote
# it) and the checksum of all of them.
ROW = "id, abbreviation, title, reports_to, line, reports, layer, alternatives, data, crc"


def row_sum(
    role_id: str,
    abbreviation: str,
    title: str,
    reports_to: str | None,
    line: str,
    reports: int,
    layer: int,
    alternatives: str,
    data: str,
) -> int:
    """The checksum of a role row's columns (None and every string differ: ids are not empty)."""
    up = "" if reports_to is None else f"={reports_to}"
    head = f"{role_id}\0{abbreviation}\0{title}\0{up}\0{line}\0{reports}\0{layer}\0{alternatives}\0"
    return zlib.crc32(data.encode(), zlib.crc32(head.encode()))


def decode_row(row: Sequence[Any], files: Sequence[str]) -> tuple[Role, str]:
    """A Role and its stored reporting line from a role row (ROW's columns), if its checksum
    matches; else Damaged."""
    if row_sum(*row[:-1]) != row[-1]:
        raise Damaged(f"row {row[0]!r} does not match its checksum")
    return role_from_entry(_SCAN(row[-2], 0)[0], files[row[6]]), row[4]


# The standard decoder's scanner, called directly: a row is one JSON object.
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
# At most this many reporting lines are kept with the roles decoded last (memory stays flat).
KEEP_LINES = 4096


def _has(db: sqlite3.Connection, table: str) -> bool:
    return bool(db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchall())


class CachedRoles(Mapping[str, Role]):
    """Roles read from the cache on demand, in catalogue order when iterated."""

    def __init__(self, owner: CachedCatalog) -> None:
        self._owner = owner

    def __getitem__(self, role_id: str) -> Role:
        owner = self._owner
        if owner.fresh is None:
            try:
                return owner.decoded(role_id)
            except (Damaged, *DAMAGE):
                pass
        return owner.recover().roles[role_id]

    def _all(self) -> dict[str, Role]:
        """Every role, decoded and checked (iteration needs them all anyway)."""
        return {role.id: role for role in self._owner.iter_roles()}

    def __iter__(self) -> Iterator[str]:
        owner = self._owner
        rows = owner.rows("SELECT id FROM roles ORDER BY pos", str)
        if rows is None or not owner.complete(len(rows)):
            return iter(owner.recover().roles)
        return iter([i for (i,) in rows])

    def __len__(self) -> int:
        rows = self._owner.rows("SELECT count(*) FROM roles", int)
        return rows[0][0] if rows is not None else len(self._owner.recover().roles)

    def __contains__(self, role_id: object) -> bool:
        rows = self._owner.rows("SELECT 1 FROM roles WHERE id = ?", int, (role_id,))
        return bool(rows) if rows is not None else role_id in self._owner.recover().roles

    def values(self) -> Iterator[Role]:  # type: ignore[override]
        return iter(self._all().values())


# A key's (tier, id) entries in the lookup index's order (by role, then by the role's names:
# id, title, abbreviation, zh, other names, shared names), each with its role's row. The id's,
# title's and abbreviation's keys are columns of the roles table; other names have a table.
_ROW_COLUMNS = ", ".join("r." + c for c in ROW.split(", "))
_PROBES = """(
    SELECT 0 AS tier, 0 AS seq, pos FROM roles WHERE id_key = ?1
    UNION ALL SELECT 1, 1, pos FROM roles WHERE title_key = ?1
    UNION ALL SELECT 3, 2, pos FROM roles WHERE abbreviation_key = ?1
    UNION ALL SELECT n.tier, n.seq, (SELECT pos FROM roles WHERE id = n.id) FROM names n
        WHERE n.key = ?1
) AS k"""
_NAMED = f"""
SELECT k.tier, r.id, {_ROW_COLUMNS} FROM {_PROBES}
LEFT JOIN roles r ON r.pos = k.pos ORDER BY k.pos, k.seq
"""
# The same entries' tiers and positions with each role's stored JSON object (role_json): no
# order is needed to find the strongest tier, and a position stands for its role.
_RENDERED = f"""
SELECT k.tier, k.pos, d.json, d.crc FROM {_PROBES} LEFT JOIN rendered d ON d.pos = k.pos
"""
# Every key, in the order the lookup index has them (the first role and name that has it).
_KEYS = """
SELECT key FROM (
    SELECT id_key AS key, pos, 0 AS seq FROM roles
    UNION ALL SELECT title_key, pos, 1 FROM roles
    UNION ALL SELECT abbreviation_key, pos, 2 FROM roles
    UNION ALL SELECT n.key, r.pos, n.seq FROM names n JOIN roles r ON r.id = n.id
) GROUP BY key ORDER BY min(pos * 65536 + seq)
"""


class CachedIndex(Mapping[str, list[tuple[int, str]]]):
    """The lookup index, one indexed query per key; each entry's role must exist."""

    def __init__(self, owner: CachedCatalog) -> None:
        self._owner = owner
        # Every key in order, once listed (typo suggestions walk them all, for every miss).
        self._keys: list[str] | None = None

    def __getitem__(self, key: str) -> list[tuple[int, str]]:
        """The key's (tier, id) entries; the roles they name are read in the same query (a
        lookup asks for them next), each checked and kept with the lately decoded."""
        owner = self._owner
        rows = owner.rows(_NAMED, int, (key,))
        try:
            if rows is None or any(row[2] is None for row in rows):
                raise Damaged("a name of no role")  # or damage found by `rows`
            for row in rows:
                owner.keep(row[2:])
        except (Damaged, *DAMAGE):
            return owner.recover().index[key]
        if not rows:
            raise KeyError(key)
        return [(tier, role_id) for tier, role_id, *_ in rows]

    def __iter__(self) -> Iterator[str]:
        if self._keys is None:
            rows = self._owner.rows(_KEYS, str)
            if rows is None:
                return iter(self._owner.recover().index)
            self._keys = [k for (k,) in rows]
        return iter(self._keys)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class CachedCatalog(Catalog):
    """A Catalog whose roles and index stay in the cache until asked for."""

    __slots__ = (
        "_count",
        "_db",
        "_decoded",
        "_older",
        "_paths",
        "_rebuild",
        "_rendered",
        "fresh",
    )

    def __init__(
        self, db: sqlite3.Connection, meta: dict[str, str], rebuild: Callable[[], Catalog]
    ) -> None:
        """Read the small tables now (any damage raises, and the caller parses instead)."""
        self._db = db
        self._rebuild = rebuild
        # The catalogue parsed from the files once the cache turned out damaged.
        self.fresh: Catalog | None = None
        # Roles decoded lately and their stored lines, in two generations (see _decode).
        self._decoded: dict[str, tuple[Role, str]] = {}
        self._older: dict[str, tuple[Role, str]] = {}
        # Whether the table of every role's JSON object is there (None: not looked yet).
        self._rendered: bool | None = None
        shared = {}
        for key, ids in db.execute("SELECT abbreviation, ids FROM shared"):
            # Checked when used (same_abbreviation): thousands of rows in a large catalogue.
            shared[key] = tuple(json.loads(ids))
        differences = {}
        for (data,) in db.execute("SELECT data FROM differences"):
            roles, note, sources = json.loads(data)
            pair = _strs(roles)
            if len(pair) != 2 or not isinstance(note, str):
                raise Damaged("a mistyped difference")
            differences[frozenset(pair)] = Difference((pair[0], pair[1]), note, _sources(sources))
        # The few roles the notes name must exist. The ids of shared abbreviations (thousands in
        # a large catalogue) are not counted here: they are only ever read through CachedRoles,
        # which treats a missing one as damage.
        named = {i for key in differences for i in key}
        if self.count(named) != len(named):
            raise Damaged("a difference names a missing role")
        files = _strs(json.loads(meta["files"]))
        # A role's origin: the file that set it last (its `layer` column numbers the files).
        self._paths = files
        self._count = int(meta["count"])
        version = meta["version"]
        vocabulary = json.loads(meta["vocabulary"])
        if not isinstance(vocabulary, list) or not all(
            isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) for v in vocabulary
        ):
            raise Damaged("the title vocabulary is mistyped")
        super().__init__(
            version,
            CachedRoles(self),
            differences,
            files,
            CachedIndex(self),
            shared,
            tuple((origin, extra) for origin, extra in vocabulary),
        )

    def same_abbreviation(self, role: Role) -> list[Role]:
        try:
            return super().same_abbreviation(role)
        except KeyError:  # the cached list named a role that is missing: damage, parsed afresh
            fresh = self.recover()
            return fresh.same_abbreviation(fresh.roles[role.id])

    def query(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        return self._db.execute(sql, params).fetchall()

    def rows(self, sql: str, first: type, params: Sequence[object] = ()) -> list[Any] | None:
        """A query's rows while the cache is in use and sound (each row's first column of type
        `first`); None once it was found damaged, or is found so now."""
        if self.fresh is None:
            try:
                found = self.query(sql, params)
                if all(type(row[0]) is first for row in found):
                    return found
            except DAMAGE:
                pass
        return None

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction around many queries (a batch): each query would otherwise take
        and drop the file's lock and check the file for changes, most of a lookup's time."""
        began = False
        if self.fresh is None:
            with contextlib.suppress(*DAMAGE):
                self._db.execute("BEGIN")
                began = True
        try:
            yield
        finally:
            if began and self.fresh is None:
                with contextlib.suppress(*DAMAGE):
                    self._db.commit()

    def complete(self, found: int | None = None) -> bool:
        """Whether the roles table holds as many rows (`found`, else counted) as were written."""
        if found is None:
            rows = self.rows("SELECT count(*) FROM roles", int)
            found = -1 if rows is None else rows[0][0]
        return found == self._count

    def count(self, ids: Iterable[str]) -> int:
        """How many of these (distinct) ids the roles table holds."""
        wanted = sorted(ids)
        total = 0
        for start in range(0, len(wanted), 500):  # SQLite limits the parameters of one query
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found = self.query(f"SELECT count(*) FROM roles WHERE id IN ({marks})", chunk)[0][0]
            if not isinstance(found, int):
                raise Damaged("a count that is not a number")
            total += found
        return total

    def recover(self) -> Catalog:
        """Parse the files afresh (replacing the damaged cache) and answer from that from now on."""
        if self.fresh is None:
            self.fresh = self._rebuild()
            self.version, self.differences, self.files = (
                self.fresh.version,
                self.fresh.differences,
                self.fresh.files,
            )
            self.roles, self.index, self.shared = (
                self.fresh.roles,
                self.fresh.index,
                self.fresh.shared,
            )
            self._db.close()
        return self.fresh

    def decoded(self, role_id: str) -> Role:
        """The role with this id, from its row (Damaged if there is none or it is damaged)."""
        return self._found(role_id)[0]

    def _found(self, role_id: str) -> tuple[Role, str]:
        """The role with this id and its stored reporting line, decoded once (lately used)."""
        found = self._decoded.get(role_id) or self._older.get(role_id)
        if found is None:
            rows = self.query(f"SELECT {ROW} FROM roles WHERE id = ?", (role_id,))
            if not rows:
                # Callers ask only for ids the catalogue itself named: a missing one is damage.
                raise Damaged(f"no role {role_id!r}")
            found = self._decode(rows[0])
        return found

    def keep(self, row: Sequence[Any]) -> None:
        """Decode a role row for later use, unless its role is kept already."""
        if row[0] not in self._decoded and row[0] not in self._older:
            self._decode(row)

    def _decode(self, row: Sequence[Any]) -> tuple[Role, str]:
        found = decode_row(row, self._paths)
        if found[0].id != row[0]:
            raise Damaged(f"row {row[0]!r} holds another role")
        # Two generations: when the young one is full it becomes the old one, so the roles
        # used lately stay (a batch repeats itself; superiors recur) and memory stays flat.
        if len(self._decoded) >= KEEP_LINES:
            self._older, self._decoded = self._decoded, {}
        self._decoded[row[0]] = found
        return found

    def line_ids(self, role: Role) -> list[str]:
        """The stored reporting line (its row's checksum vouches for it)."""
        if self.fresh is None:
            try:
                found, line = self._found(role.id)
                if found is role or found == role:
                    return line.split(" ")
            except (Damaged, *DAMAGE):
                self.recover()
        return [r.id for r in self.reporting_line(role)]

    def reporting_line(self, role: Role) -> list[Role]:
        if self.fresh is None:
            try:
                found, line = self._found(role.id)
                if found is role or found == role:
                    chain = [role, *(self.decoded(i) for i in line.split(" ")[1:])]
                    pairs = itertools.pairwise(chain)
                    if chain[-1].reports_to is None and all(a.reports_to == b.id for a, b in pairs):
                        return chain
                    raise Damaged(f"the stored line of {role.id!r} disagrees with its roles")
            except (Damaged, *DAMAGE):
                self.recover()
        if self.fresh is not None and role.id in self.fresh.roles:
            return self.fresh.reporting_line(self.fresh.roles[role.id])
        return super().reporting_line(role)

    def _decoded_rows(self, sql: str, params: Sequence[object] = ()) -> Iterator[Role]:
        """The roles of a query's role rows (ROW's columns), each checked, streamed a thousand
        rows at a time; on damage, the rest from a fresh parse."""
        done = 0
        if self.fresh is None:
            try:
                cursor = self._db.execute(sql, params)
                while chunk := cursor.fetchmany(1000):
                    for row in chunk:
                        yield self._decode(row)[0]
                        done += 1
                return
            except (Damaged, *DAMAGE):
                # The roles handed out came from sound rows: the parse goes on after them.
                self.recover()
        raise _Restart(done)

    def iter_roles(self) -> Iterator[Role]:
        """Every role, streamed from the cache a thousand rows at a time, each checked (and
        first counted: a row deleted from the table would otherwise go unnoticed)."""
        if self.fresh is None and not self.complete():
            self.recover()
        try:
            yield from self._decoded_rows(f"SELECT {ROW} FROM roles ORDER BY pos")
        except _Restart as restart:
            assert self.fresh is not None
            yield from itertools.islice(self.fresh.roles.values(), restart.done, None)

    def roles_under(self, root: str) -> Iterable[Role]:
        """The subtree's roles only, found through the reports_to index."""
        if self.fresh is None:
            try:
                return [self._decode(row)[0] for row in self._subtree(root)]
            except (Damaged, *DAMAGE):
                self.recover()
        assert self.fresh is not None
        return self.fresh.roles_under(root)

    def members_under(self, root: str) -> Iterable[Role | Member]:
        """The subtree's names and superiors, from the rows' columns: each row's checksum is
        compared, no role is decoded."""
        if self.fresh is None:
            try:
                members: list[Role | Member] = []
                for row in self._subtree(root):
                    if row_sum(*row[:-1]) != row[-1]:
                        raise Damaged(f"row {row[0]!r} does not match its checksum")
                    alternatives = tuple(row[7].split(" ")) if row[7] else ()
                    members.append(Member(row[0], row[1], row[2], row[3], alternatives))
                return members
            except (Damaged, *DAMAGE):
                self.recover()
        assert self.fresh is not None
        return self.fresh.members_under(root)

    def _subtree(self, root: str) -> list[Any]:
        """The rows (ROW's columns) of `root` and everything under it, found through the
        reports_to index; each role found must have as many reports found as its row says it
        has, so that a damaged reports_to column cannot hide a branch (else Damaged)."""
        columns = ", ".join("r." + c for c in ROW.split(", "))
        rows = self.query(
            "WITH RECURSIVE under(id) AS (SELECT ? UNION"
            " SELECT r.id FROM roles r JOIN under u ON r.reports_to = u.id)"
            f" SELECT {columns} FROM roles r JOIN under USING (id) ORDER BY r.pos",
            (root,),
        )
        expected = {row[0]: row[5] for row in rows}
        counted = dict.fromkeys(expected, 0)
        for row in rows:
            if row[0] != root:
                counted[row[3]] += 1
        if counted != expected or (rows and root not in expected):
            raise Damaged(f"the reports_to index under {root!r} disagrees with the rows")
        return rows

    def in_order(self, roles: Iterable[R]) -> list[R]:
        wanted = {r.id: r for r in roles}
        if self.fresh is None:
            try:
                found: list[tuple[int, str]] = []
                ids = sorted(wanted)
                for start in range(0, len(ids), 500):
                    chunk = ids[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    sql = f"SELECT pos, id FROM roles WHERE id IN ({marks})"
                    found += self.query(sql, chunk)
                if len(found) == len(wanted) and all(type(p) is int for p, _ in found):
                    return [wanted[i] for _, i in sorted(found)]
            except DAMAGE:
                pass
        return self.recover().in_order(wanted.values())

    def rendered_roles(self) -> bool:
        """Whether the cache holds every role's JSON object, writing them first if it does not
        (asked by a long JSON batch, not with the cache: rendering every role costs as much
        again as the rest of the cache, and a lookup never needs it)."""
        if self._rendered is None:
            self._rendered = self.fresh is None and self._rendered_table()
        return self._rendered and self.fresh is None

    def role_json(self, query: str) -> str | None:
        """The stored JSON object of the one role the query names at its strongest tier;
        None when it names none, several (the resolver says which) or the cache is damaged."""
        key = lookup_key(query)
        if not key or self.fresh is not None:
            return None
        try:
            rows = self._db.execute(_RENDERED, (key,)).fetchall()
        except DAMAGE:
            return None  # the resolver meets the damage too, and recovers
        if len(rows) == 1:
            _, pos, text, crc = rows[0]
        else:
            if not rows:
                return None
            best = min(row[0] for row in rows)
            named = [row for row in rows if row[0] == best]
            if len({row[1] for row in named}) != 1:
                return None  # several roles: the resolver picks or reports them
            _, pos, text, crc = named[0]
        if pos is None or type(text) is not str or zlib.crc32(text.encode()) != crc:
            return None  # damage: the resolver finds it too, and recovers
        return text

    def _rendered_table(self) -> bool:
        """Write the table of every role's JSON object (role_dict as dumps writes it) if the
        cache has none: rows are read through the writing connection, a thousand at a time,
        each chunk committed so that memory stays flat."""
        has = self._has_table("rendered")
        if has is not False:
            return bool(has)
        reading = self._db.in_transaction  # a batch's snapshot: its lock would block writing
        if reading:
            with contextlib.suppress(*DAMAGE):
                self._db.commit()
        try:
            return self._write_rendered()
        finally:
            if reading:
                with contextlib.suppress(*DAMAGE):
                    self._db.execute("BEGIN")

    def _write_rendered(self) -> bool:
        from whoiswho import render_json

        writer = self._writer()
        if writer is None:
            return False
        try:
            writer.execute("PRAGMA synchronous=OFF")  # a cache: damage is detected, not fatal
            writer.execute("BEGIN IMMEDIATE")
            if _has(writer, "rendered"):  # another run wrote it meanwhile
                writer.execute("COMMIT")
                return True
            writer.execute("DROP TABLE IF EXISTS rendering")  # left by a run that was killed
            writer.execute(
                "CREATE TABLE rendering (pos INTEGER PRIMARY KEY, json TEXT NOT NULL,"
                " crc INTEGER NOT NULL)"
            )
            last = -1
            while True:
                rows = writer.execute(
                    f"SELECT pos, {ROW} FROM roles WHERE pos > ? ORDER BY pos LIMIT 1000",
                    (last,),
                ).fetchall()
                if not rows:
                    break
                texts = []
                for row in rows:
                    role = self._decode(row[1:])[0]
                    text = render_json.dumps(render_json.role_dict(self, role), None)
                    texts.append((row[0], text, zlib.crc32(text.encode())))
                writer.executemany("INSERT INTO rendering VALUES (?, ?, ?)", texts)
                writer.execute("COMMIT")
                writer.execute("BEGIN IMMEDIATE")
                last = rows[-1][0]
            # Renamed when whole: a run killed halfway leaves `rendering`, never a short table.
            writer.execute("ALTER TABLE rendering RENAME TO rendered")
            writer.execute("COMMIT")
        except (Damaged, *DAMAGE):
            with contextlib.suppress(*DAMAGE):
                writer.execute("ROLLBACK")
            return False  # the batch resolves each line instead, which finds any damage
        finally:
            writer.close()
        return self.fresh is None

    def best_matches(self, terms: Mapping[str, str], limit: int | None) -> list[Role] | None:
        """The best roles by the search index (built into the cache on the first search)."""
        if self.fresh is not None or not terms or not self._search_index():
            return None
        try:
            # Best first by terms matched, then by the unrounded score; the shown score is
            # rounded, so roles just below the limit that may round level are read too (and
            # the window widened until the last one read cannot tie).
            window = None if limit is None else 2 * limit + 50
            while True:
                ranked, complete = self._ranked_window(terms, window, limit)
                if complete or window is None:
                    break
                window *= 4
            ranked.sort()
            best = ranked if limit is None else ranked[:limit]
            return [self.roles[role_id] for _, _, role_id in best]
        except (Damaged, *DAMAGE):
            self.recover()
            return None

    def _ranked_window(
        self, terms: Mapping[str, str], window: int | None, limit: int | None
    ) -> tuple[list[tuple[int, float, str]], bool]:
        """(-matched, -score, id) of the best `window` roles by the index, and whether they
        hold every role that can rank within `limit`."""
        from whoiswho.search import final_score

        stems = list(terms)
        marks = ",".join("?" * len(stems))
        rows = self.query(
            "SELECT t.pos, count(*) AS n, sum(t.weight) AS total FROM terms t"
            f" WHERE t.stem IN ({marks}) GROUP BY t.pos ORDER BY n DESC, total DESC"
            + ("" if window is None else f" LIMIT {int(window)}"),
            stems,
        )
        scored: list[tuple[int, int, float]] = []
        edge: tuple[int, float] | None = None
        complete = window is None or len(rows) < window
        for pos, n, total in rows:
            if type(pos) is not int or type(n) is not int or type(total) is not float:
                raise Damaged("a mistyped search index row")
            if edge is not None and (n < edge[0] or total < edge[1]):
                complete = True
                break
            scored.append((pos, n, total))
            if limit is not None and len(scored) == limit:
                # Anything whose rounded score could still tie with this one is read too.
                edge = (n, total - 0.002 * len(terms))
        ids = self._ids_at([pos for pos, _, _ in scored])
        ranked = [(-n, -final_score(total, n, len(terms)), ids[pos]) for pos, n, total in scored]
        return ranked, complete

    def _ids_at(self, positions: list[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for start in range(0, len(positions), 500):
            chunk = positions[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for pos, role_id in self.query(
                f"SELECT pos, id FROM roles WHERE pos IN ({marks})", chunk
            ):
                found[pos] = role_id
        if len(found) != len(set(positions)):
            raise Damaged("the search index names a missing role")
        return found

    def _has_table(self, name: str) -> bool | None:
        """Whether the cache holds this (optional) table; None if that cannot be read."""
        found = self.rows("SELECT count(*) FROM sqlite_master WHERE name = ?", int, (name,))
        return None if found is None else bool(found[0][0])

    def _writer(self) -> sqlite3.Connection | None:
        """A second connection to the cache file, to write a table into it (None on damage).
        Rows are read through it while it writes: a reader holding a lock meanwhile would keep
        the writer from spilling pages to disk."""
        try:
            path = self.query("PRAGMA database_list")[0][2]
            return sqlite3.connect(path, isolation_level=None, timeout=10)
        except DAMAGE:
            return None

    def _search_index(self) -> bool:
        """Whether the cache holds the search index, writing it first if it does not.

        Written on the first search rather than with the cache: scoring every stem of every
        role takes longer than the rest of the cache, and a lookup never needs it."""
        has = self._has_table("terms")
        if has is not False:
            return bool(has)
        from whoiswho.search import term_weights

        writer = self._writer()
        if writer is None:
            return False
        try:
            writer.execute("BEGIN IMMEDIATE")
            if not _has(writer, "terms"):  # no other run wrote it meanwhile
                writer.execute(
                    "CREATE TABLE terms (stem TEXT NOT NULL, pos INTEGER NOT NULL,"
                    " weight REAL NOT NULL)"
                )
                rows = writer.execute(f"SELECT pos, {ROW} FROM roles ORDER BY pos")
                paths = self._paths
                writer.executemany(
                    "INSERT INTO terms VALUES (?, ?, ?)",
                    (
                        (stem, row[0], weight)
                        for row in rows
                        for stem, weight in term_weights(decode_row(row[1:], paths)[0]).items()
                    ),
                )
                # Covering: a search reads the index alone, never the table's rows.
                writer.execute("CREATE INDEX terms_stem ON terms (stem, pos, weight)")
            writer.execute("COMMIT")
        except (Damaged, *DAMAGE):
            return False  # a damaged row: the search scans instead, which finds it and recovers
        finally:
            writer.close()
        return True
