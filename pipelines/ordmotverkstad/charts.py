"""Charts for Ord mot verkstad: what the analysis texts are about per colour, and each goal's
colour against the change in its money."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from pipelines import fmt
from pipelines.ordmotverkstad.classifier import VERDICTS

COLOURS = {"grön": "#16a34a", "gul": "#eab308", "röd": "#dc2626", "ej bedömd": "#9ca3af"}
VERDICT_COLOURS = {
    "action": "#166534",
    "mixed": "#a3a3a3",
    "internal": "#ea580c",
    "none": "#e5e7eb",
}


def verdict_by_assessment(frame: pl.DataFrame, title: str) -> go.Figure:
    """Stacked bars: per municipal colour, how many analyses are action, mixed or internal."""
    order = [a for a in COLOURS if a in set(frame["assessment"].to_list())]
    fig = go.Figure()
    for verdict, label in VERDICTS.items():
        counts = [
            frame.filter((pl.col("assessment") == a) & (pl.col("verdict") == verdict)).height
            for a in order
        ]
        fig.add_trace(
            go.Bar(
                name=label,
                x=order,
                y=counts,
                marker_color=VERDICT_COLOURS[verdict],
                text=[str(c) if c else "" for c in counts],
                textposition="inside",
                hovertemplate=f"%{{x}}: %{{y}} mål — {label}<br>Källa: goals, analystexten"
                " klassad med data/ord_mot_verkstad/rules.csv<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        yaxis={"dtick": 1 if frame.height <= 12 else None, "tickformat": "d"},
        title=title,
        xaxis_title="Kommunens färg",
        yaxis_title="Antal mål",
        legend_title="Analystexten handlar om",
        height=460,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )
    return fig


def _hover(r: dict) -> str:
    return (
        f"<b>{r['goal']}</b> ({r['doc_year']})<br>{r['money_of']}: budget {fmt.sek(r['budget'])}, "
        f"{fmt.percent(r['real_change'], 1)} i fasta priser; inre organisation "
        f"{fmt.percent(r['internal_share'])}<br>Källa: {r['source_file']} "
        f"{r['source_cell'] or ''}; {r['money_sources'] or ''}"
    )


def colour_against_money(frame: pl.DataFrame, title: str) -> go.Figure:
    """Each goal as a dot: change of its nämnd's budget in fixed prices (x) against the
    internal-organisation share of its analysis (y), coloured by the municipality's colour."""
    data = frame.filter(
        pl.col("real_change").is_not_null() & pl.col("internal_share").is_not_null()
    )
    fig = go.Figure()
    fig.add_shape(
        type="rect",
        xref="x",
        yref="paper",
        x0=-1000,
        x1=0,
        y0=0,
        y1=1,
        fillcolor="#fee2e2",
        opacity=0.5,
        line_width=0,
        layer="below",
    )
    for assessment, colour in COLOURS.items():
        part = data.filter(pl.col("assessment") == assessment)
        if part.is_empty():
            continue
        # Goals at the same point (same nämnd, same kind of text) share one dot sized by
        # their number, so none hides behind another.
        points: dict[tuple[float, float], list[dict]] = {}
        for r in part.iter_rows(named=True):
            xy = (round(r["real_change"] * 100, 1), round(r["internal_share"] * 100))
            points.setdefault(xy, []).append(r)
        fig.add_trace(
            go.Scatter(
                name=assessment,
                x=[x for x, _ in points],
                y=[y for _, y in points],
                mode="markers+text",
                text=[str(len(rs)) if len(rs) > 1 else "" for rs in points.values()],
                textposition="middle center",
                textfont={"color": "white"},
                marker={
                    "color": colour,
                    "size": [14 + 6 * min(len(rs), 6) for rs in points.values()],
                    "line": {"color": "#111827", "width": 1},
                },
                hovertext=["<br>".join(_hover(r) for r in rs[:4]) for rs in points.values()],
                hoverinfo="text",
            )
        )
    xs = [v * 100 for v in data["real_change"].to_list()] or [0.0]
    fig.update_xaxes(
        title="Nämndens budget, förändring mot året innan i fasta priser (%)",
        range=[min(min(xs), 0) - 2, max(max(xs), 0) + 2],
        zeroline=True,
        zerolinewidth=2,
    )
    fig.update_yaxes(title="Analystextens andel inre organisation (%)", range=[-5, 105])
    fig.update_layout(
        title=title,
        height=480,
        legend_title="Kommunens färg",
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        separators=", ",
    )
    return fig
