"""PaymentsImporter: supplier-payment files (CSV, xlsx) → payment_entries, classified.

Steps: extract (read the table as text, or typed from a workbook where nothing can be
lost, finding the header under any title rows) → validate
(parse amounts, dates and periods; the first unreadable cell rejects the file, named) →
load (replace older rows of the same organisations and period range, store the repeated
names once in payment_lines and the file, sheet and amount column once per table in
payment_sources, bulk insert the rows) → transform (reclassify suppliers with the rules file).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import duckdb
import polars as pl

from pipelines import fmt
from pipelines.ingest import IngestError, IngestOptions, Loaded
from pipelines.payments import classify, lines, read
from pipelines.payments.parse import CellError, amounts, complete, repeated_table

log = logging.getLogger(__name__)

ROLE_LABELS = {
    "organisation": "förvaltning/nämnd",
    "supplier": "leverantör",
    "org_nr": "org.nr",
    "amount": "belopp",
    "konto": "konto",
    "kontotext": "kontotext",
    "date": "datum",
    "period": "period",
    "year": "år",
    "invoice": "faktura",
    "debet": "debet",
    "kredit": "kredit",
}
CSV_SUFFIXES = {".csv", ".txt", ".tsv", ".skv"}
# .xls (Excel 97–2003, as older Raindance and Agresso exports) and .ods through calamine
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


class PaymentsImporter:
    """Supplier payments (leverantörsreskontra), one row per payment."""

    name = "payments"
    kinds = ("payments",)
    feeds_marts = False  # no mart reads payments; they have their own summary

    def sniff(self, path: Path, head: bytes) -> bool:
        suffix = path.suffix.lower()
        if suffix in WORKBOOK_SUFFIXES or head.startswith(b"PK\x03\x04"):
            return suffix in WORKBOOK_SUFFIXES and read.sniff_xlsx(path)
        if suffix in CSV_SUFFIXES:
            return read.sniff_csv(path, head)
        return False

    def load(
        self, con: duckdb.DuckDBPyConnection, path: Path, doc_id: str, opts: IngestOptions
    ) -> Loaded:
        name = path.name
        clock = _Clock()
        tables = self._extract(path)
        clock.lap("read")
        frames = []
        sources = []  # (source_id, sheet, amount column) per table: payment_sources
        first_id = con.execute(
            "select coalesce(max(source_id), 0) + 1 from payment_sources"
        ).fetchone()[0]
        details: dict = {}
        read_amounts = [_cells(name, table, amounts, table) for table in tables]
        repeated = repeated_table([frame for frame, _ in read_amounts])
        summary = None
        if repeated is not None:
            summary, kind = repeated
            frame, _ = read_amounts[summary]
            what = "summa" if kind == "sammanställning" else "rader och summa"
            details[f"blad '{tables[summary].sheet}'"] = (
                f"{kind}: summan {fmt.number(frame.get_column('amount_sek').sum(), 2)} kr"
                f" upprepar de andra bladens {what} (ej inläst)"
            )
        for index, table in enumerate(tables):
            if index == summary:
                continue
            # (a year the title names stands in for --year where rows have no date)
            year = opts.year if opts.year is not None else table.title_year
            frame, seen = _cells(name, table, complete, *read_amounts[index], year)
            if opts.year is None and year is not None and frame.get_column("date").is_null().any():
                seen["år ur titeln (rader utan datum)"] = year
            source_id = first_id + len(sources)
            sources.append((source_id, table.sheet, _amount_letter(table)))
            frames.append(frame.with_columns(pl.lit(source_id, dtype=pl.Int32).alias("source_id")))
            where = f"blad '{table.sheet}', " if table.sheet else ""
            if sum(t.sheet == table.sheet for t in tables) > 1:  # tables side by side
                first = read.column_letter(min(table.header.columns.values()))
                where = f"blad '{table.sheet}' från kolumn {first}, "
            details[f"{where}rubrikrad"] = table.header_row
            details[f"{where}kolumner"] = ", ".join(
                f"{ROLE_LABELS[role]}: {' '.join(table.header.name(role).split())}"
                for role in table.header.columns
            )
            if table.encoding:
                details["teckenkodning"] = table.encoding
                details["avgränsare"] = {"\t": "tab"}.get(table.separator, table.separator)
            # per sheet when there are several: one sheet's "summa stämmer" is not another's
            details.update({f"{where}{k}" if len(tables) > 1 else k: v for k, v in seen.items()})
        frame = pl.concat(frames) if len(frames) > 1 else frames[0]
        clock.lap("parse")
        if frame.height == 0:
            raise IngestError(name, "filen har en rubrikrad men inga betalningar", tables[0].sheet)

        replaced = self._replace_older(con, frame, doc_id)
        clock.lap("replace")
        stored = lines.compact(lines.store_lines(con, frame))
        clock.lap("lines")
        # The polars frame itself, not .to_arrow(): DuckDB reads polars' string views
        # without the copy into large strings.
        con.executemany(
            "insert into payment_sources values (?, ?, ?, ?, ?)",
            [[source_id, doc_id, name, sheet, column] for source_id, sheet, column in sources],
        )
        con.register("_payments_in", stored)
        try:
            con.execute("insert into payment_entries by name select * from _payments_in")
        finally:
            con.unregister("_payments_in")
        clock.lap("insert")
        counts = classify.reclassify(con)
        clock.lap("classify")

        total = frame.get_column("amount_sek").sum()
        periods = frame.get_column("period").drop_nulls()
        years = sorted(frame.get_column("year").unique().to_list())
        first, last = (periods.min(), periods.max()) if periods.len() else (None, None)
        details["betalningar"] = frame.height
        details["summa"] = f"{fmt.number(total, 2)} kr"
        details["perioder"] = f"{first} – {last}" if first else ", ".join(map(str, years))
        details["leverantörer"] = frame.get_column("supplier").n_unique()
        details["klassning (leverantör × konto, alla inlästa)"] = ", ".join(
            f"{k} {v}" for k, v in counts.items()
        )
        messages = []
        if replaced:
            messages.append(
                f"ersätter {replaced} tidigare inlästa rader för samma organisationer och perioder"
            )
        log.info("payments %s: %d rows, %s kr; %s", name, frame.height, total, clock)
        return Loaded(
            document="payments",
            facts=frame.height,
            doc_year=years[-1] if len(years) == 1 else None,
            period=f"{first}..{last}" if first else None,
            actor="kommunen",
            identity=f"payments:{first or years[0]}..{last or years[-1]}",
            details=details,
            messages=messages,
        )

    @staticmethod
    def _extract(path: Path) -> list[read.RawTable]:
        try:
            if path.suffix.lower() in WORKBOOK_SUFFIXES:
                return read.read_xlsx(path)
            return [read.read_csv(path)]
        except ValueError as exc:
            raise IngestError(path.name, str(exc)) from exc
        except pl.exceptions.PolarsError as exc:
            raise IngestError(path.name, _csv_problem(path, exc)) from exc

    @staticmethod
    def _replace_older(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, doc_id: str) -> int:
        """Delete rows of earlier files that this file covers: same organisations, same periods.

        A corrected or extended export of the same ledger then replaces the old rows instead
        of doubling them, while files for other organisations or periods stay untouched.
        """
        years = frame.get_column("year")
        others = con.execute(
            "select count(*) from (select 1 from payment_entries p"
            " join payment_sources s on s.source_id = p.source_id"
            " where s.doc_id <> ? and p.year between ? and ? limit 1)",
            [doc_id, years.min(), years.max()],
        ).fetchall()[0][0]
        if not others:
            return 0  # nothing loaded for these years: skip the scope computation
        scope = (
            frame.select(
                pl.col("organisation").fill_null(""),
                pl.col("period").fill_null(pl.col("year").cast(pl.String)),
            )
            .unique()
            .to_arrow()
        )
        con.register("_payments_scope", scope)
        try:
            # The stored period is null where the row has a date: it is the date's month.
            return con.execute(
                "delete from payment_entries p"
                " using payment_lines l, _payments_scope s, payment_sources src"
                " where l.line_id = p.line_id and src.source_id = p.source_id"
                " and src.doc_id <> ?"
                " and coalesce(l.organisation, '') = s.organisation"
                " and coalesce(p.period, strftime(p.date, '%Y-%m'), cast(p.year as varchar))"
                " = s.period",
                [doc_id],
            ).fetchone()[0]
        finally:
            con.unregister("_payments_scope")


def _cells(name: str, table: read.RawTable, step, *args):
    """step(*args), with a CellError in the table told as the IngestError naming its cell."""
    try:
        return step(*args)
    except CellError as exc:
        letter = _amount_letter(table) if exc.role == "amount" else table.letters.get(exc.role, "")
        text = f" ({exc.text!r})" if exc.text else ""
        raise IngestError(
            name, f"rad {exc.row}: {exc.reason}{text}", table.sheet, f"{letter}{exc.row}"
        ) from exc


def _amount_letter(table: read.RawTable) -> str:
    """The amount's column; of a ledger with Debet and Kredit (no amount), the debet's."""
    return table.letters.get("amount") or table.letters["debet"]


def _csv_problem(path: Path, exc: Exception) -> str:
    """A readable reason for a CSV polars could not split, naming the first bad line."""
    text, _ = read.decode(path.read_bytes())
    found = read.find_csv_header(text)
    if found:
        line, sep, header = found
        width = len(header.names)
        for number, raw in enumerate(text.splitlines()[line + 1 :], start=line + 2):
            # (empty fields past the header's are read past: read.read_csv)
            extra = raw.split(sep)[width:]
            if raw.strip() and any(f.strip() for f in extra) and '"' not in raw:
                return f"rad {number}: {raw.count(sep) + 1} fält, rubrikraden har {width}"
    return f"CSV-filen kunde inte delas upp i kolumner ({type(exc).__name__}: {exc})"


class _Clock:
    """Wall and CPU seconds per step, for the log: where an ingest spends its time."""

    def __init__(self) -> None:
        self.last = (time.perf_counter(), time.process_time())
        self.laps: list[tuple[str, float, float]] = []

    def lap(self, step: str) -> None:
        now = (time.perf_counter(), time.process_time())
        self.laps.append((step, now[0] - self.last[0], now[1] - self.last[1]))
        self.last = now

    def __str__(self) -> str:
        return ", ".join(f"{step} {wall:.2f} s (cpu {cpu:.2f})" for step, wall, cpu in self.laps)
