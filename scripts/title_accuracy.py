"""Accuracy of the title classifier on a labelled set, per function and per level, with confusions.

    python scripts/title_accuracy.py                       # tests/data/titles_dev.tsv
    python scripts/title_accuracy.py path/to/titles.tsv    # any file with the same columns

Columns (tab-separated, one header line): title, function, level, roles, reports_into, note.
An empty cell is null; roles is a comma list of catalogue ids (compared as a set). Titles are
classified exactly as stored. Exit status 0; this is a report, not a test.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

from whoiswho.catalog import load_files
from whoiswho.classifier import classify
from whoiswho.locations import load_order

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "tests" / "data" / "titles_dev.tsv"
FIELDS = ("function", "level", "roles", "reports_into")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    header, body = rows[0], rows[1:]
    return [dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)) for row in body]


def shown(value: str) -> str:
    return value or "(none)"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT
    rows = read(path)
    catalog = load_files(load_order())
    hits: dict[str, int] = Counter()
    per: dict[str, dict[str, list[int]]] = {"function": defaultdict(lambda: [0, 0])}
    per["level"] = defaultdict(lambda: [0, 0])
    confusion: dict[str, Counter[tuple[str, str]]] = {f: Counter() for f in FIELDS}
    examples: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for row in rows:
        result = classify(row["title"], catalog)
        got = {
            "function": result.function or "",
            "level": result.level or "",
            "roles": ",".join(sorted(result.roles)),
            "reports_into": result.reports_into or "",
        }
        want = dict(row)
        want["roles"] = ",".join(sorted(r.strip() for r in row.get("roles", "").split(",") if r))
        for field in FIELDS:
            ok = got[field] == want.get(field, "")
            hits[field] += ok
            if field in per:
                tally = per[field][want[field]]
                tally[0] += ok
                tally[1] += 1
            if not ok:
                key = (want.get(field, ""), got[field])
                confusion[field][key] += 1
                if len(examples[(field, *key)]) < 3:
                    examples[(field, *key)].append(row["title"])
    total = len(rows)
    print(f"{path}: {total} titles\n")
    for field in FIELDS:
        print(f"{field:13} {hits[field]:4}/{total}  {100 * hits[field] / total:5.1f}%")
    for field in ("function", "level"):
        print(f"\nper {field} (gold label: correct/total)")
        for label, (ok, n) in sorted(per[field].items(), key=lambda kv: -kv[1][1]):
            print(f"  {shown(label):20} {ok:4}/{n:<4} {100 * ok / n:5.1f}%")
    for field in FIELDS:
        print(f"\n{field} confusions (gold -> got), most frequent first")
        for (want_value, got_value), n in confusion[field].most_common(25):
            sample = "; ".join(examples[(field, want_value, got_value)])
            print(f"  {n:3}  {shown(want_value)} -> {shown(got_value)}   e.g. {sample}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
