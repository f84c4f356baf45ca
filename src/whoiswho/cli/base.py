"""Click plumbing shared by every command: the group, the output options, catalogue settings.

Declarations only: each command builds an `Output` and a `Settings` and calls one function of
`whoiswho.app`, which does the work and returns the exit status.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

from whoiswho.app import Settings
from whoiswho.errors import EXIT_INTERRUPTED, UsageError
from whoiswho.output import Format, Output, report

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class WhoiswhoGroup(click.Group):
    """A group whose unknown first word is a role: `whoiswho CFO` means `whoiswho show CFO`."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and self.get_command(ctx, args[0]) is None:
            return "show", self.get_command(ctx, "show"), args
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Output options typed before the query or command (`whoiswho --json CFO`) belong to
        # it: move them after, where the command declares them.
        return super().parse_args(ctx, move_output_options(args))

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        items = super().shell_complete(ctx, incomplete)
        if not incomplete.startswith("-"):
            items += complete_roles(ctx, None, incomplete)
        return items

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> int:
        """Run, and turn click's own errors into the documented statuses: a usage error is one
        JSON object on stderr under --json, Ctrl-C is 130. Returns the status, or exits with it
        in standalone mode (as click's own main does)."""
        argv = sys.argv[1:] if args is None else list(args)
        try:
            result = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
            status = result if isinstance(result, int) else 0
        except click.ClickException as exc:
            if {"--json", "--jsonl"} & set(argv):
                report(UsageError(exc.format_message()), as_json=True)
            else:
                exc.show()
            status = exc.exit_code
        except (click.Abort, KeyboardInterrupt):
            status = EXIT_INTERRUPTED
        if standalone_mode:
            sys.exit(status)
        return status


OUTPUT_FLAGS = frozenset({"--json", "--jsonl"})
OUTPUT_VALUED = frozenset({"--color", "--indent", "--fields"})
GROUP_VALUED = frozenset({"--catalog"})


def move_output_options(args: list[str]) -> list[str]:
    """The arguments with output options that come before the first word moved to the end."""
    rest = list(args)
    moved: list[str] = []
    i = 0
    while i < len(rest) and rest[i].startswith("-") and rest[i] != "--":
        name, has_value = rest[i].split("=", 1)[0], "=" in rest[i]
        if name in OUTPUT_FLAGS or (name in OUTPUT_VALUED and has_value):
            moved.append(rest.pop(i))
        elif name in OUTPUT_VALUED:
            moved += rest[i : i + 2]
            del rest[i : i + 2]
        else:
            i += 2 if name in GROUP_VALUED and not has_value else 1
    return rest + moved


def settings_of(ctx: click.Context) -> Settings:
    """The group's catalogue settings: `ctx.obj` once the group ran; while completing (click
    parses without running callbacks) they are rebuilt from the parsed options."""
    root = ctx.find_root()
    if isinstance(root.obj, Settings):
        return root.obj
    params = root.params
    return Settings(tuple(params.get("catalogs") or ()), not params.get("no_bundled", False))


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
            fmt: Format = "jsonl" if as_jsonl else "json" if as_json else "human"
            if fields and fmt == "human":
                fmt = "json"  # --fields selects JSON keys: asking for it asks for JSON
            return func(*args, out=Output(fmt, indent, fields, color), **kwargs)

        options = [
            click.option(
                "--json",
                "as_json",
                is_flag=True,
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
                help="Keep only these keys of each JSON object (implies --json).",
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


def complete_roles(
    ctx: click.Context, _param: click.Parameter | None, incomplete: str
) -> list[CompletionItem]:
    """Role abbreviations (and ids) starting with what was typed; never imports rich."""
    from click.shell_completion import CompletionItem

    from whoiswho.completion import role_completions

    offered = role_completions(settings_of(ctx).files(), incomplete)
    return [CompletionItem(value, help=title) for value, title in offered]
