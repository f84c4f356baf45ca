"""The housekeeping commands: shell completion scripts and catalogue inspection."""

from __future__ import annotations

import click

from whoiswho import app_admin
from whoiswho.app import Settings


@click.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL.

    \b
    Install (then open a new shell):
      mkdir -p ~/.local/share/bash-completion/completions
      whoiswho completion bash > ~/.local/share/bash-completion/completions/whoiswho
      mkdir -p ~/.zfunc   # and fpath+=(~/.zfunc) in ~/.zshrc, before compinit
      whoiswho completion zsh > ~/.zfunc/_whoiswho
      mkdir -p ~/.config/fish/completions
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
@click.pass_obj
def catalog_paths(settings: Settings) -> None:
    """List the catalogue files that are loaded, in order (later ones win)."""
    click.get_current_context().exit(app_admin.catalog_paths(settings))


@catalog_group.command(name="validate")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.pass_obj
def catalog_validate(settings: Settings, files: tuple[str, ...]) -> None:
    """Check catalogue files without using them: each on top of the catalogues loaded now.

    Exit status 0 when every file is valid, 2 at the first bad one (the message says where).
    """
    click.get_current_context().exit(app_admin.catalog_validate(settings, files))
