"""How a title is spelt into words: separators, abbreviations, cut-off and mistyped words.

Titles and the vocabulary's own names go through the same reading, so that "Sr. VP", "SVP" and
"Senior Vice President" meet. ASCII text (nearly every title) is split with str.translate; other
text (accents, Chinese, Japanese) with one regular expression, which the ASCII split mirrors.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import re

SEP = ","  # every separator becomes this word
# Longer words are not looked at for typos: no title word is this long, and a megabyte-long
# "word" must not cost a megabyte of deletions.
MAX_TYPO = 24
_CJK = "\u3400-\u9fff\uf900-\ufaff"
# The word pattern (compiled for the first non-ASCII text: importing costs no `re`): separators,
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


class Spelling:
    """The spelling tables of one vocabulary, and the memo of words already fixed."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        import re

        # Compiled when first needed: a single title, the common case of the CLI, mostly
        # needs none of them, and compiling them costs more than reading the title.
        self._noise_pattern = "|".join(f"(?:{p})" for p in doc.get("noise", ())) or "(?!)"
        marks = "|".join(map(re.escape, doc.get("noise_marks", ()))) or "(?!)"
        self.noise_marks = re.compile(marks)
        self._noise: re.Pattern[str] | None = None
        self._token: re.Pattern[str] | None = None  # for the first non-ASCII text
        self._initial: re.Pattern[str] | None = None  # for the first text with a dot
        self.abbreviations = {k: tuple(v.split()) for k, v in doc.get("abbreviations", {}).items()}
        self.ambiguous = {k: tuple(v) for k, v in doc.get("ambiguous_abbreviations", {}).items()}
        self.chief = frozenset(doc.get("chief_words", ()))
        self.officer = frozenset(doc.get("officer_nouns", ()))
        self.and_words = frozenset(doc.get("and_words", ()))
        # Spelt when first needed: spelling the Chinese and Japanese ones compiles TOKEN.
        self._chief_tokens: set[tuple[str, ...]] | None = None
        # Filled by the subclass once its phrases are known: every word it knows, and those
        # read as they are (neither an abbreviation nor ambiguous).
        self.known: set[str] = set()
        self.plain: set[str] = set()
        self.fixes: dict[str, str] = {}  # unknown word -> the known word it was (or itself)
        self.singular: dict[str, str] = {}  # a known plural -> its singular ("directors")
        self._completions: dict[str, str] | None = None
        self._typos: dict[str, set[str]] | None = None
        self._preferred: set[str] = set()
        self._heads: tuple[str, ...] = tuple(doc.get("compound_heads", ()))
        self._compound_heads: tuple[str, ...] | None = None
        self._openers: set[str] | None = None

    @property
    def chief_tokens(self) -> set[tuple[str, ...]]:
        """The chief words ("chief", "首席"...) spelt as titles are."""
        if self._chief_tokens is None:
            self._chief_tokens = {tuple(self.tokens(c)) for c in self.chief}
        return self._chief_tokens

    @property
    def compound_heads(self) -> tuple[str, ...]:
        """The vocabulary's compound_heads spelt as titles are: Hangul syllables, for one,
        come apart into their letters (and a head that is not one word then is no head)."""
        if self._compound_heads is None:
            heads = (self.tokens(h) for h in self._heads)
            self._compound_heads = tuple(h[0] for h in heads if len(h) == 1)
        return self._compound_heads

    def denoised(self, text: str) -> str:
        """The text without footnote marks and filing remarks (the vocabulary's noise)."""
        if not self.noise_marks.search(text):
            return text
        if self._noise is None:
            import re

            self._noise = re.compile(self._noise_pattern)
        return self._noise.sub(" ", text)

    def initials(self, text: str) -> str:
        """`v.p.` -> `vp`: a single letter's dot goes, so that the letters join."""
        if self._initial is None:
            import re

            self._initial = re.compile(INITIAL)
        return self._initial.sub(r"\1", text)

    def preferred(self) -> set[str]:
        """Words that win where a cut-off or mistyped word could be several: none here."""
        return set()

    def typo_targets(self) -> set[str]:
        """Words a mistyped word may be read as: here, every known word."""
        return self.known

    def fix(self, word: str) -> str:
        """An unknown word as the known word it most likely was: cut off by a filing ("Accoun",
        "Offic"), or mistyped by one letter ("Cheif", "Directer", "Mangaer"); else itself.

        The tables are built on the first unknown word, so a title of known words never pays.
        """
        if self._completions is None:
            self._preferred = self.preferred()
            self._completions = _completions(self.known, self._preferred)
        found = self._completions.get(word)
        if found is None:
            found = self._plural(word) or self._compound(word)
        if found is None and 5 <= len(word) <= MAX_TYPO and word.isalpha():
            if self._typos is None:
                self._typos = _typo_index(self.typo_targets())
            candidates: set[str] = set()
            for variant in (word, *_deletes(word)):
                candidates.update(self._typos.get(variant, ()))
            preferred = candidates & self._preferred
            candidates = preferred or candidates
            if len(candidates) == 1:
                found = candidates.pop()
        if len(self.fixes) > 100_000:
            self.fixes.clear()
        self.fixes[word] = found = found or word
        return found

    def _plural(self, word: str) -> str | None:
        """ "Directors", "Co-CEOs", "Secretaries", "Chairmen": the known word it is a plural of."""
        if word.endswith("ies") and word[:-3] + "y" in self.known:
            return word[:-3] + "y"
        if word.endswith("men") and word[:-3] + "man" in self.known:
            return word[:-3] + "man"
        if word.endswith("s") and not word.endswith("ss") and word[:-1] in self.known:
            return word[:-1]
        return None

    def compound_words(self) -> set[str]:
        """Words that may open a compound ("Vertrieb" in "Vertriebsleiter"): none here."""
        return set()

    def _compound(self, word: str) -> str | None:
        """ "Vertriebsleiter" -> "vertrieb leiter": a German or Dutch compound of a function
        word (with its linking s) and a rank or job noun (the vocabulary's compound_heads)."""
        if self._openers is None:
            self._openers = self.compound_words()
        for head in self.compound_heads:
            if len(word) > len(head) + 1 and word.endswith(head):
                first = word[: -len(head)].rstrip("-")
                for stem in (first, first[:-1] if first.endswith("s") else ""):
                    if stem in self._openers:
                        return f"{stem} {head}"
        return None

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
        if noise:
            text = self.denoised(text)
        text = self.initials(text).translate(_APOSTROPHES)
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
        if noise:
            text = self.denoised(text)
        if "." in text:
            text = self.initials(text)
        text = text.translate(_APOSTROPHES)
        if "-" in text:
            # A dash standing alone, or two or more in a row, separate; a hyphen only joins
            # ("Co-Founder": two words). The same reading as the TOKEN pattern's.
            text = " ".join(SEP if w == "-" else w for w in text.split())
            while "---" in text:
                text = text.replace("---", "--")
            text = text.replace("--", f" {SEP} ")
        and_words = self.and_words
        split = text.translate(_ASCII).split()
        if "&" not in text:
            return [("and" if w in and_words else w) for w in split]
        out: list[str] = []
        for word in split:
            if "&" in word and word not in self.abbreviations:  # "&", "vp&cfo"; not "r&d"
                for k, piece in enumerate(word.split("&")):
                    if k:
                        out.append("and")
                    if piece:
                        out.append("and" if piece in and_words else piece)
            else:
                out.append("and" if word in and_words else word)
        return out

    def guessed(self, tokens: Sequence[str]) -> bool:
        """Whether reading these tokens finished a cut-off word or mended a mistyped one (after
        `expand` has seen them): the reading is then a guess, to be said, never silent."""
        for word in tokens:
            if word in self.plain or word in self.abbreviations or word in self.ambiguous:
                continue
            if word not in self.known and len(word) >= 4 and self.fixes.get(word, word) != word:
                return True
        return False

    def expand(self, tokens: Sequence[str], *, complete: bool = True) -> list[str]:
        """Abbreviations spelled out; with `complete`, cut-off words finished."""
        out: list[str] = []
        plain = self.plain
        for i, word in enumerate(tokens):
            if word in plain:
                out.append(word)
                continue
            found = self.abbreviations.get(word) or self.singular.get(word, "").split() or None
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
                fixed = fixed if fixed is not None else self.fix(word)
                found = self.abbreviations.get(fixed)  # "CFOs", "Dirs": read as spelled out
                out += found if found is not None else fixed.split()
            else:
                out.append(word)
        return out


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
