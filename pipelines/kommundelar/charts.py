"""Charts for the Kommundelar page and presentation mode: a schematic tile map drawn with
Plotly shapes (no map tiles from the internet) and a budget trend per kommundel."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.colors import sample_colorscale

from pipelines import fmt

MEASURES = {
    "drift_per_inv": ("Driftbudget per invånare", "kr"),
    "drift_budget": ("Driftbudget (KDN)", "mnkr"),
    "investment_budget": ("Investeringsbudget", "mnkr"),
    "investment_per_inv": ("Investeringar per invånare", "kr"),
}
NO_VALUE = "#e5e7eb"


def value_text(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    return fmt.sek(value, "mnkr") if unit == "mnkr" else f"{fmt.number(value)}\u00a0kr"


def tile_label(label: str, width: int = 11) -> str:
    """A long name broken after a hyphen or space so that it fits on its tile."""
    if len(label) <= width:
        return label
    for sep in ("-", " "):
        if sep in label:
            head, tail = label.split(sep, 1)
            return f"{head}{sep.strip()}<br>{tail}"
    return label


def tile_map(frame: pl.DataFrame, measure: str, selected: str | None = None) -> go.Figure:
    """One square tile per kommundel at its position from data/kommundelar.csv, coloured by
    `measure`; tiles without a value are grey and say so."""
    title, unit = MEASURES[measure]
    # The scale starts at zero: kommundelar with nearly the same figure look nearly the same.
    values = [v for v in frame[measure].to_list() if v is not None and v > 0]
    high = max(values) if values else 1.0
    fig = go.Figure()
    xs, ys, texts, hovers, inks = [], [], [], [], []
    for row in frame.iter_rows(named=True):
        x, y = row["tile_col"], -row["tile_row"]
        value = row[measure]
        if value is None:
            colour = NO_VALUE
        else:
            share = min(max(value / high, 0.0), 1.0)
            colour = sample_colorscale("Reds", [0.15 + 0.7 * share])[0]
        # white type on the dark tiles, dark type on the light ones
        inks.append("white" if value is not None and share > 0.55 else "#111827")
        is_selected = row["kommundel"] == selected
        fig.add_shape(
            type="rect",
            x0=x - 0.46,
            x1=x + 0.46,
            y0=y - 0.46,
            y1=y + 0.46,
            fillcolor=colour,
            line={"color": "#111827" if is_selected else "white", "width": 5 if is_selected else 2},
            layer="below",
        )
        xs.append(x)
        ys.append(y)
        texts.append(f"<b>{tile_label(row['label'])}</b><br>{value_text(value, unit)}")
        hovers.append(
            f"{row['label']}<br>{title}: {value_text(value, unit)}"
            f"<br>Invånare: {fmt.number(row['population'])}"
            f"<br>Källa: {row['source'] or 'saknas i databasen'}"
        )
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            # An invisible square per tile so that a click anywhere on it selects it.
            mode="markers+text",
            marker={"symbol": "square", "size": 80, "color": "rgba(0,0,0,0)"},
            text=texts,
            textfont={"size": 14, "color": inks},
            hovertext=hovers,
            hoverinfo="text",
            customdata=frame["kommundel"].to_list(),
            showlegend=False,
        )
    )
    fig.update_xaxes(visible=False, range=[-0.6, frame["tile_col"].max() + 0.6], fixedrange=True)
    fig.update_yaxes(
        visible=False,
        range=[-frame["tile_row"].max() - 0.6, 0.6],
        scaleanchor="x",
        fixedrange=True,
    )
    fig.update_layout(
        title=f"{title} — schematisk karta (norr uppåt)",
        height=520,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        plot_bgcolor="white",
    )
    return fig


def drift_trend(series: pl.DataFrame, label: str, sources: str = "") -> go.Figure:
    """The KDN's adopted operating budget per year, in mnkr."""
    fig = go.Figure(
        go.Bar(
            x=[str(y) for y in series["year"].to_list()],
            y=[a / 1e6 for a in series["amount_sek"].to_list()],
            text=[fmt.sek(a) for a in series["amount_sek"].to_list()],
            textposition="outside",
            marker_color="#b91c1c",
            hovertemplate="%{x}: %{text}<br>Källa: " + (sources or "facts") + "<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"{label}: antagen driftbudget per år",
        yaxis_title="mnkr",
        height=420,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        separators=", ",
    )
    return fig
