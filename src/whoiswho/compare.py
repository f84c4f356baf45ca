"""Compare two or more roles: what they share, what only each does, and the curated notes."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations
from typing import NamedTuple

from whoiswho.errors import AmbiguousQueryError, TooFewRolesError, UsageError, shown
from whoiswho.lookup import resolve
from whoiswho.model import FACETS, Catalog, Difference, Role
from whoiswho.text import stems


class Relation(NamedTuple):
    """How two compared roles stand to each other."""

    source: str  # role id
    target: str  # role id
    # reports_to: source's primary superior is target; may_report_to: an alternative superior;
    # below: target is higher up source's reporting line; same_superior: both report to one role.
    kind: str

    def to_dict(self) -> dict[str, str]:
        return {"from": self.source, "to": self.target, "kind": self.kind}


class Comparison(NamedTuple):
    roles: tuple[Role, ...]
    # Duties every compared role has (in the first role's words).
    shared: tuple[str, ...]
    # role id -> duties no other compared role has
    only: dict[str, tuple[str, ...]]
    # role id -> duties some, but not all, of the other roles also have (three roles or more)
    partly: dict[str, tuple[str, ...]]
    # The superior they all report to, or None when their lines differ.
    common_superior: str | None
    common_area: str | None
    notes: tuple[Difference, ...]
    # facet -> role id -> that role's duties of the facet (facets in model.FACETS order, then
    # "other" for duties a catalogue gives no facet); only facets some compared role has.
    facets: dict[str, dict[str, tuple[str, ...]]]
    relations: tuple[Relation, ...]

    @property
    def key_difference(self) -> str | None:
        """The one-sentence answer for two roles: their curated note, when there is one."""
        return self.notes[0].note if len(self.roles) == 2 and self.notes else None


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two duties are the same work when most of the shorter one's content words recur."""
    common = len(a & b)
    return common >= 2 and common / min(len(a), len(b)) >= 0.6


def resolve_all(catalog: Catalog, queries: Iterable[str]) -> list[Role]:
    """One role per query: compare needs exact roles, so an ambiguous name is a usage error."""
    roles: list[Role] = []
    for query in queries:
        try:
            roles.append(resolve(catalog, query))
        except AmbiguousQueryError as error:
            choices = ", ".join(c[0] for c in error.candidates)
            raise UsageError(f"{shown(query)} is ambiguous: name one of {choices}") from None
    return roles


def compare(catalog: Catalog, roles: list[Role]) -> Comparison:
    """Compare distinct roles; fewer than two, or one role twice, is a usage error."""
    if len(roles) < 2:
        raise TooFewRolesError("compare needs at least two roles")
    seen: set[str] = set()
    for role in roles:
        if role.id in seen:
            raise UsageError(f"{role.label} is named twice: compare different roles")
        seen.add(role.id)
    duties = {r.id: [(d, frozenset(stems(d))) for d in r.responsibilities] for r in roles}

    def elsewhere(role: Role, words: frozenset[str]) -> list[bool]:
        return [
            any(similar(words, w) for _, w in duties[other.id])
            for other in roles
            if other.id != role.id
        ]

    first = roles[0]
    shared = tuple(d for d, w in duties[first.id] if all(elsewhere(first, w)))
    only = {r.id: tuple(d for d, w in duties[r.id] if not any(elsewhere(r, w))) for r in roles}
    # Shared by some but not all: neither "shared" nor "only", and not to be lost between them.
    partly = {
        r.id: tuple(d for d, w in duties[r.id] if any(hits := elsewhere(r, w)) and not all(hits))
        for r in roles
    }
    superiors = {r.reports_to for r in roles}
    areas = {r.area for r in roles}
    notes = tuple(
        note
        for a, b in combinations(roles, 2)
        if (note := catalog.difference(a.id, b.id)) is not None
    )
    return Comparison(
        facets=facet_rows(roles),
        relations=relations(catalog, roles),
        roles=tuple(roles),
        shared=shared,
        only=only,
        partly=partly,
        common_superior=superiors.pop() if len(superiors) == 1 else None,
        common_area=areas.pop() if len(areas) == 1 else None,
        notes=notes,
    )


OTHER_FACET = "other"


def facet_rows(roles: list[Role]) -> dict[str, dict[str, tuple[str, ...]]]:
    """Each role's duties grouped by facet, so that like is set beside like."""
    rows: dict[str, dict[str, list[str]]] = {}
    for role in roles:
        facets = role.facets or (OTHER_FACET,) * len(role.responsibilities)
        for duty, facet in zip(role.responsibilities, facets, strict=True):
            rows.setdefault(facet, {}).setdefault(role.id, []).append(duty)
    order = {facet: i for i, facet in enumerate((*FACETS, OTHER_FACET))}
    return {
        facet: {r.id: tuple(rows[facet].get(r.id, ())) for r in roles}
        for facet in sorted(rows, key=lambda f: order.get(f, len(order)))
    }


def relations(catalog: Catalog, roles: list[Role]) -> tuple[Relation, ...]:
    """Every reporting link between the compared roles, direct ones first, then shared superiors."""
    found: list[Relation] = []
    ids = {r.id for r in roles}
    for role in roles:
        if role.reports_to in ids:
            found.append(Relation(role.id, role.reports_to, "reports_to"))
        else:
            above = {r.id for r in catalog.reporting_line(role)[2:]}
            found += [Relation(role.id, other, "below") for other in sorted(ids & above)]
        found += [
            Relation(role.id, alt, "may_report_to")
            for alt in role.reports_to_alternatives
            if alt in ids
        ]
    for a, b in combinations(roles, 2):
        if a.reports_to is not None and a.reports_to == b.reports_to:
            found.append(Relation(a.id, b.id, "same_superior"))
    return tuple(found)
