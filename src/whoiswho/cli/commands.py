"""The lookup commands: show (and the bare `whoiswho QUERY`), compare, list, search, chart.

Declarations only: each command calls the `whoiswho.app` function of the same name.
"""

from __future__ import annotations

import click

from whoiswho import app
from whoiswho.app import Settings
from whoiswho.cli.base import (
    CONTEXT,
    WhoiswhoGroup,
    complete_roles,
    output_options,
    print_version,
)
from whoiswho.output import Output


@click.group(
    name="whoiswho",
    cls=WhoiswhoGroup,
    context_settings=CONTEXT,
    no_args_is_help=True,
    epilog="""\b
Examples:
  whoiswho CFO                     what a CFO is, does, and reports to
  whoiswho chief people officer    quotes are optional
  whoiswho compare CIO CTO         how two titles that sound alike differ
  whoiswho CSO                     every meaning of an ambiguous abbreviation
  whoiswho cfo --json | jq -r .title
  whoiswho list                    every role in the catalogue
  whoiswho search who owns the budget
  whoiswho classify "EVP & CFO"    read a job title as people write it
  whoiswho chart cfo               the reporting tree below the CFO
  whoiswho --catalog ours.json CFO with your own titles on top
  whoiswho help compare            help on one command

\b
Output options, on every command, before or after the query:
  --json            JSON for scripts (--jsonl: one object per line)
  --fields A,B      keep only these keys (implies --json)
  --indent N        indent JSON by N spaces
  --color WHEN      auto, always or never (NO_COLOR, FORCE_COLOR honoured)

Catalogue files load in this order, later ones overriding earlier ones by id:
the bundled catalogue, your per-user file (see `whoiswho catalog paths`),
each file in WHOISWHO_CATALOG (a path list), then each --catalog PATH.

Exit statuses: 0 answered, 1 not found, 2 usage error or bad catalogue,
3 ambiguous query where one answer was required (--json), 70 internal error, 74 output
could not be written, 130 interrupted.""",
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
@click.pass_context
def cli(ctx: click.Context, catalogs: tuple[str, ...], no_bundled: bool) -> None:
    """Who is who at the top of a company: executive titles, what they do, whom they report to.

    `whoiswho QUERY` is short for `whoiswho show QUERY`.
    """
    ctx.obj = Settings(catalogs, not no_bundled)


@cli.command()
@click.argument("words", nargs=-1, required=True, metavar="QUERY", shell_complete=complete_roles)
@click.option("--sources", is_flag=True, help="List every source on the card, not only the first.")
@output_options(jsonl=True)
@click.pass_obj
def show(settings: Settings, words: tuple[str, ...], sources: bool, out: Output) -> None:
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
    out = out._replace(all_sources=sources)
    click.get_current_context().exit(app.show_words(settings, words, out))


@cli.command(short_help="Compare roles side by side: shared and unique duties, reporting.")
@click.argument("queries", nargs=-1, required=True, shell_complete=complete_roles)
@output_options()
@click.pass_obj
def compare(settings: Settings, queries: tuple[str, ...], out: Output) -> None:
    """Compare roles side by side: what they share, what only each does, whom each reports to.

    \b
    Examples:
      whoiswho compare CIO CTO
      whoiswho compare CEO COO President
      whoiswho compare CISO cso-security --json
    An ambiguous abbreviation is a usage error that lists its meanings.
    --fields selects the keys of each role object in "roles".
    """
    click.get_current_context().exit(app.compare(settings, queries, out))


@cli.command(name="list")
@click.option(
    "--sort",
    type=click.Choice(["area", "title", "id", "catalogue"]),
    default=None,
    help="area: by area, then seniority (closest to the board first); title, id: alphabetical; "
    "catalogue: as the files list them. [default: area; catalogue above 5,000 roles, listed "
    "in constant memory]",
)
@output_options(jsonl=True)
@click.pass_obj
def list_roles(settings: Settings, sort: str | None, out: Output) -> None:
    """List every role in the catalogue.

    \b
    Examples:
      whoiswho list
      whoiswho list --sort title
      whoiswho list | grep -i officer         (piped: id, abbreviation, title; tab-separated)
      whoiswho list --json | jq -r '.[].id'
      whoiswho list --jsonl --fields id,title
    """
    click.get_current_context().exit(app.list_roles(settings, out, sort))


@cli.command(short_help="Find roles by what they do (budget, press, security breaches).")
@click.argument("words", nargs=-1, required=True)
@click.option(
    "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="At most N roles."
)
@output_options(jsonl=True)
@click.pass_obj
def search(settings: Settings, words: tuple[str, ...], limit: int, out: Output) -> None:
    """Find roles by what they do: titles, other names, summaries and duties ranked by WORDS.

    \b
    Examples:
      whoiswho search budget
      whoiswho search press and reputation
      whoiswho search security breaches --json | jq -r '.[0].id'
    Names weigh more than duties; budget, budgets and budgeting match each other. No match: exit 1.
    """
    click.get_current_context().exit(app.search(settings, words, limit, out))


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
@click.pass_obj
def chart(settings: Settings, root: str | None, fmt: str, out: Output) -> None:
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
    click.get_current_context().exit(app.chart(settings, root, fmt, out))


@cli.command(name="help")
@click.argument("command", required=False)
@click.pass_context
def help_command(ctx: click.Context, command: str | None) -> None:
    """Show help for whoiswho, or for one COMMAND.

    \b
    Examples:
      whoiswho help
      whoiswho help compare
    """
    root = ctx.find_root()
    group = root.command
    if command is None:
        click.echo(group.get_help(root))
        return
    assert isinstance(group, click.Group)
    found = group.get_command(root, command)
    if found is None:
        raise click.UsageError(
            f"no command {command!r}; the commands are: {', '.join(group.list_commands(root))}"
        )
    with click.Context(found, info_name=command, parent=root) as sub:
        click.echo(found.get_help(sub))


@cli.command(short_help="Read job titles as people write them: function, level, where they sit.")
@click.argument("words", nargs=-1, metavar="TITLE...")
@click.option(
    "--csv",
    "csv_path",
    metavar="FILE",
    help="Classify a column of a CSV file (- for stdin); the CSV comes out with added columns.",
)
@click.option("--column", metavar="NAME", help="With --csv: the column holding the titles.")
@output_options(jsonl=True)
@click.pass_obj
def classify(
    settings: Settings,
    words: tuple[str, ...],
    csv_path: str | None,
    column: str | None,
    out: Output,
) -> None:
    """Read job titles as people write them: which function, which rank, which roles, and
    where the person sits, up to the board.

    \b
    Examples:
      whoiswho classify "SVP, Global Finance"
      whoiswho classify President and CEO --json
      cut -f3 contacts.tsv | whoiswho classify - --json      (JSON Lines, one per line)
      whoiswho classify --csv leads.csv --column "Job Title" > leads-classified.csv
    Exit 0 when every title was read, 1 when one or more could not be (their lines still
    appear, with nulls and a reason), 2 on usage errors.
    """
    from whoiswho import app_classify

    ctx = click.get_current_context()
    if csv_path is not None:
        if words or not column:
            raise click.UsageError("--csv FILE needs --column NAME, and no TITLE")
        ctx.exit(app_classify.classify_csv(settings, csv_path, column, out))
    if column:
        raise click.UsageError("--column needs --csv FILE")
    if not words:
        raise click.UsageError("give a TITLE, - to read titles from stdin, or --csv FILE")
    if words == ("-",):
        stream = out if out.format != "json" else out._replace(format="jsonl")
        ctx.exit(app_classify.classify_stream(settings, stream))
    ctx.exit(app_classify.classify_title(settings, words, out))
