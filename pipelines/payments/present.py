"""Charts and tables for the "Leverantörer" page: Swedish labels, amounts through fmt."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from pipelines import fmt

# One colour per category, the same on every chart; oklassad is grey on purpose.
COLOURS = {
    "bemanning": "#c0392b",
    "konsulter": "#e67e22",
    "privata välfärdsaktörer": "#8e44ad",
    "idéburna": "#27ae60",
    "kommunala bolag": "#2980b9",
    "offentlig sektor": "#16a085",
    "övriga": "#7f8c8d",
    "oklassad": "#bdc3c7",
}


def _mnkr(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns((pl.col("amount_sek").cast(pl.Float64) / 1e6).alias("mnkr"))


def trend_figure(frame: pl.DataFrame, title: str) -> go.Figure:
    """Stacked bars: mnkr per period, one colour per category."""
    frame = _mnkr(frame)
    fig = go.Figure()
    for category in [c for c in COLOURS if c in set(frame.get_column("category"))]:
        part = frame.filter(pl.col("category") == category)
        fig.add_bar(
            x=part.get_column("period").to_list(),
            y=part.get_column("mnkr").to_list(),
            name=category,
            marker_color=COLOURS[category],
            hovertemplate="%{x}: %{y:,.1f} mnkr<extra>" + category + "</extra>",
        )
    fig.update_layout(
        barmode="stack",
        title=title,
        yaxis_title="mnkr",
        xaxis_type="category",
        separators=", ",
        legend_title_text="Kategori",
        margin={"t": 60, "b": 40},
    )
    return fig


def organisation_figure(frame: pl.DataFrame, title: str) -> go.Figure:
    """Horizontal stacked bars: mnkr per nämnd, largest at the top."""
    frame = _mnkr(frame)
    order = (
        frame.group_by("organisation")
        .agg(pl.col("mnkr").sum())
        .sort("mnkr")
        .get_column("organisation")
        .to_list()
    )
    fig = go.Figure()
    for category in [c for c in COLOURS if c in set(frame.get_column("category"))]:
        part = frame.filter(pl.col("category") == category)
        fig.add_bar(
            y=part.get_column("organisation").to_list(),
            x=part.get_column("mnkr").to_list(),
            name=category,
            orientation="h",
            marker_color=COLOURS[category],
            hovertemplate="%{y}: %{x:,.1f} mnkr<extra>" + category + "</extra>",
        )
    fig.update_layout(
        barmode="stack",
        title=title,
        xaxis_title="mnkr",
        yaxis={"categoryorder": "array", "categoryarray": order},
        separators=", ",
        legend_title_text="Kategori",
        height=max(350, 28 * len(order) + 120),
        margin={"t": 60, "b": 40},
    )
    return fig


def category_totals(frame: pl.DataFrame) -> pl.DataFrame:
    """Kronor per category over the selection, largest first, with shares."""
    totals = (
        frame.group_by("category")
        .agg(pl.col("amount_sek").sum())
        .sort("amount_sek", descending=True)
    )
    whole = totals.get_column("amount_sek").sum()
    return totals.with_columns(
        (pl.col("amount_sek").cast(pl.Float64) / float(whole or 1)).alias("share")
    )


def category_table(totals: pl.DataFrame) -> pl.DataFrame:
    """category_totals with Swedish headings and formatted numbers."""
    return totals.select(
        pl.col("category").alias("Kategori"),
        pl.col("amount_sek")
        .map_elements(lambda v: fmt.sek(v, "mnkr", 1), return_dtype=pl.String)
        .alias("Belopp"),
        pl.col("share")
        .map_elements(lambda v: fmt.percent(v, 1), return_dtype=pl.String)
        .alias("Andel av urvalet"),
    )


def supplier_table(frame: pl.DataFrame) -> pl.DataFrame:
    """The top-supplier frame with Swedish headings and formatted numbers."""
    return frame.select(
        pl.col("supplier").alias("Leverantör"),
        pl.col("org_nr").fill_null("–").alias("Org.nr"),
        pl.col("category").alias("Kategori"),
        pl.col("category_rule").fill_null("ingen regel").alias("Regel"),
        pl.col("amount_sek")
        .map_elements(lambda v: fmt.sek(v, "mnkr", 1), return_dtype=pl.String)
        .alias("Belopp"),
        pl.col("share")
        .map_elements(lambda v: fmt.percent(v, 1), return_dtype=pl.String)
        .alias("Andel"),
        pl.col("payments")
        .map_elements(lambda v: fmt.number(v), return_dtype=pl.String)
        .alias("Betalningar"),
    )


EXPORT_NAMES = {
    "period": "Period",
    "organisation": "Nämnd",
    "supplier": "Leverantör",
    "org_nr": "Org.nr",
    "category": "Kategori",
    "category_rule": "Regel",
    "amount_sek": "Belopp (kr)",
    "payments": "Betalningar",
    "share": "Andel",
}


def for_export(frame: pl.DataFrame) -> pl.DataFrame:
    """A query frame with Swedish headings and plain numbers, for xlsx and CSV downloads."""
    return frame.rename({c: EXPORT_NAMES[c] for c in frame.columns if c in EXPORT_NAMES})
