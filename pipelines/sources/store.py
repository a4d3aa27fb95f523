"""Writing and removing facts.

Facts are stored in three tables so that what is shared is written once: `fact_columns`
(what a source column means: document, year, measure, sheet, column letter), `fact_lines`
(a source row: organisation, line item, kommundel, row number) and `fact_amounts` (one
amount per column and line). A 200 000-line budget sheet with four amount columns is then
four column rows, 200 000 line rows and 800 000 amounts of three numbers each, instead of
800 000 rows repeating every text. The `fact_rows` view joins them back into one row per
amount with its A1 source cell; `facts` (the data contract) reads from it.
"""

from __future__ import annotations

import duckdb
import polars as pl

COLUMN_FIELDS = ["doc_id", "doc_year", "year", "document", "actor", "budget_kind", "period",
                 "measure", "source_file", "source_sheet", "source_col"]  # fmt: skip
LINE_FIELDS = ["doc_id", "organisation", "line_item", "kommundel", "source_row"]
LONG_FIELDS = {
    "doc_id": pl.String,
    "doc_year": pl.Int32,
    "year": pl.Int32,
    "document": pl.String,
    "actor": pl.String,
    "budget_kind": pl.String,
    "period": pl.String,
    "organisation": pl.String,
    "line_item": pl.String,
    "measure": pl.String,
    "amount_sek": pl.Float64,
    "source_file": pl.String,
    "source_sheet": pl.String,
    "source_cell": pl.String,
    "kommundel": pl.String,
}
_A1 = r"^([A-Z]{1,3})([1-9][0-9]{0,6})$"


def _next_ids(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    return con.execute(
        "select (select coalesce(max(col_id), 0) + 1 from fact_columns),"
        " (select coalesce(max(line_id), 0) + 1 from fact_lines)"
    ).fetchall()[0]


def write(
    con: duckdb.DuckDBPyConnection,
    columns: pl.DataFrame,
    lines: pl.DataFrame,
    amounts: pl.DataFrame,
) -> int:
    """Store amounts given as columns × lines; returns the number of amounts written.

    columns: `col` (a number unique within this call) and COLUMN_FIELDS;
    lines: `line` (likewise) and LINE_FIELDS; amounts: `col`, `line`, `amount_sek` (kronor).
    Repeated strings are best passed as categoricals: DuckDB takes them in far faster.
    """
    if amounts.height == 0:
        return 0
    col_base, line_base = _next_ids(con)
    con.register("store_columns", columns.select("col", *COLUMN_FIELDS).to_arrow())
    con.register("store_lines", lines.select("line", *LINE_FIELDS).to_arrow())
    con.register(
        "store_amounts",
        # as doubles: DuckDB's own cast to decimal is faster than one through Arrow
        amounts.select("col", "line", pl.col("amount_sek").cast(pl.Float64)).to_arrow(),
    )
    # the order of rows means nothing here; not keeping it lets DuckDB write in parallel
    con.execute("set preserve_insertion_order = false")
    try:
        con.execute(
            "insert into fact_columns (col_id, doc_id, doc_year, year, document, actor,"
            " budget_kind, period, measure, source_file, source_sheet, source_col)"
            " select col + ?, doc_id, doc_year, year, document, actor, budget_kind, period,"
            " measure, source_file, source_sheet, source_col from store_columns",
            [col_base],
        )
        con.execute(
            "insert into fact_lines (line_id, doc_id, organisation, line_item, kommundel,"
            " source_row) select line + ?, doc_id, organisation, line_item, kommundel,"
            " source_row from store_lines",
            [line_base],
        )
        con.execute(
            "insert into fact_amounts (col_id, line_id, amount_sek)"
            " select col + ?, line + ?, cast(round(amount_sek, 2) as decimal(18, 2))"
            " from store_amounts",
            [col_base, line_base],
        )
    finally:
        con.execute("reset preserve_insertion_order")
        for name in ("store_columns", "store_lines", "store_amounts"):
            con.unregister(name)
    return amounts.height


def write_long(con: duckdb.DuckDBPyConnection, facts: pl.DataFrame) -> int:
    """Store facts given one row per amount, with the columns of `fact_rows` (LONG_FIELDS;
    missing ones are null). An A1 source_cell is split into column letter and row; any
    other reference is kept whole as the column's reference."""
    frame = facts.with_columns(
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in LONG_FIELDS.items()
        if name not in facts.columns
    ).select(pl.col(name).cast(dtype) for name, dtype in LONG_FIELDS.items())
    is_a1 = pl.col("source_cell").str.contains(_A1).fill_null(False)
    frame = frame.with_columns(
        source_col=pl.when(is_a1)
        .then(pl.col("source_cell").str.extract(_A1, 1))
        .otherwise(pl.col("source_cell")),
        source_row=pl.when(is_a1).then(pl.col("source_cell").str.extract(_A1, 2).cast(pl.Int32)),
    )
    columns = frame.select(COLUMN_FIELDS).unique(maintain_order=True).with_row_index("col")
    lines = frame.select(LINE_FIELDS).unique(maintain_order=True).with_row_index("line")
    amounts = frame.join(columns, on=COLUMN_FIELDS, nulls_equal=True).join(
        lines, on=LINE_FIELDS, nulls_equal=True
    )
    return write(con, columns, lines, amounts.select("col", "line", "amount_sek"))


def delete(con: duckdb.DuckDBPyConnection, selection: str, params: list | None = None) -> int:
    """Remove the facts that `selection` picks. `selection` is a query over `fact_rows`
    returning col_id and line_id (written in code, never from input; values go in
    `params`). Lines and columns left without amounts go too. Returns the number removed."""
    con.execute("create or replace temp table store_gone as " + selection, params or [])
    try:
        gone = con.execute("select count(*) from store_gone").fetchall()[0][0]
        if gone:
            con.execute(
                "delete from fact_amounts a using store_gone g"
                " where a.col_id = g.col_id and a.line_id = g.line_id"
            )
            con.execute(
                "delete from fact_lines l where l.line_id in (select line_id from store_gone)"
                " and not exists (select 1 from fact_amounts a where a.line_id = l.line_id)"
            )
            con.execute(
                "delete from fact_columns c where c.col_id in (select col_id from store_gone)"
                " and not exists (select 1 from fact_amounts a where a.col_id = c.col_id)"
            )
        return gone
    finally:
        con.execute("drop table if exists store_gone")


def set_aside_old_facts(con: duckdb.DuckDBPyConnection) -> bool:
    """A database written before facts were split into three tables has `fact_rows` as a
    table: rename it out of the way of the view (db.ensure_schema, before the schema)."""
    kind = con.execute(
        "select table_type from information_schema.tables"
        " where table_name = 'fact_rows' and table_schema = current_schema()"
        " and table_catalog = current_database()"
    ).fetchall()
    if not kind or kind[0][0] != "BASE TABLE":
        return False
    con.execute("alter table fact_rows rename to fact_rows_before_split")
    return True


def move_old_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Move the set-aside rows into the three tables (db.ensure_schema, after the schema)."""
    write_long(con, con.sql("select * from fact_rows_before_split").pl())
    con.execute("drop table fact_rows_before_split")
