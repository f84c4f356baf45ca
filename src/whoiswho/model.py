"""The domain model: immutable records built once from a validated catalogue.

Named tuples rather than dataclasses: `import dataclasses` (with `inspect`) costs more than
Python's whole start-up, and every lookup pays for the model. Records are immutable all the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

SCHEMA_VERSION = 1
BUNDLED = "bundled"


class Source(NamedTuple):
    title: str
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url}


class Role(NamedTuple):
    id: str
    abbreviation: str
    title: str
    area: str
    summary: str
    responsibilities: tuple[str, ...]
    reports_to: str | None
    other_names: tuple[str, ...] = ()
    shared_names: tuple[str, ...] = ()
    zh: str | None = None
    reports_to_alternatives: tuple[str, ...] = ()
    occupation_codes: tuple[tuple[str, str], ...] = ()
    sources: tuple[Source, ...] = ()
    primary: bool = False
    meaning_rank: int | None = None
    origin: str = BUNDLED

    @property
    def label(self) -> str:
        """`CFO (Chief Financial Officer)`, or the title alone where it is the abbreviation."""
        if self.abbreviation == self.title:
            return self.title
        return f"{self.abbreviation} ({self.title})"

    @property
    def top_level(self) -> bool:
        return self.reports_to is None

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the role goes by, its own and the shared ones."""
        return self.other_names + self.shared_names


class Difference(NamedTuple):
    """A curated note on what sets two roles apart."""

    roles: tuple[str, str]
    note: str
    sources: tuple[Source, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "roles": list(self.roles),
            "note": self.note,
            "sources": [s.to_dict() for s in self.sources],
        }


class Catalog:
    """Roles in catalogue order, keyed by id, the curated notes, and the lookup index."""

    __slots__ = ("differences", "files", "index", "roles", "shared", "version")

    def __init__(
        self,
        version: str,
        roles: Mapping[str, Role],
        differences: dict[frozenset[str], Difference],
        files: tuple[str, ...],
        index: Mapping[str, list[tuple[int, str]]],
        shared: Mapping[str, tuple[str, ...]],
    ) -> None:
        self.version = version
        self.roles = roles
        self.differences = differences
        self.files = files
        # lookup key -> (tier, role id) pairs; built once per load by validate.build_index
        self.index = index
        # case-folded abbreviation -> ids of the roles sharing it (only where two or more do)
        self.shared = shared

    def roles_containing(self, needles: Sequence[str]) -> Iterable[tuple[int, Role]] | None:
        """(position, role) for roles whose search text may hold a needle, if this catalogue can
        narrow them down faster than a scan (the cache can); None means "scan them all"."""
        return None

    def role(self, role_id: str) -> Role:
        return self.roles[role_id]

    def reporting_line(self, role: Role) -> list[Role]:
        """The role and each superior above it, up to the top.

        Validation rules out cycles and missing superiors, but a damaged cache could hold
        either: the line then stops before a role repeats or at the missing one, never loops.
        """
        line = [role]
        seen = {role.id}
        while (up := line[-1].reports_to) is not None and up not in seen:
            superior = self.roles.get(up)
            if superior is None:
                break
            seen.add(up)
            line.append(superior)
        return line

    def same_abbreviation(self, role: Role) -> list[Role]:
        """The other meanings of the role's abbreviation, most common first."""
        ids = self.shared.get(role.abbreviation.casefold(), ())
        return sorted((self.roles[i] for i in ids if i != role.id), key=meaning_order)

    def difference(self, a: str, b: str) -> Difference | None:
        return self.differences.get(frozenset((a, b)))


def meaning_order(role: Role) -> tuple[int, int]:
    """Sort key: the primary meaning first, then by rank (unranked last)."""
    return (0 if role.primary else 1, role.meaning_rank if role.meaning_rank is not None else 10**9)
