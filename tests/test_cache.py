"""The cache of large catalogues: same answers as a fresh parse, rebuilt when a file changes,
private, and robust against damage, races, shared folders and interrupted writes."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import invoke
from whoiswho import cache, cachedb
from whoiswho.catalog import build, load_files, read_layer
from whoiswho.errors import CatalogError
from whoiswho.locations import CACHE_THRESHOLD, CatalogFile, bundled_path
from whoiswho.model import ROLE_SPEC
from whoiswho.search import search


def big_catalogue(path: Path, marker: str = "first", over: int = CACHE_THRESHOLD) -> None:
    """A catalogue just over the cache threshold (or `over`), with a marker in one summary."""
    roles = []
    i = 0
    size = 0
    while size < over + 10_000:
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


@pytest.mark.slow
def test_cached_catalogue_answers_like_a_fresh_parse(tmp_path: Path, cache_home: Path) -> None:
    """Roles, lookups, shared abbreviations and search from the cache equal a fresh parse."""
    path = tmp_path / "big.json"
    big_catalogue(path)
    files = [CatalogFile("option", str(path))]
    fresh = build([read_layer(path)])
    first = load_files(files)  # parses, then writes the cache
    assert first.roles.keys() == fresh.roles.keys()
    cached = cache.open_cached(files, lambda: fresh)
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


@pytest.mark.slow
def test_old_caches_are_pruned(tmp_path: Path, cache_home: Path) -> None:
    """Each set of files has its own cache; only the most recent few are kept."""
    for n in range(cache.KEEP + 2):
        path = tmp_path / f"big{n}.json"
        big_catalogue(path)
        load_files([CatalogFile("option", str(path))])
    caches = list((cache_home / "whoiswho").glob("catalog-*.sqlite"))
    assert len(caches) == cache.KEEP


# --- issue 16: a cache that is never wrong, never readable by others, never left half-written ---


def the_cache(cache_home: Path) -> Path:
    (found,) = (cache_home / "whoiswho").glob("catalog-*.sqlite")
    return found


def written(cache_home: Path, seconds: float = 30) -> Path:
    """The cache, once the detached process that the installed command starts has written it
    (one `.sqlite`, no `.tmp` left): a real run answers before its cache is complete."""
    import time

    folder = cache_home / "whoiswho"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if folder.is_dir():
            names = [p.name for p in folder.iterdir()]
            if not any(".tmp" in n for n in names) and any(n.endswith(".sqlite") for n in names):
                return the_cache(cache_home)
        time.sleep(0.05)
    raise AssertionError(f"no cache written in {seconds} s: {sorted(folder.glob('*'))}")


def leftovers(cache_home: Path) -> list[str]:
    folder = cache_home / "whoiswho"
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name) if folder.exists() else []


def on(runner: CliRunner, path: Path, *args: str) -> Any:
    return invoke(runner, "--no-bundled", "--catalog", str(path), *args)


def edit_role(
    db: sqlite3.Connection, role_id: str, field: str, value: Any, *, forge: bool = False
) -> None:
    """Change one field of a cached role row (rows hold the role's catalogue entry); `forge`
    also sets the row's checksum to match, as someone who meant it would."""
    data = json.loads(db.execute("SELECT data FROM roles WHERE id = ?", (role_id,)).fetchone()[0])
    assert field in ROLE_SPEC
    data[field] = value
    db.execute("UPDATE roles SET data = ? WHERE id = ?", (json.dumps(data), role_id))
    if forge:
        (row,) = db.execute(f"SELECT {cachedb.ROW} FROM roles WHERE id = ?", (role_id,))
        crc = cachedb.row_sum(*row[:-1])
        db.execute("UPDATE roles SET crc = ? WHERE id = ?", (crc, role_id))


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A catalogue of about 60 roles, cached: in-process tests need not parse 2 MB each time."""
    import whoiswho.catalog

    monkeypatch.setattr(whoiswho.catalog, "CACHE_THRESHOLD", 20_000)
    path = tmp_path / "small.json"
    big_catalogue(path, over=20_000)
    return path


DAMAGE: dict[str, Callable[[sqlite3.Connection], Any]] = {
    "dropped names table": lambda db: db.execute("DROP TABLE names"),
    "dropped roles table": lambda db: db.execute("DROP TABLE roles"),
    "garbage row": lambda db: db.execute("UPDATE roles SET data = 'garbage' WHERE id = 'r7'"),
    "short row": lambda db: db.execute("""UPDATE roles SET data = '["r7"]' WHERE id = 'r7'"""),
    "mistyped row": lambda db: edit_role(db, "r7", "title", 5),
    "mistyped source": lambda db: edit_role(db, "r7", "sources", [{"title": 5, "url": None}]),
    "mistyped column": lambda db: db.execute("UPDATE roles SET data = 5"),
    "mistyped tier": lambda db: db.execute("UPDATE names SET tier = 'x'"),
    "name to a missing id": lambda db: db.execute("UPDATE names SET id = 'ghost'"),
    "missing superior": lambda db: edit_role(db, "r7", "reports_to", "ghost"),
    "garbage shared row": lambda db: db.execute("UPDATE shared SET ids = '{'"),
    "shared names a missing id": lambda db: db.execute("""UPDATE shared SET ids = '["r0", "x"]'"""),
    "reporting cycle": lambda db: edit_role(db, "r0", "reports_to", "r7"),
    "stored line cut short": lambda db: db.execute("UPDATE roles SET line = 'r7' WHERE id = 'r7'"),
    "stored line in a circle": lambda db: db.execute("UPDATE roles SET line = 'r1 r0 r1'"),
    "superior column disagrees": lambda db: db.execute(
        "UPDATE roles SET reports_to = NULL WHERE id = 'r7'"
    ),
    "mistyped line": lambda db: db.execute("UPDATE roles SET line = 5 WHERE id = 'r9'"),
    # Damage that keeps every type right: only the rows' checksums can tell.
    "a changed letter": lambda db: edit_role(db, "r7", "summary", "Summary f1rst text for role 7."),
    "a role moved in its column": lambda db: db.execute(
        "UPDATE roles SET reports_to = 'r2' WHERE id = 'r7'"
    ),
    "a deleted row": lambda db: db.execute("DELETE FROM roles WHERE id = 'r9'"),
}
COMMANDS = [
    ("r7", "--json"),
    ("r0", "--json"),
    ("r5",),
    ("r7",),
    ("SHARED",),
    ("list", "--json"),
    ("chart", "--json"),
    ("chart", "r1", "--json"),
    ("list", "--jsonl"),
    ("search", "first", "--json"),
    ("AB8", "--json"),
    ("compare", "r7", "r8", "--json"),
]


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_cache_is_parsed_afresh_and_replaced(
    runner: CliRunner, small: Path, cache_home: Path, damage: str
) -> None:
    """Whatever the damage, every command answers as from the files, and the cache is rebuilt
    once a command reads the damaged part (the last one here reads every role)."""
    expected = {args: on(runner, small, *args) for args in COMMANDS}
    for args in [*COMMANDS, ("list", "--json")]:
        with sqlite3.connect(the_cache(cache_home)) as db:
            DAMAGE[damage](db)
        db.close()
        result = on(runner, small, *args)
        want = expected[args]
        assert (result.exit_code, result.stdout) == (want.exit_code, want.stdout), args
        assert result.stderr == want.stderr
    files = [CatalogFile("option", str(small))]
    rebuilt = cache.open_cached(files, lambda: pytest.fail("the cache is damaged"))
    assert rebuilt is not None
    assert list(rebuilt.roles.values()) == list(build([read_layer(small)]).roles.values())
    assert leftovers(cache_home) == []


@pytest.mark.parametrize("where", [0.4, 0.8])
def test_a_cache_with_flipped_pages_is_parsed_afresh(
    runner: CliRunner, tmp_path: Path, cache_home: Path, small: Path, where: float
) -> None:
    """Pages of garbage in the cache file: no traceback, the right answers, a new cache."""
    path = small
    expected = {args: on(runner, path, *args).stdout for args in COMMANDS}
    for args in COMMANDS:
        damaged = the_cache(cache_home)
        size = damaged.stat().st_size
        with open(damaged, "r+b") as handle:
            handle.seek(int(size * where) // 4096 * 4096)
            handle.write(b"\xa5" * 3 * 4096)
        result = on(runner, path, *args)
        assert (result.exit_code, result.stdout) == (0, expected[args]), (args, result.stderr)


@pytest.mark.subprocess
def test_a_reporting_cycle_in_the_cache_never_loops(
    shell: Any, tmp_path: Path, cache_home: Path
) -> None:
    """A cycle written into the cache looped for ever (14 GB): now one rebuild, right answer.

    Memory and time are capped so that a regression fails instead of taking the machine down.
    """
    path = tmp_path / "big.json"
    big_catalogue(path)
    env = {"XDG_CACHE_HOME": str(cache_home)}
    command = f"ulimit -v 2000000; timeout 30 whoiswho --no-bundled --catalog {path} r7 --json"
    first = shell(command, env=env)
    assert first.returncode == 0, first.stderr
    with sqlite3.connect(written(cache_home)) as db:
        edit_role(db, "r0", "reports_to", "r7")  # r7 -> r1 -> r0 -> r7
    db.close()
    for form in (command, command.replace(" --json", "")):
        again = shell(form, env=env)
        assert again.returncode == 0, again.stderr
    assert json.loads(shell(command, env=env).stdout)["reporting_line"] == ["r7", "r1", "r0"]


def test_reporting_line_never_loops_whatever_the_data() -> None:
    """Catalog.reporting_line stops before a role repeats or at a missing superior."""
    from whoiswho.model import Catalog, Role

    def role(role_id: str, boss: str | None) -> Role:
        return Role(role_id, role_id.upper(), role_id, "a", "s", ("r",), boss)

    roles = {r.id: r for r in (role("a", "b"), role("b", "c"), role("c", "a"), role("d", "x"))}
    catalog = Catalog("1", roles, {}, (), {}, {})
    assert [r.id for r in catalog.reporting_line(roles["a"])] == ["a", "b", "c"]
    assert [r.id for r in catalog.reporting_line(roles["d"])] == ["d"]


def same_size_edit(path: Path, old: bytes, new: bytes) -> None:
    """Change the file in place (same inode), keep its size and restore its times."""
    before = path.stat()
    data = path.read_bytes().replace(old, new)
    assert len(data) == before.st_size
    with open(path, "r+b") as handle:
        handle.write(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize("hash_check", [True, False])
def test_an_edit_keeping_size_and_time_is_seen(
    runner: CliRunner,
    tmp_path: Path,
    cache_home: Path,
    small: Path,
    monkeypatch: pytest.MonkeyPatch,
    hash_check: bool,
) -> None:
    """`touch -d` restores size and mtime but not ctime; the content hash backs that up."""
    if not hash_check:  # only the stamps: the ctime alone must tell the change
        monkeypatch.setattr(cache, "RACY_NS", -(10**30))
    path = small
    assert "first" in json.loads(on(runner, path, "r7", "--json").stdout)["summary"]
    same_size_edit(path, b"first", b"FIRST")
    assert "FIRST" in json.loads(on(runner, path, "r7", "--json").stdout)["summary"]


def test_a_verified_cache_is_redated_to_skip_hashing(
    tmp_path: Path, cache_home: Path, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file cached right after it was saved is hashed on the next run; once that matched well
    after the last change, the cache is re-dated and later runs do not hash 25 MB again."""
    files = [CatalogFile("option", str(small))]
    load_files(files)
    with sqlite3.connect(the_cache(cache_home)) as db:
        taken = int(db.execute("SELECT value FROM meta WHERE key = 'taken'").fetchone()[0])
    db.close()
    changed = max(small.stat().st_mtime_ns, small.stat().st_ctime_ns)
    # As if the file had been saved just inside the window before it was read (no sleeping).
    monkeypatch.setattr(cache, "RACY_NS", taken - changed + 1)
    hashed: list[bytes] = []
    real = cache.digest
    monkeypatch.setattr(cache, "digest", lambda raw: hashed.append(raw) or real(raw))
    assert cache.open_cached(files, lambda: pytest.fail("rebuilt")) is not None
    assert len(hashed) == 1
    assert cache.open_cached(files, lambda: pytest.fail("rebuilt")) is not None
    assert len(hashed) == 1  # re-dated: not hashed again


@pytest.mark.subprocess
def test_cp_p_of_a_same_size_variant_is_seen(shell: Any, tmp_path: Path, cache_home: Path) -> None:
    """`cp -p` copies content and mtime over the cached file: the next run sees the copy."""
    path = tmp_path / "big.json"
    variant = tmp_path / "variant.json"
    big_catalogue(path, "first")
    big_catalogue(variant, "VARIA")
    os.utime(variant, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))
    env = {"XDG_CACHE_HOME": str(cache_home)}
    command = f"whoiswho --no-bundled --catalog {path} r7 --json | jq -r .summary"
    assert "first" in shell(command, env=env).stdout
    assert shell(f"cp -p {variant} {path}").returncode == 0
    assert "VARIA" in shell(command, env=env).stdout


def test_a_file_broken_in_place_is_reported(
    runner: CliRunner, tmp_path: Path, cache_home: Path, small: Path
) -> None:
    """Broken with size and mtime kept: every command and `catalog validate` say so (exit 2)."""
    path = small
    assert invoke(runner, "catalog", "validate", str(path)).exit_code == 0  # cached
    assert on(runner, path, "r7").exit_code == 0  # cached
    same_size_edit(path, b'"roles": [', b'"roles": {')
    for result in (invoke(runner, "catalog", "validate", str(path)), on(runner, path, "r7")):
        assert result.exit_code == 2
        assert "not valid JSON" in result.stderr


def forge(cache_file: Path, files: list[CatalogFile]) -> None:
    """Make a cache claim it was written from the files as they are now (stamps and hashes)."""
    now = cache.stamps(files)
    hashes = [cache.digest(Path(f.path).read_bytes()) for f in files]
    with sqlite3.connect(cache_file) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'stamps'", (json.dumps(now),))
        db.execute("UPDATE meta SET value = ? WHERE key = 'hashes'", (json.dumps(hashes),))
    db.close()


def test_validating_never_reads_the_cache(tmp_path: Path, cache_home: Path, small: Path) -> None:
    """load_files(use_cache=False) parses the files even when a (forged) cache claims them."""
    path = small
    files = [CatalogFile("option", str(path))]
    load_files(files)
    same_size_edit(path, b'"roles": [', b'"roles": {')
    forge(the_cache(cache_home), files)
    assert load_files(files).version == "2026.01.01"  # the forged cache answers...
    with pytest.raises(CatalogError, match="not valid JSON"):
        load_files(files, use_cache=False)  # ...but not to validation


def test_catalog_validate_never_answers_from_a_cache(
    runner: CliRunner, tmp_path: Path, cache_home: Path, small: Path
) -> None:
    """`catalog validate` checks the file itself, even against a cache that claims it."""
    path = small
    assert invoke(runner, "catalog", "validate", str(path)).exit_code == 0
    # A lookup writes the cache (validation never does), which is then forged to claim the file.
    assert invoke(runner, "--catalog", str(path), "cfo", "--json").exit_code == 0
    same_size_edit(path, b'"roles": [', b'"roles": {')
    files = [CatalogFile("bundled", bundled_path()), CatalogFile("option", str(path))]
    forge(the_cache(cache_home), files)
    assert invoke(runner, "catalog", "validate", str(path)).exit_code == 2


@pytest.mark.subprocess
def test_a_file_saved_while_it_is_parsed_is_not_cached_stale(
    tmp_path: Path, cache_home: Path, runner: CliRunner
) -> None:
    """A real second process parses; the file is saved (same size) before it stores the cache.

    The parse waits on a pipe between reading and building, so the race is certain, not timed.
    """
    path = tmp_path / "big.json"
    big_catalogue(path, "first")
    child = """if True:
        import sys
        import whoiswho.catalog as catalog
        from whoiswho.locations import CatalogFile
        real = catalog.merge
        def merge(layers, **options):
            print("read", flush=True)
            sys.stdin.readline()
            return real(layers, **options)
        catalog.merge = merge
        catalog.load_files([CatalogFile("option", sys.argv[1])])
    """
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    with subprocess.Popen(
        [sys.executable, "-c", child, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stdin is not None
        assert proc.stdout.readline() == "read\n"
        same_size_edit(path, b"first", b"SAVED")
        proc.stdin.write("go\n")
        proc.stdin.close()
        assert proc.wait(timeout=120) == 0
    assert "SAVED" in json.loads(on(runner, path, "r7", "--json").stdout)["summary"]


def test_an_upgrade_never_serves_old_validation(
    tmp_path: Path, cache_home: Path, small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache is for one package version and one version of the validating code."""
    path = small
    files = [CatalogFile("option", str(path))]
    load_files(files)
    assert cache.open_cached(files, lambda: pytest.fail("rebuilt")) is not None
    import whoiswho.version

    with monkeypatch.context() as patch:
        patch.setattr(whoiswho.version, "package_version", lambda: "99.0")
        assert cache.open_cached(files, lambda: pytest.fail("rebuilt")) is None
    with monkeypatch.context() as patch:
        patch.setattr(cache, "SOURCES", ("model.py",))  # as if validate.py had changed
        assert cache.open_cached(files, lambda: pytest.fail("rebuilt")) is None


@pytest.mark.subprocess
def test_cache_folder_and_file_are_private(shell: Any, tmp_path: Path, cache_home: Path) -> None:
    """Folder 0700, file 0600, even with `umask 000`; a 0755 folder of an earlier version too."""
    path = tmp_path / "big.json"
    big_catalogue(path)
    env = {"XDG_CACHE_HOME": str(cache_home)}
    command = f"umask 000; whoiswho --no-bundled --catalog {path} r7 --json"
    assert shell(command, env=env).returncode == 0
    folder = cache_home / "whoiswho"
    assert stat.S_IMODE(written(cache_home).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    folder.chmod(0o755)
    assert shell(command, env=env).returncode == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def plant(runner: CliRunner, path: Path, cache_home: Path, monkeypatch: Any, shared: Path) -> Path:
    """A poisoned copy of a real cache for `path`, in `shared`/whoiswho (as another user would)."""
    assert on(runner, path, "r7").exit_code == 0
    (shared / "whoiswho").mkdir(parents=True, exist_ok=True)
    poisoned = shared / "whoiswho" / the_cache(cache_home).name
    poisoned.write_bytes(the_cache(cache_home).read_bytes())
    with sqlite3.connect(poisoned) as db:
        edit_role(db, "r7", "summary", "POISON", forge=True)
    db.close()
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    return poisoned


def served(runner: CliRunner, path: Path) -> str:
    result = on(runner, path, "r7", "--json")
    assert result.exit_code == 0, result.stderr
    summary: str = json.loads(result.stdout)["summary"]
    return summary


def test_a_cache_folder_others_can_write_is_not_used(
    runner: CliRunner,
    tmp_path: Path,
    cache_home: Path,
    small: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A team folder (group or world writable): a planted cache is neither served nor replaced."""
    path = small
    for mode in (0o777, 0o770, 0o702):
        poisoned = plant(runner, path, cache_home, monkeypatch, tmp_path / f"team{mode:o}")
        poisoned.parent.chmod(mode)
        assert served(runner, path) != "POISON"
        assert [p.name for p in poisoned.parent.iterdir()] == [poisoned.name]


def test_a_cache_folder_in_a_world_writable_parent_is_not_used(
    runner: CliRunner,
    tmp_path: Path,
    cache_home: Path,
    small: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the sticky bit anyone may swap the folder: not used (with it, as /tmp, it is)."""
    path = small
    poisoned = plant(runner, path, cache_home, monkeypatch, tmp_path / "open")
    poisoned.parent.chmod(0o700)
    poisoned.parent.parent.chmod(0o777)
    assert served(runner, path) != "POISON"
    poisoned.parent.parent.chmod(0o777 | stat.S_ISVTX)
    assert served(runner, path) == "POISON"  # the user's own private folder: trusted


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give files to another user")
def test_a_cache_owned_by_another_user_is_not_used(
    runner: CliRunner,
    tmp_path: Path,
    cache_home: Path,
    small: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Folder or file of another user (planted in a shared place): neither read nor written."""
    path = small
    poisoned = plant(runner, path, cache_home, monkeypatch, tmp_path / "theirs")
    poisoned.parent.chmod(0o700)
    os.chown(poisoned.parent, 65534, 65534)
    assert served(runner, path) != "POISON"
    os.chown(poisoned.parent, 0, 0)
    os.chown(poisoned, 65534, 65534)
    assert served(runner, path) != "POISON"


def test_a_symlink_at_the_cache_path_is_never_followed(
    runner: CliRunner,
    tmp_path: Path,
    cache_home: Path,
    small: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A link at the cache's name (or the old predictable temp name) is replaced, not written
    through; a link to a poisoned cache is not served."""
    path = small
    poisoned = plant(runner, path, cache_home, monkeypatch, tmp_path / "elsewhere")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    target = the_cache(cache_home)
    target.unlink()
    target.symlink_to(poisoned)
    assert served(runner, path) != "POISON"
    assert not target.is_symlink()
    victim = tmp_path / "victim"
    victim.write_bytes(b"")
    target.unlink()
    target.symlink_to(victim)
    Path(f"{target}.{os.getpid()}.tmp").symlink_to(victim)  # the name earlier versions used
    load_files([CatalogFile("option", str(path))])
    assert victim.read_bytes() == b""
    assert not target.is_symlink()


def test_leftover_temporary_files_are_pruned(tmp_path: Path, cache_home: Path, small: Path) -> None:
    """Temp files of a killed write (SIGKILL leaves them) go at the next write once stale."""
    folder = cache_home / "whoiswho"
    folder.mkdir(parents=True, mode=0o700)
    names = ["catalog-0badcafe.sqlite.123.tmp", "catalog-0badcafe.sqlite.123.tmp-journal"]
    for name in [*names, "catalog-0badcafe.sqlite.f00d.tmp"]:
        (folder / name).write_bytes(b"x")
    for name in names:  # older than any write takes
        os.utime(folder / name, ns=(0, 0))
    path = small
    load_files([CatalogFile("option", str(path))])
    assert leftovers(cache_home) == ["catalog-0badcafe.sqlite.f00d.tmp"]  # may be in progress


@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError(28, "No space left on device")])
def test_an_interrupted_or_failing_write_leaves_nothing(
    tmp_path: Path, cache_home: Path, small: Path, monkeypatch: pytest.MonkeyPatch, error: Any
) -> None:
    """Ctrl-C or a full disk in the middle of writing the cache: no temp file or journal."""
    calls = 0
    real = cache.row_sum

    def failing(*row: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls > 10:
            raise error
        return real(*row)

    monkeypatch.setattr(cache, "row_sum", failing)
    path = small
    if error is KeyboardInterrupt:
        with pytest.raises(KeyboardInterrupt):
            load_files([CatalogFile("option", str(path))])
    else:
        load_files([CatalogFile("option", str(path))])
    assert leftovers(cache_home) == []
    assert not list((cache_home / "whoiswho").glob("*journal"))


def test_a_lone_surrogate_never_breaks_the_cache_write(
    runner: CliRunner, tmp_path: Path, cache_home: Path, small: Path
) -> None:
    """A name with a lone surrogate (legal JSON) cannot go into SQLite: no cache, no temp file."""
    path = small
    text = path.read_text(encoding="utf-8").replace('"Other 7"', '"Other 7 \\ud800"')
    path.write_text(text, encoding="utf-8")
    for _ in range(2):
        result = on(runner, path, "r7", "--json")
        assert result.exit_code == 0
        assert json.loads(result.stdout)["other_names"] == ["Other 7 \ud800"]
    assert leftovers(cache_home) == []


@pytest.mark.subprocess
def test_a_path_that_is_not_utf8_is_cached(
    installed: Path, tmp_path: Path, cache_home: Path
) -> None:
    """A catalogue at a path with a byte that is not UTF-8 crashed every command."""
    path = tmp_path / os.fsdecode(b"big-\xff.json")
    big_catalogue(path)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    command = [os.fsencode(installed), b"--no-bundled", b"--catalog", os.fsencode(path), b"r7"]
    for _ in range(2):
        result = subprocess.run(command, env=env, capture_output=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert written(cache_home).exists()
    assert leftovers(cache_home) == []


@pytest.mark.subprocess
def test_a_relative_xdg_cache_home_writes_nothing_here(
    shell: Any, tmp_path: Path, cache_home: Path
) -> None:
    """A relative XDG_CACHE_HOME wrote a 43 MB cache into the current folder: ~/.cache instead."""
    path = tmp_path / "big.json"
    big_catalogue(path)
    home = tmp_path / "home"
    home.mkdir()
    env = {"XDG_CACHE_HOME": "relative", "HOME": str(home)}
    assert shell(f"whoiswho --no-bundled --catalog {path} r7", env=env).returncode == 0
    assert written(home / ".cache").exists()
    assert not (tmp_path / "relative").exists()


def test_the_cache_can_be_turned_off(
    runner: CliRunner,
    tmp_path: Path,
    cache_home: Path,
    small: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """WHOISWHO_NO_CACHE=1 reads the files every time and writes nothing."""
    monkeypatch.setenv("WHOISWHO_NO_CACHE", "1")
    path = small
    for _ in range(2):
        assert on(runner, path, "r7", "--json").exit_code == 0
    assert not cache_home.exists()


@pytest.mark.subprocess
def test_the_installed_command_answers_first_and_writes_the_cache_after(
    shell: Any, tmp_path: Path, cache_home: Path
) -> None:
    """The first run after a change answers from its parse while a detached process writes the
    cache: a pipe reading the answer ends with it, the cache then appears whole, and the next
    runs answer the same from it without writing it again."""
    path = tmp_path / "big.json"
    big_catalogue(path)
    env = {"XDG_CACHE_HOME": str(cache_home)}
    command = f"timeout 20 whoiswho --no-bundled --catalog {path} r7 --json | cat"
    first = shell(command, env=env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["id"] == "r7"
    cache = written(cache_home)
    inode = cache.stat().st_ino  # a new cache would be a new file renamed into place
    for _ in range(2):
        again = shell(command, env=env)
        assert (again.returncode, again.stdout, again.stderr) == (0, first.stdout, "")
    assert cache.stat().st_ino == inode
    assert leftovers(cache_home) == []


def test_a_writer_is_started_only_where_a_cache_can_be(
    small: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No cache (WHOISWHO_NO_CACHE) or not Linux: no process is forked; else one is (here a
    fork that fails, so the caller writes the cache itself)."""
    from whoiswho.catalog import merge

    forks: list[int] = []

    def fork() -> int:
        forks.append(1)
        raise OSError("no fork in this test")

    monkeypatch.setattr(os, "fork", fork)
    merged = merge([read_layer(small)], index=False)
    files = [CatalogFile("option", str(small))]
    monkeypatch.setenv("WHOISWHO_NO_CACHE", "1")
    assert cache.store_detached(files, [], 0, [], merged) is False
    monkeypatch.delenv("WHOISWHO_NO_CACHE")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cache.store_detached(files, [], 0, [], merged) is False
    assert forks == []
    monkeypatch.setattr(sys, "platform", "linux")
    assert cache.store_detached(files, [], 0, [], merged) is False
    assert forks == [1]
