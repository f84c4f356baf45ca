"""The click layer: parse, call the core, print, and turn errors into exit statuses."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from whoiswho.errors import EXIT_NOT_FOUND, UsageError, WhoiswhoError, shown
from whoiswho.render_text import error_message, record, replace_unencodable

# The catalogue modules load only when a command needs them: --help and --version stay light.
if TYPE_CHECKING:
    from click.shell_completion import CompletionItem
    from rich.console import RenderableType

    from whoiswho.catalog import CatalogFile
    from whoiswho.model import Catalog, Role

JSON_MODE = "whoiswho.json"
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Output(NamedTuple):
    """How this invocation prints: the human view, pretty or compact JSON, or JSON Lines."""

    json: bool
    jsonl: bool
    indent: int | None
    fields: tuple[str, ...] | None
    color: str

    @property
    def machine(self) -> bool:
        return self.json or self.jsonl

    def checked_fields(self, valid: tuple[str, ...]) -> tuple[str, ...] | None:
        unknown = [f for f in self.fields or () if f not in valid]
        if unknown:
            raise UsageError(f"unknown field {unknown[0]!r}; valid fields: {', '.join(valid)}")
        return self.fields

    def emit(self, data: object) -> None:
        """One JSON document: two-space indent on a terminal, compact when piped."""
        from whoiswho.render_json import dumps

        indent = self.indent
        if indent is None and not self.jsonl and sys.stdout.isatty():
            indent = 2
        click.echo(dumps(data, indent or None))

    def emit_lines(self, items: Iterable[object]) -> None:
        """JSON Lines: one compact document per line."""
        from whoiswho.render_json import dumps

        click.echo("".join(dumps(item, None) + "\n" for item in items), nl=False)

    def emit_rich(self, renderable: RenderableType) -> None:
        from whoiswho.render_rich import make_console

        make_console(self.color).print(renderable)


class WhoiswhoGroup(click.Group):
    """A group whose unknown first word is a role: `whoiswho CFO` means `whoiswho show CFO`."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and self.get_command(ctx, args[0]) is None:
            return "show", self.get_command(ctx, "show"), args
        return super().resolve_command(ctx, args)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        items = super().shell_complete(ctx, incomplete)
        if not incomplete.startswith("-"):
            items += complete_roles(ctx, None, incomplete)
        return items

    def invoke(self, ctx: click.Context) -> Any:
        # The one place where core errors become a message on stderr and an exit status.
        try:
            return super().invoke(ctx)
        except WhoiswhoError as error:
            report(error, as_json=bool(ctx.meta.get(JSON_MODE)))
            ctx.exit(error.exit_code)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Under --json even click's own usage errors reach scripts as one JSON object.
        given = kwargs.get("args", args[0] if args else None)
        argv = sys.argv[1:] if given is None else list(given)
        if kwargs.get("standalone_mode", True) and {"--json", "--jsonl"} & set(argv):
            try:
                status = super().main(*args, **{**kwargs, "standalone_mode": False})
            except click.ClickException as exc:
                report(UsageError(exc.format_message()), as_json=True)
                sys.exit(exc.exit_code)
            except click.Abort:
                sys.exit(1)
            # Without standalone mode click returns ctx.exit()'s status instead of exiting.
            sys.exit(status if isinstance(status, int) else 0)
        return super().main(*args, **kwargs)


def report(error: WhoiswhoError, *, as_json: bool) -> None:
    """Write an error to stderr: one JSON object under --json, readable text otherwise."""
    if as_json:
        from whoiswho.render_json import dumps, error_dict

        click.echo(dumps(error_dict(error), None), err=True)
    else:
        click.echo(error_message(error), err=True)


def _remember_json(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[JSON_MODE] = True
    return value


def _split_fields(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
    return None if value is None else tuple(f.strip() for f in value.split(",") if f.strip())


def output_options(*, jsonl: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--json, --indent, --fields, --color (and --jsonl where lists are printed), as one `out`."""

    def decorate(func: Callable[..., Any]) -> Any:
        @functools.wraps(func)
        def wrapper(
            *args: Any,
            as_json: bool,
            indent: int | None,
            fields: tuple[str, ...] | None,
            color: str,
            as_jsonl: bool = False,
            **kwargs: Any,
        ) -> Any:
            out = Output(as_json, as_jsonl, indent, fields, color)
            return func(*args, out=out, **kwargs)

        options = [
            click.option(
                "--json",
                "as_json",
                is_flag=True,
                callback=_remember_json,
                help="Print JSON for scripts instead of the human view.",
            ),
            click.option(
                "--indent",
                type=click.IntRange(0, 8),
                default=None,
                metavar="N",
                help="Indent JSON by N spaces, 0 for one line "
                "[default: 2 on a terminal, compact when piped].",
            ),
            click.option(
                "--fields",
                callback=_split_fields,
                metavar="A,B,...",
                help="JSON: keep only these keys of each object.",
            ),
            click.option(
                "--color",
                type=click.Choice(["auto", "always", "never"]),
                default="auto",
                show_default=True,
                help="Colour in the human view (NO_COLOR, FORCE_COLOR honoured under auto).",
            ),
        ]
        if jsonl:
            options.append(
                click.option(
                    "--jsonl",
                    "as_jsonl",
                    is_flag=True,
                    callback=_remember_json,
                    help="Print JSON Lines: one compact object per line.",
                )
            )
        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper

    return decorate


def package_version() -> str:
    """The installed distribution's version, from its metadata.

    The wheel's METADATA file beside the package is read directly: importlib.metadata would
    scan every installed distribution and costs more than the rest of `--version`.
    """
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        infos = [
            e
            for e in os.listdir(here)
            if e.startswith("whoiswho_cli-") and e.endswith(".dist-info")
        ]
        if len(infos) == 1:
            with open(os.path.join(here, infos[0], "METADATA"), encoding="utf-8") as metadata:
                for line in metadata:
                    if line.startswith("Version:"):
                        return line.split(":", 1)[1].strip()
    except OSError:
        pass
    from importlib.metadata import version  # an editable install: metadata lives elsewhere

    return version("whoiswho-cli")


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"whoiswho, version {package_version()}")
        ctx.exit()


def catalog_files(ctx: click.Context) -> list[CatalogFile]:
    """The catalogue files this invocation reads, from the group's options and the environment."""
    from whoiswho import catalog as catalog_mod

    params = ctx.find_root().params
    return catalog_mod.load_order(
        app_dir=catalog_mod.user_config_dir(),
        env=os.environ.get("WHOISWHO_CATALOG"),
        options=params.get("catalogs") or (),
        bundled=not params.get("no_bundled", False),
    )


def load_catalog(ctx: click.Context | None = None) -> Catalog:
    from whoiswho.catalog import load_files

    return load_files(catalog_files(ctx or click.get_current_context()))


def complete_roles(
    ctx: click.Context, _param: click.Parameter | None, incomplete: str
) -> list[CompletionItem]:
    """Role abbreviations (and ids) starting with what was typed; never imports rich."""
    from click.shell_completion import CompletionItem

    try:
        catalog = load_catalog(ctx)
    except WhoiswhoError:
        return []
    prefix = incomplete.casefold()
    offered: dict[str, str] = {}
    for role in catalog.roles.values():
        if role.abbreviation.casefold().startswith(prefix):
            offered.setdefault(role.abbreviation, role.title)
        elif prefix and role.id.startswith(prefix):
            offered.setdefault(role.id, role.title)
    return [CompletionItem(value, help=title) for value, title in offered.items()]


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
    callback=_print_version,
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


@cli.command()
@click.argument("queries", nargs=-1, required=True, shell_complete=complete_roles)
@output_options()
def compare(queries: tuple[str, ...], out: Output) -> None:
    """Compare two or more roles side by side: shared duties, what only each does, reporting.

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
        items = [render_json.select(render_json.role_dict(catalog, r), fields) for r in roles]
        out.emit_lines(items) if out.jsonl else out.emit(items)
    elif not sys.stdout.isatty() and out.color != "always":
        # Piped: one record per role, no decoration, no rich.
        click.echo("\n".join(record(r.id, r.abbreviation, r.title) for r in roles))
    else:
        from whoiswho.render_rich import role_table

        out.emit_rich(role_table(catalog, roles))


@cli.command()
@click.argument("words", nargs=-1, required=True)
@click.option(
    "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="At most N roles."
)
@output_options(jsonl=True)
def search(words: tuple[str, ...], limit: int, out: Output) -> None:
    """Find roles by what they do: rank titles, other names, summaries and duties by WORDS.

    \b
    Examples:
      whoiswho search budget
      whoiswho search press and reputation
      whoiswho search security breaches --json | jq -r '.[0].id'
    Names weigh more than duties; budget, budgets and budgeting match each other. No match: exit 1.
    """
    from whoiswho.search import search as search_roles

    query = " ".join(words)
    if out.machine:
        from whoiswho import render_json

        fields = out.checked_fields(render_json.HIT_FIELDS)
        hits = search_roles(load_catalog(), query, limit)
        items = [render_json.select(render_json.hit_dict(h), fields) for h in hits]
        out.emit_lines(items) if out.jsonl else out.emit(items)
    else:
        hits = search_roles(load_catalog(), query, limit)
        if hits:
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

    catalog = load_catalog()
    root_id = resolve(catalog, root).id if root else None
    if out.machine:
        fmt = "json"
    match fmt:
        case "json":
            data = charts.to_dict(catalog, root_id)
            fields = out.checked_fields(CHART_FIELDS)
            out.emit({f: data[f] for f in fields} if fields else data)
        case "mermaid":
            click.echo(charts.to_mermaid(catalog, root_id), nl=False)
        case "dot":
            click.echo(charts.to_dot(catalog, root_id), nl=False)
        case "tree":
            from whoiswho.render_tree import chart_tree

            out.emit_rich(chart_tree(catalog, charts.build_tree(catalog, root_id)))
        case _:
            raise AssertionError(fmt)  # click.Choice admits only the formats above


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL.

    \b
    Install (then open a new shell):
      whoiswho completion bash > ~/.local/share/bash-completion/completions/whoiswho
      whoiswho completion zsh  > "${fpath[1]}/_whoiswho"
      whoiswho completion fish > ~/.config/fish/completions/whoiswho.fish
    """
    from click.shell_completion import get_completion_class

    complete_class = get_completion_class(shell)
    assert complete_class is not None  # click.Choice admits only shells click supports
    click.echo(complete_class(cli, {}, "whoiswho", "_WHOISWHO_COMPLETE").source())


@cli.group(name="catalog")
def catalog_group() -> None:
    """Inspect and check catalogue files.

    \b
    Examples:
      whoiswho catalog paths
      whoiswho catalog validate ours.json
    """


@catalog_group.command(name="paths")
def catalog_paths() -> None:
    """List the catalogue files that are loaded, in order (later ones win)."""
    files = catalog_files(click.get_current_context())
    click.echo("\n".join(record(f.kind, f.path) for f in files))
    if not any(f.kind == "user" for f in files):
        from whoiswho.catalog import user_config_dir

        user = os.path.join(user_config_dir(), "roles.json")
        click.echo(record(f"(per-user file, not present: {user})"), err=True)


@catalog_group.command(name="validate")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
def catalog_validate(files: tuple[str, ...]) -> None:
    """Check catalogue files without using them: each on top of the catalogues loaded now.

    Exit status 0 when every file is valid, 2 at the first bad one (the message says where).
    """
    from whoiswho.catalog import CatalogFile, load_files

    base = catalog_files(click.get_current_context())
    for path in files:
        load_files([*base, CatalogFile("option", path)])
        click.echo(record(f"{path}: ok"))


def main() -> int:
    """Run the click CLI on sys.argv; return the exit status (whoiswho.entry exits with it)."""
    replace_unencodable()
    try:
        cli(prog_name="whoiswho")
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            return done.code or 0
        sys.stderr.write(f"{done.code}\n")
        return 1
    return 0
