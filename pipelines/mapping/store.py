"""CSV files people edit, written atomically with conflict detection and an audit trail.

A reader takes a `Snapshot` (rows plus a version: the hash of the file's bytes). A writer
sends the version it read and a list of `Change`s. Under an exclusive lock the file is read
again; each change is checked against the rows as they are *now*:

- an added row must not repeat a row that already exists (same identity);
- a removed or updated row must still be exactly as the writer saw it.

When another editor changed the file in between, changes that do not touch the same rows are
merged; anything else is refused with `ConflictError`. Nothing is ever dropped silently.
The new file replaces the old with one atomic rename, and every accepted change is appended
to the audit log (JSON lines: who, when, what, why) before the lock is released.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import json
import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pipelines.db import file_lock

Row = dict[str, str]


class ConflictError(Exception):
    """A change cannot be applied because someone else changed the same rows first."""


@dataclass(frozen=True)
class Snapshot:
    """The rows of a file and the version (content hash) they were read at."""

    rows: tuple[Row, ...]
    version: str


@dataclass(frozen=True)
class Change:
    """One edit: add `row`, remove `row`, or update `before` into `row`."""

    op: Literal["add", "remove", "update"]
    row: Row
    before: Row | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op, "row": self.row}
        if self.before is not None:
            out["before"] = self.before
        return out


def version_of(data: bytes) -> str:
    """The version of a file's content; an absent file has the version of no bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def new_id(prefix: str) -> str:
    """A short random id; random rather than sequential so concurrent editors never collide."""
    return f"{prefix}{secrets.token_hex(4)}"


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _locked(path: Path):
    """The lock beside `path` (path.lock) that serialises writers of that file."""
    return file_lock(path.with_name(path.name + ".lock"))


def _parse(data: bytes, columns: Sequence[str], path: Path) -> tuple[Row, ...]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Saved from Swedish Excel: Windows-1252. Written back as UTF-8 on the next edit.
        text = data.decode("cp1252")
    if not text.strip():
        return ()
    header = text.split("\n", 1)[0]
    # Swedish Excel saves CSV with semicolons; the files are written with commas.
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{path.name}: kolumner saknas: {', '.join(missing)}")
    rows = []
    for raw in reader:
        row = {c: (raw.get(c) or "").strip() for c in columns}
        if any(row.values()):
            rows.append(row)
    return tuple(rows)


def _render(rows: Sequence[Row], columns: Sequence[str]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue().encode("utf-8")


def read_snapshot(path: Path, columns: Sequence[str]) -> Snapshot:
    """The file's rows (blank rows skipped) and its version; a missing file is empty."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        data = b""
    return Snapshot(_parse(data, columns, Path(path)), version_of(data))


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename: readers see the old file or the new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(3)}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _last_line(handle) -> bytes:
    """The last complete line of a file opened for reading bytes (b"" when empty)."""
    handle.seek(0, os.SEEK_END)
    end = handle.tell()
    block, data = 4096, b""
    while end > 0:
        start = max(0, end - block)
        handle.seek(start)
        data = handle.read(end - start) + data
        lines = data.rstrip(b"\n").split(b"\n")
        if len(lines) > 1 or start == 0:
            return lines[-1]
        end = start
    return b""


def line_hash(line: bytes) -> str:
    return hashlib.sha256(line.rstrip(b"\n")).hexdigest()[:16]


def append_audit(audit_log: Path, entry: dict[str, Any]) -> None:
    """Append one JSON line to the audit log, flushed to disk; the log is never rewritten.

    Each entry carries `prev`, the hash of the line before it, so an edited or deleted line
    breaks the chain and `verify_audit` finds it.
    """
    audit_log = Path(audit_log)
    audit_log.parent.mkdir(parents=True, exist_ok=True)
    with open(audit_log, "a+b") as fh:
        # Several stores share one log; the lock keeps each line whole and the chain linear.
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            last = _last_line(fh)
            entry = {**entry, "prev": line_hash(last) if last else None}
            fh.seek(0, os.SEEK_END)
            fh.write(json.dumps(entry, ensure_ascii=False, sort_keys=True).encode() + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def verify_audit(audit_log: Path) -> list[str]:
    """Where the audit log's chain is broken (an entry edited, removed or inserted)."""
    try:
        lines = Path(audit_log).read_bytes().splitlines()
    except FileNotFoundError:
        return []
    problems, prev = [], None
    for number, line in enumerate(lines, start=1):
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            problems.append(f"rad {number}: inte JSON")
            prev = line_hash(line)
            continue
        if entry.get("prev") != prev:
            problems.append(
                f"rad {number}: kedjan bruten (raden före har ändrats eller tagits bort)"
            )
        prev = line_hash(line)
    return problems


def read_audit(audit_log: Path) -> list[dict[str, Any]]:
    """Every entry of the audit log, oldest first; a torn last line is skipped."""
    try:
        lines = Path(audit_log).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return entries


@dataclass
class CsvStore:
    """One reviewable CSV file: its columns, the column that names a row, and its identity.

    `identity` gives what makes two rows "the same decision" (for rules: the same line
    selector and proposal), so that two editors adding the same thing at once are caught.
    """

    path: Path
    columns: tuple[str, ...]
    key: str
    identity: Callable[[Row], tuple] = field(default=lambda row: (row,))
    validate: Callable[[Sequence[Row], Sequence[Change]], None] | None = None

    def read(self) -> Snapshot:
        return read_snapshot(self.path, self.columns)

    def commit(
        self,
        base_version: str,
        changes: Sequence[Change],
        *,
        who: str,
        why: str,
        action: str,
        audit_log: Path,
        context: dict[str, Any] | None = None,
    ) -> Snapshot:
        """Apply `changes` made against `base_version`; merge or raise ConflictError."""
        if not who or not who.strip():
            raise ValueError("vem som ändrar måste anges")
        with _locked(self.path):
            current = self.read()
            rows = [dict(r) for r in current.rows]
            for change in changes:
                rows = self._apply(rows, change)
            if self.validate:
                self.validate(rows, changes)
            data = _render(rows, self.columns)
            write_atomic(self.path, data)
            after = version_of(data)
            append_audit(
                audit_log,
                {
                    "at": now_iso(),
                    "who": who.strip(),
                    "action": action,
                    "why": why.strip(),
                    "file": self.path.name,
                    "changes": [c.to_dict() for c in changes],
                    "context": context or {},
                    "version_seen": base_version,
                    "version_before": current.version,
                    "version_after": after,
                    "merged": base_version != current.version,
                },
            )
            return Snapshot(tuple(rows), after)

    def _apply(self, rows: list[Row], change: Change) -> list[Row]:
        row = {c: str(change.row.get(c, "") or "").strip() for c in self.columns}
        by_key = {r[self.key]: i for i, r in enumerate(rows)}
        if change.op == "add":
            if row[self.key] in by_key:
                raise ConflictError(f"Raden {row[self.key]} finns redan.")
            ident = self.identity(row)
            if any(self.identity(r) == ident for r in rows):
                raise ConflictError(
                    "Samma koppling finns redan i filen (någon annan kan ha sparat den nyss). "
                    "Ladda om sidan och se efter."
                )
            return [*rows, row]
        seen = change.before if change.op == "update" else change.row
        seen = {c: str((seen or {}).get(c, "") or "").strip() for c in self.columns}
        index = by_key.get(seen[self.key])
        if index is None:
            raise ConflictError(
                f"Raden {seen[self.key]} har tagits bort av någon annan. Ladda om sidan."
            )
        if rows[index] != seen:
            raise ConflictError(
                f"Raden {seen[self.key]} har ändrats av någon annan sedan du läste den. "
                "Ladda om sidan och gör om ändringen."
            )
        if change.op == "remove":
            return rows[:index] + rows[index + 1 :]
        return [*rows[:index], row, *rows[index + 1 :]]
