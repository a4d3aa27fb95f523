"""Tables found in a sheet without a template.

A header row is a row without amounts whose cells use budget wording (Budget, Plan, Utfall,
Prognos, Avvikelse, ram, Belopp, ...) or are years. A header may have a row above it whose
cells (often merged: "Helår 2025" over "Budget | Prognos") add year or period. A table runs
from its header to the next header or the end of the sheet; title rows, notes and blank rows
around it are context (units, document kind, year). Goal tables (Mål | Bedömning | Analys)
are found the same way by their own wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import polars as pl

from pipelines.read.files import Sheet, cell_ref
from pipelines.read.headers import ColumnMeaning, fold, parse_header
from pipelines.read.numbers import ERROR, EXCEL_ERROR, MISSING, NUMBER, TEXT, ZERO, parse_series

_HEADER_WORDS = (
    r"(?i)budget|\bbu\b|\bbu\s*-?\d|\bplan\b|\bplan\s|utfall|bokslut|prognos|avvikelse|"
    r"\bavv\b|\back\b|\back\.|\bram\b|\bramar\b|belopp|förslag|differens|nettokostnad|"
    r"kommunbidrag|helår|\b[bp]\s?20\d\d\b|"
    # a proposal's table of its own satsningar: "Satsning | Nämnd | 2026" (one year, or years
    # with their unit "2026 (tkr)", which alone would not make a header), not "Satsning på …"
    r"^\s*satsning(ar)?\s*([,(:]|$)|"
    # a cell that states only a unit, in a header row of its own under "Budget 2026"
    r"^\s*\(?(kr|tkr|mnkr|mkr|mdkr|kronor|tusen kronor|miljoner kronor)\)?\s*$"
)
# a header cell that is a year, alone or with its unit: "2026", "2026 (tkr)", "2026, mnkr"
_YEAR_CELL = r"^\s*(19[5-9]\d|20\d\d)\s*(,?\s*\(?(kr|tkr|mnkr|mkr|mdkr)\)?)?\s*$"
_GOAL_WORDS = r"(?i)^\s*(mål|målområde|målsättning|nämndmål|nämndens mål|inriktningsmål|kf-mål|kommunfullmäktiges mål|verksamhetsmål|mål\s?/|mål och)\b"
_ASSESS_WORDS = re.compile(r"bedömning|måluppfyllelse|uppfyllelse|status|bedömd|måluppfyllnad")
_ANALYSIS_WORDS = re.compile(r"analys|kommentar|motivering|beskrivning|åtgärd")
_ORG_WORDS = re.compile(r"nämnd|styrelse|förvaltning|organisation|\bansvar|bolag|ansvarig")
_KOMMUNDEL_WORDS = re.compile(r"kommundel|geografi|\bort\b|stadsdel|\bområde\b")
_CODE_WORDS = re.compile(r"\bnr\b|nummer|\bkod\b|\bid\b|konto|projnr|projektnr|\bnr\.")


@dataclass
class ValueColumn:
    col: int  # frame column position
    abs_col: int
    meaning: ColumnMeaning
    header_cell: str
    # a column read in long form (Nämnd | År | Typ | Belopp) becomes one virtual column per
    # measure and year: `col` is then a number past the sheet's columns, and `data_col` the
    # frame position of the cells it comes from
    data_col: int | None = None

    @property
    def cells_col(self) -> int:
        return self.col if self.data_col is None else self.data_col


@dataclass
class Table:
    """One amounts table in a sheet: header rows, label and value columns, data row range."""

    sheet: str
    header_rows: list[int]
    first_row: int  # first data row (0-based sheet row)
    last_row: int  # last row that belongs to the table (inclusive)
    value_columns: list[ValueColumn]
    label_columns: list[int]  # frame positions, left to right
    roles: dict[int, str]  # label column → label, org, item, kommundel, code
    context: list[str] = field(default_factory=list)  # text above the header, nearest last
    ignored_columns: list[str] = field(default_factory=list)

    def range_ref(self, sheet: Sheet) -> str:
        cols = [sheet.columns[c] for c in self.label_columns] + [
            v.abs_col for v in self.value_columns
        ]
        return f"{cell_ref(self.header_rows[0], min(cols))}:{cell_ref(self.last_row, max(cols))}"


@dataclass
class GoalTable:
    sheet: str
    header_row: int
    first_row: int
    last_row: int
    goal_col: int
    org_col: int | None
    assess_col: int | None
    analysis_col: int | None
    context: list[str] = field(default_factory=list)


@dataclass
class Grid:
    """A sheet with every cell's number and status computed once, in bulk."""

    sheet: Sheet
    values: pl.DataFrame  # Float64 per column, null when not a number
    status: pl.DataFrame  # number, zero, missing, error, text
    stats: pl.DataFrame  # per row: n_num, n_year, n_nonempty, n_words, n_goal

    def text(self, row: int, col: int) -> str | None:
        value = self.sheet.cell_text(row, col)
        return value.strip() if value and value.strip() else None

    def row_texts(self, row: int) -> list[str | None]:
        return [self.text(row, c) for c in range(self.sheet.frame.width)]


_PLAIN = r"^-?\d+(\.\d+)?$"
# text that may be a number in Swedish notation, or a dash: only these take the slow parse
_CANDIDATE = r"^[\s(+\-−–—‒‐\u00a0]*\d|^[\s\u00a0]*[-–—−‐‒]{1,2}[\s\u00a0*]*$"
_BLANK = r"^[\s\x1c-\x1f]*$"
# an Excel error value (#REF!, #N/A) is looked at too: it is no text, and no amount
_MAYBE = _CANDIDATE + "|" + _BLANK + "|^#"
_ERROR_RE = re.compile(EXCEL_ERROR)


def _parse_frame(sheet: Sheet) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Numbers and statuses of every cell.

    Numeric cells arrive as numbers (a typed column) or as plain decimal text and are cast
    at once; only the few cells that look like Swedish text numbers or dashes, and text
    above the data in a typed column, go through the full parser.
    """
    frame = sheet.frame
    out_values, out_status = [], []
    for c in frame.columns:
        col = frame[c]
        if col.dtype != pl.String:
            v = col.cast(pl.Float64)
            st = pl.select(
                pl.when(v.is_null()).then(pl.lit(MISSING)).otherwise(pl.lit(NUMBER)).alias(c)
            ).to_series()
            out_values.append(v)
            out_status.append(st)
            continue
        # Most text cells (names, labels) start with a letter: one pass finds the few that
        # may be numbers, dashes or blank, and only those are looked at closer.
        v = pl.repeat(None, len(col), dtype=pl.Float64, eager=True).alias(c)
        st = pl.select(
            pl.when(col.is_null()).then(pl.lit(MISSING)).otherwise(pl.lit(TEXT)).alias(c)
        ).to_series()
        idx = col.str.contains(_MAYBE).fill_null(False).arg_true()
        if len(idx):
            sub = col.gather(idx)
            plain = sub.str.contains(_PLAIN)
            sub_v = pl.select(pl.when(plain).then(sub.cast(pl.Float64, strict=False))).to_series()
            sub_st = pl.select(
                pl.when(plain)
                .then(pl.lit(NUMBER))
                .when(sub.str.contains(_BLANK))
                .then(pl.lit(MISSING))
                .when(sub.str.contains(EXCEL_ERROR))
                .then(pl.lit(ERROR))
                .otherwise(pl.lit(TEXT))
            ).to_series()
            rest = (~plain & sub.str.contains(_CANDIDATE)).arg_true()
            if len(rest):
                parsed, parsed_status = parse_series(sub.gather(rest))
                sub_v = sub_v.scatter(rest, parsed)
                sub_st = sub_st.scatter(rest, parsed_status)
            v = v.scatter(idx, sub_v)
            st = st.scatter(idx, sub_st)
        out_values.append(v.alias(c))
        out_status.append(st.alias(c))
    if sheet.overrides:
        keys = list(sheet.overrides)
        parsed, parsed_status = parse_series(pl.Series(list(sheet.overrides.values())))
        by_col: dict[int, list[tuple[int, float | None, str]]] = {}
        for (row, col), value, status in zip(keys, parsed, parsed_status, strict=True):
            by_col.setdefault(col, []).append((row, value, status))
        # one scatter per column (a column of #N/A cells gives thousands of overrides)
        for col, cells in by_col.items():
            rows, vals, stats = zip(*cells, strict=True)
            out_values[col] = out_values[col].scatter(list(rows), pl.Series(vals, dtype=pl.Float64))
            out_status[col] = out_status[col].scatter(list(rows), list(stats))
    return pl.DataFrame(out_values), pl.DataFrame(out_status)


def _years(sheet: Sheet, values: pl.DataFrame) -> pl.DataFrame:
    """Per cell: a year written alone (1950–2099), as text or as a number, or with its
    unit ("2026 (tkr)", "2026 mnkr")."""
    year = _YEAR_CELL
    frame = sheet.frame
    cols = []
    for c in frame.columns:
        v = values[c]
        maybe = ((v == v.round(0)) & (v >= 1950) & (v <= 2099)).fill_null(False)
        col = frame[c]
        if col.dtype == pl.String:
            # as text only when written alone: "2 026" or "2026,0" is an amount
            idx = maybe.arg_true()
            if len(idx):
                maybe = maybe.scatter(idx, col.gather(idx).str.contains(year).fill_null(False))
        cols.append(maybe.alias(c))
    out = pl.DataFrame(cols)
    for (row, col), text in sheet.overrides.items():
        if re.match(year, text):
            out = out.with_columns(out[:, col].scatter(row, True))
    return out


def make_grid(sheet: Sheet) -> Grid:
    """Numbers, statuses and per-row counts of a sheet, computed in bulk."""
    frame = sheet.frame
    cols = frame.columns
    if not cols:
        empty = pl.Series([], dtype=pl.UInt32)
        stats = pl.DataFrame(
            {k: empty for k in ("n_num", "n_year", "n_nonempty", "n_words", "n_goal")}
        )
        return Grid(sheet, frame, frame, stats)
    values, status = _parse_frame(sheet)
    years = _years(sheet, values)
    stats = pl.DataFrame(
        {
            "n_num": status.select(
                pl.sum_horizontal(pl.col(c).is_in([NUMBER, ZERO]) & ~years[c] for c in cols)
            ).to_series(),
            "n_year": years.select(pl.sum_horizontal(pl.all())).to_series(),
            "n_nonempty": status.select(
                pl.sum_horizontal(pl.col(c) != MISSING for c in cols)
            ).to_series(),
        }
    )
    # Header and goal wording is only looked for in rows without amounts.
    words = pl.zeros(frame.height, dtype=pl.UInt32, eager=True).alias("n_words")
    goals = pl.zeros(frame.height, dtype=pl.UInt32, eager=True).alias("n_goal")
    idx = (stats["n_num"] == 0).arg_true()
    if len(idx):
        texts = [c for c in cols if frame[c].dtype == pl.String]
        sub = frame[idx].select(texts)
        for (row, col), text in sheet.overrides.items():
            # text above the data in a typed column (headers, titles); error values hold
            # no header words
            if _ERROR_RE.match(text):
                continue
            name = f"o{col}"
            if name not in sub.columns:
                sub = sub.with_columns(pl.lit(None, dtype=pl.String).alias(name))
            at = idx.search_sorted(row)
            if at < len(idx) and idx[at] == row:
                sub = sub.with_columns(sub[name].scatter(at, text))
        counted = (
            sub.select(
                pl.sum_horizontal(
                    pl.col(c).str.contains(_HEADER_WORDS).fill_null(False) for c in sub.columns
                )
                .cast(pl.UInt32)
                .alias("w"),
                pl.sum_horizontal(
                    pl.col(c).str.contains(_GOAL_WORDS).fill_null(False) for c in sub.columns
                )
                .cast(pl.UInt32)
                .alias("g"),
            )
            if sub.width
            else None
        )
        if counted is not None:
            words = words.scatter(idx, counted["w"])
            goals = goals.scatter(idx, counted["g"])
    stats = stats.with_columns(n_words=words, n_goal=goals)
    return Grid(sheet, values, status, stats)


def _is_year_header(grid: Grid, row: int) -> bool:
    """A row of years is a header ("Nämnd | 2025 | 2026 | 2027"), not a line whose amounts
    happen to lie between 1950 and 2099: its years run on from each other, left to right,
    and its label is no organisation's name."""
    texts = grid.row_texts(row)
    years = [int(m.group(1)) for t in texts if t and (m := re.match(_YEAR_CELL, t))]
    steps = [b - a for a, b in zip(years, years[1:], strict=False)]
    if not steps or any(step not in (0, 1) for step in steps):
        return False
    label = next((t for t in texts if t and not re.fullmatch(r"\d+", t)), None)
    if label:
        from pipelines import registry

        if registry.normalise(re.sub(r"^\d[\d .:)-]*\s+", "", label)):
            return False
    return True


def _upper_texts(grid: Grid, row: int, width: int, value_cols: set[int]) -> list[str | None]:
    """The texts of a header's upper row, merged cells spread over their whole range."""
    sheet = grid.sheet
    texts = grid.row_texts(row)
    abs_to_pos = {a: i for i, a in enumerate(sheet.columns)}
    merged_any = False
    for r1, c1, r2, c2 in sheet.merges:
        if r1 <= row <= r2 and c2 > c1:
            src = abs_to_pos.get(c1)
            value = grid.text(r1, src) if src is not None else None
            for c in range(c1, c2 + 1):
                if c in abs_to_pos:
                    texts[abs_to_pos[c]] = value
            merged_any = True
    if not merged_any:
        # No merge information (CSV, xls, ods, or "centre across selection"): spread a
        # label to the right over value columns until the next label.
        current = None
        for c in range(width):
            if texts[c]:
                current = texts[c] if c in value_cols else None
            elif current and c in value_cols:
                texts[c] = current
    return texts


def _vertical_merge_top(grid: Grid, row: int, col: int) -> bool:
    abs_col = grid.sheet.columns[col]
    return any(
        r1 == row and r2 > row and c1 <= abs_col <= c2 for r1, c1, r2, c2 in grid.sheet.merges
    )


def find_tables(grid: Grid) -> tuple[list[Table], list[GoalTable]]:
    """Every amounts table and goal table in a sheet, top to bottom."""
    sheet = grid.sheet
    frame = sheet.frame
    width = frame.width
    if width == 0 or frame.height == 0:
        return [], []
    stats = grid.stats.with_row_index("row")
    header_like = stats.filter(
        (pl.col("n_num") == 0)
        & (((pl.col("n_words") >= 1) & (pl.col("n_nonempty") >= 2)) | (pl.col("n_year") >= 2))
    )["row"].to_list()
    only_years = set(
        stats.filter((pl.col("n_num") == 0) & (pl.col("n_words") == 0) & (pl.col("n_year") >= 2))[
            "row"
        ].to_list()
    )
    header_like = [r for r in header_like if r not in only_years or _is_year_header(grid, r)]
    goal_rows = stats.filter((pl.col("n_goal") >= 1) & (pl.col("n_nonempty") >= 2))["row"].to_list()
    goal_headers = []
    for r in goal_rows:
        texts = [fold(t) if t else "" for t in grid.row_texts(r)]
        if any(_ASSESS_WORDS.search(t) or _ANALYSIS_WORDS.search(t) for t in texts):
            goal_headers.append(r)
    header_set = set(header_like)

    # Group consecutive header-like rows into one header (two-row headers).
    groups: list[list[int]] = []
    for r in header_like:
        if r in goal_headers:
            continue
        if groups and groups[-1][-1] == r - 1 and len(groups[-1]) < 3:
            groups[-1].append(r)
        else:
            groups.append([r])
    groups = _drop_repeated_headers(grid, groups)
    height = frame.height
    hidden_cols = sheet.hidden_columns

    def build(groups: list[list[int]], starts: list[int]) -> tuple[list[Table], list[list[int]]]:
        tables: list[Table] = []
        used: list[list[int]] = []
        prev_end = -1
        for rows in groups:
            last_header = rows[-1]
            following = [s for s in starts if s > last_header]
            end = (following[0] - 1) if following else height - 1
            lower = [parse_header(t) for t in grid.row_texts(last_header)]
            meanings = list(lower)
            for upper_row in reversed(rows[:-1]):
                value_cols = {c for c, m in enumerate(meanings) if m.measure} or set(range(width))
                uppers = _upper_texts(grid, upper_row, width, value_cols)
                meanings = [m.merged_with(parse_header(uppers[c])) for c, m in enumerate(meanings)]
            value_cols = {c for c, m in enumerate(meanings) if m.measure}
            # A single header row may still have a row above it that adds year or period.
            # Not over a column headed "Satsning" that holds text (a label column, see
            # below): "Våra satsningar (tkr)" above "Satsning | 2026 | 2027" is a title.
            below = grid.status.slice(last_header + 1, max(end - last_header, 0))
            value_cols = {
                c
                for c in value_cols
                if not re.match(r"satsning", fold(grid.text(last_header, c) or ""))
                or (below[f"c{c}"] == TEXT).sum() <= below[f"c{c}"].is_in([NUMBER, ZERO]).sum()
            }
            above = rows[0] - 1
            if len(rows) == 1 and above > prev_end and above >= 0 and above not in header_set:
                srow = grid.stats.row(above, named=True)
                if srow["n_num"] == 0 and srow["n_nonempty"] >= 1 and value_cols:
                    first_value = min(value_cols)
                    raw = grid.row_texts(above)
                    over_values = any(raw[c] for c in value_cols) or any(
                        r1 <= above <= r2
                        and any(sheet.columns[c] in range(c1, c2 + 1) for c in value_cols)
                        for r1, c1, r2, c2 in sheet.merges
                    )
                    over_labels = any(
                        raw[c] and not _vertical_merge_top(grid, above, c)
                        for c in range(first_value)
                    )
                    if over_values and not over_labels:
                        uppers = _upper_texts(grid, above, width, value_cols)
                        meanings = [
                            m.merged_with(parse_header(uppers[c])) if c >= first_value else m
                            for c, m in enumerate(meanings)
                        ]
                        rows = [above, *rows]
            value_cols = sorted(c for c, m in enumerate(meanings) if m.measure)
            # a hidden column ("Budget 2025" beside the shown 2026, working figures) is
            # not part of the published table: reported, never read
            hidden = [c for c in value_cols if sheet.columns[c] in hidden_cols]
            value_cols = [c for c in value_cols if c not in hidden]
            if not value_cols:
                continue
            first_row = last_header + 1
            if first_row > end:
                continue
            block = grid.status.slice(first_row, end - first_row + 1)
            # a column headed "Satsning" or "Förslag" that holds text is a label column
            value_cols = [
                c
                for c in value_cols
                if (block[f"c{c}"] == TEXT).sum() <= block[f"c{c}"].is_in([NUMBER, ZERO]).sum()
            ]
            if not value_cols:
                continue
            segments = _side_by_side(grid, block, value_cols, last_header, width)
            ends = []
            for lo, hi, seg_values in segments:
                table = _segment_table(
                    grid, block, rows, meanings, seg_values, lo, hi, first_row, last_header,
                    prev_end, hidden, hidden_cols, len(segments) > 1,
                )  # fmt: skip
                if table is not None:
                    tables.append(table)
                    ends.append(table.last_row)
            if not ends:
                continue
            last_data = max(ends)
            prev_end = last_data
            used.append(rows)

        return tables, used

    # A header-like row that heads no amounts (a note, an analysis text mentioning "plan")
    # must not cut the table above it: find the real headers first, then cut only at them.
    _, real = build(groups, sorted([g[0] for g in groups] + goal_headers))
    starts = sorted([g[0] for g in real] + goal_headers)
    tables, _ = build(real, starts)
    goals = [_goal_table(grid, r, starts, height) for r in goal_headers]
    return tables, [g for g in goals if g is not None]


# what a page break leaves between a table and its header repeated on the next page
_PAGE_MARK = re.compile(r"^(sida\s*\d+(\s*(av|/)\s*\d+)?|\d{1,3}|\(?forts\.?\)?|fortsättning)$")


def _drop_repeated_headers(grid: Grid, groups: list[list[int]]) -> list[list[int]]:
    """Headers that repeat the one before word for word with only blank rows or page marks
    ("Sida 2 av 3", "forts.") after the amounts above them: the same table continued on the
    next page of a report converted from PDF, not a table of its own (whose rows a total at
    the end would not cover)."""
    if len(groups) < 2:
        return groups
    n_num = grid.stats["n_num"]
    kept = [groups[0]]
    for g in groups[1:]:
        prev = kept[-1]
        same = len(g) == len(prev) and all(
            [fold(t) if t else None for t in grid.row_texts(a)]
            == [fold(t) if t else None for t in grid.row_texts(b)]
            for a, b in zip(g, prev, strict=True)
        )
        if same:
            amounts = [r for r in range(prev[-1] + 1, g[0]) if n_num[r] > 0]
            between = range(amounts[-1] + 1 if amounts else g[0], g[0])
            if amounts and all(
                _PAGE_MARK.match(fold(t)) for r in between for t in grid.row_texts(r) if t
            ):
                continue
        kept.append(g)
    return kept


def _label_roles(
    label_cols: list[int], headers: dict[int, str], block: pl.DataFrame
) -> dict[int, str]:
    roles: dict[int, str] = {}
    for c in label_cols:
        h = headers.get(c, "")
        col_status = block[f"c{c}"]
        texts = int((col_status == TEXT).sum())
        numbers = int((col_status == NUMBER).sum())
        if _CODE_WORDS.search(h) or numbers > texts:
            roles[c] = "code"
        elif _KOMMUNDEL_WORDS.search(h):
            roles[c] = "kommundel"
        elif _ORG_WORDS.search(h) and not re.search(r"verksamhet|projekt|post|satsning", h):
            roles[c] = "org"
        else:
            roles[c] = "item"
    text_cols = [c for c in label_cols if roles[c] in ("item", "org")]
    if len(text_cols) == 1:
        roles[text_cols[0]] = "label"
    return roles


def _goal_table(grid: Grid, header: int, starts: list[int], height: int) -> GoalTable | None:
    texts = [fold(t) if t else "" for t in grid.row_texts(header)]
    goal_col = org_col = assess_col = analysis_col = None
    for c, t in enumerate(texts):
        if not t:
            continue
        if assess_col is None and _ASSESS_WORDS.search(t):
            assess_col = c
        elif analysis_col is None and _ANALYSIS_WORDS.search(t):
            analysis_col = c
        elif goal_col is None and re.search(_GOAL_WORDS, grid.text(header, c) or ""):
            goal_col = c
        elif org_col is None and _ORG_WORDS.search(t):
            org_col = c
    if goal_col is None:
        return None
    following = [s for s in starts if s > header]
    end = (following[0] - 1) if following else height - 1
    last = header
    for r in range(header + 1, end + 1):
        if grid.text(r, goal_col):
            last = r
    if last == header:
        return None
    context = []
    for r in range(max(0, header - 6), header):
        context.extend(t for t in grid.row_texts(r) if t)
    return GoalTable(
        grid.sheet.name,
        header,
        header + 1,
        last,
        goal_col,
        org_col,
        assess_col,
        analysis_col,
        context,
    )


_SIDE_LABEL = re.compile(
    r"nämnd|styrelse|förvaltning|verksamhet|projekt|investering|objekt|\bpost|satsning|"
    r"benämning|\bnamn\b|område"
)


def _side_by_side(
    grid: Grid, block: pl.DataFrame, value_cols: list[int], header: int, width: int
) -> list[tuple[int, int, list[int]]]:
    """The column ranges of tables set side by side under one header row ("Nämnd | Budget
    2026 | | Projekt | Budget 2026"): a column between amounts headed like a label column
    (Projekt, Verksamhet, Nämnd, not Kommentar) and holding text starts the next table.
    One range (the whole width) when there is no such column."""
    cuts = []
    for c in range(value_cols[0] + 1, value_cols[-1]):
        if c in value_cols:
            continue
        head = fold(grid.text(header, c) or "")
        if not _SIDE_LABEL.search(head) or _ANALYSIS_WORDS.search(head):
            continue
        status = block[f"c{c}"]
        texts = int((status == TEXT).sum())
        if texts >= 2 and texts >= int((status == NUMBER).sum()):
            cuts.append(c)
    if not cuts:
        return [(0, width - 1, value_cols)]
    bounds = [0, *cuts, width]
    out = []
    for lo, nxt in zip(bounds, bounds[1:], strict=False):
        seg = [c for c in value_cols if lo <= c < nxt]
        if seg:
            out.append((lo, nxt - 1, seg))
    return out


def _segment_table(
    grid: Grid,
    block: pl.DataFrame,
    rows: list[int],
    meanings: list[ColumnMeaning],
    value_cols: list[int],
    lo: int,
    hi: int,
    first_row: int,
    last_header: int,
    prev_end: int,
    hidden: list[int],
    hidden_cols: set[int],
    side_by_side: bool,
) -> Table | None:
    """One table of the columns lo..hi under a header (the whole width, or one of tables
    set side by side, whose context is then the text above its own columns)."""
    sheet = grid.sheet
    has_amount = block.select(
        pl.any_horizontal(pl.col(f"c{c}").is_in([NUMBER, ZERO]) for c in value_cols)
    ).to_series()
    if not has_amount.any():
        return None
    last_data = first_row + int(has_amount.arg_true()[-1])
    first_value = value_cols[0]
    label_cols = []
    for c in range(lo, first_value):
        col_status = block[f"c{c}"]
        if (col_status == TEXT).any():
            label_cols.append(c)
    header_texts = {}
    for c in label_cols:
        words = " ".join(t for t in (grid.text(r, c) for r in rows) if t)
        header_texts[c] = fold(words)
    roles = _label_roles(label_cols, header_texts, block)
    # every column holding numbers that is read neither as amounts nor as labels
    # ("Ursprunglig budget", gross columns, left or right of the first amount)
    ignored = [
        f"{cell_ref(last_header, sheet.columns[c])} '{grid.text(last_header, c) or ''}'"
        + (" (dold kolumn)" if sheet.columns[c] in hidden_cols else "")
        for c in range(lo, hi + 1)
        if c not in value_cols
        and c not in label_cols
        and ((block[f"c{c}"] == NUMBER).any() or c in hidden)
    ]
    context = []
    for r in range(max(prev_end + 1, 0), rows[0]):
        texts = grid.row_texts(r)
        if side_by_side:
            texts = texts[lo : hi + 1]
        context.extend(t for t in texts if t)
    vcols = [
        ValueColumn(
            c,
            sheet.columns[c],
            meanings[c],
            cell_ref(last_header, sheet.columns[c]),
        )
        for c in value_cols
    ]
    return Table(
        sheet=sheet.name,
        header_rows=rows,
        first_row=first_row,
        last_row=last_data,
        value_columns=vcols,
        label_columns=label_cols,
        roles=roles,
        context=context,
        ignored_columns=ignored,
    )
