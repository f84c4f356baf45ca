"""The vocabulary and a catalogue's role names, compiled once into the tables the classifier reads.

A title becomes words (one compiled regular expression), abbreviations are expanded, cut-off words
completed, and the longest known phrase at each position is looked up in one dict.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from whoiswho.model import Catalog, Role, meaning_order
from whoiswho.vocabulary import Rank, Vocabulary

# Kinds of entry, in the order a phrase's readings are tried.
ROLE, RANK, TERM, FUNC, QUAL, PLACE, CHIEF, STOP = range(8)
HEADS = frozenset((ROLE, RANK, TERM, CHIEF))
SEP = ","  # every separator becomes this word

_CJK = "\u3400-\u9fff\uf900-\ufaff"
# The word pattern (compiled with the first Lexicon, so that importing costs no `re`): separators,
# `r&d`-style words, Chinese and Japanese characters one by one, and runs of other letters.
TOKEN = (
    rf"(?P<amp>[^\W_]{{1,3}}&[^\W_]{{1,3}}(?![^\W_]))"
    rf"|(?P<sep>[,;/|+()\[\]{{}}:\u2013\u2014\u2015\u3001]|(?<!\S)-(?!\S)|--+)"
    rf"|(?P<and>&)|(?P<cjk>[{_CJK}])|(?P<word>[^\W_{_CJK}]+)"
)
# A single letter and its dot (`v.p.`, `c.f.o.`): the dot goes, so the letters join.
INITIAL = r"(?<![^\W_])([^\W\d_])\."
_APOSTROPHES = str.maketrans({"'": None, "\u2019": None, "`": None, ".": " "})
# The same reading for ASCII text, without the regular expression: each separator becomes a
# word of its own, apostrophes go, other punctuation splits words. `&` is looked at word by word.
_ASCII: dict[int, str | None] = dict.fromkeys(map(ord, '!"#$%*-.<=>?@\\^_~'), " ")
_ASCII.update(dict.fromkeys(map(ord, ",;/|+()[]{}:"), f" {SEP} "))
_ASCII.update({ord("'"): None, ord("`"): None})


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


class Lexicon:
    """Compiled tables for one (vocabulary, catalogue) pair."""

    def __init__(self, vocabulary: Vocabulary, catalog: Catalog) -> None:
        doc = vocabulary.doc
        self.catalog = catalog
        self.vocabulary = vocabulary
        self.superiors = {
            role.id: tuple(r.id for r in catalog.reporting_line(role)[1:])
            for role in catalog.roles.values()
        }
        import re

        noise = "|".join(f"(?:{p})" for p in doc.get("noise", ())) or "(?!)"
        self.noise = re.compile(noise)
        marks = "|".join(map(re.escape, doc.get("noise_marks", ()))) or "(?!)"
        self.noise_marks = re.compile(marks)
        self.plain: set[str] = set()  # filled once the phrases are known; see below
        self._token: re.Pattern[str] | None = None  # compiled for the first non-ASCII text
        self.initial = re.compile(INITIAL)
        self.abbreviations = {k: tuple(v.split()) for k, v in doc.get("abbreviations", {}).items()}
        self.ambiguous = {k: tuple(v) for k, v in doc.get("ambiguous_abbreviations", {}).items()}
        self.chief = frozenset(doc.get("chief_words", ()))
        self.officer = frozenset(doc.get("officer_nouns", ()))
        self.unit_roles = dict(doc.get("unit_roles", {}))
        self.deputy_levels = dict(doc.get("deputy_levels", {}))
        self.and_words = frozenset(doc.get("and_words", ()))
        self.chief_tokens = {tuple(self.tokens(c)) for c in self.chief}
        self.role_levels = dict(doc.get("role_levels", {}))
        phrases: dict[tuple[str, ...], list[Entry]] = {}
        self.phrases: dict[tuple[str, ...], tuple[Entry, ...]] = {}
        self._building = phrases
        self.longest: dict[str, int] = {}
        roles = catalog.roles
        rank_phrases = set()
        for rank in vocabulary.ranks:
            for name in rank.names:
                entry = Entry(RANK, rank.level, rank=rank, modifier=rank.modifier)
                rank_phrases.add(self._add(name, entry))
        self._add_roles(catalog.roles.values(), rank_phrases)
        for term in doc.get("terms", ()):
            role = term.get("role")
            for name in term["names"]:
                if role in roles:
                    r = roles[role]
                    self._add(name, Entry(ROLE, term["level"], r.area, r.reports_to, (role,)))
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
        # Words read as they are: known, and neither an abbreviation nor ambiguous.
        self.plain = self.known.difference(self.abbreviations, self.ambiguous)
        self.fixes: dict[str, str] = {}  # unknown word -> the known word it was (or itself)
        self._completions: dict[str, str] | None = None
        self._typos: dict[str, set[str]] | None = None

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
        if name.isascii() and name.replace(" ", "").isalpha() and name.islower():
            words = name.split()
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
            entry = Entry(ROLE, level, first.area, first.reports_to, ids)
            self._building.setdefault(words, []).append(entry)
            if len(words) > self.longest.get(words[0], 0):
                self.longest[words[0]] = len(words)

    def fix(self, word: str) -> str:
        """An unknown word as the known word it most likely was: cut off by a filing ("Accoun",
        "Offic"), or mistyped by one letter ("Cheif", "Directer", "Mangaer"); else itself.

        The tables are built on the first unknown word, so a title of known words never pays.
        """
        if self._completions is None:
            self._completions = _completions(self.known, self._preferred())
        found = self._completions.get(word)
        if found is None and len(word) >= 5 and word.isalpha():
            if self._typos is None:
                self._typos = _typo_index(self.known)
            candidates: set[str] = set()
            for variant in (word, *_deletes(word)):
                candidates.update(self._typos.get(variant, ()))
            preferred = candidates & self._preferred_words
            candidates = preferred or candidates
            if len(candidates) == 1:
                found = candidates.pop()
        if len(self.fixes) > 100_000:
            self.fixes.clear()
        self.fixes[word] = found = found or word
        return found

    def _preferred(self) -> set[str]:
        """Words of the roles' own titles: where a cut-off word could end several ways, these win
        ("Chief Accoun Off" is the accounting officer, not an account officer)."""
        words: set[str] = set()
        for role in self.catalog.roles.values():
            words.update(self.expand(self.tokens(role.title), complete=False))
        self._preferred_words = words
        return words

    def chief_form(self, words: Sequence[str]) -> bool:
        """A C-suite title ("Chief ... Officer", "Chief ... Executive"), not a department head."""
        return (
            len(words) > 1
            and any(tuple(words[: len(c)]) == c for c in self.chief_tokens)
            and words[-1] in self.officer
        )

    def tokens(self, text: str, *, noise: bool = False) -> list[str]:
        """Words and separators of a text, case-folded; `&` and a lone "and" both read "and".

        With `noise`, footnote marks and filing remarks go first. ASCII text (nearly every
        title) is split with str.translate, the rest with the TOKEN expression.
        """
        if text.isascii():
            return self._ascii_tokens(text.lower(), noise)
        # Accents go: "Président-directeur général" reads as if written in ASCII.
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
        return self._regex_tokens(text, noise)

    def _regex_tokens(self, text: str, noise: bool) -> list[str]:
        if noise and self.noise_marks.search(text):
            text = self.noise.sub(" ", text)
        text = self.initial.sub(r"\1", text).translate(_APOSTROPHES)
        out: list[str] = []
        if self._token is None:
            import re

            self._token = re.compile(TOKEN)
        for match in self._token.finditer(text):
            group = match.lastgroup
            if group == "sep":
                out.append(SEP)
            elif group == "and":
                out.append("and")
            elif group == "amp" and match.group() not in self.abbreviations:
                for k, piece in enumerate(match.group().split("&")):
                    if k:
                        out.append("and")
                    out.append("and" if piece in self.and_words else piece)
            elif match.group() in self.and_words:
                out.append("and")
            else:
                out.append(match.group())
        return out

    def _ascii_tokens(self, text: str, noise: bool) -> list[str]:
        if noise and self.noise_marks.search(text):
            text = self.noise.sub(" ", text)
        if "." in text:
            text = self.initial.sub(r"\1", text)
        text = text.translate(_APOSTROPHES)
        if "-" in text:
            # A dash standing alone, or two or more in a row, separate; a hyphen only joins
            # ("Co-Founder": two words). The same reading as the TOKEN pattern's.
            text = " ".join(SEP if w == "-" else w for w in text.split())
            while "---" in text:
                text = text.replace("---", "--")
            text = text.replace("--", f" {SEP} ")
        split = text.translate(_ASCII).split()
        if "&" not in text:
            return [("and" if w in self.and_words else w) for w in split]
        out: list[str] = []
        for word in split:
            self._ascii_word(word, out)
        return out

    def _ascii_word(self, word: str, out: list[str]) -> None:
        if "&" in word and word not in self.abbreviations:
            for k, piece in enumerate(word.split("&")):
                if k:
                    out.append("and")
                if piece:
                    out.append("and" if piece in self.and_words else piece)
        else:
            out.append("and" if word in self.and_words else word)

    def expand(self, tokens: Sequence[str], *, complete: bool = True) -> list[str]:
        """Abbreviations spelled out; with `complete`, cut-off words finished."""
        out: list[str] = []
        plain = self.plain
        for i, word in enumerate(tokens):
            if word in plain:
                out.append(word)
                continue
            found = self.abbreviations.get(word)
            if found is not None:
                out += found
                continue
            pair = self.ambiguous.get(word)
            if pair is not None:
                after = tokens[i + 1] if i + 1 < len(tokens) else ""
                after = self.abbreviations.get(after, (after,))[0]
                function = (out and out[-1] in self.chief | {"principal"}) or after in self.officer
                out.append(pair[1] if function else pair[0])
            elif complete and word not in self.known and len(word) >= 4:
                fixed = self.fixes.get(word)
                out.append(fixed if fixed is not None else self.fix(word))
            else:
                out.append(word)
        return out


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


def _deletes(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def _typo_index(known: set[str]) -> dict[str, set[str]]:
    """Each known word (5 letters or more) under itself and every one-letter deletion of it:
    two words sharing an entry are one edit apart (a letter dropped, added, changed or two
    swapped), the symmetric-delete way."""
    index: dict[str, set[str]] = {}
    for word in known:
        if len(word) >= 5 and word.isalpha():
            for variant in (word, *_deletes(word)):
                index.setdefault(variant, set()).add(word)
    return index


def _completions(known: set[str], preferred: set[str]) -> dict[str, str]:
    """Each prefix (4 letters or more) of a known word that is not a word itself -> the word it
    most likely was cut from: a role-title word first, then the shortest."""
    candidates: dict[str, list[str]] = {}
    for word in known:
        for k in range(4, len(word)):
            prefix = word[:k]
            if prefix not in known:
                candidates.setdefault(prefix, []).append(word)
    return {
        prefix: min(words, key=lambda w: (w not in preferred, len(w), w))
        for prefix, words in candidates.items()
    }
