"""Inputs a hostile or careless user can give: odd catalogue files, odd characters, odd places.

Each test names the defect it guards against (issue 16). The cache's own hostile cases (damage,
staleness, permissions, leftovers, races) are in tests/test_cache.py.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import invoke
from whoiswho.text import printable

ROLE = {
    "id": "vp-engineering",
    "abbreviation": "VPE",
    "title": "Vice President of Engineering",
    "area": "technology",
    "summary": "Runs engineering.",
    "responsibilities": ["Hire engineering managers"],
    "reports_to": "cto",
}


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def bad(result: Any, *words: str) -> None:
    """Exit 2, no traceback, and a message holding each word."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


# --- invisible and bidi characters --------------------------------------------------------------

INVISIBLE = [
    "\u061c",  # Arabic letter mark
    "\u2060",  # word joiner
    "\ufeff",  # zero-width no-break space
    "\u180e",  # Mongolian vowel separator
    "\u00ad",  # soft hyphen
    "\U000e0041",  # tag latin capital A
    "\U000e007f",  # cancel tag
    "\U000e0000",  # unassigned, in the tag block
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\ufff9",  # interlinear annotation anchor
    "\ufffb",
    "\ue000",  # private use
    "\u202e",  # right-to-left override (escaped before too)
]


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_invisible_characters_from_data_are_escaped(
    runner: CliRunner, tmp_path: Path, char: str
) -> None:
    """The card, list and error views show an invisible or bidi character as an escape."""
    role = {**ROLE, "summary": f"Runs{char}engineering.", "title": f"Vice{char}President"}
    path = write(tmp_path / "ours.json", json.dumps({"roles": [role]}))
    code = ord(char)
    escape = (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )
    for args in (("vp-engineering",), ("list",), ("search", "engineering")):
        result = invoke(runner, "--catalog", path, *args)
        assert result.exit_code == 0, result.stderr
        assert char not in result.stdout, args
        assert escape in result.stdout, args


@given(st.text())
def test_printable_leaves_no_invisible_character(text: str) -> None:
    """Nothing of categories Cc, Cf, Zl, Zp, Cs, Co, nor a tag, survives printable()."""
    shown = printable(text)
    for char in shown:
        assert unicodedata.category(char) not in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co"}
        assert not 0xE0000 <= ord(char) <= 0xE007F
    if text.isprintable():
        assert shown == text
