"""How one unit of a title (a part that stands as a title, with what qualifies it) is read."""

from __future__ import annotations

from typing import NamedTuple

from whoiswho.lexicon import (
    CHIEF,
    FUNC,
    HEADS,
    LEVEL_INDEX,
    PLACE,
    QUAL,
    RANK,
    ROLE,
    STOP,
    TERM,
    Entry,
    Lexicon,
)

UNKNOWN = Entry(STOP, qualifier="?")
HEAD = "head_or_director"
# A qualifier that gives a bare rank a scope: a "Regional Director" heads a region, not a board
# seat; a "CFO, Americas" sits under the group's CFO.
REGIONAL = "regional"
# Qualifiers that make a president the head of a unit rather than of the company.
UNIT_SCOPES = frozenset({"regional", "group", "global", "executive"})


class Item(NamedTuple):
    text: str
    entries: tuple[Entry, ...]  # the phrase's readings, most likely first
    part: int  # which separator-delimited part of the title it came from


class Unit(NamedTuple):
    level: str | None
    roles: tuple[tuple[str, str], ...]  # (role id, level the name states)
    areas: tuple[str, ...]
    extra_areas: tuple[str, ...]  # the other meanings of an undecided abbreviation
    under: str | None
    qualifiers: tuple[str, ...]
    matched: tuple[str, ...]
    board: bool
    undecided: bool
    fallback: bool  # areas only from a bare rank's default ("Vice President" -> executive)


def choose(items: list[Item]) -> list[tuple[Item, Entry]]:
    """One reading per phrase. A modifier ("Principal", "Lead", "Partner", "Associate") before
    another job noun in the same part only describes it: it becomes a qualifier or a function."""
    chosen: list[tuple[Item, Entry]] = []
    for k, item in enumerate(items):
        entry = item.entries[0]
        if entry.modifier:
            later = [e for i in items[k + 1 :] if i.part == item.part for e in i.entries[:1]]
            if any(e.kind in HEADS for e in later):
                alt = next((e for e in item.entries[1:] if e.kind in (QUAL, FUNC)), None)
                if alt is None:
                    continue
                entry = alt
            elif any(e.kind == FUNC for e in later):
                entry = next((e for e in item.entries[1:] if e.kind == FUNC), entry)
        chosen.append((item, entry))
    return chosen


def best(levels: list[str]) -> str | None:
    return min(levels, key=LEVEL_INDEX.__getitem__) if levels else None


def read_unit(items: list[Item], lex: Lexicon, elsewhere: frozenset[str] = frozenset()) -> Unit:
    """Level, roles, functions and superior of one unit; see classify.py for the rules."""
    catalog = lex.catalog
    chosen = choose(items)
    by_kind: dict[int, list[tuple[Item, Entry]]] = {}
    for item, entry in chosen:
        by_kind.setdefault(entry.kind, []).append((item, entry))
    roles_in = by_kind.get(ROLE, [])
    ranks = [e for _, e in by_kind.get(RANK, [])]
    terms = [e for _, e in by_kind.get(TERM, [])]
    funcs = [e for _, e in by_kind.get(FUNC, [])]
    quals = [e for _, e in by_kind.get(QUAL, [])] + [e for _, e in by_kind.get(PLACE, [])]
    unknown = any(e is UNKNOWN for _, e in chosen)
    qualifiers = [e.qualifier for e in quals if e.qualifier]
    qualifiers += [t.qualifier for t in terms if t.qualifier]
    matched = tuple(i.text for i, e in chosen if e.kind != STOP)
    context = {e.area for e in funcs}
    func_areas = [e.area for e in funcs if e.area]
    first_under = next((e.under for e in funcs if e.under), None)
    level: str | None = None
    roles: list[tuple[str, str]] = []
    areas: list[str] = []
    extra: list[str] = []
    under: str | None = None
    undecided = False
    fallback = False

    at: list[int] = []  # where in the unit each of `roles` was named
    if roles_in:
        places = [k for k, (_, e) in enumerate(chosen) if e.kind == ROLE]
        for place, (_, entry) in zip(places, roles_in, strict=True):
            candidates = entry.roles
            if len(candidates) > 1:
                fitting = tuple(r for r in candidates if lex.areas[r] in context)
                if not fitting:  # the rest of the title may decide
                    fitting = tuple(r for r in candidates if lex.areas[r] in elsewhere)
                primaries = tuple(r for r in candidates if catalog.roles[r].primary)
                if fitting:
                    candidates = fitting
                else:
                    extra += [lex.areas[r] for r in candidates]
                    if len(primaries) == 1:
                        candidates = primaries
                    else:
                        undecided = True
            roles += [(r, entry.level or "head_or_director") for r in candidates]
            at += [place] * len(candidates)
            # a board seat's function comes after an operating role's ("代表取締役社長")
            areas += [lex.areas[r] for r in candidates]
        if len(roles) > 1:
            board = [lex.areas[r] for r, lv in roles if lv == "board"]
            areas = [a for a in areas if a not in board] + board
        elif roles[0][1] == "board" and any(e.level != "board" for e in (*ranks, *terms)):
            areas = [*func_areas, *areas]  # "取締役 営業本部長": a seat and a sales head
        level = best([lv for _, lv in roles])
        scoped = bool(context or unknown or by_kind.get(PLACE))
        scoped = scoped or any(q in UNIT_SCOPES for q in qualifiers)
        unit_head = scoped and any(r in lex.unit_roles for r, _ in roles)
        if unit_head:
            # "Group President", "President, Global Supply": the top of a unit, whose function
            # is the unit's when it names one.
            areas = [*func_areas, *areas]
        elif REGIONAL in qualifiers and roles:
            under = roles[0][0]  # "CFO, Americas" sits under the group's CFO
        rank_level = best([e.level for e in ranks if e.level] + [t.level for t in terms if t.level])
        if rank_level is not None and level is not None:
            if LEVEL_INDEX[rank_level] < LEVEL_INDEX[level]:
                level = rank_level
            else:
                qualifiers += [e.rank.id for e in ranks if e.rank and e.level != level]
        level = level or rank_level
        areas += func_areas
    elif ranks:
        top = min(ranks, key=lambda e: LEVEL_INDEX[e.level or "other"])
        alone = top.rank.alone if top.rank else None
        # "Holden MD", "Managing Director, Acme Ltd": a company's name does not scope the rank.
        unknown = unknown and not (alone and alone.get("company"))
        scoped = bool(funcs or terms or unknown or by_kind.get(PLACE) or REGIONAL in qualifiers)
        if alone and not scoped:
            named = alone.get("role")
            level = alone.get("level") or top.level
            if named is not None and named in catalog.roles:
                roles = [(named, level or "other")]
                areas = [] if alone.get("no_function") else [lex.areas[named]]
            else:
                under = alone.get("under") if alone.get("under") in catalog.roles else None
                areas = [alone["area"]] if "area" in alone else []
                fallback = True
        else:
            level = top.level
            areas = func_areas + [t.area for t in terms if t.area]
            under = first_under or next((t.under for t in terms if t.under), None)
            if not areas and alone and "area" in alone and "role" not in alone:
                # "Group EVP, Consumer Banking": a rank whose function is not in the vocabulary
                areas = [alone["area"]]
                under = alone.get("under") if alone.get("under") in catalog.roles else None
                fallback = True
    elif by_kind.get(CHIEF):
        chief_at = by_kind[CHIEF][0][0]
        after = [i for i, e in chosen if e.kind == TERM and items.index(i) > items.index(chief_at)]
        if any(i.text in lex.officer for i in after):
            level = "c_level"  # "Chief Transformation Officer": not in the catalogue
            under = "ceo" if "ceo" in catalog.roles else None
        else:
            level = "head_or_director"  # "Chief Engineer", "Chief Economist", "Chief, Finance"
            under = first_under or next((t.under for t in terms if t.under), None)
        areas = func_areas + [t.area for t in terms if t.area]
    elif terms:
        head = terms[-1]
        level = head.level
        areas = func_areas + [t.area for t in terms if t.area]
        under = first_under if not head.seat else None
        under = under or head.under
    else:
        areas = func_areas
        under = first_under
    demoted = [k for k, (_, e) in enumerate(chosen) if e.demote and e.kind == QUAL] if quals else []
    if roles and demoted:
        # The deputy is of the role named next ("Deputy CEO"), else of the one before it
        # ("Directeur général adjoint"); other roles keep their own level ("取締役副社長").
        if at:
            named_next = [k for k in at if k > demoted[0]]
            aim = named_next[0] if named_next else max(at)
            role = roles[at.index(aim)]
            roles = [r for r, k in zip(roles, at, strict=True) if k != aim]
        else:  # "Deputy Managing Director": the role the rank names
            role, roles = roles[0], []
        level, under = _deputy(role, chosen[demoted[0]][1], lex)
        # "VP & Deputy GC": vp
        level = best([level, *(lv for _, lv in roles), *(e.level for e in ranks if e.level)])
    elif demoted and level == "c_level" and under == "board":
        # "Deputy Executive Director", "Deputy Director-General": of a chief executive, evp
        level, under = "evp", "ceo" if "ceo" in catalog.roles else None
    return Unit(
        level,
        tuple(roles),
        tuple(dict.fromkeys(a for a in areas if a)),
        tuple(dict.fromkeys(extra)),
        under,
        tuple(dict.fromkeys(qualifiers)),
        matched,
        level == "board",
        undecided,
        fallback,
    )


LEVELS_BY_INDEX = {i: level for level, i in LEVEL_INDEX.items()}


def _deputy(role: tuple[str, str], qualifier: Entry, lex: Lexicon) -> tuple[str, str]:
    """The level of a deputy, assistant or associate of a role, and whom they sit under.

    Of a chief (or any c-level role): a department head, unless the vocabulary says otherwise
    (a Deputy CEO is evp). Of a head: a deputy stays at that level, an assistant sits one
    below (an Assistant Controller is a manager).
    """
    role_id, role_level = role
    if role_id in lex.deputy_levels:
        return lex.deputy_levels[role_id], role_id
    title = lex.expand(lex.tokens(lex.catalog.roles[role_id].title), complete=False)
    index = LEVEL_INDEX[role_level]
    if index <= LEVEL_INDEX["c_level"] or lex.chief_form(title):
        return HEAD, role_id
    if qualifier.qualifier == "deputy":
        return role_level, role_id
    return LEVELS_BY_INDEX[min(index + 1, len(LEVEL_INDEX) - 1)], role_id
