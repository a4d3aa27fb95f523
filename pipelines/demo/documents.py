"""The demo documents, written from the model the way the municipality and the group publish.

One function per document kind. Each year's document differs in layout, units, signs,
header wording and names (see VARIANTS below), as real documents do between years.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from pipelines.demo import model as m
from pipelines.demo.sheet import ITALIC, Sheet, WrittenTable
from pipelines.demo.style import (
    DEMO_MARK,
    NBSP,
    UMINUS,
    NumStyle,
    normalised_xlsx,
    org_name,
    write_atomic,
)

MONTHS = {4: "april", 8: "augusti"}


@dataclass
class Written:
    """One generated file and the tables written into it (for self-checks)."""

    path: Path
    kind: str  # budget, forslag, delarsrapport, bokslut
    year: int
    tables: list[WrittenTable]
    quirks: set[str]
    goals: int = 0


def _sum(values: list[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def _col_sums(rows: list[list[Decimal | None]], width: int) -> list[Decimal | None]:
    return [_sum([r[i] for r in rows]) for i in range(width)]


def _new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "Verkstad demo"
    wb.properties.title = DEMO_MARK
    return wb


def _save(wb: Workbook, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    wb.save(buf)
    write_atomic(path, normalised_xlsx(buf.getvalue()))


def _avvikelse(num: NumStyle, budget: Decimal | None, other: Decimal | None) -> Decimal | None:
    """Positive = better than budget, whatever sign the costs are printed with."""
    if budget is None or other is None:
        return None
    return other - budget if num.costs_negative else budget - other


def _org_value(model: m.Model, num: NumStyle, org: str, getter) -> Decimal | None:
    """An organisation's printed amount: the sum of its printed lines when it has lines."""
    keys = [(o, line) for (o, line) in model.budget if o == org]
    vals = [getter(o, line) for o, line in keys]
    vals = [v for v in vals if v is not None]
    if not vals:
        return None
    return _sum([num.amount(v) for v in vals])


# --- Mål och budget --------------------------------------------------------------------------

MOB = {
    2022: dict(
        num=NumStyle("tkr"),
        names="old",
        unit="Belopp i tkr",
        heads="Bokslut {y2}|Budget {y1}|Budget {y}|Plan {p1}|Plan {p2}",
        two_row=False,
        file="Mål och budget 2022 med plan 2023-2024.xlsx",
    ),
    2023: dict(
        num=NumStyle("mnkr", text_sep=NBSP, zero="–"),
        names="casual",
        unit=None,  # stated in the table title instead
        heads="Bokslut {y2}|Budget {y1}|Bu {y}|Plan {p1}|Plan {p2}",
        two_row=False,
        file="mal-och-budget-2023.xlsx",
    ),
    2024: dict(
        num=NumStyle("mnkr", text_sep=" ", negative=UMINUS, costs_negative=True),
        names="canonical",
        unit="(Mkr)",
        heads="Bokslut {y2}|Budget {y1}|Budget {y}|Plan {p1}|Plan {p2}",
        two_row=True,
        file="MoB 2024-2026 bilaga driftbudget.xlsx",
    ),
    2025: dict(
        num=NumStyle("tkr", text_sep=" ", negative="()", costs_negative=True, zero="-"),
        names="short",
        unit="Belopp i tkr",
        heads="Bokslut {y2}|Budget {y1}|Budget {y}|Plan {p1}|Plan {p2}",
        two_row=False,
        file="mal-och-budget-2025.xlsx",
    ),
    2026: dict(
        num=NumStyle("tkr", zero="-"),
        names="canonical",
        unit="Belopp i tkr",
        heads="Bokslut {y2}|Budget {y1}|Budget {y}|Plan {p1}|Plan {p2}",
        two_row=False,
        file="Mål och budget 2026.xlsx",
    ),
}


def write_mal_och_budget(model: m.Model, year: int, out: Path) -> Written:
    v = MOB[year]
    num: NumStyle = v["num"]
    names = v["names"]
    y2, y1, p1, p2 = year - 2, year - 1, year + 1, year + 2
    heads = v["heads"].format(y=year, y1=y1, y2=y2, p1=p1, p2=p2).split("|")
    if v["two_row"]:
        head_spec: list = [
            ("Bokslut", str(y2)),
            ("Budget", str(y1)),
            ("Budget", str(year)),
            ("Plan", str(p1)),
            ("Plan", str(p2)),
        ]
    else:
        head_spec = heads
    quirks: set[str] = {"title rows", "blank rows"}
    wb = _new_workbook()

    # Sheet 1: driftbudget per nämnd, with the rows below the line.
    sh = Sheet(wb.create_sheet("Driftbudget"), num)
    sh.titles("Södertälje kommun", f"Mål och budget {year} med plan {p1}–{p2}", DEMO_MARK)
    sh.text(f"Beslutad av kommunfullmäktige i november {y1}.", ITALIC)
    sh.blank()
    if v["unit"]:
        sh.text(v["unit"])
    else:
        sh.text("Driftbudget per nämnd, mnkr", Font(bold=True))
    sh.blank()
    present = set(model.orgs_in(y2)) | set(model.orgs_in(y1)) | set(model.orgs_in(year))
    orgs = [o for o in _ORDER if o in present]
    if m.SON in orgs:
        sh.text(
            "Social- och omsorgsnämnden delades 2023-01-01 i Socialnämnden, Omsorgsnämnden "
            "och Äldreomsorgsnämnden. Jämförelsetalen är inte omräknade.",
            ITALIC,
        )
        quirks.add("organisation split")
    sh.header(["Nämnd"], head_spec)
    rows = []
    stars = year == 2026
    for org in orgs:
        vals = [
            _org_value(model, num, org, lambda o, ln: model.outcome[(o, ln)].get(y2)),
            _org_value(model, num, org, lambda o, ln: model.budget[(o, ln)].get(y1)),
            _org_value(model, num, org, lambda o, ln: model.budget[(o, ln)].get(year)),
            _org_value(
                model,
                num,
                org,
                lambda o, ln: (
                    model.plan(o, ln, year, p1) if year in model.budget[(o, ln)] else None
                ),
            ),
            _org_value(
                model,
                num,
                org,
                lambda o, ln: (
                    model.plan(o, ln, year, p2) if year in model.budget[(o, ln)] else None
                ),
            ),
        ]
        marks = {}
        if stars and org == "Socialnämnden":
            marks = {2: "*"}
            quirks.add("note star")
        sh.line([org_name(org, names)], vals, marks)
        rows.append(vals)
    summa = _col_sums(rows, 5)
    sh.total("Summa nämnder", summa)
    common = [num.amount(round(t * 0.012)) for t in _tkr(num, summa)]
    sh.line(["Pensioner och gemensamma poster"], common)
    nettokostnad = [a + b for a, b in zip(summa, common, strict=True)]
    sh.total("Verksamhetens nettokostnad", nettokostnad)
    # Below the line: taxes, grants, financial items, the result. Not nämnd costs; income
    # prints with the opposite sign of costs.
    income_sign = -1 if num.costs_negative else 1
    tkr_net = _tkr(num, nettokostnad)
    skatt = [income_sign * num.amount(round(t * 0.80)) for t in tkr_net]
    bidrag = [income_sign * num.amount(round(t * 0.21)) for t in tkr_net]
    finans = [income_sign * num.amount(round(t * 0.003)) for t in tkr_net]
    cost_sign = 1 if num.costs_negative else -1
    resultat = [
        cost_sign * a + b + c + d
        for a, b, c, d in zip(nettokostnad, skatt, bidrag, finans, strict=True)
    ]
    sh.blank()
    sh.below("Skatteintäkter", skatt)
    sh.below("Generella statsbidrag och utjämning", bidrag)
    sh.below("Finansnetto", finans)
    sh.below("Årets resultat", resultat, bold=True)
    quirks.add("below the line")
    if stars:
        sh.blank()
        sh.text("* Inklusive tillfälligt statsbidrag för förebyggande arbete.", ITALIC)
    sh.widths()

    # Sheet 2: verksamheter of the large nämnder.
    sh2 = Sheet(wb.create_sheet("Verksamheter"), num, label_cols=1 if year < 2024 else 2)
    sh2.titles("Driftbudget per verksamhet", f"Mål och budget {year}", DEMO_MARK)
    sh2.blank()
    sh2.text(v["unit"] or "Belopp i mnkr")
    line_heads = [heads[2], heads[3], heads[4]]
    large = [o for o in orgs if o in m.LARGE_NAMNDER or o == m.SON]
    large = [o for o in large if model.lines_of(o, year)]
    all_rows = []
    if year < 2024:
        sh2.header(["Verksamhet"], line_heads)
        for org in large:
            sh2.group(org_name(org, names))
            group_rows = []
            for line in model.lines_of(org, year):
                vals = _line_vals(model, num, org, line, year)
                sh2.line([line], vals)
                group_rows.append(vals)
            sh2.total(f"Summa {org_name(org, names)}", _col_sums(group_rows, 3), scope="group")
            all_rows += group_rows
        sh2.total("Totalt", _col_sums(all_rows, 3))
        quirks.add("group rows")
    else:
        sh2.header(["Nämnd", "Verksamhet"], line_heads)
        for org in large:
            group_rows = []
            for line in model.lines_of(org, year):
                vals = _line_vals(model, num, org, line, year)
                sh2.line([org_name(org, names), line], vals)
                group_rows.append(vals)
            sh2.total(f"Summa {org_name(org, names)}", _col_sums(group_rows, 3), scope="group")
            all_rows += group_rows
        sh2.total("Totalt", _col_sums(all_rows, 3))
    sh2.widths(label_extra=(40,))

    # Sheet 3: investments, the municipality's projects and the companies'.
    inv_num = NumStyle(num.unit, num.text_sep, num.negative, num.zero, costs_negative=False)
    sh3 = Sheet(wb.create_sheet("Investeringar"), inv_num, label_cols=3)
    sh3.titles("Investeringsbudget", f"Mål och budget {year}", DEMO_MARK)
    sh3.blank()
    sh3.text(v["unit"] or "mnkr")
    sh3.blank()
    sh3.header(["Projekt", "Nämnd", "Kommundel"], [heads[2], heads[3], heads[4]])
    inv_rows = []
    for p in m.PROJECTS:
        vals = [
            inv_num.amount(p.budget.get(y)) if p.budget.get(y) else None for y in (year, p1, p2)
        ]
        if vals[0] is None:
            continue
        vals = [x if x is not None else Decimal(0) for x in vals]
        sh3.line([p.title, org_name(p.organisation, names), p.kommundel], vals)
        inv_rows.append(vals)
    sh3.total("Summa investeringar", _col_sums(inv_rows, 3))
    sh3.blank(2)
    sh3.text("Bolagens investeringar (Telgekoncernen)", Font(bold=True))
    sh3.header(["Bolag", "", ""], [heads[2], heads[3], heads[4]])
    co_rows = []
    for company, base in m.COMPANY_INVESTMENTS_2024.items():
        vals = [inv_num.amount(round(base * m.GROWTH[y] ** 0.5)) for y in (year, p1, p2)]
        sh3.line([company, "", ""], vals)
        co_rows.append(vals)
    sh3.total("Summa bolag", _col_sums(co_rows, 3))
    sh3.widths(first=40, label_extra=(28, 18))

    path = out / v["file"]
    _save(wb, path)
    quirks |= _num_quirks(num) | {f"header {h.split()[0]}" for h in heads}
    if v["two_row"]:
        quirks.add("two-row header")
    quirks.add(f"names {names}")
    return Written(path, "budget", year, sh.tables + sh2.tables + sh3.tables, quirks)


_ORDER = [
    "Kommunfullmäktige",
    "Revisionen",
    "Valnämnden",
    "Överförmyndarnämnden",
    "Kommunstyrelsen",
    "Utbildningsnämnden",
    m.SON,
    *m.SPLIT_NAMNDER,
    "Kultur- och fritidsnämnden",
    "Stadsbyggnadsnämnden",
    "Tekniska nämnden",
    "Miljönämnden",
    "Arbets- och näringslivsnämnden",
    *m.KDN_SHARE,
]


def _tkr(num: NumStyle, printed: list[Decimal | None]) -> list[int]:
    """Printed amounts back in tkr (for derived rows computed in the model's unit)."""
    factor = {"kr": Decimal("0.001"), "tkr": Decimal(1), "mnkr": Decimal(1000)}[num.unit]
    sign = -1 if num.costs_negative else 1
    return [int(sign * (x or 0) * factor) for x in printed]


def _line_vals(model: m.Model, num: NumStyle, org: str, line: str, year: int) -> list:
    return [
        num.amount(model.line_budget(org, line, year)),
        num.amount(model.plan(org, line, year, year + 1)),
        num.amount(model.plan(org, line, year, year + 2)),
    ]


def _num_quirks(num: NumStyle) -> set[str]:
    q = {f"unit {num.unit}"}
    if num.text_sep == NBSP:
        q.add("text nbsp")
    elif num.text_sep == " ":
        q.add("text space")
    else:
        q.add("numeric cells")
    if num.text_sep and num.negative == UMINUS:
        q.add("unicode minus")
    if num.text_sep and num.negative == "()":
        q.add("bracket negative")
    q.add("costs negative" if num.costs_negative else "costs positive")
    q.add({0: "zero 0", "-": "zero -", "–": "zero –", None: "zero empty"}[num.zero])
    return q


# --- Delårsrapporter and bokslut -------------------------------------------------------------

DR = {
    (2022, 1): dict(
        num=NumStyle("tkr"),
        names="old",
        unit="Belopp i tkr",
        heads=["Budget helår", "Utfall jan–apr", "Prognos helår", "Avvikelse"],
        goals="symbols",
        file="Delårsrapport 1 2022.xlsx",
    ),
    (2022, 2): dict(
        num=NumStyle("mnkr"),
        names="casual",
        unit="mnkr",
        heads=["Budget 2022", "Ack. utfall", "Prognos helår", "Avvikelse"],
        goals="words",
        file="delarsrapport-2-2022.xlsx",
    ),
    (2023, 1): dict(
        num=NumStyle("tkr", text_sep=" ", costs_negative=True, zero=None),
        names="canonical",
        unit="Belopp i tkr",
        heads=["Budget helår", "Utfall jan-apr", "Prognos", "Avvikelse mot budget"],
        goals="words",
        file="Delårsrapport 1 2023 Södertälje kommun.xlsx",
    ),
    (2023, 2): dict(
        num=NumStyle("tkr"),
        names="short",
        unit="Belopp i tkr",
        heads=[
            ("Helår 2023", "Budget"),
            ("Helår 2023", "Prognos"),
            ("Perioden", "Utfall jan–aug"),
            ("", "Avvikelse"),
        ],
        goals="words",
        file="delarsrapport-2-2023.xlsx",
    ),
    (2024, 1): dict(
        num=NumStyle("tkr", text_sep=NBSP, zero="-"),
        names="casual",
        unit="Belopp i tkr",
        heads=["Budget helår", "Utfall tom april", "Prognos helår", "Avvikelse"],
        goals=None,
        file="Delårsrapport 1 2024 driftredovisning.csv",
        csv="cp1252",
    ),
    (2024, 2): dict(
        num=NumStyle("mnkr", text_sep=NBSP, negative="()"),
        names="canonical",
        unit="Belopp i mnkr",
        heads=["Budget helår", "Utfall tom aug", "Prognos helår", "Avvikelse"],
        goals="words",
        file="Delårsrapport 2 2024.xlsx",
    ),
    (2025, 1): dict(
        num=NumStyle("mnkr", zero="–"),
        names="casual",
        unit="(Mkr)",
        heads=["Bu 2025", "Utfall jan–apr", "Prognos helår", "Avvikelse"],
        goals="words",
        file="delarsrapport-1-2025.xlsx",
    ),
    (2025, 2): dict(
        num=NumStyle("tkr", text_sep=" ", negative=UMINUS),
        names="canonical",
        unit="Belopp i tkr",
        heads=[
            ("Helår 2025", "Budget"),
            ("Helår 2025", "Prognos"),
            ("Januari–augusti", "Periodiserad budget"),
            ("Januari–augusti", "Utfall"),
            ("", "Avvikelse"),
        ],
        goals="fill",
        file="Delårsrapport 2 2025.xlsx",
    ),
    (2026, 1): dict(
        num=NumStyle("tkr", costs_negative=True, zero="–"),
        names="canonical",
        unit="tkr",
        heads=["Budget 2026", "Utfall jan–apr", "Prognos helår", "Avvikelse"],
        goals="symbols",
        file="Delårsrapport 1 2026.xlsx",
        stars=True,
    ),
    (2026, 2): dict(
        num=NumStyle("mnkr"),
        names="short",
        unit="mnkr",
        heads=["Budget 2026", "Utfall jan–aug", "Prognos 2026", "Avvikelse"],
        goals="fill",
        file="delarsrapport-2-2026.xlsx",
    ),
}

BOKSLUT = {
    2022: dict(
        num=NumStyle("tkr"),
        names="old",
        unit="Belopp i tkr",
        heads=["Budget 2022", "Bokslut 2022", "Avvikelse"],
        goals="uppfyllt",
        file="Årsredovisning 2022 driftredovisning.xlsx",
        investments_csv="Årsredovisning 2022 investeringsredovisning.csv",
    ),
    2023: dict(
        num=NumStyle("mnkr", text_sep=" ", costs_negative=True, zero="-"),
        names="casual",
        unit="mnkr",
        heads=["Bokslut 2022", "Budget 2023", "Bokslut 2023", "Avvikelse"],
        goals="fill",
        file="bokslut-2023.xlsx",
    ),
    2024: dict(
        num=NumStyle("tkr"),
        names="casual",
        unit="Belopp i tkr",
        heads=["Budget helår", "Utfall helår", "Avvikelse mot budget"],
        goals="uppfyllt",
        file="Årsredovisning 2024 bilaga drift och investeringar.xlsx",
    ),
    2025: dict(
        num=NumStyle("mnkr"),
        names="canonical",
        unit="Belopp i mnkr",
        heads=[("2025", "Budget"), ("2025", "Utfall"), ("", "Avvikelse")],
        goals="words",
        file="bokslut-2025.xlsx",
    ),
}


def _follow_up_values(model, num, org, line, year, month, heads) -> list[Decimal | None]:
    """Values for one row of a delårsrapport (month 4/8) or bokslut (month 12)."""
    key = (org, line)
    budget = num.amount(model.budget[key].get(year))
    prev = model.outcome[key].get(year - 1)
    vals = {"budget": budget, "prev": num.amount(prev) if prev is not None else None}
    if month == 12:
        utfall = num.amount(model.outcome[key].get(year))
        vals |= {"utfall": utfall, "avv": _avvikelse(num, budget, utfall)}
    elif year in model.budget[key]:
        prognos = num.amount(model.prognosis(org, line, year, month))
        vals |= {
            "utfall": num.amount(model.period_outcome(org, line, year, month)),
            "prognos": prognos,
            "avv": _avvikelse(num, budget, prognos),
            "pbudget": num.amount(round(model.budget[key][year] * month / 12)),
        }
    return [vals.get(_meaning(h, year)) for h in heads]


def _meaning(head, year: int) -> str:
    text = (head[1] if isinstance(head, tuple) else head).lower()
    if text.startswith("avvikelse") or text.startswith("diff"):
        return "avv"
    if text.startswith("periodiserad"):
        return "pbudget"
    if text.startswith("prognos"):
        return "prognos"
    if text.startswith("bokslut") and str(year - 1) in text:
        return "prev"
    if text.startswith(("utfall", "ack", "bokslut")):
        return "utfall"
    return "budget"


def _opt_sums(rows: list[list[Decimal | None]], width: int) -> list[Decimal | None]:
    """Column sums; a column with no value at all stays empty."""
    out: list[Decimal | None] = []
    for i in range(width):
        vals = [r[i] for r in rows if r[i] is not None]
        out.append(_sum(vals) if vals else None)
    return out


def _org_row(model, num, org, year, month, heads) -> list[Decimal | None]:
    per_line = [
        _follow_up_values(model, num, o, line, year, month, heads)
        for (o, line) in model.budget
        if o == org and (year in model.budget[(o, line)] or year - 1 in model.budget[(o, line)])
    ]
    return _opt_sums(per_line, len(heads))


def write_follow_up(model: m.Model, year: int, month: int, out: Path) -> list[Written]:
    """A delårsrapport (month 4 or 8) or a bokslut (month 12)."""
    v = DR[(year, 1 if month == 4 else 2)] if month != 12 else BOKSLUT[year]
    num: NumStyle = v["num"]
    names = v["names"]
    heads = v["heads"]
    quirks = {"title rows", "blank rows", f"names {names}"} | _num_quirks(num)
    quirks |= {f"header {(h[1] if isinstance(h, tuple) else h).split()[0]}" for h in heads}
    if any(isinstance(h, tuple) for h in heads):
        quirks.add("two-row header")
    kind = "bokslut" if month == 12 else "delarsrapport"
    if month == 12:
        title = f"Årsredovisning {year} – driftredovisning (bokslut)"
        period_text = f"Räkenskapsåret {year}"
    else:
        n = 1 if month == 4 else 2
        title = f"Delårsrapport {n} {year}"
        period_text = f"Perioden januari–{MONTHS[month]} {year}"
    prev_col = any(_meaning(h, year) == "prev" for h in heads)
    present = set(model.orgs_in(year)) | (set(model.orgs_in(year - 1)) if prev_col else set())
    orgs = [o for o in _ORDER if o in present]

    def row_for(org: str) -> list[Decimal | None]:
        return _org_row(model, num, org, year, month, heads)

    if v.get("csv"):
        return _write_csv(out, v, year, title, period_text, orgs, row_for, quirks)

    wb = _new_workbook()
    sh = Sheet(wb.create_sheet("Driftredovisning"), num)
    sh.titles("Södertälje kommun", title, DEMO_MARK)
    sh.text(period_text)
    sh.blank()
    sh.text(v["unit"])
    if month != 12:
        sh.text(
            "Avvikelse = budget helår minus prognos helår; positivt värde = bättre än budget.",
            ITALIC,
        )
    sh.blank()
    sh.header(["Nämnd"], heads)
    rows = []
    for org in orgs:
        vals = row_for(org)
        marks = {}
        if v.get("stars") and org == "Socialnämnden":
            marks = {len(heads) - 1: "*"}
            quirks.add("note star")
        sh.line([org_name(org, names)], vals, marks)
        rows.append(vals)
    sh.total("Summa nämnder", _opt_sums(rows, len(heads)))
    if v.get("stars"):
        sh.blank()
        sh.text("* Avvikelsen förklaras av ökade kostnader för placeringar.", ITALIC)
    sh.widths()

    # Verksamheter of the large nämnder.
    sh2 = Sheet(wb.create_sheet("Verksamheter"), num, label_cols=2)
    sh2.titles(f"{title} – driftredovisning per verksamhet", DEMO_MARK)
    sh2.blank()
    sh2.text(v["unit"])
    sh2.header(["Nämnd", "Verksamhet"], heads)
    all_rows = []
    for org in [o for o in orgs if o in m.LARGE_NAMNDER or o == m.SON]:
        lines = model.lines_of(org, year) or (model.lines_of(org, year - 1) if prev_col else [])
        if not lines:
            continue
        group = []
        for line in lines:
            vals = _follow_up_values(model, num, org, line, year, month, heads)
            sh2.line([org_name(org, names), line], vals)
            group.append(vals)
        sh2.total(f"Summa {org_name(org, names)}", _opt_sums(group, len(heads)), scope="group")
        all_rows += group
    sh2.total("Totalt", _opt_sums(all_rows, len(heads)))
    sh2.widths(label_extra=(44,))

    tables = sh.tables + sh2.tables
    if month in (8, 12) and not v.get("investments_csv"):
        tables += _investments_sheet(wb, num, names, year, month, title)
        quirks.add("investments")
    path = out / v["file"]
    goals = 0
    if v.get("goals"):
        goals = _goals_sheet(wb, v["goals"], year, month, title, names)
        quirks.add(f"goals {v['goals']}")
    _save(wb, path)
    written = [Written(path, kind, year, tables, quirks, goals)]
    if v.get("investments_csv"):
        written.append(_investments_csv(out / v["investments_csv"], year))
    return written


def _investments_sheet(wb, num: NumStyle, names: str, year: int, month: int, title: str):
    inv = NumStyle(num.unit, num.text_sep, num.negative, num.zero, costs_negative=False)
    sh = Sheet(wb.create_sheet("Investeringar"), inv, label_cols=3)
    sh.titles(f"{title} – investeringar per projekt", DEMO_MARK)
    sh.blank()
    sh.text("Belopp i tkr" if inv.unit == "tkr" else "Belopp i mnkr")
    sh.blank()
    if month == 12:
        heads = ["Budget", "Utfall", "Avvikelse"]
    else:
        heads = ["Budget helår", f"Utfall jan–{MONTHS[month][:3]}", "Prognos helår", "Avvikelse"]
    sh.header(["Projekt", "Nämnd", "Kommundel"], heads)
    rows = []
    for p in m.PROJECTS:
        if year not in p.budget:
            continue
        budget = inv.amount(p.budget[year])
        final = m.project_outcome(p, year)
        if month == 12:
            utfall = inv.amount(final)
            vals = [budget, utfall, budget - utfall]
        else:
            utfall = inv.amount(round(final * (0.28 if month == 4 else 0.55)))
            prognos = inv.amount(round(final * (1.0 if month == 8 else 1.05), -2))
            vals = [budget, utfall, prognos, budget - prognos]
        sh.line([p.title, org_name(p.organisation, names), p.kommundel], vals)
        rows.append(vals)
    sh.total("Summa investeringar", _col_sums(rows, len(heads)))
    sh.widths(first=40, label_extra=(28, 18))
    return sh.tables


ASSESS_WORDS = {"grön": "Grön", "gul": "Gul", "röd": "Röd", "ej bedömd": "Ej bedömd"}
ASSESS_UPPFYLLT = {
    "grön": "Uppfyllt",
    "gul": "Delvis uppfyllt",
    "röd": "Ej uppfyllt",
    "ej bedömd": "Ej bedömt",
}
ASSESS_SYMBOL = {"grön": "●", "gul": "▲", "röd": "■", "ej bedömd": "–"}
SYMBOL_COLOUR = {"grön": "00B050", "gul": "FFC000", "röd": "FF0000", "ej bedömd": "808080"}
FILL = {"grön": "00B050", "gul": "FFFF00", "röd": "FF0000", "ej bedömd": "D9D9D9"}


def _goals_sheet(wb, style: str, year: int, month: int, title: str, names: str) -> int:
    stage = {4: "dr1", 8: "dr2", 12: "bokslut"}[month]
    goals = m.goals_for(year, stage)
    ws = wb.create_sheet("Måluppfyllelse")
    ws.cell(1, 1, "Södertälje kommun").font = Font(bold=True, size=14)
    ws.cell(2, 1, f"{title} – uppföljning av mål").font = Font(bold=True)
    ws.cell(3, 1, DEMO_MARK).font = Font(bold=True)
    r = 5
    if style == "symbols":
        ws.cell(
            r,
            1,
            "Teckenförklaring: ● = uppfyllt, ▲ = delvis uppfyllt, ■ = ej uppfyllt, – = ej bedömt",
        )
        r += 2
    elif style == "fill":
        ws.cell(
            r,
            1,
            "Färgen i kolumnen Bedömning visar måluppfyllelsen (grön, gul, röd; grå = ej bedömt).",
        )
        r += 2
    else:
        r += 1
    heads = ["Nämnd", "Mål", "Bedömning", "Analys"]
    for c, h in enumerate(heads, start=1):
        ws.cell(r, c, h).font = Font(bold=True)
    r += 1
    for g in goals:
        ws.cell(r, 1, org_name(g.organisation, names))
        ws.cell(r, 2, g.goal)
        cell = ws.cell(r, 3)
        if style == "words":
            cell.value = ASSESS_WORDS[g.assessment]
        elif style == "uppfyllt":
            cell.value = ASSESS_UPPFYLLT[g.assessment]
        elif style == "symbols":
            cell.value = ASSESS_SYMBOL[g.assessment]
            cell.font = Font(color=SYMBOL_COLOUR[g.assessment], bold=True)
        else:
            cell.fill = PatternFill("solid", fgColor=FILL[g.assessment])
        ws.cell(r, 4, g.analysis)
        r += 1
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 50
    ws.column_dimensions["C"].width = 14
    ws.column_dimensions["D"].width = 100
    return len(goals)


def _csv_number(value: Decimal | None, decimals: int, zero: str) -> str:
    if value is None:
        return ""
    if value == 0:
        return zero
    text = f"{value:.{decimals}f}".replace(".", ",")
    return text


def _write_csv(out, v, year, title, period_text, orgs, row_for, quirks) -> list[Written]:
    """Swedish Excel's "CSV (semikolonavgränsad)": ';', decimal comma, Windows-1252."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    width = 1 + len(v["heads"])
    pad = [""] * (width - 1)
    w.writerow(["Södertälje kommun", *pad])
    w.writerow([title, *pad])
    w.writerow([DEMO_MARK, *pad])
    w.writerow([period_text, *pad])
    w.writerow([""] * width)
    w.writerow([v["unit"], *pad])
    w.writerow(["Nämnd", *v["heads"]])
    table = WrittenTable("csv", 7)
    rows = []
    for org in orgs:
        vals = row_for(org)
        w.writerow([org_name(org, v["names"]), *(_csv_number(x, 0, "-") for x in vals)])
        table.lines.append((org, vals))
        rows.append(vals)
    summa = _col_sums(rows, len(v["heads"]))
    w.writerow(["Summa nämnder", *(_csv_number(x, 0, "-") for x in summa)])
    table.totals.append(("Summa nämnder", summa, 0, len(rows)))
    out_path = out / v["file"]
    write_atomic(out_path, buf.getvalue().encode(v["csv"]))
    quirks = (quirks - {"text nbsp", "text space", "numeric cells"}) | {
        "csv cp1252",
        "decimal comma",
    }
    return [Written(out_path, "delarsrapport", year, [table], quirks)]


def _investments_csv(path: Path, year: int) -> Written:
    """The investment report as an open-data CSV: ';', decimal comma, UTF-8 with BOM, mnkr."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([f"Årsredovisning {year} – investeringsredovisning", "", "", "", "", ""])
    w.writerow([DEMO_MARK, "", "", "", "", ""])
    w.writerow(["Belopp i mnkr", "", "", "", "", ""])
    w.writerow(["Projekt", "Nämnd", "Kommundel", f"Budget {year}", f"Utfall {year}", "Avvikelse"])
    table = WrittenTable("csv", 4)
    rows = []
    mn = NumStyle("mnkr")
    for p in m.PROJECTS:
        if year not in p.budget:
            continue
        b = mn.amount(p.budget[year])
        u = mn.amount(m.project_outcome(p, year))
        vals = [b, u, b - u]
        w.writerow([p.title, p.organisation, p.kommundel, *(_csv_number(x, 1, "0") for x in vals)])
        table.lines.append((p.title, vals))
        rows.append(vals)
    summa = _col_sums(rows, 3)
    w.writerow(["Summa investeringar", "", "", *(_csv_number(x, 1, "0") for x in summa)])
    table.totals.append(("Summa investeringar", summa, 0, len(rows)))
    write_atomic(path, buf.getvalue().encode("utf-8-sig"))
    return Written(
        path, "bokslut", year, [table], {"csv utf-8 bom", "decimal comma", "investments"}
    )


# --- The party's budget proposal -----------------------------------------------------------

FORSLAG = {
    2024: dict(
        num=NumStyle("mnkr"),
        names="canonical",
        unit="Belopp i mnkr",
        heads=["Majoritetens ram 2024", "V:s ram 2024", "Differens"],
        file="V budgetförslag 2024.xlsx",
    ),
    2025: dict(
        num=NumStyle("tkr", text_sep=NBSP, zero="–"),
        names="casual",
        unit="(tkr)",
        heads=["Majoritetens förslag", "Vänsterpartiets förslag", "Diff."],
        file="vansterpartiet-budgetforslag-2025.xlsx",
    ),
    2026: dict(
        num=NumStyle("mnkr", zero=None),
        names="short",
        unit="Mkr",
        heads=[("Budget 2026", "Majoriteten"), ("Budget 2026", "V"), ("", "Differens")],
        file="V-budget 2026 ramar och satsningar.xlsx",
    ),
}


def write_forslag(model: m.Model, year: int, out: Path) -> Written:
    v = FORSLAG[year]
    num: NumStyle = v["num"]
    names = v["names"]
    quirks = {"title rows", f"names {names}"} | _num_quirks(num)
    if any(isinstance(h, tuple) for h in v["heads"]):
        quirks.add("two-row header")
    wb = _new_workbook()
    sh = Sheet(wb.create_sheet("Ramar"), num)
    sh.titles(f"Vänsterpartiet Södertälje – budgetförslag {year}", DEMO_MARK)
    sh.text("Vänsterpartiets ramar jämförda med majoritetens förslag till Mål och budget.")
    sh.blank()
    sh.text(v["unit"])
    sh.header(["Nämnd"], v["heads"])
    rows = []
    for org in [o for o in _ORDER if o in model.orgs_in(year)]:
        majority = _org_value(model, num, org, lambda o, ln: model.budget[(o, ln)].get(year))
        extra = sum(s.tkr.get(year, 0) for s in m.SATSNINGAR if s.organisation == org)
        ours = majority + (num.amount(extra) if extra else Decimal(0))
        sh.line([org_name(org, names)], [majority, ours, ours - majority])
        rows.append([majority, ours, ours - majority])
    sh.total("Summa", _col_sums(rows, 3))
    sh.blank()
    sh.text(
        "Satsningarna finansieras med en höjning av skattesatsen med 20 öre och minskade "
        "konsultkostnader.",
        ITALIC,
    )
    sh.widths()

    sat_num = NumStyle(num.unit, num.text_sep, num.negative, num.zero, costs_negative=False)
    sh2 = Sheet(wb.create_sheet("Satsningar"), sat_num, label_cols=2)
    sh2.titles(f"Vänsterpartiets satsningar {year}–{year + 2}", DEMO_MARK)
    sh2.blank()
    sh2.text(v["unit"])
    sh2.header(["Nämnd", "Satsning"], [f"Budget {year}", f"Plan {year + 1}", f"Plan {year + 2}"])
    all_rows = []
    by_org: dict[str, list[m.Satsning]] = {}
    for s in m.SATSNINGAR:
        by_org.setdefault(s.organisation, []).append(s)
    for org, items in by_org.items():
        group = []
        for s in items:
            vals = [sat_num.amount(s.tkr[y]) for y in (year, year + 1, year + 2)]
            marks = {0: "*"} if year == 2025 and s.title == "Fler fältassistenter" else {}
            if marks:
                quirks.add("note star")
            sh2.line([org_name(org, names), s.title], vals, marks)
            group.append(vals)
        if year == 2025:
            sh2.total(f"Summa {org_name(org, names)}", _col_sums(group, 3), scope="group")
        all_rows += group
    sh2.total("Summa satsningar", _col_sums(all_rows, 3))
    if year == 2025:
        sh2.blank()
        sh2.text("* Delvis finansierat med statsbidrag för förebyggande arbete.", ITALIC)
    sh2.widths(label_extra=(44,))
    path = out / v["file"]
    _save(wb, path)
    return Written(path, "forslag", year, sh.tables + sh2.tables, quirks)


# --- everything ------------------------------------------------------------------------------


def write_all(out: Path, model: m.Model | None = None) -> list[Written]:
    """Every demo document for 2022–2026, written into `out` (created if missing)."""
    out.mkdir(parents=True, exist_ok=True)
    model = model or m.build_model()
    written: list[Written] = []
    for year in m.YEARS:
        written.append(write_mal_och_budget(model, year, out))
        if year in m.PROPOSAL_YEARS:
            written.append(write_forslag(model, year, out))
        for month in (4, 8):
            written += write_follow_up(model, year, month, out)
        if year in m.CLOSED_YEARS:
            written += write_follow_up(model, year, 12, out)
    return written
