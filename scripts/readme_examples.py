"""Keep README.md's examples true: each block that starts with `$ whoiswho ...` holds what the
program prints for that command (at 100 columns, no colour).

    python scripts/readme_examples.py           # rewrite the examples from the program
    python scripts/readme_examples.py --check   # exit 1, with a diff, if any example drifted

The installed `whoiswho` next to this interpreter is run through bash (examples may pipe into
jq), from a temporary folder, with COLUMNS=100 and no colour. tests/test_readme.py runs --check.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FENCE = "```"
WIDTH = "100"


def run(command: str) -> list[str]:
    """What the command prints on stdout, line by line, trailing spaces dropped."""
    bindir = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env |= {"COLUMNS": WIDTH, "TERM": "dumb", "PATH": f"{bindir}{os.pathsep}{env['PATH']}"}
    env.pop("WHOISWHO_CATALOG", None)
    with tempfile.TemporaryDirectory() as folder:
        env["XDG_CONFIG_HOME"] = folder  # no per-user catalogue of the developer's
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            capture_output=True,
            text=True,
            env=env,
            cwd=folder,
            timeout=60,
            check=False,
        )
    lines = [line.rstrip() for line in done.stdout.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def regenerate(text: str) -> str:
    """The README with every `$ whoiswho` block's output replaced by the program's."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        if line.startswith(FENCE) and i < len(lines) and lines[i].startswith("$ whoiswho"):
            command = lines[i][2:]
            out.append(lines[i])
            i += 1
            while i < len(lines) and not lines[i].startswith(FENCE):
                i += 1  # the old output, replaced below
            out += run(command)
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    fresh = regenerate(text)
    if "--check" in argv:
        if fresh == text:
            return 0
        diff = difflib.unified_diff(
            text.splitlines(), fresh.splitlines(), "README.md", "program output", lineterm=""
        )
        sys.stdout.write("\n".join(diff) + "\n")
        return 1
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
