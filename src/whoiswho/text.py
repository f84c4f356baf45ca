"""Text normalisation shared by lookup, search and compare: one definition of "the same word"."""

from __future__ import annotations

import unicodedata

# Every character for which str.isspace() is true (a test keeps this list complete), and the
# dots, hyphens, dashes and underscores people write abbreviations with: `C.F.O.`, `c-f-o` and
# `c f o` all mean `cfo`. str.translate keeps the lookup path free of `re`.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_IGNORED = dict.fromkeys(map(ord, WHITESPACE + "._-\u00b7\u2010\u2011\u2012\u2013\u2014\u2015"))
WORD_PATTERN = r"[^\W_]+"

STOP_WORDS = frozenset(
    """a an and are as at be by for from in into is it its of on or that the their them they this
    to with who what whom which how does do across all any each its our your own other others
    company companys business""".split()
)


# The same for ASCII text, as bytes tables: NFKC leaves ASCII as it is and casefold() lowers it,
# and bytes.translate deletes in one C pass (a cold build keys 150,000 names of 50,000 roles).
_ASCII_LOWER = bytes.maketrans(bytes(range(65, 91)), bytes(range(97, 123)))
_ASCII_IGNORED = bytes(c for c in _IGNORED if c < 128)


def lookup_key(text: str) -> str:
    """The form two names are compared in: NFKC, case-folded, without spaces, dots and hyphens."""
    if text.isascii():
        return text.encode().translate(_ASCII_LOWER, _ASCII_IGNORED).decode()
    return unicodedata.normalize("NFKC", text).casefold().translate(_IGNORED)


def fold(text: str) -> str:
    """Case-fold and drop accents (`Régie` -> `regie`), for full-text matching."""
    if text.isascii():
        return text.lower()  # the common case: nothing to decompose
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A light suffix stripper: budget, budgets, budgeting and budgeted share one stem."""
    found = _STEMMED.get(word)
    if found is None:
        found = _STEMMED[word] = _strip(word)
    return found


# Text repeats its words: a search over 50,000 roles stems millions of words but few distinct ones.
_STEMMED: dict[str, str] = {}


def _strip(word: str) -> str:
    if len(word) <= 3:
        return word
    if word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and word[-2] not in "sui":
        word = word[:-1]
    for suffix, keep in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            word = word[: -len(suffix)]
            # planning -> plan, but staffed -> staff and billed -> bill
            if suffix in ("ing", "ed") and word[-1] == word[-2] and word[-1] not in "lsfz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]  # manage / managing / manager meet at "manag"
    return word


# (suffix, shortest stem left behind), longest first
_SUFFIXES = (
    ("ational", 5),
    ("ization", 5),
    ("ation", 5),
    ("ment", 5),
    ("ing", 3),
    ("er", 4),
    ("ed", 3),
)


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    import re  # not on the lookup path; re caches the compiled pattern

    return re.findall(WORD_PATTERN, fold(text))


def stems(text: str) -> list[str]:
    """The stems of a text's content words (stop words dropped), in order."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


def _escape_char(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


# What is never sent to a terminal as it is: control characters (C0, DEL, C1), format characters
# (zero-width and bidi marks, U+061C, U+2060, U+FEFF, U+180E, the soft hyphen, U+FFF9-FFFB,
# Unicode tags), line and paragraph separators, lone surrogates (which JSON can carry and no
# encoder can write) and private-use characters: they are invisible, reorder or hide text.
ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})
# Tag characters are format characters, but a few in their block are still unassigned (Cn).
_TAGS = range(0xE0000, 0xE0080)


def escaped(char: str) -> bool:
    """Whether printable() shows this character as an escape."""
    return unicodedata.category(char) in ESCAPED_CATEGORIES or ord(char) in _TAGS


def printable(text: str) -> str:
    """Catalogue or user text made safe for a terminal: control characters shown as `\\x1b`."""
    if text.isprintable():
        return text  # the common case: every escaped category is also not printable
    return "".join(_escape_char(c) if escaped(c) else c for c in text)
