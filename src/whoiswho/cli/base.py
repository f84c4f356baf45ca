"""Click plumbing shared by every command: the group, output options, errors, catalogue options."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from whoiswho.errors import UsageError, WhoiswhoError
from whoiswho.render_text import error_report

# The catalogue modules load only when a command needs them: --help and --version stay light.
if TYPE_CHECKING:
    from click.shell_completion import CompletionItem
    from rich.console import RenderableType

    from whoiswho.locations import CatalogFile
    from whoiswho.model import Catalog

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

    def emit_records(self, items: list[object]) -> None:
        """A list: JSON Lines under --jsonl, else one JSON array."""
        if self.jsonl:
            self.emit_lines(items)
        else:
            self.emit(items)

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
    click.echo(error_report(error, as_json=as_json), err=True)


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


def print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from whoiswho.version import package_version

        click.echo(f"whoiswho, version {package_version()}")
        ctx.exit()


def catalog_files(ctx: click.Context) -> list[CatalogFile]:
    """The catalogue files this invocation reads, from the group's options and the environment."""
    from whoiswho.locations import load_order

    params = ctx.find_root().params
    return load_order(params.get("catalogs") or (), bundled=not params.get("no_bundled", False))


def load_catalog(ctx: click.Context | None = None) -> Catalog:
    from whoiswho.catalog import load_files

    return load_files(catalog_files(ctx or click.get_current_context()))


def complete_roles(
    ctx: click.Context, _param: click.Parameter | None, incomplete: str
) -> list[CompletionItem]:
    """Role abbreviations (and ids) starting with what was typed; never imports rich.

    Every TAB runs the program, so small catalogues are read for their names only (see
    locations.role_names); a large one comes through its cache.
    """
    from click.shell_completion import CompletionItem

    from whoiswho.locations import completions, role_names

    files = catalog_files(ctx)
    names = role_names(files)
    if names is None:
        try:
            catalog = load_catalog(ctx)
        except WhoiswhoError:
            return []
        names = [(r.id, r.abbreviation, r.title) for r in catalog.roles.values()]
    return [CompletionItem(value, help=title) for value, title in completions(names, incomplete)]
