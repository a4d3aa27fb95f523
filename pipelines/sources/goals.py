"""Goal tables → goal rows: goal text, responsible nämnd, assessment, analysis.

The assessment is read from words (Grön, Uppfyllt, Delvis uppfyllt, Ej uppfyllt, ...),
symbols (✔, ▲, ✖, a coloured ●) or, when the cell says nothing, its fill colour (openpyxl,
read-only, only the goal table's rows). Colours may be given as RGB, as the old indexed
palette or as a theme colour with a tint ("Grön, dekorfärg 6, ljusare 40 %"), which is
resolved through the workbook's own theme (xl/theme/theme1.xml). A colour is judged by its
hue, so that pale fills (Excel's "Bra", "Neutral" and "Dåligt" cell styles) count too.
"""

from __future__ import annotations

import colorsys
import re
from pathlib import Path
from typing import Any

from pipelines import registry
from pipelines.read.files import cell_ref
from pipelines.read.headers import fold
from pipelines.read.tables import GoalTable, Grid
from pipelines.sources.facts import org_in_text

GREEN, YELLOW, RED, NONE = "grön", "gul", "röd", "ej bedömd"

# Checked in order: "not assessed" first, then "delvis" (also "delvis god måluppfyllelse"),
# then the negative forms ("bedöms inte uppfyllas", "uppnås ej", "låg måluppfyllelse"),
# and only then the positive ones, which the negative forms contain.
_GOAL_VERB = r"(uppfyll\w*|uppnå\w*|nås|når|nått|nådd)"
_WORDS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"ej bedöm|inte bedöm|kan ej bedömas|kan inte bedömas|ej mätbar|ej aktuell|saknas|"
            r"ej mätt|inte mätbar|kan inte mätas|kan ej mätas|följs upp i|redovisas i bokslut"
        ),
        NONE,
    ),
    (
        re.compile(
            r"delvis|påbörjat|på väg|pågår|\bgul\b|\bgult\b|\bgula\b|orange|yellow|amber|"
            r"\b(inte|ej) helt\b|\bmedel\w* måluppfyllelse"
        ),
        YELLOW,
    ),
    (
        re.compile(
            r"\bej uppfyllt|\binte uppfyllt|\bej uppnått|\binte uppnått|\bröd\b|\brött\b|"
            r"\bröda\b|\bred\b|\bej\b|\bnej\b|"
            r"\binte\b.{0,20}\b" + _GOAL_VERB + r"|\b" + _GOAL_VERB + r"\s+(inte|ej)\b|"
            r"\b(låg|ingen|svag) måluppfyllelse"
        ),
        RED,
    ),
    (
        re.compile(
            r"uppfyllt|uppfylld|uppnått|uppnådd|\bgrön\b|\bgrönt\b|\bgröna\b|\bgreen\b|"
            r"\bja\b|helt|\b" + _GOAL_VERB + r"\b|\b(hög|god|full) måluppfyllelse"
        ),
        GREEN,
    ),
]
_SYMBOLS = {
    "✔": GREEN, "✓": GREEN, "☑": GREEN, "✅": GREEN, "🟢": GREEN,
    "▲": YELLOW, "△": YELLOW, "◐": YELLOW, "⚠": YELLOW, "🟡": YELLOW, "🟠": YELLOW,
    "✖": RED, "✗": RED, "✘": RED, "❌": RED, "▼": RED, "🔴": RED,
    "○": NONE, "–": NONE, "-": NONE,
}  # fmt: skip
_DOTS = {"●", "⬤", "•", "◉", "■", "⚫"}


def assessment_from_text(text: str | None) -> str | None:
    """grön/gul/röd/ej bedömd from words or symbols, None when the text says nothing."""
    if not text or not text.strip():
        return None
    t = fold(text)
    for pattern, value in _WORDS:
        if pattern.search(t):
            return value
    stripped = t.strip()
    for symbol, value in _SYMBOLS.items():
        if stripped.startswith(symbol):
            return value
    return None


def assessment_from_rgb(rgb: Any) -> str | None:
    """grön/gul/röd from an ARGB hex colour such as FF00B050, None for others.

    Judged by hue: red (also pink, Excel's "Dåligt" fill FFC7CE), orange and yellow (gul,
    also "Neutral" FFEB9C), green (also "Bra" C6EFCE); greys, white, black, blue and purple
    say nothing.
    """
    if not isinstance(rgb, str) or not re.fullmatch(r"[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8}", rgb):
        return None
    r, g, b = (int(rgb[-6:][k : k + 2], 16) / 255 for k in (0, 2, 4))
    if len(rgb) == 8 and rgb[:2] == "00" and (r, g, b) == (0, 0, 0):
        return None  # openpyxl's "no colour"
    hue, saturation, value = colorsys.rgb_to_hsv(r, g, b)
    if saturation < 0.12 or value < 0.3:
        return None  # grey, white, black, or a near-white pastel used for banding
    degrees = hue * 360
    if degrees < 15 or degrees >= 330:
        return RED
    if degrees < 68:
        return YELLOW  # orange, amber, yellow
    if degrees < 170:
        return GREEN
    return None  # cyan, blue, purple: no traffic-light colour


# The order of a theme's colour scheme in its XML, and the order Excel's theme indices use
# (light 1 and dark 1, light 2 and dark 2 swapped).
_SCHEME = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5",
           "accent6", "hlink", "folHlink")  # fmt: skip
_THEME_INDEX = (1, 0, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11)
_DRAWINGML = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def theme_colours(theme_xml: bytes | str | None) -> list[str]:
    """The RGB hex of each theme colour index (0 = light 1, 1 = dark 1, 4-9 = accents)."""
    from defusedxml import ElementTree

    if not theme_xml:
        return []
    try:
        root = ElementTree.fromstring(theme_xml)
    except Exception:  # noqa: BLE001 - a broken theme only loses the colours
        return []
    scheme = root.find(f".//{_DRAWINGML}clrScheme")
    if scheme is None:
        return []
    by_name = {}
    for element in scheme:
        name = element.tag.replace(_DRAWINGML, "")
        for colour in element:
            tag = colour.tag.replace(_DRAWINGML, "")
            value = colour.get("val") if tag == "srgbClr" else colour.get("lastClr")
            if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value):
                by_name[name] = value.upper()
                break
    ordered = [by_name.get(name) for name in _SCHEME]
    if any(c is None for c in ordered):
        return []
    return [ordered[i] for i in _THEME_INDEX]


def apply_tint(rgb: str, tint: float) -> str:
    """Excel's tint: lightness scaled towards black (tint < 0) or white (tint > 0)."""
    r, g, b = (int(rgb[-6:][k : k + 2], 16) / 255 for k in (0, 2, 4))
    if not tint:
        return rgb[-6:].upper()
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    if tint < 0:
        lightness = lightness * (1 + tint)
    else:
        lightness = lightness * (1 - tint) + tint
    lightness = min(1.0, max(0.0, lightness))
    out = colorsys.hls_to_rgb(hue, lightness, saturation)
    return "".join(f"{round(v * 255):02X}" for v in out)


def _rgb(color: Any, theme: list[str] | None = None) -> str | None:
    """The ARGB hex of an openpyxl colour: RGB, the old indexed palette (xls-era files) or,
    given the workbook's theme colours, a theme colour with its tint."""
    if color is None:
        return None
    kind = getattr(color, "type", None)
    if kind == "rgb":
        value = getattr(color, "rgb", None)
        return value if isinstance(value, str) else None
    if kind == "indexed":
        from openpyxl.styles.colors import COLOR_INDEX

        index = getattr(color, "indexed", None)
        if isinstance(index, int) and 0 <= index < len(COLOR_INDEX):
            return COLOR_INDEX[index]
    if kind == "theme" and theme:
        index = getattr(color, "theme", None)
        if isinstance(index, int) and 0 <= index < len(theme):
            tint = getattr(color, "tint", 0.0) or 0.0
            return "FF" + apply_tint(theme[index], float(tint))
    return None


def _styles(path: Path, sheet: str, first: int, last: int, cols: list[int]) -> dict:
    """(row, col) → (fill rgb, font rgb) for the given rows and absolute columns."""
    import openpyxl

    out: dict[tuple[int, int], tuple[Any, Any]] = {}
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - colours are optional; words still count
        return out
    try:
        theme = theme_colours(getattr(wb, "loaded_theme", None))
        ws = wb[sheet]
        for r, row in enumerate(ws.iter_rows(min_row=first + 1, max_row=last + 1), start=first):
            for cell in row:
                col = getattr(cell, "column", None)
                if col is None or col - 1 not in cols:
                    continue
                fill = getattr(getattr(cell, "fill", None), "fgColor", None)
                font = getattr(getattr(cell, "font", None), "color", None)
                out[(r, col - 1)] = (_rgb(fill, theme), _rgb(font, theme))
    finally:
        wb.close()
    return out


def goal_rows(
    path: Path, fmt: str, grid: Grid, table: GoalTable, year: int | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """The goals of one goal table, and report messages."""
    sheet = grid.sheet
    messages: list[str] = []
    abs_col = sheet.columns
    table_org = None
    for text in [*reversed(table.context), sheet.name]:
        if org := org_in_text(text, year):
            table_org = org
            break
    colour_cols = [abs_col[c] for c in (table.assess_col, table.goal_col) if c is not None]
    styles = (
        _styles(path, sheet.name, table.first_row, table.last_row, colour_cols)
        if fmt == "xlsx"
        else {}
    )
    out = []
    heading_org = None
    unknown = set()
    by_colour = 0
    uncoloured: list[str] = []  # no words, no symbol, and a format whose colours are not read
    for r in range(table.first_row, table.last_row + 1):
        goal = grid.text(r, table.goal_col)
        if not goal:
            continue
        assess_text = grid.text(r, table.assess_col) if table.assess_col is not None else None
        analysis = grid.text(r, table.analysis_col) if table.analysis_col is not None else None
        org_text = grid.text(r, table.org_col) if table.org_col is not None else None
        if not assess_text and not analysis and not org_text:
            # a heading row: a nämnd's name above its goals
            found = registry.normalise(goal, year)
            if found:
                heading_org = found
                continue
        assessment = assessment_from_text(assess_text)
        source = table.assess_col if table.assess_col is not None else table.goal_col
        if assessment is None or (assess_text and assess_text.strip()[:1] in _DOTS):
            fill, font = styles.get((r, abs_col[source]), (None, None))
            colour = assessment_from_rgb(fill) or (
                assessment_from_rgb(font) if assess_text else None
            )
            if colour is None and table.assess_col is not None:
                fill, _ = styles.get((r, abs_col[table.goal_col]), (None, None))
                colour = assessment_from_rgb(fill)
            if colour:
                assessment = colour
                by_colour += 1
        if assessment is None:
            assessment = NONE
            if fmt != "xlsx" and not assess_text:
                uncoloured.append(cell_ref(r, abs_col[source]))
            if assess_text:
                messages.append(
                    f"blad '{sheet.name}' cell {cell_ref(r, abs_col[source])}: bedömningen "
                    f"'{assess_text}' kunde inte tolkas; sparas som ej bedömd"
                )
        organisation = None
        if org_text:
            organisation = registry.normalise(org_text, year) or org_text
            if organisation == org_text and registry.normalise(org_text, year) is None:
                unknown.add(org_text)
        organisation = organisation or heading_org or table_org
        out.append(
            {
                "organisation": organisation,
                "goal": goal,
                "assessment": assessment,
                "analysis": analysis,
                "source_sheet": sheet.name,
                "source_cell": cell_ref(r, abs_col[table.goal_col]),
            }
        )
    if by_colour:
        messages.append(f"blad '{sheet.name}': {by_colour} bedömningar lästa ur cellfärgen")
    if uncoloured:
        # xls, ods and CSV: the reader gives no cell colours, so a goal assessed only by
        # its fill colour would silently read as not assessed
        messages.append(
            f"blad '{sheet.name}': {len(uncoloured)} bedömningar utan ord eller symbol sparas "
            f"som ej bedömd ({', '.join(uncoloured[:10])}); cellfärger läses bara ur xlsx och "
            "xlsm, spara filen som xlsx om bedömningen bara syns som färg"
        )
    if unknown:
        messages.append(
            "okända organisationer i måltabell, behållna med publicerat namn: "
            + ", ".join(sorted(unknown))
        )
    return out, messages
