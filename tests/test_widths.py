"""Every human view at 40, 80, 120 and 200 columns, through a real pseudo-terminal: no line wider
than the terminal, no word split mid-word, nothing lost; golden files pin each rendering
(tests/golden/width/; regenerate with WHOISWHO_UPDATE_GOLDEN=1 and review the diff)."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import termios
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import ROLES_JSON, drain

GOLDEN = Path(__file__).parent / "golden" / "width"
WIDTHS = (40, 80, 120, 200)
VIEWS = {
    "card-cfo": ["CFO"],
    "compare-cio-cto": ["compare", "CIO", "CTO"],
    "meanings-cso": ["CSO"],
    "list": ["list"],
    "chart-cfo": ["chart", "cfo"],
}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
BOX = str.maketrans(dict.fromkeys("│─╭╮╰╯├┤┬┴┼└┌┐┘━┃", " "))
ROLES = {r["id"]: r for r in json.loads(ROLES_JSON.read_text(encoding="utf-8"))["roles"]}


def on_terminal(installed: Path, args: list[str], width: int, tmp_path: Path) -> str:
    """What the installed whoiswho shows on a terminal `width` columns wide (escapes removed)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR")}
    env |= {"NO_COLOR": "1", "TERM": "xterm"}
    proc = subprocess.Popen(
        [str(installed), *args], stdin=follower, stdout=follower, stderr=follower, env=env,
        cwd=tmp_path,
    )  # fmt: skip
    os.close(follower)
    text = drain(leader)
    assert proc.wait(timeout=30) == 0
    return "\n".join(line.rstrip() for line in ANSI.sub("", text).splitlines()) + "\n"


def words_of(*texts: str) -> set[str]:
    return {w for text in texts for w in re.findall(r"[A-Za-z][A-Za-z'-]{5,}", text)}


def expected_words(view: str) -> set[str]:
    """Long words of the data each view must show whole."""
    if view == "card-cfo":
        cfo = ROLES["cfo"]
        return words_of(cfo["title"], cfo["summary"], *cfo["responsibilities"])
    if view == "compare-cio-cto":
        return words_of(*ROLES["cio"]["responsibilities"], *ROLES["cto"]["responsibilities"])
    if view == "meanings-cso":
        return words_of(*(r["summary"] for r in ROLES.values() if r["abbreviation"] == "CSO"))
    if view == "list":
        return words_of(*(r["title"] for r in ROLES.values()))
    return words_of("Chief Financial Officer", "Procurement", "Controller", "Treasurer")


@pytest.mark.subprocess
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", list(VIEWS))
def test_view_at_width(installed: Path, tmp_path: Path, view: str, width: int) -> None:
    """Fits the width, keeps every word whole, and matches its golden file."""
    out = on_terminal(installed, VIEWS[view], width, tmp_path)
    assert max(cell_len(line) for line in out.splitlines()) <= width
    assert "\u2026" not in out  # nothing cut with an ellipsis
    flat = " ".join(out.translate(BOX).split())
    missing = [w for w in expected_words(view) if not re.search(rf"(?<![\w-]){w}(?![\w])", flat)]
    assert not missing, f"split or lost at {width} columns: {missing[:5]}"
    if view == "card-cfo":
        assert "首席财务官" in out  # the Chinese name is never cut, at any width
    if view == "compare-cio-cto":  # how they relate, and the key difference, come first
        assert (
            out.index("CTO may report to CIO.")
            < out.index("Key difference")
            < out.index("Strategy")
        )
    golden = GOLDEN / f"{view}-{width}.txt"
    if os.environ.get("WHOISWHO_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")
