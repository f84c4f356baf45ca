"""Streams and signals: a closed or full stdout, a closed stdin, Ctrl-C, and views that must not
collapse (twenty-six roles compared, a chart thousands of levels deep)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import invoke

pytestmark = pytest.mark.subprocess


@pytest.mark.parametrize("args", ["CFO", "CFO --json", "list", "compare CIO CTO"])
def test_closed_stdout_is_one_line_and_status_74(shell: Any, args: str) -> None:
    """`whoiswho ... >&-`: no traceback, one line saying why, status 74."""
    result = shell(f"whoiswho {args} >&-")
    assert result.returncode == 74
    assert result.stderr == "whoiswho: cannot write output: standard output is closed\n"


@pytest.mark.parametrize("args", ["CFO", "CFO --json", "list --json", "classify CFO"])
def test_full_disk_is_one_line_and_status_74(shell: Any, args: str) -> None:
    """`whoiswho ... > /dev/full`: "No space left on device", status 74, no traceback."""
    result = shell(f"whoiswho {args} > /dev/full")
    assert result.returncode == 74
    assert result.stderr == "whoiswho: cannot write output: No space left on device\n"


@pytest.mark.parametrize("args", ["show -", "classify -"])
def test_closed_stdin_is_a_usage_error(shell: Any, args: str) -> None:
    """`whoiswho show - <&-`: a message, status 2, no traceback (JSON under --jsonl)."""
    result = shell(f"whoiswho {args} <&-")
    assert result.returncode == 2
    assert result.stderr == "whoiswho: cannot read queries: standard input is closed\n"
    result = shell(f"whoiswho {args} --jsonl <&-")
    assert result.returncode == 2
    assert json.loads(result.stderr)["message"] == "cannot read queries: standard input is closed"


@pytest.mark.parametrize("args", [["show", "-", "--jsonl"], ["classify", "-"]])
def test_ctrl_c_while_reading_is_130(installed: Path, tmp_path: Path, args: list[str]) -> None:
    """SIGINT while a batch waits for input: status 130, nothing on stderr, the lines already
    answered kept on stdout."""
    proc = subprocess.Popen(
        [str(installed), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert proc.stdin is not None
    proc.stdin.write(b"CFO\n")
    proc.stdin.flush()
    time.sleep(0.6)  # let it import and answer the first line; the stdin stays open
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert b"Traceback" not in err
    assert err == b""


@pytest.mark.parametrize(
    ("raised", "status", "stderr"),
    [
        ("KeyboardInterrupt", 130, ""),
        (
            "RuntimeError('boom')",
            70,
            "whoiswho: internal error (RuntimeError: boom); please report it with the command "
            "you ran\n",
        ),
    ],
    ids=["ctrl-c", "internal-error"],
)
def test_the_plain_path_ends_without_a_traceback(
    tmp_path: Path, raised: str, status: int, stderr: str
) -> None:
    """On the click-free path (`whoiswho CFO`) the console wrapper turns an interrupt into 130
    and a bug into one line and 70, never a traceback."""
    code = (
        "import sys, whoiswho.app as app\n"
        f"def failing(*args): raise {raised}\n"
        "app.show = failing\n"
        "from whoiswho.entry import console\n"
        "sys.argv = ['whoiswho', 'CFO']\n"
        "console()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, cwd=tmp_path, timeout=30
    )
    assert done.returncode == status
    assert done.stderr.decode() == stderr


def role(i: int, boss: str | None) -> dict[str, Any]:
    return {
        "id": f"r{i}",
        "abbreviation": f"R{i}",
        "title": f"Role number {i}",
        "area": "operations",
        "summary": f"The role numbered {i}.",
        "responsibilities": [f"Run the unit numbered {i}", "Report to the board each year"],
        "reports_to": boss,
    }


def test_compare_of_26_roles_stays_readable(runner: CliRunner, tmp_path: Path) -> None:
    """Twenty-six roles at 80 columns: stacked, every role and duty there, no blank cells."""
    path = tmp_path / "many.json"
    roles = [role(0, None)] + [role(i, "r0") for i in range(1, 26)]
    path.write_text(json.dumps({"roles": roles}), encoding="utf-8")
    ids = [f"r{i}" for i in range(26)]
    result = invoke(runner, "--no-bundled", "--catalog", str(path), "compare", *ids)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert max(len(line) for line in out.splitlines()) <= 100
    flat = " ".join(out.split())
    for i in range(26):
        assert f"R{i} Role number {i}" in flat
        assert f"Run the unit numbered {i}" in flat


@pytest.mark.slow
def test_a_piped_chart_draws_every_level(runner: CliRunner, tmp_path: Path) -> None:
    """A chain 3,000 levels deep, piped: every role drawn, none cut off."""
    path = tmp_path / "deep.json"
    roles = [role(0, None)] + [role(i, f"r{i - 1}") for i in range(1, 3000)]
    path.write_text(json.dumps({"roles": roles}), encoding="utf-8")
    out = invoke(runner, "--no-bundled", "--catalog", str(path), "chart").stdout
    assert "more level" not in out
    assert sum(1 for line in out.splitlines() if "Role number" in line) == 3000
