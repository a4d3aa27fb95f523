"""Time the marts rebuild (pipelines.marts.build_all) on a copy of a database.

    .venv/bin/python bench/marts.py DB [--repeat 3] [--rules FILE]
        [--dump DIR] [--compare DIR]

Copies DB to a temporary folder and runs build_all there `--repeat` times, each inside a
transaction that is rolled back, so every run starts from the same database. Prints per run
the time of load_reference, load_tables (and match_lines within it) and of every
`create ... table` statement (each mart's SQL file, and the tables load_tables writes), then
the best of each over the runs: the machine is shared, the fastest run is the work itself.
Each time is also given as the process's cpu time (all of DuckDB's threads), which other
work on the machine disturbs less than the wall time.

--rules FILE uses another rules file (as $VERKSTAD_RULES does), e.g. pattern rules that map
many of a bench database's lines. --dump DIR writes every table build_all makes, sorted by
all columns, to DIR/<table>.parquet after the last run; --compare DIR checks each of them
equals the dump in DIR exactly (same columns and types, same rows with their multiplicity).
"""

# Table names in the SQL below are the marts' own and information_schema's, never input.
# ruff: noqa: S608

from __future__ import annotations

import argparse
import dataclasses
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_CREATE = re.compile(r"^\s*create\s+(?:or\s+replace\s+)?(?:temp\w*\s+)?table\s+(\w+)", re.I)


class _Timed:
    """A connection that times every `create table` statement run through execute."""

    def __init__(self, con, times: dict[str, float]) -> None:
        self._con = con
        self._times = times

    def execute(self, sql, *args, **kwargs):
        match = _CREATE.match(sql) if isinstance(sql, str) else None
        if not match:
            return self._con.execute(sql, *args, **kwargs)
        t, c = time.perf_counter(), time.process_time()
        out = self._con.execute(sql, *args, **kwargs)
        label = f"table {match.group(1)}"
        self._times[label] = time.perf_counter() - t
        self._times[f"cpu {label}"] = time.process_time() - c
        return out

    def __getattr__(self, name):
        return getattr(self._con, name)


def _wrap(module, name: str, label: str, times: dict[str, float]) -> None:
    inner = getattr(module, name)

    def timed(*args, **kwargs):
        t, c = time.perf_counter(), time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            times[label] = time.perf_counter() - t
            times[f"cpu {label}"] = time.process_time() - c

    setattr(module, name, timed)


def built_tables(con) -> list[str]:
    """The tables build_all makes: the marts, the mapping tables and the reference tables."""
    from pipelines.marts import mart_files

    marts = [re.sub(r"^\d+_", "", f.stem) for f in mart_files()]
    rows = con.execute(
        "select table_name from information_schema.tables where table_type = 'BASE TABLE'"
        " and (table_name like 'mapping\\_%' escape '\\' or table_name like 'ref\\_%' escape '\\')"
        " order by 1"
    ).fetchall()
    return list(dict.fromkeys([*marts, *(r[0] for r in rows)]))


def dump(con, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for table in built_tables(con):
        target = str(folder / f"{table}.parquet").replace("'", "''")
        con.execute(f"copy (select * from {table} order by all) to '{target}' (format parquet)")
    print(f"dumped {len(built_tables(con))} tables to {folder}")


def compare(con, folder: Path) -> bool:
    """Every built table equals its dump: columns, types and rows (as a multiset)."""
    ok = True
    tables = built_tables(con)
    dumped = {p.stem for p in folder.glob("*.parquet")}
    for missing in sorted(dumped - set(tables)):
        print(f"  DIFF {missing}: in the dump, not built")
        ok = False
    for table in tables:
        path = folder / f"{table}.parquet"
        if not path.exists():
            print(f"  DIFF {table}: built, not in the dump")
            ok = False
            continue
        src = "read_parquet('" + str(path).replace("'", "''") + "')"
        ours = con.execute(f"describe {table}").fetchall()
        theirs = con.execute(f"describe select * from {src}").fetchall()
        if [r[:2] for r in ours] != [r[:2] for r in theirs]:
            print(f"  DIFF {table}: columns {[r[:2] for r in ours]} != {[r[:2] for r in theirs]}")
            ok = False
            continue
        n = con.execute(f"select count(*) from {table}").fetchone()[0]
        m = con.execute(f"select count(*) from {src}").fetchone()[0]
        extra = con.execute(
            f"select count(*) from (select * from {table} except all select * from {src})"
        ).fetchone()[0]
        lost = con.execute(
            f"select count(*) from (select * from {src} except all select * from {table})"
        ).fetchone()[0]
        same = n == m and extra == 0 and lost == 0
        verdict = "same" if same else "DIFF"
        if not same and n == m:
            # Sums of doubles depend on the order DuckDB's threads add them in, even between
            # two runs of the same SQL: such columns are compared within 1e-9 (relative).
            close = _close(con, table, src, ours)
            if close:
                same, verdict = True, "same (doubles within 1e-9)"
        ok &= same
        print(f"  {verdict} {table}: {n} rows (dump {m}), +{extra} -{lost}")
    return ok


def _close(con, table: str, src: str, columns: list[tuple]) -> bool:
    """Same rows when double columns may differ by 1e-9 relative; rows paired by sort order."""
    doubles = [c[0] for c in columns if c[1] in ("DOUBLE", "FLOAT")]
    if not doubles:
        return False
    others = [c[0] for c in columns if c[0] not in doubles]
    order = ", ".join(f'"{c}"' for c in [*others, *doubles])
    test = " and ".join(
        [f'a."{c}" is not distinct from b."{c}"' for c in others]
        + [
            f'(a."{c}" is not distinct from b."{c}" or abs(a."{c}" - b."{c}")'
            f' <= 1e-9 * greatest(1, abs(a."{c}"), abs(b."{c}")))'
            for c in doubles
        ]
    )
    bad = con.execute(
        f"select count(*) from (select *, row_number() over (order by {order}) as _n"
        f" from {table}) as a full join (select *, row_number() over (order by {order}) as _n"
        f" from {src}) as b using (_n) where not coalesce({test}, false)"
    ).fetchone()[0]
    return bad == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rules", type=Path, default=None, help="use this rules file")
    parser.add_argument("--dump", type=Path, default=None, help="write every built table here")
    parser.add_argument("--compare", type=Path, default=None, help="compare with a --dump")
    args = parser.parse_args()

    import duckdb

    import pipelines.dashboard.reference as reference
    import pipelines.mapping as mapping
    import pipelines.mapping.tables as tables
    from pipelines import marts
    from pipelines.config import load_config

    times: dict[str, float] = {}
    _wrap(reference, "load_reference", "load_reference", times)
    _wrap(mapping, "load_tables", "load_tables", times)
    _wrap(tables, "match_lines", "  match_lines", times)

    with tempfile.TemporaryDirectory(prefix="verkstad-marts-") as tmp:
        db = Path(tmp) / args.db.name
        shutil.copyfile(args.db, db)
        config = load_config(db)
        if args.rules:
            config = dataclasses.replace(config, rules_file=args.rules.resolve())
        con = duckdb.connect(str(db))
        facts = con.execute("select count(*), count(distinct line_item) from facts").fetchone()
        print(f"{args.db}: {facts[0]:,} facts, {facts[1]:,} distinct line items")
        runs: list[dict[str, float]] = []
        for i in range(args.repeat):
            times.clear()
            last = i == args.repeat - 1
            con.begin()
            t, c = time.perf_counter(), time.process_time()
            marts.build_all(_Timed(con, times), config)
            times["total"] = time.perf_counter() - t
            times["cpu total"] = time.process_time() - c
            if last and (args.dump or args.compare):
                con.commit()
            else:
                con.rollback()
            runs.append(dict(times))
            print(f"run {i + 1}: total {times['total']:.3f} s (cpu {times['cpu total']:.3f} s)")
        best: dict[str, list[float]] = defaultdict(list)
        for run in runs:
            for label, seconds in run.items():
                best[label].append(seconds)
        print(f"best of {args.repeat}, wall and process cpu time (s):")
        labels = [k for k in runs[-1] if not k.startswith("cpu ") and k != "total"]
        for label in [*labels, "total"]:
            values, cpu = best[label], best[f"cpu {label}"]
            print(
                f"  {label:36s} {min(values):7.3f}  cpu {min(cpu):7.3f}"
                f"   runs {' '.join(f'{v:.3f}' for v in values)}"
            )
        ok = True
        if args.dump:
            dump(con, args.dump)
        if args.compare:
            ok = compare(con, args.compare)
            print("all tables the same" if ok else "TABLES DIFFER")
        con.close()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
