"""The cache of large catalogues: same answers as a fresh parse, rebuilt when a file changes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import invoke
from whoiswho import cache
from whoiswho.catalog import build, load_files, read_layer
from whoiswho.locations import CACHE_THRESHOLD, CatalogFile
from whoiswho.search import search


def big_catalogue(path: Path, marker: str = "first") -> None:
    """A catalogue just over the cache threshold, with a marker in one summary."""
    roles = []
    i = 0
    size = 0
    while size < CACHE_THRESHOLD + 10_000:
        role = {
            "id": f"r{i}",
            "abbreviation": f"AB{i}",
            "title": f"Title {i}",
            "area": "finance",
            "summary": f"Summary {marker if i == 7 else 'plain'} text for role {i}.",
            "responsibilities": [f"Plan budgets {i}", "Review audits", f"Hire analysts {i % 97}"],
            "reports_to": None if i == 0 else f"r{(i - 1) // 4}",
            "other_names": [f"Other {i}"],
            "zh": f"角色{i}",
            "sources": [{"title": "generated", "url": f"https://example.org/{i}"}],
        }
        if i % 5 == 0:
            role["abbreviation"] = "SHARED"
            role["meaning_rank"] = i // 5 + 1
        roles.append(role)
        size += len(json.dumps(role))
        i += 1
    path.write_text(json.dumps({"version": "2026.01.01", "roles": roles}), encoding="utf-8")


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def test_cached_catalogue_answers_like_a_fresh_parse(tmp_path: Path, cache_home: Path) -> None:
    """Roles, lookups, shared abbreviations and search from the cache equal a fresh parse."""
    path = tmp_path / "big.json"
    big_catalogue(path)
    files = [CatalogFile("option", str(path))]
    fresh = build([read_layer(path)])
    first = load_files(files)  # parses, then writes the cache
    assert first.roles.keys() == fresh.roles.keys()
    cached = cache.open_cached(files)
    assert isinstance(cached, cache.CachedCatalog)
    assert list(cached.roles.values()) == list(fresh.roles.values())
    assert cached.roles["r7"] == fresh.roles["r7"]
    assert "r7" in cached.roles
    assert "nope" not in cached.roles
    assert len(cached.roles) == len(fresh.roles)
    assert dict(cached.index) == fresh.index
    assert dict(cached.shared) == dict(fresh.shared)
    for query in ("budgets", "hire analysts 13", "review", "summary plain"):
        assert search(cached, query) == search(fresh, query)


def test_cache_is_rebuilt_when_a_file_changes(
    runner: CliRunner, tmp_path: Path, cache_home: Path
) -> None:
    """Editing the file invalidates the cache: the next run sees the new text."""
    path = tmp_path / "big.json"
    big_catalogue(path, "first")
    args = ["--no-bundled", "--catalog", str(path), "r7", "--json"]
    assert "first" in json.loads(invoke(runner, *args).stdout)["summary"]
    assert list(cache_home.rglob("*.sqlite"))
    assert "first" in json.loads(invoke(runner, *args).stdout)["summary"]  # from the cache
    big_catalogue(path, "second")
    os.utime(path, ns=(1, 1))  # even with an old time stamp, size or inode tell the change
    assert "second" in json.loads(invoke(runner, *args).stdout)["summary"]


def test_a_bad_file_is_never_served_from_cache(
    runner: CliRunner, tmp_path: Path, cache_home: Path
) -> None:
    """A file broken after it was cached is reported as broken (exit 2)."""
    path = tmp_path / "big.json"
    big_catalogue(path)
    invoke(runner, "--no-bundled", "--catalog", str(path), "r1", "--json")
    path.write_text(path.read_text(encoding="utf-8") + "}", encoding="utf-8")
    result = invoke(runner, "--no-bundled", "--catalog", str(path), "r1", "--json")
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr


def test_unwritable_cache_is_simply_not_used(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache folder that cannot be created costs nothing but speed."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = tmp_path / "big.json"
    big_catalogue(path)
    result = invoke(runner, "--no-bundled", "--catalog", str(path), "SHARED", "--json")
    assert result.exit_code == 3
    assert json.loads(result.stderr)["candidates"][:2] == ["r0", "r5"]


def test_small_catalogues_are_not_cached(runner: CliRunner, cache_home: Path) -> None:
    """The bundled catalogue is read directly: no cache file appears."""
    assert invoke(runner, "CFO", "--json").exit_code == 0
    assert not cache_home.exists()


def test_old_caches_are_pruned(tmp_path: Path, cache_home: Path) -> None:
    """Each set of files has its own cache; only the most recent few are kept."""
    for n in range(cache.KEEP + 2):
        path = tmp_path / f"big{n}.json"
        big_catalogue(path)
        load_files([CatalogFile("option", str(path))])
    caches = list((cache_home / "whoiswho").glob("catalog-*.sqlite"))
    assert len(caches) == cache.KEEP
