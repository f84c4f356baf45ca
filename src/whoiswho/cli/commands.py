"""The lookup commands: show (and the bare `whoiswho QUERY`), compare, list, search, chart."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

import click

from whoiswho.cli.base import (
    CONTEXT,
    Output,
    WhoiswhoGroup,
    complete_roles,
    load_catalog,
    output_options,
    print_version,
    report,
)
from whoiswho.errors import EXIT_NOT_FOUND, UsageError, WhoiswhoError, shown
from whoiswho.render_text import record

if TYPE_CHECKING:
    from whoiswho.model import Catalog, Role


@click.group(
    name="whoiswho",
    cls=WhoiswhoGroup,
    context_settings=CONTEXT,
    no_args_is_help=True,
    epilog="""\b
Examples:
  whoiswho CFO                     what a CFO is, does, and reports to
  whoiswho compare CIO CTO         how two titles that sound alike differ
  whoiswho CSO                     every meaning of an ambiguous abbreviation
  whoiswho cfo --json | jq -r .title
  whoiswho list                    every role in the catalogue
  whoiswho search who owns the budget
  whoiswho chart cto               the reporting tree below the CTO
  whoiswho --catalog ours.json CFO with your own titles on top

Catalogue files load in this order, later ones overriding earlier ones by id:
the bundled catalogue, your per-user file (see `whoiswho catalog paths`),
each file in WHOISWHO_CATALOG (a path list), then each --catalog PATH.

Exit statuses: 0 answered, 1 not found, 2 usage error or bad catalogue,
3 ambiguous query where one answer was required (--json).""",
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=print_version,
    help="Show the version and exit.",
)
@click.option(
    "--catalog",
    "catalogs",
    multiple=True,
    metavar="PATH",
    help="Load an extra catalogue file on top (repeatable; later files win, entry by entry).",
)
@click.option(
    "--no-bundled", is_flag=True, help="Use only your own catalogue files, not the bundled one."
)
def cli(catalogs: tuple[str, ...], no_bundled: bool) -> None:
    """Who is who at the top of a company: executive titles, what they do, whom they report to.

    `whoiswho QUERY` is short for `whoiswho show QUERY`.
    """


@cli.command()
@click.argument("query", shell_complete=complete_roles)
@output_options(jsonl=True)
def show(query: str, out: Output) -> None:
    """Look up a role by abbreviation, id, title, other name or Chinese name.

    \b
    Examples:
      whoiswho show CFO
      whoiswho "chief financial officer"
      whoiswho 首席财务官
      whoiswho cso-security --json --fields id,title,reports_to
      cut -f2 titles.tsv | whoiswho show - --jsonl     (one query per line)
    An ambiguous abbreviation (CSO) lists its meanings; under --json it exits 3.
    With QUERY `-`, each stdin line is a query: one JSON line per query, in order
    (a role, or {"query", "error", "candidates"}); exit 0 only if every line resolved.
    """
    from whoiswho import render_json
    from whoiswho.lookup import match, resolve

    catalog = load_catalog()
    fields = out.checked_fields(render_json.ROLE_FIELDS)
    if query == "-":
        queries = (line.rstrip("\r\n") for line in sys.stdin)
        if out.machine:
            failures = write_batch(render_json.batch_lines(catalog, queries, fields))
        else:
            failures = show_each(catalog, queries, out)
        sys.exit(EXIT_NOT_FOUND if failures else 0)
    if out.machine:
        role = render_json.select(render_json.role_dict(catalog, resolve(catalog, query)), fields)
        out.emit_lines([role]) if out.jsonl else out.emit(role)
        return
    from whoiswho.render_rich import lookup_view

    out.emit_rich(lookup_view(catalog, match(catalog, query)))


def write_batch(lines: Iterable[tuple[str, bool]]) -> int:
    """Write batch lines in chunks (one write per 1,000 lines); return how many failed."""
    failures = 0
    chunk: list[str] = []
    for text, ok in lines:
        failures += not ok
        chunk.append(text)
        if len(chunk) == 1000:
            click.echo("\n".join(chunk))
            chunk.clear()
    if chunk:
        click.echo("\n".join(chunk))
    return failures


def show_each(catalog: Catalog, queries: Iterable[str], out: Output) -> int:
    """Batch mode for people: a card per query, messages on stderr; returns the failures."""
    from whoiswho import render_rich
    from whoiswho.lookup import resolve

    failures = 0
    for query in queries:
        try:
            out.emit_rich(render_rich.role_card(catalog, resolve(catalog, query)))
        except WhoiswhoError as error:
            failures += 1
            report(error, as_json=False)
    return failures


@cli.command(short_help="Compare roles side by side: shared and unique duties, reporting.")
@click.argument("queries", nargs=-1, required=True, shell_complete=complete_roles)
@output_options()
def compare(queries: tuple[str, ...], out: Output) -> None:
    """Compare roles side by side: what they share, what only each does, whom each reports to.

    \b
    Examples:
      whoiswho compare CIO CTO
      whoiswho compare CEO COO President
      whoiswho compare CISO cso-security --json
    An ambiguous abbreviation is a usage error that lists its meanings.
    --fields selects the keys of each role object in "roles".
    """
    from whoiswho.compare import compare as compare_roles
    from whoiswho.errors import AmbiguousQueryError
    from whoiswho.lookup import resolve

    catalog = load_catalog()
    roles: list[Role] = []
    for query in queries:
        try:
            roles.append(resolve(catalog, query))
        except AmbiguousQueryError as error:
            choices = ", ".join(c[0] for c in error.candidates)
            raise UsageError(f"{shown(query)} is ambiguous: name one of {choices}") from None
    comparison = compare_roles(catalog, roles)
    if out.machine:
        from whoiswho import render_json

        fields = out.checked_fields(render_json.ROLE_FIELDS)
        out.emit(render_json.comparison_dict(catalog, comparison, fields))
        return
    from whoiswho.render_rich import comparison_view

    out.emit_rich(comparison_view(catalog, comparison))


@cli.command(name="list")
@output_options(jsonl=True)
def list_roles(out: Output) -> None:
    """List every role in the catalogue.

    \b
    Examples:
      whoiswho list
      whoiswho list | grep -i officer         (piped: id, abbreviation, title; tab-separated)
      whoiswho list --json | jq -r '.[].id'
      whoiswho list --jsonl --fields id,title
    """
    catalog = load_catalog()
    roles = list(catalog.roles.values())
    if out.machine:
        from whoiswho import render_json

        fields = out.checked_fields(render_json.ROLE_FIELDS)
        out.emit_records(
            [render_json.select(render_json.role_dict(catalog, r), fields) for r in roles]
        )
    elif not sys.stdout.isatty() and out.color != "always":
        # Piped: one record per role, no decoration, no rich.
        click.echo("\n".join(record(r.id, r.abbreviation, r.title) for r in roles))
    else:
        from whoiswho.render_rich import role_table

        out.emit_rich(role_table(catalog, roles))


@cli.command(short_help="Find roles by what they do (budget, press, security breaches).")
@click.argument("words", nargs=-1, required=True)
@click.option(
    "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="At most N roles."
)
@output_options(jsonl=True)
def search(words: tuple[str, ...], limit: int, out: Output) -> None:
    """Find roles by what they do: titles, other names, summaries and duties ranked by WORDS.

    \b
    Examples:
      whoiswho search budget
      whoiswho search press and reputation
      whoiswho search security breaches --json | jq -r '.[0].id'
    Names weigh more than duties; budget, budgets and budgeting match each other. No match: exit 1.
    """
    from whoiswho import render_json
    from whoiswho.search import search as search_roles

    query = " ".join(words)
    fields = out.checked_fields(render_json.HIT_FIELDS) if out.machine else None
    hits = search_roles(load_catalog(), query, limit)
    if out.machine:
        out.emit_records([render_json.select(render_json.hit_dict(h), fields) for h in hits])
    elif hits:
        from whoiswho.render_rich import search_view

        out.emit_rich(search_view(query, hits))
    else:
        click.echo(record(f"whoiswho: no role matches the words {shown(query)}"), err=True)
    if not hits:
        sys.exit(EXIT_NOT_FOUND)


CHART_FIELDS = ("schema_version", "root", "nodes", "edges")


@cli.command()
@click.argument("root", required=False, shell_complete=complete_roles)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["tree", "mermaid", "dot", "json"]),
    default="tree",
    show_default=True,
    help="tree: drawn in the terminal; mermaid / dot: diagram source; json: nodes and edges.",
)
@output_options()
def chart(root: str | None, fmt: str, out: Output) -> None:
    """Draw the reporting tree from the board down, or from ROOT down.

    \b
    Examples:
      whoiswho chart
      whoiswho chart cto
      whoiswho chart --format mermaid > org.mmd
      whoiswho chart --format dot | dot -Tsvg > org.svg
    Alternative reporting lines (a CISO to the CIO or to the CEO) show as notes or dashed edges.
    --json is short for --format json.
    """
    from whoiswho import chart as charts
    from whoiswho.lookup import resolve
    from whoiswho.render_json import select

    catalog = load_catalog()
    root_id = resolve(catalog, root).id if root else None
    if out.machine:
        fmt = "json"
    match fmt:
        case "json":
            fields = out.checked_fields(CHART_FIELDS)
            out.emit(select(charts.to_dict(catalog, root_id), fields))
        case "mermaid":
            click.echo(charts.to_mermaid(catalog, root_id), nl=False)
        case "dot":
            click.echo(charts.to_dot(catalog, root_id), nl=False)
        case "tree":
            from whoiswho.render_tree import chart_tree

            out.emit_rich(chart_tree(catalog, charts.build_tree(catalog, root_id)))
        case _:
            raise AssertionError(fmt)  # click.Choice admits only the formats above
