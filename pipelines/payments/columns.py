"""Header recognition for supplier-payment tables: which column is which.

Municipalities publish the same few columns under many names ("Leverantör",
"Leverantörsnamn", "Belopp exkl moms", "Org.nr", "Bokföringsdatum" …). Each role has a list
of patterns in order of preference; the best-ranked matching column wins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# role → patterns, best first. Patterns match the normalised header (see header_key).
ROLE_PATTERNS: dict[str, tuple[str, ...]] = {
    "supplier": (
        # The name before a bare "Leverantör", which in some exports is the supplier's id
        # beside "Leverantörsnamn"; "Lev.namn" as Raindance and Agresso shorten it.
        r"leverantör(s|ens)? ?namn|leverantorsnamn|lev ?namn",
        r"leverantör|leverantor",
        r"(betalnings)?mottagare(ns)?( ?namn)?|motpart(snamn)?|supplier( name)?",
    ),
    "org_nr": (
        r"(leverantör(ens|s)? )?(org|organisations?) ?(nr|nummer|no)"
        r"( ?/ ?pers(on)? ?(nr|nummer))?|orgnr|organisationsnr",
        r"(person|org)( ?/ ?|-| eller )(org|person)(anisations)? ?(nr|nummer)",
        # the VAT number, SE + org.nr + 01 (normalise_org_nr reads the org.nr out of it)
        r"moms ?(reg|registrerings) ?(nr|nummer)|vat ?(nr|nummer|no)",
    ),
    "amount": (
        r"belopp( sek| kr)? (exkl|exklusive|utan) moms( sek| kr)?|nettobelopp( sek| kr)?",
        r"(utbetalt |bokfört |fakturerat )?belopp( sek| kr| i kr| i sek)?|amount"
        r"|utbetalt( sek| kr)?|kronor|sek|kr",
        r"belopp( sek| kr)? (inkl|inklusive) moms( sek| kr)?|bruttobelopp|totalbelopp"
        r"|fakturabelopp( sek| kr)?|summa( kr| sek)?",
    ),
    # A ledger export without an amount column: the amount is debet − kredit.
    "debet": (r"debet( sek| kr)?|debit",),
    "kredit": (r"kredit( sek| kr)?|credit",),
    "organisation": (
        r"nämnd|nämndnamn|ansvarig nämnd|nämnd ?/ ?förvaltning",
        r"förvaltning|förvaltningsnamn|förvaltning ?/ ?(nämnd|bolag)|organisation(snamn)?|myndighet",
    ),
    "konto": (r"(bas)?konto( ?nr| ?nummer| ?kod)?|kto",),
    "kontotext": (r"konto ?(text|benämning|namn|beskrivning|beteckning)",),
    "date": (
        # ("Datum" merged over "Betald | Bokförd": a two-row header, see recognise_two)
        r"(betal|betalnings|utbetalnings) ?(datum|dag)|datum (betald|betalt|utbetald|betalning)",
        r"(bokförings|bokf|verifikations|transaktions|ver) ?(datum|dag)"
        r"|datum (bokförd|bokfört|bokföring)",
        r"datum",
        r"fakturadatum",
    ),
    "period": (r"period|månad|år ?/? ?månad|år och månad|bokföringsperiod|redovisningsperiod",),
    "year": (r"år|räkenskapsår|bokföringsår",),
    "invoice": (
        r"faktura ?(nummer|nr|id)|fakturanummer|fakturanr|faktura",
        r"verifikations? ?(nummer|nr)|verifikation|ver ?nr|löpnummer",
    ),
}

_SUPPLIER_NUMBER = re.compile(r"lev(erantör(s|ens)?)? ?(nr|nummer|id)")
_SUPPLIER_NAME = re.compile(r"namn|företag(snamn)?|företagets namn")

_COMPILED = {
    role: tuple(re.compile(f"(?:{p})") for p in patterns)
    for role, patterns in ROLE_PATTERNS.items()
}


def header_key(text: object) -> str:
    """A header folded for comparison: case, punctuation, dashes and spaces."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFC", str(text)).casefold().replace("\u00a0", " ")
    text = re.sub(r"[.,:()\[\]_*\"']", " ", text)
    text = re.sub(r"\s*-\s*", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def role_of(header: object) -> tuple[str, int] | None:
    """The role a header names and its rank (0 = best), or None."""
    key = header_key(header)
    if not key:
        return None
    for role, patterns in _COMPILED.items():
        for rank, pattern in enumerate(patterns):
            if pattern.fullmatch(key):
                return role, rank
    return None


@dataclass(frozen=True)
class Header:
    """A recognised header row: the column index of each role found."""

    columns: dict[str, int]
    names: tuple[str, ...]
    # The header row's own cells when the names were put together from two rows
    # (recognise_two): what a reader finds on the row above the data.
    cells: tuple[str, ...] | None = None

    @property
    def row(self) -> tuple[str, ...]:
        """The cells of the header row itself (the lower row of a two-row header)."""
        return self.names if self.cells is None else self.cells

    def name(self, role: str) -> str | None:
        idx = self.columns.get(role)
        return None if idx is None else self.names[idx]


def recognise(cells: list[object]) -> Header | None:
    """A Header when `cells` look like a payments table header, else None.

    A payments header names a supplier, an amount (or Debet and Kredit, whose difference
    is the amount), and at least one more thing a payment
    has: an organisation, an account, an org.nr, a date or period, or an invoice. (A ledger
    exported per förvaltning may lack the förvaltning column; no budget table has a
    supplier column.) A column named for the supplier itself ("Leverantör",
    "Leverantörsnamn") with an amount is enough: "Leverantör | Belopp", a year's payments
    per supplier, is no budget.
    """
    best: dict[str, tuple[int, int]] = {}
    for idx, cell in enumerate(cells):
        found = role_of(cell)
        if found is None:
            continue
        role, rank = found
        if role not in best or rank < best[role][0]:
            best[role] = (rank, idx)
    if "supplier" not in best:
        # A ledger export (Visma) gives the supplier as "Lev.nr" and "Namn": beside the
        # supplier's number, the name column is the supplier's.
        keys = [header_key(cell) for cell in cells]
        if any(_SUPPLIER_NUMBER.fullmatch(key) for key in keys):
            named = [idx for idx, key in enumerate(keys) if _SUPPLIER_NAME.fullmatch(key)]
            if named:
                best["supplier"] = (len(ROLE_PATTERNS["supplier"]), named[0])
    if "amount" in best or not {"debet", "kredit"} <= best.keys():
        best.pop("debet", None)  # (an amount column decides; one of the two is no amount)
        best.pop("kredit", None)
    if "supplier" not in best or not ("amount" in best or "debet" in best):
        return None
    more = {"organisation", "konto", "org_nr", "date", "period", "invoice"} & best.keys()
    if not more and best["supplier"][0] > 1:
        return None
    names = tuple("" if c is None else str(c).strip() for c in cells)
    return Header({role: idx for role, (_, idx) in best.items()}, names)


def recognise_all(cells: list[object]) -> list[Header]:
    """Every payments table a header row heads: one, or several side by side.

    A hand-made sheet may hold its months side by side, each block under its own
    "Leverantör … Belopp" with an empty column between; `recognise` alone would read the
    first block and leave the others. A row naming the supplier and the amount more than
    once is cut at its empty cells; when the parts that are payments headers repeat one
    wording, each is a table (its column indices are the row's own).
    """
    header = recognise(cells)
    if header is None:
        return []
    names = [role_of(cell) for cell in cells]
    suppliers = sum(1 for found in names if found and found[0] == "supplier")
    amounts = sum(1 for found in names if found and found[0] == "amount")
    if suppliers < 2 or amounts < 2:
        return [header]
    blocks: list[list[int]] = [[]]
    for idx, cell in enumerate(cells):
        if cell is None or not str(cell).strip():
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(idx)
    found, wordings = [], set()
    for block in blocks:
        part = recognise([cells[i] if i in block else None for i in range(len(cells))])
        if part is not None:
            found.append(part)
            wordings.add(tuple(header_key(cells[i]) for i in block))
    # (side by side, the tables repeat one header; different parts are one wide table)
    return found if len(found) > 1 and len(wordings) == 1 else [header]


def _text(cell: object) -> str:
    return "" if cell is None else " ".join(str(cell).split())


def combine_rows(upper: list[object], lower: list[object]) -> list[str]:
    """The column names of a two-row header: "Belopp" merged over "exkl moms | inkl moms"
    gives "Belopp exkl moms", "Belopp inkl moms". A merged cell keeps its text in its first
    column only; it spans the columns to its right that are empty above and named below. A
    cell with nothing below (merged down over both rows) spans nothing."""
    names, carry = [], ""
    for i in range(max(len(upper), len(lower))):
        u = _text(upper[i]) if i < len(upper) else ""
        low = _text(lower[i]) if i < len(lower) else ""
        if u and low:
            names.append(f"{u} {low}")
            carry = u
        elif u:
            names.append(u)
            carry = ""
        elif low:
            names.append(f"{carry} {low}" if carry else low)
        else:
            names.append("")
            carry = ""
    return names


def recognise_two(upper: list[object], lower: list[object]) -> Header | None:
    """A Header from a two-row header (see combine_rows), or None.

    The upper row alone may read as a header ("Förvaltning | Leverantör | Belopp | | Datum"),
    so the row under a header is tried too. It is the header's second row only when it
    names, without a digit anywhere (a data row has its amount), a column under an empty
    upper cell to the right of a named one: a merged cell spanning kinds ("exkl moms |
    inkl moms", "Bokförd | Betald"). A title row above names one cell, never a span.
    """
    width = max(len(upper), len(lower))
    up = [_text(upper[i]) if i < len(upper) else "" for i in range(width)]
    low = [_text(lower[i]) if i < len(lower) else "" for i in range(width)]
    if any(any(ch.isdigit() for ch in cell) for cell in low):
        return None
    spans = any(
        low[i] and not up[i] and up[i - 1] and low[i - 1] for i in range(1, width)
    )  # (a span's first column is named on both rows)
    if not spans:
        return None
    header = recognise(combine_rows(upper, lower))
    if header is None:
        return None
    return Header(header.columns, header.names, tuple(low[: len(header.names)]))
