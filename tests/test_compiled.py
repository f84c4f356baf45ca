"""The classifier's tables shipped for the bundled files: current, read back whole, and never
used for any other catalogue or vocabulary, nor when the data they came from has changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import bundled_catalog
from whoiswho import compiled
from whoiswho.classifier import classify
from whoiswho.lexicon import Lexicon
from whoiswho.vocabulary import bundled

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / compiled.FILE


def test_shipped_tables_are_current() -> None:
    """data/titles.compiled.json is what compiling today's data/ and code gives."""
    assert SHIPPED.read_text(encoding="utf-8") == compiled.compile_bundled(), (
        "data/titles.compiled.json is stale: run `python -m whoiswho.compiled`"
    )


def test_shipped_tables_read_back_as_compiled() -> None:
    """The bundled pair's lexicon comes from the shipped file, with the tables compiling makes."""
    catalog = bundled_catalog()
    doc = compiled.shipped()
    assert doc is not None
    fresh = Lexicon(bundled(), catalog).tables()
    assert compiled.restore(doc, bundled()) == fresh
    assert compiled.lexicon(bundled(), catalog).tables() == fresh


def tampered(tmp_path: Path, fingerprint: str) -> Path:
    """The shipped tables with every name of the CFO naming the CEO instead, claiming to come
    from `fingerprint`."""
    doc = json.loads(SHIPPED.read_text(encoding="utf-8"))
    for entry in doc["entries"]:
        if entry[4] == ["cfo"]:
            entry[4] = ["ceo"]
    doc["compiled_from"] = fingerprint
    path = tmp_path / compiled.FILE
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("matching", [True, False])
def test_tables_from_other_data_are_compiled_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, matching: bool
) -> None:
    """Tables whose fingerprint names other data files are not used: the title is read with
    tables compiled now (a matching fingerprint shows the file is read at all)."""
    fingerprint = compiled.fingerprint() if matching else "roles.json 1 00000000"
    path = tampered(tmp_path, fingerprint)
    real = compiled.data_file
    monkeypatch.setattr(
        compiled, "data_file", lambda name: str(path) if name == compiled.FILE else real(name)
    )
    roles = classify("EVP & CFO", bundled_catalog()).roles
    assert roles == (("ceo",) if matching else ("cfo",))
