"""Resolve a query to one role, to the meanings of an ambiguous name, or to suggestions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from whoiswho.errors import AmbiguousQueryError, UnknownRoleError, UsageError, WhoiswhoError
from whoiswho.model import Catalog, Role, meaning_order
from whoiswho.text import lookup_key


class Match(NamedTuple):
    """What a query names: one role, or (ambiguous) several, most common meaning first."""

    query: str
    roles: tuple[Role, ...]

    @property
    def ambiguous(self) -> bool:
        return len(self.roles) > 1

    def one(self) -> Role:
        """The one role named, or AmbiguousQueryError listing every meaning."""
        if self.ambiguous:
            raise AmbiguousQueryError(self.query, [_triple(r) for r in self.roles])
        return self.roles[0]


def match(catalog: Catalog, query: str) -> Match:
    """Every role the query names at its strongest tier; a dominant meaning wins alone.

    Raises UnknownRoleError (with suggestions) when nothing matches.
    """
    key = lookup_key(query)
    # An empty or punctuation-only query names nothing: not found, like any unknown name.
    entries = catalog.index.get(key) if key else None
    if not entries:
        raise UnknownRoleError(query, [_triple(r) for r in suggest(catalog, query)])
    best = min(tier for tier, _ in entries)
    ids = dict.fromkeys(role_id for tier, role_id in entries if tier == best)
    roles = sorted((catalog.roles[i] for i in ids), key=meaning_order)
    primaries = [r for r in roles if r.primary]
    if len(roles) > 1 and len(primaries) == 1:
        return Match(query, (primaries[0],))
    return Match(query, tuple(roles))


def resolve(catalog: Catalog, query: str) -> Role:
    """Exactly one role, or AmbiguousQueryError / UnknownRoleError."""
    return match(catalog, query).one()


def resolve_each(
    catalog: Catalog, queries: Iterable[str]
) -> Iterator[tuple[str, Role | WhoiswhoError]]:
    """Each query with its role or the error that stopped it, in order (a batch of lines)."""
    resolver = Resolver(catalog)
    return ((query, resolver(query)) for query in queries)


class Resolver:
    """resolve() for the lines of a batch: each distinct query is resolved once (a column of
    job titles repeats itself), the role or the error that stopped it."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.done: dict[str, Role | WhoiswhoError] = {}

    def __call__(self, query: str) -> Role | WhoiswhoError:
        found = self.done.get(query)
        if found is None:
            try:
                found = resolve(self.catalog, query)
            except WhoiswhoError as error:
                found = error
            if len(self.done) >= 4096:
                self.done.clear()  # memory stays flat over any number of distinct lines
            self.done[query] = found
        return found


def suggest(catalog: Catalog, query: str, limit: int = 5) -> list[Role]:
    """Roles whose names are close to the query (typos, half-remembered titles), best first."""
    from difflib import SequenceMatcher  # only the not-found path pays for it

    key = lookup_key(query)
    if not key:
        return []
    matcher = SequenceMatcher(b=key)
    scored: list[tuple[float, str]] = []
    for candidate in catalog.index:
        if abs(len(candidate) - len(key)) > max(3, len(key) // 2):
            continue  # too different in length to be a typo of the query
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= CUTOFF and matcher.quick_ratio() >= CUTOFF:
            score = matcher.ratio()
            if score >= CUTOFF:
                scored.append((score, candidate))
    scored.sort(key=lambda item: (-item[0], item[1]))
    # Keep only the near-best: one clear suggestion beats five weak ones.
    keys = [k for score, k in scored if score >= scored[0][0] - CLOSE] if scored else []
    if len(key) >= 3:
        keys += [k for k in catalog.index if k.startswith(key) and k not in keys][:limit]
    found: dict[str, Role] = {}
    for k in keys:
        for role in sorted((catalog.roles[i] for _, i in catalog.index[k]), key=meaning_order):
            found.setdefault(role.id, role)
    return list(found.values())[:limit]


CUTOFF = 0.6
CLOSE = 0.08


def _triple(role: Role) -> tuple[str, str, str]:
    return (role.id, role.abbreviation, role.title)


SORT_ORDERS = ("area", "title", "id", "catalogue")


def ordered(catalog: Catalog, roles: Iterable[Role], by: str) -> list[Role]:
    """Roles in a documented order: `area` (by area, then seniority: fewer superiors above
    first, then title), `title` or `id` (alphabetical), or `catalogue` (as the files list them)."""
    if by == "catalogue":
        return list(roles)
    if by == "title":
        return sorted(roles, key=lambda r: (r.title.casefold(), r.id))
    if by == "id":
        return sorted(roles, key=lambda r: r.id)
    if by == "area":
        return sorted(
            roles,
            key=lambda r: (r.area, len(catalog.line_ids(r)), r.title.casefold(), r.id),
        )
    raise UsageError(f"unknown order {by!r}; use one of {', '.join(SORT_ORDERS)}")
