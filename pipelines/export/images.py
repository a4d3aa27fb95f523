"""Plotly charts as PNG through kaleido (which drives a headless Chrome/Chromium)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")


def _point_kaleido_at_browser() -> None:
    # kaleido 1.x finds Chrome through choreographer, which honours $BROWSER_PATH first and
    # then searches PATH. Debian names the binary "chromium"; say so when nothing is set.
    if os.environ.get("BROWSER_PATH"):
        return
    if DEBIAN_CHROMIUM.exists():
        os.environ["BROWSER_PATH"] = str(DEBIAN_CHROMIUM)
    elif found := shutil.which("chromium") or shutil.which("google-chrome"):
        os.environ["BROWSER_PATH"] = found


def chart_png(fig: go.Figure, width: int = 1280, height: int = 720, scale: float = 1.0) -> bytes:
    """The chart as PNG bytes, drawn with a white background for slides and documents."""
    _point_kaleido_at_browser()
    fig = go.Figure(fig)  # a copy: the page keeps its own layout
    fig.update_layout(template="plotly_white", paper_bgcolor="white", plot_bgcolor="white")
    return fig.to_image(format="png", width=width, height=height, scale=scale)


def charts_png(figs: list[go.Figure], width: int = 1280, height: int = 720) -> list[bytes]:
    """Several charts in one kaleido session (starting Chrome once, not once per chart)."""
    if not figs:
        return []
    _point_kaleido_at_browser()
    copies = []
    for fig in figs:
        fig = go.Figure(fig)
        fig.update_layout(template="plotly_white", paper_bgcolor="white", plot_bgcolor="white")
        copies.append(fig)
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / f"chart{i}.png" for i in range(len(copies))]
        pio.write_images(copies, paths, format="png", width=width, height=height)
        return [p.read_bytes() for p in paths]
