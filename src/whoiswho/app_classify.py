"""`whoiswho classify`: job titles as people write them, one, a stream, or a CSV column.

Click-free like `app`: the click command only declares the options. Streams are read and written
line by line (memory stays flat for a million titles); a line that cannot be classified is still
written, with nulls and a reason, and makes the exit status 1.
"""

from __future__ import annotations

import io
import itertools
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, TypeVar

from whoiswho.app import Settings, stdin_lines
from whoiswho.errors import EXIT_NOT_FOUND, UnknownRoleError, UsageError
from whoiswho.output import Output, guarded, stdout_is_terminal, write, write_chunked
from whoiswho.render_json import select

if TYPE_CHECKING:
    from whoiswho.classifier import Classification, Reader
    from whoiswho.model import Catalog

T = TypeVar("T")

# Columns added to a CSV, after the original ones (prefixed: a CRM export has its own "Level").
CSV_COLUMNS = (
    "whoiswho_function",
    "whoiswho_level",
    "whoiswho_roles",
    "whoiswho_reports_into",
    "whoiswho_qualifiers",
    "whoiswho_confidence",
)


# Reading titles compiles every role's names into the classifier's tables: milliseconds for the
# bundled catalogue, seconds for tens of thousands of roles. Lookups and search, which answer
# in milliseconds, read titles only in catalogues up to this size; `classify` always does.
TITLE_READING_LIMIT = 5_000


def _reader(catalog: Catalog) -> Reader:
    """The classifier for this catalogue: the bundled vocabulary, plus each file's "titles"."""
    from whoiswho.classifier import reader
    from whoiswho.vocabulary import bundled

    vocabulary = bundled()
    for origin, extra in catalog.vocabulary:
        vocabulary = vocabulary.merged(extra, origin)
    return reader(catalog, vocabulary)


def classify_title(settings: Settings, words: Sequence[str], out: Output) -> int:
    """`classify TITLE...`: the words are one title (quotes optional)."""

    def work() -> int:
        catalog = settings.catalog()
        found = _reader(catalog)(" ".join(words))
        if out.machine:
            out.present(select(found.to_dict(), _fields(out)))
        else:
            from whoiswho.render_classify import classification_view

            out.rich(classification_view(catalog, found))
        return 0 if found.classified else EXIT_NOT_FOUND

    return guarded(out, work)


def classify_stream(settings: Settings, out: Output) -> int:
    """`classify -`: one title per stdin line, one answer per line, in order."""

    def work() -> int:
        catalog = settings.catalog()
        read = _reader(catalog)
        lines = _progress(stdin_lines())
        results = (read(line) for line in lines)
        return _write_results(catalog, results, out)

    return guarded(out, work)


def _write_results(catalog: Catalog, results: Iterable[Classification], out: Output) -> int:
    failures = 0

    def counted() -> Iterator[Classification]:
        nonlocal failures
        for found in results:
            failures += not found.classified
            yield found

    if out.machine:
        from whoiswho.render_json import dumps

        fields = _fields(out)  # checked once, not once per line of a million
        write_chunked(dumps(select(c.to_dict(), fields), None) for c in counted())
    elif stdout_is_terminal() or out.color == "always":
        from whoiswho.render_classify import classification_table

        chunk: list[Classification] = []
        for found in counted():
            chunk.append(found)
            if len(chunk) == 500:
                out.rich(classification_table(catalog, chunk))
                chunk = []
        if chunk:
            out.rich(classification_table(catalog, chunk))
    else:
        from whoiswho.render_text import record

        write_chunked(record(*_cells(c)) for c in counted())
    return EXIT_NOT_FOUND if failures else 0


def classify_csv(settings: Settings, path: str, column: str, out: Output) -> int:
    """`classify --csv FILE --column NAME`: the same CSV, every row and column kept, with the
    classification in added columns."""

    def work() -> int:
        read = _reader(settings.catalog())
        name = "standard input" if path == "-" else path
        handle = _open_csv(path, name)
        with handle:
            return _rewrite_csv(handle, name, column, read)

    return guarded(out, work)


def _open_csv(path: str, name: str) -> IO[str]:
    try:
        if path == "-":
            if sys.stdin is None:
                raise UsageError("cannot read the CSV: standard input is closed")
            stream = sys.stdin.buffer
            return io.TextIOWrapper(stream, encoding="utf-8", newline="", errors="strict")
        return open(path, encoding="utf-8", newline="")
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{name}: is a folder, not a CSV file") from None
    except PermissionError:
        raise UsageError(f"{name}: permission denied") from None
    except OSError as error:
        raise UsageError(f"{name}: cannot be read ({error.strerror or error})") from None


def _rewrite_csv(handle: IO[str], name: str, column: str, read: Reader) -> int:
    import csv  # here: the other forms of classify need no csv module

    try:
        first = handle.readline()
    except UnicodeDecodeError as error:
        raise UsageError(f"{name}, line 1: not UTF-8 text ({error.reason})") from None
    # Spreadsheets end lines in CR LF: the output keeps the file's line ending.
    crlf = first.endswith("\r\n")
    rows = csv.reader(itertools.chain([first] if first else [], handle))
    try:
        header = next(rows, None)
        if header is None:
            raise UsageError(f"{name}: empty, no header line with column names")
        bom = bool(header) and header[0].startswith("\ufeff")
        if bom:
            header[0] = header[0][1:]
        if column not in header:
            columns = ", ".join(repr(c) for c in header)
            raise UsageError(f"{name}, line 1: no column {column!r}; the columns are {columns}")
        at = header.index(column)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n" if crlf else "\n")
        writer.writerow([("\ufeff" if bom else "") + header[0], *header[1:], *CSV_COLUMNS])
        failures = 0
        for n, row in enumerate(_progress(rows), 1):
            found = read(row[at] if at < len(row) else "")
            failures += not found.classified
            writer.writerow([*row, *_cells(found)[1:]])
            if n % 1000 == 0:
                write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()
        write(buffer.getvalue())
    except csv.Error as error:
        raise UsageError(f"{name}, line {rows.line_num}: not valid CSV ({error})") from None
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{name}, line {rows.line_num + 1}: not UTF-8 text ({error.reason})"
        ) from None
    return EXIT_NOT_FOUND if failures else 0


def _cells(found: Classification) -> tuple[str, ...]:
    """Title, then the CSV_COLUMNS values: empty cells where the title said nothing."""
    return (
        found.title,
        found.function or "",
        found.level or "",
        ";".join(found.roles),
        found.reports_into or "",
        ";".join(found.qualifiers),
        f"{found.confidence:.2f}",
    )


def _fields(out: Output) -> tuple[str, ...] | None:
    """--fields, checked against the JSON object's keys: the result's fields after
    schema_version."""
    from whoiswho.classifier import Classification

    return out.checked_fields(("schema_version", *Classification._fields))


def _progress(items: Iterable[T]) -> Iterator[T]:
    """The items unchanged; with output redirected and stderr a terminal, a count on stderr
    once the work has taken over a second (never when stderr is piped)."""
    stderr = sys.stderr
    if stderr is None or not stderr.isatty() or stdout_is_terminal():
        yield from items
        return
    start = time.monotonic()
    shown_at = start + 1.0
    n = 0
    for n, item in enumerate(items, 1):
        yield item
        if n % 1000 == 0 and (now := time.monotonic()) >= shown_at:
            stderr.write(f"\rwhoiswho: {n:,} titles ({n / (now - start):,.0f}/s)")
            stderr.flush()
            shown_at = now + 0.25
    if shown_at > start + 1.0:
        stderr.write(f"\rwhoiswho: {n:,} titles, done{' ' * 12}\n")


def show_title(catalog: Catalog, query: str, out: Output, miss: UnknownRoleError) -> int:
    """`whoiswho QUERY` where QUERY names no role: a rank word is explained as a rank; a title
    as people write it is read. Naming one role, it shows that role (with how it was read);
    several, each (under --json: ambiguous, exit 3); none but classified, the classification
    (under --json: not found, exit 1, the classification in the error). Else the miss."""
    from whoiswho import render_json
    from whoiswho.errors import AmbiguousQueryError, TitleNotARoleError

    if len(catalog.roles) > TITLE_READING_LIMIT:
        raise miss
    read = _reader(catalog)
    found = read(query)
    if not out.machine:
        from whoiswho.vocabulary import bundled

        rank = bundled().rank(query)
        if rank is not None:
            from whoiswho.render_classify import rank_card

            out.rich(rank_card(rank))
            return 0
    if not found.classified:
        raise miss
    roles = [catalog.role(r) for r in found.roles if r in catalog.roles]
    if out.machine and read.guessed(query):
        raise miss  # a mended typo is said in the human view, never a silent answer to a script
    if out.machine:
        if len(roles) == 1:
            fields = out.checked_fields(render_json.ROLE_FIELDS)
            out.present(render_json.select(render_json.role_dict(catalog, roles[0]), fields))
            return 0
        if roles:
            raise AmbiguousQueryError(query, [(r.id, r.abbreviation, r.title) for r in roles])
        raise TitleNotARoleError(query, found.to_dict())
    from whoiswho import render_classify, render_rich

    if not roles:
        out.rich(render_classify.classification_view(catalog, found))
        return 0
    out.rich(render_classify.read_as_line(catalog, found))
    for role in roles:
        out.rich(render_rich.role_card(catalog, role, all_sources=out.all_sources))
    return 0


def title_roles(catalog: Catalog, query: str) -> list[str]:
    """The roles a query names when read as a job title ("head of finance": the CFO it sits
    under), for search to put first: search and lookups share one understanding of titles.
    None when the words are a role's own name (that role already leads) or not a title."""
    from whoiswho.text import lookup_key

    if lookup_key(query) in catalog.index or len(catalog.roles) > TITLE_READING_LIMIT:
        return []
    read = _reader(catalog)
    found = read(query)
    if not found.classified or read.guessed(query):
        return []
    return [*found.roles, *([found.reports_into] if found.reports_into else [])]
