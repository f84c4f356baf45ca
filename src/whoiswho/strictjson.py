"""JSON as a catalogue must be: no duplicate keys, no NaN or Infinity, no number Python refuses.

The standard parser lets the last of two equal keys win silently and reads `NaN`, `Infinity` and
`1e400` as floats no catalogue field accepts. The hooks below only note such a problem (they run
once per object, so they must stay cheap); the JSON pointer is looked up afterwards, on the error
path alone, by walking the parsed document.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any, cast

from whoiswho.errors import CatalogError


def loads(text: str, name: str) -> Any:
    """The parsed document, or a CatalogError naming file and place ("not valid JSON: ...")."""
    duplicates, nonfinite, hooks = _strict_hooks()
    try:
        doc = json.loads(text, **hooks)
    except json.JSONDecodeError as exc:
        raise CatalogError(
            name, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise CatalogError(name, "not valid JSON: nested too deeply") from None
    except ValueError:
        # int() refuses numbers of more than sys.get_int_max_str_digits() digits (4,300).
        raise CatalogError(name, "not valid JSON: a number has too many digits") from None
    if duplicates:
        obj, key = duplicates[0]
        at = pointer_to(doc, lambda v: v is obj)
        raise CatalogError(name, f"not valid JSON: duplicate key {key!r}", f"{at}/{escape(key)}")
    if nonfinite:
        at = pointer_to(doc, lambda v: isinstance(v, float) and not math.isfinite(v))
        raise CatalogError(name, "not valid JSON: NaN and Infinity are not numbers in JSON", at)
    return doc


def loads_keeping(text: str, name: str, array: str) -> tuple[Any, list[str] | None]:
    """`loads`, and the exact text of each item of the top-level object's list `array`.

    A cache stores each role as the file wrote it instead of encoding it again (a fifth of a
    50,000-role build). The document is walked at its top level here and every value is read
    by the same strict decoder; anything unusual (an error, a duplicate, a NaN, no such list)
    goes to `loads`, which reports the problem exactly or parses the document after all. The
    texts are None when the list is missing or was not read this way.
    """
    duplicates, nonfinite, hooks = _strict_hooks()
    scan: Callable[[str, int], tuple[Any, int]]
    scan = json.JSONDecoder(**hooks).scan_once  # type: ignore[attr-defined]
    space = _SPACE
    try:
        at = space(text, 0).end()
        if text[at] != "{":
            return loads(text, name), None
        doc: dict[str, Any] = {}
        texts: list[str] | None = None
        at = space(text, at + 1).end()
        while text[at] != "}":
            if text[at] != '"':
                return loads(text, name), None
            key, at = scan(text, at)
            at = space(text, at).end()
            if text[at] != ":" or key in doc:
                return loads(text, name), None
            at = space(text, at + 1).end()
            if key == array and text[at] == "[":
                items: list[Any] = []
                texts = []
                at = space(text, at + 1).end()
                while text[at] != "]":
                    item, end = scan(text, at)
                    items.append(item)
                    texts.append(text[at:end])
                    # The usual separators (",", ", ", ",\n  ...") with few pattern calls.
                    at = end if text[end] == "," else space(text, end).end()
                    if text[at] == ",":
                        at += 1
                        if text[at] in _BLANK:
                            at = space(text, at).end()
                        if text[at] == "]":
                            return loads(text, name), None  # a trailing comma
                    elif text[at] != "]":
                        return loads(text, name), None
                doc[key], at = items, at + 1
            else:
                doc[key], at = scan(text, at)
            at = space(text, at).end()
            if text[at] == ",":
                at = space(text, at + 1).end()
                if text[at] == "}":
                    return loads(text, name), None
            elif text[at] != "}":
                return loads(text, name), None
        if space(text, at + 1).end() != len(text) or duplicates or nonfinite:
            return loads(text, name), None
    except (StopIteration, IndexError, ValueError, RecursionError):
        return loads(text, name), None
    return doc, texts


_BLANK = " \t\n\r"
# JSON's whitespace, as the standard decoder skips it (json imports re anyway).
# It always matches (perhaps nothing), which the cast tells the type checker.
_SPACE = cast("Callable[[str, int], re.Match[str]]", re.compile(r"[ \t\n\r]*").match)


def _strict_hooks() -> tuple[list[tuple[dict[str, Any], str]], list[float], dict[str, Any]]:
    """Decoder hooks that note duplicate keys and non-finite numbers in the two lists returned."""
    duplicates: list[tuple[dict[str, Any], str]] = []
    nonfinite: list[float] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) != len(items) and not duplicates:
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    duplicates.append((obj, key))
                    break
                seen.add(key)
        return obj

    def number(literal: str) -> float:
        value = float(literal)
        if not math.isfinite(value):  # 1e400 overflows to infinity
            nonfinite.append(value)
        return value

    def constant(literal: str) -> float:
        nonfinite.append(float(literal))  # NaN, Infinity, -Infinity
        return nonfinite[-1]

    hooks = {"object_pairs_hook": pairs, "parse_float": number, "parse_constant": constant}
    return duplicates, nonfinite, hooks


def escape(key: str) -> str:
    """One JSON pointer segment (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")


def pointer_to(doc: Any, wanted: Any) -> str:
    """The JSON pointer of the first value (depth first) for which `wanted` is true."""
    stack: list[tuple[str, Any]] = [("", doc)]
    while stack:
        at, value = stack.pop()
        if wanted(value):
            return at
        if isinstance(value, dict):
            items = [(f"{at}/{escape(k)}", v) for k, v in value.items()]
        elif isinstance(value, list):
            items = [(f"{at}/{i}", v) for i, v in enumerate(value)]
        else:
            continue
        stack += reversed(items)
    return ""
