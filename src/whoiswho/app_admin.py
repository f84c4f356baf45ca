"""The catalogue housekeeping commands, click-free: `catalog paths` and `catalog validate`."""

from __future__ import annotations

from collections.abc import Iterable

from whoiswho.app import Settings
from whoiswho.output import Output, guarded, warn, write, write_chunked


def catalog_paths(settings: Settings) -> int:
    """`catalog paths`: the files loaded, in order; a missing per-user file noted on stderr."""

    def work() -> int:
        from whoiswho.render_text import record

        files = settings.files()
        write_chunked(record(f.kind, f.path) for f in files)
        if not any(f.kind == "user" for f in files):
            from whoiswho.locations import user_catalog

            where = user_catalog()
            note = (
                f"(per-user file, not present: {where})" if where else "(no per-user file: no home)"
            )
            warn(record(note))
        return 0

    return guarded(Output(), work)


def catalog_validate(settings: Settings, paths: Iterable[str]) -> int:
    """`catalog validate FILE...`: each file on top of the catalogues loaded now; stop at the
    first bad one."""

    def work() -> int:
        from whoiswho.catalog import load_files
        from whoiswho.locations import CatalogFile
        from whoiswho.render_text import record

        base = settings.files()
        for path in paths:
            # Never from a cache: validating means reading the file as it is now.
            load_files([*base, CatalogFile("option", path)], use_cache=False)
            write(record(f"{path}: ok") + "\n")
        return 0

    return guarded(Output(), work)
