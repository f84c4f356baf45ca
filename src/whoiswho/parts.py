"""Where a title divides: parts that stand as titles, with the words that only qualify them.

"VP, Sales and Marketing" is one title naming two functions; "President and CEO" is two
titles; "Chief Financial and Operating Officer" names two officers with one noun.
"""

from __future__ import annotations

from whoiswho.lexicon import FUNC, HEADS, QUAL, RANK, ROLE, STOP, TERM, Entry, Lexicon
from whoiswho.reading import UNKNOWN, Item
from whoiswho.spelling import SEP


def served(items: list[Item]) -> None:
    """ "Executive Assistant to the CEO": a role after "to" is whom the person serves, not a
    role the title names; it only says where the person sits."""
    for k, item in enumerate(items):
        if item.text != "to" or k == 0 or items[k - 1].entries[0].kind not in (TERM, QUAL):
            continue
        after = next((i for i in items[k + 1 :] if i.entries[0].kind != STOP), None)
        if after is not None and after.entries[0].kind == ROLE and after.part == item.part:
            under = after.entries[0].roles[0]
            items[items.index(after)] = after._replace(entries=(Entry(FUNC, under=under),))


def distribute(words: list[str], lex: Lexicon) -> list[str]:
    """ "Chief Financial and Operating Officer" -> "Chief Financial Officer, Chief Operating
    Officer": a chief title whose officer noun comes only after the last of its functions."""
    if lex.chief.isdisjoint(words):
        return words
    out: list[str] = []
    start = 0
    for i, word in enumerate(words):
        if word not in ("and", SEP):
            continue
        left = words[start:i]
        end = next((j for j in range(i + 1, len(words)) if words[j] in ("and", SEP)), len(words))
        right = words[i + 1 : end]
        if (
            left
            and right
            and left[0] in lex.chief
            and not lex.officer.intersection(left)
            and right[-1] in lex.officer
            and right[0] not in lex.chief
        ):
            out += [*left, right[-1], SEP, left[0]]
        else:
            out += [*left, word]
        start = i + 1
    return out + words[start:]


def group(items: list[Item], lex: Lexicon) -> list[list[Item]]:
    """Parts that stand as titles, each with the parts that only qualify it."""
    parts: list[list[Item]] = []
    for item in items:
        if parts and parts[-1][0].part == item.part:
            parts[-1].append(item)
        else:
            parts.append([item])
    units: list[list[Item]] = []
    pending: list[Item] = []
    for part in parts:
        stands = any(i.entries[0].kind in HEADS for i in part)
        if not stands:
            if units:
                units[-1] += part
            else:
                pending += part
            continue
        units.append(pending + part)
        pending = []
    if pending:
        units.append(pending)
    # A rank standing alone before a role is that role's rank ("EVP & CFO", "Sr VP, Gen Counsel").
    merged: list[list[Item]] = []
    for unit in units:
        kinds = {i.entries[0].kind for i in unit}
        if merged and (
            (ROLE in kinds and _bare_rank(merged[-1]))
            # "Managing Director - Head of Technology": the bank rank, not the chief executive
            or (RANK in kinds and ROLE not in kinds and _bare_rank(merged[-1], alone=True))
        ):
            merged[-1] += unit
        else:
            merged.append(unit)
    return merged


def _bare_rank(unit: list[Item], *, alone: bool = False) -> bool:
    """A rank with nothing of its own ("EVP" in "EVP & CFO"), which a following role takes;
    with `alone`, one whose bare reading is a role or a level (Director, Managing Director)."""
    kinds = {i.entries[0].kind for i in unit if i.entries[0] is not UNKNOWN}
    ranks = [i.entries[0].rank for i in unit if i.entries[0].kind == RANK]
    return (
        bool(ranks)
        and kinds <= {RANK, QUAL, STOP}
        and all(
            r is not None and bool({"role", "level"} & set(r.alone or ())) == alone for r in ranks
        )
    )
