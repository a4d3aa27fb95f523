"""The workbook importer: budget, forslag, delårsrapport and bokslut workbooks and CSV files.

extract (files → text grids) → find tables → recognise the document → build facts per
table (units, signs, totals) → gate (something must be recognised) → load in bulk.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines import fmt
from pipelines.ingest import IngestError, IngestOptions, Loaded
from pipelines.read.files import Sheet, file_format, read_csv, read_workbook
from pipelines.read.headers import fold
from pipelines.read.tables import GoalTable, Grid, Table, find_tables, make_grid
from pipelines.sources import store
from pipelines.sources.document import DocumentInfo, detect_document
from pipelines.sources.facts import FACT_SCHEMA, StoredColumn, TableResult, build_table
from pipelines.sources.goals import goal_rows

_SATSNING = re.compile(
    r"^(?P<name>[^\d−–-][^\n]{2,200}?)[\s:,–—-]+(?P<num>[−–-]?\d[\d\s\u00a0]*(?:[,.]\d+)?)\s*"
    r"(?P<unit>mdkr|mnkr|mkr|miljoner kronor|miljoner|tkr|kr)\.?\s*$",
    re.IGNORECASE,
)
_UNIT_FACTOR = {"mdkr": 10**9, "mnkr": 10**6, "mkr": 10**6, "miljoner kronor": 10**6,
                "miljoner": 10**6, "tkr": 10**3, "kr": 1}  # fmt: skip


class WorkbookImporter:
    """xlsx, xlsm, xlsb, xls, ods and CSV files with budget or follow-up tables."""

    name = "workbook"
    kinds = ("budget", "forslag", "delarsrapport", "bokslut")
    feeds_marts = True

    def sniff(self, path: Path, head: bytes) -> bool:
        return file_format(path, head) is not None

    def load(
        self, con: duckdb.DuckDBPyConnection, path: Path, doc_id: str, opts: IngestOptions
    ) -> Loaded:
        return load_workbook(con, path, doc_id, opts)


def _titles(grid: Grid, tables: list[Table], goals: list[GoalTable]) -> list[str]:
    """Text above the sheet's first table: title rows and notes."""
    starts = [t.header_rows[0] for t in tables] + [g.header_row for g in goals]
    stop = min(starts) if starts else min(grid.sheet.height, 15)
    texts = []
    for r in range(min(stop, 30)):
        texts.extend(t for t in grid.row_texts(r) if t)
    return texts


def read_sheets(path: Path, opts: IngestOptions) -> tuple[str, list[Sheet]]:
    with open(path, "rb") as fh:
        head = fh.read(8192)
    kind = file_format(path, head)
    if kind is None:
        raise IngestError(path.name, "inte en arbetsbok eller CSV-fil")
    if kind == "csv":
        return kind, read_csv(path, opts.config.limits)
    booleans = opts.guard.boolean_parts if opts.guard is not None else None
    errors = opts.guard.error_parts if opts.guard is not None else None
    return kind, read_workbook(path, kind, opts.config.limits, booleans, errors)


def load_workbook(
    con: duckdb.DuckDBPyConnection, path: Path, doc_id: str, opts: IngestOptions
) -> Loaded:
    """Read one workbook or CSV file into fact_rows and goal_rows. Raises IngestError."""
    name = path.name
    file_kind, sheets = read_sheets(path, opts)
    if not sheets or all(s.height == 0 or s.frame.width == 0 for s in sheets):
        raise IngestError(name, "arbetsboken är tom (inga celler med innehåll)")

    found: list[tuple[Grid, list[Table], list[GoalTable]]] = []
    titles: list[str] = []
    skipped: list[str] = []
    for sheet in sheets:
        if sheet.height == 0 or sheet.frame.width == 0:
            continue
        if sheet.hidden:
            # hidden sheets hold workings (pivots, raw exports) that repeat the visible
            # tables; reading them would count the same money twice
            skipped.append(sheet.name)
            continue
        grid = make_grid(sheet)
        tables, goals = find_tables(grid)
        found.append((grid, tables, goals))
        titles.extend(_titles(grid, tables, goals))
    all_tables = [t for _, ts, _ in found for t in ts]
    all_goals = [g for _, _, gs in found for g in gs]
    table_sheets = [grid.sheet.name for grid, tables, goals in found if tables or goals]
    doc = detect_document(
        name, titles, all_tables, opts.kind, opts.year, bool(all_goals), table_sheets
    )
    satsningar: list[dict[str, Any]] = []
    if doc.kind == "forslag":
        for grid, tables, _ in found:
            satsningar.extend(_satsningar(grid, tables, doc))
    if not all_tables and not all_goals and not satsningar:
        first = sheets[0].name
        raise IngestError(
            name,
            "ingen tabell känns igen: ingen rubrikrad med Budget, Plan, Utfall, Prognos, "
            "Avvikelse eller ram följd av belopp, och ingen måltabell (Mål | Bedömning)",
            sheet=first,
        )

    doc_texts = [name, *titles[:10]]
    results, recon, tables_report, messages = [], [], [], []
    if skipped:
        messages.append("dolda blad lästes inte: " + ", ".join(f"'{n}'" for n in skipped))
    for grid, tables, _ in found:
        sheet_texts = [t for t in titles if t] + [grid.sheet.name]
        for table in tables:
            result = build_table(grid, table, doc, sheet_texts, doc_texts, name)
            results.append(result)
            recon.extend(result.reconciliation)
            tables_report.append(result.report)
            messages.extend(result.messages)
    extra = pl.DataFrame(satsningar, schema=FACT_SCHEMA)
    if satsningar:
        messages.append(
            f"{len(satsningar)} namngivna satsningar blev forslag-fakta med satsningen som "
            "line_item (de ingår i respektive nämnds ram)"
        )
    n_facts = sum(r.facts for r in results) + extra.height

    goals: list[dict[str, Any]] = []
    for grid, _, goal_tables in found:
        for gt in goal_tables:
            rows, notes = goal_rows(path, file_kind, grid, gt, doc.doc_year)
            goals.extend(rows)
            messages.extend(notes)

    if n_facts == 0 and not goals:
        skipped_all = results and all("ej läst" in r.report for r in results)
        reason = (
            "inga tabeller med nämndernas belopp, bara kommunens finansiella rapporter"
            if skipped_all
            else "tabeller hittades men inga belopp kunde läsas"
        )
        raise IngestError(
            name,
            reason + " (" + "; ".join(messages[:3]) + ")",
            sheet=all_tables[0].sheet if all_tables else None,
        )

    identity = "|".join(
        [
            "demo" if doc.is_demo or opts.demo else "",
            doc.kind,
            doc.actor,
            str(doc.doc_year or ""),
            doc.period or "",
        ]
    )
    covered, notes = drop_covered(results, name)
    recon.extend(covered)
    messages.extend(notes)
    n_facts -= sum(len(sc.excluded) for r in results for sc in r.stored)
    for result in results:
        _refuse_same_amount_twice(result, name)
    _insert(con, doc_id, name, results, extra, goals, recon, doc)
    messages.extend(_replace_old_versions(con, identity, doc_id))

    bad = [r for r in recon if r["status"] == "differens"]
    rounding = [r for r in recon if r["status"] == "avrundning"]
    unchecked = [r for r in recon if r["status"] == "ej kontrollerad"]
    recon_summary = (
        f"{len(recon) - len(bad) - len(rounding) - len(unchecked)} av {len(recon)} summor "
        "stämmer på kronan"
    )
    if rounding:
        recon_summary += f", {len(rounding)} inom avrundning"
    if unchecked:
        recon_summary += f", {len(unchecked)} kunde inte kontrolleras (felvärden)"
        messages.extend(
            f"{_total_named(r)} kunde inte kontrolleras: {r['orsak']}" for r in unchecked[:10]
        )
    if bad:
        recon_summary += f", {len(bad)} avviker"
        messages.extend(
            f"{_total_named(r)} är {fmt.number(r['expected_sek'], 2)} kr men posterna ger "
            f"{fmt.number(r['computed_sek'], 2)} kr (differens {fmt.number(r['difference_sek'], 2)} kr)"
            for r in bad[:10]
        )
    units = sorted({c["enhet"] for t in tables_report for c in t["kolumner"].values()})
    details = {
        "dokument": doc.kind,
        "år": doc.doc_year,
        "period": doc.period,
        "aktör": doc.actor,
        "igenkänning": doc.reasons,
        "tabeller": [
            f"{t['blad']}!{t['område']} ({t['budgetslag']}, {t['fakta']} fakta)"
            for t in tables_report
        ],
        "enheter": units,
        "tecken": sorted({t["tecken"] for t in tables_report}),
        "avstämning": recon_summary if recon else "inga summarader att stämma av mot",
        "celler": _cell_summary(tables_report),
        "mål": len(goals),
        "_tabeller": tables_report,
    }
    return Loaded(
        document=doc.kind,
        facts=n_facts,
        doc_year=doc.doc_year,
        period=doc.period,
        actor=doc.actor,
        identity=identity,
        is_demo=doc.is_demo,
        details=details,
        messages=messages,
    )


def _total_named(r: dict[str, Any]) -> str:
    """A reconciled total as the report names it: label, cell, measure and year."""
    return (
        f"summan '{r['total_label']}' ({r['source_sheet']}!{r['total_cell']}, "
        f"{r['measure']} {r['year']})"
    )


def _stored_mask(sc: StoredColumn) -> pl.Expr:
    """The line items whose amount in column `sc` becomes a fact."""
    return (
        pl.col(f"s_{sc.column}").is_in(["number", "zero"])
        & pl.col(sc.column).is_finite()
        & ~pl.col("i").is_in(list(sc.excluded))
    )


def _refuse_same_amount_twice(result: TableResult, file_name: str) -> None:
    """Refuse a table in which one row gives the same amount twice (a duplicated header).

    Two columns headed alike ("Budget 2026" twice) would put two amounts for the same
    organisation, line, measure and year into facts, and every sum over them would count
    the row twice. Which of the two is right cannot be guessed, so the file is refused.
    Checked on the column plan before anything is written, not on the facts afterwards.
    """
    seen: dict[tuple, StoredColumn] = {}
    for sc in result.stored:
        key = (sc.actor, sc.measure, sc.year, sc.period)
        first = seen.setdefault(key, sc)
        if first is sc:
            continue
        both = result.lines.filter(_stored_mask(first) & _stored_mask(sc))
        if both.height == 0:
            continue
        i, line_item, org = both.select("i", "line_item", "organisation").row(0)
        row = result.first_row + i + 1
        raise IngestError(
            file_name,
            f"kolumnerna {first.letter}{row} och {sc.letter}{row} betyder samma sak "
            f"({sc.measure} {sc.year}) för '{line_item or org}': dubblerad kolumnrubrik? Ta "
            "bort eller byt namn på den ena, annars skulle beloppen räknas två gånger",
            sheet=result.sheet,
            cell=f"{first.letter}{row}",
        )


def _cell_summary(tables_report: list[dict[str, Any]]) -> str:
    """Amount cells of the line items: numbers, zeros, dashes (read as 0), empty and text
    (read as missing), with the first text cells named."""
    keys = ["tal", "noll (0)", "noll (streck)", "saknas (tom)", "text", "felvärde"]
    total = dict.fromkeys(keys, 0)
    texts: list[str] = []
    errors: list[str] = []
    for table in tables_report:
        for column in table["kolumner"].values():
            for key in keys:
                total[key] += column.get(key, 0)
            texts.extend(f"{table['blad']}!{t}" for t in column["text (ej tal, saknas)"])
            errors.extend(f"{table['blad']}!{t}" for t in column.get("felvärden (saknas)", []))
    summary = (
        f"{total['tal']} tal (varav {total['noll (0)']} noll), {total['noll (streck)']} streck "
        f"lästa som 0, {total['saknas (tom)']} tomma (saknas), {total['text']} text (saknas)"
    )
    if total["felvärde"]:
        n = total["felvärde"]
        summary += f", {n} {'felvärde' if n == 1 else 'felvärden'} från Excel (saknas)"
    if texts:
        summary += ": " + ", ".join(texts[:5]) + (" …" if total["text"] > 5 else "")
    if errors:
        summary += ("; " if texts else ": ") + "felvärden " + ", ".join(errors[:5])
        summary += " …" if total["felvärde"] > 5 else ""
    return summary


def drop_covered(results: list[TableResult], file_name: str) -> tuple[list[dict], list[str]]:
    """Amounts of a summary table (per nämnd) that another table details (per verksamhet).

    A workbook often has both; storing both would count each krona twice. Where the
    verksamheter of a nämnd add up to its summary amount (same measure, year, period, actor
    and budget kind), the summary amount is kept out of facts and recorded as reconciled.
    """
    recon: list[dict] = []
    notes: list[str] = []
    for summary in results:
        heads = summary.lines.filter(pl.col("org_level"))
        if heads.height == 0:
            continue
        for detail in results:
            if detail is summary or detail.budget_kind != summary.budget_kind:
                continue
            parts = detail.lines.filter(~pl.col("org_level"))
            if parts.height == 0:
                continue
            for sa in summary.stored:
                sb = next(
                    (
                        c
                        for c in detail.stored
                        if (c.measure, c.year, c.period, c.actor)
                        == (sa.measure, sa.year, sa.period, sa.actor)
                    ),
                    None,
                )
                if sb is None:
                    continue
                sums = (
                    parts.filter(pl.col(f"s_{sb.column}").is_in(["number", "zero"]))
                    .group_by("organisation")
                    .agg(
                        (pl.col(sb.column) * sb.multiplier).sum().alias("detail"),
                        pl.len().alias("terms"),
                    )
                )
                pairs = (
                    heads.filter(pl.col(f"s_{sa.column}").is_in(["number", "zero"]))
                    .select(
                        "i",
                        "organisation",
                        "line_item",
                        (pl.col(sa.column) * sa.multiplier).alias("summary"),
                    )
                    .join(sums, on="organisation")
                )
                for i, org, label, total, part, terms in pairs.iter_rows():
                    if i in sa.excluded:
                        continue
                    diff = round(total - part, 2)
                    rounding = max(sa.step, sb.step) * 0.5 * (terms + 1)
                    if abs(diff) < 1 or (max(sa.step, sb.step) > 1 and abs(diff) <= rounding):
                        sa.excluded.add(i)
                        recon.append(
                            {
                                "source_file": file_name,
                                "source_sheet": summary.sheet,
                                "table_range": f"{detail.sheet} (poster)",
                                "total_label": label,
                                "total_cell": f"{sa.letter}{summary.first_row + i + 1}",
                                "measure": sa.measure,
                                "year": sa.year,
                                "period": sa.period,
                                "expected_sek": round(total, 2),
                                "computed_sek": round(part, 2),
                                "difference_sek": diff,
                                "terms": terms,
                                "status": "ok" if abs(diff) < 1 else "avrundning",
                            }
                        )
                    elif summary.document != "forslag":
                        # (a proposal's satsningar are parts of the ram, not its breakdown)
                        notes.append(
                            f"möjlig dubbelräkning: {org} {sa.measure} {sa.year} finns både som "
                            f"summa ({summary.sheet}!{sa.letter}{summary.first_row + i + 1}) och "
                            f"per verksamhet i blad '{detail.sheet}', men de skiljer "
                            f"{fmt.number(diff, 2)} kr; båda behölls"
                        )
    dropped = sum(len(sc.excluded) for r in results for sc in r.stored)
    if dropped:
        notes.append(
            f"{dropped} belopp per nämnd specificeras per verksamhet i en annan tabell och "
            "blev inga fakta (de stämmer av mot verksamheterna; inget räknas två gånger)"
        )
    return recon, notes


def _satsningar(grid: Grid, tables: list[Table], doc: DocumentInfo) -> list[dict[str, Any]]:
    """Named satsningar written as text ("Avgiftsfri kulturskola 6,0 mnkr") outside tables."""
    from pipelines.sources.facts import org_in_text

    sheet = grid.sheet
    inside = set()
    for t in tables:
        inside.update(range(t.header_rows[0], t.last_row + 1))
    out = []
    heading_org: dict[int, str] = {}
    for ci in range(sheet.frame.width):
        texts = sheet.text_frame(cols=[ci]).to_series().to_list()
        for r, text in enumerate(texts):
            if r in inside or not isinstance(text, str):
                continue
            m = _SATSNING.match(" ".join(text.split()))
            if not m:
                found = org_in_text(text, doc.doc_year) if len(text) < 80 else None
                if found:
                    heading_org[ci] = found
                continue
            raw = m.group("num").replace("−", "-").replace("–", "-")
            raw = re.sub(r"[\s\u00a0]", "", raw).replace(",", ".")
            try:
                amount = float(raw) * _UNIT_FACTOR[m.group("unit").lower()]
            except ValueError:
                continue
            title = m.group("name").strip(" :–-")
            org = org_in_text(title, doc.doc_year) or heading_org.get(ci)
            if org is None:
                continue
            out.append(
                {
                    "doc_year": doc.doc_year,
                    "year": doc.doc_year,
                    "document": "forslag",
                    "actor": doc.actor,
                    "budget_kind": "investering" if "investering" in fold(title) else "drift",
                    "period": None,
                    "organisation": org,
                    "line_item": title,
                    "measure": "budget",
                    "amount_sek": round(amount, 2),
                    "source_sheet": sheet.name,
                    "source_cell": f"{_letter(sheet.columns[ci])}{r + 1}",
                    "kommundel": None,
                }
            )
    return out


def _letter(col: int) -> str:
    from pipelines.read.files import column_letter

    return column_letter(col)


# Old facts (doc_id ?) about the same thing as a new file's facts (doc_id ?).
_OLD_FACTS = """
select o.col_id, o.line_id from fact_rows o
where o.doc_id = ? and exists (
    select 1 from fact_rows n
    where n.doc_id = ? and n.budget_kind = o.budget_kind and n.organisation = o.organisation
      and n.year = o.year and n.measure = o.measure and n.actor = o.actor
      and n.period is not distinct from o.period)
"""
_COUNT_GOALS = """
select count(*) from goal_rows o
where o.doc_id = ? and exists (
    select 1 from goal_rows n
    where n.doc_id = ? and n.organisation is not distinct from o.organisation
      and n.goal = o.goal)
"""
_DELETE_GOALS = """
delete from goal_rows where rowid in (
select o.rowid from goal_rows o
where o.doc_id = ? and exists (
    select 1 from goal_rows n
    where n.doc_id = ? and n.organisation is not distinct from o.organisation
      and n.goal = o.goal))
"""


def _replace_old_versions(con: duckdb.DuckDBPyConnection, identity: str, doc_id: str) -> list[str]:
    """A new version of a document replaces what the old version said about the same things.

    Same document = same kind, actor, year, period (and demo or not). Old facts are removed
    where the new file has an amount for the same budget kind, organisation, year, measure
    and period; old goals where it has the same goal. So a bokslut's drift and investment
    appendices stay side by side, and a revised budget never doubles the old one.
    """
    old = con.execute(
        "select doc_id, file_name from documents where identity = ? and doc_id <> ?"
        " and replaced_by is null order by loaded_at",
        [identity, doc_id],
    ).fetchall()
    messages = []
    for old_id, old_name in old:
        goals = con.execute(_COUNT_GOALS, [old_id, doc_id]).fetchone()[0]
        facts = store.delete(con, _OLD_FACTS, [old_id, doc_id])
        if not facts and not goals:
            continue
        con.execute(_DELETE_GOALS, [old_id, doc_id])
        left = con.execute(
            "select (select count(*) from fact_rows where doc_id = ?)"
            " + (select count(*) from goal_rows where doc_id = ?)",
            [old_id, old_id],
        ).fetchone()[0]
        if left == 0:
            con.execute("delete from table_reconciliations where doc_id = ?", [old_id])
            con.execute("update documents set replaced_by = ? where doc_id = ?", [doc_id, old_id])
            messages.append(
                f"ersätter tidigare version '{old_name}' av samma dokument "
                f"({facts} fakta och {goals} mål borttagna)"
            )
        else:
            messages.append(
                f"ersätter {facts} fakta och {goals} mål i tidigare version '{old_name}' "
                f"(samma nämnd, år och mått); {left} rader därifrån finns kvar"
            )
    return messages


def _insert(
    con: duckdb.DuckDBPyConnection,
    doc_id: str,
    name: str,
    results: list[TableResult],
    extra: pl.DataFrame,
    goals: list[dict[str, Any]],
    recon: list[dict[str, Any]],
    doc: DocumentInfo,
) -> None:
    """Write facts in bulk through the store: per table its stored columns, its lines and
    their amounts (see pipelines/sources/store.py); the named satsningar in long form."""
    columns, lines, amounts = [], [], []
    col = line = 0
    for result in results:
        masks = []
        for sc in result.stored:
            mask = _stored_mask(sc)
            picked = result.lines.filter(mask)
            if picked.height == 0:
                continue
            columns.append(
                {"col": col, "doc_id": doc_id, "doc_year": result.doc_year, "year": sc.year,
                 "document": result.document, "actor": sc.actor,
                 "budget_kind": result.budget_kind, "period": sc.period, "measure": sc.measure,
                 "source_file": name, "source_sheet": result.sheet, "source_col": sc.letter}
            )  # fmt: skip
            amounts.append(
                picked.select(
                    pl.lit(col, dtype=pl.Int64).alias("col"),
                    (pl.col("i") + line).cast(pl.Int64).alias("line"),
                    (pl.col(sc.column) * sc.multiplier).alias("amount_sek"),
                )
            )
            masks.append(mask)
            col += 1
        if masks:
            # the lines with at least one amount stored
            lines.append(
                result.lines.filter(pl.any_horizontal(masks)).select(
                    (pl.col("i") + line).cast(pl.Int64).alias("line"),
                    pl.lit(doc_id).alias("doc_id"),
                    pl.col("organisation").cast(pl.String),
                    pl.col("line_item").cast(pl.String),
                    pl.col("kommundel").cast(pl.String),
                    (pl.col("i") + result.first_row + 1).cast(pl.Int32).alias("source_row"),
                )
            )
        if result.lines.height:
            line += int(result.lines["i"].max()) + 1  # i: the row within its table
    if columns:
        store.write(
            con,
            pl.DataFrame(columns, schema_overrides={"doc_year": pl.Int32, "year": pl.Int32,
                                                    "period": pl.String}),
            pl.concat(lines).with_columns(pl.col("doc_id", "organisation").cast(pl.Categorical)),
            pl.concat(amounts),
        )  # fmt: skip
    if extra.height:
        store.write_long(con, extra.with_columns(doc_id=pl.lit(doc_id), source_file=pl.lit(name)))
    if goals:
        con.executemany(
            "insert into goal_rows (doc_id, doc_year, period, organisation, goal, assessment,"
            " analysis, source_file, source_sheet, source_cell) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [doc_id, doc.doc_year, doc.period, g["organisation"], g["goal"], g["assessment"],
                 g["analysis"], name, g["source_sheet"], g["source_cell"]]
                for g in goals
            ],
        )  # fmt: skip
    if recon:
        con.executemany(
            "insert into table_reconciliations (doc_id, source_file, source_sheet, table_range,"
            " total_label, total_cell, measure, year, period, expected_sek, computed_sek,"
            " difference_sek, terms, status) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [doc_id, r["source_file"], r["source_sheet"], r["table_range"], r["total_label"],
                 r["total_cell"], r["measure"], r["year"], r["period"], r["expected_sek"],
                 r["computed_sek"], r["difference_sek"], r["terms"], r["status"]]
                for r in recon
            ],
        )  # fmt: skip
