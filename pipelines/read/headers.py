"""What a column holds, read from the wording of its header.

"Budget 2026", "Bu 2026", "Plan 2027", "Bokslut 2024", "Utfall jan–aug", "Ack. utfall",
"Utfall tom aug", "Prognos helår", "Avvikelse", "Majoritetens ram", "V:s ram", "Differens"
... become a ColumnMeaning: measure, year, period (end month) or full year, and actor.
Units in the wording ("Belopp i tkr", "(mnkr)") are read by `find_unit`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

MONTHS = {
    "jan": 1,
    "januari": 1,
    "feb": 2,
    "februari": 2,
    "mar": 3,
    "mars": 3,
    "apr": 4,
    "april": 4,
    "maj": 5,
    "jun": 6,
    "juni": 6,
    "jul": 7,
    "juli": 7,
    "aug": 8,
    "augusti": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oktober": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_MONTH_RE = re.compile(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?")

# Order matters: "Avvikelse budget/prognos" is an avvikelse, "Differens mot majoriteten" a
# difference, "Prognos" before "budget" because "Prognos jmf budget" is a prognos.
_MEASURES: list[tuple[str, re.Pattern[str]]] = [
    ("avvikelse", re.compile(r"avvikelse|\bavv\b\.?|\bavvik")),
    # "förändr" also inside a word: "Prognosförändring" is a change, not a prognos
    ("difference", re.compile(r"\b(differens|diff|skillnad)\b|förändr")),
    # "prognos" also inside a word: "Helårsprognos", "Årsprognos", "Delårsprognos"
    ("prognos", re.compile(r"prognos|\bprogn?\b\.?|\bprog\d")),
    (
        "utfall",
        re.compile(
            # "utfall" also inside a word: "Periodutfall", "Årsutfall", "Nettoutfall"
            r"utfall|\bbokslut|\bboksl\b|\bredovisat|\back\b|\back\.|"
            r"\backumulerat|\bbs\s*-?\d|\bbs\b|\butf\b|\bu\s?-?(19|20)\d{2}\b"
        ),
    ),
    ("plan", re.compile(r"\bplan|\bpl\s?-?(19|20)\d{2}\b|\bp\s?-?(19|20)\d{2}\b|\bp\d{2}\b")),
    (
        "budget",
        re.compile(
            r"budget|\bbu\b|\bbu\s*-?\d|\bbudg\b|\bb\s?-?(19|20)\d{2}\b|\bb\d{2}\b|\bram\b|"
            r"\bramar\b|\bramen\b|\bkommunbidrag|\banslag|\bbudgetram"
        ),
    ),
    (
        "generic",
        re.compile(
            r"\bbelopp|\bnettokostnad|\bkostnad\b|\bnetto\b|\bmnkr\b|\btkr\b|\bmkr\b|"
            r"\bförslag|\btillskott|\bsatsning|\bnettoinvestering|\bnettoutgift"
        ),
    ),
]
_MAJORITY = re.compile(r"majoritet|\bstyret|\bstyrets|\bs\s?\+\s?m\b|\bstyrande|\bs/m\b")
_PARTY = re.compile(
    r"\bv:s\b|\bv\s?-\s?förslag|\bvänsterpartiet|\bvänsterpartiets|\bvårt\b|\bvåra\b|"
    r"\bv\s+ram|\bv\s+förslag|\bv\s+budget|^v$|\(v\)"
)
_YEAR4 = re.compile(r"(?<!\d)(19[5-9]\d|20\d{2})(?!\d)")
_YEAR2 = re.compile(r"\b(?:bu|b|p|u|bs|pl|pr|prog|plan|budget|utfall|bokslut)\s*[-']?\s*(\d{2})\b")
_FULL_YEAR = re.compile(r"\bhelår|\bhela året|\bårsbudget|\bårsprognos|\bhelårs|\bår\b|\bårsutfall")
_PROJECT_TOTAL = re.compile(
    r"\btotal(a|t)?\s*(projekt)?(budget|utgift|kostnad|utfall|investeringsutgift|ram)|"
    r"\bbeslutad\w*\s+total|slutkostnad|slutprognos|\bprognos\s+slut|tidigare år|"
    r"\butgiftsram"
)
_LAST_YEAR = re.compile(r"\b(fg|föreg|föregående|förra|fjolårets)\.?\s*år(et)?\b|\bi fjol\b")
_CUMULATIVE = re.compile(r"\back\b|\back\.|\backumulerat|\bperiod|\bhittills|\bt\.?\s?o\.?\s?m\b")
_GROSS = re.compile(
    r"\b(intäkt|intäkter|kostnad|kostnader|utgift|utgifter|inkomst|inkomster|brutto\w*|"
    r"bruttointäkt\w*|bruttokostnad\w*|externa intäkter|interna intäkter)\b"
)
# dates in a header: "Utfall 2025-01-01–2025-08-31", "Utfall per 31/8"
_ISO_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d-(\d{2})-(\d{2})(?!\d)")
_DAY_MONTH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])")
# a change to the budget, not a budget: "Budgetjustering", "Tilläggsbudget", "Omdisponering"
_BUDGET_CHANGE = re.compile(r"justering|tilläggsbudget|omdisponering|ombudgetering|omföring")
_REVISED = re.compile(r"\b(justerad|reviderad|korrigerad|aktuell|efter|inkl|inklusive)\b")
_AGAINST = re.compile(r"\b(mot|jmf|jämfört med|jämfört mot|vs|i förhållande till)\.?\s+\w+")
_AGAINST_PROGNOS = re.compile(
    r"\b(mot|jmf|jämfört med|jämfört mot|vs)\.?\s+(föregående |tidigare |förra |senaste )?"
    r"(prognos|t[12]\b|tertial|delår|dr\s?[12]\b)"
)
_TERTIAL = re.compile(r"\btertial\s*([123])\b|\bt([12])\b|\bdelår\s*([12])\b|\bkvartal\s*([1-4])\b")


def fold(text: str) -> str:
    """Casefolded text with one kind of dash and single spaces, for matching wording."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = text.replace("\u00a0", " ")
    # soft hyphens and zero-width spaces (text pasted from a PDF) show nothing
    text = re.sub(r"[\u00ad\u200b-\u200d\u2060\ufeff]", "", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class ColumnMeaning:
    """What one column's header says. `period_month` is set only for part-year columns."""

    measure: str | None = None  # budget, plan, utfall, prognos, avvikelse, difference, generic
    year: int | None = None
    period_month: int | None = None
    full_year: bool = False
    cumulative: bool = False  # "Ack." or "period" without a month: the document's period
    actor: str | None = None  # V, majoriteten
    text: str = ""
    # never a fact of its own: "Intäkter", "Kostnader", "Brutto" (parts of the net), or the
    # "Ursprunglig budget" beside the revised one the outcome is measured against
    gross: bool = False
    # "Utfall jan–aug fg år", "Bokslut föregående år": the year before the document's (or
    # before the year a header row above names)
    years_back: int = 0
    # a share, count or per-capita figure ("%", "Andel", "Antal"): never an amount, whatever
    # the header row above it says
    share: bool = False
    # an investment project's figure over all its years ("Total projektbudget", "Beslutad
    # totalutgift", "Ack. utfall tidigare år", "Prognos slutkostnad"): not the year's
    project_total: bool = False
    # one month named alone ("Feb", "Utfall mars"), not a span ("jan–mars", "t.o.m. mars",
    # "Ack. mars"): beside other such months, that month's own figure (see
    # sources.facts.plan_columns)
    lone_month: bool = False
    # "Föregående prognos", "Prognos förra månaden": the forecast before this report's own
    earlier_forecast: bool = False
    # "Justerad budget", "Budget efter omdisponering": the budget as revised during the year
    revised: bool = False

    def merged_with(self, upper: ColumnMeaning) -> ColumnMeaning:
        """This (lower) header's meaning with gaps filled from the header row above it."""
        merged = self._merged_with(upper)
        if self.gross or self.share or self.project_total:
            # "Budget 2025" over "Intäkter | Kostnader | Netto": only the net is the budget;
            # "Avvikelse" merged over "tkr | %": only the kronor are the avvikelse
            return replace(merged, measure=None)
        return merged

    def _merged_with(self, upper: ColumnMeaning) -> ColumnMeaning:
        specific = self.measure if self.measure not in (None, "generic") else None
        return replace(
            self,
            measure=specific or upper.measure or self.measure,
            year=self.year or upper.year,
            period_month=self.period_month
            if (self.period_month or self.full_year)
            else upper.period_month,
            full_year=self.full_year or (upper.full_year and not self.period_month),
            cumulative=self.cumulative or upper.cumulative,
            actor=self.actor or upper.actor,
            years_back=self.years_back or upper.years_back,
            text=f"{upper.text} {self.text}".strip(),
        )


def parse_header(text: str | None) -> ColumnMeaning:
    """The meaning of one header cell's wording."""
    if not text or not text.strip():
        return ColumnMeaning()
    t = fold(text)
    # "mot budget" (under "Avvikelse"): what the column is measured against, not what it is
    measured = _AGAINST.sub(" ", t)
    measure = next((name for name, pattern in _MEASURES if pattern.search(measured)), None)
    share = bool(
        re.search(r"%|\bprocent|\bandel\b|\bantal\b|\bårsarbetare|\bkr/inv|per invånare", t)
    )
    if share:
        # shares, counts and per-capita figures are not amounts of the budget
        measure = None
    year = None
    if m := _YEAR4.search(t):
        year = int(m.group(1))
    elif m := _YEAR2.search(t):
        year = 2000 + int(m.group(1))
    month_words = [MONTHS[m.group(1)] for m in _MONTH_RE.finditer(t)]
    months = month_words or _date_months(t)
    period_month = months[-1] if months else None
    lone_month = len(month_words) == 1 and not re.search(
        r"\b(per|tom|t\.\s?o\.?\s?m|till och med|ack|ackumulerat|hittills|period)\b", t
    )
    if period_month is None and (m := _TERTIAL.search(t)):
        tertial, short, delar, quarter = m.groups()
        if tertial or short or delar:
            period_month = 4 * int(tertial or short or delar)
        else:
            period_month = 3 * int(quarter)
    full_year = bool(_FULL_YEAR.search(t)) and period_month is None
    if period_month == 12:
        # "Utfall jan–dec" or "Bokslut december" is the whole year
        period_month, full_year = None, True
    if measure is None and is_year_cell(t):
        # a bare year ("2026" under "Nettokostnad, mnkr"): an amount of that year, whose
        # measure the document decides (see sources.facts.plan_columns)
        measure = "generic"
    actor = "majoriteten" if _MAJORITY.search(t) else ("V" if _PARTY.search(t) else None)
    if measure in (None, "generic") and actor:
        measure = "budget"
    if measure == "avvikelse" and _AGAINST_PROGNOS.search(t):
        # "Avvikelse mot prognos T1": the change since the last forecast, not the
        # deviation from budget; checked like a difference, never stored
        measure = "difference"
    # Gross figures beside the net ("Intäkter | Kostnader | Nettokostnad", investments'
    # "Utgifter | Inkomster | Netto"): the net is the organisation's cost; the gross columns
    # are parts of it, and reading them too would count the same money twice.
    gross = bool(_GROSS.search(t)) and "netto" not in t
    if gross and measure in (None, "generic"):
        measure = None
    project_total = bool(_PROJECT_TOTAL.search(t))
    if project_total:
        measure = None
    revised = measure == "budget" and bool(_REVISED.search(t))
    if measure == "budget" and _BUDGET_CHANGE.search(t) and not revised:
        # checked like a difference, never stored
        measure = "difference"
    if measure == "budget" and re.search(r"\burspr(\.|ungl\w*)", t):
        # "Ursprunglig budget | Justerad budget | Utfall": the outcome is measured against
        # the revised budget; the original is the Mål och budget document's own fact
        measure, gross = None, True
    return ColumnMeaning(
        measure=measure,
        year=year,
        period_month=period_month,
        full_year=full_year,
        cumulative=bool(_CUMULATIVE.search(t)),
        actor=actor,
        text=text.strip(),
        gross=gross and measure is None,
        share=share,
        project_total=project_total,
        lone_month=lone_month and bool(period_month),
        revised=revised,
        earlier_forecast=measure == "prognos"
        and year is None
        and not _LAST_YEAR.search(t)
        and bool(re.search(r"\b(föregående|föreg|förra|tidigare)\b", t)),
        years_back=1 if year is None and _LAST_YEAR.search(t) else 0,
    )


def _date_months(t: str) -> list[int]:
    """The months of the dates a header names ("2025-08-31", "31/8"), in order."""
    months = [int(m.group(1)) for m in _ISO_DATE.finditer(t)]
    if not months:
        months = [int(m.group(2)) for m in _DAY_MONTH.finditer(t) if 1 <= int(m.group(1)) <= 31]
    return [m for m in months if 1 <= m <= 12]


def is_year_cell(text: str | None) -> bool:
    return bool(text) and re.fullmatch(r"\s*(19[5-9]\d|20\d{2})\s*", text) is not None


# Units: the multiplier to kronor. Longest wording first.
_UNITS: list[tuple[re.Pattern[str], str, int]] = [
    (re.compile(r"\bmiljarder\s+kronor\b|\bmdkr\b|\bmdr\s?kr\b|\bmiljarder\b"), "mdkr", 10**9),
    (
        re.compile(r"\bmiljoner\s+kronor\b|\bmnkr\b|\bmkr\b|\bmsek\b|\bmn\s?kr\b|\bmiljoner\b"),
        "mnkr",
        10**6,
    ),
    (
        re.compile(r"\btusen(tals)?\s+kronor\b|\btkr\b|\btsek\b|\bksek\b|\bt\s?kr\b"),
        "tkr",
        10**3,
    ),
    (re.compile(r"\bkronor\b|\bkr\b|\bsek\b"), "kr", 1),
]


def find_unit(text: str | None) -> tuple[str, int] | None:
    """The unit a text states ("Belopp i tkr", "(mnkr)", "Mkr"), or None."""
    if not text:
        return None
    t = fold(text)
    for pattern, name, factor in _UNITS:
        if pattern.search(t):
            return name, factor
    return None


def find_period_month(text: str | None) -> int | None:
    """The end month of the period a title names ("jan–aug", "per 31 augusti", "tertial 2")."""
    if not text:
        return None
    t = fold(text)
    months = [MONTHS[m.group(1)] for m in _MONTH_RE.finditer(t)]
    if months:
        return months[-1]
    if m := _TERTIAL.search(t):
        tertial, short, delar, quarter = m.groups()
        if tertial or short or delar:
            return 4 * int(tertial or short or delar)
        return 3 * int(quarter)
    # Södertälje's delårsrapport 1 covers January–April, delårsrapport 2 January–August
    if m := re.search(r"del[åa]rsrapport[\s_-]*([12])\b|\bdr[\s_-]?([12])\b", t):
        return 4 * int(m.group(1) or m.group(2))
    return None
