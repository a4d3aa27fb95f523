"""Read-side functions for pages: indicator trends per proposal and net cost per invånare.

Pages call these with a read connection; every value goes in as a `?` parameter.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import polars as pl

from pipelines.config import DATA
from pipelines.statistics.kommuner import HOME_KOMMUNKOD

LINKS_FILE = DATA / "indicators" / "links.csv"
# Population: Kolada's "Invånare totalt, antal" or SCB's folkmängd (BefolkningNy).
POPULATION_KPIS = ("N01951", "BE0101N1")
RIKET, KOLADA_RIKET = "00", "0000"


def load_links(path: Path = LINKS_FILE) -> list[dict[str, str]]:
    """Proposal ↔ indicator links with the direction that counts as progress."""
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]
    for row in rows:
        if row["direction"] not in ("lower", "higher"):
            raise ValueError(f"{path.name}: direction måste vara lower eller higher: {row}")
    return rows


def _has(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_name = ?", [name]
        ).fetchone()[0]
    )


def links_for_proposal(
    con: duckdb.DuckDBPyConnection, proposal_id: str, path: Path = LINKS_FILE
) -> list[dict[str, str]]:
    """The links that name this proposal by id or by a phrase of its title or text."""
    text = ""
    if _has(con, "proposals"):
        row = con.execute(
            "select title, text from proposals where proposal_id = ?", [proposal_id]
        ).fetchone()
        if row:
            text = f"{row[0]} {row[1]}".casefold()
    text = " ".join(text.split())
    return [
        link
        for link in load_links(path)
        if link["proposal_id"] == proposal_id
        or (link["match"] and text and " ".join(link["match"].casefold().split()) in text)
    ]


INDICATOR_SCHEMA = {
    "kpi": pl.String,
    "kpi_title": pl.String,
    "direction": pl.String,
    "why": pl.String,
    "year": pl.Int32,
    "value": pl.Float64,
    "status": pl.String,
    "source": pl.String,
    "is_demo": pl.Boolean,
    "change": pl.Float64,
    "progress": pl.String,
}


def indicators_for_proposal(
    con: duckdb.DuckDBPyConnection,
    proposal_id: str,
    kommunkod: str = HOME_KOMMUNKOD,
    path: Path = LINKS_FILE,
) -> pl.DataFrame:
    """The linked indicators' yearly series for one kommun (gender T), oldest year first.

    Columns: kpi, kpi_title, direction ('lower'/'higher' is progress), why, year, value,
    status, source, is_demo, change (against the year before), progress ('framsteg',
    'bakslag', 'oförändrat' or null when a year is missing). Empty when nothing is linked
    or loaded.
    """
    links = links_for_proposal(con, proposal_id, path)
    if not links or not _has(con, "indicators"):
        return pl.DataFrame(schema=INDICATOR_SCHEMA)
    frames = []
    for link in links:
        rows = con.execute(
            "select kpi, coalesce(kpi_title, ?), year, value, status, source,"
            " coalesce(is_demo, false) from indicators"
            " where kpi = ? and municipality_code = ? and gender = 'T' and period is null"
            " order by year, retrieved desc nulls last",
            [link["kpi_title"] or None, link["kpi"], kommunkod],
        ).fetchall()
        seen: set[int] = set()
        series = []
        for kpi, title, year, value, status, source, demo in rows:
            if year in seen:
                continue  # the newest retrieval of a year wins
            seen.add(year)
            series.append((kpi, title, year, value, status, source, demo))
        previous = None
        for kpi, title, year, value, status, source, demo in series:
            change = progress = None
            if value is not None and previous is not None:
                change = value - previous
                if change == 0:
                    progress = "oförändrat"
                elif (change < 0) == (link["direction"] == "lower"):
                    progress = "framsteg"
                else:
                    progress = "bakslag"
            frames.append(
                {
                    "kpi": kpi,
                    "kpi_title": title,
                    "direction": link["direction"],
                    "why": link["why"],
                    "year": year,
                    "value": value,
                    "status": status,
                    "source": source,
                    "is_demo": bool(demo),
                    "change": change,
                    "progress": progress,
                }
            )
            previous = value
    return pl.DataFrame(frames, schema=INDICATOR_SCHEMA)


def comparison_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years with net cost per verksamhet for at least one kommun, newest first."""
    if not _has(con, "stat_rows"):
        return []
    rows = con.execute(
        "select distinct year from stat_rows where kind = 'netto' and in_facts order by year desc"
    ).fetchall()
    return [r[0] for r in rows]


def kommuner_with_net_cost(con: duckdb.DuckDBPyConnection, year: int) -> pl.DataFrame:
    """kommunkod and name of every kommun with net cost per verksamhet for `year`, and Riket
    ('00') when the loaded file has the national figures too."""
    rows = con.execute(
        "select distinct s.region_code, coalesce(k.name, s.region_name, s.region_code)"
        " from stat_rows s left join kommuner k on k.kommunkod = s.region_code"
        " where s.kind = 'netto' and s.year = ? and (s.in_facts or (s.region_code = ?"
        " and s.value is not null)) order by 2",
        [year, RIKET],
    ).fetchall()
    return pl.DataFrame(rows, schema={"kommunkod": pl.String, "kommun": pl.String}, orient="row")


def population(
    con: duckdb.DuckDBPyConnection, year: int, kommunkoder: list[str]
) -> dict[str, float]:
    """Invånare per kommun for `year` from loaded statistics (Kolada N01951 or SCB folkmängd)."""
    if not kommunkoder:
        return {}
    codes = list(kommunkoder) + ([KOLADA_RIKET] if RIKET in kommunkoder else [])
    rows = con.execute(
        "select municipality_code, value from indicators"
        " where year = ? and gender = 'T' and value is not null"
        " and list_contains(?, municipality_code)"
        " and (list_contains(?, kpi) or lower(kpi_title) like 'folkmängd%'"
        " or lower(kpi_title) like 'invånare totalt%')"
        " order by retrieved desc nulls last",
        [year, codes, list(POPULATION_KPIS)],
    ).fetchall()
    out: dict[str, float] = {}
    for code, value in rows:
        # Kolada calls Riket '0000', SCB '00'.
        out.setdefault(RIKET if code == KOLADA_RIKET else code, value)
    return out


def net_cost_per_invanare(
    con: duckdb.DuckDBPyConnection, year: int, kommunkoder: list[str]
) -> pl.DataFrame:
    """Net cost per verksamhet for the kommuner, in kronor and per invånare.

    Columns: kommunkod, kommun, verksamhetskod, verksamhet, amount_sek, invanare,
    kr_per_invanare, basis. kr_per_invanare is SCB's own published figure when the file had
    one (basis 'publicerad'), else net cost / invånare (basis 'beräknad'), else null.
    """
    schema = {
        "kommunkod": pl.String,
        "kommun": pl.String,
        "verksamhetskod": pl.String,
        "verksamhet": pl.String,
        "amount_sek": pl.Float64,
        "invanare": pl.Float64,
        "kr_per_invanare": pl.Float64,
        "basis": pl.String,
    }
    if not kommunkoder:
        return pl.DataFrame(schema=schema)
    rows = con.execute(
        "select s.region_code, coalesce(k.name, s.region_name, s.region_code), s.item_code,"
        " s.item_label, cast(s.amount_sek as double)"
        " from stat_rows s left join kommuner k on k.kommunkod = s.region_code"
        " where s.kind = 'netto' and s.year = ? and list_contains(?, s.region_code)"
        " and (s.in_facts or (s.region_code = ? and s.value is not null and s.item_code in"
        " (select item_code from stat_rows where kind = 'netto' and in_facts and year = ?)))"
        " order by s.item_code, s.region_code",
        [year, kommunkoder, RIKET, year],
    ).fetchall()
    pop = population(con, year, kommunkoder)
    published = {
        (code, item): value
        for code, item, value in con.execute(
            "select region_code, item_code, value from stat_rows"
            " where kind = 'indicator' and year = ? and value is not null"
            " and list_contains(?, region_code)"
            " and (lower(measure_label) like '%per invånare%' or lower(unit) like '%per invånare%')"
            " order by retrieved nulls first",
            [year, kommunkoder],
        ).fetchall()
    }
    data = []
    for code, name, item, label, amount in rows:
        if (code, item) in published:
            per, basis = published[(code, item)], "publicerad"
        elif pop.get(code):
            per, basis = amount / pop[code], "beräknad"
        else:
            per, basis = None, None
        data.append((code, name, item, label, amount, pop.get(code), per, basis))
    return pl.DataFrame(data, schema=schema, orient="row")


def statistics_sources(con: duckdb.DuckDBPyConnection, year: int) -> list[str]:
    """'SCB (TAB4199), hämtad 2025-09-01'-style lines for the net cost shown for `year`."""
    rows = con.execute(
        "select distinct s.source, s.dataset, s.retrieved, d.file_name from stat_rows s"
        " join documents d on d.doc_id = s.doc_id"
        " where s.kind = 'netto' and s.in_facts and s.year = ? order by 1, 2",
        [year],
    ).fetchall()
    return [
        f"{source}{f' ({dataset})' if dataset else ''}, fil {file_name}"
        + (f", hämtad {retrieved:%Y-%m-%d}" if retrieved else "")
        for source, dataset, retrieved, file_name in rows
    ]
