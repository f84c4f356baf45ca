"""Read a job title as people and filings write it: function, level, roles named, where it sits.

    >>> classify("EVP & CFO", catalog)      # roles ('cfo',), level c_level, qualifiers ('evp',)

How a title is read (each rule is tested in tests/test_classify.py):

- The title is cut into parts at `,` `&` `and` `/` `|` ` - ` `–`; a part that cannot stand as a
  title (no role, rank or job noun: "Sales" in "VP, Sales and Marketing", "Americas" in "CFO,
  Americas") belongs to the part before it. "Chief Financial and Operating Officer" names both
  officers. A rank alone ("EVP" in "EVP & CFO") is the rank of the role that follows it.
- The highest level stated wins. A chair who is also CEO is therefore `board`, as is a "CEO &
  Director": the board seat is the most senior thing the title states. The main function is
  still the executive one: board seats give way to any other function the title names.
- A rank beside a role names the role's rank: in "EVP & CFO" the level is the CFO's (c_level)
  and the lower rank is kept in `qualifiers` ("evp"); in "SVP, General Counsel" the rank is the
  higher level and wins (svp).
- Deputy, assistant and associate before a role mean the person works under that role.
- A name carrying a rank ("VP of Product", "Head of People") is rank plus function, not the chief.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from whoiswho import compiled
from whoiswho.lexicon import FUNC, LEVEL_INDEX, ROLE, STOP, Lexicon
from whoiswho.model import Catalog
from whoiswho.parts import distribute, group, served
from whoiswho.reading import UNKNOWN, Item, Unit, read_unit
from whoiswho.spelling import SEP
from whoiswho.vocabulary import LEVELS, Vocabulary, bundled

__all__ = ["LEVELS", "SCHEMA_VERSION", "Classification", "classify"]

SCHEMA_VERSION = 1


class Classification(NamedTuple):
    """What a title says: see the module docstring for how each field is decided."""

    title: str
    function: str | None
    functions: tuple[str, ...]
    level: str | None
    roles: tuple[str, ...]
    reports_into: str | None
    qualifiers: tuple[str, ...]
    confidence: float
    matched: tuple[str, ...]
    reason: str | None

    def to_dict(self) -> dict[str, object]:
        """The JSON object: schema_version first, then the fields in order."""
        return {
            "schema_version": SCHEMA_VERSION,
            "title": self.title,
            "function": self.function,
            "functions": list(self.functions),
            "level": self.level,
            "roles": list(self.roles),
            "reports_into": self.reports_into,
            "qualifiers": list(self.qualifiers),
            "confidence": self.confidence,
            "matched": list(self.matched),
            "reason": self.reason,
        }

    @property
    def classified(self) -> bool:
        return self.reason is None


def classify(
    title: str, catalog: Catalog | None = None, vocabulary: Vocabulary | None = None
) -> Classification:
    """Classify one title against a catalogue's roles and the (bundled) title vocabulary.

    Without a catalogue, the one the command would read: the bundled file, the per-user file
    and WHOISWHO_CATALOG, loaded once.
    """
    return reader(catalog or _default_catalog(), vocabulary)(title)


@lru_cache(maxsize=1)
def _default_catalog() -> Catalog:
    from whoiswho.catalog import load_files
    from whoiswho.locations import load_order

    return load_files(load_order())


# (vocabulary, catalogue, reader) for the last few pairs: compiling takes milliseconds, reading
# a title microseconds. Held strongly, so the ids cannot be reused while cached.
_READERS: list[tuple[Vocabulary, Catalog, Reader]] = []


def reader(catalog: Catalog, vocabulary: Vocabulary | None = None) -> Reader:
    """The compiled, memoised classifier for a catalogue and vocabulary."""
    vocabulary = vocabulary or bundled()
    for vocab, cat, found in _READERS:
        if vocab is vocabulary and cat is catalog:
            return found
    made = Reader(compiled.lexicon(vocabulary, catalog))
    _READERS.insert(0, (vocabulary, catalog, made))
    del _READERS[4:]
    return made


class Reader:
    """Classifies titles with one compiled lexicon; repeated titles come from a cache."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.cached = lru_cache(maxsize=1 << 16)(self._classify)
        self.units: dict[tuple[object, ...], Unit] = {}
        self.readings: dict[tuple[str, ...], Classification] = {}

    def __call__(self, title: str) -> Classification:
        return self.cached(title)

    def guessed(self, title: str) -> bool:
        """Whether reading the title meant finishing a cut-off word or mending a typo."""
        self(title)
        return self.lex.guessed(self.lex.tokens(title, noise=True))

    def _classify(self, title: str) -> Classification:
        lex = self.lex
        words = lex.expand(lex.tokens(title, noise=True))
        if "and" in words or SEP in words:
            words = distribute(words, lex)
        # Titles written differently ("SVP, Finance", "Svp - finance") read the same words.
        key = tuple(words)
        same = self.readings.get(key)
        if same is not None:
            return same._replace(title=title)
        result = self._read(title, words)
        if result.classified:
            if len(self.readings) > 100_000:
                self.readings.clear()
            self.readings[key] = result
        return result

    def _read(self, title: str, words: list[str]) -> Classification:
        lex = self.lex
        items, unknown = self.items(words)
        if "to" in words:
            served(items)
        content = [i for i in items if i.entries[0].kind != STOP or i.entries[0] is UNKNOWN]
        if not content:
            why = "no words" if not unknown else f"no title words recognised in {title.strip()!r}"
            return Classification(title, None, (), None, (), None, (), 0.0, (), why[:200])
        # Only a title naming an ambiguous abbreviation needs the rest of it to read a part.
        ambiguous = any(len(i.entries[0].roles) > 1 for i in content)
        units = [self.unit(u, content if ambiguous else None) for u in group(content, lex)]
        return combine(title, units, lex, len(content), unknown)

    def unit(self, items: list[Item], title: list[Item] | None) -> Unit:
        """read_unit, memoised: titles share their parts ("SVP", "Global Finance").

        A part naming an ambiguous abbreviation is read with the functions the rest of the
        title names ("VP, Corp Controller & CAO": the accounting CAO).
        """
        first = items[0].part
        key: tuple[object, ...] = tuple((i.text, i.part - first) for i in items)
        context: frozenset[str] = frozenset()
        if title is not None and any(len(i.entries[0].roles) > 1 for i in items):
            context = frozenset(
                e.area
                for i in title
                if i not in items
                for e in i.entries[:1]
                if e.area and (e.kind == FUNC or (e.kind == ROLE and len(e.roles) == 1))
            )
            key += (context,)
        found = self.units.get(key)
        if found is None:
            if len(self.units) > 100_000:
                self.units.clear()
            found = self.units[key] = read_unit(items, self.lex, context)
        return found

    def items(self, words: list[str]) -> tuple[list[Item], int]:
        """The longest known phrase at each position; unknown words are counted and dropped."""
        phrases, longest, texts = self.lex.phrases, self.lex.longest, self.lex.texts
        items: list[Item] = []
        part = unknown = i = 0
        n = len(words)
        while i < n:
            word = words[i]
            if word == SEP or word == "and":
                part += 1
                i += 1
                continue
            reach = longest.get(word, 0)
            if reach == 1:  # most words: no longer phrase starts with them
                items.append(Item(texts[(word,)], phrases[(word,)], part))
                i += 1
                continue
            for size in range(min(reach, n - i), 0, -1):
                key = tuple(words[i : i + size])
                entries = phrases.get(key)
                if entries is not None:
                    items.append(Item(texts[key], entries, part))
                    i += size
                    break
            else:
                unknown += 1
                items.append(Item(word, (UNKNOWN,), part))
                i += 1
        return items, unknown


def _rank_of(unit: Unit) -> int:
    return LEVEL_INDEX[unit.level] if unit.level is not None else len(LEVEL_INDEX)


def combine(
    title: str, units: list[Unit], lex: Lexicon, content: int, unknown: int
) -> Classification:
    """One classification from the units.

    The level is the highest any unit states. The *lead* unit is the one that sets it, board
    seats giving way to any operating role ("Chairman and CEO" is led by the CEO); the main
    function and the superior come from the lead, the other functions follow in title order.
    """
    catalog = lex.catalog
    if len(units) == 1 and len(units[0].roles) < 2:  # most titles: the same answer, sooner
        unit = units[0]
        one = tuple(r for r, _ in unit.roles)
        areas = tuple(dict.fromkeys((*unit.areas, *unit.extra_areas))) if unit.areas else ()
        under = unit.under
        if under is None and one:
            under = catalog.roles[one[0]].reports_to
        return _finish(title, unit.level, one, areas, under, units, content, unknown)
    levels = [u.level for u in units if u.level is not None]
    level = min(levels, key=LEVEL_INDEX.__getitem__) if levels else None
    named: dict[str, tuple[int, int]] = {}
    for unit in units:
        for role_id, role_level in unit.roles:
            named.setdefault(role_id, (LEVEL_INDEX[role_level], len(named)))

    def above(role_id: str) -> int:
        return sum(1 for r in lex.superiors[role_id] if r in named)

    def order(role_id: str) -> tuple[int, int, int]:
        return (named[role_id][0], above(role_id), named[role_id][1])

    roles = tuple(sorted(named, key=order))
    operating = [u for u in units if not u.board] or units
    lead = min(operating, key=lambda u: (_rank_of(u), u.fallback))
    ordered = [lead, *(u for u in operating if u is not lead), *(u for u in units if u.board)]
    ordered = [u for u in ordered if u in operating or u.board]
    real = [u for u in ordered if u.areas and not u.fallback]
    functions = tuple(
        dict.fromkeys(a for u in (real or ordered) for a in (*u.areas, *u.extra_areas) if u.areas)
    )
    top = [u for u in operating if _rank_of(u) == _rank_of(lead)]
    top_roles = [r for u in top if u.under is None for r, _ in u.roles]
    top_roles = [r for r in top_roles if named[r][0]] or top_roles  # a seat's superior last
    if lead.under is None and top_roles:
        reports_into = catalog.roles[min(top_roles, key=order)].reports_to
    else:
        reports_into = lead.under
        if reports_into is None:
            reports_into = next((u.under for u in sorted(units, key=_rank_of) if u.under), None)
    return _finish(title, level, roles, functions, reports_into, units, content, unknown)


def _finish(
    title: str,
    level: str | None,
    roles: tuple[str, ...],
    functions: tuple[str, ...],
    reports_into: str | None,
    units: list[Unit],
    content: int,
    unknown: int,
) -> Classification:
    qualifiers = tuple(dict.fromkeys(q for u in units for q in u.qualifiers))
    matched = tuple(dict.fromkeys(m for u in units for m in u.matched))
    if level is None and not functions:
        why = f"no level or function recognised in {title.strip()!r}"
        return Classification(title, None, (), None, (), None, qualifiers, 0.0, matched, why[:200])
    known = content / (content + unknown)
    score = 0.95 if roles else 0.85 if level and functions else 0.6
    if any(u.undecided for u in units):
        score -= 0.2
    confidence = round(score * (0.6 + 0.4 * known), 2)
    function = functions[0] if functions else None
    return Classification(
        title,
        function,
        functions,
        level,
        roles,
        reports_into,
        qualifiers,
        confidence,
        matched,
        None,
    )
