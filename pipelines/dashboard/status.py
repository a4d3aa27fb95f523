"""The status the budget group sets per proposal, with a dated note, and its audit trail.

`data/status/statuses.csv` holds the current status of each proposal (one row each), so it
can be read, diffed and reviewed like the rules files. Every change is first appended to
`data/status/audit.jsonl` (who, when, from what, to what, the note), then the CSV is
rewritten to a temporary file and renamed over the old one, so a reader never sees half a
file. A lock file serialises writers; each writer re-reads the file under the lock, so two
people editing different proposals at once never drop each other's change.

$VERKSTAD_STATUS_DIR moves both files (the tests use it).
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from pipelines.config import DATA
from pipelines.db import file_lock

STATUSES = ("ej påbörjat", "pågår", "genomfört", "motarbetat")
FIELDS = ("proposal_id", "status", "note", "note_date", "editor", "updated_at")
MAX_NOTE_CHARS = 2000


class StatusError(ValueError):
    """A status change that cannot be stored (unknown status, missing editor, …)."""


@dataclass(frozen=True)
class Status:
    proposal_id: str
    status: str
    note: str
    note_date: str  # ISO date the note speaks of
    editor: str
    updated_at: str  # ISO timestamp (UTC) of the change


def status_dir() -> Path:
    return Path(os.environ.get("VERKSTAD_STATUS_DIR") or DATA / "status")


def _files() -> tuple[Path, Path, Path]:
    d = status_dir()
    return d / "statuses.csv", d / "audit.jsonl", d / ".statuses.lock"


def read_statuses() -> dict[str, Status]:
    """The current status of every proposal that has one."""
    path, _, _ = _files()
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        return {
            row["proposal_id"]: Status(**{k: row.get(k) or "" for k in FIELDS})
            for row in csv.DictReader(fh)
        }


def history(proposal_id: str | None = None) -> list[dict]:
    """Audit entries, oldest first (for one proposal when given)."""
    _, audit, _ = _files()
    if not audit.exists():
        return []
    entries = []
    with open(audit, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a torn last line from a crash; the earlier lines stand
            if proposal_id is None or entry.get("proposal_id") == proposal_id:
                entries.append(entry)
    return entries


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def set_status(
    proposal_id: str,
    status: str,
    note: str,
    note_date: date | str,
    editor: str,
    now: datetime | None = None,
) -> Status:
    """Store a status change for one proposal and append it to the audit log."""
    if status not in STATUSES:
        raise StatusError(f"okänd status: {status!r} (tillåtna: {', '.join(STATUSES)})")
    if not editor or not editor.strip():
        raise StatusError("en statusändring måste ha en redaktör")
    if not proposal_id:
        raise StatusError("förslag saknas")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise StatusError(f"anteckningen är längre än {MAX_NOTE_CHARS} tecken")
    note_day = date.fromisoformat(str(note_date)).isoformat()
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    new = Status(proposal_id, status, note, note_day, editor.strip(), stamp)
    path, audit, lock = _files()
    with file_lock(lock):
        current = read_statuses()
        old = current.get(proposal_id)
        entry = {
            "at": stamp,
            "editor": new.editor,
            "proposal_id": proposal_id,
            "from": old.status if old else None,
            "to": status,
            "note": note,
            "note_date": note_day,
        }
        with open(audit, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        current[proposal_id] = new
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for key in sorted(current):
            writer.writerow(asdict(current[key]))
        _write_atomic(path, buffer.getvalue())
    return new
