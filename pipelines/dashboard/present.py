"""Tables as the pages show them (Swedish headings, sv-SE numbers) and the PPTX decks."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from pipelines import fmt
from pipelines.dashboard import charts
from pipelines.dashboard import queries as q
from pipelines.export.slides import Slide, build_pptx

DEMO_FOOTER = "Demodata — påhittade belopp"
STATUS_COLOURS = {
    "ej påbörjat": "gray",
    "pågår": "orange",
    "genomfört": "green",
    "motarbetat": "red",
}
ASSESSMENT_COLOURS = {"grön": "green", "gul": "yellow", "röd": "red", "ej bedömd": "gray"}


def badge(text: str, colour: str) -> str:
    """Streamlit markdown for a coloured badge (no emoji: projectors and fonts vary)."""
    clean = text.replace("[", "(").replace("]", ")")
    return f":{colour}-badge[{clean}]"


def status_badge(status: str) -> str:
    return badge(status.capitalize(), STATUS_COLOURS.get(status, "gray"))


def assessment_badge(assessment: str) -> str:
    return badge(assessment, ASSESSMENT_COLOURS.get(assessment, "gray"))


def _sek(column: str) -> pl.Expr:
    return pl.col(column).map_elements(fmt.sek, return_dtype=pl.String, skip_nulls=False)


def _kr(column: str) -> pl.Expr:
    return pl.col(column).map_elements(
        lambda v: charts.unit_value(v, True), return_dtype=pl.String, skip_nulls=False
    )


def _pct(column: str) -> pl.Expr:
    return pl.col(column).map_elements(
        lambda v: fmt.percent(v, 1), return_dtype=pl.String, skip_nulls=False
    )


def signed_sek(value: float | None) -> str:
    """'+6,0 mnkr' / '−1,2 mnkr': a change, with its sign."""
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + fmt.sek(value)


def arrow(value: float | None) -> str:
    """The metric's arrow for a change. Streamlit guesses the direction from a leading ASCII
    '-', and pipelines.fmt writes the proper minus sign '−', so say it explicitly."""
    if not value:
        return "off"
    return "up" if value > 0 else "down"


def category_items(rows: pl.DataFrame, category: str) -> pl.DataFrame:
    """The proposals of one overview category, most telling first, with a short label: the
    change in fixed prices first (a long title is cut off on screen, the figure must not be),
    or for proposals without money what the party proposed."""
    from pipelines.dashboard.overview import NONE

    if category == NONE:
        rows = rows.sort("forslag_sek", "title", descending=[True, False], nulls_last=True)
        labels = [
            (f"V: {fmt.sek(v)} · " if v else "") + (t or "")
            for v, t in zip(rows["forslag_sek"], rows["title"], strict=True)
        ]
    else:
        rows = rows.sort(
            pl.col("change_fixed_sek").abs(), "title", descending=[True, False], nulls_last=True
        )
        labels = [
            f"{signed_sek(v)} · {t or ''}"
            for v, t in zip(rows["change_fixed_sek"], rows["title"], strict=True)
        ]
    return rows.with_columns(label=pl.Series(labels, dtype=pl.String))


def source_note(s: q.Slice | None) -> str:
    if s is None:
        return "Ingen antagen budget inläst."
    return f"Källa: {s.doc_file or s.document_label} ({s.label})."


def overview_table(props: pl.DataFrame, year: int, statuses: dict | None = None) -> pl.DataFrame:
    """The overview's proposals, largest budget first, with the group's status beside the
    money (`statuses`: proposal_id -> pipelines.dashboard.status.Status)."""
    statuses = statuses or {}
    props = props.with_columns(
        status=pl.Series(
            [
                f"{statuses[p].status} ({statuses[p].note_date})" if p in statuses else "–"
                for p in props["proposal_id"]
            ],
            dtype=pl.String,
        )
    )
    return props.sort(
        "budget_sek", "proposal_id", descending=[True, False], nulls_last=True
    ).select(
        pl.col("title").alias("Förslag"),
        pl.col("category").alias("Läge"),
        pl.col("status").alias("Status (budgetgruppen)"),
        _sek("budget_sek").alias(f"Budget {year}"),
        _sek("change_fixed_sek").alias("Förändring, fasta priser"),
        _sek("change_sek").alias("Förändring"),
        _sek("previous_sek").alias(f"Budget {year - 1}"),
        _sek("forslag_sek").alias(f"V:s förslag {year}"),
        pl.col("section").alias("Avsnitt"),
        pl.col("proposal_id").alias("Id"),
    )


def comparison_tables(c) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per organisation and per proposal, as Jämför år shows them."""
    value = _kr if c.per_invanare else _sek
    orgs = c.organisations.select(
        pl.col("organisation").alias("Organisation"),
        value("a").alias("A"),
        value("b").alias("B"),
        value("change").alias("Förändring"),
        _pct("change_share").alias("Förändring %"),
    )
    props = c.proposals.select(
        pl.col("title").fill_null(pl.col("proposal_id")).alias("Förslag"),
        value("a").alias("A"),
        value("b").alias("B"),
        value("change").alias("Förändring"),
        pl.col("proposal_id").alias("Id"),
    )
    return orgs, props


def funding_table(fund: pl.DataFrame) -> pl.DataFrame:
    """A proposal's money per year (rows) and series (columns)."""
    rows = []
    for year in sorted(set(fund["year"].to_list())):
        row = {"År": str(year)}
        for document, measure, name, _ in charts.SERIES:
            match = fund.filter(
                (pl.col("year") == year)
                & (pl.col("document") == document)
                & (pl.col("measure") == measure)
            )
            row[name] = fmt.sek(match["amount_sek"][0]) if match.height else "–"
        rows.append(row)
    columns = ["År"] + [s[2] for s in charts.SERIES]
    return pl.DataFrame(rows, schema={c: pl.String for c in columns}, orient="row")


def lines_table(lines: pl.DataFrame) -> pl.DataFrame:
    return lines.select(
        pl.col("year").alias("År"),
        pl.col("document")
        .replace_strict(q.DOCUMENT_NAMES, default=pl.col("document"))
        .alias("Dokument"),
        pl.col("measure").replace_strict(q.MEASURE_NAMES, default=pl.col("measure")).alias("Mått"),
        pl.col("budget_kind")
        .replace_strict(q.KIND_NAMES, default=pl.col("budget_kind"))
        .alias("Slag"),
        pl.col("organisation").alias("Organisation"),
        pl.col("line_item").alias("Rad"),
        _sek("amount_sek").alias("Belopp"),
        _pct("share").alias("Andel"),
        pl.col("source_file").alias("Fil"),
        pl.col("source_sheet").alias("Blad"),
        pl.col("source_cell").alias("Cell"),
        pl.col("rule_id").alias("Regel"),
    )


def overview_pptx(o, props_fig: go.Figure, orgs_fig: go.Figure, demo: bool) -> bytes:
    year = o.year
    lines = [
        f"Antagen driftbudget {year}: {fmt.sek(o.total_sek)}",
        f"Kopplat till handlingsprogrammet: {fmt.sek(o.mapped_sek)}"
        + (f" ({fmt.percent(o.mapped_share, 1)})" if o.mapped_share else ""),
    ]
    counts = o.proposals.group_by("category").len()
    for category, n in sorted(zip(counts["category"], counts["len"], strict=True)):
        lines.append(f"{category}: {n} förslag")
    return build_pptx(
        [
            Slide(f"Översikt {year}: kom pengarna?", lines, note=source_note(o.budget)),
            Slide(f"Förslagens pengar {year - 1}–{year}", chart=props_fig),
            Slide(f"Största förändringarna {year - 1}–{year}", chart=orgs_fig),
        ],
        footer=DEMO_FOOTER if demo else "",
    )


def proposal_pptx(
    prop: dict,
    status_line: str,
    money_lines: list[str],
    fig: go.Figure | None,
    goals: pl.DataFrame,
    demo: bool,
) -> bytes:
    slides = [
        Slide(
            prop.get("title") or prop["proposal_id"],
            [prop.get("text") or "", status_line, *money_lines],
            note=f"Avsnitt: {prop.get('section') or '–'}",
        )
    ]
    if fig is not None:
        slides.append(Slide(f"Pengarna: {prop.get('title')}", chart=fig))
    if goals.height:
        table = [["Mål", "Organisation", "Bedömning"]] + [
            [g["goal"], g["organisation"], g["assessment"]]
            for g in goals.head(10).iter_rows(named=True)
        ]
        slides.append(Slide("Kommunens mål och färger", table=table))
    return build_pptx(slides, footer=DEMO_FOOTER if demo else "")


def comparison_pptx(c, fig: go.Figure, orgs: pl.DataFrame, note: str, demo: bool) -> bytes:
    """Jämför år as slides: the totals, the waterfall, the nämnder that changed most."""
    value = (lambda v: charts.unit_value(v, True)) if c.per_invanare else fmt.sek
    lines = [
        f"A: {c.a.label}: {value(c.total_a)}",
        f"B: {c.b.label}: {value(c.total_b)}",
        f"Förändring: {value(c.change)}",
        note,
    ]
    table = [["Organisation", "A", "B", "Förändring"]] + [
        [r["Organisation"], r["A"], r["B"], r["Förändring"]]
        for r in orgs.head(12).iter_rows(named=True)
    ]
    return build_pptx(
        [
            Slide("Jämför år", lines),
            Slide("Från A till B: förändringar per nämnd", chart=fig),
            Slide("Per nämnd", table=table),
        ],
        footer=DEMO_FOOTER if demo else "",
    )


# --- data downloads: numbers as numbers (kronor), headings in Swedish -------------------


def overview_export(o) -> dict[str, pl.DataFrame]:
    """The overview's tables for xlsx/CSV, amounts in kronor."""
    year = o.year
    props = o.proposals.select(
        pl.col("proposal_id").alias("Id"),
        pl.col("title").alias("Förslag"),
        pl.col("section").alias("Avsnitt"),
        pl.col("category").alias("Läge"),
        pl.col("budget_sek").alias(f"Budget {year} (kr)"),
        pl.col("previous_sek").alias(f"Budget {year - 1} (kr)"),
        pl.col("change_sek").alias("Förändring (kr)"),
        pl.col("change_fixed_sek").alias("Förändring, fasta priser (kr)"),
        pl.col("forslag_sek").alias(f"V:s förslag {year} (kr)"),
    )
    orgs = o.organisations.select(
        pl.col("organisation").alias("Organisation"),
        pl.col("before_sek").alias(f"Budget {year - 1} (kr)"),
        pl.col("now_sek").alias(f"Budget {year} (kr)"),
        pl.col("change_sek").alias("Förändring (kr)"),
        pl.col("change_fixed_sek").alias("Förändring, fasta priser (kr)"),
    )
    return {"Förslag": props, "Nämnder": orgs}


def comparison_export(c) -> dict[str, pl.DataFrame]:
    """Jämför år's tables for xlsx/CSV, in kronor or kronor per invånare."""
    unit = "kr per invånare" if c.per_invanare else "kr"
    orgs = c.organisations.select(
        pl.col("organisation").alias("Organisation"),
        pl.col("a").alias(f"A ({unit})"),
        pl.col("b").alias(f"B ({unit})"),
        pl.col("change").alias(f"Förändring ({unit})"),
        pl.col("change_share").alias("Förändring (andel)"),
    )
    props = c.proposals.select(
        pl.col("proposal_id").alias("Id"),
        pl.col("title").alias("Förslag"),
        pl.col("a").alias(f"A ({unit})"),
        pl.col("b").alias(f"B ({unit})"),
        pl.col("change").alias(f"Förändring ({unit})"),
    )
    return {"Per nämnd": orgs, "Per förslag": props}


def proposal_export(
    fund: pl.DataFrame, lines: pl.DataFrame, goals: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """Förslag's tables for xlsx/CSV: money per year, the mapped lines, the goals."""

    def pick(frame: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
        return frame.select([pl.col(k).alias(v) for k, v in columns.items() if k in frame.columns])

    return {
        "Pengar": pick(
            fund,
            {
                "year": "År",
                "document": "Dokument",
                "measure": "Mått",
                "amount_sek": "Belopp (kr)",
                "amount_fixed_sek": "Fasta priser (kr)",
                "fixed_base_year": "Prisbasår",
                "amount_per_invanare": "Per invånare (kr)",
                "invanare": "Invånare",
            },
        ),
        "Budgetrader": pick(
            lines,
            {
                "year": "År",
                "document": "Dokument",
                "actor": "Aktör",
                "budget_kind": "Slag",
                "measure": "Mått",
                "organisation": "Organisation",
                "line_item": "Rad",
                "amount_sek": "Belopp (kr)",
                "share": "Andel",
                "counted_sek": "Räknat (kr)",
                "rule_id": "Regel",
                "source_file": "Fil",
                "source_sheet": "Blad",
                "source_cell": "Cell",
            },
        ),
        "Mål": pick(
            goals,
            {
                "doc_year": "År",
                "period": "Period",
                "organisation": "Organisation",
                "goal": "Mål",
                "assessment": "Bedömning",
                "analysis": "Analys",
                "source_file": "Fil",
                "source_sheet": "Blad",
                "source_cell": "Cell",
            },
        ),
    }
