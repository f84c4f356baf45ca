"""How fast the classifier reads titles, beyond start-up. Not a test: a number to report.

    python scripts/title_speed.py            # 100,000 titles
    python scripts/title_speed.py 1000000

Titles are built from rank, function, role and decoration words with a fixed seed, so every run
reads the same mix: every title distinct (no title is read twice; parts such as "SVP" or
"Global Finance" repeat, as in real titles), and a column where titles repeat as in a CRM export.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable

from whoiswho.catalog import load_files
from whoiswho.classifier import reader
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


def run(label: str, titles: list[str], classify: Callable[[str], object]) -> None:
    """Wall time, and CPU time: on a shared machine the CPU time is the steadier figure."""
    wall, cpu = time.perf_counter(), time.process_time()
    for t in titles:
        classify(t)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"{label:38} {len(titles):>9,} titles  {len(titles) / cpu:>9,.0f}/s CPU"
        f"  ({len(titles) / wall:,.0f}/s wall)"
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
    run(f"{len(distinct):,} distinct titles", distinct, read)
    read.cached.cache_clear()
    read.units.clear()
    run("CRM-like column (5,000 titles repeat)", repeated, read)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
