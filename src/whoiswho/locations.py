"""Where catalogue files and the cache are, in what order files load, how a catalogue file is
read, and the names shell completion offers.

Shell completion runs the program on every TAB and needs only the roles' names, so this module
imports neither the model nor the validator.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from whoiswho.errors import CatalogError, WhoiswhoError

# The largest catalogue file read (documented in README.md): a 50,000-role catalogue is 25 MB,
# and without a cap `/dev/zero` or a runaway file would grow memory until the system gives up.
MAX_FILE_BYTES = 64 * 1024 * 1024


class CatalogFile(NamedTuple):
    """One file in the load order, and why it is there."""

    kind: str  # "bundled", "user", "env" (WHOISWHO_CATALOG) or "option" (--catalog)
    path: str


def home() -> str | None:
    """The user's home folder, or None when there is none.

    `HOME=""` means no home (os.path.expanduser would make it `/`, so a cache would land in
    `/.cache`); an unset HOME falls back to the password database, as expanduser does.
    """
    if "HOME" in os.environ and not sys.platform.startswith("win"):
        found = os.environ["HOME"]
    else:
        found = os.path.expanduser("~")
    return found if found and found != "~" and os.path.isabs(found) else None


def xdg_dir(variable: str, default: str) -> str | None:
    """An XDG base folder: the variable if it is an absolute path, else `~/default`.

    The XDG spec says a relative path in these variables is invalid and must be ignored: an
    empty or relative XDG_CONFIG_HOME would otherwise read `./whoiswho/roles.json` from whatever
    folder the command runs in, and a relative XDG_CACHE_HOME would write a cache there.
    """
    value = os.environ.get(variable, "")
    if os.path.isabs(value):
        return value
    base = home()
    return None if base is None else os.path.join(base, default)


def user_config_dir() -> str | None:
    """The per-user config folder (as click.get_app_dir("whoiswho") names it for sane
    environments), or None when there is no home to put it in.

    Computed here so that the lookup path need not import click (a test keeps the two equal).
    """
    if sys.platform.startswith("win"):
        return os.path.join(os.environ.get("APPDATA") or os.path.expanduser("~"), "whoiswho")
    if sys.platform == "darwin":
        base = home()
        return (
            None
            if base is None
            else os.path.join(base, "Library", "Application Support", "whoiswho")
        )
    config = xdg_dir("XDG_CONFIG_HOME", ".config")
    return None if config is None else os.path.join(config, "whoiswho")


# The environment variable that turns the cache off (any value but "" and "0").
DISABLE = "WHOISWHO_NO_CACHE"
OWNED = hasattr(os, "getuid")  # POSIX: ownership and modes can be checked


def cache_dir() -> str | None:
    """The per-user cache folder, by each platform's convention; None when turned off or when
    there is no home (an empty HOME, a relative XDG_CACHE_HOME without a home)."""
    if os.environ.get(DISABLE, "") not in ("", "0"):
        return None
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~")
        return os.path.join(base, "whoiswho", "Cache")
    if sys.platform == "darwin":
        user = home()
        return None if user is None else os.path.join(user, "Library", "Caches", "whoiswho")
    base = xdg_dir("XDG_CACHE_HOME", ".cache")
    return None if base is None else os.path.join(base, "whoiswho")


def private_folder(create: bool) -> str | None:
    """The cache folder if it is safe to use: a real folder (not a link) owned by this user and
    writable by no one else, in a parent others cannot swap it in. Created 0700 if asked."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        if create:
            # The mode applies to the last folder only (the umask can only narrow it): the parent
            # too is made private if it is new, as XDG asks, else the check below refuses it.
            os.makedirs(os.path.dirname(folder), mode=0o700, exist_ok=True)
            os.makedirs(folder, mode=0o700, exist_ok=True)
        if not OWNED:
            return folder if os.path.isdir(folder) else None
        info = os.lstat(folder)
        parent = os.stat(os.path.dirname(folder))
        if (
            not stat.S_ISDIR(info.st_mode)
            or info.st_uid != os.getuid()
            or info.st_mode & 0o022
            or (parent.st_mode & 0o002 and not parent.st_mode & stat.S_ISVTX)
        ):
            return None
        if info.st_mode & 0o077:
            os.chmod(folder, 0o700)  # readable by others: made by an earlier version
    except (OSError, ValueError):  # ValueError: a NUL byte in XDG_CACHE_HOME
        return None
    return folder


def data_file(name: str) -> str:
    """A bundled data file inside the installed package, or the checkout's data/NAME (an
    editable install has no copy under src/)."""
    here = os.path.dirname(os.path.abspath(__file__))
    packaged = os.path.join(here, "data", name)
    if os.path.isfile(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(here)), "data", name)


def bundled_path() -> str:
    """The bundled catalogue, data/roles.json."""
    return data_file("roles.json")


def user_catalog() -> str | None:
    """The per-user catalogue file, loaded when it exists; None without a home folder."""
    folder = user_config_dir()
    return None if folder is None else os.path.join(folder, "roles.json")


def load_order(options: Sequence[str] = (), *, bundled: bool = True) -> list[CatalogFile]:
    """The files to load, in order: bundled, the per-user file if it exists, each file in
    WHOISWHO_CATALOG (a path list), then `options` (--catalog)."""
    files = [CatalogFile("bundled", bundled_path())] if bundled else []
    user = user_catalog()
    if user is not None and os.path.isfile(user):
        files.append(CatalogFile("user", user))
    env = os.environ.get("WHOISWHO_CATALOG", "")
    files += [CatalogFile("env", p) for p in env.split(os.pathsep) if p]
    files += [CatalogFile("option", p) for p in options]
    return files


# Catalogues at least this large (all files together) are worth caching; the bundled one (0.3 MB)
# is not. Measured (issue 17): a lookup that parses costs about as much as one that opens the cache
# at 0.5 to 0.8 MB of catalogue, and 1.5 times as much at 1.4 MB; at the old 2 MB threshold, a file
# just under it cost 180 ms a lookup and the same file cached 47 ms.
CACHE_THRESHOLD = 750_000


def total_size(files: Sequence[CatalogFile]) -> int:
    total = 0
    for f in files:
        try:
            total += os.stat(f.path).st_size
        except OSError:
            return 0  # read_layer reports the problem
    return total


def read_bytes(path: str | os.PathLike[str], name: str) -> bytes:
    """A catalogue file's bytes; a CatalogError for anything but a readable regular file of at
    most MAX_FILE_BYTES.

    Opened non-blocking, so that a FIFO is refused at once instead of waiting for a writer.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise CatalogError(name, "file not found") from None
    except IsADirectoryError:
        raise CatalogError(name, "is a folder, not a file") from None
    except PermissionError:
        raise CatalogError(name, "permission denied") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise CatalogError(
            name, f"cannot be read ({getattr(exc, 'strerror', None) or exc})"
        ) from None
    try:
        info = os.fstat(fd)
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            raise CatalogError(name, "is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise CatalogError(name, "not a regular file (a pipe, device or socket)")
        chunks: list[bytes] = []
        size = 0
        step = max(info.st_size + 1, 1 << 16)
        # One byte more than the cap tells a file that is too large, even a growing one.
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(step, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise CatalogError(name, f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    raw = b"".join(chunks) if len(chunks) != 1 else chunks[0]
    if len(raw) > MAX_FILE_BYTES:
        raise CatalogError(name, f"larger than {MAX_FILE_BYTES // 2**20} MiB")
    return raw


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
            doc = json.loads(read_bytes(f.path, f.path))
            for entry in doc.get("roles", []) if isinstance(doc, dict) else []:
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    merged.setdefault(entry["id"], {}).update(entry)
    except (WhoiswhoError, ValueError, RecursionError):  # ValueError: a 5,000-digit number too
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
