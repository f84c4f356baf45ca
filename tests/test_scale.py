"""Issue 17: big catalogues answer from the cache's indexes (names, lines, children), stream
their lists, and never answer differently from a fresh parse of the files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import invoke
from tests.test_cache import big_catalogue
from whoiswho import app, cache, cachedb
from whoiswho.catalog import build, load_files, read_layer
from whoiswho.locations import CatalogFile


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def cached(tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A catalogue of about 150 roles over a lowered threshold, its cache written."""
    import whoiswho.catalog
    import whoiswho.locations

    for module in (whoiswho.catalog, whoiswho.locations):
        monkeypatch.setattr(module, "CACHE_THRESHOLD", 40_000)
    path = tmp_path / "big.json"
    big_catalogue(path, over=40_000)
    doc = json.loads(path.read_text(encoding="utf-8"))
    # Alternative superiors, so that charts draw dashed edges too.
    doc["roles"][9]["reports_to_alternatives"] = ["r1", "r3"]
    doc["roles"][30]["reports_to_alternatives"] = ["r2"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert not list((cache_home / "whoiswho").glob("*.sqlite"))
    # The first load writes the cache and answers from it, as every later one does.
    assert isinstance(load_files([CatalogFile("option", str(path))]), cachedb.CachedCatalog)
    assert len(list((cache_home / "whoiswho").glob("*.sqlite"))) == 1
    assert isinstance(load_files([CatalogFile("option", str(path))]), cachedb.CachedCatalog)
    return path


def count_decoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The id of each role row decoded from now on."""
    decoded: list[str] = []
    real = cachedb.decode_row

    def counting(row: Any, files: Any) -> Any:
        decoded.append(row[0])
        return real(row, files)

    monkeypatch.setattr(cachedb, "decode_row", counting)
    return decoded


def on(runner: CliRunner, path: Path, *args: str) -> Any:
    return invoke(runner, "--no-bundled", "--catalog", str(path), *args)


def test_completion_reads_names_from_the_cache_columns(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The names completion offers come from columns, in catalogue order, no role decoded."""

    def never(*_: object) -> None:
        raise AssertionError("completion decoded a role")

    monkeypatch.setattr(cachedb, "decode_row", never)
    files = [CatalogFile("option", str(cached))]
    fresh = build([read_layer(cached)])
    expected = [(r.id, r.abbreviation, r.title) for r in fresh.roles.values()]
    assert cache.completion_names(files) == expected


@pytest.mark.parametrize("typed", ["", "a", "AB1", "ab1", "sh", "r1", "R1", "%", "_", "\\", "é"])
def test_completion_narrowed_in_sqlite_offers_what_the_scan_offers(
    cached: Path, typed: str
) -> None:
    """Names narrowed down by SQLite's LIKE give the same completions as all names filtered."""
    from whoiswho.locations import completions

    files = [CatalogFile("option", str(cached))]
    everything = cache.completion_names(files)
    narrowed = cache.completion_names(files, typed)
    assert everything is not None
    assert narrowed is not None
    assert completions(narrowed, typed) == completions(everything, typed)
    if typed == "AB1":
        assert len(narrowed) < len(everything) // 2


def test_completion_without_a_current_cache_is_none(cached: Path) -> None:
    """A changed file makes the cached names unusable: completion loads the files instead."""
    files = [CatalogFile("option", str(cached))]
    cached.write_text(cached.read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert cache.completion_names(files) is None


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--json"),
        ("list", "--json", "--indent", "2"),
        ("list", "--json", "--indent", "3", "--fields", "id,reporting_line"),
        ("list", "--jsonl"),
        ("list",),
        ("chart", "r1", "--json"),
        ("chart", "r2", "--format", "mermaid"),
        ("chart", "r0", "--format", "dot"),
        ("chart", "r9", "--json"),
        ("chart", "--json"),
    ],
)
def test_streamed_and_indexed_answers_equal_a_fresh_parse(
    runner: CliRunner, cached: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """Lists streamed from the cache and charts walked through its index print what a fresh
    parse of the file prints, byte for byte."""
    from_cache = on(runner, cached, *args)
    monkeypatch.setenv("WHOISWHO_NO_CACHE", "1")
    from_file = on(runner, cached, *args)
    assert from_cache.exit_code == from_file.exit_code == 0, from_cache.stderr
    assert from_cache.stdout == from_file.stdout
    if args[:2] == ("list", "--json"):
        indent = int(args[3]) if len(args) > 3 else None
        data = json.loads(from_file.stdout)
        assert (
            from_file.stdout
            == json.dumps(data, indent=indent, separators=None if indent else (",", ":")) + "\n"
        )


def test_a_subtree_chart_decodes_only_the_subtree(
    cached: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """chart ROOT reads the roles under ROOT through the reports_to index, not every role."""
    from whoiswho import chart

    catalog = load_files([CatalogFile("option", str(cached))])
    assert isinstance(catalog, cachedb.CachedCatalog)
    decoded = count_decoded(monkeypatch)
    roots = chart.build_tree(catalog, "r5")
    shown = [node.role.id for _, node in chart.walk(roots)]
    assert set(decoded) >= set(shown)
    assert len(decoded) < len(catalog.roles) // 4
    fresh = build([read_layer(cached)])
    assert shown == [node.role.id for _, node in chart.walk(chart.build_tree(fresh, "r5"))]


def test_streaming_a_list_keeps_few_roles(cached: Path) -> None:
    """iter_roles hands out every role in order without keeping them all decoded."""
    catalog = load_files([CatalogFile("option", str(cached))])
    assert isinstance(catalog, cachedb.CachedCatalog)
    fresh = build([read_layer(cached)])
    assert list(catalog.iter_roles()) == list(fresh.roles.values())
    lines = []
    for role in catalog.iter_roles():
        lines.append([r.id for r in catalog.reporting_line(role)])
    assert lines == [[r.id for r in fresh.reporting_line(r)] for r in fresh.roles.values()]
    assert catalog.fresh is None


def bundled_queries() -> list[str]:
    """Every word of the bundled catalogue's titles and summaries, and pairs of them."""
    from whoiswho.locations import bundled_path
    from whoiswho.text import words

    fresh = build([read_layer(bundled_path())])
    found: dict[str, None] = {}
    for role in fresh.roles.values():
        for word in words(f"{role.title} {role.summary} {role.responsibilities[0]}"):
            found[word] = None
    single = list(found)
    return single + [f"{a} {b}" for a, b in zip(single[::7], single[3::7], strict=False)]


def test_the_search_index_ranks_the_bundled_catalogue_as_the_scan_does(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache's search index (built on the first search) gives the same hits, scores and
    order as today's in-memory search, for every word of the bundled catalogue and pairs."""
    import whoiswho.catalog
    from whoiswho.errors import NoSearchWordsError
    from whoiswho.locations import bundled_path
    from whoiswho.search import search

    monkeypatch.setattr(whoiswho.catalog, "CACHE_THRESHOLD", 0)
    files = [CatalogFile("bundled", bundled_path())]
    load_files(files)
    catalog = load_files(files)
    assert isinstance(catalog, cachedb.CachedCatalog)
    fresh = load_files(files, use_cache=False)
    queries = bundled_queries()
    assert len(queries) > 300
    for query in queries:
        for limit in (None, 1, 10):
            try:
                expected = search(fresh, query, limit)
            except NoSearchWordsError:
                continue
            assert search(catalog, query, limit) == expected, (query, limit)
    assert catalog.fresh is None  # answered from the index, never from a re-parse


def test_a_damaged_search_index_is_never_believed(
    runner: CliRunner, cached: Path, cache_home: Path
) -> None:
    """A mistyped index row makes the search parse the files afresh: the same answer."""
    import sqlite3

    expected = on(runner, cached, "search", "budgets", "--json")
    (path,) = (cache_home / "whoiswho").glob("catalog-*.sqlite")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE terms SET weight = 'x' WHERE pos = 3")
    db.close()
    damaged = on(runner, cached, "search", "budgets", "--json")
    assert (damaged.exit_code, damaged.stdout) == (expected.exit_code, expected.stdout)


# --- the property: cached and uncached paths answer every command identically ---

VOCABULARY = "budget budgets budgeting audit audits policy policies plan planning staff".split()


@st.composite
def catalogues(draw: st.DrawFn) -> dict[str, Any]:
    """A small valid catalogue: a forest of reporting lines, alternatives, a shared abbreviation,
    duties drawn from a few words (so searches match many roles, with ties)."""
    count = draw(st.integers(min_value=2, max_value=25))
    text = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=4).map(" ".join)
    roles = []
    for i in range(count):
        up = draw(st.one_of(st.none(), st.integers(0, i - 1))) if i else None
        role: dict[str, Any] = {
            "id": f"r{i}",
            "abbreviation": f"AB{i}",
            "title": f"Title {i} {draw(text)}",
            "area": "finance",
            "summary": draw(text),
            "responsibilities": draw(st.lists(text, min_size=1, max_size=3)),
            "reports_to": None if up is None else f"r{up}",
            "sources": [{"title": "generated"}],
        }
        if i > 1 and draw(st.booleans()):
            alt = draw(st.integers(0, i - 1))
            if f"r{alt}" != role["reports_to"]:
                role["reports_to_alternatives"] = [f"r{alt}"]
        if i % 3 == 1:
            role["abbreviation"] = "SHARED"
            role["meaning_rank"] = i
        roles.append(role)
    return {"version": "1", "roles": roles}


def batch_of(runner: CliRunner, path: Path, lines: list[str]) -> Any:
    """`show - --jsonl` over these lines, in the catalogue at `path` alone."""
    return invoke(
        runner, "--no-bundled", "--catalog", str(path), "show", "-", "--jsonl",
        input="\n".join(lines) + "\n",
    )  # fmt: skip


def answers(runner: CliRunner, path: Path, doc: dict[str, Any]) -> list[tuple[int, str, str]]:
    """Every command's exit status, stdout and stderr over the catalogue."""
    ids = [r["id"] for r in doc["roles"]]
    words = sorted({w for r in doc["roles"] for w in r["summary"].split()})
    commands = [
        ("list", "--json"),
        ("list", "--jsonl"),
        ("list",),
        ("chart", "--json"),
        ("chart", "--format", "mermaid"),
        *(("chart", i, "--json") for i in ids[:4]),
        *((i, "--json") for i in ids),
        ("SHARED", "--json"),
        ("compare", ids[0], ids[-1], "--json"),
        *(("search", w, "--json") for w in words),
        ("search", *words[:3], "--json", "--limit", "2"),
    ]
    got = [on(runner, path, *args) for args in commands]
    names = [name for r in doc["roles"] for name in (r["id"], r["title"], r["abbreviation"])]
    # The first batch writes the cache's JSON objects, the second reads them.
    batches = [batch_of(runner, path, [*names, "SHARED", "nothing"]) for _ in range(2)]
    return [(r.exit_code, r.stdout, r.stderr) for r in [*got, *batches]]


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=catalogues())
def test_cached_and_uncached_paths_answer_alike(runner: CliRunner, doc: dict[str, Any]) -> None:
    """For any generated catalogue, every command answers the same from the cache (its search
    index written by the first search) as from the file: the indexes never disagree."""
    import tempfile

    import whoiswho.catalog
    import whoiswho.locations

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        for module in (whoiswho.catalog, whoiswho.locations):
            patch.setattr(module, "CACHE_THRESHOLD", 0)
        patch.setattr(app, "STORED_AFTER", 2)  # the batch stores the roles' JSON objects
        patch.setenv("XDG_CACHE_HOME", str(Path(folder) / "cache"))
        path = Path(folder) / "catalogue.json"
        path.write_text(json.dumps(doc), encoding="utf-8")
        files = [CatalogFile("option", str(path))]
        patch.setenv("WHOISWHO_NO_CACHE", "1")
        from_file = answers(runner, path, doc)
        assert from_file[0][0] == 0, from_file[0][2]  # a valid catalogue: list --json worked
        patch.delenv("WHOISWHO_NO_CACHE")
        load_files(files)  # writes the cache
        assert isinstance(load_files(files), cachedb.CachedCatalog)
        assert answers(runner, path, doc) == from_file
        fresh = build([read_layer(path)])
        expected = [(r.id, r.abbreviation, r.title) for r in fresh.roles.values()]
        assert cache.completion_names(files) == expected


def test_a_leftover_journal_never_meets_a_new_cache(
    runner: CliRunner, cached: Path, cache_home: Path
) -> None:
    """A journal left by a search killed while writing its index is removed with the old cache,
    before the new one takes its name: it cannot be played back into the new file."""
    (path,) = (cache_home / "whoiswho").glob("catalog-*.sqlite")
    journal = Path(f"{path}-journal")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\0" * 504)
    expected = on(runner, cached, "r7", "--json").stdout
    cached.write_text(cached.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert on(runner, cached, "r7", "--json").stdout == expected  # parsed, cache rewritten
    assert not journal.exists()
    assert on(runner, cached, "search", "budgets", "--json").exit_code == 0


@pytest.mark.parametrize("form", ["json", "mermaid", "dot"])
def test_a_subtree_charts_text_forms_decode_only_the_root(
    runner: CliRunner, cached: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    """chart ROOT --format json/mermaid/dot draws from the rows' columns (each row's checksum
    compared): what a fresh parse draws, with only ROOT itself decoded (to resolve it)."""
    monkeypatch.setenv("WHOISWHO_NO_CACHE", "1")
    expected = on(runner, cached, "chart", "r1", "--format", form)
    monkeypatch.delenv("WHOISWHO_NO_CACHE")
    decoded = count_decoded(monkeypatch)
    from_cache = on(runner, cached, "chart", "r1", "--format", form)
    assert from_cache.exit_code == expected.exit_code == 0, from_cache.stderr
    assert from_cache.stdout == expected.stdout
    assert set(decoded) == {"r1"}


def test_a_batch_answers_from_the_stored_json_objects(
    runner: CliRunner, cached: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A JSON batch of STORED_AFTER lines or more writes every role's JSON object into the
    cache (a shorter one does not); later batches answer a line that names one role with it,
    decoding nothing, byte for byte as a fresh parse answers. Stored objects that do not
    match their checksum, or a table left half written by a killed run, are never used."""
    lines = ["r7", "AB8", "Title 9", "SHARED", "nothing", "r7", "ab8"]
    (path,) = (cache_home / "whoiswho").glob("catalog-*.sqlite")
    batch_of(runner, cached, lines)
    with sqlite3.connect(path) as db:  # a short batch leaves the cache as it was
        assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'rendered'").fetchall()
    db.close()
    monkeypatch.setattr(app, "STORED_AFTER", 1)
    monkeypatch.setenv("WHOISWHO_NO_CACHE", "1")
    expected = batch_of(runner, cached, lines)
    monkeypatch.delenv("WHOISWHO_NO_CACHE")
    assert batch_of(runner, cached, lines).stdout == expected.stdout  # writes the table
    decoded = count_decoded(monkeypatch)
    again = batch_of(runner, cached, lines)
    assert (again.exit_code, again.stdout) == (expected.exit_code, expected.stdout)
    single = ["r7", "AB8", "Title 9"]
    decoded.clear()
    assert batch_of(runner, cached, single).stdout == batch_of(runner, cached, single).stdout
    assert decoded == []  # every line named one role: all from the stored objects
    with sqlite3.connect(path) as db:
        db.execute("""UPDATE rendered SET json = '{"schema_version":1}' WHERE pos = 7""")
    db.close()
    assert batch_of(runner, cached, lines).stdout == expected.stdout
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE rendered RENAME TO rendering")  # as a killed build leaves it
    db.close()
    assert batch_of(runner, cached, lines).stdout == expected.stdout
    with sqlite3.connect(path) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert "rendered" in tables
    assert "rendering" not in tables
