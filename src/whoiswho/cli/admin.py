"""The housekeeping commands: shell completion scripts and catalogue inspection."""

from __future__ import annotations

import click

from whoiswho.cli.base import catalog_files
from whoiswho.render_text import record


@click.command()
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
    root = click.get_current_context().find_root().command
    click.echo(complete_class(root, {}, "whoiswho", "_WHOISWHO_COMPLETE").source())


@click.group(name="catalog")
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
        from whoiswho.locations import user_catalog

        click.echo(record(f"(per-user file, not present: {user_catalog()})"), err=True)


@catalog_group.command(name="validate")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
def catalog_validate(files: tuple[str, ...]) -> None:
    """Check catalogue files without using them: each on top of the catalogues loaded now.

    Exit status 0 when every file is valid, 2 at the first bad one (the message says where).
    """
    from whoiswho.catalog import load_files
    from whoiswho.locations import CatalogFile

    base = catalog_files(click.get_current_context())
    for path in files:
        load_files([*base, CatalogFile("option", path)])
        click.echo(record(f"{path}: ok"))
