"""Uploads from the Importera page: checked, previewed on a copy, then ingested for real.

The uploaded bytes are written to a fresh private temporary folder under a name made by us:
the uploaded name is reduced to a plain basename of letters, digits, spaces, dots and dashes
(no folders, no leading dot) with an allowed extension, so it labels the document in reports
and lineage but never chooses where anything is written.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from pipelines.config import Config
from pipelines.db import write_transaction
from pipelines.ingest import FileReport, IngestOptions, _importers, _ingest_one, ingest

ALLOWED = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
MAX_FILES = 20


@dataclass(frozen=True)
class Upload:
    name: str  # as the browser sent it: a label only
    data: bytes


def safe_name(name: str, index: int) -> str:
    """A basename for an upload: no folders, no leading dot, an allowed extension."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^\w .\-()]", "_", base).strip(" .")[:120]
    suffix = Path(base).suffix.lower()
    if suffix not in ALLOWED or not Path(base).stem:
        base = f"uppladdning-{index + 1}{suffix if suffix in ALLOWED else '.bin'}"
    return base


def check_uploads(uploads: list[Upload], config: Config) -> list[str]:
    """Reasons to refuse the uploads before reading them (count, type, size)."""
    problems = []
    if len(uploads) > MAX_FILES:
        problems.append(f"högst {MAX_FILES} filer åt gången ({len(uploads)} valda)")
    limit = config.limits.max_file_bytes
    for up in uploads:
        if Path(up.name).suffix.lower() not in ALLOWED:
            problems.append(f"{up.name}: bara {', '.join(ALLOWED)} kan läsas in här")
        if len(up.data) > limit:
            problems.append(f"{up.name}: {len(up.data):,} byte, gränsen är {limit:,}")
        if not up.data:
            problems.append(f"{up.name}: filen är tom")
    return problems


@contextmanager
def _staged(uploads: list[Upload]) -> Iterator[list[Path]]:
    folder = Path(tempfile.mkdtemp(prefix="verkstad-upload-"))
    try:
        paths, used = [], set()
        for i, up in enumerate(uploads):
            name = safe_name(up.name, i)
            if name.casefold() in used:
                name = f"{Path(name).stem}-{i + 1}{Path(name).suffix}"
            used.add(name.casefold())
            path = folder / name
            path.write_bytes(up.data)
            paths.append(path)
        yield paths
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class _Discard(Exception):
    """Raised inside the preview transaction so that nothing it wrote is kept."""


def preview(
    uploads: list[Upload], config: Config, kind: str | None = None, year: int | None = None
) -> list[FileReport]:
    """The report an ingest of the uploads would give, from a throwaway copy of the database."""
    with _staged(uploads) as paths, tempfile.TemporaryDirectory(prefix="verkstad-preview-") as tmp:
        db = Path(tmp) / "preview.duckdb"
        if config.db_path.exists():
            shutil.copyfile(config.db_path, db)
        opts = IngestOptions(config=replace(config, db_path=db), kind=kind, year=year)
        reports: list[FileReport] = []
        importers = _importers()
        try:
            with write_transaction(db) as con:
                for path in paths:
                    reports.append(_ingest_one(con, path, importers, opts))
                raise _Discard
        except _Discard:
            pass
        return reports


def load(
    uploads: list[Upload], config: Config, kind: str | None = None, year: int | None = None
) -> list[FileReport]:
    """Ingest the uploads into the database, exactly as `verkstad ingest` does."""
    with _staged(uploads) as paths:
        return ingest(paths, IngestOptions(config=config, kind=kind, year=year))


def report_lines(report: FileReport) -> list[str]:
    """The text report of one file (the command line's and the page's).

    Details whose key starts with "_" are for --json only (per-table breakdowns); lists
    print one item a line.
    """
    if report.status == "accepted":
        head = f"ACCEPTED  {report.file}: {report.document or report.importer}"
        if report.doc_year:
            head += f" {report.doc_year}"
        lines = [f"{head}, {report.facts} rader"]
        for key, value in report.details.items():
            if key.startswith("_"):
                continue
            if isinstance(value, list):
                lines.append(f"    {key}:")
                lines.extend(f"      {item}" for item in value)
            else:
                lines.append(f"    {key}: {value}")
        lines.extend(f"    - {m}" for m in report.messages)
        return lines
    if report.status == "already loaded":
        return [f"SKIPPED   {report.file}: {report.reason}"]
    return [f"REJECTED  {report.reason}"]
