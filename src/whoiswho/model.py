"""The domain model: immutable records built once from a validated catalogue.

Named tuples rather than dataclasses: `import dataclasses` (with `inspect`) costs more than
Python's whole start-up, and every lookup pays for the model. Records are immutable all the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

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
    rank_source: str | None = None
    facets: tuple[str, ...] = ()
    origin: str = BUNDLED

    @property
    def label(self) -> str:
        """`CFO (Chief Financial Officer)`, or the title alone where it is the abbreviation."""
        return _label(self.abbreviation, self.title)

    @property
    def top_level(self) -> bool:
        return self.reports_to is None

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the role goes by, its own and the shared ones."""
        return self.other_names + self.shared_names


class Member(NamedTuple):
    """A role as a chart's text forms draw it: its names and superiors (a cached catalogue
    reads these from its columns, without decoding each role of a large subtree)."""

    id: str
    abbreviation: str
    title: str
    reports_to: str | None
    reports_to_alternatives: tuple[str, ...]

    @property
    def label(self) -> str:
        return _label(self.abbreviation, self.title)


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


# A Role or a Member (anything with an id): in_order sorts either.
R = TypeVar("R", bound=_Identified)


def _label(abbreviation: str, title: str) -> str:
    return title if abbreviation == title else f"{abbreviation} ({title})"


class Field(NamedTuple):
    """How one field of a role is written in a catalogue file, checked, stored and printed."""

    kind: str  # the checker and converter: see validate.CHECKS and ROLE_KINDS below
    required: bool = False
    # In `--json` role objects (origin is added by the loader; every field is printed today).
    printed: bool = True


# The one definition of a role's fields, in the order JSON prints them: validation, the loader,
# the cache's rows, the JSON role object and the schema tests all derive from it. Adding a field
# to a role is one line in Role, one line here, and the data.
ROLE_SPEC: dict[str, Field] = {
    "id": Field("id", required=True),
    "abbreviation": Field("text", required=True),
    "title": Field("text", required=True),
    "zh": Field("optional_text"),
    "area": Field("text", required=True),
    "summary": Field("text", required=True),
    "responsibilities": Field("texts", required=True),
    "facets": Field("facets"),
    "other_names": Field("texts"),
    "shared_names": Field("texts"),
    "reports_to": Field("ref", required=True),
    "reports_to_alternatives": Field("texts"),
    "primary": Field("flag"),
    "meaning_rank": Field("rank"),
    "rank_source": Field("url"),
    "occupation_codes": Field("codes"),
    "sources": Field("sources"),
    "origin": Field("origin"),
}
assert set(ROLE_SPEC) == set(Role._fields), "ROLE_SPEC must define every field of Role"

# The facet of each duty, from one small fixed vocabulary: compare lines duties up by facet.
FACETS = (
    "strategy",
    "money",
    "people",
    "technology",
    "operations",
    "product",
    "market",
    "risk",
    "communication",
    "governance",
)


def _codes(value: Any) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(dict(value).items()))


def _sources_in(value: Any) -> tuple[Source, ...]:
    return tuple([Source(s["title"], s.get("url")) for s in value])


# Per kind: from the catalogue file's value to the Role's (kinds not named are kept as they
# are), and back to plain JSON for the printed object.
_IN: dict[str, Any] = {"texts": tuple, "facets": tuple, "codes": _codes, "sources": _sources_in}
_OUT: dict[str, Any] = {
    "texts": list,
    "facets": list,
    "codes": dict,
    "sources": lambda v: [s.to_dict() for s in v],
}
# The fields whose value is converted, and how: role_from_entry runs for every role a big
# catalogue, list or chart decodes, so it touches only the fields an entry has that need it.
_CONVERTED = {name: _IN[f.kind] for name, f in ROLE_SPEC.items() if f.kind in _IN}
_CONVERTED_NAMES = frozenset(_CONVERTED)


def role_from_entry(entry: Mapping[str, Any], origin: str) -> Role:
    """A Role from a validated, merged catalogue entry (absent optional fields take defaults)."""
    values = dict(entry)
    for name in _CONVERTED_NAMES.intersection(values):
        values[name] = _CONVERTED[name](values[name])
    values["origin"] = origin
    return Role(**values)


# (field name, its place in Role, its converter to plain JSON or None), in ROLE_SPEC's order:
# computed once, as role_to_plain runs for every role of a big list or cache.
_PLAIN = tuple((name, Role._fields.index(name), _OUT.get(f.kind)) for name, f in ROLE_SPEC.items())


def role_to_plain(role: Role) -> dict[str, Any]:
    """Every field of a role as plain JSON values, in definition order (for output)."""
    return {name: role[i] if out is None else out(role[i]) for name, i, out in _PLAIN}


def role_from_plain(values: Mapping[str, Any]) -> Role:
    """The inverse of role_to_plain."""
    return role_from_entry({k: v for k, v in values.items() if k != "origin"}, values["origin"])


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

    __slots__ = ("differences", "files", "index", "roles", "shared", "version", "vocabulary")

    def __init__(
        self,
        version: str,
        roles: Mapping[str, Role],
        differences: dict[frozenset[str], Difference],
        files: tuple[str, ...],
        index: Mapping[str, list[tuple[int, str]]],
        shared: Mapping[str, tuple[str, ...]],
        vocabulary: tuple[tuple[str, Any], ...] = (),
    ) -> None:
        self.version = version
        self.roles = roles
        self.differences = differences
        self.files = files
        # lookup key -> (tier, role id) pairs; built once per load by validate.build_index
        self.index = index
        # case-folded abbreviation -> ids of the roles sharing it (only where two or more do)
        self.shared = shared
        # (file, its "titles" section): title vocabulary the catalogue files add to the bundled
        self.vocabulary = vocabulary

    def roles_containing(self, needles: Sequence[str]) -> Iterable[tuple[int, Role]] | None:
        """(position, role) for roles whose search text may hold a needle, if this catalogue can
        narrow them down faster than a scan (the cache can); None means "scan them all"."""
        return None

    def best_matches(self, terms: Mapping[str, str], limit: int | None) -> list[Role] | None:
        """The roles a search for these stems ranks first (at most `limit`), if this catalogue
        keeps a search index (the cache does); None means "score them all"."""
        return None

    def snapshot(self) -> AbstractContextManager[None]:
        """A consistent view for many lookups in a row (a cached catalogue holds one read
        transaction, which also spares each lookup the file's lock); here, nothing to do."""
        from contextlib import nullcontext

        return nullcontext()

    def rendered_roles(self) -> bool:
        """Whether role_json can answer (a cached catalogue writes its roles' JSON objects
        first if it has not yet); here, never."""
        return False

    def role_json(self, query: str) -> str | None:
        """The compact JSON object of the one role `query` names, as render_json makes it,
        if this catalogue stores it; None otherwise (resolve the query instead)."""
        return None

    def role(self, role_id: str) -> Role:
        return self.roles[role_id]

    # Walks that a catalogue kept in the cache answers from its indexes without holding every
    # role (cachedb.CachedCatalog); these defaults are today's in-memory code path.

    def iter_roles(self) -> Iterator[Role]:
        """Every role in catalogue order, one at a time (memory need not grow with the count)."""
        return iter(self.roles.values())

    def roles_under(self, root: str) -> Iterable[Role]:
        """At least every role in `root`'s primary subtree (root included), in catalogue order."""
        return self.roles.values()

    def members_under(self, root: str) -> Iterable[Role | Member]:
        """roles_under, as a chart's text forms need them (here: the roles themselves)."""
        return self.roles_under(root)

    def in_order(self, roles: Iterable[R]) -> list[R]:
        """These roles (or Members) in catalogue order."""
        wanted = {r.id: r for r in roles}
        if not wanted:
            return []
        return [wanted[i] for i in self.roles if i in wanted]

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

    def line_ids(self, role: Role) -> list[str]:
        """The ids of the role's reporting line, its own first (a cached catalogue stores them)."""
        return [r.id for r in self.reporting_line(role)]

    def same_abbreviation(self, role: Role) -> list[Role]:
        """The other meanings of the role's abbreviation, most common first."""
        ids = self.shared.get(role.abbreviation.casefold(), ())
        return sorted((self.roles[i] for i in ids if i != role.id), key=meaning_order)

    def difference(self, a: str, b: str) -> Difference | None:
        return self.differences.get(frozenset((a, b)))


def meaning_order(role: Role) -> tuple[int, int]:
    """Sort key: the primary meaning first, then by rank (unranked last)."""
    return (0 if role.primary else 1, role.meaning_rank if role.meaning_rank is not None else 10**9)
