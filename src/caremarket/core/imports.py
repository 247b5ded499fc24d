"""Every CSV import in the platform, one way: check every row, then write all or nothing.

An app describes a file once, as an ``Importer`` (its ``kind``, its ``columns``, an optional
``check_row`` for rules across cells or against the database, and ``write``), and registers it
in its AppConfig.ready(). Everything else is shared, so every import behaves alike:

- The file is streamed to ``settings.IMPORTS_DIR`` under its SHA-256, never held whole in
  memory. The same file for the same kind and owner a second time is the first run again
  (``repeat`` is set) and changes nothing.
- Pass 1 reads every row, parses each cell (``core.import_columns``) and calls ``check_row``;
  every fault is kept with its line (the header is line 1) and column. Any fault: the run
  fails and nothing is written.
- Pass 2 reads the file again and hands the parsed rows to ``write`` inside one transaction.
- Small files run at once; larger ones (over ``settings.IMPORTS_INLINE_ROWS``) wait for the
  worker (``caremarket tick``), and the run page shows the progress meanwhile.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction

from caremarket.core import clock, import_progress, roles
from caremarket.core.errors import Invalid, NotFound
from caremarket.core.import_columns import (
    Column,
    boolean,
    choice,
    date_value,
    datetime_value,
    decimal,
    integer,
    text,
)
from caremarket.core.models import ImportRun

__all__ = [
    "Column",
    "ImportRun",
    "Importer",
    "boolean",
    "choice",
    "date_value",
    "datetime_value",
    "decimal",
    "integer",
    "process",
    "process_queued",
    "register",
    "run_seen_by",
    "start",
    "text",
]

MAX_ERRORS_KEPT = 500
PROGRESS_EVERY = 2000
Row = dict[str, Any]


class Importer:
    """One kind of file. Subclasses set ``kind``, ``title`` and ``columns`` and write rows."""

    kind: str = ""
    title: str = ""
    columns: Sequence[Column] = ()

    def check_row(self, row: Row, line: int, context: dict[str, Any]) -> dict[str, str]:
        """Rules across cells or against the database: column -> message. ``context`` lives
        for the whole run (cache look-ups in it; ``context["options"]`` is the run's)."""
        return {}

    def write(self, rows: Iterator[tuple[int, Row]], context: dict[str, Any]) -> int:
        """Save every row (all are valid), inside one transaction; return how many."""
        raise NotImplementedError

    def whole_file(self, run: ImportRun, context: dict[str, Any]) -> tuple[int, int] | None:
        """Optional fast path for very large files: check and write the whole file at once
        (e.g. COPY into a staging table on PostgreSQL), inside the run's transaction, and
        return (rows, rows written). Return None, having written nothing, whenever it cannot
        vouch for every row: the two passes below then run, with their faults by line."""
        return None


_REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    if not importer.kind:
        raise ValueError("An importer needs a kind.")
    _REGISTRY[importer.kind] = importer
    return importer


def importer_for(kind: str) -> Importer:
    try:
        return _REGISTRY[kind]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise Invalid(f"There is no import called {kind!r}. Known: {known}.", "kind") from None


def kinds() -> list[Importer]:
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def start(
    kind: str,
    source: Any,
    *,
    by: Any = None,
    owner: str,
    options: dict[str, Any] | None = None,
    filename: str = "",
    inline: bool | None = None,
) -> ImportRun:
    """Store the file and run it (now, or queued for the worker when it is large). ``source``
    is an uploaded file, a path, or a binary stream. Returns the run; ``run.repeat`` is True
    when this very file was imported (or is importing) already."""
    importer_for(kind)
    stored, sha, lines, name = _store(source, filename)
    existing = ImportRun.objects.filter(kind=kind, owner=owner, sha256=sha).exclude(
        status=ImportRun.Status.FAILED
    )
    found = existing.first()
    if found is not None:
        found.repeat = True  # type: ignore[attr-defined]
        return found
    try:
        with transaction.atomic():
            run = ImportRun.objects.create(
                kind=kind,
                owner=owner,
                sha256=sha,
                filename=name[:200],
                stored_as=str(stored),
                options=options or {},
                rows_total=max(lines - 1, 0),
                created_by=by if getattr(by, "pk", None) else None,
            )
    except IntegrityError:  # the same file, sent twice at once: the other request has it
        run = existing.get()
        run.repeat = True  # type: ignore[attr-defined]
        return run
    run.repeat = False  # type: ignore[attr-defined]
    if inline if inline is not None else run.rows_total <= settings.IMPORTS_INLINE_ROWS:
        process(run)
    return run


def process(run: ImportRun) -> ImportRun:
    """Check every row, then write them all in one transaction, or none."""
    importer = importer_for(run.kind)
    context: dict[str, Any] = {"options": run.options, "run": run}
    _set(run, status=ImportRun.Status.CHECKING, rows_checked=0, stage="")
    # Progress on a side connection only at the top level (the worker, a request): inside a
    # caller's transaction nobody else could see the run yet, and its row may be locked.
    outer = transaction.get_connection().in_atomic_block
    with (
        (
            nullcontext(import_progress.IGNORE) if outer else import_progress.reporter(run.pk)
        ) as report,
        transaction.atomic(),
    ):
        fast = importer.whole_file(run, context | {"progress": report})
    if fast is not None:
        rows, written = fast
        done = {"rows_checked": rows, "rows_total": rows, "rows_written": written, "stage": ""}
        _set(run, status=ImportRun.Status.SUCCEEDED, finished_at=clock.now(), **done)
        return run
    errors, count, checked = _check(run, importer, context)
    if count:
        _set(
            run,
            status=ImportRun.Status.FAILED,
            errors=errors,
            error_count=count,
            rows_checked=checked,
            finished_at=clock.now(),
        )
        return run
    _set(run, status=ImportRun.Status.WRITING, rows_checked=checked, rows_total=checked)
    try:
        with transaction.atomic():
            written = importer.write(_valid_rows(run, importer), context)
    except Invalid as exc:  # a rule only the write could see (e.g. a unique clash)
        _set(
            run,
            status=ImportRun.Status.FAILED,
            errors=[{"line": 0, "column": f, "message": m} for f, m in exc.errors.items()],
            error_count=len(exc.errors),
            finished_at=clock.now(),
        )
        return run
    _set(run, status=ImportRun.Status.SUCCEEDED, rows_written=written, finished_at=clock.now())
    return run


def process_queued(batch: int = 5) -> int:
    """The worker's share: run the queued imports, oldest first."""
    done = 0
    for _ in range(batch):
        with transaction.atomic():
            run = (
                ImportRun.objects.select_for_update(skip_locked=True)
                .filter(status=ImportRun.Status.QUEUED)
                .order_by("created_at", "pk")
                .first()
            )
            if run is None:
                break
            _set(run, status=ImportRun.Status.CHECKING)
        process(run)
        done += 1
    return done


def run_seen_by(user: Any, pk: int) -> ImportRun:
    """A run its owner's users may see (and platform staff); anyone else: not found."""
    run = ImportRun.objects.filter(pk=pk).first()
    if run is None or not _may_see(user, run.owner):
        raise NotFound("There is no such import.")
    return run


def owner_key(*, commissioner_id: int | None = None, provider_id: int | None = None) -> str:
    if commissioner_id is not None:
        return f"commissioner:{commissioner_id}"
    if provider_id is not None:
        return f"provider:{provider_id}"
    raise ValueError("An import belongs to a commissioner or a provider.")


def _may_see(user: Any, owner: str) -> bool:
    if roles.is_platform(user):
        return True
    what, _, ident = owner.partition(":")
    if what == "commissioner":
        return roles.is_council(user) and str(roles.commissioner_id_of(user)) == ident
    if what == "provider":
        return roles.is_provider(user) and str(roles.provider_id_of(user)) == ident
    return False


def _store(source: Any, filename: str) -> tuple[Path, str, int, str]:
    """Copy the file to the imports folder in chunks, hashing and counting lines as it goes."""
    folder = Path(settings.IMPORTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(source, str | Path):
        name = filename or Path(source).name
        stream: IO[bytes] = open(source, "rb")  # noqa: SIM115 - closed below
    else:
        name = filename or getattr(source, "name", "upload.csv")
        stream = source
    digest, lines, last = hashlib.sha256(), 0, b"\n"
    partial = folder / f".partial-{clock.now().timestamp()}-{id(stream)}"
    try:
        chunks = (
            source.chunks()
            if hasattr(source, "chunks")
            else iter(lambda: stream.read(1 << 20), b"")
        )
        with open(partial, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                lines += chunk.count(b"\n")
                last = chunk[-1:] or last
                out.write(chunk)
    finally:
        if isinstance(source, str | Path):
            stream.close()
    if last != b"\n":
        lines += 1
    sha = digest.hexdigest()
    stored = folder / f"{sha}.csv"
    partial.replace(stored)
    return stored, sha, lines, Path(name).name


def _reader(run: ImportRun) -> tuple[IO[str], csv.DictReader[str]]:
    handle = open(run.stored_as, encoding="utf-8-sig", newline="")  # noqa: SIM115
    return handle, csv.DictReader(handle)


def _check(
    run: ImportRun, importer: Importer, context: dict[str, Any]
) -> tuple[list[dict[str, Any]], int, int]:
    errors: list[dict[str, Any]] = []
    count = checked = 0

    def fault(line: int, column: str, message: str) -> None:
        nonlocal count
        count += 1
        if len(errors) < MAX_ERRORS_KEPT:
            errors.append({"line": line, "column": column, "message": message})

    try:
        handle, reader = _reader(run)
    except OSError:
        fault(0, "", "The file could not be read.")
        return errors, count, 0
    with handle:
        try:
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c.name for c in importer.columns if c.required and c.name not in header]
            if not header:
                fault(1, "", "The file is empty: the first line must name the columns.")
            for name in missing:
                fault(1, name, f"The column {name!r} is missing from the first line.")
            if count:
                return errors, count, 0
            for raw in reader:
                line = reader.line_num
                row, row_errors = _parse(raw, importer.columns)
                if not row_errors:
                    row_errors = importer.check_row(row, line, context)
                for column, message in row_errors.items():
                    fault(line, column, message)
                checked += 1
                if checked % PROGRESS_EVERY == 0:
                    ImportRun.objects.filter(pk=run.pk).update(rows_checked=checked)
        except (csv.Error, UnicodeDecodeError) as exc:
            fault(reader.line_num, "", f"The file is not a readable UTF-8 CSV file ({exc}).")
    if checked == 0 and not count:
        fault(2, "", "The file has no rows under its header.")
    return errors, count, checked


def _valid_rows(run: ImportRun, importer: Importer) -> Iterator[tuple[int, Row]]:
    handle, reader = _reader(run)
    with handle:
        for raw in reader:
            row, _ = _parse(raw, importer.columns)
            yield reader.line_num, row


def _parse(raw: dict[str | None, Any], columns: Sequence[Column]) -> tuple[Row, dict[str, str]]:
    cells = {(k or "").strip(): v for k, v in raw.items()}
    row: Row = {}
    errors: dict[str, str] = {}
    for column in columns:
        value = cells.get(column.name)
        value = value.strip() if isinstance(value, str) else ""
        if not value:
            if column.required:
                errors[column.name] = f"{column.name} must be filled in"
            row[column.name] = None
            continue
        try:
            row[column.name] = column.parse(value)
        except ValueError as exc:
            errors[column.name] = f"{column.name} {exc}"
    return row, errors


def _set(run: ImportRun, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    ImportRun.objects.filter(pk=run.pk).update(**fields)


def example_csv(importer: Importer) -> str:
    """The header line of a kind's file, for upload pages and docs."""
    out = io.StringIO()
    csv.writer(out).writerow([c.name for c in importer.columns])
    return out.getvalue()
