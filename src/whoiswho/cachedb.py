"""A catalogue read from the cache on demand, that trusts no row it reads.

The cache file is private (see cache.py), but a disk error, a crash or a hand edit can still
damage it: a flipped page, a garbage, short or mistyped row, an index entry naming no role, a
reporting line that points nowhere or in a circle. Every row is checked as it is decoded. On
the first problem the catalogue parses the files afresh (which also replaces the cache) and
answers from that parse from then on, so a damaged cache costs one slow run, never a wrong
answer, a traceback or an endless loop.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from whoiswho.model import FROM_PLAIN, ROLE_SPEC, Catalog, Difference, Role, Source
from whoiswho.validate import CHECKS

# What reading a damaged row or table can raise.
DAMAGE = (sqlite3.Error, ValueError, TypeError, KeyError, IndexError, AttributeError)


class Damaged(Exception):
    """The cache holds something `store` never wrote."""


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


def role_from_row(data: Any) -> Role:
    """A Role from the JSON list `store` wrote (plain values in model.ROLE_SPEC's order), each
    value checked by its field's kind, as validation checks a catalogue file."""
    f = json.loads(data)
    if type(f) is not list or len(f) != len(_DECODE):
        raise Damaged("a role row of the wrong length")
    values: list[Any] = [None] * len(_DECODE)
    for (name, check, nullable, convert, place), value in zip(_DECODE, f, strict=True):
        if value is not None or not nullable:
            problem = check(value)
            if problem:
                raise Damaged(f"field {name} {problem}")
            if convert is not None:
                value = convert(value)
        values[place] = value
    return Role._make(values)


# Kinds whose unset value (a role without meaning_rank, rank_source, zh or superior) is null.
_NULLABLE = frozenset({"rank", "url", "optional_text", "ref"})


def _row_problem(kind: str, value: Any) -> str | None:
    if value is None and kind in _NULLABLE:
        return None
    if kind in CHECKS:
        return CHECKS[kind](value)
    if kind in ("id", "origin"):
        return None if isinstance(value, str) and value else "is not a string"
    if kind == "codes":
        ok = isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        )
        return None if ok else "is mistyped"
    if kind == "sources":
        ok = isinstance(value, list) and all(
            isinstance(s, dict)
            and isinstance(s.get("title"), str)
            and s["title"]
            and isinstance(s.get("url"), (str, type(None)))
            for s in value
        )
        return None if ok else "is mistyped"
    return f"has a kind the cache does not know ({kind})"


def _checker(kind: str) -> Callable[[Any], str | None]:
    """_row_problem for one kind, looked up once rather than per value."""
    if kind in CHECKS:
        return CHECKS[kind]
    return lambda value: _row_problem(kind, value)


# Per field in ROLE_SPEC's order: (name, checker, null allowed, converter to the Role's value or
# None, place in Role): decoding runs per row of every big list, chart and batch.
_DECODE = tuple(
    (name, _checker(f.kind), f.kind in _NULLABLE, FROM_PLAIN.get(f.kind), Role._fields.index(name))
    for name, f in ROLE_SPEC.items()
)


def check_lines(roles: Mapping[str, Role]) -> None:
    """Every superior exists and no reporting line runs in a circle (validation's rule)."""
    done: set[str] = set()
    for start, role in roles.items():
        for target in (role.reports_to, *role.reports_to_alternatives):
            if target is not None and target not in roles:
                raise Damaged(f"{start!r} reports to a missing role")
        chain: set[str] = set()
        current: str | None = start
        while current is not None and current not in done:
            if current in chain:
                raise Damaged(f"a reporting cycle through {current!r}")
            chain.add(current)
            current = roles[current].reports_to
        done |= chain


def checked_row(role_id: Any, reports_to: Any, data: Any) -> Role:
    """A role row decoded and checked, its data agreeing with its id and superior columns."""
    role = role_from_row(data)
    if role.id != role_id or role.reports_to != reports_to:
        raise Damaged(f"row {role_id!r} disagrees with its columns")
    return role


# Rows whose stored line is not their id followed by their superior's line (or their id alone at
# the top), or whose superior is missing. None means every line is sound: each is longer than its
# superior's, so no line can run in a circle, and each ends at a top-level role.
LINES_BROKEN = """
SELECT count(*) FROM roles r LEFT JOIN roles s ON s.id = r.reports_to
WHERE CASE WHEN r.reports_to IS NULL THEN r.line IS NOT r.id
           ELSE s.id IS NULL OR r.line IS NOT (r.id || ' ' || s.line) END
"""
# At most this many superiors are kept decoded while streaming (memory flat in catalogue size).
KEEP_SUPERIORS = 4096


class CachedRoles(Mapping[str, Role]):
    """Roles read from the cache on demand, in catalogue order when iterated."""

    def __init__(self, owner: CachedCatalog) -> None:
        self._owner = owner
        self._built: dict[str, Role] = {}
        # Roles whose reporting line is known to reach the top, through roles that exist.
        self._sound: set[str] = set()

    def __getitem__(self, role_id: str) -> Role:
        owner = self._owner
        if owner.fresh is None:
            try:
                return self._checked(role_id)
            except (Damaged, *DAMAGE):
                pass
        return owner.recover().roles[role_id]

    def _checked(self, role_id: str) -> Role:
        """The role, once its reporting line is known to exist and to end: a role handed out
        is never one whose superiors a later call would find missing or circular.

        The stored line names every superior, so the whole line is read in one query and each
        role in it must report to the next (the last to no one)."""
        role = self._built.get(role_id)
        if role is not None and role_id in self._sound:
            return role
        found = self._owner.query("SELECT line FROM roles WHERE id = ?", (role_id,))
        if not found or type(found[0][0]) is not str:
            # Callers ask only for ids the catalogue itself named: a missing one is damage.
            raise Damaged(f"no role {role_id!r}")
        ids = found[0][0].split(" ")
        if ids[0] != role_id or len(set(ids)) != len(ids):
            raise Damaged(f"the stored line of {role_id!r} is wrong")
        wanted = [i for i in ids if i not in self._built]
        for start in range(0, len(wanted), 500):  # SQLite limits the parameters of one query
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, reports_to, data FROM roles WHERE id IN ({marks})"
            for row_id, up, data in self._owner.query(sql, chunk):
                self._built[row_id] = checked_row(row_id, up, data)
        for below, above in zip(ids, [*ids[1:], None], strict=True):
            if below not in self._built or self._built[below].reports_to != above:
                raise Damaged(f"the reporting line of {role_id!r} is broken")
        alternatives = {a for r in ids for a in self._built[r].reports_to_alternatives}
        if alternatives and self._owner.count(alternatives) != len(alternatives):
            raise Damaged("an alternative superior is missing")
        self._sound.update(ids)
        return self._built[role_id]

    def _all(self) -> dict[str, Role]:
        """Every role, decoded and checked as a whole (iteration needs them all anyway)."""
        owner = self._owner
        if owner.fresh is not None:
            return dict(owner.fresh.roles)
        try:
            roles: dict[str, Role] = {}
            for role_id, data in owner.query("SELECT id, data FROM roles ORDER BY pos"):
                role = self._built.get(role_id) or role_from_row(data)
                if role.id != role_id:
                    raise Damaged(f"row {role_id!r} holds role {role.id!r}")
                roles[role_id] = role
            check_lines(roles)
        except (Damaged, *DAMAGE):
            return dict(owner.recover().roles)
        return roles

    def __iter__(self) -> Iterator[str]:
        rows = self._owner.rows("SELECT id FROM roles ORDER BY pos", str)
        return iter([i for (i,) in rows] if rows is not None else self._owner.recover().roles)

    def __len__(self) -> int:
        rows = self._owner.rows("SELECT count(*) FROM roles", int)
        return rows[0][0] if rows is not None else len(self._owner.recover().roles)

    def __contains__(self, role_id: object) -> bool:
        rows = self._owner.rows("SELECT 1 FROM roles WHERE id = ?", int, (role_id,))
        return bool(rows) if rows is not None else role_id in self._owner.recover().roles

    def values(self) -> Iterator[Role]:  # type: ignore[override]
        return iter(self._all().values())


class CachedIndex(Mapping[str, list[tuple[int, str]]]):
    """The lookup index, one indexed query per key; each entry's role must exist."""

    def __init__(self, owner: CachedCatalog) -> None:
        self._owner = owner

    def __getitem__(self, key: str) -> list[tuple[int, str]]:
        rows = self._owner.rows(
            "SELECT n.tier, n.id, r.pos FROM names n LEFT JOIN roles r ON r.id = n.id"
            " WHERE n.key = ? ORDER BY n.rowid",
            int,
            (key,),
        )
        if rows is None or not all(isinstance(pos, int) for _, _, pos in rows):
            return self._owner.recover().index[key]  # a name of no role, or damage
        if not rows:
            raise KeyError(key)
        return [(tier, role_id) for tier, role_id, _ in rows]

    def __iter__(self) -> Iterator[str]:
        rows = self._owner.rows("SELECT DISTINCT key FROM names", str)
        return iter([k for (k,) in rows] if rows is not None else self._owner.recover().index)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class CachedCatalog(Catalog):
    """A Catalog whose roles and index stay in the cache until asked for."""

    __slots__ = ("_db", "_hint", "_lines_ok", "_older", "_rebuild", "_superiors", "fresh")

    def __init__(
        self, db: sqlite3.Connection, meta: dict[str, str], rebuild: Callable[[], Catalog]
    ) -> None:
        """Read the small tables now (any damage raises, and the caller parses instead)."""
        self._db = db
        self._rebuild = rebuild
        # The catalogue parsed from the files once the cache turned out damaged.
        self.fresh: Catalog | None = None
        # The role iter_roles handed out last and its stored line (role_dict asks for it next).
        self._hint: tuple[str, list[str]] | None = None
        self._lines_ok = False
        self._superiors: dict[str, Role] = {}
        self._older: dict[str, Role] = {}
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

    def reporting_line(self, role: Role) -> list[Role]:
        hint = self._hint
        if self.fresh is None and hint is not None and hint[0] == role.id:
            try:
                young = self._superiors
                return [role, *(young.get(i) or self._superior(i) for i in hint[1][1:])]
            except (Damaged, *DAMAGE):
                fresh = self.recover()
                return fresh.reporting_line(fresh.roles[role.id])
        line = super().reporting_line(role)
        if line[-1].reports_to is not None and self.fresh is None:
            # The line broke off (a cycle or a missing superior): the cache is damaged.
            fresh = self.recover()
            if role.id in fresh.roles:
                return fresh.reporting_line(fresh.roles[role.id])
        return line

    def _superior(self, role_id: str) -> Role:
        """A superior on a line LINES_BROKEN proved sound, decoded once (up to a bound)."""
        role = self._superiors.get(role_id) or self._older.get(role_id)
        if role is None:
            rows = self.query("SELECT reports_to, data FROM roles WHERE id = ?", (role_id,))
            if not rows:
                raise Damaged(f"no role {role_id!r}")
            role = checked_row(role_id, rows[0][0], rows[0][1])
        self._keep(role)
        return role

    def _keep(self, role: Role) -> None:
        """Remember a decoded role that later lines may name, in two generations: when the
        young one is full it becomes the old one, so the recently used stay and memory is flat."""
        if len(self._superiors) >= KEEP_SUPERIORS:
            self._older, self._superiors = self._superiors, {}
        self._superiors[role.id] = role

    def _check_lines(self) -> None:
        """Raise Damaged unless every stored line is sound (one query, no role decoded)."""
        if not self._lines_ok:
            broken = self.query(LINES_BROKEN)[0][0]
            if broken != 0:
                raise Damaged("a stored reporting line is broken")
            self._lines_ok = True

    def _checked_rows(self, rows: Sequence[Any]) -> list[tuple[Role, list[str]]]:
        """(role, its stored line) per (id, reports_to, line, data) row, every alternative
        superior existing; lines must have passed _check_lines."""
        decoded = []
        for role_id, up, line, data in rows:
            role = checked_row(role_id, up, data)
            if type(line) is not str:
                raise Damaged(f"row {role_id!r} has no line")
            decoded.append((role, line.split(" ")))
        alternatives = {a for r, _ in decoded for a in r.reports_to_alternatives}
        if alternatives and self.count(alternatives) != len(alternatives):
            raise Damaged("an alternative superior is missing")
        return decoded

    def iter_roles(self) -> Iterator[Role]:
        """Every role, streamed from the cache a thousand rows at a time, each checked."""
        done = 0
        if self.fresh is None:
            try:
                self._check_lines()
                cursor = self._db.execute(
                    "SELECT id, reports_to, line, data FROM roles ORDER BY pos"
                )
                while chunk := cursor.fetchmany(1000):
                    for role, line in self._checked_rows(chunk):
                        self._hint = (role.id, line)
                        if role.id not in self._superiors:
                            self._keep(role)  # superiors mostly come before their reports
                        yield role
                        done += 1
                return
            except (Damaged, *DAMAGE):
                # The roles handed out came from sound rows: the parse goes on after them.
                self.recover()
        assert self.fresh is not None
        yield from itertools.islice(self.fresh.roles.values(), done, None)

    def roles_under(self, root: str) -> Iterable[Role]:
        """The subtree's roles only, found through the reports_to index."""
        if self.fresh is None:
            try:
                self._check_lines()
                rows = self.query(
                    "WITH RECURSIVE under(id) AS (SELECT ? UNION"
                    " SELECT r.id FROM roles r JOIN under u ON r.reports_to = u.id)"
                    " SELECT r.id, r.reports_to, r.line, r.data FROM roles r"
                    " JOIN under USING (id) ORDER BY r.pos",
                    (root,),
                )
                return [role for role, _ in self._checked_rows(rows)]
            except (Damaged, *DAMAGE):
                self.recover()
        assert self.fresh is not None
        return self.fresh.roles_under(root)

    def in_order(self, roles: Iterable[Role]) -> list[Role]:
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

    def _search_index(self) -> bool:
        """Whether the cache holds the search index, writing it first if it does not.

        Written on the first search rather than with the cache: scoring every stem of every
        role takes longer than the rest of the cache, and a lookup never needs it."""
        found = self.rows("SELECT count(*) FROM sqlite_master WHERE name = 'terms'", int)
        if found is None:
            return False
        if found[0][0]:
            return True
        from whoiswho.search import term_weights

        try:
            path = self.query("PRAGMA database_list")[0][2]
            writer = sqlite3.connect(path, isolation_level=None, timeout=10)
        except DAMAGE:
            return False
        try:
            writer.execute("BEGIN IMMEDIATE")
            if not writer.execute("SELECT 1 FROM sqlite_master WHERE name = 'terms'").fetchall():
                writer.execute(
                    "CREATE TABLE terms (stem TEXT NOT NULL, pos INTEGER NOT NULL,"
                    " weight REAL NOT NULL)"
                )
                # Read through the writing connection: a second one reading meanwhile would
                # hold the lock the writer needs to spill pages to disk.
                rows = writer.execute("SELECT pos, id, reports_to, data FROM roles ORDER BY pos")
                writer.executemany(
                    "INSERT INTO terms VALUES (?, ?, ?)",
                    (
                        (stem, pos, weight)
                        for pos, role_id, up, data in rows
                        for stem, weight in term_weights(checked_row(role_id, up, data)).items()
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
