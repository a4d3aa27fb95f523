"""Which document a workbook is: kind, year, period, actor and the demo marker.

Read from the file name and the title text above the tables first (the municipality names
its documents: "Mål och budget 2026", "Delårsrapport 2 2025", "Årsredovisning 2024"), and
from the columns only when the titles say nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipelines.read.headers import find_period_month, fold
from pipelines.read.tables import Table

KINDS = ("budget", "forslag", "delarsrapport", "bokslut")

_PARTY = re.compile(
    r"vänsterpartiet|vansterpartiet|\bv:s\b|\(v\)|\bv-?förslag|\bv-?forslag|motbudget|"
    r"oppositionens|alternativ budget|\bv-?budget|\bv\s+budget|\bvänsterns|budgetförslag från v\b"
)
# "Budgetuppföljning per april" follows the budget up: a report of the year, not a budget
_DELAR = re.compile(
    r"delårs|\bdelars|\bdelår\b|tertial|\bdr\s?[12]\b|budgetuppf[öo]ljning|"
    r"(månads|manads|ekonomisk |ekonomiska )uppf[öo]ljning"
)
# weaker words: a bokslut's goal sheet may be titled "uppföljning av mål"
_FOLLOW_UP = re.compile(r"månadsrapport|manadsrapport|uppföljning|\bprognos\s?[1-3]\b")
_BOKSLUT = re.compile(r"bokslut|årsredovisning|arsredovisning|årsbokslut|verksamhetsberättelse")
_BUDGET = re.compile(r"budget|\bmob\b|flerårsplan|ramar|strategisk plan|verksamhetsplan")
_DOC_YEAR = re.compile(
    r"(budget|delårsrapport|delarsrapport|delår|bokslut|årsredovisning|arsredovisning|"
    r"förslag|forslag|tertialrapport|rapport|plan)(?:[\s_-]*[12](?!\d))?\D{0,30}?(20\d\d)"
)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


@dataclass
class DocumentInfo:
    kind: str
    doc_year: int | None
    period_month: int | None
    actor: str
    is_demo: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def period(self) -> str | None:
        if self.doc_year and self.period_month:
            return f"{self.doc_year}-{self.period_month:02d}"
        return None


def sheet_year(sheet_name: str) -> int | None:
    """The one year a sheet's name gives ("MoB 2026", "Budget 2026", "Drift 2025"): the
    year after a document word ("Budget 2026 plan 2027-2028"), else the only year named;
    None when it names none or several."""
    text = fold(sheet_name)
    if m := _DOC_YEAR.search(text):
        return int(m.group(m.lastindex))
    years = {int(y) for y in _YEAR.findall(text)}
    return years.pop() if len(years) == 1 else None


def detect_document(
    file_name: str,
    titles: list[str],
    tables: list[Table],
    kind: str | None,
    year: int | None,
    has_goals: bool,
    sheet_names: list[str] | None = None,
) -> DocumentInfo:
    """Kind, doc_year, period, actor and demo flag; `kind`/`year` (the user's flags) win.

    sheet_names: the names of the sheets holding tables; when titles and file name give no
    year, the one year the names give (all that give one agree) is the document's."""
    stem = re.sub(r"[_.]+", " ", file_name.rsplit(".", 1)[0])
    title = fold(" ".join([stem, *titles]))
    meanings = [v.meaning for t in tables for v in t.value_columns]
    reasons = []
    named_stem = _kind_in(fold(stem))
    named_title = _kind_in(title)
    if kind:
        reasons.append(f"dokumentslag {kind} angivet av användaren")
    elif "forslag" in (named_stem, named_title) or any(m.actor for m in meanings):
        # the party's file: "V budgetförslag" is a budget by its words, a proposal by its
        # columns (majoritetens ram beside V:s ram)
        kind = "forslag"
        reasons.append(
            "dokumentslag forslag: filnamn, titel eller kolumner med majoritetens och V:s ram"
        )
    elif named_stem:
        kind = named_stem
        reasons.append(f"dokumentslag {kind}: filnamnet")
    elif named_title:
        kind = named_title
        reasons.append(f"dokumentslag {kind}: titeln")
    elif any(
        m.measure == "prognos" or (m.measure == "utfall" and m.period_month) for m in meanings
    ):
        kind = "delarsrapport"
        reasons.append("dokumentslag delarsrapport: kolumner med prognos eller periodutfall")
    elif has_goals and not meanings:
        kind = "delarsrapport"
        reasons.append("dokumentslag delarsrapport: måluppföljning utan belopp")
    elif any(m.measure in ("budget", "plan") for m in meanings):
        kind = "budget"
        reasons.append("dokumentslag budget: kolumner med budget och plan")
    elif any(m.measure == "utfall" for m in meanings):
        kind = "bokslut"
        reasons.append("dokumentslag bokslut: bara utfallskolumner")
    else:
        kind = "budget"
        reasons.append("dokumentslag okänt i titlar och kolumner; antar budget")

    doc_year = year
    if doc_year:
        reasons.append(f"år {doc_year} angivet av användaren")
    else:
        # the titles first (the document's own words), then the file name
        texts = [("titeln", fold(" ".join(titles))), ("filnamnet", fold(stem))]
        hit = next(
            ((where, m) for where, text in texts if (m := _DOC_YEAR.search(text))), None
        ) or next(((where, m) for where, text in texts if (m := _YEAR.search(text))), None)
        named = {n: y for n in sheet_names or [] if (y := sheet_year(n))}
        if hit:
            where, m = hit
            doc_year = int(m.group(m.lastindex))
            reasons.append(f"år {doc_year} ur {where} ('{m.group(0)}')")
        elif len(set(named.values())) == 1:
            doc_year = next(iter(named.values()))
            shown = ", ".join(f"'{n}'" for n in named)
            reasons.append(f"år {doc_year} ur bladnamnet ({shown})")
        else:
            doc_year = _year_from_columns(kind, meanings)
            if doc_year:
                reasons.append(f"år {doc_year} ur kolumnrubrikerna")

    period_month = None
    if kind == "delarsrapport":
        period_month = find_period_month(title)
        if period_month:
            reasons.append(f"period t.o.m. månad {period_month} ur titeln")
        else:
            months = Counter(
                m.period_month for m in meanings if m.period_month and m.measure == "utfall"
            )
            if months:
                period_month = months.most_common(1)[0][0]
                reasons.append(f"period t.o.m. månad {period_month} ur kolumnrubrikerna")
        if period_month == 12:
            period_month = None
    actor = "V" if kind == "forslag" else "kommunen"
    is_demo = "demodata" in title
    return DocumentInfo(kind, doc_year, period_month, actor, is_demo, reasons)


def _kind_in(text: str) -> str | None:
    """The document kind a file name or title names, strongest wording first."""
    if _PARTY.search(text):
        return "forslag"
    if _DELAR.search(text):
        return "delarsrapport"
    if _BOKSLUT.search(text):
        return "bokslut"
    if _BUDGET.search(text):
        return "budget"
    if _FOLLOW_UP.search(text):
        return "delarsrapport"
    return None


def _year_from_columns(kind: str, meanings) -> int | None:
    def years(*measures: str) -> list[int]:
        return [m.year for m in meanings if m.year and m.measure in measures]

    if kind in ("budget", "forslag"):
        budget = years("budget")
        plan = years("plan")
        if budget and plan:
            # "Budget 2025, Budget 2026, Plan 2027": the document's year is the last budget
            # before the plan years
            before = [y for y in budget if y < min(plan)]
            return max(before) if before else max(budget)
        return max(budget or plan or years("utfall", "generic") or [0]) or None
    if kind == "delarsrapport":
        found = Counter(years("prognos", "utfall", "avvikelse", "budget"))
        return found.most_common(1)[0][0] if found else None
    found = years("utfall", "budget", "generic")
    return max(found) if found else None
