"""What each command does, click-free: one function per command, called by both entry points.

`cli/` parses arguments into a `Settings` and an `Output` and calls one of these; `entry.py` does
the same for the plain `whoiswho ROLE [--json]` forms without importing click. Each function returns
the exit status and reports its own errors through `output.guarded`, so the two paths cannot drift.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from whoiswho.errors import EXIT_NOT_FOUND, UnknownRoleError, UsageError, WhoiswhoError, shown
from whoiswho.output import (
    Output,
    guarded,
    report,
    stdout_is_terminal,
    warn,
    write,
    write_chunked,
)

if TYPE_CHECKING:
    from whoiswho.compare import Comparison
    from whoiswho.locations import CatalogFile
    from whoiswho.model import Catalog

CHART_FIELDS = ("schema_version", "root", "nodes", "edges")
# Above this many roles `list` keeps the files' order unless --sort is given: sorting means
# holding every role, and a big catalogue is listed in constant memory.
SORTED_LIST_LIMIT = 5_000
# A batch remembers this many printed roles (a column of titles repeats itself), no more.
BATCH_MEMO = 4096
# A JSON batch this long has the cache store every role's JSON object (see _show_batch); the
# first of them pays once (about 1.5 s at 50,000 roles), later ones answer 3 times faster.
STORED_AFTER = 1000


class Settings(NamedTuple):
    """Which catalogue files an invocation reads (the group's options; the environment is read
    by `locations.load_order` itself)."""

    catalogs: tuple[str, ...] = ()
    bundled: bool = True

    def files(self) -> list[CatalogFile]:
        from whoiswho.locations import load_order

        return load_order(self.catalogs, bundled=self.bundled)

    def catalog(self) -> Catalog:
        from whoiswho.catalog import load_files

        return load_files(self.files())


def show(settings: Settings, query: str, out: Output, *, words: Sequence[str] = ()) -> int:
    """`whoiswho QUERY`, `show QUERY`, `show -`: a role's card or JSON object; `words`, when
    the query was typed as several words (see show_words)."""
    return guarded(out, lambda: _show(settings, query, out, words))


def show_words(settings: Settings, words: Sequence[str], out: Output) -> int:
    """`whoiswho chief people officer`: the words are one query, as if quoted.

    When every word names a role but the words together do not (`whoiswho CEO COO`), the user
    most likely forgot `compare`: a usage error that says so, rather than a miss.
    """
    if len(words) > 1:
        return show(settings, " ".join(words), out, words=words)
    return show(settings, " ".join(words), out)


def _forgotten_compare(catalog: Catalog, words: Sequence[str]) -> None:
    from whoiswho.lookup import match
    from whoiswho.text import lookup_key

    if lookup_key(" ".join(words)) in catalog.index:
        return
    for word in words:
        try:
            match(catalog, word)
        except WhoiswhoError:
            return
    raise UsageError(
        f"{shown(' '.join(words))} is not one role, but each word is: to compare them, "
        f"run `whoiswho compare {' '.join(words)}`"
    )


def _show(settings: Settings, query: str, out: Output, words: Sequence[str]) -> int:
    from whoiswho import render_json
    from whoiswho.lookup import match

    catalog = settings.catalog()  # once: the forgotten-compare check reads the same one
    if len(words) > 1:
        _forgotten_compare(catalog, words)
    fields = out.checked_fields(render_json.ROLE_FIELDS)
    if query == "-":
        return _show_batch(catalog, stdin_lines(), out, fields)
    try:
        found = match(catalog, query)
    except UnknownRoleError as miss:
        # Not a name in the catalogue: perhaps a rank ("VP") or a title as people write it.
        from whoiswho.app_classify import show_title

        return show_title(catalog, query, out, miss)
    if out.machine:
        role = found.one()  # the match made above, not a second lookup
        out.present(render_json.select(render_json.role_dict(catalog, role), fields))
        return 0
    from whoiswho.render_rich import lookup_view

    out.rich(lookup_view(catalog, found, all_sources=out.all_sources))
    return 0


def stdin_lines() -> Iterator[str]:
    """One query per stdin line, without its line ending; a closed stdin is a usage error.

    On a terminal nothing seems to happen while it waits, so it says what it expects first.
    """
    if sys.stdin is None:
        raise UsageError("cannot read queries: standard input is closed")
    if sys.stdin.isatty():
        warn("whoiswho: reading queries from standard input, one per line (Ctrl-D to end)")
    return (line.rstrip("\r\n") for line in sys.stdin)


def _show_batch(
    catalog: Catalog, queries: Iterable[str], out: Output, fields: tuple[str, ...] | None
) -> int:
    """One answer per query, in order; exit 1 when any line failed, the rest still answered."""
    from whoiswho.lookup import Resolver, resolve_each

    failures = 0
    if out.machine:
        from whoiswho import render_json

        serialised: dict[str, str] = {}  # role id -> its line: many spellings, one role
        resolve = Resolver(catalog)
        # A large catalogue's cache can keep each role's JSON object (what role_dict and dumps
        # make, stored), written by the first batch that reaches STORED_AFTER lines: a line
        # that names one role is then answered with it. Short batches never pay for writing.
        stored = False

        def batch() -> Iterator[str]:
            nonlocal failures, stored
            for count, query in enumerate(queries, start=1):
                if count == STORED_AFTER and fields is None:
                    stored = catalog.rendered_roles()
                line = catalog.role_json(query) if stored else None
                if line is not None:
                    yield line
                    continue
                found = resolve(query)
                if isinstance(found, WhoiswhoError):
                    failures += 1
                    yield render_json.dumps(render_json.batch_error_dict(query, found), None)
                    continue
                line = serialised.get(found.id)
                if line is None:
                    if len(serialised) >= BATCH_MEMO:
                        serialised.clear()  # memory stays flat over any number of roles
                    data = render_json.select(render_json.role_dict(catalog, found), fields)
                    line = serialised[found.id] = render_json.dumps(data, None)
                yield line

        with catalog.snapshot():
            write_chunked(batch())
    else:
        from whoiswho import render_rich

        with catalog.snapshot():
            for _query, found in resolve_each(catalog, queries):
                if isinstance(found, WhoiswhoError):
                    failures += 1
                    report(found, as_json=False)
                else:
                    out.rich(render_rich.role_card(catalog, found, all_sources=out.all_sources))
    return EXIT_NOT_FOUND if failures else 0


def compare(settings: Settings, queries: Iterable[str], out: Output) -> int:
    """`compare A B ...`: what the roles share, what only each does, how they relate."""

    def work() -> int:
        from whoiswho.compare import compare as compare_roles
        from whoiswho.compare import resolve_all

        catalog = settings.catalog()
        comparison = compare_roles(catalog, resolve_all(catalog, queries))
        from whoiswho import render_json

        fields = out.checked_fields(render_json.ROLE_FIELDS) if out.machine else None
        out.present(
            render_json.comparison_dict(catalog, comparison, fields) if out.machine else None,
            lambda: _rich_comparison(catalog, comparison, out),
        )
        return 0

    return guarded(out, work)


def _rich_comparison(catalog: Catalog, comparison: Comparison, out: Output) -> None:
    from whoiswho.render_compare import comparison_view

    out.rich(comparison_view(catalog, comparison))


def list_roles(settings: Settings, out: Output, sort: str | None = None) -> int:
    """`list`: every role, in the order `sort` names (by default: by area for catalogues up to
    SORTED_LIST_LIMIT roles, as the files list them above); a table on a terminal,
    tab-separated records when piped."""

    def work() -> int:
        from whoiswho.lookup import ordered

        catalog = settings.catalog()
        order = sort or ("area" if len(catalog.roles) <= SORTED_LIST_LIMIT else "catalogue")
        # In catalogue order, roles are streamed one by one (500,000 are never held whole);
        # any other order holds them to sort them.
        roles = catalog.iter_roles()
        if order != "catalogue":
            roles = iter(ordered(catalog, roles, order))
        if out.machine:
            from whoiswho import render_json

            fields = out.checked_fields(render_json.ROLE_FIELDS)
            out.present(
                render_json.select(render_json.role_dict(catalog, r), fields) for r in roles
            )
        elif not stdout_is_terminal() and out.color != "always":
            from whoiswho.render_text import record

            write_chunked(record(r.id, r.abbreviation, r.title) for r in roles)
        else:
            from whoiswho.render_rich import RoleTable

            out.rich(RoleTable(catalog, list(roles)))
        return 0

    return guarded(out, work)


def search(settings: Settings, words: Iterable[str], limit: int, out: Output) -> int:
    """`search WORDS`: roles ranked by what they do; exit 1 when nothing matches."""

    def work() -> int:
        from whoiswho import render_json
        from whoiswho.app_classify import title_roles
        from whoiswho.search import promote
        from whoiswho.search import search as search_roles

        query = " ".join(words)
        fields = out.checked_fields(render_json.HIT_FIELDS) if out.machine else None
        catalog = settings.catalog()
        preferred = title_roles(catalog, query)
        # Promoting needs every hit (a preferred role may rank below the limit); without one,
        # a big catalogue's index returns only the best `limit`, never decoding the rest.
        hits = (
            promote(search_roles(catalog, query), preferred)[:limit]
            if preferred
            else (search_roles(catalog, query, limit))
        )
        if out.machine:
            out.present([render_json.select(render_json.hit_dict(h), fields) for h in hits])
        elif hits:
            from whoiswho.render_rich import search_view

            out.rich(search_view(query, hits))
        else:
            from whoiswho.render_text import record

            warn(record(f"whoiswho: no role matches the words {shown(query)}"))
        return 0 if hits else EXIT_NOT_FOUND

    return guarded(out, work)


def chart(settings: Settings, root: str | None, fmt: str, out: Output) -> int:
    """`chart [ROOT]`: the reporting tree as a terminal tree, Mermaid, DOT or JSON."""

    def work() -> int:
        from whoiswho import render_chart
        from whoiswho.lookup import resolve
        from whoiswho.render_json import select

        catalog = settings.catalog()
        root_id = resolve(catalog, root).id if root else None
        # --format json is --json; --json wins over any other --format.
        shown_as = out._replace(format="json") if fmt == "json" and not out.machine else out
        if shown_as.machine:
            fields = shown_as.checked_fields(CHART_FIELDS)
            shown_as.present(select(render_chart.to_dict(catalog, root_id), fields))
        elif fmt == "mermaid":
            write(render_chart.to_mermaid(catalog, root_id))
        elif fmt == "dot":
            write(render_chart.to_dot(catalog, root_id))
        elif fmt == "tree":
            from whoiswho.chart import build_tree
            from whoiswho.render_tree import chart_tree

            # On a terminal the tree fits the screen; piped or saved, it is whole.
            whole = not stdout_is_terminal() and out.color != "always"
            tree = chart_tree(catalog, build_tree(catalog, root_id), whole=whole)
            out.rich(tree, min_width=tree.needed_width() if whole else 0)
        else:
            raise UsageError(f"unknown chart format {fmt!r}")
        return 0

    return guarded(out, work)
