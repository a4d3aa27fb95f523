"""Plotly charts for Översikt, Förslag and Jämför år. Every hover names the figure's source
(file, sheet, cell) and shows amounts in Swedish style."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from pipelines import fmt
from pipelines.sources_view import sources_summary

# Which (document, measure) pairs a proposal's funding chart shows, in this order.
SERIES = (
    ("budget", "budget", "Antagen budget", "#3b5b92"),
    ("budget", "plan", "Plan (Mål och budget)", "#9fb3d9"),
    ("forslag", "budget", "V:s förslag", "#c8102e"),
    ("bokslut", "utfall", "Utfall (bokslut)", "#2a9d8f"),
    ("delarsrapport", "prognos", "Prognos (delårsrapport)", "#e9a23b"),
)
CATEGORY_COLOURS = {
    "Mer pengar": "#2a9d8f",
    "Oförändrat": "#8d99ae",
    "Krympt i fasta priser": "#c8102e",
    "Inga pengar i budgeten": "#adb5bd",
}
ASSESSMENT_COLOURS = {"grön": "#2a9d8f", "gul": "#e9c46a", "röd": "#c8102e", "ej bedömd": "#adb5bd"}
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=14)


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left"),
        height=height,
        margin=dict(l=10, r=10, t=60, b=10),
        font=FONT,
        separators=", ",  # decimal comma, space as thousands separator on the axes
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right"),
        hoverlabel=dict(align="left"),
    )
    return fig


def unit_value(value: float | None, per_invanare: bool) -> str:
    """A figure as the pages write it: mnkr for totals, kr for per-invånare figures."""
    if per_invanare:
        return "–" if value is None else f"{fmt.number(value)}\u00a0kr"
    return fmt.sek(value)


def funding_chart(fund: pl.DataFrame, sources: dict[tuple, str], title: str) -> go.Figure:
    """A proposal's money per year: adopted budget, the party's proposal, utfall, prognos."""
    fig = go.Figure()
    pid = fund["proposal_id"][0] if fund.height else None
    for document, measure, name, colour in SERIES:
        rows = fund.filter((pl.col("document") == document) & (pl.col("measure") == measure))
        if rows.is_empty():
            continue
        rows = rows.sort("year")
        hover = [
            f"<b>{name} {y}</b><br>{fmt.sek(v)}<br>Källa: "
            + sources_summary(sources.get((pid, y, document, measure)))
            for y, v in zip(rows["year"], rows["amount_sek"], strict=True)
        ]
        fig.add_bar(
            x=[str(y) for y in rows["year"]],
            y=[v / 1e6 for v in rows["amount_sek"]],
            name=name,
            marker_color=colour,
            hovertext=hover,
            hoverinfo="text",
        )
    years = sorted({str(y) for y in fund["year"]})
    fig.update_layout(
        barmode="group",
        yaxis_title="mnkr",
        xaxis=dict(type="category", categoryorder="array", categoryarray=years),
    )
    return _layout(fig, title)


def organisation_changes_chart(orgs: pl.DataFrame, year: int, top: int = 10) -> go.Figure:
    """The organisations whose adopted budget changed most from last year."""
    rows = orgs.filter(pl.col("change_sek") != 0).head(top).reverse()
    hover = [
        f"<b>{r['organisation']}</b><br>{year - 1}: {fmt.sek(r['before_sek'])}<br>"
        f"{year}: {fmt.sek(r['now_sek'])}<br>Förändring: {fmt.sek(r['change_sek'])}"
        f" ({fmt.sek(r['change_fixed_sek'])} i fasta priser)<br>Källa: "
        + sources_summary(r.get("sources"))
        for r in rows.iter_rows(named=True)
    ]
    fig = go.Figure(
        go.Bar(
            y=rows["organisation"].to_list(),
            x=[v / 1e6 for v in rows["change_sek"]],
            orientation="h",
            marker_color=["#2a9d8f" if v >= 0 else "#c8102e" for v in rows["change_sek"]],
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.update_layout(xaxis_title="mnkr mot året innan")
    return _layout(fig, f"Största förändringarna {year - 1}–{year}", 60 + 38 * max(rows.height, 3))


def proposals_chart(props: pl.DataFrame, sources: dict[tuple, str], year: int) -> go.Figure:
    """Each proposal with money: the change of its adopted budget in fixed prices."""
    rows = props.filter(pl.col("change_fixed_sek").is_not_null()).sort("change_fixed_sek")
    hover = [
        f"<b>{r['title']}</b><br>Budget {year}: {fmt.sek(r['budget_sek'])}<br>"
        f"Budget {year - 1}: {fmt.sek(r['previous_sek'])}<br>"
        f"Förändring: {fmt.sek(r['change_sek'])}, i fasta priser {fmt.sek(r['change_fixed_sek'])}"
        "<br>Källa: " + sources_summary(sources.get((r["proposal_id"], year, "budget", "budget")))
        for r in rows.iter_rows(named=True)
    ]
    fig = go.Figure(
        go.Bar(
            y=[_short(t) for t in rows["title"]],
            x=[v / 1e6 for v in rows["change_fixed_sek"]],
            orientation="h",
            marker_color=[CATEGORY_COLOURS.get(c, "#8d99ae") for c in rows["category"]],
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.update_layout(xaxis_title="mnkr i fasta priser mot året innan")
    return _layout(
        fig, f"Förslagens pengar {year - 1}–{year} i fasta priser", 80 + 34 * max(rows.height, 3)
    )


def _short(text: str | None, n: int = 60) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1] + "…"


def waterfall_chart(
    steps: list[tuple[str, float, str]], title: str, per_invanare: bool, sources: dict[str, str]
) -> go.Figure:
    """Total A, the changes per organisation, total B."""
    scale = 1.0 if per_invanare else 1e6
    hover = []
    for label, value, measure in steps:
        shown = unit_value(value, per_invanare)
        head = f"<b>{label}</b><br>{'Förändring: ' if measure == 'relative' else ''}{shown}"
        hover.append(head + "<br>Källa: " + sources_summary(sources.get(label)))
    fig = go.Figure(
        go.Waterfall(
            x=[s[0] for s in steps],
            y=[s[1] / scale for s in steps],
            measure=[s[2] for s in steps],
            hovertext=hover,
            hoverinfo="text",
            increasing=dict(marker_color="#2a9d8f"),
            decreasing=dict(marker_color="#c8102e"),
            totals=dict(marker_color="#3b5b92"),
            connector=dict(line=dict(color="#adb5bd")),
        )
    )
    # The changes are small beside the totals: start the axis just below the lowest running
    # total (said in the axis title), or the bars of the changes would be invisible.
    running, levels = 0.0, []
    for _, value, measure in steps:
        running = (
            value if measure == "absolute" else running if measure == "total" else running + value
        )
        levels.append(running / scale)
    low, high = min(levels), max(levels)
    span = max(high - low, abs(high) * 0.01, 1e-9)
    floor = max(0.0, low - span * 0.6) if low > 0 else low - span * 0.1
    fig.update_layout(
        yaxis=dict(
            title=("kr per invånare" if per_invanare else "mnkr")
            + (" (axeln börjar inte på noll)" if floor > 0 else ""),
            range=[floor, high + span * 0.15],
            tickformat=",.0f",
        )
    )
    return _layout(fig, title, 480)
