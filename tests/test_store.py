"""The fact store: what goes in comes out of fact_rows whole; deletes leave no orphans; a
database from before the split keeps its facts."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import polars as pl

from pipelines.db import connect_read, write_transaction
from pipelines.sources import store

ROWS = [
    # doc_id, doc_year, year, document, actor, budget_kind, period, organisation, line_item,
    # measure, amount_sek, source_file, source_sheet, source_cell, kommundel
    ("d1", 2026, 2026, "budget", "kommunen", "drift", None, "Socialnämnden", "Bistånd",
     "budget", 1_500_000.5, "mob.xlsx", "Drift", "C5", None),
    ("d1", 2026, 2027, "budget", "kommunen", "drift", None, "Socialnämnden", "Bistånd",
     "plan", 1_600_000.0, "mob.xlsx", "Drift", "D5", None),
    ("d1", 2026, 2026, "budget", "kommunen", "investering", None, "Tekniska nämnden",
     "Ny skola", "budget", 90_000_000.0, "mob.xlsx", "Investeringar", "AB12", "Järna"),
    ("s1", 2024, 2024, "statistik", "kommunen", "drift", None, "Södertälje", "Nettokostnad",
     "utfall", 7_077_639_000.0, "scb.csv", None, "rad 4", None),
    ("s1", 2024, 2024, "statistik", "kommunen", "drift", None, "Södertälje", "Utan cell",
     "utfall", 1.0, "scb.csv", None, None, None),
]  # fmt: skip
COLUMNS = list(store.LONG_FIELDS)


def frame() -> pl.DataFrame:
    return pl.DataFrame(ROWS, schema=store.LONG_FIELDS, orient="row")


def expected() -> list[tuple]:
    return sorted(
        tuple(Decimal(str(v)).quantize(Decimal("0.01")) if k == "amount_sek" else v
              for k, v in zip(COLUMNS, row, strict=True))
        for row in ROWS
    )  # fmt: skip


def read(db) -> list[tuple]:
    con = connect_read(db)
    try:
        return sorted(con.execute(f"select {', '.join(COLUMNS)} from fact_rows").fetchall())  # noqa: S608
    finally:
        con.close()


def test_what_is_written_comes_back_whole(tmp_path):
    db = tmp_path / "v.duckdb"
    with write_transaction(db) as con:
        assert store.write_long(con, frame()) == len(ROWS)
    assert read(db) == expected()
    con = connect_read(db)
    # three column rows for d1 (two measures on Drift, one on Investeringar) share lines
    assert con.execute("select count(*) from fact_lines where doc_id = 'd1'").fetchall() == [(2,)]
    con.close()


def test_delete_takes_lines_and_columns_left_without_amounts(tmp_path):
    db = tmp_path / "v.duckdb"
    with write_transaction(db) as con:
        store.write_long(con, frame())
        gone = store.delete(
            con, "select col_id, line_id from fact_rows where doc_id = ? and year = ?", ["d1", 2027]
        )
        assert gone == 1
        gone = store.delete(con, "select col_id, line_id from fact_rows where doc_id = ?", ["s1"])
        assert gone == 2
        counts = con.execute(
            "select (select count(*) from fact_columns), (select count(*) from fact_lines),"
            " (select count(*) from fact_amounts)"
        ).fetchall()
    assert counts == [(2, 2, 2)]
    assert read(db) == [r for r in expected() if r[0] == "d1" and r[2] == 2026]


def test_a_database_from_before_the_split_keeps_its_facts(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "create table fact_rows (doc_id varchar not null, doc_year integer, year integer not"
        " null, document varchar not null, actor varchar not null, budget_kind varchar not null,"
        " period varchar, organisation varchar not null, line_item varchar, measure varchar not"
        " null, amount_sek decimal(18, 2) not null, source_file varchar not null, source_sheet"
        " varchar, source_cell varchar, kommundel varchar)"
    )
    con.execute(
        "create view facts as select doc_year, year, document, actor, budget_kind, period,"
        " organisation, line_item, measure, amount_sek, source_file, source_sheet, source_cell"
        " from fact_rows"
    )
    con.executemany(f"insert into fact_rows values ({', '.join('?' * 15)})", ROWS)  # noqa: S608
    con.close()
    with write_transaction(db):
        pass
    assert read(db) == expected()
    con = connect_read(db)
    kind = con.execute(
        "select table_type from information_schema.tables where table_name = 'fact_rows'"
    ).fetchall()
    assert kind == [("VIEW",)]
    assert con.execute("select count(*) from facts").fetchall() == [(len(ROWS),)]
    con.close()
