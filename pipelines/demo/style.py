"""How the demo documents print numbers, headers and names: the real-world quirks.

Each document picks one `NumStyle` and one name variant, so that between them the demo
shows every quirk the importers must handle: numbers as numbers or as text with a normal
or non-breaking space, Unicode minus, negatives in brackets, dashes or empty cells for
zero, note stars, costs negative in one report and positive in the next, and the
organisation names as different reports write them.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

DEMO_MARK = "Demodata — påhittade belopp"
NBSP = "\u00a0"
UMINUS = "\u2212"
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
FIXED_ISO = "2026-01-01T00:00:00Z"

UNIT_DIVISOR = {"kr": Decimal("0.001"), "tkr": Decimal(1), "mnkr": Decimal(1000)}
UNIT_STEP = {"kr": Decimal(1), "tkr": Decimal(1), "mnkr": Decimal("0.1")}


@dataclass(frozen=True)
class NumStyle:
    """How one document writes its amounts."""

    unit: str = "tkr"  # kr, tkr, mnkr (what the numbers are in; the label is separate)
    text_sep: str | None = None  # None: numeric cells; " " or NBSP: text like "1 234,5"
    negative: str = "-"  # "-", UMINUS or "()" for negative numbers written as text
    zero: object = 0  # 0, "-", "–" or None (empty cell) for a zero amount
    costs_negative: bool = False  # costs and allocations printed as negative numbers

    def amount(self, tkr: int | None) -> Decimal | None:
        """A tkr amount in this document's unit, rounded as printed, sign applied."""
        if tkr is None:
            return None
        value = (Decimal(tkr) / UNIT_DIVISOR[self.unit]).quantize(
            UNIT_STEP[self.unit], rounding=ROUND_HALF_UP
        )
        return -value if self.costs_negative else value

    def cell(self, value: Decimal | None, mark: str = "") -> object:
        """The cell content for a printed value (already in unit and sign)."""
        if value is None:
            return None
        if value == 0 and not mark:
            return self.zero
        decimals = 1 if self.unit == "mnkr" else 0
        if self.text_sep is None and not mark:
            return float(value) if decimals else int(value)
        return swedish_text(value, decimals, self.text_sep or " ", self.negative) + mark

    @property
    def number_format(self) -> str:
        return "#,##0.0" if self.unit == "mnkr" else "#,##0"


def swedish_text(value: Decimal, decimals: int, sep: str, negative: str) -> str:
    """`value` as a Swedish spreadsheet shows it: '1 234,5', '−1 234', '(1 234)'."""
    digits = f"{abs(value):,.{decimals}f}".replace(",", "\x00").replace(".", ",")
    digits = digits.replace("\x00", sep)
    if value >= 0:
        return digits
    if negative == "()":
        return f"({digits})"
    return negative + digits


# Organisation names as different reports write them (all known to data/organisations.csv).
NAME_VARIANTS: dict[str, dict[str, str]] = {
    "canonical": {},
    # 2022: the names before two nämnder were renamed (aliases in the registry)
    "old": {
        "Arbets- och näringslivsnämnden": "Arbetsmarknadsnämnden",
        "Stadsbyggnadsnämnden": "Samhällsbyggnadsnämnden",
    },
    "casual": {
        "Kultur- och fritidsnämnden": "Kultur och fritidsnämnden",
        "Socialnämnden": "socialnämnden",
        "Omsorgsnämnden": "omsorgsnämnden",
        "Äldreomsorgsnämnden": "Äldreomsorgsnämnd",
        "Kommundelsnämnden Järna": "Järna kommundelsnämnd",
        "Kommundelsnämnden Enhörna": "Enhörna kommundelsnämnd",
        "Kommundelsnämnden Hölö-Mörkö": "Hölö-Mörkö kommundelsnämnd",
        "Kommundelsnämnden Vårdinge-Mölnbo": "Vårdinge-Mölnbo kommundelsnämnd",
        "Arbets- och näringslivsnämnden": "Arbets och näringslivsnämnden",
        "Revisionen": "Revision",
    },
    "short": {
        "Kommunfullmäktige": "KF",
        "Kommunstyrelsen": "KS",
        "Utbildningsnämnden": "UN",
        "Social- och omsorgsnämnden": "SON",
        "Socialnämnden": "SN",
        "Omsorgsnämnden": "ON",
        "Äldreomsorgsnämnden": "ÄN",
        "Kultur- och fritidsnämnden": "KFN",
        "Stadsbyggnadsnämnden": "SBN",
        "Tekniska nämnden": "TN",
        "Miljönämnden": "MN",
        "Arbets- och näringslivsnämnden": "ANN",
        "Kommundelsnämnden Järna": "KDN Järna",
        "Kommundelsnämnden Enhörna": "KDN Enhörna",
        "Kommundelsnämnden Hölö-Mörkö": "KDN Hölö-Mörkö",
        "Kommundelsnämnden Vårdinge-Mölnbo": "KDN Vårdinge-Mölnbo",
        "Överförmyndarnämnden": "Överförmyndaren",
    },
}


def org_name(name: str, variant: str) -> str:
    return NAME_VARIANTS[variant].get(name, name)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a hidden temporary file and one rename.

    Two runs generating into the same folder (say `make run` beside a test) then never see
    each other's half-written files; hidden files are skipped by `verkstad ingest`.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def normalised_xlsx(data: bytes) -> bytes:
    """A saved workbook rewritten with fixed timestamps: same content, same bytes.

    openpyxl stamps the save time into docProps/core.xml and into every zip entry; both
    would change the file hash on every run and defeat "already loaded" on re-ingest.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rf"\g<1>{FIXED_ISO}\g<3>",
                    text,
                )
                body = text.encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, body)
    return out.getvalue()
