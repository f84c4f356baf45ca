"""Shared fixtures: a CliRunner, a pinned terminal, the catalogue, and the installed command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from whoiswho.catalog import load_files
from whoiswho.cli import cli
from whoiswho.locations import CatalogFile, bundled_path
from whoiswho.model import Catalog

ROOT = Path(__file__).resolve().parents[1]
ROLES_JSON = ROOT / "data" / "roles.json"


@pytest.fixture(autouse=True)
def pinned_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Every test sees the same terminal: 100 columns, no colour variables from the developer."""
    # Large test catalogues are cached: never in the developer's own cache folder.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setenv("COLUMNS", "100")
    for name in ("NO_COLOR", "FORCE_COLOR", "WHOISWHO_CATALOG", "CLICOLOR_FORCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    # No per-user catalogue from the developer's machine leaks into the tests.
    monkeypatch.setenv("XDG_CONFIG_HOME", "/nonexistent-whoiswho-config")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def raw_catalog() -> dict[str, Any]:
    """data/roles.json as the file says it, for tests that compare output with the data."""
    data: dict[str, Any] = json.loads(ROLES_JSON.read_text(encoding="utf-8"))
    return data


def bundled_catalog() -> Catalog:
    """The bundled catalogue alone, as the tool loads it."""
    return load_files([CatalogFile("bundled", bundled_path())])


def invoke(runner: CliRunner, *args: str, input: str | None = None) -> Any:
    """Run the real CLI in-process; stdout and stderr stay separate."""
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture(scope="session")
def installed() -> Path:
    """The `whoiswho` console script installed next to this interpreter."""
    exe = Path(sys.executable).parent / "whoiswho"
    if not exe.exists():
        found = shutil.which("whoiswho")
        assert found, "whoiswho is not installed in this environment"
        exe = Path(found)
    return exe


@pytest.fixture
def shell(installed: Path, tmp_path: Path) -> Any:
    """Run a shell pipeline with the installed whoiswho first on PATH, outside the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["PATH"] = f"{installed.parent}{os.pathsep}{env.get('PATH', '')}"

    def run(command: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**env, **kwargs.pop("env", {})},
            timeout=60,
            **kwargs,
        )

    return run


def drain(leader: int) -> str:
    """Everything written to a pseudo-terminal until its other end closes, as text with the
    terminal's CR LF turned back into LF; closes `leader`."""
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # Linux reports the closed other end as EIO
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
