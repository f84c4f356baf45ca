"""The click layer: parse, call the core, print, and turn errors into exit statuses."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from whoiswho import catalog as catalog_mod
from whoiswho import lookup
from whoiswho.errors import EXIT_NOT_FOUND, WhoiswhoError
from whoiswho.model import Catalog, Role
from whoiswho.text import printable

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem
    from rich.console import RenderableType

F = TypeVar("F", bound=Callable[..., Any])
JSON_MODE = "whoiswho.json"
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


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


def report(error: WhoiswhoError, *, as_json: bool) -> None:
    """Write an error to stderr: one JSON object under --json, readable text otherwise."""
    if as_json:
        from whoiswho.render_json import dumps, error_dict

        click.echo(dumps(error_dict(error), None), err=True)
        return
    from whoiswho.errors import AmbiguousQueryError, UnknownRoleError

    lines = [f"whoiswho: {printable(error.message)}"]
    if isinstance(error, UnknownRoleError):
        if error.suggestions:
            lines.append("Did you mean:")
            lines += [f"  {abbr:<8} {title} ({rid})" for rid, abbr, title in error.suggestions]
        lines.append(
            "Search by what the role does with `whoiswho search WORDS`; see all: `whoiswho list`."
        )
    elif isinstance(error, AmbiguousQueryError):
        lines += [f"  {rid:<20} {title}" for rid, _, title in error.candidates]
        lines.append(f"Name one by its id, e.g. `whoiswho {error.candidates[0][0]}`.")
    click.echo("\n".join(printable(line) for line in lines), err=True)


def _remember_json(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    ctx.meta[JSON_MODE] = value
    return value


def output_options(func: F) -> F:
    """--json, --indent and --color, the same on every command."""
    func = click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour in the human view (NO_COLOR and FORCE_COLOR are honoured under auto).",
    )(func)
    func = click.option(
        "--indent",
        type=click.IntRange(0, 8),
        default=None,
        help="Indent JSON by N spaces [default: 2 on a terminal, compact when piped].",
    )(func)
    return click.option(
        "--json",
        "as_json",
        is_flag=True,
        callback=_remember_json,
        help="Print JSON for scripts instead of the human view.",
    )(func)


def catalog_files(ctx: click.Context) -> list[catalog_mod.CatalogFile]:
    """The catalogue files this invocation reads, from the group's options and the environment."""
    import os

    params = ctx.find_root().params
    return catalog_mod.load_order(
        app_dir=click.get_app_dir("whoiswho"),
        env=os.environ.get("WHOISWHO_CATALOG"),
        options=params.get("catalogs") or (),
        bundled=not params.get("no_bundled", False),
    )


def load_catalog(ctx: click.Context | None = None) -> Catalog:
    return catalog_mod.load_files(catalog_files(ctx or click.get_current_context()))


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


def emit_json(data: object, indent: int | None) -> None:
    from whoiswho.render_json import dumps

    if indent is None and sys.stdout.isatty():
        indent = 2
    click.echo(dumps(data, indent or None if indent == 0 else indent))


def record(*fields: str) -> str:
    """One tab-separated line for pipes: each field made printable (tabs in data escaped)."""
    return "\t".join(map(printable, fields))


def emit_rich(renderable: RenderableType, color: str) -> None:
    from whoiswho.render_rich import make_console

    make_console(color).print(renderable)


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
  whoiswho --catalog ours.json CFO with your own titles on top

Catalogue files load in this order, later ones overriding earlier ones by id:
the bundled catalogue, your per-user file (see `whoiswho catalog paths`),
each file in WHOISWHO_CATALOG (a path list), then each --catalog PATH.

Exit statuses: 0 answered, 1 not found, 2 usage error or bad catalogue,
3 ambiguous query where one answer was required (--json, compare).""",
)
@click.version_option(package_name="whoiswho-cli", prog_name="whoiswho")
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
@output_options
def show(query: str, as_json: bool, indent: int | None, color: str) -> None:
    """Look up a role by abbreviation, id, title, other name or Chinese name.

    \b
    Examples:
      whoiswho show CFO
      whoiswho "chief financial officer"
      whoiswho 首席财务官
      whoiswho cso-security --json
    An ambiguous abbreviation (CSO) lists its meanings; under --json it exits 3.
    """
    catalog = load_catalog()
    if as_json:
        from whoiswho.render_json import role_dict

        emit_json(role_dict(catalog, lookup.resolve(catalog, query)), indent)
        return
    from whoiswho import render_rich

    found = lookup.match(catalog, query)
    if found.ambiguous:
        emit_rich(render_rich.meanings(query, found.roles), color)
    else:
        emit_rich(render_rich.role_card(catalog, found.roles[0]), color)


@cli.command()
@click.argument("queries", nargs=-1, required=True, shell_complete=complete_roles)
@output_options
def compare(queries: tuple[str, ...], as_json: bool, indent: int | None, color: str) -> None:
    """Compare two or more roles side by side: shared duties, what only each does, reporting.

    \b
    Examples:
      whoiswho compare CIO CTO
      whoiswho compare CEO COO President
      whoiswho compare CISO cso-security --json
    An ambiguous abbreviation is a usage error that lists its meanings.
    """
    from whoiswho.compare import compare as compare_roles
    from whoiswho.errors import AmbiguousQueryError, UsageError

    catalog = load_catalog()
    roles: list[Role] = []
    for query in queries:
        try:
            roles.append(lookup.resolve(catalog, query))
        except AmbiguousQueryError as error:
            choices = ", ".join(c[0] for c in error.candidates)
            raise UsageError(f"{query!r} is ambiguous: name one of {choices}") from None
    comparison = compare_roles(catalog, roles)
    if as_json:
        from whoiswho.render_json import comparison_dict

        emit_json(comparison_dict(catalog, comparison), indent)
        return
    from whoiswho.render_rich import comparison_view

    emit_rich(comparison_view(catalog, comparison), color)


@cli.command(name="list")
@output_options
def list_roles(as_json: bool, indent: int | None, color: str) -> None:
    """List every role in the catalogue.

    \b
    Examples:
      whoiswho list
      whoiswho list | grep -i officer         (one role per line when piped)
      whoiswho list --json | jq -r '.[].id'
    """
    catalog = load_catalog()
    roles = list(catalog.roles.values())
    if as_json:
        from whoiswho.render_json import role_dict

        emit_json([role_dict(catalog, r) for r in roles], indent)
        return
    if not sys.stdout.isatty() and color != "always":
        # Piped: one tab-separated record per role, no decoration, no rich.
        lines = (record(r.id, r.abbreviation, r.title) for r in roles)
        click.echo("\n".join(lines))
        return
    from whoiswho.render_rich import role_table

    emit_rich(role_table(catalog, roles), color)


@cli.command()
@click.argument("words", nargs=-1, required=True)
@click.option(
    "--limit", type=click.IntRange(min=1), default=10, show_default=True, help="At most N roles."
)
@output_options
def search(
    words: tuple[str, ...], limit: int, as_json: bool, indent: int | None, color: str
) -> None:
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
    hits = search_roles(load_catalog(), query, limit)
    if as_json:
        from whoiswho.render_json import hit_dict

        emit_json([hit_dict(h) for h in hits], indent)
    elif hits:
        from whoiswho.render_rich import search_view

        emit_rich(search_view(query, hits), color)
    if not hits:
        if not as_json:
            click.echo(f"whoiswho: no role matches the words {printable(query)!r}", err=True)
        raise SystemExit(EXIT_NOT_FOUND)


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
    import os

    files = catalog_files(click.get_current_context())
    click.echo("\n".join(record(f.kind, f.path) for f in files))
    if not any(f.kind == "user" for f in files):
        user = os.path.join(click.get_app_dir("whoiswho"), "roles.json")
        click.echo(printable(f"(per-user file, not present: {user})"), err=True)


@catalog_group.command(name="validate")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
def catalog_validate(files: tuple[str, ...]) -> None:
    """Check catalogue files without using them: each on top of the catalogues loaded now.

    Exit status 0 when every file is valid, 2 at the first bad one (the message says where).
    """
    base = catalog_files(click.get_current_context())
    for path in files:
        catalog_mod.load_files([*base, catalog_mod.CatalogFile("option", path)])
        click.echo(printable(f"{path}: ok"))


def main() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # A terminal or pipe that cannot show a character gets "?", never a traceback.
            reconfigure(errors="replace")
    cli(prog_name="whoiswho")


__all__ = ["EXIT_NOT_FOUND", "cli", "main"]
