"""The invented figures behind the demo documents: one model, many published views of it.

Every amount is a whole number of tkr. The 2024 level of each nämnd is derived from SCB's
Räkenskapssammandraget 2024 for Södertälje (data/reference/), spread over the organisations
as described in data/reference/README.md; other years scale that level by a nominal growth
factor. Deviations come from one seeded random generator, so the model (and every document
written from it) is the same on every run.

The model also carries the stories the dashboard must be able to tell:
- fältassistenter, sociala kontrakt and heltid som norm get money and it arrives;
- the kommunala HVB-hem get money that is not spent;
- avgiftsfri kulturskola, tvålärarsystem and the fritidsbank get nothing;
- the goal "Barn och unga har en meningsfull fritid" stays green every year while the
  fritidsgårdar line stays flat in kronor of the day, i.e. shrinks in fixed prices.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.config import DATA

SEED = 20260
YEARS = (2022, 2023, 2024, 2025, 2026)
CLOSED_YEARS = (2022, 2023, 2024, 2025)  # bokslut exists; 2026 is still running
PROPOSAL_YEARS = (2024, 2025, 2026)
REFERENCE_FILE = DATA / "reference" / "scb-rs-2024-sodertalje-nettokostnad.csv"

# Nominal level of each year against 2024 (kronor of the day).
GROWTH = {2020: 0.82, 2021: 0.85, 2022: 0.89, 2023: 0.945, 2024: 1.0, 2025: 1.036, 2026: 1.071}
GROWTH.update({2027: 1.10, 2028: 1.13, 2029: 1.16, 2030: 1.19})

# Share of förskola, fritidshem, förskoleklass, grundskola and äldreomsorg run by each
# kommundelsnämnd within its kommundel (roughly its share of the population, demo values).
KDN_SHARE = {
    "Kommundelsnämnden Järna": 0.122,
    "Kommundelsnämnden Enhörna": 0.052,
    "Kommundelsnämnden Hölö-Mörkö": 0.045,
    "Kommundelsnämnden Vårdinge-Mölnbo": 0.043,
}
KDN_TOTAL = sum(KDN_SHARE.values())

# Valnämnden costs about three times as much in an election year.
ELECTION_FACTOR = {2022: 3, 2026: 3, 2030: 3}

SON = "Social- och omsorgsnämnden"
SPLIT_NAMNDER = ("Socialnämnden", "Omsorgsnämnden", "Äldreomsorgsnämnden")
LARGE_NAMNDER = ("Utbildningsnämnden", *SPLIT_NAMNDER, "Kultur- och fritidsnämnden")


def read_reference(path: Path = REFERENCE_FILE) -> dict[str, int]:
    """SCB net cost 2024 per verksamhetskod, tkr."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["verksamhetskod"]: int(row["nettokostnad_tkr"]) for row in csv.DictReader(fh)}


def _scb_lines_2024(scb: dict[str, int]) -> dict[tuple[str, str], int]:
    """(organisation, verksamhet) → 2024 net cost in tkr, derived from the SCB reference.

    Each verksamhet line is an SCB standard verksamhet (or a fixed share of one); the
    organisation columns follow the split documented in data/reference/README.md.
    """
    town = 1 - KDN_TOTAL
    s = scb
    lines: dict[tuple[str, str], int] = {}

    def put(org: str, line: str, tkr: float) -> None:
        lines[(org, line)] = lines.get((org, line), 0) + round(tkr)

    un = "Utbildningsnämnden"
    put(un, "Förskola", (s["407"] + s["412"]) * town)
    put(un, "Fritidshem", s["425"] * town)
    put(un, "Förskoleklass", s["435"] * town)
    put(un, "Grundskola", s["440"] * town)
    put(un, "Anpassad grundskola", s["443"])
    put(un, "Gymnasieskola", s["450"])
    put(un, "Anpassad gymnasieskola", s["453"])
    put(un, "Nämnd och förvaltning", 42_000)

    sn = "Socialnämnden"
    put(sn, "Barn och unga", s["569"])
    put(sn, "Vuxna med missbruksproblem", s["559"])
    put(sn, "Övriga insatser till vuxna", s["571"])
    put(sn, "Ekonomiskt bistånd", s["575"])
    put(sn, "Familjerätt och familjerådgivning", s["585"])
    put(sn, "Nämnd och förvaltning", 31_000)

    on = "Omsorgsnämnden"
    put(on, "Insatser enligt LSS", s["513"])
    put(on, "Socialpsykiatri och stöd till personer med funktionsnedsättning", s["520"])
    put(on, "Färdtjänst", s["530"])
    put(on, "Nämnd och förvaltning", 24_000)

    an = "Äldreomsorgsnämnden"
    put(an, "Hemtjänst", s["510"] * town * 0.41)
    put(an, "Särskilt boende", s["510"] * town * 0.52)
    put(an, "Dagverksamhet och förebyggande", s["510"] * town * 0.07)
    put(an, "Nämnd och förvaltning", 21_000)

    kfn = "Kultur- och fritidsnämnden"
    kf_total = s["390"] * 0.86
    put(kfn, "Bibliotek", kf_total * 0.17)
    put(kfn, "Kulturskola", kf_total * 0.09)
    put(kfn, "Fritidsgårdar", 37_600)
    put(kfn, "Idrott och anläggningar", kf_total * 0.38)
    put(kfn, "Föreningsbidrag", kf_total * 0.11)
    put(kfn, "Allmän kulturverksamhet", kf_total * 0.10)
    put(kfn, "Nämnd och förvaltning", kf_total * 0.15 - 37_600)  # the rest of 86 %
    return lines


def _single_level_2024(scb: dict[str, int]) -> dict[str, int]:
    """Nämnder, and the kommundelsnämnder, published with one amount each (2024, tkr)."""
    s = scb
    infra = s["290"]
    politics = s["190"]
    schools_local = s["407"] + s["412"] + s["425"] + s["435"] + s["440"]
    out = {
        "Kommunfullmäktige": 14_200,
        "Revisionen": 6_100,
        "Valnämnden": 3_400,
        "Överförmyndarnämnden": 17_800,
        "Kommunstyrelsen": round(politics - 41_500 + infra * 0.20),
        "Stadsbyggnadsnämnden": round(infra * 0.18),
        "Tekniska nämnden": round(infra * 0.47),
        "Miljönämnden": round(infra * 0.05),
        "Arbets- och näringslivsnämnden": round(
            infra * 0.10 + sum(s[k] for k in ("470", "472", "474", "475", "476", "478"))
        ),
    }
    for kdn, share in KDN_SHARE.items():
        out[kdn] = round(
            schools_local * share + s["510"] * share + s["390"] * 0.14 * share / KDN_TOTAL
        )
    return out


# --- satsningar and their fate ------------------------------------------------------------

# Lines the majority's budget carries for program-related satsningar (tkr per year).
ADOPTED_LINES: dict[tuple[str, str], dict[int, int]] = {
    ("Socialnämnden", "Fältassistenter"): {2025: 4_000, 2026: 4_200},
    ("Socialnämnden", "Sociala kontrakt, Bostad först"): {2024: 2_000, 2025: 2_050, 2026: 2_100},
    ("Socialnämnden", "Kommunalt HVB-hem, etablering"): {2025: 10_000, 2026: 10_000},
    ("Äldreomsorgsnämnden", "Heltid som norm"): {2024: 5_000, 2025: 5_100, 2026: 5_200},
}
# Share of the budget actually spent (bokslut) on those lines; HVB money stays unspent.
SPENT_SHARE: dict[str, float] = {
    "Fältassistenter": 0.985,
    "Sociala kontrakt, Bostad först": 0.982,
    "Kommunalt HVB-hem, etablering": 0.115,
    "Heltid som norm": 1.012,
}
# Fritidsgårdar: flat in kronor of the day, so it shrinks in fixed prices (the green goal).
FRITIDSGARDAR = {2020: 37_900, 2021: 38_000, 2022: 38_000, 2023: 38_000, 2024: 37_600}
FRITIDSGARDAR.update({2025: 38_200, 2026: 38_400, 2027: 38_400, 2028: 38_400})
# Kulturskola: no money for avgiftsfrihet; the line follows ordinary growth only.


@dataclass(frozen=True)
class Satsning:
    """A named satsning in V's budget proposal, with the program proposal it answers to."""

    organisation: str
    title: str
    tkr: dict[int, int]  # budget year → amount
    program_hint: str


SATSNINGAR: tuple[Satsning, ...] = (
    Satsning(
        "Kultur- och fritidsnämnden",
        "Avgiftsfri kulturskola",
        {2024: 6_000, 2025: 6_200, 2026: 6_400, 2027: 6_600, 2028: 6_800},
        "avgiftsfri kulturskola",
    ),
    Satsning(
        "Kultur- och fritidsnämnden",
        "Fritidsbank",
        {2024: 800, 2025: 800, 2026: 850, 2027: 850, 2028: 900},
        "införa en fritidsbank",
    ),
    Satsning(
        "Kultur- och fritidsnämnden",
        "Fritidsgårdar öppna alla dagar",
        {2024: 5_000, 2025: 5_000, 2026: 5_200, 2027: 5_200, 2028: 5_400},
        "trygga fritidsgårdar med generösa öppettider alla dagar i veckan",
    ),
    Satsning(
        "Socialnämnden",
        "Fler fältassistenter",
        {2024: 4_000, 2025: 5_000, 2026: 5_000, 2027: 5_000, 2028: 5_000},
        "förebyggande sociala insatser, till exempel fältassistenter",
    ),
    Satsning(
        "Socialnämnden",
        "Fler sociala kontrakt – Bostad först",
        {2024: 3_000, 2025: 3_000, 2026: 3_500, 2027: 3_500, 2028: 3_500},
        "öka andelen sociala kontrakt och principen Bostad först",
    ),
    Satsning(
        "Socialnämnden",
        "Kommunala HVB-hem",
        {2024: 12_000, 2025: 15_000, 2026: 15_000, 2027: 15_000, 2028: 15_000},
        "etablera kommunala HVB-hem",
    ),
    Satsning(
        "Socialnämnden",
        "Stärkt stöd till kvinnojourerna",
        {2024: 2_000, 2025: 2_000, 2026: 2_500, 2027: 2_500, 2028: 2_500},
        "stärka stödet till kvinnojourerna",
    ),
    Satsning(
        "Utbildningsnämnden",
        "Tvålärarsystem i lågstadiet",
        {2024: 15_000, 2025: 20_000, 2026: 25_000, 2027: 25_000, 2028: 25_000},
        "stärka tvålärarsystemet",
    ),
    Satsning(
        "Utbildningsnämnden",
        "Fler skolbibliotekarier",
        {2024: 4_000, 2025: 4_000, 2026: 4_500, 2027: 4_500, 2028: 4_500},
        "utveckla skolbiblioteken",
    ),
    Satsning(
        "Äldreomsorgsnämnden",
        "Heltid som norm i äldreomsorgen",
        {2024: 10_000, 2025: 10_000, 2026: 10_000, 2027: 10_000, 2028: 10_000},
        "heltidsanställningar som norm",
    ),
    Satsning(
        "Äldreomsorgsnämnden",
        "Avskaffad minutstyrning i hemtjänsten",
        {2024: 8_000, 2025: 8_000, 2026: 8_500, 2027: 8_500, 2028: 8_500},
        "avskaffa minutstyrning",
    ),
    Satsning(
        "Kommundelsnämnden Järna",
        "Mötesplats för unga i Järna",
        {2024: 1_500, 2025: 1_500, 2026: 1_600, 2027: 1_600, 2028: 1_600},
        "fler mötesplatser i bostadsområdena och kommundelarna",
    ),
    Satsning(
        "Kommunstyrelsen",
        "Minskade konsultkostnader",
        {2024: -9_000, 2025: -9_000, 2026: -9_500, 2027: -9_500, 2028: -9_500},
        "finansiering",
    ),
)


@dataclass
class Project:
    """An investment project: who runs it, where, budget and spending per year (tkr)."""

    title: str
    organisation: str
    kommundel: str
    budget: dict[int, int]
    spent_share: dict[int, float]


PROJECTS: tuple[Project, ...] = (
    Project(
        "Ny F–6-skola i Järna",
        "Utbildningsnämnden",
        "Järna",
        {2023: 40_000, 2024: 120_000, 2025: 95_000, 2026: 30_000, 2027: 5_000},
        {2023: 0.62, 2024: 0.71, 2025: 1.18, 2026: 0.95},
    ),
    Project(
        "Upprustning av Hovsjöparken",
        "Tekniska nämnden",
        "Hovsjö",
        {2024: 8_000, 2025: 12_000, 2026: 2_500},
        {2024: 0.26, 2025: 0.94, 2026: 0.9},
    ),
    Project(
        "Spontanidrottsplats i Ronna",
        "Kultur- och fritidsnämnden",
        "Ronna",
        {2025: 3_500},
        {2025: 0.97},
    ),
    Project(
        "Tillbyggnad förskola Enhörna",
        "Kommundelsnämnden Enhörna",
        "Enhörna",
        {2022: 6_000, 2023: 14_000},
        {2022: 0.8, 2023: 1.05},
    ),
    Project(
        "Gång- och cykelväg Mölnbo–Vårdinge",
        "Tekniska nämnden",
        "Vårdinge-Mölnbo",
        {2023: 9_000, 2024: 11_000, 2025: 4_000},
        {2023: 0.4, 2024: 0.88, 2025: 1.1},
    ),
    Project(
        "Ombyggnad Hölö bibliotek",
        "Kultur- och fritidsnämnden",
        "Hölö-Mörkö",
        {2026: 4_200, 2027: 1_000},
        {2026: 0.6},
    ),
    Project(
        "Trygghetsbelysning Geneta",
        "Tekniska nämnden",
        "Geneta",
        {2022: 2_500, 2023: 2_500},
        {2022: 0.96, 2023: 1.0},
    ),
    Project(
        "Reinvestering gator och vägar",
        "Tekniska nämnden",
        "Hela kommunen",
        {y: 55_000 + 2_500 * (y - 2022) for y in range(2022, 2029)},
        {2022: 0.97, 2023: 0.99, 2024: 1.02, 2025: 0.96, 2026: 0.98},
    ),
    Project(
        "IT-utrustning i skolor",
        "Utbildningsnämnden",
        "Hela kommunen",
        {y: 18_000 for y in range(2022, 2029)},
        {2022: 1.0, 2023: 0.93, 2024: 0.99, 2025: 1.01, 2026: 0.97},
    ),
    Project(
        "Nytt särskilt boende i Östertälje",
        "Äldreomsorgsnämnden",
        "Östertälje",
        {2024: 25_000, 2025: 80_000, 2026: 110_000, 2027: 60_000},
        {2024: 0.4, 2025: 0.77, 2026: 0.85},
    ),
    Project(
        "Lokaler för kommunalt HVB-hem",
        "Socialnämnden",
        "Södertälje tätort",
        {2025: 7_500, 2026: 7_500},
        {2025: 0.05, 2026: 0.08},
    ),
)

# The Telge companies' investment budgets (tkr, 2024 level), shown in Mål och budget.
COMPANY_INVESTMENTS_2024 = {
    "Telge AB": 12_000,
    "Telge Bostäder AB": 640_000,
    "Telge Fastigheter AB": 455_000,
    "Telge Nät AB": 160_000,
    "Telge Återvinning AB": 48_000,
    "Södertälje Hamn AB": 95_000,
    "Telge Inköp AB": 1_500,
}


@dataclass(frozen=True)
class Goal:
    organisation: str
    goal: str
    assessment: str  # grön, gul, röd, ej bedömd
    analysis: str


@dataclass
class Model:
    """Budget, plans and outcomes per (organisation, line) and year, tkr."""

    # (org, line) -> year -> budget; line == org for single-level nämnder
    budget: dict[tuple[str, str], dict[int, int]] = field(default_factory=dict)
    outcome: dict[tuple[str, str], dict[int, int]] = field(default_factory=dict)
    # (org, line) -> year -> share of the year's outcome spent by end of April / August
    pace: dict[tuple[str, str], dict[int, tuple[float, float]]] = field(default_factory=dict)
    # prognosis error at April / August as a share of the final outcome
    forecast_error: dict[tuple[str, str], dict[int, tuple[float, float]]] = field(
        default_factory=dict
    )
    line_orgs: tuple[str, ...] = ()
    single_orgs: tuple[str, ...] = ()

    # -- views ------------------------------------------------------------------------------
    def orgs_in(self, year: int) -> list[str]:
        """Organisations with a budget in `year`, in publication order."""
        order = [
            "Kommunfullmäktige",
            "Revisionen",
            "Valnämnden",
            "Överförmyndarnämnden",
            "Kommunstyrelsen",
            "Utbildningsnämnden",
            SON,
            *SPLIT_NAMNDER,
            "Kultur- och fritidsnämnden",
            "Stadsbyggnadsnämnden",
            "Tekniska nämnden",
            "Miljönämnden",
            "Arbets- och näringslivsnämnden",
            *KDN_SHARE,
        ]
        return [
            o for o in order if any(year in v for (org, _), v in self.budget.items() if org == o)
        ]

    def lines_of(self, org: str, year: int) -> list[str]:
        return [
            line for (o, line), v in self.budget.items() if o == org and line != org and year in v
        ]

    def org_budget(self, org: str, year: int) -> int | None:
        vals = [v[year] for (o, _), v in self.budget.items() if o == org and year in v]
        return sum(vals) if vals else None

    def org_outcome(self, org: str, year: int) -> int | None:
        vals = [v[year] for (o, _), v in self.outcome.items() if o == org and year in v]
        return sum(vals) if vals else None

    def line_budget(self, org: str, line: str, year: int) -> int:
        return self.budget[(org, line)].get(year, 0)

    def line_outcome(self, org: str, line: str, year: int) -> int:
        return self.outcome[(org, line)].get(year, 0)

    def period_outcome(self, org: str, line: str, year: int, month: int) -> int:
        """Utfall January to `month` (4 or 8)."""
        share = self.pace[(org, line)][year][0 if month == 4 else 1]
        return round(self.outcome[(org, line)][year] * share)

    def prognosis(self, org: str, line: str, year: int, month: int) -> int:
        err = self.forecast_error[(org, line)][year][0 if month == 4 else 1]
        return round(self.outcome[(org, line)][year] * (1 + err) / 100) * 100

    def plan(self, org: str, line: str, year: int, plan_year: int) -> int:
        """The plan for `plan_year` as published in the budget for `year`."""
        base = self.line_budget(org, line, year)
        if (org, line) in ADOPTED_LINES or line == "Fritidsgårdar":
            return base
        if org == "Valnämnden":  # the plan follows the election calendar
            base = base / ELECTION_FACTOR.get(year, 1) * ELECTION_FACTOR.get(plan_year, 1)
        return round(base * (1 + 0.021 * (plan_year - year)))


def _org_for(org: str, year: int) -> str:
    """Before 2023 the three split nämnder were one: Social- och omsorgsnämnden."""
    return SON if org in SPLIT_NAMNDER and year < 2023 else org


def build_model(reference: Path = REFERENCE_FILE) -> Model:
    """The whole demo model, deterministic for a given reference file."""
    rng = random.Random(SEED)
    scb = read_reference(reference)
    model = Model()
    lines_2024 = _scb_lines_2024(scb)
    singles_2024 = _single_level_2024(scb)
    years = range(2020, 2027)

    # Nämnd-specific drift around the common growth path (e.g. äldreomsorg grows faster).
    drift = {
        "Äldreomsorgsnämnden": 0.012,
        "Omsorgsnämnden": 0.008,
        "Socialnämnden": 0.004,
        "Kultur- och fritidsnämnden": -0.01,
        "Utbildningsnämnden": -0.002,
    }

    def level(org: str, year: int) -> float:
        return GROWTH[year] * (1 + drift.get(org, 0.0)) ** (year - 2024)

    for (org, line), amount in lines_2024.items():
        for year in years:
            key = (_org_for(org, year), line)
            if line == "Fritidsgårdar":
                value = FRITIDSGARDAR[year]
            else:
                value = round(amount * level(org, year) * (1 + rng.uniform(-0.01, 0.01)))
            model.budget.setdefault(key, {})
            model.budget[key][year] = model.budget[key].get(year, 0) + value
    for (org, line), per_year in ADOPTED_LINES.items():
        for year, value in per_year.items():
            model.budget.setdefault((org, line), {})[year] = value
    for org, amount in singles_2024.items():
        for year in years:
            value = round(amount * level(org, year) * (1 + rng.uniform(-0.015, 0.015)))
            if org == "Valnämnden":
                value *= ELECTION_FACTOR.get(year, 1)
            model.budget.setdefault((org, org), {})[year] = value

    # Outcomes for every year (2026's is the "true" end of year behind the prognoses).
    for key, per_year in model.budget.items():
        org, line = key
        for year, budget in per_year.items():
            if line in SPENT_SHARE:
                share = SPENT_SHARE[line] + rng.uniform(-0.01, 0.01)
            elif line == "Ekonomiskt bistånd":
                share = 1.03 + rng.uniform(0, 0.05)  # overspent every year
            elif org == "Äldreomsorgsnämnden" or line in ("Hemtjänst", "Barn och unga"):
                share = 1.01 + rng.uniform(0, 0.03)
            else:
                share = 1 + rng.uniform(-0.035, 0.015)
            model.outcome.setdefault(key, {})[year] = round(budget * share)
            slow = 0.25 if line == "Kommunalt HVB-hem, etablering" else 0.0
            model.pace.setdefault(key, {})[year] = (
                0.318 - slow + rng.uniform(-0.012, 0.012),
                0.652 - slow + rng.uniform(-0.015, 0.015),
            )
            hvb = line == "Kommunalt HVB-hem, etablering"
            model.forecast_error.setdefault(key, {})[year] = (
                (1.4 if hvb else rng.uniform(-0.02, 0.02)),
                (0.6 if hvb else rng.uniform(-0.008, 0.008)),
            )
    model.line_orgs = tuple(sorted({o for (o, line) in model.budget if line != o}))
    model.single_orgs = tuple(sorted({o for (o, line) in model.budget if line == o}))
    return model


def project_outcome(project: Project, year: int) -> int:
    return round(project.budget.get(year, 0) * project.spent_share.get(year, 0.0))


# --- goals -------------------------------------------------------------------------------

INTERNAL = {
    "förtroende": (
        "Kontaktcenter har tilldelats pris för gott bemötande. Arbete pågår med att utveckla "
        "arbetssätt och strukturer för en mer samordnad service."
    ),
    "inflytande": (
        "Under året läggs fokus på att främja valdeltagandet inför valet 2026. En "
        "samordningsgrupp har bildats och förvaltningen har genomgått utbildning i "
        "medborgardialog."
    ),
    "trygghet": (
        "Omfattande arbete pågår med en rad aktiviteter och insatser som är igång enligt plan. "
        "Flertalet aktiviteter handlar om att sätta organisation, arbetssätt och strukturer för "
        "att kunna vidta rätt åtgärder där det behövs som mest."
    ),
    "livsvillkor": (
        "Fokus läggs på insatser inom områdena ledning och samordning samt kompetenshöjning "
        "och stöttning. Förvaltningen har utbildats i barnkonsekvensanalyser."
    ),
    "fritid": (
        "Nya arbetssätt och strukturer för fritidsgårdarnas verksamhet har tagits fram. "
        "Samordningen med socialtjänsten och skolan har förbättrats och personalen har "
        "genomgått kompetenshöjning."
    ),
    "kultur": (
        "En ny kulturstrategi har antagits och biblioteken har utvecklat formerna för "
        "samverkan. Utbildning av förvaltningen i tillgänglighet pågår."
    ),
    "äldre": (
        "Ett nytt ledningssystem för kvalitet har införts och arbetssätt för samordning mellan "
        "hemtjänst och hemsjukvård har utvecklats."
    ),
    "funktion": (
        "Kompetenshöjande insatser för personalen har genomförts och en ny struktur för "
        "samordnad individuell plan har tagits fram."
    ),
    "skola": (
        "Skolorna har arbetat med kollegialt lärande och en ny modell för systematiskt "
        "kvalitetsarbete. Samordningen mellan elevhälsa och undervisning ses över."
    ),
    "kommundel": (
        "En arbetsgrupp för samordning av lokala frågor har inrättats och formerna för "
        "medborgardialog har setts över."
    ),
    "hvb": (
        "Arbetet med att etablera ett kommunalt HVB-hem har påbörjats. En projektorganisation "
        "och en styrgrupp har tillsatts och en förstudie pågår."
    ),
}


def goals_for(year: int, stage: str) -> list[Goal]:
    """The goals reported in a delårsrapport (stage 'dr1', 'dr2') or bokslut ('bokslut')."""
    early = stage == "dr1"
    social = "Socialnämnden" if year >= 2023 else SON
    omsorg = "Omsorgsnämnden" if year >= 2023 else SON
    aldre = "Äldreomsorgsnämnden" if year >= 2023 else SON
    goals = [
        Goal(
            "Kommunstyrelsen",
            "Invånarna har förtroende för kommunförvaltningen",
            "grön",
            INTERNAL["förtroende"],
        ),
        Goal(
            "Kommunstyrelsen",
            "Invånarna har goda möjligheter till inflytande",
            "grön",
            INTERNAL["inflytande"],
        ),
        Goal(
            "Kommunstyrelsen",
            "Södertälje kommun har trygga miljöer",
            "gul",
            INTERNAL["trygghet"],
        ),
        Goal(social, "Invånarna har goda livsvillkor", "gul", INTERNAL["livsvillkor"]),
        Goal(
            "Kultur- och fritidsnämnden",
            "Barn och unga har en meningsfull fritid",
            "grön",
            INTERNAL["fritid"],
        ),
        Goal(
            "Kultur- och fritidsnämnden",
            "Kulturlivet är tillgängligt för alla",
            "grön",
            INTERNAL["kultur"],
        ),
        Goal(aldre, "Äldre har en trygg och värdig omsorg", "grön", INTERNAL["äldre"]),
        Goal(
            omsorg,
            "Personer med funktionsnedsättning lever ett självständigt liv",
            "gul",
            INTERNAL["funktion"],
        ),
        Goal(
            "Utbildningsnämnden",
            "Alla elever når kunskapsmålen",
            "röd" if year in (2023, 2024) else "gul",
            INTERNAL["skola"] + f" Andelen elever i årskurs 9 med godkända betyg i alla ämnen var "
            f"{68 + (year - 2022) % 3} procent.",
        ),
        Goal(
            "Kommundelsnämnden Järna",
            "Kommundelen är attraktiv att bo och leva i",
            "grön",
            INTERNAL["kommundel"],
        ),
        Goal(
            "Kommundelsnämnden Hölö-Mörkö",
            "Kommundelen är attraktiv att bo och leva i",
            "grön",
            INTERNAL["kommundel"],
        ),
        Goal(
            "Arbets- och näringslivsnämnden",
            "Fler invånare är självförsörjande",
            "gul",
            f"{180 + 20 * (year - 2022)} personer gick från ekonomiskt bistånd till arbete eller "
            "studier. Samverkan med Arbetsförmedlingen har formaliserats i en ny överenskommelse.",
        ),
    ]
    # Concrete action, where money arrived.
    if year >= 2025:
        goals.append(
            Goal(
                social,
                "Unga i riskzon nås av förebyggande insatser",
                "grön",
                "Sex fältassistenter har anställts och arbetar kvällar och helger i Hovsjö och "
                f"Ronna. {90 if early else 140 + 20 * (year - 2025)} unga har nåtts genom "
                "uppsökande arbete under perioden.",
            )
        )
    else:
        goals.append(
            Goal(
                social,
                "Unga i riskzon nås av förebyggande insatser",
                "röd" if year == 2024 else "gul",
                "En kartläggning av behoven har genomförts och en ny samverkansstruktur med polis "
                "och skola har tagits fram.",
            )
        )
    if year >= 2024:
        contracts = {2024: 12, 2025: 9, 2026: 7}[year]
        goals.append(
            Goal(
                social,
                "Hemlösheten minskar",
                "grön" if stage == "bokslut" else "gul",
                f"{contracts if stage == 'bokslut' else contracts // 2} nya sociala kontrakt "
                "tecknades enligt principen Bostad först, i samarbete med Telge Bostäder.",
            )
        )
        goals.append(
            Goal(
                aldre,
                "Heltid är norm i äldreomsorgen",
                "grön",
                f"Andelen heltidsanställda har ökat till {66 + 4 * (year - 2024)} procent; "
                f"{40 + 25 * (year - 2024)} medarbetare har gått upp till heltid.",
            )
        )
    if year >= 2025:
        goals.append(
            Goal(social, "Placerade barn och unga får vård av hög kvalitet", "gul", INTERNAL["hvb"])
        )
    if year >= 2024:
        hovsjo_done = year >= 2025 and not (year == 2025 and early)
        goals.append(
            Goal(
                "Tekniska nämnden",
                "Parker och offentliga miljöer är trygga och välskötta",
                "grön" if hovsjo_done else "gul",
                "Hovsjöparken har fått ny belysning, ny lekplats och en spontanidrottsyta."
                if hovsjo_done
                else "Upprustningen av Hovsjöparken har försenats. Projektering och samordning "
                "med Telge Bostäder pågår.",
            )
        )
    if early:
        # In April many goals are not yet assessed.
        goals = [
            Goal(g.organisation, g.goal, "ej bedömd", g.analysis)
            if i % 3 == 2 and g.goal != "Barn och unga har en meningsfull fritid"
            else g
            for i, g in enumerate(goals)
        ]
    return goals


# --- population and prices ---------------------------------------------------------------


def read_price_index(path: Path = DATA / "price_index.csv") -> dict[int, float]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh) if r and not r[0].startswith("#")]
    header, *body = rows
    year_i, idx_i = header.index("year"), header.index("index")
    return {int(r[year_i]): float(r[idx_i]) for r in body}
