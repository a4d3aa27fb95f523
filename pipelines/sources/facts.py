"""One table → facts: row roles, organisations, units, signs, and reconciliation to totals.

Rows are line items, headings (no amounts), totals ("Summa", "Totalt", an organisation's
own row above its verksamheter) or rows below the operating result (skatteintäkter,
finansnetto, resultat), which are not nämnd costs. Only line items become facts; totals
are compared with the line items they cover, per column, to the krona.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import polars as pl

from pipelines import fmt, registry
from pipelines.read.files import Sheet, cell_ref, column_letter
from pipelines.read.headers import ColumnMeaning, find_unit, fold, parse_header
from pipelines.read.numbers import CELL_UNIT, ERROR, EXCEL_ERROR, MISSING, NUMBER, TEXT, ZERO
from pipelines.read.tables import Grid, Table, ValueColumn
from pipelines.read.xlsx_head import format_text
from pipelines.sources.document import DocumentInfo, sheet_year
from pipelines.sources.store import LONG_FIELDS

_TOTAL = re.compile(
    r"^(summa|s:a|s\.a\.|totalt|total|totala|totalsumma|delsumma|delsummor|sum|netto totalt|"
    r"nettokostnad totalt|kommunen totalt|hela kommunen|samtliga|nämnderna totalt|"
    r"verksamhetens nettokostnad(er)?|nämndernas nettokostnad(er)?|"
    r"(netto|nettokostnad(er)?),? (för )?nämnder(na)?)\b"
    r"|\b(totalt|summa|total)$"
    # "Nettokostnad" alone under intäkter and kostnader: their sum, not a line of its own;
    # "Nämnderna" alone under the nämnder: theirs
    r"|^(netto|nettokostnad(er)?|nämnderna)$"
)
_BELOW = re.compile(
    r"skatteintäkter|generella statsbidrag|statsbidrag och utjämning|\bfinansnetto|"
    r"finansiella (intäkter|kostnader|poster)|årets resultat|^resultat\b|resultat före|"
    r"resultat efter|kommunalekonomisk utjämning|utjämningssystem|kommunal fastighetsavgift|"
    r"skatter och bidrag|^skatter\b|balanskravsresultat"
)
_INVEST = re.compile(r"investering|\binvest\b|projekt")
# The kommun's financial statements: its result, balance and cash flow, not the nämnder's
# costs. Their intäkter, kostnader and avskrivningar would be read as organisations.
_STATEMENT = re.compile(
    r"\b(resultaträkning|balansräkning|kassaflödesanalys|kassaflödesrapport)(en)?\b"
)
_NOTE_HEADER = re.compile(r"^(not|noter|not nr|not\.|not nr\.)$")
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
            # "fastställd av kommunfullmäktige", "beslut i KS": who decided, not whose table
            pattern = r"(?<!\w)(?<!\bav )(?<!\bi )(?<!\btill )(?<!\bfrån )(?<!\benligt )"
            if re.search(pattern + re.escape(label_key) + r"(?!\w)", key):
                if best is None or len(label_key) > best[0]:
                    best = (len(label_key), _lookup(org.name, year) or org.name)
    return best[1] if best else None


# Words without which a label cannot be a total or a row below the operating result: a fast
# substring prefilter (ASCII case folded; parts of words where å, ä, ö would need folding),
# so the regular expressions run on a few rows only.
_TOTAL_WORDS = ["summa", "s:a", "s.a.", "total", "sum", "netto", "kommunen", "samtliga",
                "mnderna", "verksamhetens"]  # fmt: skip
_BELOW_WORDS = ["skatt", "statsbidrag", "finans", "resultat", "utj", "fastighetsavgift"]


# "varav kommunledningskontoret", "– därav lokaler": a part of the row above, already in it
_DETAIL = re.compile(r"^-?\s*(varav|därav)\b")
# a footnote under the table ("1) Inklusive 12,5 mnkr i statsbidrag", "* Exkl. pensioner",
# "Not 2: ...", "Källa: ..."), even with a number in an amount column: never a line item
_FOOTNOTE = r"(?i)^\s*(\(?\d{1,2}\)|\*+|[¹²³⁴⁵⁶⁷⁸⁹†]+)\s*\S|^\s*(fot)?(not|anm|anmärkning|obs|källa)\s*\d*\s*[:.)!]"


def _row_flags(text: pl.Series, own_text: pl.Series | None = None) -> pl.DataFrame:
    """is_total, is_below, is_detail and is_note for each row's label text (no text at all:
    a total). `own_text` is the row's own line text (the verksamhet in a Nämnd | Verksamhet
    table) that a varav row starts with; by default the label text."""
    n = len(text)
    is_total = text.is_null()
    is_below = pl.repeat(False, n, dtype=pl.Boolean, eager=True)
    is_detail = pl.repeat(False, n, dtype=pl.Boolean, eager=True)
    own = text if own_text is None else own_text
    # one pass over the labels finds the few that hold any of the words
    words = ["rav", *_TOTAL_WORDS, *_BELOW_WORDS]
    maybe = text.str.contains_any(words, ascii_case_insensitive=True).fill_null(False)
    if own_text is not None:
        maybe = maybe | own.str.contains_any(["rav"], ascii_case_insensitive=True).fill_null(False)
    idx = maybe.arg_true()
    if len(idx):
        hits = pl.DataFrame({"t": text.gather(idx), "o": own.gather(idx)}).select(
            t=_fold_expr(pl.col("t")).str.contains(_TOTAL.pattern).fill_null(False),
            b=_fold_expr(pl.col("t")).str.contains(_BELOW.pattern).fill_null(False),
            d=_fold_expr(pl.col("o")).str.contains(_DETAIL.pattern).fill_null(False),
        )
        is_total = is_total.scatter(idx, hits["t"] | is_total.gather(idx))
        is_below = is_below.scatter(idx, hits["b"])
        is_detail = is_detail.scatter(idx, hits["d"])
    is_note = text.str.contains(_FOOTNOTE).fill_null(False)
    return pl.DataFrame(
        {"is_total": is_total, "is_below": is_below, "is_detail": is_detail, "is_note": is_note}
    )


# a note marker after a label: "Revisionen*", "Kommunstyrelsen ¹", "Kommunstyrelsen 1)"
_NOTE_MARK = r"(\s*[*¹²³⁴⁵⁶⁷⁸⁹†]+|\s+\(?\d\))\s*$"


# characters that show nothing: soft hyphens and zero-width spaces from text pasted out of
# a PDF or Word ("Kommun\u00adstyrelsen" is Kommunstyrelsen)
_INVISIBLE = r"[\u00ad\u200b-\u200d\u2060\ufeff]"


def _clean_labels(labels: pl.Series) -> pl.Series:
    """Labels with runs of whitespace as one space, invisible characters removed, trimmed,
    a trailing note marker removed, empty as null; only the few labels that need it are
    rewritten."""
    idx = (
        labels.str.contains(r"^\s|\s$|\s\s|[^\S ]|" + _INVISIBLE + "|" + _NOTE_MARK)
        .fill_null(False)
        .arg_true()
    )
    if len(idx) == 0:
        return labels
    fixed = (
        labels.gather(idx)
        .str.replace_all(_INVISIBLE, "")
        .str.replace_all(r"\s+", " ")
        .str.replace(_NOTE_MARK, "")
        .str.strip_chars()
        .replace("", None)
    )
    return labels.scatter(idx, fixed)


def _join_wrapped(labels: pl.Series, has_value: pl.Series) -> pl.Series:
    """Labels a conversion from PDF broke over two rows, one of them without amounts
    ("Kultur- och" above "fritidsnämnden", "Arbets- och näringslivs-" above "nämnden"):
    joined on the row with the amounts, the other row's label left empty. Only where the
    upper part ends in a hyphen, "och" or "samt" and the lower starts in lower case, as no
    name does."""
    lower = labels.str.contains(r"^[a-zåäöéü]").fill_null(False).arg_true().to_list()
    if not lower:
        return labels
    out, has = labels.to_list(), has_value.to_list()
    for i in lower:
        above, below = (out[i - 1], out[i]) if i else (None, None)
        if above is None or below is None or has[i - 1] == has[i]:
            continue
        if not re.search(r"\w-$|\s(och|samt)$", above) or re.match(r"(varav|därav)\b", below):
            continue
        if above.endswith("-") and not re.match(r"(och|samt)\b", below):
            joined = above[:-1] + below  # "näringslivs-" + "nämnden"
        else:
            joined = f"{above} {below}"
        keep, drop = (i - 1, i) if has[i - 1] else (i, i - 1)
        out[keep], out[drop] = joined, None
    return pl.Series(labels.name, out, dtype=pl.String)


def _fold_expr(col: pl.Expr) -> pl.Expr:
    """`fold` as a polars expression: lower case, one kind of dash, single spaces."""
    text = col.str.to_lowercase().str.replace_all(r"[\u2010-\u2015\u2212]", "-")
    return text.str.replace_all(r"[\s\u00a0]+", " ").str.strip_chars()


def _cheap_key(col: pl.Expr) -> pl.Expr:
    """A coarse comparison key (letters and digits only) for a fast first pass: two names
    with the same `registry.name_key` always share it."""
    t = col.str.to_lowercase().str.replace_all(r"nämnden\b", "nämnd")
    t = t.str.replace(r"^\s*(den|de)\s+", "")
    return t.str.replace_all(r"[^\p{L}\p{N}]+", "")


@lru_cache(maxsize=4)
def _registry_keys() -> list[str]:
    labels = [label for org in registry.load_registry() for label in (org.name, *org.aliases)]
    return (
        pl.Series(labels, dtype=pl.String)
        .to_frame("n")
        .select(_cheap_key(pl.col("n")))
        .to_series()
        .unique()
        .to_list()
    )


def _resolve(names: pl.Series, year: int | None) -> pl.Series:
    """The registry name for each published name (null when unknown), looked up once per
    distinct name and only for names whose coarse key the registry holds."""
    distinct = names.drop_nulls().unique()
    # "1100 Kommunstyrelsen", "3. Socialnämnden": an account or list number before the name
    # ... and "Utbildningsnämnden (UN)", "Tekniska nämnden, TN": its abbreviation after it
    bare = distinct.str.replace(r"^\d[\d .:)-]*\s+", "").str.replace(
        r"\s*(\(\p{Lu}{1,6}\)|,\s*\p{Lu}{1,6}|\s[-–]\s*\p{Lu}{1,6})$", ""
    )
    keys = bare.to_frame("n").select(_cheap_key(pl.col("n"))).to_series()
    hit = keys.is_in(_registry_keys()).fill_null(False)
    mapping = {
        name: _lookup(plain, year)
        for name, plain in zip(
            distinct.filter(hit).to_list(), bare.filter(hit).to_list(), strict=True
        )
    }
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
class StoredColumn:
    """One value column that becomes facts: where its amounts are and what they mean."""

    column: str
    multiplier: int  # 1, or -1 where the source's sign convention is flipped
    year: int
    period: str | None
    actor: str
    measure: str
    letter: str  # the column's letter, for source_cell
    step: float = 1.0  # the source's shown precision in kronor (rounding tolerance)
    excluded: set[int] = field(default_factory=set)  # rows whose amount another table details


@dataclass
class TableResult:
    """A table's line items (wide: one row per line, one column per value column)."""

    lines: pl.DataFrame
    stored: list[StoredColumn]
    first_row: int
    sheet: str
    document: str
    doc_year: int | None
    budget_kind: str
    facts: int
    reconciliation: list[dict[str, Any]] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    unknown_orgs: set[str] = field(default_factory=set)


# a fact as the workbook importer builds it: fact_rows' columns less the document's own
FACT_SCHEMA = {k: v for k, v in LONG_FIELDS.items() if k not in ("doc_id", "source_file")}


def _unit_for(table: Table, vc: ValueColumn, sheet_texts: list[str], doc_texts: list[str]):
    for text in [vc.meaning.text, *reversed(table.context), *sheet_texts, *doc_texts]:
        if unit := find_unit(text):
            return unit, text
    return None, None


def _cell_units(sheet: Sheet, table: Table) -> dict[int, list[tuple[str, int]]]:
    """The units each value column's cells write after their numbers ("1 234 tkr",
    "6,0 mnkr", "500 000:-"), by frame column; columns whose cells write none are left out."""
    # numbers read typed carry no text; only text columns can write a unit
    cols = [vc.col for vc in table.value_columns if sheet.frame[:, vc.col].dtype == pl.String]
    if not cols:
        return {}
    n = table.last_row - table.first_row + 1
    frame = sheet.text_frame(table.first_row, n, cols)
    out = {}
    for col, name in zip(cols, frame.columns, strict=True):
        found = frame[name].str.extract_groups(CELL_UNIT).struct.unnest()
        words = pl.concat([found[:, 1].drop_nulls(), found[:, 2].drop_nulls().replace(":-", "kr")])
        units = {find_unit(w) for w in words.unique().to_list()}
        if units:
            out[col] = sorted(units)
    return out


def plan_columns(
    table: Table,
    doc: DocumentInfo,
    sheet_texts: list[str],
    doc_texts: list[str],
    cell_units: dict[int, list[tuple[str, int]]] | None = None,
    sheet_name: str | None = None,
) -> tuple[list[ColumnPlan], list[str]]:
    """Measure, year, period, actor and unit for each value column of a table.

    A header without a year takes the year of its sheet's name ("MoB 2026"), else the
    document's; "Plan år 2", "Plan +1" and plain "Plan | Plan" the years after it."""
    plans, messages = [], []
    own = sheet_year(sheet_name) if sheet_name else None
    base = own or doc.doc_year
    if own:
        base_from = f"bladnamnet '{sheet_name}'"
    else:
        # where the document's year was read ("filnamnet ('budget 2026')")
        said = f"år {doc.doc_year} ur "
        base_from = next(
            (r.removeprefix(said) for r in doc.reasons if r.startswith(said)), "dokumentets år"
        )
    plan_years = _plan_years(table, base, base_from)
    # "Jan | Feb | Mar" under "Utfall": each month's own figure, not January to that month
    lone_months = {
        v.meaning.period_month
        for v in table.value_columns
        if v.meaning.lone_month and v.meaning.measure in ("utfall", "budget", "avvikelse")
    }
    # "Budget | Justerad budget": the year's outcome is measured against the revised budget;
    # the one before revision is the Mål och budget document's own fact
    revised = {
        (v.meaning.year or base, v.meaning.period_month, v.meaning.actor)
        for v in table.value_columns
        if v.meaning.measure == "budget" and v.meaning.revised
    }
    for vc in table.value_columns:
        m = vc.meaning
        unit, _ = _unit_for(table, vc, sheet_texts, doc_texts)
        in_cells = (cell_units or {}).get(vc.col, [])
        mixed = len(in_cells) > 1
        if mixed:
            unit_name, factor = "olika enheter i cellerna", 1
        elif len(in_cells) == 1 and (unit is None or in_cells[0][0] != "kr"):
            # a unit written beside each number is the nearest statement of it, unless it
            # is plain "kr" under a table that states its own (as for the currency format)
            if unit and unit != in_cells[0]:
                messages.append(
                    f"{vc.header_cell} '{m.text}': cellerna skriver '{in_cells[0][0]}' vid "
                    f"talen fast tabellen anger {unit[0]}; cellernas enhet används"
                )
            unit_name, factor = f"{in_cells[0][0]} (skriven i cellerna)", in_cells[0][1]
        elif unit is None:
            unit_name, factor = "kr (antagen: ingen enhet angiven)", 1
            messages.append(
                f"{vc.header_cell} '{m.text}': ingen enhet angiven i tabell, blad eller titel; "
                "beloppen tolkas som kronor"
            )
        else:
            unit_name, factor = unit
        measure = m.measure
        note = None
        if mixed:
            # "500 tkr" above "2,5 mnkr": one unit for the column would misread some cells
            said = ", ".join(u[0] for u in in_cells)
            note = f"cellerna skriver olika enheter ({said}); hoppas över"
            measure = None
        elif (
            len(lone_months) > 1 and m.lone_month and m.measure in ("utfall", "budget", "avvikelse")
        ):
            note = (
                "en enskild månads belopp (inte januari t.o.m. månaden, som en period "
                "betyder här); sparas inte"
            )
            measure = None
        elif (
            measure == "budget"
            and not m.revised
            and (m.year or base, m.period_month, m.actor) in revised
        ):
            note = "budgeten före justering, bredvid den justerade som sparas; sparas inte"
            measure = None
        elif measure == "generic" and m.year and doc.doc_year and doc.kind in ("budget", "forslag"):
            # a column headed by its year only: earlier years are outcomes, the document's
            # year and the one before are budgets, later years are plan
            if m.year < doc.doc_year - 1:
                measure = "utfall"
            elif m.year <= doc.doc_year:
                measure = "budget"
            else:
                measure = "plan"
            messages.append(
                f"{vc.header_cell} '{m.text}': rubriken säger bara år; tolkas som {measure} "
                f"i ett dokument för {doc.doc_year}"
            )
        elif measure == "generic":
            measure = DEFAULT_MEASURE.get(doc.kind)
            if measure is None:
                note = "kolumnen säger inte om det är budget, utfall eller prognos; hoppas över"
        year = m.year or base
        if vc.col in plan_years:
            year, said = plan_years[vc.col]
            messages.append(f"{vc.header_cell} '{m.text}': {said}")
        elif not m.year and own and own != doc.doc_year and measure:
            messages.append(
                f"{vc.header_cell} '{m.text}': rubriken har inget år; {own} ur {base_from}"
            )
        if year and m.years_back:
            year -= m.years_back
        if (
            doc.kind == "budget"
            and measure == "budget"
            and year
            and doc.doc_year
            and year > doc.doc_year
        ):
            # "Kommunbidrag 2027" in Mål och budget 2026: a later year of a budget is plan,
            # as a column headed by its year only is
            measure = "plan"
        period = None
        if measure and measure != "difference" and year is None:
            note = "kolumnen har inget år och dokumentets år är okänt (ange --year); hoppas över"
            measure = None
        elif measure == "prognos" and m.earlier_forecast:
            note = "en tidigare prognos än rapportens egen; en jämförelse, sparas inte"
            measure = None
        elif measure == "prognos":
            # a prognos is always for the whole year; a month or tertial in its header says
            # when it was made ("Prognos delår 1", "Prognos 2026 (T2)")
            made = m.period_month if not m.full_year and (m.period_month or 12) < 12 else None
            if made and year == doc.doc_year and doc.kind in ("delarsrapport", "bokslut"):
                doc_month = 12 if doc.kind == "bokslut" else doc.period_month
                if doc_month:
                    earlier = made < doc_month
                else:
                    # the report's own period unknown: beside a plain prognos, the marked
                    # one is the earlier report's
                    earlier = any(
                        v.meaning.measure == "prognos"
                        and (v.meaning.full_year or not v.meaning.period_month)
                        for v in table.value_columns
                    )
                if earlier:
                    own = doc.period or ("helår" if doc.kind == "bokslut" else "period okänd")
                    note = (
                        f"prognos från en tidigare rapport (t.o.m. {year}-{made:02d}) än "
                        f"dokumentets ({own}); en jämförelse, sparas inte"
                    )
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
    return plans, messages


def _org_of_rows(
    texts: pl.DataFrame, flags: pl.DataFrame, has_value: pl.Series, two_level: bool
) -> tuple[pl.Series, pl.Series, list[tuple[int, list[int]]]]:
    """Row kinds, organisations (None: to be decided) and the heading organisation rows.

    Single-column tables need the row order (an organisation's row heads the verksamheter
    below it); two-column tables (Nämnd | Verksamhet) are done in bulk.
    """
    n = texts.height
    if two_level:
        below_rows = (flags["is_below"] & has_value & ~flags["is_detail"]).arg_true()
        below_from = int(below_rows[0]) if len(below_rows) else n
        frame = pl.DataFrame(
            {
                "i": pl.int_range(n, eager=True),
                "has": has_value,
                "detail": flags["is_detail"],
                "note": flags["is_note"],
                "total": flags["is_total"],
                "org_res": flags["org_res"],
                "org_filled": texts["org_filled"],
                "label_org": flags["label_org"],
            }
        ).with_columns(heading_org=pl.when(~pl.col("has")).then(pl.col("label_org")).forward_fill())
        out = frame.select(
            kind=pl.when(pl.col("i") >= below_from)
            .then(pl.lit("below"))
            .when(~pl.col("has"))
            .then(pl.lit("heading"))
            .when(pl.col("note"))
            .then(pl.lit("note"))
            .when(pl.col("detail"))
            .then(pl.lit("detail"))
            .when(pl.col("total"))
            .then(pl.lit("total"))
            .otherwise(pl.lit("data")),
            org=pl.coalesce("org_res", "org_filled", "heading_org"),
        )
        kinds = out["kind"]
        # A row with only the organisation's name and amounts, above rows of its own
        # verksamheter, is the organisation's subtotal when they add up to it.
        lone = (
            ((out["kind"] == "data") & texts["org"].is_not_null() & texts["item"].is_null())
            .arg_true()
            .to_list()
        )
        groups = []
        if lone:
            kinds_l = kinds.to_list()
            org_l = texts["org_filled"].to_list()
            item_null = texts["item"].is_null().to_list()
            for g in lone:
                members = []
                r = g + 1
                while (
                    r < n and kinds_l[r] in ("data", "heading", "detail") and org_l[r] == org_l[g]
                ):
                    if kinds_l[r] == "data":
                        if item_null[r]:
                            break
                        members.append(r)
                    r += 1
                if members:
                    groups.append((g, members))
        return kinds, out["org"], groups

    label_org_l = flags["label_org"].to_list()
    total_l = flags["is_total"].to_list()
    below_l = flags["is_below"].to_list()
    detail_l = flags["is_detail"].to_list()
    note_l = flags["is_note"].to_list()
    has_l = has_value.to_list()
    kinds: list[str] = [""] * n
    orgs: list[str | None] = [None] * n
    pending: dict[int, list[int]] = {}
    heading_org: str | None = None
    org_row: int | None = None
    below = False
    for i in range(n):
        if below:
            kinds[i] = "below"
        elif not has_l[i]:
            kinds[i] = "heading"
            if label_org_l[i]:
                heading_org, org_row = label_org_l[i], None
        elif note_l[i]:
            kinds[i] = "note"
        elif detail_l[i]:
            # "varav ...": a part of the row above, already counted in it
            kinds[i] = "detail"
        elif below_l[i]:
            below = True
            kinds[i] = "below"
        elif total_l[i]:
            kinds[i] = "total"
            # rows after "Summa nämnder" belong to no nämnd heading above it
            org_row = heading_org = None
        else:
            kinds[i] = "data"
            if label_org_l[i]:
                orgs[i] = label_org_l[i]
                org_row = i
                pending[i] = []
            elif org_row is not None:
                pending[org_row].append(i)
            else:
                orgs[i] = heading_org
    return (
        pl.Series("kind", kinds, dtype=pl.String),
        pl.Series("org", orgs, dtype=pl.String),
        [(g, members) for g, members in pending.items() if members],
    )


# "Plan år 2" (the budget year is år 1), "Plan +1", "Plan år +1"
_PLAN_STEP = re.compile(r"\bplan\b\D{0,8}?(?:\+\s*(\d)|år\s*(\d))(?!\d)")


def _plan_years(table: Table, base: int | None, base_from: str) -> dict[int, tuple[int, str]]:
    """Years of plan columns headed without one, counted from the table's budget year (its
    budget column's, else `base`): "Plan år 2" and "Plan +1" are the year after it; plain
    "Plan | Plan" the years after it in order, only when no plan column of the table is
    headed with a year or a step (else which is which is a guess), counted per actor.
    Column → (year, what the report says)."""
    budget_years = [
        v.meaning.year
        for v in table.value_columns
        if v.meaning.measure == "budget" and v.meaning.year
    ]
    start, start_from = (
        (max(budget_years), "budgetkolumnens år") if budget_years else (base, base_from)
    )
    if start is None:
        return {}
    plans = [v for v in table.value_columns if v.meaning.measure == "plan" and not v.meaning.year]
    steps = {}
    for v in plans:
        if m := _PLAN_STEP.search(fold(v.meaning.text)):
            steps[v.col] = int(m.group(1)) if m.group(1) else int(m.group(2)) - 1
    dated = any(v.meaning.measure == "plan" and v.meaning.year for v in table.value_columns)
    out = {}
    if not steps and not dated:
        # in order, per actor ("Plan | Plan" under both the majority's and V's ram)
        seen: dict[str | None, int] = {}
        for v in plans:
            seen[v.meaning.actor] = seen.get(v.meaning.actor, 0) + 1
            steps[v.col] = seen[v.meaning.actor]
    for col, step in steps.items():
        if step > 0:
            out[col] = (
                start + step,
                f"rubriken har inget år; {start + step} = {start} ({start_from}) + {step}",
            )
    return out


def build_table(
    grid: Grid,
    table: Table,
    doc: DocumentInfo,
    sheet_texts: list[str],
    doc_texts: list[str],
    file_name: str,
) -> TableResult:
    """Line items, reconciliation and report for one table (facts are written by `insert`)."""
    sheet: Sheet = grid.sheet
    header_cells = [t for r in table.header_rows for t in grid.row_texts(r) if t]
    published = table
    long = _long_form(grid, table)
    if long is not None:
        table, long_values, long_status, long_notes = long
    cell_units = _cell_units(sheet, table) if long is None else {}
    plans, messages = plan_columns(
        table, doc, [*header_cells, *sheet_texts], doc_texts, cell_units, sheet.name
    )
    if long is not None:
        messages[:0] = long_notes
    header_words = [grid.text(r, c) or "" for r in table.header_rows for c in table.label_columns]
    ctx = fold(" ".join([*table.context[-3:], sheet.name, *header_words]))
    budget_kind = "investering" if _INVEST.search(ctx) else "drift"
    table_org = None
    for text in [*reversed(table.context[-3:]), sheet.name]:
        # a title names the table's nämnd; a long note that mentions one does not
        if len(text) <= 80 and (org := org_in_text(text, doc.doc_year)):
            table_org = org
            break
    year = doc.doc_year

    first, last = table.first_row, table.last_row
    n = last - first + 1
    # the label columns as text (a typed column of codes arrives as numbers)
    frame = sheet.text_frame(first, n, table.label_columns)
    # a name that is an Excel error value (#REF!): the line is read under it, and named
    error_names = [
        f"{cell_ref(first + i, sheet.columns[c])} '{frame[f'c{c}'][i]}'"
        for c in table.label_columns
        for i in frame[f"c{c}"].str.contains(EXCEL_ERROR).fill_null(False).arg_true().to_list()
    ]
    value_cols = [f"c{p.vc.col}" for p in plans]
    if long is not None:
        values, status = long_values, long_status
    else:
        values = grid.values.slice(first, n).select(value_cols)
        status = grid.status.slice(first, n).select(value_cols)
    for p in plans:
        if len(cell_units.get(p.vc.col, [])) > 1:
            # a column with mixed units is not read: neither stored nor reconciled
            col = f"c{p.vc.col}"
            values = values.with_columns(pl.lit(None, dtype=pl.Float64).alias(col))
            status = status.with_columns(
                pl.when(pl.col(col).is_in([NUMBER, ZERO]))
                .then(pl.lit(TEXT))
                .otherwise(col)
                .alias(col)
            )
    layout = sheet.layout
    if layout.scaled:
        values, status = _shown_values(values, status, plans, layout.scaled, first, n, messages)
    spans = sorted(
        {
            (r1, c1, r2, c2)
            for r1, c1, r2, c2 in layout.merges
            for p in plans
            if r2 > r1 and c1 <= p.vc.abs_col <= c2 and first <= r1 <= last
        }
    )
    if spans:
        # an amount merged over several rows is read once, on the first row
        messages.append(
            f"blad '{sheet.name}': belopp sammanfogade över flera rader lästes på den första "
            "raden (de gäller flera rader; raderna under fick inget belopp): "
            + ", ".join(f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}" for r1, c1, r2, c2 in spans[:10])
        )
    amounts = values.with_columns(
        pl.col(c) * p.factor for c, p in zip(value_cols, plans, strict=True)
    )
    # An amount of a thousand billion kronor or more is a broken cell, not a budget line
    # (and would not fit the database's decimal): reported and read as missing.
    absurd = []
    for c, p in zip(value_cols, plans, strict=True):
        idx = (amounts[c].abs() >= 1e15).fill_null(False).arg_true()
        if len(idx):
            absurd.extend(cell_ref(first + int(i), p.vc.abs_col) for i in idx)
            amounts = amounts.with_columns(amounts[c].scatter(idx, None))
            status = status.with_columns(status[c].scatter(idx, TEXT))
    if absurd:
        messages.append(
            "orimliga belopp (tusen miljarder kronor eller mer) lästes som saknade: "
            + ", ".join(absurd[:10])
        )
    has_value = status.select(
        pl.any_horizontal(pl.col(c).is_in([NUMBER, ZERO]) for c in value_cols)
    ).to_series()

    role_cols: dict[str, list[int]] = {}
    for c in table.label_columns:
        role_cols.setdefault(table.roles[c], []).append(c)

    frame = frame.with_columns(
        _join_wrapped(_clean_labels(frame[f"c{c}"]), has_value) for c in table.label_columns
    )

    def role_text(role: str) -> pl.Expr:
        cols = [pl.col(f"c{c}") for c in role_cols.get(role, [])]
        if not cols:
            return pl.repeat(None, n, dtype=pl.String)
        if len(cols) == 1:
            return cols[0]
        return pl.concat_str(cols, separator=" – ", ignore_nulls=True).replace("", None)

    texts = frame.select(
        role_text("label").alias("label"),
        role_text("org").alias("org"),
        role_text("item").alias("item"),
        role_text("kommundel").alias("kommundel"),
    ).with_columns(
        text=pl.concat_str(["org", "label", "item"], separator=" ", ignore_nulls=True).replace(
            "", None
        ),
        org_filled=pl.col("org").forward_fill(),
    )
    two_level = bool(role_cols.get("org"))
    if not two_level and role_cols.get("item"):
        # several text columns but none names the organisation (an indented layout: the
        # nämnd in one column, its verksamheter in the next): read them as one label
        texts = texts.with_columns(
            label=pl.coalesce("label", "item"), item=pl.lit(None, dtype=pl.String)
        )
    own_text = texts.select(pl.coalesce("item", "label", "org")).to_series()
    flags = _row_flags(texts["text"], own_text).with_columns(
        label_org=_resolve(texts["label"], year),
        org_res=_resolve(texts["org_filled"], year),
    )
    # "1) Kommunstyrelsen" in a numbered list names a nämnd: a line, not a footnote
    flags = flags.with_columns(is_note=pl.col("is_note") & pl.col("label_org").is_null())
    statement = _financial_statement(grid, published, flags)
    if statement:
        return _skipped(table, sheet, doc, value_cols, budget_kind, statement)
    kinds, orgs, groups = _org_of_rows(texts, flags, has_value, two_level)

    group_members: dict[int, list[int]] = {}
    if groups:
        kinds, orgs = kinds.to_list(), orgs.to_list()
        # An organisation's row with amounts heads the unknown rows below it only when
        # they add up to it; otherwise they are organisations of their own (one level).
        lists = [amounts[c].to_list() for c in value_cols]
        for g, members in groups:
            adds_up = False
            for p, vals in zip(plans, lists, strict=True):
                if vals[g] is None:
                    continue
                total = sum(vals[m] or 0.0 for m in members)
                adds_up = abs(vals[g] - total) <= 0.5 * p.factor * (len(members) + 1) + 1
                if not adds_up:
                    break
            if adds_up:
                kinds[g] = "group_total"
                group_members[g] = members
            if not two_level:
                for m in members:
                    orgs[m] = orgs[g] if adds_up else None
        kinds = pl.Series("kind", kinds, dtype=pl.String)
        orgs = pl.Series("org", orgs, dtype=pl.String)
    kommun = registry.normalise("Kommunen", year) or "Kommunen"
    kinds = _kommun_totals(kinds, flags["label_org"], amounts, value_cols, plans, kommun)

    if layout.outline:
        levels = [layout.outline.get(first + i, 0) for i in range(n)]
        if any(levels):
            kinds, orgs, notes = _outline_groups(
                kinds, orgs, flags["label_org"], levels, layout.summary_below, group_members,
                None if two_level else texts["text"],
            )  # fmt: skip
            if notes:
                label_at = sheet.columns[table.label_columns[0]] if table.label_columns else 0
                cells = [f"{cell_ref(first + g, label_at)} '{t}'" for g, t in notes[:10]]
                messages.append(
                    f"blad '{sheet.name}': {len(notes)} "
                    f"{'delsumma' if len(notes) == 1 else 'delsummor'} ur arbetsbokens gruppering "
                    f"(disposition) stäms av mot raderna i sin grupp och blev inga fakta: "
                    + ", ".join(cells)
                    + (" …" if len(notes) > 10 else "")
                )
    rows = pl.concat(
        [
            pl.DataFrame(
                {
                    "i": pl.int_range(n, eager=True),
                    "kind": kinds,
                    "org_found": orgs,
                }
            ),
            texts.select("label", "item", "kommundel", "text", pl.col("org").alias("org_text")),
            pl.DataFrame(
                {
                    "org_level": flags["label_org"].is_not_null()
                    | (texts["item"].is_null() & texts["org"].is_not_null())
                }
            ),
            amounts,
            status.rename({c: f"s_{c}" for c in value_cols}),
        ],
        how="horizontal",
    )
    is_data = rows["kind"] == "data"
    named_share = (
        (is_data & rows["org_found"].is_not_null()).sum() / is_data.sum() if is_data.any() else 0
    )
    # In a table of nämnder, a line that names none ("Pensioner och gemensamma poster",
    # "Finansförvaltningen") is the kommun's own post. Where most lines name no registered
    # organisation, they are organisations the registry lacks, kept as published.
    to_kommun = budget_kind == "investering" or (not two_level and named_share >= 0.5)
    if named_share >= 0.5:
        # the lines name their own nämnder: a nämnd in the title is not theirs
        table_org = None
    fallback = pl.lit(kommun) if to_kommun else pl.coalesce("item", "label")
    rows = rows.with_columns(
        organisation=pl.coalesce("org_found", pl.lit(table_org, dtype=pl.String), fallback),
        line_item=pl.coalesce("item", "label", "org_text", "org_found"),
        unknown=pl.col("org_found").is_null() & pl.lit(table_org is None and not to_kommun),
        to_kommun=pl.col("org_found").is_null() & pl.lit(table_org is None and to_kommun),
    )
    label_col = sheet.columns[table.label_columns[0]] if table.label_columns else 0
    hidden_rows = [r - first for r in layout.hidden_rows if first <= r <= last]
    n_hidden = 0
    if hidden_rows:
        rows, notes, n_hidden = _hidden_rows(
            rows, sorted(hidden_rows), sheet.name, first, label_col
        )
        messages.extend(notes)
    hidden_cols = [t for t in table.ignored_columns if t.endswith("(dold kolumn)")]
    if hidden_cols:
        messages.append(
            f"blad '{sheet.name}': dolda kolumner lästes inte (de syns inte i tabellen): "
            + ", ".join(t.removesuffix(" (dold kolumn)") for t in hidden_cols)
        )
    unplaced = pl.lit(False)
    if (
        doc.kind == "forslag"
        and table_org is None
        and any(re.match(r"satsning", fold(w)) for w in header_words)
    ):
        # a proposal's table of satsningar: each belongs to the nämnd its Nämnd column or a
        # heading row above it names; one that has none is named with its cells, not guessed
        # (still counted in the totals it is part of)
        unplaced = (pl.col("kind") == "data") & pl.col("org_found").is_null()
        lost = rows.filter(unplaced)
        if lost.height:
            cells = [
                f"{cell_ref(first + i, label_col)} '{t}'"
                for i, t in zip(lost["i"].to_list(), lost["line_item"].to_list(), strict=True)
            ]
            messages.append(
                f"blad '{sheet.name}': {lost.height} "
                f"{'satsning' if lost.height == 1 else 'satsningar'} utan nämnd (ingen "
                "Nämnd-kolumn eller nämnd som rubrikrad ovanför) blev inga fakta: "
                + ", ".join(cells[:10])
                + (" …" if len(cells) > 10 else "")
            )
    data = rows.filter((pl.col("kind") == "data") & ~unplaced)
    unknown = set(data.filter(pl.col("unknown"))["organisation"].unique().drop_nulls().to_list())
    posts = data.filter(pl.col("to_kommun"))["line_item"].unique(maintain_order=True).to_list()
    if posts and budget_kind == "drift":
        messages.append(
            f"poster utan nämnd fördes till {kommun}: "
            + ", ".join(f"'{p}'" for p in posts[:10])
            + (" …" if len(posts) > 10 else "")
        )
    if two_level:
        # published organisation names the registry does not know
        named = pl.concat(
            [rows.select("kind"), flags.select("org_res"), texts.select("org_filled")],
            how="horizontal",
        )
        unknown |= set(
            named.filter(
                (pl.col("kind") == "data")
                & pl.col("org_res").is_null()
                & pl.col("org_filled").is_not_null()
            )["org_filled"]
            .unique()
            .to_list()
        )
    if unknown:
        messages.append(
            "okända organisationer (ej i registret), behållna med publicerat namn: "
            + ", ".join(sorted(unknown)[:20])
        )

    # Signs: costs and allocations positive. Decided per table from the line items' sum.
    cost_cols = [f"c{p.vc.col}" for p in plans if p.measure in COST_MEASURES]
    sign = 1
    sign_note = "kostnader positiva i källan; inga tecken vända"
    if cost_cols:
        total = data.select(pl.sum_horizontal(pl.col(c).sum() for c in cost_cols)).item()
        if total is not None and total < 0:
            sign = -1
            sign_note = (
                "kostnader visas som negativa tal i källan; tecknen vändes så att kostnader "
                "är positiva"
            )
    for p in plans:
        p.decimals = _decimals(values[f"c{p.vc.col}"])
    recon = _reconcile(rows, plans, table, sheet, first, file_name, group_members)
    n_detail = int((kinds == "detail").sum())
    if n_detail:
        messages.extend(_check_details(rows, plans, sheet.name, first, label_col))
    avv_sign, avv_notes = _avvikelse_signs(data, plans, sign)
    messages.extend(_check_differences(data, plans, first))

    stored = []
    cell_report = {}
    n_facts = 0
    for p in plans:
        col = f"c{p.vc.col}"
        counts = data[f"s_{col}"].value_counts()
        counted = dict(zip(counts[f"s_{col}"].to_list(), counts["count"].to_list(), strict=True))
        text_cells = data.filter(pl.col(f"s_{col}") == TEXT)["i"].head(5).to_list()
        cell_report[p.vc.header_cell] = {
            "rubrik": p.vc.meaning.text,
            "mått": p.measure,
            "år": p.year,
            "period": p.period,
            "aktör": p.actor,
            "enhet": p.unit,
            "tal": int(counted.get(NUMBER, 0)),
            "noll (0)": data.filter((pl.col(f"s_{col}") == NUMBER) & (pl.col(col) == 0)).height,
            "noll (streck)": int(counted.get(ZERO, 0)),
            "saknas (tom)": int(counted.get(MISSING, 0)),
            "text": int(counted.get(TEXT, 0)),
            "text (ej tal, saknas)": [
                f"{cell_ref(first + i, p.vc.abs_col)} '{sheet.cell_text(first + i, p.vc.cells_col)}'"
                for i in text_cells
            ],
            "felvärde": int(counted.get(ERROR, 0)),
            "felvärden (saknas)": [
                f"{cell_ref(first + i, p.vc.abs_col)} '{sheet.cell_text(first + i, p.vc.cells_col)}'"
                for i in data.filter(pl.col(f"s_{col}") == ERROR)["i"].head(5).to_list()
            ],
        }
        if p.note:
            cell_report[p.vc.header_cell]["anmärkning"] = p.note
        if p.measure is None or p.measure == "difference":
            continue
        mult = avv_sign.get(col, 1) if p.measure == "avvikelse" else sign
        stored.append(
            StoredColumn(
                column=col,
                multiplier=mult,
                year=p.year,
                period=p.period,
                actor=p.actor,
                measure=p.measure,
                letter=column_letter(p.vc.abs_col),
                step=p.factor / 10**p.decimals,
            )
        )
        n_facts += int(counted.get(NUMBER, 0)) + int(counted.get(ZERO, 0))

    errors = _error_cells(rows, plans, sheet, first)
    if errors:
        # Excel's error values (#REF!, #DIV/0!): no amount, and the user must know where
        messages.append(
            f"blad '{sheet.name}': {len(errors)} "
            f"{'cell' if len(errors) == 1 else 'celler'} med felvärde från Excel "
            "lästes inte som belopp (rätta formeln i arbetsboken): "
            + ", ".join(errors[:10])
            + (" …" if len(errors) > 10 else "")
        )
    if error_names:
        messages.append(
            f"blad '{sheet.name}': namn med felvärde från Excel (raden lästes med felvärdet "
            "som namn; rätta formeln i arbetsboken): "
            + ", ".join(error_names[:10])
            + (" …" if len(error_names) > 10 else "")
        )
    n_below = int((kinds == "below").sum())
    notes_at = (kinds == "note").arg_true().to_list()
    if notes_at:
        messages.append(
            f"blad '{sheet.name}': fotnoter med tal blev inga fakta (de räknas inte i "
            "summorna): "
            + ", ".join(
                f"{cell_ref(first + i, label_col)} '{rows['text'][i]}'" for i in notes_at[:10]
            )
            + (" …" if len(notes_at) > 10 else "")
        )
    report = {
        "blad": sheet.name,
        "område": table.range_ref(sheet),
        "budgetslag": budget_kind,
        "tecken": sign_note,
        "avvikelse": avv_notes,
        "rader": {
            "poster": data.height,
            "summor": int(kinds.is_in(["total", "group_total"]).sum()),
            "rubriker": int((kinds == "heading").sum()),
            "under verksamhetens nettokostnad (ej fakta)": n_below,
            "varav-rader (ej fakta)": n_detail,
            "fotnoter (ej fakta)": len(notes_at),
            "dolda rader som upprepar synliga (ej fakta)": n_hidden,
        },
        "kolumner": cell_report,
        "fakta": n_facts,
    }
    if table.ignored_columns:
        report["ignorerade kolumner"] = table.ignored_columns
    if table_org:
        report["organisation ur titel"] = table_org
    if n_below:
        at = int((kinds == "below").arg_true()[0])
        messages.append(
            f"blad '{sheet.name}': {n_below} rader från '{rows['text'][at]}' "
            f"({cell_ref(first + at, label_col)}) och nedåt är inte nämndernas kostnader och "
            "blev inga fakta"
        )
    # org_level: the row is the organisation itself (a nämnd's total), not a verksamhet
    lines = data.select(
        "i",
        "organisation",
        "line_item",
        "kommundel",
        "org_level",
        *value_cols,
        *(f"s_{c}" for c in value_cols),
    )
    return TableResult(
        lines=lines,
        stored=stored,
        first_row=first,
        sheet=sheet.name,
        document=doc.kind,
        doc_year=doc.doc_year,
        budget_kind=budget_kind,
        facts=n_facts,
        reconciliation=recon,
        report=report,
        messages=messages,
        unknown_orgs=unknown,
    )


_YEAR_HEADER = re.compile(r"^(år|budgetår|räkenskapsår|verksamhetsår|bokslutsår|årtal|year)$")
_LONG_MEASURES = ("budget", "plan", "utfall", "prognos", "avvikelse")
_VIRTUAL = 100_000  # virtual columns are numbered from here (a sheet has at most 16 384)


def _kommun_totals(
    kinds: pl.Series,
    label_org: pl.Series,
    amounts: pl.DataFrame,
    value_cols: list[str],
    plans: list[ColumnPlan],
    kommun: str,
) -> pl.Series:
    """A line naming the kommun itself ("Södertälje kommun", "Kommunen") whose amounts are
    the sum of the lines above it (since the last total) is the table's total, not a post
    of the kommun's own."""
    at = ((kinds == "data") & (label_org == kommun).fill_null(False)).arg_true().to_list()
    if not at:
        return kinds
    kinds_l = kinds.to_list()
    lists = [amounts[c].to_list() for c in value_cols]
    for i in at:
        start = max((j + 1 for j in range(i) if kinds_l[j] in ("total", "group_total")), default=0)
        members = [j for j in range(start, i) if kinds_l[j] == "data"]
        if len(members) < 2:
            continue
        checked = 0
        for p, vals in zip(plans, lists, strict=True):
            if vals[i] is None:
                continue
            total = sum(vals[m] or 0.0 for m in members)
            if abs(vals[i] - total) > 0.5 * p.factor * (len(members) + 1) + 1:
                checked = 0
                break
            checked += 1
        if checked:
            kinds_l[i] = "total"
    return pl.Series("kind", kinds_l, dtype=pl.String)


def _long_form(
    grid: Grid, table: Table
) -> tuple[Table, pl.DataFrame, pl.DataFrame, list[str]] | None:
    """A table in long form, one amount per row with its measure and year in columns of
    their own (Nämnd | År | Typ | Belopp), read as one virtual value column per measure
    and year; None for a table with a column per measure. Read as it stands, every amount
    would be the document's budget and the "Typ" its line item."""
    if len(table.value_columns) != 1:
        return None
    vc = table.value_columns[0]
    first, last = table.first_row, table.last_row
    n = last - first + 1
    sheet = grid.sheet
    last_header = table.header_rows[-1]
    amount_ok = grid.status.slice(first, n)[f"c{vc.col}"].is_in([NUMBER, ZERO])
    if not amount_ok.any():
        return None
    # the column naming each row's year: headed "År", its cells years
    year_col = None
    for c in range(sheet.frame.width):
        if c == vc.col or not _YEAR_HEADER.match(fold(grid.text(last_header, c) or "")):
            continue
        years = grid.values.slice(first, n)[f"c{c}"]
        is_year = (years == years.round(0)) & (years >= 1950) & (years <= 2099)
        if is_year.filter(amount_ok).fill_null(False).mean() >= 0.8:
            year_col = c
            break
    # the column naming each row's measure: every text in it is budget wording
    measure_col = None
    words: dict[str, Any] = {}
    for c in table.label_columns:
        if c == year_col:
            continue
        texts = sheet.text_frame(first, n, [c])[f"c{c}"].filter(amount_ok).drop_nulls()
        distinct = texts.str.strip_chars().unique().to_list()
        if not distinct or len(distinct) > 12 or len(texts) < 2:
            continue
        meanings = {t: parse_header(t) for t in distinct}
        if all(m.measure in _LONG_MEASURES for m in meanings.values()):
            measure_col, words = c, meanings
            break
    if year_col is None and measure_col is None:
        return None
    if year_col is not None:
        years = grid.values.slice(first, n)[f"c{year_col}"]
        row_years = (
            pl.when((years == years.round(0)) & (years >= 1950) & (years <= 2099))
            .then(years)
            .cast(pl.Int32, strict=False)
        )
        row_year = pl.select(row_years).to_series().to_list()
    else:
        row_year = [None] * n
    if measure_col is not None:
        typs = sheet.text_frame(first, n, [measure_col])[f"c{measure_col}"].str.strip_chars()
        row_typ = typs.to_list()
    else:
        row_typ = [None] * n
    # one virtual column per measure and year, in order of first appearance
    combos: dict[tuple[str | None, int | None], tuple[int, ColumnMeaning, str]] = {}
    combo_of: list[int | None] = []
    for typ, year in zip(row_typ, row_year, strict=True):
        m = words.get(typ) if typ is not None else None
        if (measure_col is not None and m is None) or (
            year_col is not None and year is None and not (m and m.year)
        ):
            # no measure or no year: a total or heading row, or not budget wording
            combo_of.append(None)
            continue
        if (typ, year) not in combos:
            label = " ".join(str(x) for x in (typ, year) if x is not None)
            meaning = replace(
                m or vc.meaning,
                measure=m.measure if m else vc.meaning.measure,
                year=year or (m.year if m else None) or vc.meaning.year,
                actor=(m.actor if m else None) or vc.meaning.actor,
                text=f"{vc.meaning.text} ({label})",
            )
            combos[(typ, year)] = (len(combos), meaning, label)
        combo_of.append(combos[(typ, year)][0])
    values = grid.values.slice(first, n)[f"c{vc.col}"]
    status = grid.status.slice(first, n)[f"c{vc.col}"]
    combo = pl.Series("combo", combo_of, dtype=pl.Int64)
    vcols, vals, stats = [], [], []
    for k, meaning, label in combos.values():
        name = f"c{_VIRTUAL + k}"
        vcols.append(
            ValueColumn(_VIRTUAL + k, vc.abs_col, meaning, f"{vc.header_cell} ({label})", vc.col)
        )
        hit = (combo == k).fill_null(False)
        vals.append(pl.select(pl.when(hit).then(values)).to_series().alias(name))
        stats.append(
            pl.select(pl.when(hit).then(status).otherwise(pl.lit(MISSING))).to_series().alias(name)
        )
    used = {c for c in (year_col, measure_col) if c is not None}
    labels = [c for c in table.label_columns if c not in used]
    roles = {c: r for c, r in table.roles.items() if c in labels}
    text_cols = [c for c in labels if roles[c] in ("item", "org", "label")]
    if len(text_cols) == 1:
        roles[text_cols[0]] = "label"
    long_table = replace(table, value_columns=vcols, label_columns=labels, roles=roles)
    named = [
        f"{cell_ref(last_header, sheet.columns[c])} '{grid.text(last_header, c) or ''}'"
        for c in sorted(used)
    ]
    n_without = int((amount_ok & combo.is_null()).sum())
    notes = [
        f"{vc.header_cell} '{vc.meaning.text}': tabellen har ett belopp per rad (lång form); "
        f"mått och år per rad ur {' och '.join(named)}: "
        + ", ".join(f"'{v.meaning.text}'" for v in vcols)
    ]
    if n_without:
        notes.append(
            f"{vc.header_cell} '{vc.meaning.text}': {n_without} rader med belopp saknar mått "
            f"eller år i {' och '.join(named)} och blev inga fakta (eller är summor som inte "
            "stäms av)"
        )
    return long_table, pl.DataFrame(vals), pl.DataFrame(stats), notes


def _outline_groups(
    kinds: pl.Series,
    orgs: pl.Series,
    label_org: pl.Series,
    levels: list[int],
    summary_below: bool,
    group_members: dict[int, list[int]],
    labels: pl.Series | None,
) -> tuple[pl.Series, pl.Series, list[tuple[int, str]]]:
    """Rows grouped with Excel's outline: the row next to a group of deeper rows (below it,
    or above when the sheet says so) is the group's subtotal, whatever its label says
    ("Grundskola" over "Grundskola F-6" and "Grundskola 7-9"). It is checked against the
    group's rows one level down, and is no fact: stored beside them, the same money would
    count twice. A subtotal that names an organisation gives it to the rows of its group
    (one label column only: two columns name the organisation on every row)."""
    kind_l, org_l = kinds.to_list(), orgs.to_list()
    label_org_l = label_org.to_list()
    n = len(kind_l)
    found: list[tuple[int, str]] = []
    for g in range(n):
        if kind_l[g] not in ("data", "group_total"):
            continue
        level = levels[g]
        step = -1 if summary_below else 1
        r = g + step
        block = []
        while 0 <= r < n and levels[r] > level:
            block.append(r)
            r += step
        if not block:
            continue
        child = min(levels[r] for r in block)
        members = sorted(
            r for r in block if levels[r] == child and kind_l[r] in ("data", "group_total")
        )
        if not members:
            continue
        kind_l[g] = "group_total"
        group_members[g] = members
        found.append((g, labels[g] if labels is not None and labels[g] else str(label_org_l[g])))
        if labels is not None and label_org_l[g]:
            for r in block:
                if kind_l[r] == "data" and not label_org_l[r]:
                    org_l[r] = label_org_l[g]
    return (
        pl.Series("kind", kind_l, dtype=pl.String),
        pl.Series("org", org_l, dtype=pl.String),
        found,
    )


def _hidden_rows(
    rows: pl.DataFrame, hidden: list[int], sheet_name: str, first: int, label_col: int
) -> tuple[pl.DataFrame, list[str], int]:
    """Rows hidden in the sheet. One that repeats a shown line (same organisation and line
    item: an earlier version kept out of sight) is no fact, or the line would count twice;
    the others are read like any row (detail under a subtotal, collapsed groups) and named,
    so that a reader can see what the amounts include."""
    kinds = rows["kind"]
    is_hidden = pl.col("i").is_in(hidden)
    shown = rows.filter((pl.col("kind") == "data") & ~is_hidden).select("organisation", "line_item")
    repeats = (
        rows.filter((pl.col("kind") == "data") & is_hidden)
        .join(shown, on=["organisation", "line_item"], how="semi")["i"]
        .to_list()
    )
    notes = []

    def cells(rows_: list[int]) -> str:
        refs = [cell_ref(first + i, label_col) for i in rows_[:10]]
        return ", ".join(refs) + (" …" if len(rows_) > 10 else "")

    if repeats:
        rows = rows.with_columns(
            kind=pl.when(pl.col("i").is_in(repeats)).then(pl.lit("hidden")).otherwise("kind")
        )
        notes.append(
            f"blad '{sheet_name}': {len(repeats)} dolda rader upprepar rader som syns "
            f"({cells(repeats)}) och blev inga fakta (de hade räknats två gånger)"
        )
    read = [i for i in hidden if i not in set(repeats) and kinds[i] in ("data", "total")]
    if read:
        notes.append(
            f"blad '{sheet_name}': {len(read)} dolda rader lästes som vanliga rader "
            f"({cells(read)}); de syns inte i arbetsboken men ingår i tabellen och i "
            "avstämningen mot summorna"
        )
    return rows, notes, len(repeats)


def _shown_values(
    values: pl.DataFrame,
    status: pl.DataFrame,
    plans: list[ColumnPlan],
    styled: dict[int, dict[int, tuple[int, str]]],
    first: int,
    n: int,
    messages: list[str],
) -> pl.DataFrame:
    """The numbers as the sheet shows them, where a number format changes that:

    - a format that divides ("#,##0," shows 1 234 567 as 1 235): the unit stated ("tkr")
      is the unit of what is shown, so the stored number is divided first; without a
      stated unit the stored number is taken as kronor;
    - a format that writes a unit beside the number ("#,##0 \"tkr\""): that unit, the
      nearest to the number, unless it is plain "kr" (Excel's currency format, often put
      on a table in tkr by habit) under a table that states its own unit.

    Every such column is reported with its cells and format; `messages` gets the notes
    (and loses the "no unit stated" note of a column whose format states one)."""
    for p in plans:
        cells = styled.get(p.vc.abs_col)
        if not cells:
            continue
        rows = {r - first: d for r, d in cells.items() if first <= r < first + n}
        col = f"c{p.vc.col}"
        head = f"{p.vc.header_cell} '{p.vc.meaning.text}'"
        for kind, shown in ((0, "visar inget"), (-1, "visar procent, inga belopp")):
            # numbers hidden by their format (";;;": working figures, not published), or
            # shares among the amounts (a percent format)
            blank = sorted(i for i, (d, _) in rows.items() if d == kind)
            if not blank:
                continue
            values = values.with_columns(values[col].scatter(blank, None))
            status = status.with_columns(status[col].scatter(blank, MISSING))
            codes = sorted({rows[i][1] for i in blank})
            messages.append(
                f"{head}: {_ranges([first + i for i in blank], p.vc.abs_col)} {shown} "
                f"(talformat {', '.join(repr(c) for c in codes)}); talen där lästes inte"
            )
        rows = {i: d for i, d in rows.items() if d[0] > 0}
        if not rows:
            continue
        stated = not p.unit.startswith("kr (antagen")
        idx = sorted(rows)
        codes = sorted({rows[i][1] for i in idx})
        refs = _ranges([first + i for i in idx], p.vc.abs_col)
        fmt_units = {i: find_unit(format_text(rows[i][1])) for i in idx}
        units = {u for u in fmt_units.values() if u}
        use_format = bool(units) and (not stated or any(u[0] != "kr" for u in units))
        if use_format and not stated and all(fmt_units.values()) and len(units) == 1:
            # the format is the only statement of the unit: it holds for the whole column
            p.unit, p.factor = f"{next(iter(units))[0]} (ur talformatet)", next(iter(units))[1]
            messages[:] = [
                m for m in messages if not (m.startswith(head) and "ingen enhet angiven" in m)
            ]
        multipliers = []
        for i in idx:
            divisor, _ = rows[i]
            unit = fmt_units[i]
            if unit and use_format:
                multipliers.append(unit[1] / p.factor / divisor)
            elif stated or unit:
                multipliers.append(1 / divisor)
            else:
                multipliers.append(1.0)  # shown divided, no unit anywhere: kronor stored
        part = values[col].gather(idx) * pl.Series(multipliers, dtype=pl.Float64)
        values = values.with_columns(values[col].scatter(idx, part))
        formats = ", ".join(repr(c) for c in codes)
        divisors = sorted({rows[i][0] for i in idx} - {1})
        names = {1000: "tusental", 10**6: "miljontal", 10**9: "miljardtal"}
        if divisors:
            shown = "/".join(names.get(d, f"1/{d}") for d in divisors)
            if stated or use_format:
                what = (
                    f"de lagrade talen delades med "
                    f"{' / '.join(f'{d:,}'.replace(',', ' ') for d in divisors)} så att de är "
                    f"i den enhet tabellen anger"
                )
            else:
                what = "men ingen enhet anges; de lagrade talen tolkas som kronor"
            messages.append(f"{head}: {refs} visas i {shown} (talformat {formats}); {what}")
        if units:
            said = ", ".join(sorted(u[0] for u in units))
            if use_format:
                messages.append(
                    f"{head}: talformatet skriver '{said}' vid talen i {refs} ({formats}); "
                    f"de läses i {said}"
                    + (f" fast tabellen anger {p.unit}" if stated and p.unit != said else "")
                )
            else:
                messages.append(
                    f"{head}: talformatet skriver '{said}' vid talen i {refs} ({formats}) men "
                    f"tabellen anger {p.unit}; tabellens enhet används"
                )
    return values, status


def _ranges(rows: list[int], abs_col: int) -> str:
    """Sheet rows (0-based, sorted) of one column as A1 ranges: "B3:B5, B9"."""
    spans: list[list[int]] = []
    for r in rows:
        if spans and spans[-1][1] == r - 1:
            spans[-1][1] = r
        else:
            spans.append([r, r])
    out = [
        cell_ref(a, abs_col) if a == b else f"{cell_ref(a, abs_col)}:{cell_ref(b, abs_col)}"
        for a, b in spans[:10]
    ]
    return ", ".join(out) + (" …" if len(spans) > 10 else "")


def _financial_statement(grid: Grid, table: Table, flags: pl.DataFrame) -> str | None:
    """Why a table is one of the kommun's financial statements (resultaträkning,
    balansräkning, kassaflödesanalys), or None: named so in its title, sheet name or label
    header, or with a "Not" column beside the labels and no line naming an organisation."""
    value_cols = {v.col for v in table.value_columns}
    first_value = min(value_cols)
    header_labels = [grid.text(r, c) or "" for r in table.header_rows for c in range(first_value)]
    for text in [*reversed(table.context[-3:]), grid.sheet.name, *header_labels]:
        if len(text) <= 80 and (m := _STATEMENT.search(fold(text))):
            return f"{m.group(1)} (kommunens finansiella rapport, inte nämndernas kostnader)"
    last = table.header_rows[-1]
    width = grid.sheet.frame.width
    note_col = any(
        _NOTE_HEADER.match(fold(grid.text(last, c) or ""))
        for c in range(width)
        if c not in value_cols
    )
    if note_col and not (flags["label_org"].is_not_null() | flags["org_res"].is_not_null()).any():
        return (
            "finansiell rapport (kolumnen 'Not' bredvid raderna: kommunens resultat-, balans- "
            "eller kassaflödesräkning, inte nämndernas kostnader)"
        )
    return None


def _skipped(
    table: Table,
    sheet: Sheet,
    doc: DocumentInfo,
    value_cols: list[str],
    budget_kind: str,
    why: str,
) -> TableResult:
    """A table that is not read: no lines, no facts, one message naming where it is."""
    where = table.range_ref(sheet)
    lines = pl.DataFrame(
        schema={
            "i": pl.Int64,
            "organisation": pl.String,
            "line_item": pl.String,
            "kommundel": pl.String,
            "org_level": pl.Boolean,
            **dict.fromkeys(value_cols, pl.Float64),
            **{f"s_{c}": pl.String for c in value_cols},
        }
    )
    report = {
        "blad": sheet.name,
        "område": where,
        "budgetslag": budget_kind,
        "tecken": "ej läst",
        "avvikelse": [],
        "rader": {},
        "kolumner": {},
        "fakta": 0,
        "ej läst": why,
    }
    if table.ignored_columns:
        report["ignorerade kolumner"] = table.ignored_columns
    return TableResult(
        lines=lines,
        stored=[],
        first_row=table.first_row,
        sheet=sheet.name,
        document=doc.kind,
        doc_year=doc.doc_year,
        budget_kind=budget_kind,
        facts=0,
        report=report,
        messages=[f"blad '{sheet.name}' {where}: {why}; lästes inte"],
    )


def _check_details(
    rows: pl.DataFrame, plans: list[ColumnPlan], sheet_name: str, first: int, label_col: int
) -> list[str]:
    """The varav rows: said to be left out, and checked to be no larger than the row above
    them (the nearest line item or total), per amount column."""
    col_names = [f"c{p.vc.col}" for p in plans]
    marked = rows.select(
        "i",
        "kind",
        "text",
        # a heading (a text without amounts) above them: they are parts of no amount
        pl.when(pl.col("kind").is_in(["data", "total", "group_total"]))
        .then(pl.col("i"))
        .when((pl.col("kind") == "heading") & pl.col("text").is_not_null())
        .then(-1)
        .forward_fill()
        .replace(-1, None)
        .alias("parent"),
        *(
            pl.when(pl.col(f"s_{c}").is_in([NUMBER, ZERO])).then(pl.col(c)).alias(c)
            for c in col_names
        ),
    )
    details = marked.filter(pl.col("kind") == "detail")
    cells = [cell_ref(first + i, label_col) for i in details["i"].head(10).to_list()]
    n = details.height
    messages = [
        f"blad '{sheet_name}': {n} varav-rader ({', '.join(cells)}{' …' if n > 10 else ''}) "
        "är delar av raden ovanför och blev inga fakta (de ingår redan i den raden och "
        "räknas inte i summorna)"
    ]
    orphans = details.filter(pl.col("parent").is_null())["i"].to_list()
    if orphans:
        messages.append(
            "varav-rader utan rad med belopp ovanför sig att vara del av (blev inga fakta; "
            "kontrollera summorna): "
            + ", ".join(cell_ref(first + i, label_col) for i in orphans[:10])
        )
    groups = (
        details.filter(pl.col("parent").is_not_null())
        .group_by("parent", maintain_order=True)
        .agg(
            pl.col("i").min().alias("from"),
            pl.col("i").max().alias("to"),
            *(pl.col(c).sum().alias(f"d_{c}") for c in col_names),
        )
        .join(
            marked.select(pl.col("i").alias("parent"), "text", *col_names), on="parent", how="left"
        )
    )
    for p, c in zip(plans, col_names, strict=True):
        tol = 0.5 * p.factor + 1
        bad = groups.filter(
            pl.col(c).is_not_null() & (pl.col(f"d_{c}").abs() > pl.col(c).abs() + tol)
        )
        for parent, a, b, label, part, whole in (
            bad.select("parent", "from", "to", "text", f"d_{c}", c).head(10).iter_rows()
        ):
            where = cell_ref(first + a, label_col)
            if b != a:
                where = f"{where}–{cell_ref(first + b, label_col)}"
            what = "varav-raderna" if b != a else "varav-raden"
            messages.append(
                f"{what} {where} under '{label}' ({cell_ref(first + parent, p.vc.abs_col)}) "
                f"är större än raden ovanför: {fmt.number(part, 2)} kr mot "
                f"{fmt.number(whole, 2)} kr; kontrollera källan"
            )
    return messages


def _decimals(shown: pl.Series) -> int:
    """How many decimals the source shows for a column (0-5), from its values."""
    shown = shown.drop_nulls()
    if len(shown) == 0:
        return 0
    for d in range(5):
        scaled = shown * 10**d
        if (scaled - scaled.round(0)).abs().max() < 1e-6:
            return d
    return 5


def _reconcile(
    rows: pl.DataFrame,
    plans: list[ColumnPlan],
    table: Table,
    sheet: Sheet,
    first: int,
    file_name: str,
    group_members: dict[int, list[int]],
) -> list[dict[str, Any]]:
    """Each total row against the line items it covers: since the previous total, or all.

    An organisation's own row above its verksamheter is checked against those rows.
    Running sums are computed in bulk; only the total rows are visited one by one.
    """
    kinds = rows["kind"]
    totals = kinds.is_in(["total", "group_total"]).arg_true().to_list()
    if not totals:
        return []
    below = (kinds == "below").arg_true()
    below_at = int(below[0]) if len(below) else rows.height
    totals = [i for i in totals if i < below_at]
    if not totals:
        return []
    members_all = sorted({m for ms in group_members.values() for m in ms})
    # a total may also stand above the rows it sums ("Kommunen totalt" first)
    last_row = below_at - 1
    wanted = sorted(set(totals) | set(members_all) | {last_row})
    is_data = (kinds == "data").cast(pl.Int64)
    count = is_data.cum_sum().gather(wanted).to_list()
    at = {row: k for k, row in enumerate(wanted)}
    range_ref = table.range_ref(sheet)
    kind_at = kinds.gather(wanted).to_list()
    labels = rows["text"].gather(wanted).to_list()
    out = []
    for p in plans:
        col = f"c{p.vc.col}"
        ok = rows[f"s_{col}"].is_in([NUMBER, ZERO])
        is_error = rows[f"s_{col}"] == ERROR
        vals = rows[col]
        run = (vals.fill_null(0.0) * is_data * ok.cast(pl.Int64)).cum_sum().gather(wanted).to_list()
        # error values (#REF!) among the line items: a total over them cannot be checked
        errs = (is_error.cast(pl.Int64) * is_data).cum_sum().gather(wanted).to_list()
        raw = vals.gather(wanted).to_list()
        okl = ok.gather(wanted).to_list()
        errl = is_error.gather(wanted).to_list()
        prev: int | None = None
        for i in totals:
            k = at[i]
            if not okl[k] and not errl[k]:
                continue
            expected = None if errl[k] else raw[k]
            unchecked = None
            if errl[k]:
                shown = sheet.cell_text(first + i, p.vc.cells_col)
                unchecked = f"summan har felvärdet {shown}"
            if kind_at[k] == "group_total":
                members = group_members.get(i, [])
                computed = sum(raw[at[m]] for m in members if okl[at[m]] and raw[at[m]] is not None)
                terms = len(members)
                n_err = sum(1 for m in members if errl[at[m]])
            else:
                before = run[prev] if prev is not None else 0.0
                n_before = count[prev] if prev is not None else 0
                after = next((t for t in totals if t > i), None)
                end = at[after] if after is not None else at[last_row]
                # the nearest candidate: the items since the last total, all items so far,
                # the items below it up to the next total, or all items below it (a total
                # above nämnder that each have their own subtotal)
                bottom = at[last_row]
                e_before = errs[prev] if prev is not None else 0
                candidates = [
                    (run[k] - before, count[k] - n_before, errs[k] - e_before),
                    (run[k], count[k], errs[k]),
                    (run[end] - run[k], count[end] - count[k], errs[end] - errs[k]),
                    (run[bottom] - run[k], count[bottom] - count[k], errs[bottom] - errs[k]),
                ]
                if expected is None:
                    # the total is an error: the items since the last total, if any
                    chosen = next((c for c in candidates if c[1]), candidates[0])
                else:
                    chosen = min(candidates, key=lambda c: abs(expected - c[0]))
                computed, terms, n_err = chosen
                prev = k
            if n_err and unchecked is None:
                unchecked = f"{n_err} {'post' if n_err == 1 else 'poster'} under den har felvärde"
            out.append(
                _recon_row(
                    p,
                    sheet,
                    first,
                    file_name,
                    range_ref,
                    labels[k],
                    i,
                    expected,
                    computed,
                    terms,
                    unchecked,
                )  # fmt: skip
            )
    return out


def _error_cells(
    rows: pl.DataFrame, plans: list[ColumnPlan], sheet: Sheet, first: int
) -> list[str]:
    """The amount cells holding an Excel error value, "B5 '#REF!'", row by row."""
    found = []
    for p in plans:
        col = f"s_c{p.vc.col}"
        for i in rows.filter(pl.col(col) == ERROR)["i"].to_list():
            text = sheet.cell_text(first + i, p.vc.cells_col)
            found.append((i, p.vc.abs_col, f"{cell_ref(first + i, p.vc.abs_col)} '{text}'"))
    return [ref for _, _, ref in sorted(set(found))]


def _recon_row(
    p, sheet, first, file_name, range_ref, label, i, expected, computed, terms, unchecked=None
):
    """One reconciliation row; `unchecked` says why the total could not be checked (an
    error value in the total or in a line it covers)."""
    diff = None if expected is None else round(expected - computed, 2)
    if unchecked:
        status = "ej kontrollerad"
    elif abs(diff) < 1:
        status = "ok"
    elif (step := p.factor / 10**p.decimals) > 1 and abs(diff) <= 0.5 * step * (terms + 1):
        # published figures are rounded to the shown precision; their sum may miss the
        # published total by up to half a step per term
        status = "avrundning"
    else:
        status = "differens"
    row = {
        "source_file": file_name,
        "source_sheet": sheet.name,
        "table_range": range_ref,
        "total_label": label,
        "total_cell": cell_ref(first + i, p.vc.abs_col),
        "measure": p.measure,
        "year": p.year,
        "period": p.period,
        "expected_sek": None if expected is None else round(expected, 2),
        "computed_sek": round(computed, 2),
        "difference_sek": diff,
        "terms": terms,
        "status": status,
    }
    if unchecked:
        row["orsak"] = unchecked
    return row


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
