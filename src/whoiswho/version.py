"""The installed version, from package metadata (never a hard-coded string)."""

from __future__ import annotations

import os


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
