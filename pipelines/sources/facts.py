"""One table → facts: row roles, organisations, units, signs, and reconciliation to totals.

Rows are line items, headings (no amounts), totals ("Summa", "Totalt", an organisation's
own row above its verksamheter) or rows below the operating result (skatteintäkter,
finansnetto, resultat), which are not nämnd costs. Only line items become facts; totals
are compared with the line items they cover, per column, to the krona.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import polars as pl

from pipelines import registry
from pipelines.read.files import Sheet, cell_ref, column_letter
from pipelines.read.headers import find_unit, fold
from pipelines.read.numbers import MISSING, NUMBER, TEXT, ZERO
from pipelines.read.tables import Grid, Table, ValueColumn
from pipelines.sources.document import DocumentInfo

_TOTAL = re.compile(
    r"^(summa|s:a|s\.a\.|totalt|total|totala|delsumma|sum|netto totalt|nettokostnad totalt|"
    r"kommunen totalt|hela kommunen|samtliga|nämnderna totalt|verksamhetens nettokostnad)\b"
    r"|\b(totalt|summa|total)$"
)
_BELOW = re.compile(
    r"skatteintäkter|generella statsbidrag|statsbidrag och utjämning|\bfinansnetto|"
    r"finansiella (intäkter|kostnader|poster)|årets resultat|^resultat\b|resultat före|"
    r"resultat efter|kommunalekonomisk utjämning|utjämningssystem|kommunal fastighetsavgift|"
    r"skatter och bidrag|^skatter\b|balanskravsresultat"
)
_INVEST = re.compile(r"investering|\binvest\b|projekt")
COST_MEASURES = ("budget", "plan", "utfall", "prognos")
DEFAULT_MEASURE = {"budget": "budget", "forslag": "budget", "bokslut": "utfall"}


@lru_cache(maxsize=65536)
def _lookup(name: str, year: int | None) -> str | None:
    return registry.normalise(name, year)


@lru_cache(maxsize=1024)
def org_in_text(text: str, year: int | None) -> str | None:
    """An organisation named anywhere in a title: the longest registry name or alias in it."""
    found = _lookup(text.strip(), year)
    if found:
        return found
    key = registry.name_key(text)
    best: tuple[int, str] | None = None
    for org in registry.load_registry():
        for label in (org.name, *org.aliases):
            label_key = registry.name_key(label)
            if len(label_key) < 6:
                continue
            if re.search(r"(?<!\w)" + re.escape(label_key) + r"(?!\w)", key):
                if best is None or len(label_key) > best[0]:
                    best = (len(label_key), _lookup(org.name, year) or org.name)
    return best[1] if best else None


def _fold_expr(col: pl.Expr) -> pl.Expr:
    """`fold` as a polars expression: lower case, one kind of dash, single spaces."""
    text = col.str.to_lowercase().str.replace_all(r"[\u2010-\u2015\u2212]", "-")
    return text.str.replace_all(r"[\s\u00a0]+", " ").str.strip_chars()


def name_key_expr(col: pl.Expr) -> pl.Expr:
    """`registry.name_key` as a polars expression, to find candidate names in bulk."""
    t = col.str.normalize("NFC").str.to_lowercase()
    t = t.str.replace_all(r"[\u2010-\u2015\u2212-]", "-")
    t = t.str.replace_all(r"\s*-\s*", "-")
    t = t.str.replace_all(r"[.,:;()\[\]\"'*]", " ")
    t = t.str.replace_all(r"\s+", " ").str.strip_chars()
    t = t.str.replace_all(r"-( och | samt | eller )", "$1")
    t = t.str.replace_all(r"nämnden\b", "nämnd")
    return t.str.replace(r"^(den |de )", "")


@lru_cache(maxsize=4)
def _registry_keys() -> frozenset[str]:
    return frozenset(
        registry.name_key(label)
        for org in registry.load_registry()
        for label in (org.name, *org.aliases)
    )


def _resolve(names: pl.Series, year: int | None) -> pl.Series:
    """The registry name for each published name (null when unknown), looked up once per
    distinct name and only for names whose comparison key the registry holds."""
    keys = names.to_frame("n").select(name_key_expr(pl.col("n")).alias("k"))["k"]
    candidates = names.filter(keys.is_in(list(_registry_keys())).fill_null(False)).unique()
    mapping = {name: _lookup(name, year) for name in candidates.to_list()}
    mapping = {k: v for k, v in mapping.items() if v}
    if not mapping:
        return pl.Series(names.name, [None] * len(names), dtype=pl.String)
    return names.replace_strict(mapping, default=None, return_dtype=pl.String)


@dataclass
class ColumnPlan:
    """How one value column becomes facts."""

    vc: ValueColumn
    measure: str | None  # None: not stored (difference, or a part-year column without period)
    year: int | None
    period: str | None
    actor: str
    factor: int
    unit: str
    note: str | None = None
    decimals: int = 0  # decimals shown in the source, in its unit


@dataclass
class TableResult:
    facts: pl.DataFrame
    reconciliation: list[dict[str, Any]] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    unknown_orgs: set[str] = field(default_factory=set)


FACT_SCHEMA = {
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
    "source_sheet": pl.String,
    "source_cell": pl.String,
    "kommundel": pl.String,
}


def _unit_for(table: Table, vc: ValueColumn, sheet_texts: list[str], doc_texts: list[str]):
    for text in [vc.meaning.text, *reversed(table.context), *sheet_texts, *doc_texts]:
        if unit := find_unit(text):
            return unit, text
    return None, None


def plan_columns(
    table: Table, doc: DocumentInfo, sheet_texts: list[str], doc_texts: list[str]
) -> tuple[list[ColumnPlan], list[str]]:
    """Measure, year, period, actor and unit for each value column of a table."""
    plans, messages = [], []
    for vc in table.value_columns:
        m = vc.meaning
        unit, unit_text = _unit_for(table, vc, sheet_texts, doc_texts)
        if unit is None:
            unit_name, factor = "kr", 1
            messages.append(
                f"{vc.header_cell} '{m.text}': ingen enhet angiven i tabell, blad eller titel; "
                "beloppen tolkas som kronor"
            )
        else:
            unit_name, factor = unit
        measure = m.measure
        note = None
        if measure == "generic":
            measure = DEFAULT_MEASURE.get(doc.kind)
            if measure is None:
                note = "kolumnen säger inte om det är budget, utfall eller prognos; hoppas över"
        year = m.year or doc.doc_year
        period = None
        if measure and measure != "difference" and year is None:
            note = "kolumnen har inget år och dokumentets år är okänt (ange --year); hoppas över"
            measure = None
        elif measure in COST_MEASURES or measure == "avvikelse":
            if m.period_month and not m.full_year and m.period_month < 12:
                period = f"{year}-{m.period_month:02d}"
            elif doc.kind == "delarsrapport" and not m.full_year and year == doc.doc_year:
                part_year = measure == "utfall" or m.cumulative
                if measure == "avvikelse":
                    # an avvikelse without "helår" next to a period utfall is the period's
                    part_year = m.cumulative
                if part_year:
                    if doc.period:
                        period = doc.period
                    else:
                        note = (
                            "periodens utfall men rapportens period är okänd "
                            "(ingen månad i titel eller rubriker); hoppas över"
                        )
                        measure = None
        if measure == "difference":
            measure = "difference"
        actor = m.actor or doc.actor
        if doc.kind == "forslag" and not m.actor:
            # figures the party's file repeats from the municipality: outcome and last
            # year's adopted budget
            if measure == "utfall" or (
                measure in ("budget", "plan") and year and doc.doc_year and year < doc.doc_year
            ):
                actor = "kommunen"
        if doc.kind != "forslag":
            actor = "kommunen"
        plans.append(ColumnPlan(vc, measure, year, period, actor, factor, unit_name, note))
        if note:
            messages.append(f"{vc.header_cell} '{m.text}': {note}")
        del unit_text
    return plans, messages


def build_table(
    grid: Grid,
    table: Table,
    doc: DocumentInfo,
    sheet_texts: list[str],
    doc_texts: list[str],
    file_name: str,
) -> TableResult:
    """Facts, reconciliation and report for one table."""
    sheet: Sheet = grid.sheet
    plans, messages = plan_columns(table, doc, sheet_texts, doc_texts)
    ctx = fold(
        " ".join(
            [
                *table.context[-3:],
                sheet.name,
                *(grid.text(r, c) or "" for r in table.header_rows for c in table.label_columns),
            ]
        )
    )
    budget_kind = "investering" if _INVEST.search(ctx) else "drift"
    table_org = None
    for text in [*reversed(table.context[-3:]), sheet.name]:
        if org := org_in_text(text, doc.doc_year):
            table_org = org
            break

    first, last = table.first_row, table.last_row
    n = last - first + 1
    frame = sheet.frame.slice(first, n)
    value_cols = [f"c{p.vc.col}" for p in plans]
    values = grid.values.slice(first, n).select(value_cols)
    status = grid.status.slice(first, n).select(value_cols)
    has_value = (
        status.select(pl.any_horizontal(pl.col(c).is_in([NUMBER, ZERO]) for c in value_cols))
        .to_series()
        .to_list()
    )

    roles = table.roles
    role_cols: dict[str, list[int]] = {}
    for c in table.label_columns:
        role_cols.setdefault(roles[c], []).append(c)
    unknown: set[str] = set()
    year = doc.doc_year

    def role_text(role: str) -> pl.Expr:
        cols = [
            pl.col(f"c{c}").str.replace_all(r"\s+", " ").str.strip_chars().replace("", None)
            for c in role_cols.get(role, [])
        ]
        if not cols:
            return pl.lit(None, dtype=pl.String)
        return pl.concat_str(cols, separator=" – ", ignore_nulls=True).replace("", None)

    texts = frame.select(
        role_text("label").alias("label"),
        role_text("org").alias("org"),
        role_text("item").alias("item"),
        role_text("kommundel").alias("kommundel"),
    )
    texts = texts.with_columns(
        text=pl.concat_str(["org", "label", "item"], separator=" ", ignore_nulls=True).replace(
            "", None
        ),
        org_filled=pl.col("org").forward_fill(),
    )
    folded = _fold_expr(pl.col("text"))
    flags = texts.select(
        is_total=folded.str.contains(_TOTAL.pattern).fill_null(True),
        is_below=folded.str.contains(_BELOW.pattern).fill_null(False),
        label_org=_resolve(texts["label"], year),
        org_res=_resolve(texts["org_filled"], year),
    )
    label_l = texts["label"].to_list()
    org_l = texts["org_filled"].to_list()
    item_l = texts["item"].to_list()
    kdel_l = texts["kommundel"].to_list()
    text_l = texts["text"].to_list()
    total_l = flags["is_total"].to_list()
    below_l = flags["is_below"].to_list()
    label_org_l = flags["label_org"].to_list()
    org_res_l = flags["org_res"].to_list()
    two_level = bool(role_cols.get("org") or role_cols.get("item"))

    kinds: list[str] = [""] * n
    orgs: list[str | None] = [None] * n
    items: list[str | None] = [None] * n
    kdels: list[str | None] = [None] * n
    pending: dict[int, list[int]] = {}  # organisation row → the unknown rows below it
    heading_org: str | None = None  # from a heading row without amounts
    org_row: int | None = None  # the last row whose label is an organisation, with amounts
    below_from: int | None = None

    for i in range(n):
        if below_from is not None:
            kinds[i] = "below"
            continue
        if not has_value[i]:
            kinds[i] = "heading"
            if label_org_l[i]:
                heading_org, org_row = label_org_l[i], None
            continue
        if below_l[i]:
            below_from = i
            kinds[i] = "below"
            continue
        if total_l[i]:
            kinds[i] = "total"
            org_row = None
            continue
        kinds[i] = "data"
        kdels[i] = kdel_l[i]
        if two_level:
            name = org_l[i]
            if name:
                orgs[i] = org_res_l[i]
                if orgs[i] is None:
                    orgs[i] = name
                    unknown.add(name)
            else:
                orgs[i] = heading_org or table_org
            items[i] = item_l[i] or label_l[i] or name
        else:
            items[i] = label_l[i]
            found = label_org_l[i]
            if found:
                orgs[i] = found
                org_row = i
                pending[i] = []
            elif org_row is not None:
                pending[org_row].append(i)
            else:
                orgs[i] = heading_org or table_org
    labels = text_l

    # An organisation's row with amounts followed by unknown rows heads a group only when
    # the rows add up to it; otherwise they are organisations of their own (one level).
    amount_lists = [
        [None if v is None else v * p.factor for v in values[f"c{p.vc.col}"].to_list()]
        for p in plans
    ]
    for g, members in pending.items():
        if not members:
            continue
        adds_up = False
        for p, vals in zip(plans, amount_lists, strict=True):
            if vals[g] is None:
                continue
            total = sum(vals[m] or 0.0 for m in members)
            adds_up = abs(vals[g] - total) <= 0.5 * p.factor * (len(members) + 1) + 1
            if not adds_up:
                break
        if adds_up:
            kinds[g] = "group_total"
            for m in members:
                orgs[m] = orgs[g]
        else:
            for m in members:
                orgs[m] = heading_org or table_org

    for i in range(n):
        if kinds[i] == "data" and orgs[i] is None:
            if budget_kind == "investering":
                orgs[i] = registry.normalise("Kommunen", year) or "Kommunen"
            else:
                orgs[i] = items[i]
                unknown.add(items[i])

    if unknown:
        messages.append(
            "okända organisationer (ej i registret), behållna med publicerat namn: "
            + ", ".join(sorted(unknown)[:20])
        )

    rows = pl.DataFrame(
        {
            "i": pl.Series(range(n), dtype=pl.Int64),
            "kind": kinds,
            "organisation": pl.Series(orgs, dtype=pl.String),
            "line_item": pl.Series(items, dtype=pl.String),
            "kommundel": pl.Series(kdels, dtype=pl.String),
            "label": pl.Series(labels, dtype=pl.String),
        }
    )
    amounts = (
        pl.DataFrame(
            {
                f"c{p.vc.col}": pl.Series(v, dtype=pl.Float64)
                for p, v in zip(plans, amount_lists, strict=True)
            }
        )
        if plans
        else values
    )
    rows = pl.concat(
        [rows, amounts, status.rename({c: f"s_{c}" for c in value_cols})], how="horizontal"
    )

    # Signs: costs and allocations positive. Decided per table from the line items' sum.
    cost_cols = [f"c{p.vc.col}" for p in plans if p.measure in COST_MEASURES]
    data = rows.filter(pl.col("kind") == "data")
    sign = 1
    sign_note = "kostnader positiva i källan; inga tecken vända"
    if cost_cols:
        total = data.select(
            pl.sum_horizontal(pl.col(c).fill_null(0).sum() for c in cost_cols)
        ).item()
        if total is not None and total < 0:
            sign = -1
            sign_note = (
                "kostnader visas som negativa tal i källan; tecknen vändes så att kostnader "
                "är positiva"
            )

    for p in plans:
        shown = values[f"c{p.vc.col}"].drop_nulls()
        p.decimals = (
            next(
                (
                    d
                    for d in range(5)
                    if ((shown * 10**d) - (shown * 10**d).round(0)).abs().max() < 1e-6
                ),
                5,
            )
            if len(shown)
            else 0
        )
    recon = _reconcile(rows, plans, table, sheet, first, file_name)
    avv_sign, avv_notes = _avvikelse_signs(data, plans, sign)
    messages.extend(_check_differences(data, plans, first))

    parts = []
    for p in plans:
        if p.measure is None or p.measure == "difference":
            continue
        col = f"c{p.vc.col}"
        mult = avv_sign.get(col, 1) if p.measure == "avvikelse" else sign
        letter = column_letter(p.vc.abs_col)
        parts.append(
            data.filter(pl.col(f"s_{col}").is_in([NUMBER, ZERO])).select(
                pl.lit(doc.doc_year, dtype=pl.Int32).alias("doc_year"),
                pl.lit(p.year, dtype=pl.Int32).alias("year"),
                pl.lit(doc.kind).alias("document"),
                pl.lit(p.actor).alias("actor"),
                pl.lit(budget_kind).alias("budget_kind"),
                pl.lit(p.period, dtype=pl.String).alias("period"),
                pl.col("organisation"),
                pl.col("line_item"),
                pl.lit(p.measure).alias("measure"),
                (pl.col(col) * mult).round(2).alias("amount_sek"),
                pl.lit(sheet.name).alias("source_sheet"),
                (pl.lit(letter) + (pl.col("i") + first + 1).cast(pl.String)).alias("source_cell"),
                pl.col("kommundel"),
            )
        )
    facts = pl.concat(parts) if parts else pl.DataFrame(schema=FACT_SCHEMA)
    facts = facts.with_columns(pl.col("amount_sek").fill_nan(None)).filter(
        pl.col("amount_sek").is_not_null()
    )

    # What was read as zero, missing or text, per column, over line items only.
    cell_report = {}
    for p in plans:
        col = f"s_c{p.vc.col}"
        counts = data[col].value_counts()
        counted = dict(zip(counts[col].to_list(), counts["count"].to_list(), strict=True))
        dash = int(counted.get(ZERO, 0))
        zero_numbers = int(
            data.filter((pl.col(col) == NUMBER) & (pl.col(f"c{p.vc.col}") == 0)).height
        )
        text_cells = data.filter(pl.col(col) == TEXT)["i"].head(5).to_list()
        cell_report[p.vc.header_cell] = {
            "rubrik": p.vc.meaning.text,
            "mått": p.measure,
            "år": p.year,
            "period": p.period,
            "aktör": p.actor,
            "enhet": p.unit,
            "tal": int(counted.get(NUMBER, 0)),
            "noll (0)": zero_numbers,
            "noll (streck)": dash,
            "saknas (tom)": int(counted.get(MISSING, 0)),
            "text (ej tal, saknas)": [
                f"{cell_ref(first + i, p.vc.abs_col)} '{frame[i, p.vc.col]}'" for i in text_cells
            ],
        }
        if p.note:
            cell_report[p.vc.header_cell]["anmärkning"] = p.note
    n_below = kinds.count("below")
    report = {
        "blad": sheet.name,
        "område": table.range_ref(sheet),
        "budgetslag": budget_kind,
        "tecken": sign_note,
        "avvikelse": avv_notes,
        "rader": {
            "poster": kinds.count("data"),
            "summor": kinds.count("total") + kinds.count("group_total"),
            "rubriker": kinds.count("heading"),
            "under verksamhetens nettokostnad (ej fakta)": n_below,
        },
        "kolumner": cell_report,
        "fakta": facts.height,
    }
    if table.ignored_columns:
        report["ignorerade kolumner"] = table.ignored_columns
    if table_org:
        report["organisation ur titel"] = table_org
    if n_below:
        messages.append(
            f"blad '{sheet.name}': {n_below} rader från "
            f"'{labels[below_from]}' ({cell_ref(first + below_from, sheet.columns[table.label_columns[0]] if table.label_columns else 0)}) "
            "och nedåt är inte nämndernas kostnader och blev inga fakta"
        )
    return TableResult(facts, recon, report, messages, unknown)


def _reconcile(
    rows: pl.DataFrame,
    plans: list[ColumnPlan],
    table: Table,
    sheet: Sheet,
    first: int,
    file_name: str,
) -> list[dict[str, Any]]:
    """Each total row against the line items it covers: since the previous total, or all."""
    kinds = rows["kind"].to_list()
    totals = [i for i, k in enumerate(kinds) if k in ("total", "group_total")]
    if not totals:
        return []
    out = []
    range_ref = table.range_ref(sheet)
    for p in plans:
        col = f"c{p.vc.col}"
        vals = rows[col].to_list()
        stats = rows[f"s_{col}"].to_list()
        block = 0.0
        block_n = 0
        run = 0.0
        run_n = 0
        group: tuple[int, float] | None = None  # (row, value) of an open group total
        group_sum = 0.0
        group_n = 0

        def close_group(p: ColumnPlan = p) -> None:
            nonlocal group, group_sum, group_n
            if group is not None:
                out.append(
                    _recon_row(
                        p,
                        table,
                        sheet,
                        first,
                        file_name,
                        range_ref,
                        rows,
                        group[0],
                        group[1],
                        group_sum,
                        group_n,
                    )
                )
            group, group_sum, group_n = None, 0.0, 0

        for i, kind in enumerate(kinds):
            v = vals[i] if stats[i] in (NUMBER, ZERO) else None
            if kind == "data":
                x = v or 0.0
                block += x
                run += x
                block_n += 1
                run_n += 1
                if group is not None:
                    group_sum += x
                    group_n += 1
            elif kind == "group_total":
                close_group()
                if v is not None:
                    group = (i, v)
            elif kind == "total":
                close_group()
                if v is None:
                    continue
                # the nearest candidate: the items since the last total, or all items
                candidates = [(block, block_n), (run, run_n)]
                computed, terms = min(candidates, key=lambda c: abs(v - c[0]))
                out.append(
                    _recon_row(
                        p, table, sheet, first, file_name, range_ref, rows, i, v, computed, terms
                    )
                )
                block, block_n = 0.0, 0
            elif kind == "below":
                break
        close_group()
    return out


def _recon_row(p, table, sheet, first, file_name, range_ref, rows, i, expected, computed, terms):
    diff = round(expected - computed, 2)
    if abs(diff) < 1:
        status = "ok"
    elif (step := p.factor / 10**p.decimals) > 1 and abs(diff) <= 0.5 * step * (terms + 1):
        # published figures are rounded to the shown precision; their sum may miss the
        # published total by up to half a step per term
        status = "avrundning"
    else:
        status = "differens"
    return {
        "source_file": file_name,
        "source_sheet": sheet.name,
        "table_range": range_ref,
        "total_label": rows["label"][i],
        "total_cell": cell_ref(first + i, p.vc.abs_col),
        "measure": p.measure,
        "year": p.year,
        "period": p.period,
        "expected_sek": round(expected, 2),
        "computed_sek": round(computed, 2),
        "difference_sek": diff,
        "terms": terms,
        "status": status,
    }


def _avvikelse_signs(data: pl.DataFrame, plans: list[ColumnPlan], sign: int):
    """For each avvikelse column, the multiplier that makes positive = better than budget.

    Checked against budget − outcome (prognos or utfall of the same period) on the line items;
    a column that matches nothing is kept as published (the Swedish convention).
    """
    result: dict[str, int] = {}
    notes: list[str] = []
    for a in plans:
        if a.measure != "avvikelse":
            continue
        acol = f"c{a.vc.col}"
        best = None
        for b in plans:
            if b.measure != "budget" or b.period != a.period:
                continue
            for o in plans:
                if o.measure not in ("prognos", "utfall") or o.period != a.period:
                    continue
                if o.year != b.year:
                    continue
                check = data.select(
                    av=pl.col(acol),
                    diff=(pl.col(f"c{b.vc.col}") - pl.col(f"c{o.vc.col}")) * sign,
                ).drop_nulls()
                if check.height == 0:
                    continue
                tol = 0.5 * a.factor + 1
                same = check.filter((pl.col("av") - pl.col("diff")).abs() <= tol).height
                opposite = check.filter((pl.col("av") + pl.col("diff")).abs() <= tol).height
                candidate = (max(same, opposite), same >= opposite, b, o, check.height)
                if best is None or candidate[0] > best[0]:
                    best = candidate
        header = f"{a.vc.header_cell} '{a.vc.meaning.text}'"
        if best is None or best[0] == 0:
            result[acol] = 1
            notes.append(
                f"{header}: kunde inte kontrolleras mot budget och prognos/utfall; "
                "antas positiv = bättre än budget, som publicerad"
            )
        elif best[1]:
            result[acol] = 1
            notes.append(
                f"{header}: = budget − {best[3].measure} på {best[0]} av {best[4]} rader; "
                "positiv = bättre än budget redan i källan"
            )
        else:
            result[acol] = -1
            notes.append(
                f"{header}: = {best[3].measure} − budget på {best[0]} av {best[4]} rader; "
                "tecknet vändes så att positiv = bättre än budget"
            )
    return result, notes


def _check_differences(data: pl.DataFrame, plans: list[ColumnPlan], first: int) -> list[str]:
    """A "Differens" column is not stored; it must equal one ram minus the other."""
    notes = []
    for d in plans:
        if d.measure != "difference":
            continue
        header = f"{d.vc.header_cell} '{d.vc.meaning.text}'"
        rams = [p for p in plans if p.measure in ("budget", "plan") and p is not d]
        best = None
        for a in rams:
            for b in rams:
                if a is b:
                    continue
                check = data.select(
                    pl.col("i"),
                    d=pl.col(f"c{d.vc.col}"),
                    diff=pl.col(f"c{a.vc.col}") - pl.col(f"c{b.vc.col}"),
                ).drop_nulls()
                if check.height == 0:
                    continue
                ok = check.filter((pl.col("d") - pl.col("diff")).abs() <= 0.5 * d.factor + 1)
                if best is None or ok.height > best[0]:
                    bad = check.filter((pl.col("d") - pl.col("diff")).abs() > 0.5 * d.factor + 1)
                    best = (ok.height, check.height, a, b, bad["i"].to_list())
        if best is None:
            notes.append(
                f"{header}: differens kunde inte kontrolleras (inga två ramar att jämföra)"
            )
            continue
        ok, total, a, b, bad = best
        who = f"'{a.vc.meaning.text}' − '{b.vc.meaning.text}'"
        if ok == total:
            notes.append(
                f"{header}: sparas inte som fakta; stämmer med {who} på alla {total} rader"
            )
        else:
            cells = ", ".join(f"{column_letter(d.vc.abs_col)}{first + i + 1}" for i in bad[:10])
            notes.append(
                f"{header}: sparas inte som fakta; stämmer med {who} på {ok} av {total} rader, "
                f"inte i {cells}"
            )
    return notes
