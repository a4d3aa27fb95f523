"""Bench: supplier payments, 1 000 000 rows as xlsx and CSV, ingest against the bare read.

Prints, from one run: the time to write the files (not part of any target), the bare read of
each file (fastexcel for xlsx, polars for CSV, fastest of three — no header search, no
parsing, no database), the full `verkstad ingest` of the same file into a fresh database,
their ratio, and the page queries' times on the loaded database (first call and median of
five). Where the ingest's time goes is printed beside it: the shared pre-read guard and the
content hash (timed again on their own), the payments importer's steps (from its log line),
and the rest; for CSV also the floor of any ingest that keeps å, ä and ö. One small ingest
runs first, untimed but printed, so that imports on first use are not counted as reading.

    .venv/bin/python bench/payments.py [--rows 1000000] [--only csv|xlsx]
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fastexcel  # noqa: E402
import polars as pl  # noqa: E402

from pipelines.config import load_config  # noqa: E402
from pipelines.db import connect_read  # noqa: E402
from pipelines.ingest import IngestOptions, file_hash, ingest  # noqa: E402
from pipelines.payments import queries  # noqa: E402
from pipelines.payments.demo import payments_frame, write_csv, write_xlsx  # noqa: E402

OUT = ROOT / "bench" / "out"
TITLE = "Leverantörsbetalningar 2025 (bench)"


def timed(fn):
    """(wall seconds, result)."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def timed_cpu(fn):
    """(wall seconds, CPU seconds of this process over all its threads, result).

    CPU time is the steadier measure on a shared machine: it does not grow when other
    processes take the cores, so the ratio of ingest to bare read stays comparable.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def bare_csv(path: Path) -> pl.DataFrame:
    # Title (1), subtitle (2), blank (3): the header is line 4. utf8-lossy is the cheapest
    # way polars reads Windows-1252 at all.
    return pl.read_csv(path, separator=";", skip_lines=3, encoding="utf8-lossy")


def bare_csv_decoded(path: Path) -> pl.DataFrame:
    """The bare read with the letters right: utf8-lossy turns every å, ä and ö of the
    Windows-1252 file into U+FFFD, so a reader that keeps the names must decode first."""
    text = path.read_bytes().decode("cp1252").encode("utf-8")
    return pl.read_csv(text, separator=";", skip_lines=3)


def bare_xlsx(path: Path) -> pl.DataFrame:
    return fastexcel.read_excel(str(path)).load_sheet(0, header_row=3).to_polars()


def best_of(runs: int, fn):
    """(fastest wall, least CPU, result) over `runs` calls: a short read swings with the
    first call's page cache and thread start-up, and one slow run should not set the ratio."""
    results = [timed_cpu(fn) for _ in range(runs)]
    return min(r[0] for r in results), min(r[1] for r in results), results[-1][2]


def guard(path: Path, config) -> None:
    """The checks every file passes before any importer (issue 9), timed on their own."""
    from pipelines.read.guard import check_file

    check_file(path, config.limits)


class _Steps(logging.Handler):
    """Keeps the importer's own timing line (read, parse, replace, lines, insert, classify)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.line = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.line = record.getMessage().split("; ", 1)[-1]


def warm_up(frame: pl.DataFrame) -> float:
    """One small ingest before any timing, so that the timed ones do not pay for importing
    what an ingest imports on first use (numpy for the guard, the mapping modules for the
    marts, pyarrow for DuckDB's polars adapter): a one-off cost per process, not reading."""
    with tempfile.TemporaryDirectory() as tmp:
        small = write_csv(frame.head(1000), Path(tmp) / "warm.csv", title=TITLE)
        config = load_config(Path(tmp) / "warm.duckdb")
        wall, cpu, [report] = timed_cpu(lambda: ingest([small], IngestOptions(config=config)))
        if report.status != "accepted":
            raise SystemExit(f"warm-up: rejected: {report.reason}")
    return cpu


def page_queries(db: Path) -> dict[str, tuple[float, float]]:
    con = connect_read(db)
    choices = queries.filters(con)
    year = choices["years"][-1]
    org = "Socialnämnden"
    cats = ["bemanning", "privata välfärdsaktörer"]
    calls = {
        "filters": lambda: queries.filters(con),
        "trend per kvartal": lambda: queries.trend(con, "quarter"),
        "trend nämnd+kategorier": lambda: queries.trend(con, "year", org, cats),
        "per nämnd": lambda: queries.by_organisation(con, year),
        "topp 20": lambda: queries.top_suppliers(con, year, None, None, 20),
        "topp 20 nämnd+kategorier": lambda: queries.top_suppliers(con, year, org, cats, 20),
        "länkade förslag": lambda: queries.linked_proposals(con, cats),
    }
    result = {}
    for name, call in calls.items():
        first, _ = timed(call)
        warm = [timed(call)[0] for _ in range(5)]
        result[name] = (first, statistics.median(warm))
    con.close()
    return result


def main() -> None:
    # Import every importer before timing: the first ingest of a process would otherwise
    # pay for importing them (about a second), which is not reading the file.
    from pipelines.ingest import _importers

    _importers()

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--only", choices=["csv", "xlsx"], default=None)
    parser.add_argument(
        "--reuse", action="store_true", help="use the files in bench/out from an earlier run"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)

    print(
        f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        f" on {os.cpu_count()} cores"
    )
    gen, frame = timed(lambda: payments_frame(2025, rows=args.rows))
    total = frame.get_column("amount").sum()
    print(f"generated {frame.height:,} rows in {gen:.1f} s, sum {total} kr")
    files = {}
    if args.reuse:
        files = {k: OUT / f"payments.{k}" for k in ("csv", "xlsx") if args.only in (None, k)}
    elif args.only in (None, "csv"):
        t, files["csv"] = timed(lambda: write_csv(frame, OUT / "payments.csv", title=TITLE))
        print(f"wrote CSV  ({files['csv'].stat().st_size / 1e6:.0f} MB) in {t:.1f} s")
    if not args.reuse and args.only in (None, "xlsx"):
        t, files["xlsx"] = timed(lambda: write_xlsx(frame, OUT / "payments.xlsx", title=TITLE))
        print(f"wrote xlsx ({files['xlsx'].stat().st_size / 1e6:.0f} MB) in {t:.1f} s")

    print(f"warm-up ingest of 1 000 rows (imports on first use): {warm_up(frame):.2f}s cpu")
    steps = _Steps()
    logging.getLogger("pipelines.payments.importer").addHandler(steps)
    logging.getLogger("pipelines.payments.importer").setLevel(logging.INFO)

    print()
    print(f"{'file':6} {'bare read':>18} {'ingest':>18} {'ratio':>14}  rows loaded, sum check")
    print(f"{'':6} {'wall':>9}{'cpu':>9} {'wall':>9}{'cpu':>9} {'wall':>7}{'cpu':>7}")
    for kind, path in files.items():
        bare_time, bare_cpu, bare = best_of(
            3 if kind == "csv" else 1,
            lambda p=path, k=kind: bare_csv(p) if k == "csv" else bare_xlsx(p),
        )
        with tempfile.TemporaryDirectory() as tmp:
            config = load_config(Path(tmp) / "bench.duckdb")
            ingest_time, ingest_cpu, [report] = timed_cpu(
                lambda c=config, p=path: ingest([p], IngestOptions(config=c))
            )
            if report.status != "accepted":
                raise SystemExit(f"{kind}: rejected: {report.reason}")
            con = connect_read(config.db_path)
            loaded, loaded_sum = con.execute(
                "select count(*), sum(amount_sek) from payments"
            ).fetchall()[0]
            con.close()
            ok = "ok" if loaded == frame.height and loaded_sum == total else "MISMATCH"
            print(
                f"{kind:6} {bare_time:8.2f}s{bare_cpu:8.2f}s {ingest_time:8.2f}s{ingest_cpu:8.2f}s"
                f" {ingest_time / bare_time:6.2f}x{ingest_cpu / bare_cpu:6.2f}x"
                f"  {loaded:,} ({bare.height:,} in bare read), {ok}"
            )
            guard_time, guard_cpu, _ = timed_cpu(lambda p=path, c=config: guard(p, c))
            hash_time, hash_cpu, _ = timed_cpu(lambda p=path: file_hash(p))
            print(
                f"{'':6} of the ingest, the shared pre-read guard (pipelines/read/guard.py)"
                f" alone: {guard_time:.2f}s wall, {guard_cpu:.2f}s cpu;"
                f" the content hash: {hash_time:.2f}s wall, {hash_cpu:.2f}s cpu"
            )
            importer_cpu = sum(float(x) for x in re.findall(r"cpu ([0-9.]+)", steps.line))
            print(f"{'':6} the payments importer's steps: {steps.line}")
            print(
                f"{'':6} the rest (schema, documents row, raw copy, marts, checkpoint, swap):"
                f" {ingest_cpu - guard_cpu - hash_cpu - importer_cpu:.2f}s cpu"
            )
            if kind == "csv":
                dec_time, dec_cpu, _ = best_of(3, lambda p=path: bare_csv_decoded(p))
                print(
                    f"{'':6} for comparison, the bare read decoding Windows-1252 first (as any"
                    f" reader keeping å, ä, ö must): {dec_time:.2f}s wall, {dec_cpu:.2f}s cpu"
                    f" (ingest {ingest_cpu / dec_cpu:.2f}x that)"
                )
                # What any ingest must do whatever its parsing: read with the letters right,
                # guard, hash, and write the rows (the importer's own insert step above).
                insert = re.search(r"insert ([0-9.]+) s \(cpu ([0-9.]+)\)", steps.line)
                floor = dec_time + guard_time + hash_time + float(insert.group(1))
                floor_cpu = dec_cpu + guard_cpu + hash_cpu + float(insert.group(2))
                print(
                    f"{'':6} floor of any ingest keeping the letters (that read, the guard, the"
                    f" hash and the insert): {floor:.2f}s wall, {floor_cpu:.2f}s cpu ="
                    f" {floor / bare_time:.2f}x / {floor_cpu / bare_cpu:.2f}x the bare read,"
                    " with nothing parsed, checked or classified"
                )
            if kind == list(files)[-1]:
                timings = page_queries(config.db_path)
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print()
    print(f"{'page query':28} {'first':>8} {'median':>8}")
    for name, (first, median) in timings.items():
        print(f"{name:28} {first * 1000:6.0f}ms {median * 1000:6.0f}ms")


if __name__ == "__main__":
    main()
