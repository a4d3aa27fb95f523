"""Demo supplier payments: invented suppliers, amounts consistent with the demo budget.

Every supplier name is plainly invented ("Demo …", "Demoföreningen …") except the
municipality's own Telge companies, and every org.nr fails the Luhn check digit, so no demo
row can be mistaken for a real company. Money per nämnd and year is a share of the demo
budget's outcome; within a category a few suppliers take most of it (Zipf weights), as in
real ledgers. Generation is vectorised: a few hundred thousand rows take about a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

DEMO_YEARS = (2024, 2025)
ROWS_PER_YEAR = 160_000
SEED = 7_2026
TITLE = "Demodata — påhittade belopp"

# Share of each nämnd's outcome paid to suppliers, and how it splits over supplier kinds.
PURCHASE_SHARE = {
    "Utbildningsnämnden": 0.30,
    "Socialnämnden": 0.45,
    "Omsorgsnämnden": 0.40,
    "Äldreomsorgsnämnden": 0.38,
    "Social- och omsorgsnämnden": 0.42,
    "Tekniska nämnden": 0.60,
    "Kommunstyrelsen": 0.35,
}
DEFAULT_SHARE = 0.25

# kind → (konto, kontotext, name template, org.nr series, number of suppliers)
KINDS: dict[str, tuple[str, str, str, str, int]] = {
    "hvb": ("4610", "Köp av huvudverksamhet, HVB och institutionsvård", "Demo HVB {} AB", "5", 14),
    "hemtjanst": ("4620", "Köp av huvudverksamhet, hemtjänst", "Demo Hemtjänst {} AB", "5", 10),
    "lss": ("4630", "Köp av huvudverksamhet, LSS och assistans", "Demo LSS-boende {} AB", "5", 12),
    "skola": ("4640", "Köp av huvudverksamhet, skola och förskola", "Demo Friskola {} AB", "5", 16),
    "ideburen": ("4900", "Bidrag och köp från föreningar", "Demoföreningen {}", "8", 30),
    "bemanning": ("5890", "Inhyrd personal", "Demo Vårdbemanning {} AB", "5", 9),
    "hyra": ("6110", "Lokalhyror", "", "5", 0),
    "energi": ("6200", "Energi, vatten och avfall", "", "5", 0),
    "material": ("6410", "Förbrukningsmaterial", "Demo {} Kontorsvaror AB", "5", 40),
    "livsmedel": ("6420", "Livsmedel", "Demo {} Livs AB", "5", 12),
    "konsult": ("7370", "Konsulttjänster", "Demo {} Konsult AB", "5", 25),
    "region": ("4650", "Köp av verksamhet från regioner", "Demoregionen {}", "2", 2),
    "ovrigt": ("7690", "Övriga främmande tjänster", "Demo {} Tjänster HB", "9", 60),
}
TELGE = {
    "hyra": ["Telge Fastigheter AB", "Telge Bostäder AB"],
    "energi": ["Telge Nät AB", "Telge Återvinning AB"],
}

# nämnd → weight per kind (normalised per nämnd)
PROFILE: dict[str, dict[str, float]] = {
    "Utbildningsnämnden": {
        "skola": 0.45,
        "hyra": 0.2,
        "livsmedel": 0.07,
        "material": 0.08,
        "konsult": 0.04,
        "bemanning": 0.03,
        "energi": 0.04,
        "ovrigt": 0.09,
    },
    "Socialnämnden": {
        "hvb": 0.45,
        "ideburen": 0.08,
        "bemanning": 0.12,
        "hyra": 0.08,
        "konsult": 0.05,
        "material": 0.04,
        "region": 0.05,
        "ovrigt": 0.13,
    },
    "Omsorgsnämnden": {
        "lss": 0.5,
        "bemanning": 0.1,
        "hyra": 0.12,
        "ideburen": 0.04,
        "material": 0.05,
        "livsmedel": 0.04,
        "region": 0.04,
        "ovrigt": 0.11,
    },
    "Äldreomsorgsnämnden": {
        "hemtjanst": 0.42,
        "bemanning": 0.15,
        "hyra": 0.14,
        "livsmedel": 0.08,
        "material": 0.06,
        "ideburen": 0.03,
        "ovrigt": 0.12,
    },
    "Tekniska nämnden": {
        "energi": 0.3,
        "konsult": 0.15,
        "material": 0.15,
        "hyra": 0.05,
        "ovrigt": 0.35,
    },
    "Kommunstyrelsen": {"konsult": 0.35, "material": 0.15, "hyra": 0.15, "ovrigt": 0.35},
}
PROFILE["Social- och omsorgsnämnden"] = PROFILE["Socialnämnden"]
DEFAULT_PROFILE = {
    "material": 0.2,
    "hyra": 0.25,
    "konsult": 0.1,
    "ideburen": 0.1,
    "livsmedel": 0.05,
    "energi": 0.05,
    "ovrigt": 0.25,
}

STEMS = (
    "Solrosen Ekbacken Björkdungen Lärkan Granen Tallbacken Vitsippan Blåklinten Näckrosen "
    "Lindarna Måsen Svalan Ängen Bäcken Kastanjen Rönnen Havsörnen Fjället Stjärnan Fyren "
    "Ljungen Mossen Forsen Udden Viken Holmen Åsen Dalen Kärret Hagen Backen Gläntan Sjöbris "
    "Morgonljus Kvällssol Vinden Lyktan Bryggan Tornet Kompassen"
).split()
PLACES = ("Nord", "Syd", "Öst", "Väst", "Mälar", "Sjö", "Skog", "Berg")


@dataclass(frozen=True)
class Supplier:
    name: str
    org_nr: str | None
    kind: str


def _luhn(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def invented_org_nr(series: str, n: int) -> str:
    """A 10-digit org.nr in `series` whose check digit is deliberately wrong; its third
    digit is 2 or more, as for every legal entity (0 or 1 would make it a personnummer)."""
    body = f"{series}{(n * 7919 + 3) % 10}{2 + n % 8}{(n * 7919 + 3) % 1000:03d}{n % 1000:03d}"[:9]
    return f"{body[:6]}-{body[6:]}{(_luhn(body) + 1) % 10}"


def suppliers() -> list[Supplier]:
    """The demo's supplier register: invented names, org.nr failing the Luhn check."""
    result: list[Supplier] = []
    n = 0
    for kind, (_, _, template, series, count) in KINDS.items():
        for name in TELGE.get(kind, []):
            result.append(Supplier(name, invented_org_nr("5", n), kind))
            n += 1
        for i in range(count):
            stem = STEMS[(i * 7 + len(kind)) % len(STEMS)]
            place = PLACES[(i // len(STEMS) + i) % len(PLACES)]
            label = f"{place} {stem}" if i >= len(STEMS) // 2 else stem
            # A tenth of the small "övrigt" suppliers publish no org.nr (sole traders).
            org = None if kind == "ovrigt" and i % 10 == 9 else invented_org_nr(series, n)
            result.append(Supplier(template.format(label), org, kind))
            n += 1
    return result


def _budget_kr(year: int) -> dict[str, float]:
    """Outcome per nämnd in kronor from the demo budget model (the same invented figures)."""
    from pipelines.demo.model import build_model

    model = build_model()
    return {
        org: (model.org_outcome(org, year) or 0) * 1000.0
        for org in model.orgs_in(year)
        if (model.org_outcome(org, year) or 0) > 0
    }


def payments_frame(
    year: int,
    rows: int = ROWS_PER_YEAR,
    seed: int = SEED,
    budget: dict[str, float] | None = None,
) -> pl.DataFrame:
    """`rows` invented payments for `year`: date, organisation, konto, supplier, amount.

    Money per (nämnd, kind) follows the demo budget; within a kind, suppliers get Zipf
    weights so that a few receive most of it. Amounts are exact to the öre and sum, per
    (nämnd, supplier), to the planned money.
    """
    rng = np.random.default_rng(seed + year)
    budget = _budget_kr(year) if budget is None else budget
    register = suppliers()
    by_kind: dict[str, list[Supplier]] = {}
    for s in register:
        by_kind.setdefault(s.kind, []).append(s)

    plan = []  # (organisation, supplier index, kronor)
    for org, outcome in budget.items():
        money = outcome * PURCHASE_SHARE.get(org, DEFAULT_SHARE)
        profile = PROFILE.get(org, DEFAULT_PROFILE)
        weight_sum = sum(profile.values())
        for kind, weight in profile.items():
            group = by_kind[kind]
            zipf = 1.0 / np.arange(1, len(group) + 1) ** 1.3
            zipf = zipf[rng.permutation(len(group))] / zipf.sum()
            for s, share in zip(group, zipf, strict=True):
                plan.append((org, register.index(s), money * weight / weight_sum * share))
    money = np.array([p[2] for p in plan])
    # Payments per (nämnd, supplier): more money, more invoices, but less than in proportion.
    count = np.maximum(1, np.round(rows * money**0.6 / (money**0.6).sum())).astype(np.int64)
    plan_idx = np.repeat(np.arange(len(plan)), count)
    n = len(plan_idx)
    # Invoice sizes vary (lognormal); ~1 % are credit notes. Scale so each plan sums exactly.
    raw = rng.lognormal(0.0, 1.0, n) * np.where(rng.random(n) < 0.01, -0.3, 1.0)
    sums = np.bincount(plan_idx, weights=raw)
    ore = np.round(raw / sums[plan_idx] * money[plan_idx] * 100).astype(np.int64)

    days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    day = rng.integers(0, days, n)
    orgs = np.array([p[0] for p in plan], dtype=object)
    sup = np.array([p[1] for p in plan])
    frame = pl.DataFrame(
        {
            "date": pl.Series(day, dtype=pl.Int32),
            "organisation": pl.Series(orgs[plan_idx], dtype=pl.String),
            "supplier_idx": pl.Series(sup[plan_idx], dtype=pl.Int64),
            "ore": pl.Series(ore, dtype=pl.Int64),
        }
    ).with_columns(
        (pl.lit(date(year, 1, 1)) + pl.duration(days=pl.col("date"))).alias("date"),
    )
    lookup = pl.DataFrame(
        {
            "supplier_idx": range(len(register)),
            "supplier": [s.name for s in register],
            "org_nr": [s.org_nr for s in register],
            "konto": [KINDS[s.kind][0] for s in register],
            "kontotext": [KINDS[s.kind][1] for s in register],
        }
    )
    return (
        frame.join(lookup, on="supplier_idx", how="left", maintain_order="left")
        .sort("date", maintain_order=True)
        .with_columns(
            pl.format(
                "{}{}",
                pl.lit(year % 100),
                (pl.int_range(pl.len()) + 1).cast(pl.String).str.zfill(7),
            ).alias("invoice"),
            # Exact öre → Decimal through text: no float rounding on the way.
            pl.format(
                "{}{}.{}",
                pl.when(pl.col("ore") < 0).then(pl.lit("-")).otherwise(pl.lit("")),
                pl.col("ore").abs() // 100,
                (pl.col("ore").abs() % 100).cast(pl.String).str.zfill(2),
            )
            .cast(pl.Decimal(18, 2))
            .alias("amount"),
        )
        .select(
            "date", "organisation", "konto", "kontotext", "supplier", "org_nr", "invoice", "amount"
        )
    )


def swedish_amount(col: str) -> pl.Expr:
    """Decimal kronor as Swedish text: '1 234 567,50' with non-breaking spaces, '-' minus."""
    ore = (pl.col(col).cast(pl.Float64) * 100).round(0).cast(pl.Int64)
    sign = pl.when(ore < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    whole = ore.abs() // 100
    frac = (ore.abs() % 100).cast(pl.String).str.zfill(2)
    m, t, u = whole // 1_000_000, (whole // 1000) % 1000, whole % 1000
    nb = "\u00a0"
    grouped = (
        pl.when(m > 0)
        .then(
            pl.format(
                "{}" + nb + "{}" + nb + "{}",
                m,
                t.cast(pl.String).str.zfill(3),
                u.cast(pl.String).str.zfill(3),
            )
        )
        .when(t > 0)
        .then(pl.format("{}" + nb + "{}", t, u.cast(pl.String).str.zfill(3)))
        .otherwise(u.cast(pl.String))
    )
    return pl.format("{}{},{}", sign, grouped, frac)


def write_csv(
    frame: pl.DataFrame,
    path: Path,
    *,
    layout: str = "a",
    encoding: str = "cp1252",
    separator: str = ";",
    title: str | None = None,
) -> Path:
    """Write payments as a municipality publishes them, in one of two column layouts.

    Layout "a": Förvaltning, Konto, Kontotext, Leverantör, Org.nr, Bokföringsdatum,
    Fakturanummer, Belopp. Layout "b": Nämnd, Konto ("4610 Köp av …"), Leverantörsnamn,
    Organisationsnummer, Period, Belopp exkl moms. Amounts as Swedish text.
    """
    if layout == "a":
        out = frame.select(
            pl.col("organisation").alias("Förvaltning"),
            pl.col("konto").alias("Konto"),
            pl.col("kontotext").alias("Kontotext"),
            pl.col("supplier").alias("Leverantör"),
            pl.col("org_nr").alias("Org.nr"),
            pl.col("date").dt.strftime("%Y-%m-%d").alias("Bokföringsdatum"),
            pl.col("invoice").alias("Fakturanummer"),
            swedish_amount("amount").alias("Belopp"),
        )
    else:
        out = frame.select(
            pl.col("organisation").alias("Nämnd"),
            pl.format("{} {}", "konto", "kontotext").alias("Konto"),
            pl.col("supplier").alias("Leverantörsnamn"),
            pl.col("org_nr").str.replace("-", "").alias("Organisationsnummer"),
            pl.col("date").dt.strftime("%Y-%m").alias("Period"),
            swedish_amount("amount").alias("Belopp exkl moms"),
        )
    body = out.write_csv(separator=separator, quote_style="necessary")
    lines = []
    if title:
        lines = [title, f"Södertälje kommun — {TITLE}", ""]
    text = "\r\n".join(lines) + ("\r\n" if lines else "") + body.replace("\n", "\r\n")
    # Latin-1 has no dashes: the title then shows "?" where a real export would too.
    Path(path).write_bytes(text.encode(encoding, errors="replace"))
    return Path(path)


def write_xlsx(frame: pl.DataFrame, path: Path, *, title: str | None = None) -> Path:
    """Write payments as an xlsx workbook: typed cells, title rows above the header."""
    from pipelines.payments.xlsx import write_xlsx as write

    out = frame.select(
        pl.col("organisation").alias("Förvaltning"),
        pl.col("konto").alias("Konto"),
        pl.col("kontotext").alias("Kontotext"),
        pl.col("supplier").alias("Leverantör"),
        pl.col("org_nr").alias("Org.nr"),
        pl.col("date").alias("Datum"),
        pl.col("invoice").alias("Fakturanummer"),
        pl.col("amount").cast(pl.Float64).alias("Belopp"),
    )
    titles = [title, f"Södertälje kommun — {TITLE}"] if title else []
    return write(out, Path(path), sheet="Betalningar", title_rows=titles)


def generate_demo_payments(out: Path) -> list[Path]:
    """The demo's payment files in `out`: one CSV per year, in two publishing styles."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, year in enumerate(DEMO_YEARS):
        frame = payments_frame(year)
        path = out / f"leverantorsbetalningar-{year}.csv"
        write_csv(
            frame,
            path,
            layout="a" if i % 2 == 0 else "b",
            encoding="cp1252" if i % 2 == 0 else "utf-8-sig",
            title=f"Leverantörsbetalningar {year} — {TITLE}",
        )
        paths.append(path)
    return paths
