"""Payment rows as stored: the repeated names once per line, numbers per row.

A ledger repeats five names on every row (nämnd, konto, kontotext, leverantör, org.nr): a
million rows hold a few thousand distinct combinations. DuckDB spends about 0.1 s writing a
million strings per text column and a tenth of that for numbers, so the combinations go to
`payment_lines` once and each row keeps only its `line_id`; the `payments` view joins them
back. Two more columns are stored as numbers when that loses nothing: the period when the
row has a date (it is the date's month, derived in the view), and invoice numbers when every
one in the file is a plain number without leading zeros (given back as the same text).
"""

from __future__ import annotations

import duckdb
import polars as pl

NAMES = ("organisation", "konto", "kontotext", "supplier", "org_nr")
_KEY = "_line_key"
_PLAIN_NUMBER = r"^[1-9][0-9]{0,17}$"  # fits a bigint, and its text comes back unchanged


# New lines get the next ids; the five names compare with nulls equal, as in line_keys.
_INSERT_NEW = """
    insert into payment_lines
    select (select coalesce(max(line_id), 0) from payment_lines)
               + row_number() over (order by d._line_key),
           d.organisation, d.konto, d.kontotext, d.supplier, d.org_nr
    from _payment_lines_in d
    where not exists (
        select 1 from payment_lines l
        where l.organisation is not distinct from d.organisation
          and l.konto is not distinct from d.konto
          and l.kontotext is not distinct from d.kontotext
          and l.supplier is not distinct from d.supplier
          and l.org_nr is not distinct from d.org_nr
    )
"""
_LINE_IDS = """
    select d._line_key, l.line_id
    from _payment_lines_in d
    join payment_lines l
        on l.organisation is not distinct from d.organisation
       and l.konto is not distinct from d.konto
       and l.kontotext is not distinct from d.kontotext
       and l.supplier is not distinct from d.supplier
       and l.org_nr is not distinct from d.org_nr
"""


def line_keys(frame: pl.DataFrame) -> pl.Series:
    """One int64 per row, equal exactly when the five names are equal (nulls equal too).

    Each name becomes a small code through one categorical mapping made for this call
    (cheaper than hashing the five strings together), and the codes are combined as digits
    of one number; a key too large for 63 bits falls back to ranking the code tuples.
    """
    categories = pl.Categorical(pl.Categories.random())
    codes = frame.select(
        (pl.col(name).cast(categories).to_physical().cast(pl.Int64) + 1).fill_null(0)
        for name in NAMES
    )
    base = int(codes.max().max_horizontal().item() or 0) + 1
    if base ** len(NAMES) < 2**62:
        key = pl.lit(0, dtype=pl.Int64)
        for name in NAMES:
            key = key * base + pl.col(name)
        return codes.select(key.alias(_KEY)).to_series()
    return codes.select(pl.struct(NAMES).rank("dense").cast(pl.Int64).alias(_KEY)).to_series()


def store_lines(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> pl.DataFrame:
    """Add the frame's new lines to payment_lines; the frame with `line_id` for the names."""
    keys = line_keys(frame)
    distinct = frame.select(*NAMES).with_columns(keys).unique(subset=_KEY, keep="any")
    con.register("_payment_lines_in", distinct)
    try:
        con.execute(_INSERT_NEW)
        ids = con.sql(_LINE_IDS).pl()
    finally:
        con.unregister("_payment_lines_in")
    if ids.height != distinct.height:
        raise RuntimeError(f"payment_lines: {ids.height} lines found for {distinct.height} names")
    line_id = keys.replace_strict(
        ids.get_column(_KEY), ids.get_column("line_id"), return_dtype=pl.Int32
    )
    return frame.drop(NAMES).with_columns(line_id.alias("line_id"))


def compact(frame: pl.DataFrame) -> pl.DataFrame:
    """The period only where there is no date; invoice numbers as numbers where lossless."""
    frame = frame.with_columns(
        pl.when(pl.col("date").is_null()).then(pl.col("period")).alias("period")
    )
    invoice = frame.get_column("invoice")
    if invoice.null_count() < invoice.len() and invoice.str.contains(_PLAIN_NUMBER).all():
        frame = frame.with_columns(
            pl.col("invoice").cast(pl.Int64).alias("invoice_no"),
            pl.lit(None, dtype=pl.String).alias("invoice"),
        )
    return frame
