"""`verkstad ingest`: files and folders in, one report per file out.

Each file is offered to the importers in IMPORTERS; the first whose `sniff` accepts it loads
it. All files of one run are written to a private copy of the database (see db.py); each
file runs in its own transaction inside that copy, so a rejected file changes nothing and
the accepted ones land together when the run ends.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import duckdb

from pipelines import marts
from pipelines.config import Config
from pipelines.db import write_transaction


class IngestError(Exception):
    """A file cannot be loaded. Names the file and, where known, the sheet and the cell."""

    def __init__(self, file: str, reason: str, sheet: str | None = None, cell: str | None = None):
        self.file, self.reason, self.sheet, self.cell = file, reason, sheet, cell
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"blad '{self.sheet}'")
        if self.cell:
            where.append(f"cell {self.cell}")
        return f"{', '.join(where)}: {self.reason}"


@dataclass
class IngestOptions:
    """What the user said on the command line, plus the configuration."""

    config: Config
    kind: str | None = None
    year: int | None = None
    demo: bool = False
    # what the pre-read guard found in the file being loaded (set per file by ingest)
    guard: Any = None


@dataclass
class Loaded:
    """What an importer recognised and stored. `details` holds importer-specific facts."""

    document: str | None
    facts: int = 0
    doc_year: int | None = None
    period: str | None = None
    actor: str | None = None
    identity: str | None = None
    is_demo: bool = False
    details: dict[str, Any] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)


class Importer(Protocol):
    """One kind of input. `load` writes through `con` (inside a transaction) or raises."""

    name: str
    kinds: tuple[str, ...]  # the --kind values this importer answers to
    feeds_marts: bool  # whether the marts read what it writes (a new file rebuilds them)

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def load(
        self, con: duckdb.DuckDBPyConnection, path: Path, doc_id: str, opts: IngestOptions
    ) -> Loaded: ...


@dataclass
class FileReport:
    """The outcome for one file, printed as text or JSON."""

    file: str
    status: str  # accepted, rejected, already loaded
    importer: str | None = None
    document: str | None = None
    doc_year: int | None = None
    facts: int = 0
    reason: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _importers() -> list[Importer]:
    # Imported here so that each importer's heavy dependencies load only when ingesting.
    # Order matters: the first importer whose sniff() accepts a file loads it.
    from pipelines.payments import PaymentsImporter
    from pipelines.program.importer import ProgramImporter
    from pipelines.sources.workbook import WorkbookImporter
    from pipelines.statistics import StatisticsImporter

    # the generic workbook importer last: it accepts any workbook or CSV
    return [ProgramImporter(), PaymentsImporter(), StatisticsImporter(), WorkbookImporter()]


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the files of folders (recursively, sorted, hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            files.append(path)
    return files


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _choose(importers: list[Importer], path: Path, head: bytes, kind: str | None) -> Importer:
    if kind:
        importers = [i for i in importers if kind in i.kinds]
    for importer in importers:
        if importer.sniff(path, head):
            return importer
    raise IngestError(path.name, "okänt filformat: varken program, arbetsbok, CSV eller statistik")


def _ingest_one(
    con: duckdb.DuckDBPyConnection, path: Path, importers: list[Importer], opts: IngestOptions
) -> FileReport:
    name = path.name
    if not path.is_file():
        return FileReport(name, "rejected", reason=f"{path}: filen finns inte")
    size = path.stat().st_size
    if size > opts.config.limits.max_file_bytes:
        return FileReport(
            name,
            "rejected",
            reason=f"{name}: filen är {size:,} byte, gränsen är {opts.config.limits.max_file_bytes:,}",
        )
    from pipelines.read.guard import check_file  # guard imports IngestError

    try:
        guarded = check_file(path, opts.config.limits)
    except IngestError as exc:
        return FileReport(name, "rejected", reason=str(exc))
    doc_id = file_hash(path)
    seen = con.execute("select file_name from documents where doc_id = ?", [doc_id]).fetchone()
    if seen:
        return FileReport(name, "already loaded", reason=f"redan inläst (som {seen[0]})")
    with open(path, "rb") as fh:
        head = fh.read(8192)
    con.begin()
    try:
        importer = _choose(importers, path, head, opts.kind)
        loaded = importer.load(con, path, doc_id, replace(opts, guard=guarded))
        archive = opts.config.raw_dir / f"{doc_id}{path.suffix.lower()}"
        con.execute(
            "insert into documents (doc_id, file_name, archive_path, importer, document, doc_year,"
            " period, actor, identity, is_demo) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                doc_id,
                name,
                str(archive.relative_to(opts.config.db_path.parent)),
                importer.name,
                loaded.document,
                loaded.doc_year,
                loaded.period,
                loaded.actor,
                loaded.identity,
                loaded.is_demo or opts.demo,
            ],
        )
        archive.parent.mkdir(parents=True, exist_ok=True)
        if not archive.exists():
            shutil.copyfile(path, archive)
        con.commit()
    except IngestError as exc:
        con.rollback()
        return FileReport(name, "rejected", reason=str(exc))
    except Exception as exc:  # noqa: BLE001 - any failure rejects the file, never the run
        con.rollback()
        return FileReport(
            name, "rejected", reason=f"{name}: kunde inte läsas ({type(exc).__name__}: {exc})"
        )
    return FileReport(
        name,
        "accepted",
        importer=importer.name,
        document=loaded.document,
        doc_year=loaded.doc_year,
        facts=loaded.facts,
        details=loaded.details,
        messages=[*guarded.notes, *loaded.messages],
    )


def ingest(
    paths: Iterable[Path],
    opts: IngestOptions,
    progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None,
) -> list[FileReport]:
    """Load every file under `paths` into the database and rebuild the marts when a file
    they read from was loaded (or they do not exist yet)."""
    files = expand_paths(Path(p) for p in paths)
    importers = _importers()
    feeding = {i.name for i in importers if i.feeds_marts}
    reports: list[FileReport] = []
    with write_transaction(opts.config.db_path) as con:
        for path in progress(files) if progress else files:
            reports.append(_ingest_one(con, path, importers, opts))
        loaded = {r.importer for r in reports if r.status == "accepted"}
        if loaded & feeding or not marts.built(con):
            marts.build_all(con, opts.config)
    return reports
