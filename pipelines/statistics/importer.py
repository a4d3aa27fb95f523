"""StatisticsImporter: official statistics files → stat_rows, indicators and statistik facts.

Recognises, and only these: json-stat (PxWeb json-stat2, also 1.0 bundles), PxWeb CSV,
Kolada API JSON (data, KPI and municipality metadata), Kolada CSV/xlsx exports in long form,
and the SCB reference CSV (kommunkod,kommun,ar,verksamhetskod,verksamhet,nettokostnad_tkr).

What becomes a fact: net cost (nettokostnad) in kronor for a kommun (4-digit kommunkod) and a
whole year, one fact per verksamhet, as document='statistik', actor='kommunen',
budget_kind='drift', measure='utfall'. A source row labelled TOTALT/SUMMA is a fact only when
the file does not list its parts; when it does, the row is kept in stat_rows and reconciled.
Riket and län rows are aggregates of kommuner and stay in stat_rows only. Everything else
(per-invånare figures, Kolada KPIs) is an indicator.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines.ingest import IngestError, IngestOptions, Loaded
from pipelines.read.files import head_rows
from pipelines.sources import store
from pipelines.statistics import formats
from pipelines.statistics.formats import FormatError, Parsed, Record
from pipelines.statistics.kommuner import (
    KOMMUNER_FILE,
    known_kommuner,
    kommun_name,
    organisation_for,
)
from pipelines.statistics.values import region_kind

CENT = Decimal("0.01")


def _head_text(head: bytes) -> str:
    # Cut at the last newline so a multi-byte character is never split.
    cut = head.rfind(b"\n")
    return formats.decode(head[: cut + 1] if cut > 0 else head)


def _retrieved(path: Path) -> date | None:
    """The retrieval date from the file name (fetch writes it there), else None: a file's
    modification time says when it was copied, not when the publisher was asked."""
    m = re.search(r"(20\d{2})-?([01]\d)-?([0-3]\d)", path.name)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def _plain(label: str) -> str:
    """A measure label without its unit words, for choosing the plainest one."""
    return re.sub(r"[,(]?\s*\b(tkr|kr|kronor|mnkr|mkr|tusental kronor)\b\)?", "", label).strip()


class StatisticsImporter:
    """SCB and Kolada statistics; see the module docstring for what becomes a fact."""

    name = "statistics"
    kinds = ("statistik",)
    feeds_marts = True

    def __init__(self) -> None:
        self._json_cache: dict[tuple[str, int, int], Any] = {}

    # ------------------------------------------------------------------ recognising

    def _json(self, path: Path) -> Any:
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size)
        if key not in self._json_cache:
            self._json_cache.clear()
            try:
                self._json_cache[key] = formats.load_json(path)
            except ValueError:
                self._json_cache[key] = None
        return self._json_cache[key]

    def _xlsx_rows(self, path: Path, n_rows: int | None = None) -> tuple[str, list[list[str]]]:
        import fastexcel

        reader = fastexcel.read_excel(str(path))
        name = reader.sheet_names[0]
        sheet = reader.load_sheet(0, header_row=None, n_rows=n_rows, dtypes="string")
        df = sheet.to_polars()
        return name, [["" if v is None else str(v) for v in row] for row in df.rows()]

    def sniff(self, path: Path, head: bytes) -> bool:
        suffix = path.suffix.lower()
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if suffix == ".json" or stripped.startswith(b"{"):
            # Parsed whole: a json-stat file may put "value" before "dimension" far past the head.
            obj = self._json(path)
            return formats.looks_like_jsonstat(obj) or formats.looks_like_kolada(obj) is not None
        if suffix in (".csv", ".tsv", ".txt"):
            rows = formats.csv_rows(_head_text(head))
            return bool(
                formats.is_scb_reference(rows)
                or formats.find_kolada_header(rows)
                or formats.find_pxweb_header(rows) is not None
            )
        if suffix in (".xlsx", ".xlsm"):
            # the head from the XML: calamine would parse the whole sheet for 12 rows
            head = head_rows(path, 12)
            if head is None:
                try:
                    head = self._xlsx_rows(path, n_rows=12)
                except Exception:  # noqa: BLE001 - not a readable workbook: not ours
                    return False
            return formats.find_kolada_header(head[1]) is not None
        return False

    def parse(self, path: Path) -> Parsed:
        """The file read into records, or FormatError."""
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            sheet, rows = self._xlsx_rows(path)
            return formats.parse_kolada_table(rows, path.name, sheet=sheet)
        with open(path, "rb") as fh:
            first = fh.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n")
        if suffix == ".json" or first.startswith(b"{"):
            obj = self._json(path)
            if obj is None:
                raise FormatError("filen är inte giltig JSON")
            if formats.looks_like_kolada(obj):
                return formats.parse_kolada_json(obj, path.name)
            return formats.parse_jsonstat(obj, path.name)
        rows = formats.csv_rows(formats.decode(path.read_bytes()))
        if formats.is_scb_reference(rows):
            return formats.parse_scb_reference(rows, path.name)
        if formats.find_kolada_header(rows):
            return formats.parse_kolada_table(rows, path.name)
        return formats.parse_pxweb_csv(rows, path.name)

    # ------------------------------------------------------------------ loading

    def load(
        self, con: duckdb.DuckDBPyConnection, path: Path, doc_id: str, opts: IngestOptions
    ) -> Loaded:
        try:
            parsed = self.parse(path)
        except FormatError as exc:
            raise IngestError(path.name, exc.reason, cell=exc.where) from None
        if not parsed.records and not parsed.kpi_titles and not parsed.municipalities:
            raise IngestError(path.name, "filen innehåller inga värden")
        retrieved = _retrieved(path)
        self._store_catalogues(con, parsed)
        self._codes_from_names(con, parsed)
        frame, report = self._rows(parsed, opts, path)
        facts = 0
        if frame.height:
            facts = self._store_rows(con, frame, parsed, retrieved, doc_id, path.name, report)
        years = [r.year for r in parsed.records if r.year is not None]
        details: dict[str, Any] = {
            "format": parsed.fmt,
            "källa": parsed.source,
            "dataset": parsed.dataset,
            "hämtad": retrieved.isoformat() if retrieved else "okänt (inget datum i filnamnet)",
        }
        if parsed.published:
            details["publicerad"] = parsed.published
        details.update(report["details"])
        return Loaded(
            document="statistik",
            facts=facts,
            doc_year=max(years) if years else opts.year,
            actor="kommunen",
            identity=f"statistik:{parsed.source}:{parsed.dataset}",
            is_demo=parsed.is_demo,
            details=details,
            messages=parsed.messages + report["messages"],
        )

    def _codes_from_names(self, con: duckdb.DuckDBPyConnection, parsed: Parsed) -> None:
        """Kommunkod for cells that name a kommun without its code (PxWeb 'UseTexts' CSV)."""
        names = {r.region_name for r in parsed.records if r.region_code is None and r.region_name}
        if not names:
            return
        known = {name.casefold(): code for code, name in known_kommuner().items()}
        for code, name in con.execute("select kommunkod, name from kommuner").fetchall():
            known.setdefault(name.casefold(), code)
        for r in parsed.records:
            if r.region_code is None and r.region_name:
                key = r.region_name.casefold().removesuffix(" kommun")
                r.region_code = known.get(key)

    def _store_catalogues(self, con: duckdb.DuckDBPyConnection, parsed: Parsed) -> None:
        for kpi, (title, unit) in parsed.kpi_titles.items():
            con.execute(
                "insert into kpi_catalogue (kpi, title, unit, source) values (?, ?, ?, ?)"
                " on conflict (kpi) do update set title = coalesce(excluded.title, kpi_catalogue.title),"
                " unit = coalesce(excluded.unit, kpi_catalogue.unit), source = excluded.source",
                [kpi, title, unit, parsed.source],
            )
        for code, name in parsed.municipalities.items():
            self._upsert_kommun(con, code, kommun_name(code, name) or name, parsed.source)

    def _upsert_kommun(
        self, con: duckdb.DuckDBPyConnection, code: str, name: str, source: str
    ) -> None:
        if code in known_kommuner():
            source = KOMMUNER_FILE.name
        con.execute(
            "insert into kommuner (kommunkod, name, organisation, name_source) values (?, ?, ?, ?)"
            " on conflict (kommunkod) do update set name = excluded.name,"
            " organisation = excluded.organisation, name_source = excluded.name_source"
            " where kommuner.name_source like 'fil:%' and excluded.name_source not like 'fil:%'",
            [code, name, organisation_for(code, name), source],
        )

    def _rows(
        self, parsed: Parsed, opts: IngestOptions, path: Path
    ) -> tuple[pl.DataFrame, dict[str, Any]]:
        """One row per record with its kind, amount and whether it is a fact."""
        kinds: list[str] = []
        amounts: list[Decimal | None] = []
        net_measures = {r.measure_code: r.measure_label for r in parsed.records if r.net_cost}
        primary = None
        if len(net_measures) > 1:
            # Two net-cost measures of the same verksamhet would count the money twice: the
            # plainest label ("Nettokostnad, tkr" before "Nettokostnad exkl. …") gives the facts.
            primary = min(
                net_measures,
                key=lambda code: (len(_plain(net_measures[code] or "")), str(code)),
            )
            others = ", ".join(
                f"'{net_measures[c]}'" for c in sorted(net_measures, key=str) if c != primary
            )
            parsed.messages.append(
                f"flera mått på nettokostnad: fakta från '{net_measures[primary]}', "
                f"{others} sparas bara i stat_rows"
            )
        for r in parsed.records:
            if primary is not None and r.net_cost and r.measure_code != primary:
                r.net_cost = False
            if r.year is None and opts.year is not None and r.period is None:
                r.year = opts.year
            if r.scale is not None:
                kinds.append("netto" if r.net_cost else "money")
                amounts.append(None if r.value is None else (r.value * r.scale).quantize(CENT))
            else:
                kinds.append("indicator")
                amounts.append(None)
        in_facts, total_notes = self._fact_flags(parsed.records, kinds, amounts)

        names: dict[str, str] = {}
        for r in parsed.records:
            if region_kind(r.region_code) == "kommun" and r.region_code not in names:
                name = kommun_name(r.region_code, r.region_name)
                if name:
                    names[r.region_code] = name
        organisations = {code: organisation_for(code, name) for code, name in names.items()}

        frame = pl.DataFrame(
            {
                "region_code": [r.region_code for r in parsed.records],
                "region_name": [r.region_name for r in parsed.records],
                "item_code": [r.item_code for r in parsed.records],
                "item_label": [r.item_label for r in parsed.records],
                "measure_code": [r.measure_code for r in parsed.records],
                "measure_label": [r.measure_label for r in parsed.records],
                "unit": [r.unit for r in parsed.records],
                "year": [r.year for r in parsed.records],
                "period": [r.period for r in parsed.records],
                "gender": [r.gender for r in parsed.records],
                "value": [None if r.value is None else float(r.value) for r in parsed.records],
                "amount_sek": [None if a is None else str(a) for a in amounts],
                "status": [r.status for r in parsed.records],
                "kind": kinds,
                "is_total": [r.is_total for r in parsed.records],
                "in_facts": in_facts,
                # Rows whose older facts this file replaces: its facts, and its totals whose
                # parts it lists (an older file may have stored that total as the only figure).
                "replaces": [
                    f or (k == "netto" and r.is_total and r.value is not None)
                    for r, k, f in zip(parsed.records, kinds, in_facts, strict=True)
                ],
                "source_cell": [r.source_cell for r in parsed.records],
                "organisation": [organisations.get(r.region_code or "") for r in parsed.records],
                "line_item": [r.item_label or r.measure_label for r in parsed.records],
            },
            schema={
                "region_code": pl.String,
                "region_name": pl.String,
                "item_code": pl.String,
                "item_label": pl.String,
                "measure_code": pl.String,
                "measure_label": pl.String,
                "unit": pl.String,
                "year": pl.Int32,
                "period": pl.String,
                "gender": pl.String,
                "value": pl.Float64,
                "amount_sek": pl.String,
                "status": pl.String,
                "kind": pl.String,
                "is_total": pl.Boolean,
                "in_facts": pl.Boolean,
                "replaces": pl.Boolean,
                "source_cell": pl.String,
                "organisation": pl.String,
                "line_item": pl.String,
            },
        )
        report = self._report(parsed, kinds, in_facts, total_notes, names)
        return frame, report

    def _fact_flags(
        self, records: list[Record], kinds: list[str], amounts: list[Decimal | None]
    ) -> tuple[list[bool], list[str]]:
        """Which net-cost records are facts, and notes on the totals that were not."""
        flags = [
            kinds[i] == "netto"
            and region_kind(r.region_code) == "kommun"
            and r.year is not None
            and r.period is None
            and r.value is not None
            for i, r in enumerate(records)
        ]
        groups: dict[tuple, list[int]] = defaultdict(list)
        for i, r in enumerate(records):
            if flags[i]:
                groups[(r.region_code, r.year, r.measure_code)].append(i)
        reconciled, off, examples = 0, 0, []
        for members in groups.values():
            codes = {
                records[i].item_code for i in members if (records[i].item_code or "").isdigit()
            }
            for i in members:
                code = records[i].item_code or ""
                # A code that other codes extend ("4" before "407") is their subtotal.
                if code.isdigit() and any(c != code and c.startswith(code) for c in codes):
                    records[i].is_total = True

            def prefix_parts(t: int, members: list[int] = members) -> list[int]:
                code = records[t].item_code or ""
                if not code.isdigit():
                    return []
                return [
                    i
                    for i in members
                    if i != t
                    and not records[i].is_total
                    and (records[i].item_code or "").startswith(code)
                ]

            # Group totals first (190 = the 1xx lines, "4" = the 4xx lines), then grand
            # totals (900, 0-9, SUMMA).
            for grand in (False, True):
                for t in members:
                    r = records[t]
                    if not r.is_total or not flags[t]:
                        continue
                    parts = prefix_parts(t)
                    group = bool(parts) or bool(r.item_code and re.fullmatch(r"\d90", r.item_code))
                    if group == grand:
                        continue
                    if group and not parts:
                        parts = [
                            i
                            for i in members
                            if i != t
                            and not records[i].is_total
                            and (records[i].item_code or "")[:1] == r.item_code[:1]
                        ]
                    elif not group:
                        parts = [i for i in members if i != t and flags[i]]
                    if not parts:
                        continue  # the only figure for its area: a fact
                    flags[t] = False
                    total = sum(amounts[i] for i in parts)
                    diff = amounts[t] - total
                    # Each part is rounded to the published unit on its own.
                    tolerance = records[t].scale * Decimal(len(parts)) / 2
                    if abs(diff) <= tolerance:
                        reconciled += 1
                    else:
                        off += 1
                        if len(examples) < 3:
                            amount = f"{diff:,.0f}".replace(",", "\u00a0")
                            examples.append(
                                f"{r.region_code} {r.year} '{r.item_label}': delarna i filen "
                                f"täcker inte summan, {amount} kr saknas i fakta"
                            )
        notes = []
        if reconciled or off:
            notes.append(
                f"{reconciled + off} summarader lagras inte som fakta (delarna finns i filen); "
                f"{reconciled} stämmer mot delarna, {off} avviker"
            )
            notes.extend(examples)
        return flags, notes

    def _report(
        self,
        parsed: Parsed,
        kinds: list[str],
        in_facts: list[bool],
        total_notes: list[str],
        names: dict[str, str],
    ) -> dict[str, Any]:
        records = parsed.records
        details: dict[str, Any] = {"celler": len(records)}
        kind_count = Counter(kinds)
        if kind_count:
            details["slag"] = dict(kind_count)
        missing = sum(r.value is None for r in records)
        if missing:
            details["saknade värden"] = missing
        statuses = Counter(r.status for r in records if r.status)
        if statuses:
            details["statusflaggor"] = dict(statuses.most_common(8))
        if names:
            details["kommuner"] = len(names)
        years = sorted({r.year for r in records if r.year is not None})
        if years:
            details["år"] = f"{years[0]}–{years[-1]}" if len(years) > 1 else years[0]
        genders = Counter(r.gender for r in records if r.gender)
        if genders:
            details["kön"] = dict(genders)
        messages = list(total_notes)
        kept_totals = [
            r.item_label for r, f in zip(records, in_facts, strict=True) if f and r.is_total
        ]
        if kept_totals:
            messages.append(
                f"{len(kept_totals)} TOTALT-rader saknar sina delrader i filen och lagras som "
                f"fakta, den enda siffran för sitt område (t.ex. '{kept_totals[0]}')"
            )
        nameless = sorted(
            {
                r.region_name or "?"
                for r, k in zip(records, kinds, strict=True)
                if k == "netto" and r.region_code is None
            }
        )
        if nameless:
            messages.append(
                f"{len(nameless)} regioner saknar kommunkod och blir inga fakta "
                f"(t.ex. '{nameless[0]}'); `verkstad fetch kommuner` ger koderna"
            )
        if "netto" in kind_count and not any(in_facts):
            messages.append("nettokostnader finns men ingen för en kommun och ett helt år")
        if "money" in kind_count:
            messages.append(
                f"{kind_count['money']} belopp är inte nettokostnad (t.ex. kostnader, intäkter) "
                "och blir inga fakta"
            )
        unknown = [
            r for r, k in zip(records, kinds, strict=True) if k == "indicator" and r.item_code
        ]
        if unknown and parsed.fmt.startswith(("json-stat", "pxweb")):
            messages.append(
                f"{len(unknown)} värden har ingen enhet i kronor (per invånare, antal eller okänd) "
                "och lagras som indikatorer"
            )
        return {"details": details, "messages": messages}

    def _store_rows(
        self,
        con: duckdb.DuckDBPyConnection,
        frame: pl.DataFrame,
        parsed: Parsed,
        retrieved: date | None,
        doc_id: str,
        file_name: str,
        report: dict[str, Any],
    ) -> int:
        for code, name in (
            frame.filter(pl.col("organisation").is_not_null())
            .select("region_code", "region_name")
            .unique(subset="region_code")
            .iter_rows()
        ):
            label = kommun_name(code, name) or code
            self._upsert_kommun(con, code, label, f"fil: {file_name}")
        con.register("stat_new", frame.to_arrow())
        try:
            con.execute(
                "insert into stat_rows (doc_id, source, dataset, retrieved, published, region_code,"
                " region_name, item_code, item_label, measure_code, measure_label, unit, year,"
                " period, gender, value, amount_sek, status, kind, is_total, in_facts, source_cell)"
                " select ?, ?, ?, ?, ?, region_code, region_name, item_code, item_label,"
                " measure_code, measure_label, unit, year, period, gender, value,"
                " cast(amount_sek as decimal(18, 2)), status, kind, is_total, in_facts, source_cell"
                " from stat_new",
                [doc_id, parsed.source, parsed.dataset, retrieved, parsed.published],
            )
            # A newer statistics file for the same kommun, year and verksamhet replaces the
            # older one's facts (SCB revises), so net cost is never counted twice.
            replaced = store.delete(
                con,
                "select f.col_id, f.line_id from fact_rows f where f.document = 'statistik'"
                " and f.doc_id <> ? and exists (select 1 from stat_new n where n.replaces"
                " and n.organisation = f.organisation and n.year = f.year"
                " and n.line_item = f.line_item)",
                [doc_id],
            )
            if replaced:
                con.execute(
                    "update stat_rows s set in_facts = false where s.doc_id <> ? and s.in_facts"
                    " and exists (select 1 from stat_new n where n.replaces"
                    " and n.region_code = s.region_code and n.year = s.year"
                    " and n.line_item = coalesce(s.item_label, s.measure_label))",
                    [doc_id],
                )
                report["messages"].append(
                    f"{replaced} äldre statistikfakta för samma kommun, år och verksamhet ersattes"
                )
            store.write_long(
                con,
                frame.filter(pl.col("in_facts")).select(
                    pl.lit(doc_id).alias("doc_id"),
                    pl.col("year").alias("doc_year"),
                    "year",
                    pl.lit("statistik").alias("document"),
                    pl.lit("kommunen").alias("actor"),
                    pl.lit("drift").alias("budget_kind"),
                    "organisation",
                    "line_item",
                    pl.lit("utfall").alias("measure"),
                    "amount_sek",
                    pl.lit(file_name).alias("source_file"),
                    "source_cell",
                ),
            )
            return int(frame["in_facts"].sum())
        finally:
            con.unregister("stat_new")
