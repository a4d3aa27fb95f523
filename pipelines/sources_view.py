"""Shared page components: "Visa källor", data downloads (xlsx, CSV), chart PNG and PPTX.

Every figure on a page comes from a cell of a document. `show_sources` lists the file,
sheet and cell of every figure in a chart or table; `source_text` makes the short text a
chart's hover shows. Downloads generate their bytes only when clicked (Streamlit's deferred
`data=` callable), so a page render never waits for kaleido or openpyxl.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from pipelines.export import to_csv_bytes, to_xlsx_bytes

SOURCE_COLUMNS = {
    "organisation": "Organisation",
    "line_item": "Rad",
    "year": "År",
    "measure": "Mått",
    "amount_sek": "Belopp (kr)",
    "source_file": "Fil",
    "source_sheet": "Blad",
    "source_cell": "Cell",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def source_text(file: str | None, sheet: str | None, cell: str | None) -> str:
    """'budget-2025.xlsx, blad Drift, cell D14' — the hover line of one figure."""
    parts = [file or "okänd fil"]
    if sheet:
        parts.append(f"blad {sheet}")
    if cell:
        parts.append(f"cell {cell}")
    return ", ".join(parts)


def sources_summary(sources: str | None, limit: int = 3) -> str:
    """A `; `-joined list of sources shortened for a hover box."""
    if not sources:
        return "ingen källa"
    items = [s for s in sources.split("; ") if s]
    more = f" … och {len(items) - limit} till" if len(items) > limit else ""
    return "<br>".join(items[:limit]) + more


def _swedish(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({k: v for k, v in SOURCE_COLUMNS.items() if k in frame.columns})


def show_sources(frame: pl.DataFrame, key: str, title: str = "Visa källor") -> None:
    """An expander with the source file, sheet and cell of every figure in `frame`."""
    with st.expander(f"{title} ({frame.height} celler)"):
        if frame.is_empty():
            st.caption("Inga källceller för det som visas.")
            return
        st.dataframe(_swedish(frame), hide_index=True, key=f"{key}_table")
        download_data({"Källor": _swedish(frame)}, f"{key}-kallor", key=f"{key}_dl")


def download_data(
    sheets: dict[str, pl.DataFrame],
    file_stem: str,
    key: str,
    notes: Sequence[str] = (),
    csv: bool = True,
) -> None:
    """Download buttons: the tables as xlsx (one sheet each) and the first as CSV."""
    cols = st.columns(2 if csv else 1)
    cols[0].download_button(
        "Ladda ned data (xlsx)",
        data=lambda: to_xlsx_bytes(sheets, notes),
        file_name=f"{file_stem}.xlsx",
        mime=XLSX,
        key=f"{key}_xlsx",
        on_click="ignore",
    )
    if csv and sheets:
        first = next(iter(sheets.values()))
        cols[1].download_button(
            "Ladda ned data (csv)",
            data=lambda: to_csv_bytes(first),
            file_name=f"{file_stem}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            on_click="ignore",
        )


def download_png(fig: go.Figure, file_stem: str, key: str) -> None:
    """A button that draws the chart as PNG (kaleido) when clicked."""
    from pipelines.export.images import chart_png

    st.download_button(
        "Ladda ned diagram (png)",
        data=lambda: chart_png(fig),
        file_name=f"{file_stem}.png",
        mime="image/png",
        key=f"{key}_png",
        on_click="ignore",
    )


def download_pptx(make: Callable[[], bytes], file_stem: str, key: str, label: str) -> None:
    """A button that builds a PPTX (python-pptx, charts as images) when clicked."""
    st.download_button(
        label,
        data=make,
        file_name=f"{file_stem}.pptx",
        mime=PPTX,
        key=f"{key}_pptx",
        on_click="ignore",
    )
