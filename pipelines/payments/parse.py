"""Text cells → typed payment rows, vectorised in polars.

Amounts: `1 234,50`, `1234.5`, `1234.5000`, `1.234,50`, `−1 234` (Unicode minus), `(1 234)`,
`1234-`, a trailing `*`, `kr` or `SEK`, whole kronor `500:-` or `500,-`, `="1 234,50"`; the
decimal mark is decided per column from the values themselves, except where a value's
single mark cannot group thousands (`1234.50` among `1 234,50`).
Dates: ISO (with or without time), `14.03.2025`, `14/03/2025`, `20250314`, Excel serials;
years 1900–2099 only (`15.01.25` is no date).
Periods: `2025-03`, `202503`, `2025 03`, `2025/3`, `mars 2025`, `jan-25`, or a month with a
separate year column.
A cell that cannot be read rejects the file, naming the row and cell; nothing is guessed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl

from pipelines import registry
from pipelines.payments.read import ROW, RawTable

AMOUNT = pl.Decimal(18, 2)
_ZERO_TEXT = ("-", "–", "—", "−")
# "Summa …", "Total(t) …", and Excel's Delsumma labels "Demo AB Summa" and "Totalsumma"
_TOTAL_RE = r"(?i)^\s*(summa|totalt?|totalsumma|total summa|s:a|delsumma)\b|\s(summa|totalt)\s*$"
# where the supplier's name goes, "Total" only alone, before ":" or a number: "Total
# Sverige AB" is a company
_SUPPLIER_TOTAL_RE = (
    r"(?i)^\s*(summa|totalt|totalsumma|total summa|s:a|delsumma)\b|^\s*total\s*(:|$|\d)"
    r"|\s(summa|totalt)\s*$"
)
_EXCEL_EPOCH = date(1899, 12, 30)


class CellError(ValueError):
    """A cell that cannot be read: the role, the source row and the text."""

    def __init__(self, role: str, row: int, text: str, reason: str):
        self.role, self.row, self.text, self.reason = role, row, text, reason
        super().__init__(reason)


_SPACES = ("\u00a0", "\u202f", "\t", "\r\n", "\n", "\r")


def unwrap_formula(values: pl.Series) -> pl.Series:
    """`="00123"` → `00123`: exports meant for Excel write ids (org.nr, konto, invoice,
    period) as a text formula so that Excel keeps their leading zeros."""
    if not values.str.starts_with('="').any():
        return values
    return values.str.replace(r'^="(.*)"$', "${1}")


def clean_text(values: pl.Series) -> pl.Series:
    """Trimmed text with single ordinary spaces; empty → null."""
    s = unwrap_formula(values)
    for space in _SPACES:
        s = s.str.replace_all(space, " ", literal=True)
    s = s.str.replace_all(r" {2,}", " ").str.strip_chars()
    return pl.select(pl.when(s.str.len_bytes() > 0).then(s)).to_series().alias(values.name)


def by_unique(values: pl.Series, fn, dtype: pl.DataType | None = None) -> pl.Series:
    """`fn` applied to the distinct values only, mapped back onto every row.

    Names, accounts, dates and periods repeat: a ledger of a million rows has a few
    thousand suppliers and 365 dates. Working on the distinct values makes the text
    clean-up and parsing cost almost nothing, and nothing at all when nothing changes.
    """
    uniq = values.drop_nulls().unique()
    out = fn(uniq)
    dtype = dtype or out.dtype
    if dtype == values.dtype and out.equals(uniq, check_names=False, null_equal=True):
        return values
    return values.replace_strict(uniq, out, default=None, return_dtype=dtype)


def parse_amount(values: pl.Series, numeric_cells: bool = False) -> pl.Series:
    """Amount text → Decimal(18, 2); null where the text is not an amount (or empty).

    `numeric_cells`: the values come from a workbook, where number cells arrive as
    "1234.5" whatever the locale; those are read as such and only text cells ("1 234,50")
    go through the Swedish rules. Numbers (a workbook column read typed, every value with at
    most two decimals: see read._read_typed) are cast as they are.
    """
    if values.dtype.is_numeric():
        return values.cast(AMOUNT)
    if numeric_cells:
        plain = values.str.contains(r"^-?\d+(\.\d+)?$")
        if plain.fill_null(True).all():
            return values.cast(AMOUNT, strict=False)
        text = pl.select(pl.when(~plain).then(values)).to_series()
        return pl.select(
            pl.when(plain).then(values.cast(AMOUNT, strict=False)).otherwise(_parse_text(text))
        ).to_series()
    # Fast path: Swedish export conventions with nothing else in the column ("1 234,50",
    # "-200", "12,5"). One check of every value decides it; the result is what the general
    # rules below give for such a column (comma the decimal mark, spaces grouping), in a
    # third of the time. A column where any value differs takes the general path.
    swedish = _swedish_path(values)
    if swedish is not None:
        return swedish
    plain = values.str.contains(r"^-?\d+(\.\d+)?$")
    if plain.fill_null(True).all():
        # A dot is a decimal point unless every dotted value could be grouped thousands
        # ("1.234"): "1234.5" or "1234.5000" (an export with four decimals) cannot.
        dotted = values.str.contains(".", literal=True).fill_null(False)
        if not dotted.any() or (dotted & ~values.str.contains(_DOT_GROUPED).fill_null(False)).any():
            return values.cast(AMOUNT, strict=False)
    return _parse_text(values)


_DOT_GROUPED = r"^-?\d{1,3}(\.\d{3})+$"  # "1.234", "12.345.678": thousands, or decimals

# "1 234,50", "1234,5", "-200": digits grouped by one kind of space (or not grouped), a
# decimal comma with one or two decimals, an optional leading minus.
_GROUPING = (" ", "\u00a0", "\u202f")


def _swedish_path(values: pl.Series) -> pl.Series | None:
    """The amounts of a column written entirely in Swedish export form, or None.

    The form (which space groups the digits) is taken from a sample, so that a column of
    another form costs one look at a few values; then every value is checked against it
    before the column is read this way.
    """
    sample = values.head(1000).drop_nulls()
    if sample.len() == 0 or not sample.str.contains(",", literal=True).any():
        return None
    spaces = [c for c in _GROUPING if sample.str.contains(c, literal=True).any()]
    if len(spaces) > 1:
        return None
    group = spaces[0] if spaces else " "
    pattern = rf"^-?(?:\d{{1,3}}(?:{group}\d{{3}})+|\d+)(?:,\d{{1,2}})?$"
    if not values.str.contains(pattern).fill_null(True).all():
        return None
    if spaces:
        values = values.str.replace_all(group, "", literal=True)
    return values.str.replace(",", ".", literal=True).cast(AMOUNT, strict=False)


def _parse_text(values: pl.Series) -> pl.Series:
    # One regex pass each: cheaper than a literal pass per character.
    s = values.str.replace_all(r"[\s\u00a0\u202f']", "").str.replace_all(r"[\u2212\u2013]", "-")
    # "12 kr", "12 SEK", "12*", and whole kronor "500:-" or "500,-" (not a trailing minus)
    suffix = s.str.contains(r"(?i)(kr|sek|[,:]-|\*)$")
    if suffix.any():
        s = s.str.replace(r"(?i)(kr|sek)$", "").str.replace(r"[,:]-$", "").str.strip_chars_end("*")
    zero = s.is_in(list(_ZERO_TEXT))  # a dash is zero; blank is missing, never zero
    paren = s.str.starts_with("(") & s.str.ends_with(")")
    trailing = s.str.ends_with("-") & (s.str.len_chars() > 1)
    negate = paren | trailing
    if negate.any():
        s = s.str.strip_chars("()").str.strip_chars_end("-")
    if s.str.starts_with("+").any():
        s = s.str.strip_chars_start("+")
    # Which mark is the decimal one: decided by the column's own values.
    has_comma = s.str.contains(",", literal=True).any()
    has_dot = s.str.contains(".", literal=True).any()
    if has_comma and has_dot:
        comma_dec = s.str.contains(r",\d{1,2}$").sum()
        dot_dec = s.str.contains(r"\.\d{1,2}$").sum()
    else:
        comma_dec, dot_dec = int(has_comma), 0
        if not comma_dec and has_dot:
            # Only dots: "1234.5" or "1234.5000" is a decimal point; "1.234" (groups of
            # three, and nothing else in the column) thousands.
            dotted = s.str.contains(".", literal=True)
            dot_dec = int((dotted & ~s.str.contains(_DOT_GROUPED)).any())
    # A single mark that cannot group thousands ("1234.50" or "1234.5000" among "1 234,50",
    # "12,5" among "1,234.50") can only be a decimal mark, whatever the column's mark is.
    if dot_dec > comma_dec:
        if has_comma:
            lone = s.str.contains(r"^-?\d+,\d+$") & ~s.str.contains(r"^-?\d{1,3}(,\d{3})+$")
            s = pl.select(
                pl.when(pl.lit(lone))
                .then(pl.lit(s).str.replace(",", ".", literal=True))
                .otherwise(pl.lit(s).str.replace_all(",", "", literal=True))
            ).to_series()
    else:
        if has_dot and has_comma:
            lone = s.str.contains(r"^-?\d+\.\d+$") & ~s.str.contains(_DOT_GROUPED)
            s = pl.select(
                pl.when(pl.lit(lone))
                .then(pl.lit(s))
                .otherwise(pl.lit(s).str.replace_all(".", "", literal=True))
            ).to_series()
        elif has_dot:
            s = s.str.replace_all(".", "", literal=True)
        if has_comma:
            s = s.str.replace(",", ".", literal=True)
    if zero.any() or negate.any():
        s = pl.select(
            pl.when(pl.lit(zero))
            .then(pl.lit("0"))
            .when(pl.lit(negate))
            .then(pl.lit("-") + pl.lit(s))
            .otherwise(pl.lit(s))
        ).to_series()
    # Only plain decimals: the cast alone would also take "1e3" or "inf".
    plain = s.str.contains(r"^-?(\d+\.?\d*|\.\d+)$").fill_null(True)
    if plain.all():
        return s.cast(AMOUNT, strict=False)
    return pl.select(pl.when(plain).then(s).otherwise(None).cast(AMOUNT, strict=False)).to_series()


def parse_date(values: pl.Series) -> pl.Series:
    """Date text → Date; null where the text is not a date (or empty)."""
    s = values.str.strip_chars()
    serial = s.str.contains(r"^\d{5}(\.0+)?$")
    candidates = [
        s.str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False),
        s.str.slice(0, 10).str.strptime(pl.Date, "%Y/%m/%d", strict=False),
        s.str.slice(0, 10).str.strptime(pl.Date, "%Y.%m.%d", strict=False),
        s.str.strptime(pl.Date, "%d.%m.%Y", strict=False),
        s.str.strptime(pl.Date, "%d/%m/%Y", strict=False),
        s.str.strptime(pl.Date, "%d-%m-%Y", strict=False),
        s.str.strptime(pl.Date, "%Y%m%d", strict=False),
        pl.select(
            pl.when(serial)
            .then(
                pl.lit(_EXCEL_EPOCH)
                + pl.duration(days=pl.lit(s).str.extract(r"^(\d{5})").cast(pl.Int64))
            )
            .otherwise(None)
        )
        .to_series()
        .cast(pl.Date),
    ]
    # A two-digit year ("15.01.25", "25-01-15") reads as the year 15 or 25 by one pattern
    # or another: no reading outside 1900–2099 is a date of a payment.
    return pl.select(
        pl.coalesce(pl.when(c.dt.year().is_between(1900, 2099)).then(c) for c in candidates)
    ).to_series()


_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "januari"),
            ("feb", "februari"),
            ("mar", "mars"),
            ("apr", "april"),
            ("maj",),
            ("jun", "juni"),
            ("jul", "juli"),
            ("aug", "augusti"),
            ("sep", "sept", "september"),
            ("okt", "oktober"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}


def parse_period(values: pl.Series, years: pl.Series | None) -> pl.Series:
    """Period text → 'YYYY-MM'; null where it cannot be read."""
    s = values.str.strip_chars().str.to_lowercase()
    numeric = s.str.extract_groups(r"^(\d{4})\s*[-/ .]?\s*(\d{1,2})(?:\D.*)?$")
    year = numeric.struct.field("1").cast(pl.Int32)
    month = numeric.struct.field("2").cast(pl.Int32)
    # "mars 2025", "2025 mars"
    word = s.str.extract(r"([a-zåäö]+)")
    word_month = word.replace_strict(_MONTHS, default=None, return_dtype=pl.Int32)
    word_year = s.str.extract(r"(\d{4})").cast(pl.Int32)
    # "jan-25": a date cell formatted mmm-yy, as Excel writes it into a CSV
    short_year = s.str.extract(r"^[a-zåäö]+\.?[- ']?(\d{2})$").cast(pl.Int32) + 2000
    # A bare month number with a separate year column
    bare_month = s.str.extract(r"^(\d{1,2})$").cast(pl.Int32)
    other_year = years if years is not None else pl.Series([None] * len(s), dtype=pl.Int32)
    y = pl.select(pl.coalesce(year, word_year, short_year, other_year)).to_series()
    m = pl.select(pl.coalesce(month, word_month, bare_month)).to_series()
    valid = (m >= 1) & (m <= 12) & (y >= 1990) & (y <= 2100)
    return pl.select(
        pl.when(valid).then(pl.format("{}-{}", y, m.cast(pl.String).str.zfill(2)))
    ).to_series()


def normalise_org_nr(values: pl.Series) -> pl.Series:
    """Org.nr as NNNNNN-NNNN when it has 10 digits, 12 with a 16/19/20 prefix (a
    personnummer or an org.nr written with its century), or is a VAT number (`SE` + org.nr
    + `01`, or those 12 digits alone); anything else as published."""
    digits = values.str.replace_all(r"\D", "")
    twelve = digits.str.len_chars() == 12
    vat = twelve & digits.str.ends_with("01")
    century = digits.str.contains(r"^(16|19|20)")
    ten = (
        pl.select(
            # "SE202100548901" is a kommun's VAT number, not 20 + a personnummer
            pl.when(vat & values.str.contains(r"^\s*(?i:se)"))
            .then(digits.str.slice(0, 10))
            .when(twelve & century)
            .then(digits.str.slice(2))
            .when(vat)
            .then(digits.str.slice(0, 10))
            .otherwise(pl.lit(digits))
        )
        .to_series()
        .alias("d")
    )
    return pl.select(
        pl.when(ten.str.len_chars() == 10)
        .then(ten.str.slice(0, 6) + "-" + ten.str.slice(6))
        .otherwise(values.str.strip_chars().replace("", None))
    ).to_series()


def _first_bad(frame: pl.DataFrame, bad: pl.Series, role: str, reason: str) -> None:
    if bad.any():
        row = frame.filter(bad).row(0, named=True)
        raise CellError(role, row[ROW], row.get(role) or "", reason)


def normalise(table: RawTable, default_year: int | None = None) -> tuple[pl.DataFrame, dict]:
    """Typed payment rows (without doc and file columns) and what was seen on the way.

    Raises CellError for the first cell that cannot be read.
    """
    frame, seen = amounts(table)
    return complete(frame, seen, default_year)


def amounts(table: RawTable) -> tuple[pl.DataFrame, dict]:
    """The table's payment rows with their amounts read (`amount_sek`), without total rows
    and notes, and what was seen on the way; the first half of `normalise`, so that tables
    can be compared by their money (`repeated_table`) before their dates are required."""
    roles = [c for c in table.frame.columns if c != ROW]
    frame = table.frame
    seen: dict = {}
    # (a workbook read typed has amounts as numbers and dates as dates: not text)
    text_roles = [
        r
        for r in roles
        if r not in ("amount", "invoice", "debet", "kredit") and frame.schema[r] == pl.String
    ]
    frame = frame.with_columns(by_unique(frame.get_column(r), clean_text) for r in text_roles)
    if "invoice" in roles:
        invoice = unwrap_formula(frame.get_column("invoice"))
        frame = frame.with_columns(invoice.str.strip_chars())
    if "amount" not in roles:
        frame = _debet_kredit(frame, table.sheet is not None)
        roles = [r for r in roles if r not in ("debet", "kredit")] + ["amount"]
        seen["belopp"] = "debet − kredit (kreditposter negativa; cellen anges i debetkolumnen)"
    if frame.schema["amount"] == pl.String:
        frame = frame.with_columns(unwrap_formula(frame.get_column("amount")))

    # Blank rows separate blocks and end tables; they are not payments.
    # (Filtered only when there are any: a filter copies every column of a million rows.)
    filled = frame.select(pl.any_horizontal(pl.col(c).is_not_null() for c in roles)).to_series()
    if not filled.all():
        frame = frame.filter(filled)

    # The header repeated inside the table (a report printed page by page, or one block per
    # förvaltning each under its own header) is not a payment.
    if frame.schema["amount"] == pl.String:
        amount_name = table.header.name("amount")
        supplier_name = " ".join(table.header.name("supplier").split())
        repeated = (frame.get_column("supplier") == supplier_name).fill_null(False)
        if repeated.any():
            amounts_named = frame.get_column("amount").str.strip_chars() == amount_name
            repeated &= amounts_named.fill_null(False)
        if repeated.any():
            seen["upprepade rubrikrader (ej inlästa)"] = int(repeated.sum())
            frame = frame.filter(~repeated)

    # Block layout: each förvaltning's name on a row of its own above its payments.
    frame, first = _blocks(frame, table, roles)
    if first is not None:
        names = frame.get_column("organisation").unique(maintain_order=True)
        seen["förvaltningar som rubrikrader över sina betalningar"] = ", ".join(names.to_list())

    # Total and subtotal rows reconcile; they are not payments. They have no supplier, or
    # "Summa" where the supplier should be, so only those few rows are searched; the label
    # may sit in any column read as text. A row with an amount and nothing else ("bare") is
    # a total too when it adds up (its label sits in a column not read): see _bare_totals.
    suppliers = frame.get_column("supplier")
    distinct = suppliers.drop_nulls().unique()
    labels = distinct.filter(distinct.str.contains(_SUPPLIER_TOTAL_RE))
    candidate = suppliers.is_null()
    if labels.len():
        candidate |= suppliers.is_in(labels.implode())
    totals = frame.clear()
    bare = frame.clear()
    if candidate.any():
        checks = [r for r in roles if r != "amount" and frame.schema[r] == pl.String]
        others = [r for r in roles if r != "amount"]
        rows = frame.filter(candidate)
        # (a label where the supplier's name goes, beside an org.nr or invoice, is a
        # company's name: "Summa Konsult AB")
        named = [r for r in ("org_nr", "invoice") if r in roles]
        kinds = rows.select(
            pl.any_horizontal(
                (
                    pl.col(c).str.contains(_SUPPLIER_TOTAL_RE if c == "supplier" else _TOTAL_RE)
                    & (
                        pl.all_horizontal(pl.col(r).is_null() for r in named)
                        if named and c == "supplier"
                        else True
                    )
                ).fill_null(False)
                for c in checks
            ).alias("labelled"),
            (
                pl.col("amount").is_not_null()
                & pl.all_horizontal(pl.col(c).is_null() for c in others)
            ).alias("bare"),
        )
        labelled = kinds.get_column("labelled")
        if labelled.any():
            totals = rows.filter(labelled)
            frame = frame.filter(~pl.col(ROW).is_in(totals.get_column(ROW).implode()))
        bare = rows.filter(kinds.get_column("bare") & ~labelled)

    # Notes under the table ("Källa: …") have neither amount nor supplier: skipped, counted.
    note = frame.select(
        pl.col("amount").is_null()
        & pl.col("supplier").is_null()
        & (pl.col("org_nr").is_null() if "org_nr" in roles else pl.lit(True))
    ).to_series()
    if note.any():
        seen["rader utan belopp och leverantör (hoppades över)"] = int(note.sum())
        frame = frame.filter(~note)
    # A note may also sit in the supplier's column (the first one, in many exports): below
    # the last payment, a row without an amount that has text in one cell only is a note.
    missing = frame.get_column("amount").is_null()
    if missing.any() and not missing.all():
        last = frame.filter(~missing).get_column(ROW).max()
        footer = frame.select(
            pl.col("amount").is_null()
            & (pl.col(ROW) > last)
            & (pl.sum_horizontal(pl.col(c).is_not_null() for c in roles) <= 1)
        ).to_series()
        if footer.any():
            notes = frame.filter(footer).select(pl.coalesce(roles)).to_series().cast(pl.String)
            seen["text under tabellen (ej inläst)"] = " | ".join(notes.to_list())
            frame = frame.filter(~footer)

    from_workbook = table.sheet is not None
    amount = parse_amount(frame.get_column("amount"), from_workbook)
    bad = amount.is_null() & frame.get_column("amount").is_not_null()
    is_bare = None
    if bare.height:  # (read with the column, so that they share its decimal mark)
        is_bare = frame.get_column(ROW).is_in(bare.get_column(ROW).implode())
        bad &= ~is_bare  # an unreadable bare total was never a payment
    _first_bad(frame, bad, "amount", "beloppet går inte att läsa")
    _first_bad(frame, frame.get_column("amount").is_null(), "amount", "belopp saknas")
    frame = frame.with_columns(amount.alias("amount_sek"))
    if is_bare is not None:
        total = _bare_totals(frame, is_bare, totals.get_column(ROW))
        if (is_bare & ~total).any():
            seen["rader med bara belopp (inlästa som betalningar)"] = int((is_bare & ~total).sum())
        if total.any():
            totals = pl.concat([totals, frame.filter(total).drop("amount_sek")]).sort(ROW)
            frame = frame.filter(~total)

    block_rows = set()
    if first is not None and totals.height:
        block_rows = _block_totals(frame, totals, first, from_workbook, seen)
    if totals.height:
        seen["summarader (ej inlästa)"] = totals.height
        last = totals.row(totals.height - 1, named=True)
        if last[ROW] > frame.get_column(ROW).max() and last[ROW] not in block_rows:
            stated = parse_amount(totals.tail(1).get_column("amount"), from_workbook).item()
            actual = frame.get_column("amount_sek").sum()
            if stated is not None and abs(stated - actual) <= 1:
                seen["summa stämmer"] = "ja"
            elif stated is not None and totals.height == 1:
                # One total under the table that disagrees: the file or its reading is wrong.
                raise CellError(
                    "amount",
                    last[ROW],
                    str(last["amount"]),
                    f"summaraden ({stated}) stämmer inte med raderna ({actual})",
                )
            else:
                seen["summa stämmer"] = f"nej: sista summaraden {stated}, raderna {actual}"

    return frame, seen


def _blocks(
    frame: pl.DataFrame, table: RawTable, roles: list[str]
) -> tuple[pl.DataFrame, str | None]:
    """The frame with `organisation` from the heading rows of a block layout, those rows
    left out, and the role of the column the headings are in; (frame, None) where the
    table is no block layout.

    A table without a förvaltning column whose first row under the header holds a text in
    its first column and nothing else (no amount) is one: every such row names the
    förvaltning (or nämnd) of the payments under it, down to the next. Only the first row
    is looked at before deciding, so a table of another layout costs nothing.
    """
    if "organisation" in roles or frame.height == 0:
        return frame, None
    first = min(table.header.columns, key=table.header.columns.__getitem__)
    if first == "amount" or first not in roles or frame.schema[first] != pl.String:
        return frame, None
    others = [r for r in roles if r != first]

    def heading(df: pl.DataFrame) -> pl.Series:
        return df.select(
            pl.col(first).is_not_null()
            & ~pl.col(first).str.contains(_TOTAL_RE).fill_null(False)
            & pl.all_horizontal(pl.col(r).is_null() for r in others)
        ).to_series()

    if not heading(frame.head(1)).all():
        return frame, None
    is_heading = heading(frame)
    if is_heading.all():
        return frame, None  # (no payments under the names: not blocks)
    frame = frame.with_columns(
        pl.when(is_heading).then(pl.col(first)).forward_fill().alias("organisation")
    ).filter(~is_heading)
    return frame, first


def _block_totals(
    frame: pl.DataFrame, totals: pl.DataFrame, first: str, from_workbook: bool, seen: dict
) -> set[int]:
    """The rows of `totals` that are a block's own ("Summa Socialnämnden" under the
    block headed "Socialnämnden"), each checked against its block's payments: one that
    disagrees rejects the file. The blocks are few; they are walked."""
    label = pl.col(first).str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()
    own = totals.filter(
        label == pl.concat_str(pl.lit("summa "), pl.col("organisation").str.to_lowercase())
    )
    if own.height == 0:
        return set()
    sums = dict(frame.group_by("organisation").agg(pl.col("amount_sek").sum()).iter_rows())
    stated = parse_amount(own.get_column("amount"), from_workbook)
    for row, value in zip(own.iter_rows(named=True), stated, strict=True):
        actual = sums.get(row["organisation"], Decimal(0))
        if value is None or abs(value - actual) > 1:
            raise CellError(
                "amount",
                row[ROW],
                str(row["amount"]),
                f"summaraden för {row['organisation']} ({value}) stämmer inte med"
                f" blockets rader ({actual})",
            )
    seen["summa per förvaltning stämmer"] = "ja"
    return set(own.get_column(ROW).to_list())


def _debet_kredit(frame: pl.DataFrame, from_workbook: bool) -> pl.DataFrame:
    """The frame with `amount` = debet − kredit in place of the two columns (a ledger
    export): a credit note is negative. Empty where both are empty; an unreadable cell in
    either rejects the file, named."""
    parsed = {}
    for role in ("debet", "kredit"):
        raw = frame.get_column(role)
        if raw.dtype == pl.String:
            raw = unwrap_formula(raw)
        value = parse_amount(raw, from_workbook)
        _first_bad(frame, value.is_null() & raw.is_not_null(), role, "beloppet går inte att läsa")
        parsed[role] = value
    debet, kredit = parsed["debet"], parsed["kredit"]
    amount = pl.select(
        pl.when(debet.is_null() & kredit.is_null())
        .then(None)
        .otherwise(debet.fill_null(0) - kredit.fill_null(0))
        .cast(AMOUNT)
    ).to_series()
    return frame.drop("debet", "kredit").with_columns(amount.alias("amount"))


def _bare_totals(frame: pl.DataFrame, bare: pl.Series, labelled_rows: pl.Series) -> pl.Series:
    """Which of the `bare` rows (an amount and nothing else) are totals: those whose amount
    is the sum of the payments since some total above them (a subtotal, one of nested
    subtotals, a grand total) or since the top. A bare row that adds up to none is a
    payment whose name was left out ("Skyddad identitet" written as a blank): loading it
    keeps the money in the file — when it stands among the payments. Under the last of
    them it stays out as before: a figure under a table ("Antal", "varav moms") is no
    payment. The rows are few; they are walked in order (a payment among them adds to the
    sums after it)."""
    amounts = frame.get_column("amount_sek")
    paid = pl.select(
        pl.when(~bare).then(amounts.fill_null(0)).otherwise(0).cum_sum()
    ).to_series()  # the payments down to each row, bare rows left out
    rownums = frame.get_column(ROW)
    last_payment = rownums.filter(~bare).max()
    events = [(r, None) for r in labelled_rows.to_list()]
    events += [(rownums[i], i) for i in bare.arg_true().to_list()]
    is_total = [False] * frame.height
    starts = {Decimal(0)}  # the sums of the payments above each total: where sums start
    extra = Decimal(0)
    for rownum, index in sorted(events, key=lambda e: e[0]):
        above = rownums.search_sorted(rownum) - 1
        running = (paid[index] if index is not None else paid[above] if above >= 0 else 0) + extra
        if index is not None and amounts[index] is not None:
            among = last_payment is not None and rownum < last_payment
            if running - amounts[index] not in starts and among:
                extra += amounts[index]
                continue
            is_total[index] = True
        elif index is not None:
            is_total[index] = True  # unreadable: a total as before, never a payment
        starts.add(running)
    return pl.Series(is_total, dtype=pl.Boolean)


def repeated_table(frames: list[pl.DataFrame]) -> tuple[int, str] | None:
    """The table that repeats the money of all the others, as (index, "sammanställning" or
    "kopia"), or None.

    A workbook with one sheet per month often has a summary sheet too ("Sammanställning",
    per supplier, förvaltning or month) or a sheet with the whole year's rows again
    ("Helår"): the columns of a payments table, but the payments' money once more. Its
    total is, to the öre, the total of every other table together; loading it would count
    every krona twice. It is taken for a repeat only when it also
    - is a summary: no payment dates, and fewer rows than the others (as many, beside two
      or more other tables), so that two months that happen to sum alike are both loaded;
    - or is a copy: its rows (supplier, amount, date, period, invoice) are the others' rows
      (of two identical sheets, the later one).
    """
    if len(frames) < 2:
        return None
    sums = [f.get_column("amount_sek").sum() for f in frames]
    heights = [f.height for f in frames]
    for i in reversed(range(len(frames))):
        frame = frames[i]
        others = [f for j, f in enumerate(frames) if j != i]
        if sums[i] == 0 or sums[i] != sum(sums) - sums[i]:
            continue
        dated = "date" in frame.columns and frame.get_column("date").is_not_null().any()
        fewer = heights[i] < sum(heights) - heights[i] or (
            len(others) > 1 and heights[i] == sum(heights) - heights[i]
        )
        if not dated and fewer:
            return i, "sammanställning"
        if heights[i] == sum(heights) - heights[i]:
            keys = [
                c
                for c in ("supplier", "amount_sek", "date", "period", "invoice")
                if all(c in f.columns for f in frames)
            ]

            def rows_of(tables: list[pl.DataFrame], keys: list[str] = keys) -> pl.DataFrame:
                # (dates as dates: one sheet may be read typed, another as text)
                return pl.concat(
                    [
                        t.with_columns(
                            by_unique(t.get_column("date"), parse_date, pl.Date)
                            if "date" in keys and t.schema["date"] == pl.String
                            else []
                        ).select(pl.col(keys).cast(pl.String))
                        for t in tables
                    ]
                ).sort(keys, nulls_last=True)

            if rows_of([frame]).equals(rows_of(others)):
                return i, "kopia"
    return None


def complete(
    frame: pl.DataFrame, seen: dict, default_year: int | None = None
) -> tuple[pl.DataFrame, dict]:
    """The second half of `normalise`: dates, periods, years, accounts and names."""
    roles = [c for c in frame.columns if c not in (ROW, "amount_sek")]
    # Dates, periods and years: parsed on the distinct values.
    year_col = None
    if "year" in roles:
        year_col = by_unique(
            frame.get_column("year"), lambda u: u.str.extract(r"^(\d{4})").cast(pl.Int32)
        )
        _first_bad(
            frame,
            year_col.is_null() & frame.get_column("year").is_not_null(),
            "year",
            "året går inte att läsa",
        )
    if "date" in roles and frame.schema["date"] == pl.Date:
        pass  # read typed from a workbook: dates already
    elif "date" in roles:
        dates = by_unique(frame.get_column("date"), parse_date, pl.Date)
        _first_bad(
            frame,
            dates.is_null() & frame.get_column("date").is_not_null(),
            "date",
            "datumet går inte att läsa",
        )
        frame = frame.with_columns(dates.alias("date"))
    else:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Date).alias("date"))
    period = by_unique(frame.get_column("date"), lambda u: u.dt.strftime("%Y-%m"), pl.String)
    if "period" in roles:
        if year_col is None:
            # (a month alone, "Januari", is of the year given: --year or the title's)
            from_text = by_unique(
                frame.get_column("period"),
                lambda u: parse_period(
                    u, None if default_year is None else pl.repeat(default_year, len(u), eager=True)
                ),
                pl.String,
            )
        else:
            from_text = parse_period(frame.get_column("period"), year_col)
        _first_bad(
            frame,
            from_text.is_null() & frame.get_column("period").is_not_null() & period.is_null(),
            "period",
            "perioden går inte att läsa",
        )
        period = pl.select(pl.coalesce(period, from_text)).to_series()
    frame = frame.with_columns(period.alias("period"))
    if "period" in roles:
        year = by_unique(frame.get_column("period"), lambda u: u.str.slice(0, 4).cast(pl.Int32))
        quarter = by_unique(
            frame.get_column("period"),
            lambda u: ((u.str.slice(5, 2).cast(pl.Int32) - 1) // 3 + 1).cast(pl.Int32),
        )
    else:
        # The period is the date's month: year and quarter straight from the dates, without
        # looking up a million period strings twice.
        dates = frame.get_column("date")
        year, quarter = dates.dt.year(), dates.dt.quarter()
    year = year.cast(pl.Int32)
    if year_col is not None:
        year = pl.select(pl.coalesce(year, year_col)).to_series()
    if default_year is not None:
        year = year.fill_null(default_year)
    frame = frame.with_columns(year.alias("year"), quarter.cast(pl.Int32).alias("quarter"))
    _first_bad(
        frame,
        frame.get_column("year").is_null(),
        "date" if "date" in roles else "period" if "period" in roles else "amount",
        "raden saknar datum, period och år (ange --year)",
    )

    # Accounts: "4620 Köp av huvudverksamhet" in one column is split into code and text.
    for role in ("konto", "kontotext", "organisation", "supplier", "org_nr", "invoice"):
        if role not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(role))
    konto = frame.get_column("konto")
    if "kontotext" not in roles:
        frame = frame.with_columns(
            by_unique(
                konto,
                lambda u: u.str.extract(r"^\d+\s*[-–:]?\s*(.*)$").replace("", None),
                pl.String,
            ).alias("kontotext")
        )
    frame = frame.with_columns(
        by_unique(
            konto,
            lambda u: pl.select(
                pl.coalesce(pl.lit(u).str.extract(r"^(\d+)"), pl.lit(u))
            ).to_series(),
            pl.String,
        ).alias("konto"),
        by_unique(frame.get_column("org_nr"), normalise_org_nr, pl.String).alias("org_nr"),
        pl.col("invoice").str.replace(r"\.0+$", ""),
    )

    # Organisation names through the registry; unknown names stay as published.
    years = frame.get_column("year").unique()
    if years.len() == 1:  # one year, the common case: the distinct names are enough
        only = years.item()
        names = frame.get_column("organisation").drop_nulls().unique().to_list()
        keys = [(name, only) for name in names]
    else:
        keys = frame.select("organisation", "year").unique().drop_nulls("organisation").rows()
    known = {(name, yr): registry.normalise(name, yr) for name, yr in keys}
    unknown = sorted({name for (name, _), norm in known.items() if norm is None})
    if unknown:
        seen["organisationer utanför registret"] = ", ".join(unknown[:10]) + (
            " …" if len(unknown) > 10 else ""
        )
    per_name: dict[str, set] = {}
    for (name, _), norm in known.items():
        per_name.setdefault(name, set()).add(norm or name)
    if all(len(v) == 1 for v in per_name.values()):
        renames = {name: next(iter(v)) for name, v in per_name.items() if next(iter(v)) != name}
        if renames:
            frame = frame.with_columns(pl.col("organisation").replace(renames))
    else:
        # A name that means different organisations in different years (a split nämnd).
        lookup = pl.DataFrame(
            {
                "organisation": [k[0] for k in known],
                "year": pl.Series([k[1] for k in known], dtype=pl.Int32),
                "_org": [v or k[0] for k, v in known.items()],
            }
        )
        frame = (
            frame.join(lookup, on=["organisation", "year"], how="left", maintain_order="left")
            .with_columns(pl.coalesce("_org", "organisation").alias("organisation"))
            .drop("_org")
        )
    return (
        frame.select(
            "date",
            "period",
            "year",
            "quarter",
            "organisation",
            "konto",
            "kontotext",
            "supplier",
            "org_nr",
            "invoice",
            "amount_sek",
            pl.col(ROW).cast(pl.Int64).alias("source_row"),
        ),
        seen,
    )
