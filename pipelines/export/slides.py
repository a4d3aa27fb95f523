"""Proposals and pages as PPTX (python-pptx), charts placed as PNG images."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from pipelines.export.images import charts_png

WIDE = (Inches(13.333), Inches(7.5))


@dataclass
class Slide:
    """One slide: a title, optional lines of text, an optional chart, an optional table."""

    title: str
    lines: Sequence[str] = ()
    chart: go.Figure | None = None
    table: Sequence[Sequence[str]] = ()  # first row is the header
    note: str = ""  # small print at the bottom: the source, the demo label


def _text_box(slide, left, top, width, height, lines: Sequence[str], size: int, bold=False):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = line
        para.font.size = Pt(size)
        para.font.bold = bold
    return box


def build_pptx(slides: Sequence[Slide], footer: str = "") -> bytes:
    """A 16:9 deck, one chart per slide at most, large type for a projector."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDE
    blank = prs.slide_layouts[6]
    images = iter(charts_png([s.chart for s in slides if s.chart is not None], 1600, 800))
    width, height = prs.slide_width, prs.slide_height
    margin = Inches(0.5)
    for spec in slides:
        slide = prs.slides.add_slide(blank)
        _text_box(
            slide, margin, Inches(0.3), width - 2 * margin, Inches(0.9), [spec.title], 32, True
        )
        top = Inches(1.3)
        if spec.lines:
            n = len(spec.lines)
            box_h = Inches(min(0.45 * n + 0.2, 2.2 if spec.chart is not None else 5.5))
            _text_box(slide, margin, top, width - 2 * margin, box_h, list(spec.lines), 20)
            top = Emu(top + box_h)
        if spec.chart is not None:
            png = next(images)
            avail_h = height - top - Inches(0.8)
            pic_w = min(width - 2 * margin, Emu(int(avail_h * 2)))
            slide.shapes.add_picture(
                io.BytesIO(png), Emu(int((width - pic_w) / 2)), top, width=pic_w
            )
        elif spec.table:
            rows, cols = len(spec.table), len(spec.table[0])
            shape = slide.shapes.add_table(
                rows, cols, margin, top, width - 2 * margin, Inches(0.4) * rows
            )
            for r, row in enumerate(spec.table):
                for c, value in enumerate(row):
                    cell = shape.table.cell(r, c)
                    cell.text = str(value)
                    for para in cell.text_frame.paragraphs:
                        para.font.size = Pt(14)
        small = " · ".join(x for x in (spec.note, footer) if x)
        if small:
            _text_box(
                slide, margin, height - Inches(0.7), width - 2 * margin, Inches(0.5), [small], 11
            )
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
