"""Find roles by what they do: rank roles by how well words match their names and duties."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from whoiswho.errors import NoSearchWordsError
from whoiswho.model import Catalog, Role
from whoiswho.text import STOP_WORDS, fold, stem, words

# A word in a role's names counts for more than one in its summary, and that more than a duty.
WEIGHT_NAME = 3.0
WEIGHT_SUMMARY = 1.5
WEIGHT_DUTY = 1.0


class Hit(NamedTuple):
    role: Role
    score: float
    # The query words that matched, in query order.
    matched: tuple[str, ...]
    # The responsibilities in which a query word matched.
    lines: tuple[str, ...]


# Words that frame a question ("who owns the budget?") rather than name a duty.
QUESTION_WORDS = frozenset(
    "own owns owner owning talk talks talking handle handles handling run runs deal deals "
    "look looks after charge responsible person job role title does doing".split()
)


def query_terms(query: str) -> dict[str, str]:
    """Stem -> the query word it came from; stop words dropped unless nothing else is left."""
    found = words(query)
    content = [w for w in found if w not in STOP_WORDS and w not in QUESTION_WORDS] or found
    terms: dict[str, str] = {}
    for word in content:
        terms.setdefault(stem(word), word)
    return terms


def _prefix(term: str) -> str:
    """The part of a stem every inflection contains (policy -> polic, for policies)."""
    return term[:-1] if term.endswith("y") and len(term) > 3 else term


def _stems(text: str) -> set[str]:
    return {stem(w) for w in words(text)}


def search_text(role: Role) -> str:
    """The folded text a query word must occur in (as a substring) for a role to be scored."""
    blob = "\n".join(
        [role.title, role.abbreviation, *role.names, role.summary, *role.responsibilities]
    )
    return blob.lower() if blob.isascii() else fold(blob)


def search(catalog: Catalog, query: str, limit: int | None = None) -> list[Hit]:
    """Roles that match any query word, best first: more words matched, then a higher score."""
    terms = query_terms(query)
    if not terms:
        raise NoSearchWordsError("give words to search for")
    # A cached catalogue ranks through its index and hands over only the best roles.
    best = catalog.best_matches(terms, limit)
    if best is not None:
        return _ranked(enumerate(best), terms)[:limit]
    prefixes = [_prefix(t) for t in terms]
    # Cheap substring test first: most roles of a large catalogue are never stemmed.
    candidates = catalog.roles_containing(prefixes)
    if candidates is None:
        candidates = (
            (pos, role)
            for pos, role in enumerate(catalog.roles.values())
            if any(p in search_text(role) for p in prefixes)
        )
    hits = _ranked(candidates, terms)
    return hits if limit is None else hits[:limit]


def _ranked(candidates: Iterable[tuple[int, Role]], terms: dict[str, str]) -> list[Hit]:
    ranked: list[tuple[int, float, str, Hit]] = []
    for _position, role in candidates:
        hit = _score(role, terms)
        if hit is not None:
            ranked.append((-len(hit.matched), -hit.score, role.id, hit))
    # Equal coverage and score: alphabetical by id, a tie-break a reader can see.
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked]


def promote(hits: list[Hit], role_ids: Sequence[str]) -> list[Hit]:
    """The hits with those of `role_ids` moved to the front, in that order; the rest keep
    theirs. Only roles the words matched are moved: nothing is added."""
    rank = {role_id: i for i, role_id in enumerate(role_ids)}
    first = sorted((h for h in hits if h.role.id in rank), key=lambda h: rank[h.role.id])
    return first + [h for h in hits if h.role.id not in rank]


def _score(role: Role, terms: dict[str, str]) -> Hit | None:
    """How well one role matches: each term weighs as its best field; duties add per extra line."""
    names = _names(role)
    score = 0.0
    matched: list[str] = []
    lines: dict[str, None] = {}
    for term, word in terms.items():
        weight, in_duties = _weight(role, names, term)
        lines.update(dict.fromkeys(in_duties))
        if weight:
            score += weight
            matched.append(word)
    if not matched:
        return None
    return Hit(role, final_score(score, len(matched), len(terms)), tuple(matched), tuple(lines))


def _names(role: Role) -> str:
    return " ".join([role.title, role.abbreviation, *role.names])


def _weight(
    role: Role, names: str, term: str, has: Callable[[str, str], bool] | None = None
) -> tuple[float, list[str]]:
    """What one term adds to a role's score, and the duties it matched in."""
    has = has or _has
    weight = 0.0
    if has(names, term):
        weight = WEIGHT_NAME
    elif has(role.summary, term):
        weight = WEIGHT_SUMMARY
    in_duties = [d for d in role.responsibilities if has(d, term)]
    if in_duties:
        weight = max(weight, WEIGHT_DUTY) + 0.25 * (len(in_duties) - 1)
    return weight, in_duties


def final_score(total: float, matched: int, terms: int) -> float:
    """The score shown: the matched terms' weights (summed) scaled by the share matched.

    Weights are sums of halves and quarters, exact in binary: any order of adding gives the same
    total, so the cache's index (which sums in SQL) ranks exactly as this module does."""
    return round(total * (matched / terms), 3)


def term_weights(role: Role) -> dict[str, float]:
    """What each stem a query could hold would add to this role's score (for the cache's
    search index; `_weight` decides, so the index and the scan cannot disagree)."""
    names = _names(role)
    seen: dict[str, tuple[str, set[str]]] = {}
    for text in (names, role.summary, *role.responsibilities):
        if text not in seen:
            seen[text] = (text.lower() if text.isascii() else fold(text), _stems(text))

    def has(text: str, term: str) -> bool:  # _has, with each text folded and stemmed once
        folded, stems = seen[text]
        return term in stems and _prefix(term) in folded

    weights = {}
    for term in set().union(*(stems for _, stems in seen.values())):
        weight, _ = _weight(role, names, term, has)
        if weight:
            weights[term] = weight
    return weights


def _has(text: str, term: str) -> bool:
    """Whether one of the text's words stems to `term` (stemming only texts that can hold it)."""
    folded = text.lower() if text.isascii() else fold(text)
    return _prefix(term) in folded and term in _stems(text)


def highlight_stems(query: str) -> set[str]:
    """The stems whose words a human view should highlight."""
    return set(query_terms(query))
