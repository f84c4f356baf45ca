"""JSON as a catalogue must be: no duplicate keys, no NaN or Infinity, no number Python refuses.

The standard parser lets the last of two equal keys win silently and reads `NaN`, `Infinity` and
`1e400` as floats no catalogue field accepts. The hooks below only note such a problem (they run
once per object, so they must stay cheap); the JSON pointer is looked up afterwards, on the error
path alone, by walking the parsed document.
"""

from __future__ import annotations

import json
import math
from typing import Any

from whoiswho.errors import CatalogError


def loads(text: str, name: str) -> Any:
    """The parsed document, or a CatalogError naming file and place ("not valid JSON: ...")."""
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

    try:
        doc = json.loads(text, object_pairs_hook=pairs, parse_float=number, parse_constant=constant)
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
