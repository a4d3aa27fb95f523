"""Readers during an ingest, and an ingest killed with SIGKILL half-way.

The ingest runs as a real `verkstad ingest` subprocess on a generated file large enough
to take seconds. Readers (threads here and one separate process) query through
pipelines.db.connect_read the whole time: no errors, and every read sees the old
database or the new one, never anything between. The kill lands after the writer's
temporary copy has appeared and before it is renamed over the database (checked: the
temporary file is still there after the kill), so it hits the write mid-way.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipelines.config import ROOT
from pipelines.db import connect_read

pytestmark = pytest.mark.timeout(300)

ORGS = ["Kommunstyrelsen", "Utbildningsnämnden", "Socialnämnden", "Tekniska nämnden"]


def big_csv(path: Path, rows: int, year: int) -> Path:
    """A budget CSV with `rows` line items (amounts kept clear of the year range)."""
    rng = random.Random(year)
    lines = [f"Mål och budget {year};;;", "Belopp i tkr;;;", ";;;"]
    lines.append(f"Nämnd;Verksamhet;Budget {year};Plan {year + 1}")
    for i in range(rows):
        a, b = rng.randint(10_000, 99_999), rng.randint(10_000, 99_999)
        lines.append(f"{ORGS[i % 4]};Verksamhet {i};{a};{b}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def small_csv(path: Path, year: int) -> Path:
    lines = [f"Mål och budget {year};", "Belopp i mnkr;", "Nämnd;Budget " + str(year)]
    lines += ["Kommunstyrelsen;265", "Utbildningsnämnden;3300"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ingest(db: Path, *paths: Path, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines", "ingest", *map(str, paths), "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def counts(db: Path) -> tuple[int, int]:
    """Facts and documents, read through one connection (one file)."""
    con = connect_read(db)
    try:
        facts = con.execute("select count(*) from facts").fetchone()[0]
        docs = con.execute("select count(*) from documents").fetchone()[0]
        return facts, docs
    finally:
        con.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path) -> Path:
    db = tmp_path / "db" / "verkstad.duckdb"
    db.parent.mkdir()
    proc = ingest(db, small_csv(tmp_path / "mob-2026.csv", 2026))
    out, err = proc.communicate()
    assert proc.returncode == 0, out + err
    return db


READER = """
import json, sys, time
from pathlib import Path
from pipelines.db import connect_read
db, stop = Path(sys.argv[1]), Path(sys.argv[2])
seen = []
while not stop.exists():
    con = connect_read(db)
    try:
        seen.append((con.execute("select count(*) from facts").fetchone()[0],
                     con.execute("select count(*) from documents").fetchone()[0]))
    finally:
        con.close()
    time.sleep(0.05)
print(json.dumps(seen))
"""


def test_readers_see_old_or_new_never_between(tmp_path, db):
    old = counts(db)
    big = big_csv(tmp_path / "stor-mob-2027.csv", 40_000, 2027)
    stop = tmp_path / "stop"
    reader_proc = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), str(stop)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    writer_done = threading.Event()
    during = [0]

    def read_loop():
        while not writer_done.is_set():
            try:
                seen.append(counts(db))
                during[0] += 1
                time.sleep(0.05)  # leave the two CPU cores mostly to the writer
            except BaseException as exc:  # noqa: BLE001 - every error is a failure here
                errors.append(exc)
                return

    threads = [threading.Thread(target=read_loop) for _ in range(2)]
    for t in threads:
        t.start()
    writer = ingest(db, big)
    out, err = writer.communicate()
    writer_done.set()
    for t in threads:
        t.join()
    seen.append(counts(db))
    stop.touch()
    r_out, r_err = reader_proc.communicate(timeout=60)
    assert writer.returncode == 0, out + err
    assert not errors, errors
    assert reader_proc.returncode == 0, r_err
    new = counts(db)
    assert new[0] == old[0] + 80_000 and new[1] == old[1] + 1
    from_process = [tuple(x) for x in json.loads(r_out)]
    assert set(seen) | set(from_process) <= {old, new}
    assert old in seen and new in seen
    assert during[0] > 10, "the readers should have read many times while the ingest ran"


def test_sigkill_mid_write_leaves_the_database_intact(tmp_path, db):
    before_hash, before = sha256(db), counts(db)
    big = big_csv(tmp_path / "stor-mob-2027.csv", 40_000, 2027)
    writer = ingest(db, big)
    tmp = db.with_name(f".{db.name}.{writer.pid}.tmp")
    deadline = time.monotonic() + 120
    while not tmp.exists():
        assert writer.poll() is None, "the ingest ended before its temporary copy was seen"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert writer.returncode == -signal.SIGKILL
    # the kill landed mid-write: the copy was never renamed over the database
    assert tmp.exists()
    assert sha256(db) == before_hash
    assert counts(db) == before

    # the lock died with the process: the next ingest runs, succeeds, and removes the
    # killed writer's leftover copy
    proc = ingest(db, small_csv(tmp_path / "mob-2028.csv", 2028))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out + err
    assert counts(db) == (before[0] + 2, before[1] + 1)
    assert not tmp.exists()
    assert list(db.parent.glob(f".{db.name}.*")) == []


def test_killed_between_files_loses_the_whole_run_not_half(tmp_path, db):
    """Several files in one run land together: a kill leaves none of them."""
    before_hash = sha256(db)
    files = [small_csv(tmp_path / f"mob-{y}.csv", y) for y in (2030, 2031)]
    big = big_csv(tmp_path / "stor-mob-2032.csv", 40_000, 2032)
    writer = ingest(db, *files, big)
    tmp = db.with_name(f".{db.name}.{writer.pid}.tmp")
    while not tmp.exists():
        assert writer.poll() is None
        time.sleep(0.002)
    time.sleep(0.3)  # the small files are in the copy by now, the big one is being read
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert tmp.exists(), "the kill should land before the rename"
    assert sha256(db) == before_hash


def test_app_pages_render_while_an_ingest_runs(tmp_path, db, monkeypatch):
    """The app itself (Streamlit AppTest, the Översikt page and the Koppla page) keeps
    rendering without an exception while an ingest replaces the database under it."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("VERKSTAD_DB", str(db))
    monkeypatch.setenv("VERKSTAD_STATUS_DIR", str(tmp_path / "status"))
    big = big_csv(tmp_path / "stor-mob-2027.csv", 40_000, 2027)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    writer = ingest(db, big)
    tmp = db.with_name(f".{db.name}.{writer.pid}.tmp")
    while not tmp.exists() and writer.poll() is None:
        time.sleep(0.002)
    mid_write = 0  # renders begun while the writer's copy existed (the swap may come during one)
    while writer.poll() is None:
        mid_write += tmp.exists()
        at.run()
        assert not at.exception, at.exception
        assert not any("lock" in e.value.lower() for e in at.error)
    out, err = writer.communicate()
    assert writer.returncode == 0, out + err
    assert mid_write >= 1
    at.run()
    assert not at.exception
    at.switch_page("pages/koppla.py").run()
    assert not at.exception
