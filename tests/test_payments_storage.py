"""How payments are stored: names once per line (payment_lines), the file and sheet once per
table (payment_sources), rows in payment_entries.

The view `payments` must give back exactly what the file said, whatever the storage: names
(nulls included), invoice numbers as their text, periods; and databases from before the
split must come through the schema with the same rows.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.db import connect_read, ensure_schema
from pipelines.ingest import IngestOptions, ingest
from pipelines.payments import lines
from pipelines.payments.demo import payments_frame, write_csv

BUDGET = {"Socialnämnden": 2_000_000.0, "Utbildningsnämnden": 3_000_000.0}


def run(config, *paths: Path):
    return ingest(list(paths), IngestOptions(config=config))


def rows(config, sql: str):
    con = connect_read(config.db_path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _names_frame(n: int, distinct: int, seed: int) -> pl.DataFrame:
    rng = random.Random(seed)

    def value(prefix: str) -> str | None:
        k = rng.randrange(distinct + 1)
        return None if k == distinct else f"{prefix} {k}"

    return pl.DataFrame(
        {name: [value(name) for _ in range(n)] for name in lines.NAMES},
        schema=dict.fromkeys(lines.NAMES, pl.String),
    )


@pytest.mark.parametrize("distinct", [1, 3, 7000])  # 7000: the key overflows 63 bits
def test_line_keys_equal_exactly_when_the_names_are(distinct):
    frame = _names_frame(20_000, distinct, seed=distinct)
    if distinct == 7000:  # one column with many values makes the digits too wide
        frame = frame.with_columns(
            pl.format("s{}", pl.int_range(pl.len()) % 7000).alias("supplier")
        )
    keys = lines.line_keys(frame)
    names = frame.select(pl.struct(lines.NAMES).alias("s")).to_series()
    pairs = pl.DataFrame({"k": keys, "s": names}).unique()
    assert pairs.height == pairs.get_column("k").n_unique() == names.n_unique()


def test_names_invoices_and_periods_come_back_as_written(config, tmp_path):
    frame = payments_frame(2025, rows=300, seed=3, budget=BUDGET)
    plain = write_csv(frame, tmp_path / "plain.csv")
    [report] = run(config, plain)
    assert report.status == "accepted", report.reason
    # all invoice numbers plain: stored as numbers, given back as the same text
    assert rows(config, "select count(*) from payment_entries where invoice is not null") == [(0,)]
    got = rows(config, "select invoice from payments order by source_row")
    assert [r[0] for r in got] == [str(x) for x in frame.get_column("invoice").to_list()]
    assert rows(
        config, "select count(*) from payments where period <> strftime(date, '%Y-%m')"
    ) == [(0,)]


def test_invoice_with_leading_zero_or_letters_stays_text(config, tmp_path):
    path = tmp_path / "fakturor.csv"
    path.write_text(
        "Förvaltning;Leverantör;Org.nr;Datum;Fakturanr;Belopp\n"
        "Socialnämnden;Bemanning AB;556000-0001;2025-01-02;00123;100,00\n"
        "Socialnämnden;;;2025-01-03;123;50,00\n"
        "Socialnämnden;Bemanning AB;556000-0001;2025-01-04;A-9;25,00\n",
        encoding="utf-8",
    )
    [report] = run(config, path)
    assert report.status == "accepted", report.reason
    got = rows(config, "select supplier, org_nr, invoice, amount_sek from payments order by 3")
    assert got == [
        ("Bemanning AB", "556000-0001", "00123", Decimal("100.00")),
        (None, None, "123", Decimal("50.00")),
        ("Bemanning AB", "556000-0001", "A-9", Decimal("25.00")),
    ]
    assert rows(config, "select count(*) from payment_lines") == [(2,)]


def test_files_share_lines(config, tmp_path):
    first = payments_frame(2024, rows=200, seed=4, budget=BUDGET)
    second = payments_frame(2025, rows=200, seed=4, budget=BUDGET)
    run(config, write_csv(first, tmp_path / "2024.csv"))
    before = rows(config, "select count(*) from payment_lines")[0][0]
    run(config, write_csv(second, tmp_path / "2025.csv"))
    after = rows(config, "select count(*) from payment_lines")[0][0]
    distinct = rows(
        config,
        "select count(*) from (select distinct organisation, konto, kontotext, supplier, org_nr"
        " from payments)",
    )[0][0]
    assert before <= after == distinct
    assert rows(config, "select count(*), sum(amount_sek) from payments") == [
        (
            first.height + second.height,
            Decimal(str(first.get_column("amount").sum() + second.get_column("amount").sum())),
        )
    ]


def test_database_from_before_the_split_keeps_its_rows(tmp_path):
    db = tmp_path / "gammal.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "create table payment_rows (doc_id varchar not null, date date, period varchar,"
        " year integer not null, quarter integer, organisation varchar, konto varchar,"
        " kontotext varchar, supplier varchar, org_nr varchar, invoice varchar,"
        " amount_sek decimal(18, 2) not null, source_file varchar not null,"
        " source_sheet varchar, source_row integer not null, source_column varchar)"
    )
    old = [
        (
            "d1",
            date(2025, 3, 4),
            "2025-03",
            2025,
            1,
            "Socialnämnden",
            "4620",
            "Köp",
            "Bemanning AB",
            "556000-0001",
            "0042",
            Decimal("10.50"),
            "a.csv",
            None,
            5,
            "F",
        ),
        (
            "d1",
            None,
            "2025-04",
            2025,
            2,
            "Socialnämnden",
            "4620",
            "Köp",
            "Bemanning AB",
            "556000-0001",
            None,
            Decimal("-2.00"),
            "a.csv",
            None,
            6,
            "F",
        ),
        (
            "d2",
            None,
            None,
            2024,
            None,
            None,
            None,
            None,
            None,
            None,
            "7",
            Decimal("1.00"),
            "b.xlsx",
            "Blad1",
            9,
            None,
        ),
    ]
    con.executemany(
        "insert into payment_rows values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", old
    )
    ensure_schema(con)
    ensure_schema(con)  # twice: the move happens once
    got = con.execute(
        "select date, period, year, quarter, organisation, konto, kontotext, supplier, org_nr,"
        " invoice, amount_sek, source_file, source_sheet, source_row, source_cell"
        " from payments order by source_file, source_row"
    ).fetchall()
    con.close()
    assert got == [
        (
            date(2025, 3, 4),
            "2025-03",
            2025,
            1,
            "Socialnämnden",
            "4620",
            "Köp",
            "Bemanning AB",
            "556000-0001",
            "0042",
            Decimal("10.50"),
            "a.csv",
            None,
            5,
            "F5",
        ),
        (
            None,
            "2025-04",
            2025,
            2,
            "Socialnämnden",
            "4620",
            "Köp",
            "Bemanning AB",
            "556000-0001",
            None,
            Decimal("-2.00"),
            "a.csv",
            None,
            6,
            "F6",
        ),
        (
            None,
            None,
            2024,
            None,
            None,
            None,
            None,
            None,
            None,
            "7",
            Decimal("1.00"),
            "b.xlsx",
            "Blad1",
            9,
            None,
        ),
    ]


def test_database_with_the_source_on_every_row_keeps_its_rows(tmp_path):
    """A database of the previous layout (payment_lines + payment_facts with the document,
    file, sheet and column on every row) comes through the schema with the same rows."""
    db = tmp_path / "förra.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "create table payment_lines (line_id integer not null, organisation varchar,"
        " konto varchar, kontotext varchar, supplier varchar, org_nr varchar)"
    )
    con.execute(
        "create table payment_facts (doc_id varchar not null, date date, period varchar,"
        " year integer not null, quarter integer, line_id integer not null, invoice varchar,"
        " invoice_no bigint, amount_sek decimal(18, 2) not null, source_file varchar not null,"
        " source_sheet varchar, source_row integer not null, source_column varchar)"
    )
    con.executemany(
        "insert into payment_lines values (?, ?, ?, ?, ?, ?)",
        [
            (1, "Socialnämnden", "4620", "Köp", "Bemanning AB", None),
            (2, None, None, None, "X", None),
        ],
    )
    con.executemany(
        "insert into payment_facts values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ("d1", date(2025, 3, 4), None, 2025, 1, 1, None, 42, Decimal("10.50"), "a.csv", None, 5, "F"),
            ("d1", None, "2025-04", 2025, 2, 2, "A-1", None, Decimal("-2.00"), "a.csv", None, 6, "F"),
            ("d2", None, None, 2024, None, 2, None, None, Decimal("1.00"), "b.xlsx", "Blad1", 9, None),
            ("d2", None, None, 2024, None, 1, None, None, Decimal("3.00"), "b.xlsx", "Blad2", 2, "C"),
        ],
    )  # fmt: skip
    ensure_schema(con)
    ensure_schema(con)  # twice: the move happens once
    got = con.execute(
        "select date, period, organisation, supplier, invoice, amount_sek, source_file,"
        " source_sheet, source_row, source_cell from payments order by source_file, source_row"
    ).fetchall()
    left = con.execute(
        "select (select count(*) from payment_facts), (select count(*) from payment_sources),"
        " (select count(*) from payment_entries)"
    ).fetchall()
    con.close()
    assert got == [
        (date(2025, 3, 4), "2025-03", "Socialnämnden", "Bemanning AB", "42", Decimal("10.50"),
         "a.csv", None, 5, "F5"),
        (None, "2025-04", None, "X", "A-1", Decimal("-2.00"), "a.csv", None, 6, "F6"),
        (None, None, "Socialnämnden", "Bemanning AB", None, Decimal("3.00"), "b.xlsx", "Blad2",
         2, "C2"),
        (None, None, None, "X", None, Decimal("1.00"), "b.xlsx", "Blad1", 9, None),
    ]  # fmt: skip
    assert left == [(0, 3, 4)]
