"""How fast the classifier reads titles, beyond start-up. Not a test: a number to report.

    python scripts/title_speed.py            # 100,000 titles
    python scripts/title_speed.py 1000000

Titles are built from rank, function, role and decoration words with a fixed seed, so every run
reads the same mix: read afresh (the per-title cache bypassed), all distinct, and a column where
titles repeat as they do in a CRM export.
"""

from __future__ import annotations

import random
import sys
import time

from whoiswho.catalog import load_files
from whoiswho.classify import reader
from whoiswho.locations import load_order

RANKS = [
    "VP",
    "SVP",
    "EVP",
    "Sr VP",
    "Vice President",
    "Head of",
    "Director",
    "Director of",
    "Manager",
    "Senior Manager",
    "Chief",
    "AVP",
    "Managing Director",
    "Lead",
    "",
]
FUNCTIONS = [
    "Finance",
    "Engineering",
    "Sales",
    "Marketing",
    "People",
    "Legal",
    "Operations",
    "Investor Relations",
    "Treasury",
    "IT",
    "Product",
    "Data",
    "Cyber Security",
    "Supply Chain",
    "Customer Success",
    "Procurement",
    "Strategy",
    "R&D",
    "Tax",
]
ROLES = [
    "CFO",
    "CEO",
    "COO",
    "CTO",
    "General Counsel",
    "Controller",
    "Treasurer",
    "President",
    "Chief Accounting Officer",
    "Chief Executive Officer",
    "Secretary",
    "CSO",
    "Director",
]
DECORATIONS = ["", "", "", "Interim ", "Acting ", "Group ", "Global ", "Deputy "]
PLACES = ["", "", "", ", Americas", ", EMEA", " (1)", "*", ", North America"]


def title(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        text = f"{rng.choice(DECORATIONS)}{rng.choice(RANKS)} {rng.choice(FUNCTIONS)}"
    elif roll < 0.55:
        text = f"{rng.choice(RANKS)} {rng.choice(FUNCTIONS)} & {rng.choice(FUNCTIONS)}"
    elif roll < 0.8:
        text = f"{rng.choice(RANKS)}, {rng.choice(ROLES)} & {rng.choice(ROLES)}"
    else:
        text = f"{rng.choice(DECORATIONS)}{rng.choice(ROLES)}"
    return text + rng.choice(PLACES)


def run(label: str, titles: list[str], classify: object) -> None:
    start = time.perf_counter()
    for t in titles:
        classify(t)  # type: ignore[operator]
    seconds = time.perf_counter() - start
    print(
        f"{label:38} {len(titles):>9,} titles  {seconds:6.2f} s  {len(titles) / seconds:>9,.0f}/s"
    )


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 100_000
    started = time.perf_counter()
    catalog = load_files(load_order())
    loaded = time.perf_counter()
    read = reader(catalog)
    compiled = time.perf_counter()
    print(
        f"start-up: catalogue {1000 * (loaded - started):.0f} ms, "
        f"vocabulary compiled {1000 * (compiled - loaded):.0f} ms"
    )
    rng = random.Random(12)
    distinct = list(dict.fromkeys(title(rng) for _ in range(3 * count)))[:count]
    pool = distinct[:5_000]
    repeated = [rng.choice(pool) for _ in range(count)]
    # The per-title cache bypassed: every title is read afresh (its parts may repeat).
    run("every title read afresh", repeated, read.cached.__wrapped__)
    read.units.clear()
    run(f"{len(distinct):,} distinct titles", distinct, read)
    read.cached.cache_clear()
    read.units.clear()
    run("CRM-like column (5,000 titles repeat)", repeated, read)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
