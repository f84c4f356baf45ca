"""Benchmark whoiswho: start-up against the interpreter floor, memory, a big catalogue, a batch.

Run from the checkout root with Python 3.11+ (standard library only): `python benchmarks/bench.py`.
What it measures and why: benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import inspect
import json
import marshal
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

CHECKOUT = Path(__file__).resolve().parents[1]


def _reserved() -> frozenset[str]:
    """whoiswho.RESERVED, read from the checkout's source (this script may run without it
    installed): generated role names must never be subcommand words."""
    import ast

    tree = ast.parse((CHECKOUT / "src" / "whoiswho" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "RESERVED":
            return frozenset(ast.literal_eval(node.value.args[0]))  # type: ignore[attr-defined]
    raise SystemExit("RESERVED not found in src/whoiswho/__init__.py")


RESERVED = _reserved()
N_ROLES, N_LINES, SEED = 50_000, 10_000, 20261129
N_TITLES = 100_000
ADJ = """Regional Global Senior Deputy Associate Executive Principal Group Divisional Corporate
Assistant Interim Acting National Field Central Joint Vice Area District Local Strategic Operational
Technical Digital Enterprise Commercial Retail Industrial Northern Southern Eastern Western Overseas
Domestic Continental Coastal Metropolitan Rural Mobile""".split()
FIELD = """Finance Treasury Audit Tax Payroll Procurement Supply Logistics Inventory Quality Safety
Compliance Risk Legal Privacy Security Network Platform Data Analytics Research Design Product Brand
Marketing Sales Partner Customer Support Facilities Property Training Talent Benefits Diversity
Sustainability Investor Media Events Fleet""".split()
RANK = """Officer Director Manager Head Lead Controller Coordinator Supervisor Adviser Specialist
Analyst Architect Engineer Planner Strategist Steward Auditor Administrator Executive Principal
Champion Liaison Representative Consultant Counsel Secretary Registrar Curator Organizer Overseer
Superintendent Custodian""".split()
VERBS = """Plan Review Approve Monitor Report Budget Negotiate Forecast Coordinate Improve Assess
Schedule Train Document Reconcile Benchmark Procure Certify Renew Escalate""".split()
NOUNS = """budgets contracts suppliers invoices forecasts policies audits vendors projects teams
systems reports risks controls assets schedules targets metrics processes standards licences claims
payments inventories warranties tenders permits leases grants patents rebates tariffs royalties
subsidies levies dividends pensions bonds mortgages escrows""".split()
TAILS = """each quarter|for the region|with the board|against plan|across divisions|every month|
for new markets|under new rules|within budget|on time""".replace("\n", "").split("|")
AREAS = "finance technology people legal operations marketing sales risk governance data".split()
EPILOG = """Each command runs alternately with the floor (VENV/bin/python -c pass) in a fresh venv
holding a non-editable install of the checkout; the table (Markdown) goes to stdout, progress to
stderr. With --keep, an existing VENVDIR is reused and the checkout reinstalled into it. What is
measured and why: benchmarks/README.md."""
SEARCH_WORDS = [VERBS[-1].lower(), NOUNS[-1]]  # the rarest verb and noun under Zipf weights


class Sample(NamedTuple):
    """One run of one command, as serve() reports it."""

    seconds: float
    rss_mib: float
    status: int
    head: bytes  # the first bytes of stdout, as many as asked for
    lines: int  # newlines in the whole of stdout
    stderr: bytes


Series = tuple[list[Sample], list[Sample]]  # the command's samples, the floor's
Check = Callable[[Sample], str | None]  # None if a warm-up's output looks right, else what is wrong


class Row(NamedTuple):
    """One timed command: unit "x" (ratio to the floor), "ms", or "s" beyond `CFO --json`."""

    label: str
    argv: list[str]
    unit: str
    must: float | None
    goal: float | None
    check: Check
    env: dict[str, str] | None = None
    stdin: bytes | None = None
    wipe: Path | None = None  # a folder removed before each run (an empty cache)


def key(name: str) -> str:
    """The normalised form names are compared in: lowercased, spaces/dots/hyphens removed."""
    return re.sub(r"[\s.\-_]+", "", name.lower())


def generate_catalog(rng: random.Random) -> tuple[dict[str, object], tuple[str, str]]:
    """A seeded N_ROLES catalogue in roles.json's format; (id, abbreviation) of a middle role."""
    combos = rng.sample(range(len(ADJ) * len(FIELD) * len(RANK)), N_ROLES)
    verb_w = [1 / k for k in range(1, len(VERBS) + 1)]  # Zipf: the last words are the rarest
    noun_w = [1 / k for k in range(1, len(NOUNS) + 1)]
    taken: set[str] = set()
    roles = []
    for i, combo in enumerate(combos):
        a, rest = divmod(combo, len(FIELD) * len(RANK))
        words = (ADJ[a], FIELD[rest // len(RANK)], RANK[rest % len(RANK)])
        abbr = "".join(w[0] for w in words) + chr(65 + i // 26 % 26) + chr(65 + i % 26)
        abbr += "X" if key(abbr) in RESERVED else ""
        role_id, title = f"r{i:05d}", " ".join(words)
        for name in (role_id, title):  # abbreviations (5-6 letters) can clash with neither
            if key(name) in taken or key(name) in RESERVED:
                raise AssertionError(f"generated name {name!r} collides: change the vocabulary")
            taken.add(key(name))
        duties = []
        for _ in range(4):
            verb, (one, two) = rng.choices(VERBS, verb_w)[0], rng.choices(NOUNS, noun_w, k=2)
            duties.append(f"{verb} the {one} and {two} {rng.choice(TAILS)}")
        roles.append(
            {
                "id": role_id,
                "abbreviation": abbr,
                "title": title,
                "area": rng.choice(AREAS),
                "summary": f"Holds the {words[1].lower()} brief {rng.choice(TAILS)}.",
                "responsibilities": duties,
                "reports_to": f"r{rng.randrange(max(0, i - 1000), i):05d}" if i else None,
                "sources": [{"title": "generated"}],
            }
        )
    counts = Counter(key(r["abbreviation"]) for r in roles)
    mid = next(r for r in roles[N_ROLES // 2 :] if counts[key(r["abbreviation"])] == 1)
    doc = {"version": f"generated-{SEED}", "roles": roles, "differences": []}
    return doc, (mid["id"], mid["abbreviation"])


def batch_input() -> bytes:
    """N_LINES queries cycled from data/roles.json: every title, each abbreviation that resolves."""
    roles = json.loads((CHECKOUT / "data" / "roles.json").read_text(encoding="utf-8"))["roles"]
    groups: dict[str, list[dict[str, object]]] = {}
    for role in roles:
        groups.setdefault(key(role["abbreviation"]), []).append(role)
    # A shared abbreviation resolves only through its single primary meaning (CIO, CMO, CCO).
    abbrs = [
        r["abbreviation"] for g in groups.values() for r in g if len(g) == 1 or r.get("primary")
    ]
    queries = [str(q) for q in abbrs] + [r["title"] for r in roles]
    return "".join(queries[i % len(queries)] + "\n" for i in range(N_LINES)).encode()


def serve() -> None:
    """The runner's loop, alone in a `python -I -S` that imports nothing else (see Runner).

    Reads (argv, env, stdin bytes or None, stdout bytes to keep) and answers a Sample's fields,
    both with marshal. It forks and execs each command: os.wait4's peak RSS counts the pages a
    child had before exec (a fork copies its parent's resident ones, a vfork as in subprocess its
    parent's peak), so the parent must stay smaller than the floor: this small process does.
    """
    import marshal
    import os
    import signal
    import sys
    import time

    while True:
        try:
            argv, env, data, keep = marshal.load(sys.stdin.buffer)
        except EOFError:
            return
        out_r, out_w = os.pipe()
        in_r, in_w = os.pipe() if data is not None else (os.open(os.devnull, os.O_RDONLY), -1)
        err = os.memfd_create("stderr")
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the command: stdin, stdout, stderr, default SIGPIPE, exec
            try:
                for fd, target in ((in_r, 0), (out_w, 1), (err, 2)):
                    os.dup2(fd, target)
                signal.signal(signal.SIGPIPE, signal.SIG_DFL)
                os.execve(argv[0], argv, env)
            except OSError as exc:
                os.write(2, f"cannot run {argv[0]}: {exc.strerror}".encode())
            finally:
                os._exit(127)
        os.close(in_r)
        os.close(out_w)
        if data is not None:
            writer = os.fork()
            if writer == 0:  # feeds the stdin pipe; a command that stops reading ends it
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(in_w, view) :]
                finally:
                    os._exit(0)
            os.close(in_w)
        head, lines = b"", 0
        while chunk := os.read(out_r, 1 << 16):
            lines += chunk.count(b"\n")
            if len(head) < keep:
                head = (head + chunk)[:keep]
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - start
        if data is not None:
            os.waitpid(writer, 0)
        stderr = os.pread(err, 1 << 16, 0)
        for fd in (out_r, err):
            os.close(fd)
        code = os.waitstatus_to_exitcode(status)
        marshal.dump(
            (seconds, usage.ru_maxrss / 1024, code, head, lines, stderr), sys.stdout.buffer
        )
        sys.stdout.buffer.flush()


class Runner:
    """The small child process that starts, times and measures every command (see serve)."""

    def __init__(self) -> None:
        code = inspect.getsource(serve) + "\nserve()\n"
        argv = [sys.executable, "-I", "-S", "-c", code]
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def run(
        self, argv: list[str], env: dict[str, str], stdin: bytes | None = None, keep: int = 0
    ) -> Sample:
        """Run argv once; stdin is /dev/null unless bytes are given; keep that much stdout."""
        marshal.dump((argv, env, stdin, keep), self.proc.stdin)
        self.proc.stdin.flush()
        return Sample(*marshal.load(self.proc.stdout))

    def close(self) -> None:
        """Stop the runner."""
        self.proc.stdin.close()
        self.proc.wait()


def failure(sample: Sample) -> str:
    """'n/a (exit N: message)': click's 'Error:' line if there is one, else stderr's first line."""
    lines = sample.stderr.decode(errors="replace").strip().splitlines() or ["no stderr"]
    line = next((x for x in lines if x.startswith("Error:")), lines[0])
    return f"n/a (exit {sample.status}: {line[:90]})"


def series(
    runner: Runner, row: Row, floor: list[str], env: dict[str, str], runs: int
) -> Series | str:
    """One warm-up, then floor and command alternately; (command, floor) samples or 'n/a (...)'."""
    env = {**env, **(row.env or {})}

    def command(keep: int = 0) -> Sample:
        """One run of the row's command, from an empty folder `wipe` if the row has one."""
        if row.wipe:
            shutil.rmtree(row.wipe, ignore_errors=True)
        sample = runner.run(row.argv, env, row.stdin, keep)
        if row.wipe:
            settle(row.wipe)
        return sample

    first = command(keep=1 << 16)
    if first.status:
        return failure(first)
    if problem := row.check(first):
        return f"n/a (unexpected output: {problem})"
    runner.run(floor, env)
    pairs = [(runner.run(floor, env), command()) for _ in range(runs)]
    bad = next((cmd for _, cmd in pairs if cmd.status), None)
    return failure(bad) if bad else ([cmd for _, cmd in pairs], [fl for fl, _ in pairs])


def settle(folder: Path, seconds: float = 120) -> None:
    """Wait, outside the timed part, until the cache the run's detached writer is writing in
    `folder` is whole (a `.sqlite`, no `.tmp`): the installed command answers a first lookup
    before its cache is written, and the writer must not run during the next measurement."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        names = [p.name for p in folder.rglob("catalog-*")] if folder.exists() else []
        if any(n.endswith(".sqlite") for n in names) and not any(".tmp" in n for n in names):
            return
        time.sleep(0.02)


def contains(needle: bytes) -> Check:
    """An output check: stdout contains needle."""
    return lambda s: None if needle in s.head else f"no {needle.decode()!r} in {s.head[:40]!r}"


def lines_of(count: int) -> Check:
    """An output check: `count` lines out."""
    return lambda s: None if s.lines == count else f"{s.lines} lines for {count} inputs"


# Titles as people write them: a rank, a function, and now and then a place or a decoration.
TITLE_RANKS = """VP|SVP|EVP|AVP|Head of|Director of|Director,|Senior Director,|Manager,|
Senior Manager,|Lead,|Associate Director,|Chief * Officer|Vice President,|Global Head of|
Group Head of|Principal,|Deputy Director,|Interim Head of|Acting Director of"""
TITLE_RANKS = TITLE_RANKS.replace("\n", "").split("|")
TITLE_FUNCTIONS = """Finance|Engineering|Sales|People|Legal|Marketing|Operations|Product|Data|
Security|Risk|Compliance|Procurement|Supply Chain|Customer Success|Investor Relations|Tax|Treasury|
Communications|Strategy|Talent|IT|Research|Design|Facilities""".replace("\n", "").split("|")
TITLE_PLACES = ["", "", "", ", EMEA", ", APAC", " - North America", ", UK & Ireland", " (Interim)",
                ", Group", " & Deputy CFO", ", LATAM", " | Global"]  # fmt: skip


def titles_input(count: int) -> bytes:
    """`count` generated titles, one per line (seeded)."""
    rng = random.Random(SEED)
    lines = []
    for _ in range(count):
        rank, function = rng.choice(TITLE_RANKS), rng.choice(TITLE_FUNCTIONS)
        title = rank.replace("*", function) if "*" in rank else f"{rank} {function}"
        lines.append(title + rng.choice(TITLE_PLACES) + "\n")
    return "".join(lines).encode()


def count_lines(sample: Sample) -> str | None:
    """An output check for the batch: one line out per line in."""
    return None if sample.lines == N_LINES else f"{sample.lines} lines for {N_LINES} queries"


def rows(venv: Path, catalog: Path, role: tuple[str, str], cache: Path) -> list[Row]:
    """The commands to time, with their limits (none for the one that only informs)."""
    who = str(venv / "bin" / "whoiswho")
    tab = {"_WHOISWHO_COMPLETE": "bash_complete", "COMP_WORDS": "whoiswho CF", "COMP_CWORD": "1"}
    big, words = [who, "--no-bundled", "--catalog", str(catalog)], " ".join(SEARCH_WORDS)
    return [
        Row("whoiswho CFO --json", [who, "CFO", "--json"], "x", 4.0, 2.0, contains(b'"cfo"')),
        Row("whoiswho CFO", [who, "CFO"], "x", 6.5, 5.0, contains(b"Chief Financial Officer")),
        Row('whoiswho classify "EVP & CFO" --json', [who, "classify", "EVP & CFO", "--json"],
            "x", 4.0, 3.0, contains(b"cfo")),
        Row("whoiswho --help", [who, "--help"], "x", 4.0, 3.0, contains(b"Usage")),
        Row("whoiswho --version", [who, "--version"], "x", 4.0, 3.0, contains(b"whoiswho")),
        Row("completion: whoiswho CF<TAB>", [who], "x", 4.0, 3.0, contains(b"CFO"), tab),
        Row(f"50k catalogue: {role[1]} --json", [*big, role[1], "--json"], "ms", 250, 150,
            contains(f'"{role[0]}"'.encode())),
        Row(f"50k catalogue: {role[1]} --json, cache emptied first", [*big, role[1], "--json"],
            "ms", None, None, contains(f'"{role[0]}"'.encode()), wipe=cache),
        Row(f"50k catalogue: search {words} --json", [*big, "search", *SEARCH_WORDS, "--json"],
            "ms", 300, 200, contains(b'"r')),
        Row(f"batch: {N_LINES:,} lines into show - --jsonl", [who, "show", "-", "--jsonl"], "s",
            0.5, 0.1, count_lines, None, batch_input()),
        Row(f"classify - over {N_TITLES:,} titles", [who, "classify", "-", "--json"], "s",
            None, None, lines_of(N_TITLES), None, titles_input(N_TITLES)),
        Row(f"classify - over {N_TITLES // 10:,} titles", [who, "classify", "-", "--json"], "s",
            None, None, lines_of(N_TITLES // 10), None, titles_input(N_TITLES // 10)),
    ]  # fmt: skip


def median(samples: list[Sample], field: str = "seconds") -> float:
    """Median of one field over samples."""
    return statistics.median(getattr(s, field) for s in samples)


def measure(
    runner: Runner, env: dict[str, str], venv: Path, catalog: Path, role: tuple[str, str], runs: int
) -> list[list[str]]:
    """Time every row against the floor, then the two peak-memory rows: the table's cells."""
    floor = [str(venv / "bin" / "python"), "-c", "pass"]
    cells, results = [], {}
    for row in rows(venv, catalog, role, Path(env["XDG_CACHE_HOME"])):
        print(f"  {row.label} ...", file=sys.stderr, flush=True)
        got = results[row.label] = series(runner, row, floor, env, runs)
        unit = "x" if row.unit == "x" else f" {row.unit}"
        limits = (
            [f"<= {row.must:g}{unit}", f"{row.goal:g}{unit}"] if row.must is not None else ["", ""]
        )
        startup = results["whoiswho CFO --json"]
        if row.unit == "s" and isinstance(startup, str) and not isinstance(got, str):
            got = "n/a (no `whoiswho CFO --json` start-up to subtract)"
        if isinstance(got, str):
            cells.append([row.label, "", "", got, *limits, ""])
            continue
        cmd, base = median(got[0]), median(got[1])
        if row.unit == "x":
            value, shown = cmd / base, f"{cmd / base:.2f}x"
        elif row.unit == "ms":
            value, shown = cmd * 1000, f"{cmd * 1000:.0f} ms"
        else:
            value = cmd - median(startup[0])
            shown = f"{value:.3f} s beyond start-up"
            if row.label.startswith("classify -"):
                count = int(row.label.split()[3].replace(",", ""))
                rss = median(got[0], "rss_mib")
                shown += f", {count / max(value, 1e-9):,.0f} titles/s, peak RSS {rss:.1f} MiB"
        verdict = "" if row.must is None else "ok" if value <= row.must else "OVER"
        times = [f"{cmd * 1000:.1f}", f"{base * 1000:.1f}"]
        cells.append([row.label, *times, shown, *limits, verdict])
    for label, limit in (("whoiswho CFO --json", 15), ("whoiswho CFO", 20)):
        got, name, must = results[label], f"peak RSS: {label}", f"<= {limit} MiB"
        if isinstance(got, str):
            cells.append([name, "", "", got, must, "", ""])
            continue
        rss, base = median(got[0], "rss_mib"), median(got[1], "rss_mib")
        shown, verdict = f"{rss:.1f} MiB (floor {base:.1f})", "ok" if rss <= limit else "OVER"
        cells.append([name, "", "", shown, must, "", verdict])
    return cells


def clean_env() -> dict[str, str]:
    """This environment without PYTHON* and the variables that change whoiswho's output."""
    drop = {"NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "_WHOISWHO_COMPLETE"}
    return {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("PYTHON")}


def build_venv(venv: Path) -> None:
    """A venv with a non-editable install of the checkout (reused and reinstalled if it exists)."""
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    install = [*pip, "install", str(CHECKOUT)]
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    else:  # same version number as last time: force pip to rebuild from today's checkout
        subprocess.run([*install, "--force-reinstall", "--no-deps"], check=True, stdout=sys.stderr)
    subprocess.run(install, check=True, stdout=sys.stderr)


def check_catalog(runner: Runner, env: dict[str, str], venv: Path, catalog: Path) -> str:
    """`whoiswho --no-bundled --catalog FILE list --json | head -c 100`, or why it failed."""
    who = str(venv / "bin" / "whoiswho")
    got = runner.run(
        [who, "--no-bundled", "--catalog", str(catalog), "list", "--json"], env, keep=100
    )
    return failure(got) if got.status else got.head.decode(errors="replace") + "..."


def header(runs: int) -> str:
    """Date, commit, machine, CPU, Python, runs."""
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    git = ["git", "-C", str(CHECKOUT), "describe", "--always", "--dirty"]
    commit = subprocess.run(git, capture_output=True, text=True).stdout.strip() or "?"
    u, when = os.uname(), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{when}, commit {commit}, {u.sysname} {u.release} {u.machine}, "
        f"{models[0] if models else platform.processor()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {runs} runs per row"
    )


def table(cells: list[list[str]]) -> str:
    """The Markdown table (a `|` inside a cell escaped)."""
    head = ["command", "median ms", "floor ms", "ratio or value", "must", "goal", "verdict"]
    body = [[c.replace("|", "\\|") for c in row] for row in cells]
    return "\n".join("| " + " | ".join(r) + " |" for r in [head, ["---"] * len(head), *body])


# --- --scale: every command over catalogues of growing size (issue 17) ---

SCALE_SIZES = (10_000, 50_000, 200_000)
SCALE_OPT_IN = 500_000
SCALE_FILE_ROLES = 50_000  # roles per catalogue file (about 30 MiB)
PLACES = """Lyon Leeds Osaka Austin Porto Krakow Dublin Lagos Quito Perth Pune Turin Malmo Graz Cork
Bergen Tampa Busan Lille Leon Nantes Cadiz Basel Aarhus Omaha Tulsa Fresno Hanoi Cebu Kobe Accra
Natal Recife Salta Iasi Brno Split Ghent Delft Espoo Tartu Riga Vilnius Turku Oulu Kiel Ulm Bonn
Essen Linz""".split()
# The table: (row, must, goal, unit) at 50,000 roles.
SCALE_ROWS = (
    ("first lookup after the file changes (cache rebuild)", 1000, 500, "ms"),
    ("warm lookup --json", 150, 100, "ms"),
    ("TAB completion", 150, 60, "ms"),
    ("search (three words) --json", 300, 100, "ms"),
    ("chart SUBTREE --json", 500, 200, "ms"),
    ("list --json peak memory", 100, 40, "MiB"),
    ("list --json", None, None, "ms"),
    (f"batch {N_LINES:,} lines show - --jsonl", None, None, "lines/s"),
    (f"batch {N_LINES:,} lines peak memory", None, None, "MiB"),
)


def abbreviation_for(i: int, words: tuple[str, ...]) -> str:
    """Initials and the index in base 26: unique, never a reserved word, never an id or title."""
    tail = ""
    while True:
        i, digit = divmod(i, 26)
        tail = chr(65 + digit) + tail
        if not i:
            break
    return "".join(w[0] for w in words) + tail.rjust(3, "A") + "X"


def generate_deep(count: int) -> tuple[dict[str, object], dict[str, object]]:
    """A seeded catalogue of `count` roles, a tree eight levels deep (three divisions under the
    top role, then about count**(1/6) reports each), and what the scale rows ask of it."""
    rng = random.Random(SEED + count)
    fan = max(2, round(count ** (1 / 6)))
    verb_w = [1 / k for k in range(1, len(VERBS) + 1)]
    noun_w = [1 / k for k in range(1, len(NOUNS) + 1)]
    titles = rng.sample(range(len(ADJ) * len(FIELD) * len(RANK) * len(PLACES)), count)
    superiors: list[int | None] = [None, 0, 0, 0]
    level = [1, 2, 3]
    while len(superiors) < count:  # breadth first, a level at a time
        size = min(len(level) * fan, count - len(superiors))
        start = len(superiors)
        # Round robin over the level above: a last, partial level spreads over all divisions.
        superiors += [level[j % len(level)] for j in range(size)]
        level = list(range(start, start + size))
    roles = []
    for i in range(count):
        combo, place = divmod(titles[i], len(PLACES))
        a, rest = divmod(combo, len(FIELD) * len(RANK))
        words = (ADJ[a], FIELD[rest // len(RANK)], RANK[rest % len(RANK)])
        duties = []
        for _ in range(4):
            verb, (one, two) = rng.choices(VERBS, verb_w)[0], rng.choices(NOUNS, noun_w, k=2)
            duties.append(f"{verb} the {one} and {two} {rng.choice(TAILS)}")
        up = superiors[i]
        roles.append({
            "id": f"r{i:06d}",
            "abbreviation": abbreviation_for(i, words),
            "title": f"{' '.join(words)}, {PLACES[place]}",
            "area": rng.choice(AREAS),
            "summary": f"Holds the {words[1].lower()} brief {rng.choice(TAILS)}.",
            "responsibilities": duties,
            "reports_to": None if up is None else f"r{up:06d}",
            "sources": [{"title": "generated"}],
        })  # fmt: skip
    mid = roles[count // 2]
    batch = [str(roles[rng.randrange(count)][rng.choice(("abbreviation", "title"))])
             for _ in range(N_LINES)]  # fmt: skip
    info = {
        "role": (mid["id"], mid["abbreviation"]),
        "subtree": "r000001",  # one of three divisions: about a third of the roles
        "search": [VERBS[-1].lower(), NOUNS[-1], FIELD[5].lower()],
        "batch": "".join(q + "\n" for q in batch).encode(),
        "fan": fan,
    }
    return {"version": f"generated-{SEED}", "roles": roles, "differences": []}, info


def scale_cells(
    runner: Runner, env: dict[str, str], venv: Path, work: Path, count: int, runs: int
) -> dict[str, float | str]:
    """The scale rows' values (ms, MiB or lines/s) for one catalogue size."""
    doc, info = generate_deep(count)
    # whoiswho reads files of at most 64 MiB: a big catalogue comes as several files, as a
    # company's would (one per business unit), each adding its roles to the ones before.
    roles: list[object] = doc["roles"]  # type: ignore[assignment]
    big = [str(venv / "bin" / "whoiswho"), "--no-bundled"]
    for part, start in enumerate(range(0, count, SCALE_FILE_ROLES)):
        path = work / f"catalog-{count}-{part}.json"
        chunk = {**doc, "roles": roles[start : start + SCALE_FILE_ROLES]}
        path.write_text(json.dumps(chunk), encoding="utf-8")
        big += ["--catalog", str(path)]
    del doc, roles
    cache = work / f"cache-{count}"
    env = {**env, "XDG_CACHE_HOME": str(cache)}
    who = big[0]
    role_id, abbr = info["role"]  # type: ignore[misc]
    words = [*big, abbr[:2]]
    tab = {
        "_WHOISWHO_COMPLETE": "bash_complete",
        "COMP_WORDS": " ".join(words),
        "COMP_CWORD": str(len(words) - 1),
    }
    floor = [str(venv / "bin" / "python"), "-c", "pass"]
    subtree = str(info["subtree"])
    timed = [
        ("first lookup after the file changes (cache rebuild)",
         Row("cold", [*big, abbr, "--json"], "ms", None, None, contains(role_id.encode()),
             wipe=cache)),
        ("warm lookup --json", Row("warm", [*big, abbr, "--json"], "ms", None, None,
                                   contains(role_id.encode()))),
        ("TAB completion", Row("tab", [who], "ms", None, None, contains(abbr.encode()), tab)),
        ("search (three words) --json", Row("search", [*big, "search", *info["search"], "--json"],
                                            "ms", None, None, contains(b'"r'))),  # type: ignore[list-item]
        ("chart SUBTREE --json", Row("chart", [*big, "chart", subtree, "--json"], "ms", None, None,
                                     contains(subtree.encode()))),
        ("list --json", Row("list", [*big, "list", "--json"], "ms", None, None, contains(b'"r0'))),
        ("batch", Row("batch", [*big, "show", "-", "--jsonl"], "ms", None, None,
                      lines_of(N_LINES), stdin=info["batch"])),  # type: ignore[arg-type]
    ]  # fmt: skip
    out: dict[str, float | str] = {}
    for label, row in timed:
        print(f"  {count:,} roles: {label} ...", file=sys.stderr, flush=True)
        got = series(runner, row, floor, env, runs)
        if isinstance(got, str):
            out[label] = got
            continue
        out[label] = median(got[0]) * 1000
        if label == "list --json":
            out["list --json peak memory"] = median(got[0], "rss_mib")
        if label == "batch":
            warm = out["warm lookup --json"]
            beyond = median(got[0]) - (warm / 1000 if isinstance(warm, float) else 0)
            out[f"batch {N_LINES:,} lines show - --jsonl"] = N_LINES / max(beyond, 1e-9)
            out[f"batch {N_LINES:,} lines peak memory"] = median(got[0], "rss_mib")
    return out


def scale_table(sizes: list[int], results: dict[int, dict[str, float | str]]) -> str:
    """Rows of the issue's table, a column per size, must/goal at 50k, growth per 1,000 roles."""
    head = ["command", *(f"{n // 1000:,}k roles" for n in sizes), "must (50k)", "goal (50k)",
            f"growth per 1,000 roles ({sizes[0] // 1000}k to {sizes[-1] // 1000}k)"]  # fmt: skip
    lines = [head, ["---"] * len(head)]
    for label, must, goal, unit in SCALE_ROWS:
        cells = [label]
        values = [results[n].get(label, "n/a") for n in sizes]
        for v in values:
            cells.append(v if isinstance(v, str) else f"{v:,.0f} {unit}" if unit != "MiB"
                         else f"{v:.1f} MiB")  # fmt: skip
        cells += [f"<= {must} {unit}" if must else "", f"<= {goal} {unit}" if goal else ""]
        first, last = values[0], values[-1]
        if isinstance(first, float) and isinstance(last, float) and len(sizes) > 1:
            per = (last - first) / ((sizes[-1] - sizes[0]) / 1000)
            cells.append(f"{per:+.2f} {unit}")
        else:
            cells.append("")
        lines.append(cells)
    return "\n".join("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in lines)


def run_scale(args: argparse.Namespace, runner: Runner, work: Path) -> str:
    """Build the venv, then each size in turn; the report."""
    runs = args.runs if args.runs is not None else 3 if args.quick else 5
    sizes = sorted(args.scale)
    venv = args.keep.resolve() if args.keep else work / "venv"
    print(f"installing {CHECKOUT} into {venv} ...", file=sys.stderr, flush=True)
    build_venv(venv)
    env = clean_env()
    results = {n: scale_cells(runner, env, venv, work, n, runs) for n in sizes}
    fans = ", ".join(f"{n // 1000}k: {generate_fan(n)}" for n in sizes)
    return "\n\n".join([
        f"whoiswho scale benchmark: {header(runs)}",
        scale_table(sizes, results),
        "Whole processes, medians, each alternated with the floor. Catalogues: generated, seeded, "
        f"a tree eight levels deep (three divisions, then reports per role {fans}); SUBTREE is "
        f"one division (a third of the roles); files of {SCALE_FILE_ROLES:,} roles (whoiswho reads "
        "files of up to 64 MiB); the batch is "
        f"{N_LINES:,} abbreviations and titles of the catalogue, its rate counted beyond a warm "
        "lookup's time.",
    ])  # fmt: skip


def generate_fan(count: int) -> int:
    return max(2, round(count ** (1 / 6)))


def sizes_arg(text: str) -> list[int]:
    """`10000,50000` or `opt-in` (the default sizes and 500,000)."""
    if text == "all":
        return [*SCALE_SIZES, SCALE_OPT_IN]
    return [int(part.replace("_", "").replace("k", "000")) for part in text.split(",")]


def main() -> None:
    """Parse options, build the venv and the data, measure, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog=EPILOG)
    parser.add_argument("--runs", type=int, help="alternated runs per row (default 30)")
    parser.add_argument("--quick", action="store_true", help="5 runs per row unless --runs")
    parser.add_argument(
        "--keep", metavar="VENVDIR", type=Path, help="build the venv here and keep it"
    )
    parser.add_argument("--markdown", metavar="FILE", type=Path, help="also write the report here")
    parser.add_argument(
        "--scale",
        nargs="?",
        const=list(SCALE_SIZES),
        type=sizes_arg,
        metavar="SIZES",
        help="time every command over generated catalogues of these sizes instead "
        "(default 10k,50k,200k; 'all' adds 500k, which takes minutes)",
    )
    args = parser.parse_args()
    if args.scale:
        work = Path(tempfile.mkdtemp(prefix="whoiswho-scale-"))
        runner = Runner()
        try:
            emit(run_scale(args, runner, work), args.markdown)
        finally:
            runner.close()
            shutil.rmtree(work, ignore_errors=True)
        return
    runs = args.runs if args.runs is not None else 5 if args.quick else 30
    if runs < 1:
        parser.error("--runs must be at least 1")
    work = Path(tempfile.mkdtemp(prefix="whoiswho-bench-"))
    runner = Runner()
    try:
        venv = args.keep.resolve() if args.keep else work / "venv"
        print(f"installing {CHECKOUT} into {venv} ...", file=sys.stderr, flush=True)
        build_venv(venv)
        catalog = work / "catalog-50k.json"
        doc, role = generate_catalog(random.Random(SEED))
        catalog.write_text(json.dumps(doc), encoding="utf-8")
        # Any cache whoiswho keeps goes into the temporary folder, and starts out empty.
        env = {**clean_env(), "XDG_CACHE_HOME": str(work / "cache")}
        loads = check_catalog(runner, env, venv, catalog)
        print(f"catalogue: {loads}", file=sys.stderr, flush=True)
        cells = measure(runner, env, venv, catalog, role, runs)
        report = "\n\n".join([
            f"whoiswho benchmark: {header(runs)}",
            table(cells),
            f"Floor: `VENV/bin/python -c pass`, alternated with each command. Catalogue: "
            f"{N_ROLES:,} generated roles ({catalog.stat().st_size / 2**20:.1f} MiB, seed {SEED}); "
            f"ROLE `{role[1]}` is `{role[0]}`; it loads with `list --json`: "
            f"{loads if loads.startswith('n/a') else 'yes'}.",
        ])  # fmt: skip
        emit(report, args.markdown)
    finally:
        runner.close()
        shutil.rmtree(work, ignore_errors=True)


def emit(report: str, markdown: Path | None) -> None:
    """The report to stdout, and to the --markdown file when one was given."""
    print(report)
    if markdown:
        markdown.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
