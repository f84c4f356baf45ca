"""The vocabulary and a catalogue's role names, compiled once into the tables the classifier reads.

Every phrase (a rank, a role's name, a function word, a qualifier...) is read into words the way
a title is (spelling.py) and filed in one dict, so that the classifier looks up the longest known
phrase at each position of a title with one dict lookup per length.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from whoiswho.model import Catalog, Role, meaning_order
from whoiswho.spelling import SEP, Spelling
from whoiswho.vocabulary import Rank, Vocabulary

# Kinds of entry, in the order a phrase's readings are tried.
ROLE, RANK, TERM, FUNC, QUAL, PLACE, CHIEF, STOP = range(8)
HEADS = frozenset((ROLE, RANK, TERM, CHIEF))


class Entry(NamedTuple):
    """One reading of a phrase."""

    kind: int
    level: str | None = None
    area: str | None = None
    under: str | None = None
    roles: tuple[str, ...] = ()  # ROLE: candidate ids, most common meaning first
    rank: Rank | None = None
    qualifier: str | None = None
    seat: bool = False  # a board seat
    modifier: bool = False  # only describes a following job noun
    demote: bool = False  # QUAL: the person works under the role it qualifies (deputy, assistant)


class Tables(NamedTuple):
    """What compiling a (vocabulary, catalogue) pair makes: everything the classifier looks up
    that depends on every phrase at once (compiled.py ships them for the bundled pair)."""

    phrases: dict[tuple[str, ...], tuple[Entry, ...]]  # phrase words -> readings, likeliest first
    texts: dict[tuple[str, ...], str]  # phrase words -> the phrase as `matched` shows it
    longest: dict[str, int]  # first word -> the most words a phrase starting with it has
    known: set[str]
    singular: dict[str, str]
    plain: set[str]


class Lexicon(Spelling):
    """Compiled tables for one (vocabulary, catalogue) pair."""

    def __init__(
        self, vocabulary: Vocabulary, catalog: Catalog, tables: Tables | None = None
    ) -> None:
        """Compile the pair's tables, or take `tables`, compiled earlier from the same pair."""
        doc = vocabulary.doc
        self.catalog = catalog
        self.vocabulary = vocabulary
        # role id -> the ids above it, worked out for the roles a title names, when it names
        # them: every role's line up front cost seconds in a catalogue of 50,000 roles.
        self.superiors = _Superiors(catalog)
        Spelling.__init__(self, doc)
        self.unit_roles = dict(doc.get("unit_roles", {}))
        self.deputy_levels = dict(doc.get("deputy_levels", {}))
        self.role_levels = dict(doc.get("role_levels", {}))
        # The function a role's title is read as, where the labelling rules differ from the
        # catalogue's area (Chief AI Officer: data).
        role_areas = doc.get("role_areas", {})
        self.areas = {i: role_areas.get(i, r.area) for i, r in catalog.roles.items()}
        if tables is not None:
            self.phrases, self.texts, self.longest, self.known, self.singular, self.plain = tables
            return
        phrases: dict[tuple[str, ...], list[Entry]] = {}
        self.phrases = {}
        self._building = phrases
        self.longest = {}
        roles = catalog.roles
        rank_phrases = set()
        for rank in vocabulary.ranks:
            for name in rank.names:
                entry = Entry(RANK, rank.level, rank=rank, modifier=rank.modifier)
                rank_phrases.add(self._add(name, entry))
        self._add_roles(catalog.roles.values(), rank_phrases | self._decorated(doc, catalog))
        for term in doc.get("terms", ()):
            role = term.get("role")
            for name in term["names"]:
                if role in roles:
                    area, under = self.areas[role], roles[role].reports_to
                    self._add(name, Entry(ROLE, term["level"], area, under, (role,)))
                elif role is None:
                    self._add(name, _term(term, roles))
        for function in doc.get("functions", ()):
            under = function["under"] if function["under"] in roles else None
            for name in function["names"]:
                self._add(name, Entry(FUNC, area=function["area"], under=under))
        for qualifier in doc.get("qualifiers", ()):
            entry = Entry(QUAL, qualifier=qualifier["id"], demote=qualifier.get("demote", False))
            for name in qualifier["names"]:
                self._add(name, entry)
        for name in doc.get("places", ()):
            self._add(name, Entry(PLACE, qualifier="regional"))
        for name in self.chief:
            self._add(name, Entry(CHIEF))
        for name in doc.get("stop_words", ()):
            self._add(name, Entry(STOP))
        self.phrases = {
            words: tuple(sorted(_unique(entries), key=lambda e: e.kind))
            for words, entries in phrases.items()
        }
        self.phrases.pop(("and",), None)  # "and" joins two titles, it is never a phrase
        # Each phrase as text, for `matched`: Chinese and Japanese characters run together.
        self.texts = {
            words: "".join(words) if all(w >= "\u3000" for w in words) else " ".join(words)
            for words in self.phrases
        }
        self.known = {w for phrase in self.phrases for w in phrase}
        self.known.update(self.abbreviations, self.ambiguous, ("and", SEP))
        self._singulars()
        # Words read as they are: known, and neither an abbreviation nor ambiguous.
        self.plain = self.known.difference(self.abbreviations, self.ambiguous, self.singular)

    def tables(self) -> Tables:
        return Tables(self.phrases, self.texts, self.longest, self.known, self.singular, self.plain)

    def _singulars(self) -> None:
        """Plurals known only inside a longer phrase ("Directors" in "Board of Directors") are
        read as their singular ("Executive Directors"); each phrase holding one is filed under
        its singular too, so that "Board of Directors" still reads as one phrase."""
        for word in self.known:
            if len(word) >= 4 and (word,) not in self.phrases and word not in self.abbreviations:
                stem = self._plural(word)
                if stem is not None and word not in self.ambiguous:
                    self.singular[word] = stem
        for words in [w for w in self.phrases if not self.singular.keys().isdisjoint(w)]:
            alias = tuple(self.singular.get(w, w) for w in words)
            if alias not in self.phrases:
                self.phrases[alias] = self.phrases[words]
                self.texts[alias] = self.texts[words]
                self.longest[alias[0]] = max(self.longest.get(alias[0], 0), len(alias))

    def _add(self, name: str, entry: Entry) -> tuple[str, ...]:
        words = self._name_words(name)
        if not words or SEP in words:
            return words
        self._building.setdefault(words, []).append(entry)
        if len(words) > self.longest.get(words[0], 0):
            self.longest[words[0]] = len(words)
        return words

    def _name_words(self, name: str) -> tuple[str, ...]:
        """A vocabulary name read as a title is (without completion): most names are plain
        lowercase words, read here without the tokeniser, which keeps compiling cheap."""
        if name.isascii() and name.replace(" ", "").isalpha():
            words = name.lower().split()
            if self.ambiguous.keys().isdisjoint(words):
                out: list[str] = []
                for word in words:
                    found = self.abbreviations.get(word)
                    if found is not None:
                        out += found
                    else:
                        out.append("and" if word in self.and_words else word)
                return tuple(out)
        return tuple(self.expand(self.tokens(name), complete=False))

    def _decorated(self, doc: Mapping[str, Any], catalog: Catalog) -> set[tuple[str, ...]]:
        """Role names that are a decoration of another role, read as the decoration: a founder
        holds no job by that word (Co-founder), a deputy works under the role (Deputy CEO)."""
        founder = {
            self._name_words(name)
            for q in doc.get("qualifiers", ())
            if q["id"] == "founder"
            for name in q["names"]
        }
        demote = {
            self._name_words(name)
            for q in doc.get("qualifiers", ())
            if q.get("demote")
            for name in q["names"]
        }
        names = {
            self._name_words(name)
            for r in catalog.roles.values()
            for name in (r.title, r.abbreviation, *r.names)
        }
        out = set(founder)
        for words in names:
            for k in range(1, len(words)):
                if words[:k] in demote and words[k:] in names:
                    out.add(words)
        return out

    def _add_roles(self, roles: Iterable[Role], rank_phrases: set[tuple[str, ...]]) -> None:
        """Each role's title, abbreviation, Chinese title and other names, as role readings.

        Names that carry a rank ("VP of Product", "Head of People", "Finance Director") are left
        to the rank rules: a VP of Product is a vice president in the product function, under
        the chief product officer, not that officer. Board roles keep theirs ("Lead Director").
        """
        found: dict[tuple[str, ...], dict[str, tuple[Role, str]]] = {}
        doc = self.vocabulary.doc
        # Function words, each with the single words of its group ("financial": "finance"...).
        groups: dict[str, list[str]] = {}
        for function in doc.get("functions", ()):
            single = [n for n in function["names"] if " " not in n]
            for word in single:
                groups.setdefault(word, []).extend(single)
        job_nouns = {
            n for t in doc.get("terms", ()) if t.get("level") == "other" for n in t["names"]
        }
        for role in sorted(roles, key=meaning_order):
            board = self.role_levels.get(role.id) == "board"
            chief_title = self.chief_form(self.expand(self.tokens(role.title), complete=False))
            names = [role.title, role.abbreviation, *([role.zh] if role.zh else []), *role.names]
            for name in names:
                words = self._name_words(name)
                if not words or SEP in words or (not board and _holds(words, rank_phrases)):
                    continue
                variants = [words]
                if self.chief_form(words) or (name == role.abbreviation and chief_title):
                    level = "c_level"
                    if len(words) == 3:  # "Chief Finance Officer" is the Chief Financial Officer
                        related = (w for w in groups.get(words[1], ()) if _related(w, words[1]))
                        variants += [(words[0], w, words[2]) for w in related]
                elif words[-1] in job_nouns and words[0] in groups:
                    level = "other"  # "Privacy Officer", "Privacy Counsel": not a chief one
                else:
                    level = self.role_levels.get(role.id, "head_or_director")
                for variant in variants:
                    found.setdefault(variant, {}).setdefault(role.id, (role, level))
        for words, by_id in found.items():
            ids = tuple(by_id)
            level = min((lv for _, lv in by_id.values()), key=LEVEL_INDEX.__getitem__)
            first = by_id[ids[0]][0]
            entry = Entry(ROLE, level, self.areas[first.id], first.reports_to, ids)
            self._building.setdefault(words, []).append(entry)
            if len(words) > self.longest.get(words[0], 0):
                self.longest[words[0]] = len(words)

    def typo_targets(self) -> set[str]:
        """Only title words (roles, ranks, job nouns, functions) take in mistyped words: a
        common word one letter from a qualifier ("stage", "state") is more likely itself."""
        kinds = (ROLE, RANK, TERM, FUNC, CHIEF)
        return {
            word
            for words, entries in self.phrases.items()
            if any(e.kind in kinds for e in entries)
            for word in words
        }

    def compound_words(self) -> set[str]:
        """Function words that open a compound title word ("Personal" in "Personalleiter")."""
        return {w[0] for w, es in self.phrases.items() if len(w) == 1 and es[0].kind == FUNC}

    def preferred(self) -> set[str]:
        """Words of the roles' own titles: where a cut-off word could end several ways, these win
        ("Chief Accoun Off" is the accounting officer, not an account officer)."""
        words: set[str] = set()
        for role in self.catalog.roles.values():
            words.update(self.expand(self.tokens(role.title), complete=False))
        return words


LEVEL_INDEX = {
    level: i
    for i, level in enumerate(
        ("board", "c_level", "evp", "svp", "vp", "head_or_director", "manager", "other")
    )
}


def _term(term: Mapping[str, Any], roles: Mapping[str, Role]) -> Entry:
    return Entry(
        TERM,
        level=term["level"],
        area=term.get("area"),
        under=term["under"] if term.get("under") in roles else None,
        qualifier=term.get("qualifier"),
        seat=bool(term.get("seat", False)),
        modifier=bool(term.get("modifier", False)),
    )


def _related(a: str, b: str) -> bool:
    """Two spellings of one word: "finance" and "financial", "administrative" and "admin"."""
    short, long = sorted((a, b), key=len)
    return a != b and len(short) >= 3 and long.startswith(short[: max(3, len(short) - 2)])


def _unique(entries: Iterable[Entry]) -> list[Entry]:
    out: list[Entry] = []
    for entry in entries:
        if entry not in out:
            out.append(entry)
    return out


def _holds(words: tuple[str, ...], phrases: set[tuple[str, ...]]) -> bool:
    n = len(words)
    return any(words[i:j] in phrases for i in range(n) for j in range(i + 1, n + 1))


class _Superiors(dict[str, tuple[str, ...]]):
    """role id -> ids of the roles above it, computed on first use."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog

    def __missing__(self, role_id: str) -> tuple[str, ...]:
        line = self.catalog.reporting_line(self.catalog.role(role_id))
        found = self[role_id] = tuple(r.id for r in line[1:])
        return found
