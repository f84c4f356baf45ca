"""Where catalogue files are, in what order they load, and the names shell completion offers.

Shell completion runs the program on every TAB and needs only the roles' names, so this module
imports neither the model nor the validator.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import NamedTuple


class CatalogFile(NamedTuple):
    """One file in the load order, and why it is there."""

    kind: str  # "bundled", "user", "env" (WHOISWHO_CATALOG) or "option" (--catalog)
    path: str


def user_config_dir() -> str:
    """The per-user config folder, exactly as click.get_app_dir("whoiswho") names it.

    Computed here so that the lookup path need not import click (a test keeps the two equal).
    """
    if sys.platform.startswith("win"):
        return os.path.join(os.environ.get("APPDATA") or os.path.expanduser("~"), "whoiswho")
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~/Library/Application Support"), "whoiswho")
    config = os.environ.get("XDG_CONFIG_HOME", os.path.expanduser("~/.config"))
    return os.path.join(config, "whoiswho")


def bundled_path() -> str:
    """The catalogue inside the installed package, or the checkout's data/roles.json (editable)."""
    here = os.path.dirname(os.path.abspath(__file__))
    packaged = os.path.join(here, "data", "roles.json")
    if os.path.isfile(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(here)), "data", "roles.json")


def user_catalog() -> str:
    """The per-user catalogue file, loaded when it exists."""
    return os.path.join(user_config_dir(), "roles.json")


def load_order(options: Sequence[str] = (), *, bundled: bool = True) -> list[CatalogFile]:
    """The files to load, in order: bundled, the per-user file if it exists, each file in
    WHOISWHO_CATALOG (a path list), then `options` (--catalog)."""
    files = [CatalogFile("bundled", bundled_path())] if bundled else []
    user = user_catalog()
    if os.path.isfile(user):
        files.append(CatalogFile("user", user))
    env = os.environ.get("WHOISWHO_CATALOG", "")
    files += [CatalogFile("env", p) for p in env.split(os.pathsep) if p]
    files += [CatalogFile("option", p) for p in options]
    return files


# Catalogues at least this large (all files together) are worth caching; the bundled one is not.
CACHE_THRESHOLD = 2_000_000


def total_size(files: Sequence[CatalogFile]) -> int:
    total = 0
    for f in files:
        try:
            total += os.stat(f.path).st_size
        except OSError:
            return 0  # read_layer reports the problem
    return total


def role_names(files: Sequence[CatalogFile]) -> list[tuple[str, str, str]] | None:
    """(id, abbreviation, title) of each role, merged by id, read without validation.

    For shell completion only: a bad file is reported when the command itself runs. None for a
    catalogue large enough to be cached (the caller loads it through the cache instead) or one
    that cannot be read.
    """
    if total_size(files) >= CACHE_THRESHOLD:
        return None
    merged: dict[str, dict[str, object]] = {}
    try:
        for f in files:
            with open(f.path, "rb") as handle:
                doc = json.loads(handle.read())
            for entry in doc.get("roles", []) if isinstance(doc, dict) else []:
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    merged.setdefault(entry["id"], {}).update(entry)
    except (OSError, ValueError, RecursionError):
        return None
    return [
        (role_id, abbreviation, title)
        for role_id, entry in merged.items()
        if isinstance(abbreviation := entry.get("abbreviation"), str)
        and isinstance(title := entry.get("title"), str)
    ]


def completions(names: Iterable[tuple[str, str, str]], incomplete: str) -> list[tuple[str, str]]:
    """(value, title) for each abbreviation, or else id, that starts with what was typed.

    `names` holds (id, abbreviation, title) per role, in catalogue order.
    """
    prefix = incomplete.casefold()
    offered: dict[str, str] = {}
    for role_id, abbreviation, title in names:
        if abbreviation.casefold().startswith(prefix):
            offered.setdefault(abbreviation, title)
        elif prefix and role_id.startswith(prefix):
            offered.setdefault(role_id, title)
    return list(offered.items())
