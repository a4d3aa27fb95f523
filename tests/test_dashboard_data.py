"""The dashboard's data layer on a small fixture database: slices, fixed prices, per
invånare, the overview's categories, comparisons and the status store.

`build_fixture_db` is shared by the page tests (tests/test_page_*.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from conftest import insert_facts

from pipelines import marts
from pipelines.config import Config
from pipelines.dashboard import compare as cmp
from pipelines.dashboard import overview as ov
from pipelines.dashboard import queries as q
from pipelines.dashboard import reference, status
from pipelines.db import connect_read, write_transaction

M = 1_000_000

# (doc_id, file, importer document, doc_year, period, actor)
DOCS = [
    ("d-mob24", "mal-och-budget-2024.xlsx", "budget", 2024, None, "kommunen"),
    ("d-mob25", "mal-och-budget-2025.xlsx", "budget", 2025, None, "kommunen"),
    ("d-v25", "v-budget-2025.xlsx", "forslag", 2025, None, "V"),
    ("d-dr2", "delarsrapport-2-2025.xlsx", "delarsrapport", 2025, "2025-08", "kommunen"),
    ("d-bok24", "bokslut-2024.xlsx", "bokslut", 2024, None, "kommunen"),
]

# (doc_id, year, measure, organisation, line_item, mnkr, period)
FACTS = [
    # Mål och budget 2024: budget 2024 and plan 2025
    ("d-mob24", 2024, "budget", "Kultur- och fritidsnämnden", "Kulturskola", 20.0, None),
    ("d-mob24", 2024, "budget", "Kultur- och fritidsnämnden", "Fritidsgårdar", 30.0, None),
    ("d-mob24", 2024, "budget", "Socialnämnden", "Fältassistenter", 10.0, None),
    ("d-mob24", 2024, "budget", "Socialnämnden", "Försörjningsstöd", 200.0, None),
    ("d-mob24", 2024, "budget", "Utbildningsnämnden", "Grundskola", 1000.0, None),
    ("d-mob24", 2025, "plan", "Utbildningsnämnden", "Grundskola", 1010.0, None),
    # Mål och budget 2025: budget 2025 and (revised) budget 2024 repeated
    ("d-mob25", 2025, "budget", "Kultur- och fritidsnämnden", "Kulturskola", 26.0, None),
    ("d-mob25", 2025, "budget", "Kultur- och fritidsnämnden", "Fritidsgårdar", 30.0, None),
    ("d-mob25", 2025, "budget", "Socialnämnden", "Fältassistenter", 10.0, None),
    ("d-mob25", 2025, "budget", "Socialnämnden", "Försörjningsstöd", 230.0, None),
    ("d-mob25", 2025, "budget", "Utbildningsnämnden", "Grundskola", 1030.0, None),
    ("d-mob25", 2024, "budget", "Kultur- och fritidsnämnden", "Kulturskola", 20.0, None),
    ("d-mob25", 2024, "budget", "Kultur- och fritidsnämnden", "Fritidsgårdar", 30.0, None),
    ("d-mob25", 2024, "budget", "Socialnämnden", "Fältassistenter", 10.0, None),
    ("d-mob25", 2024, "budget", "Socialnämnden", "Försörjningsstöd", 205.0, None),
    ("d-mob25", 2024, "budget", "Utbildningsnämnden", "Grundskola", 1000.0, None),
    # The party's proposal 2025
    ("d-v25", 2025, "budget", "Kultur- och fritidsnämnden", "Avgiftsfri kulturskola", 32.0, None),
    ("d-v25", 2025, "budget", "Socialnämnden", "Fler fältassistenter", 15.0, None),
    ("d-v25", 2025, "budget", "Socialnämnden", "Kommunala HVB-hem", 8.0, None),
    # Delårsrapport 2 2025
    ("d-dr2", 2025, "utfall", "Kultur- och fritidsnämnden", "Kulturskola", 15.0, "2025-08"),
    ("d-dr2", 2025, "prognos", "Kultur- och fritidsnämnden", "Kulturskola", 24.0, None),
    ("d-dr2", 2025, "prognos", "Socialnämnden", "Fältassistenter", 9.0, None),
    # Bokslut 2024
    ("d-bok24", 2024, "utfall", "Kultur- och fritidsnämnden", "Kulturskola", 19.0, None),
    ("d-bok24", 2024, "utfall", "Socialnämnden", "Fältassistenter", 10.5, None),
]

# The same document states Kultur- och fritidsnämnden once more, as one line in its table of
# nämnder: sums must count the nämnd once (the table with the fewest lines for it).
NAMND_TOTALS = [("d-mob25", 2025, "budget", "Kultur- och fritidsnämnden", "KFN", 56.0, None)]

PROPOSALS = [
    (
        "p-kulturskola",
        "Kultur",
        "Avgiftsfri kulturskola",
        "Kulturskolan ska vara avgiftsfri.",
        "kommun",
        "Kommunfullmäktige",
        "Kultur- och fritidsnämnden",
        "Kommundelsnämnderna",
        True,
    ),
    (
        "p-falt",
        "Trygghet",
        "Fler fältassistenter",
        "Anställ fler fältassistenter.",
        "kommun",
        "Kommunfullmäktige",
        "Socialnämnden",
        "Kommundelsnämnderna",
        True,
    ),
    (
        "p-hvb",
        "Socialtjänst",
        "Kommunala HVB-hem",
        "Bygg upp kommunala HVB-hem.",
        "kommun",
        "Kommunfullmäktige",
        "Socialnämnden",
        "",
        False,
    ),
    (
        "p-stat",
        "Stat",
        "Höj statsbidragen",
        "Staten ska betala mer.",
        "stat_region",
        "Riksdagen",
        "",
        "",
        False,
    ),
]

# (proposal, organisation, line_item): the mapping the fixture's proposal_funding sums
MAPPING = [
    ("p-kulturskola", "Kultur- och fritidsnämnden", "Kulturskola"),
    ("p-kulturskola", "Kultur- och fritidsnämnden", "Avgiftsfri kulturskola"),
    ("p-falt", "Socialnämnden", "Fältassistenter"),
    ("p-falt", "Socialnämnden", "Fler fältassistenter"),
    ("p-hvb", "Socialnämnden", "Kommunala HVB-hem"),
]

GOALS = [
    (
        "d-dr2",
        2025,
        "2025-08",
        "Kultur- och fritidsnämnden",
        "Fler barn deltar i kulturskolan",
        "grön",
        "Vi har infört en ny organisation för samordning.",
    ),
    (
        "d-dr2",
        2025,
        "2025-08",
        "Socialnämnden",
        "Invånarna är trygga",
        "gul",
        "Fältassistenterna har varit ute varje kväll i Hovsjö.",
    ),
    ("d-dr2", 2025, "2025-08", "Utbildningsnämnden", "Alla elever når målen", "röd", "Nej."),
]

PRICE_INDEX = "# Källa: test\nyear;index\n2023;100\n2024;104\n2025;106,08\n"
POPULATION = (
    "year,kommundel,invanare\n"
    "2024,Järna,10000\n2024,Staden,90000\n"
    "2025,Järna,10100\n2025,Staden,91900\n"
)


def build_fixture_db(tmp_path: Path, config: Config) -> Config:
    """A database with five documents, four proposals, goals and a proposal_funding table."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "price_index.csv").write_text(PRICE_INDEX, encoding="utf-8")
    (data / "population.csv").write_text(POPULATION, encoding="utf-8")
    config = replace(config, data_dir=data)
    with write_transaction(config.db_path) as con:
        for doc_id, name, document, doc_year, period, actor in DOCS:
            con.execute(
                "insert into documents (doc_id, file_name, importer, document, doc_year, period,"
                " actor, is_demo) values (?, ?, 'test', ?, ?, ?, ?, true)",
                [doc_id, name, document, doc_year, period, actor],
            )
        docs = {d[0]: d for d in DOCS}
        columns = (
            "doc_id, doc_year, year, document, actor, budget_kind, period, organisation,"
            " line_item, measure, amount_sek, source_file, source_sheet, source_cell"
        )
        rows = []
        for i, (doc_id, year, measure, org, item, mnkr, period) in enumerate(FACTS):
            _, name, document, doc_year, _, actor = docs[doc_id]
            rows.append([doc_id, doc_year, year, document, actor, "drift", period, org, item,
                         measure, mnkr * M, name, "Blad1", f"C{i + 2}"])  # fmt: skip
        for doc_id, year, measure, org, item, mnkr, period in NAMND_TOTALS:
            _, name, document, doc_year, _, actor = docs[doc_id]
            rows.append([doc_id, doc_year, year, document, actor, "drift", period, org, item,
                         measure, mnkr * M, name, "Nämnder", "D9"])  # fmt: skip
        insert_facts(con, columns, rows)
        for doc_id, doc_year, period, org, goal, colour, analysis in GOALS:
            con.execute(
                "insert into goal_rows (doc_id, doc_year, period, organisation, goal, assessment,"
                " analysis, source_file, source_sheet, source_cell)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, 'Mål', 'B7')",
                [doc_id, doc_year, period, org, goal, colour, analysis, docs[doc_id][1]],
            )
        marts.build_all(con, config)
        for n, (pid, section, title, text, level, decision, executing, local, kdn) in enumerate(
            PROPOSALS, start=1
        ):
            con.execute(
                "insert into proposal_rows (proposal_id, doc_id, section, title, text, level,"
                " kind, decision_body, executing_bodies, local_bodies, kommundel_relevant,"
                " ordinal) values (?, 'd-program', ?, ?, ?, ?, 'bullet', ?, ?, ?, ?, ?)",
                [
                    pid,
                    section,
                    title,
                    text,
                    level,
                    decision,
                    [b for b in [executing] if b],
                    [b for b in [local] if b],
                    kdn,
                    n,
                ],
            )
            for role, body in (("decision", decision), ("executing", executing), ("local", local)):
                if body:
                    con.execute(
                        "insert into proposal_body_rows values (?, ?, ?, ?, true, 1)",
                        [pid, body, role, body],
                    )
        # The mapping's tables as pipelines.mapping.tables writes them, for this fixture.
        con.execute(
            "create or replace table mapping_matches as "
            "select distinct f.organisation, f.line_item, f.document, f.actor, f.budget_kind,"
            " f.year, f.line_item as canonical_line_item, 'r-' || m.proposal_id as rule_id,"
            " m.proposal_id, 1.0::double as share "
            "from facts f join (select unnest(?::varchar[]) as proposal_id,"
            " unnest(?::varchar[]) as organisation, unnest(?::varchar[]) as line_item) m"
            " using (organisation, line_item)",
            [list(col) for col in zip(*MAPPING, strict=True)],
        )
        # The SQL marts again (proposal_funding and everything after it), as build_all runs
        # them, now over the fixture's mapping.
        for sql_file in marts.mart_files():
            table = sql_file.stem.split("_", 1)[1]
            select = sql_file.read_text(encoding="utf-8").strip().rstrip(";")
            con.execute(f"create or replace table {table} as {select}")
    return config


@pytest.fixture
def fixture_db(tmp_path, config, monkeypatch):
    monkeypatch.setenv("VERKSTAD_STATUS_DIR", str(tmp_path / "status"))
    return build_fixture_db(tmp_path, config)


def test_reference_files_are_read_tolerantly(tmp_path):
    (tmp_path / "p.csv").write_text("År;KPI;källa\n2024;104,5;SCB\n2025;107;SCB\n", "utf-8")
    assert reference.read_price_index(tmp_path / "p.csv") == [(2024, 104.5), (2025, 107.0)]
    (tmp_path / "pop.csv").write_text(
        "year,area,population\n2025,Södertälje kommun,103000\n2025,Järna,11000\n", "utf-8"
    )
    rows = reference.read_population(tmp_path / "pop.csv")
    assert (2025, "Södertälje kommun", 103000.0, True) in rows
    assert reference.read_price_index(tmp_path / "missing.csv") == []
    (tmp_path / "b.csv").write_text("year,index,base_year\n2024,100,2024\n2025,103,2024\n", "utf-8")
    assert reference.read_price_base(tmp_path / "b.csv") == 2024
    assert reference.read_price_base(tmp_path / "p.csv") is None


def test_slices_pick_the_latest_document(fixture_db):
    con = connect_read(fixture_db.db_path)
    all_slices = q.slices(con)
    b24 = q.adopted_budget(all_slices, 2024)
    # Mål och budget 2025 restates budget 2024 (with Försörjningsstöd revised): it wins.
    assert b24.doc_id == "d-mob25"
    assert b24.amount_sek == pytest.approx(1265 * M)
    assert q.budget_years(all_slices) == [2024, 2025]
    assert b24.label == "2024 · Budget · Mål och budget 2025"
    dr = next(s for s in all_slices if s.document == "delarsrapport" and s.measure == "utfall")
    assert dr.label == "2025 · Utfall jan–aug · Delårsrapport 2 2025"


def test_fixed_prices_and_per_invanare(fixture_db):
    con = connect_read(fixture_db.db_path)
    b24 = q.adopted_budget(q.slices(con), 2024)
    orgs = q.by_organisation(con, b24).sort("organisation")
    kultur = orgs.row(0, named=True)
    assert kultur["organisation"] == "Kultur- och fritidsnämnden"
    assert kultur["amount_sek"] == pytest.approx(50 * M)
    assert kultur["amount_fixed_sek"] == pytest.approx(50 * M * 106.08 / 104)
    assert kultur["amount_per_invanare"] == pytest.approx(50 * M / 100_000)
    assert "mal-och-budget-2025.xlsx Blad1 C" in kultur["sources"]


def test_overview_categories(fixture_db):
    con = connect_read(fixture_db.db_path)
    o = ov.overview(con, 2025)
    assert o.total_sek == pytest.approx(1326 * M)
    assert o.previous_sek == pytest.approx(1265 * M)
    assert o.mapped_sek == pytest.approx(36 * M)
    rows = {r["proposal_id"]: r for r in o.proposals.iter_rows(named=True)}
    assert set(rows) == {"p-kulturskola", "p-falt", "p-hvb"}  # kommun level only
    assert rows["p-kulturskola"]["category"] == ov.MORE  # 20 -> 26 mnkr, more than prices
    assert rows["p-falt"]["category"] == ov.LESS  # 10 -> 10 mnkr, prices rose 2 %
    assert rows["p-hvb"]["category"] == ov.NONE
    assert rows["p-hvb"]["forslag_sek"] == pytest.approx(8 * M)
    top = o.organisations.row(0, named=True)
    assert (top["organisation"], top["change_sek"]) == ("Utbildningsnämnden", 30 * M)


def test_compare_fixed_and_waterfall(fixture_db):
    con = connect_read(fixture_db.db_path)
    all_slices = q.slices(con)
    a, b = q.adopted_budget(all_slices, 2024), q.adopted_budget(all_slices, 2025)
    c = cmp.compare(con, a, b, fixed=True)
    assert c.total_a == pytest.approx(1265 * M * 106.08 / 104)
    assert c.total_b == pytest.approx(1326 * M)
    steps = cmp.waterfall_steps(c, top=2)
    assert steps[0][1] == pytest.approx(c.total_a)
    assert steps[-1][1] == pytest.approx(c.total_b)
    assert sum(v for _, v, m in steps if m == "relative") == pytest.approx(c.change)
    props = {r["proposal_id"]: r for r in c.proposals.iter_rows(named=True)}
    assert props["p-kulturskola"]["b"] == pytest.approx(26 * M)
    per = cmp.compare(con, a, b, per_invanare=True)
    assert per.total_b == pytest.approx(1326 * M / 102_000)


def test_proposal_details(fixture_db):
    con = connect_read(fixture_db.db_path)
    lines = q.mapped_lines(con, "p-kulturskola")
    # budget 2024 from the latest Mål och budget only, never twice
    b24 = lines.filter((pl.col("year") == 2024) & (pl.col("document") == "budget"))
    assert b24.select("source_file", "source_cell", "amount_sek").rows() == [
        ("mal-och-budget-2025.xlsx", "C13", 20 * M)
    ]
    sources = q.source_index(q.mapped_lines(con, None))
    assert (
        sources[("p-kulturskola", 2024, "budget", "budget")] == "mal-och-budget-2025.xlsx Blad1 C13"
    )
    assert ("p-kulturskola", 2025, "delarsrapport", "utfall") not in sources  # jan–aug only
    goals = q.related_goals(con, "p-falt")
    assert goals.select("organisation", "assessment").rows() == [("Socialnämnden", "gul")]
    bodies = q.proposal_bodies(con, "p-falt")
    assert bodies.select("role", "body").rows()[:2] == [
        ("decision", "Kommunfullmäktige"),
        ("executing", "Socialnämnden"),
    ]


def test_status_store_is_atomic_and_audited(tmp_path, monkeypatch):
    monkeypatch.setenv("VERKSTAD_STATUS_DIR", str(tmp_path / "s"))
    with pytest.raises(status.StatusError):
        status.set_status("p1", "klart", "", "2025-01-01", "anna")
    with pytest.raises(status.StatusError):
        status.set_status("p1", "pågår", "", "2025-01-01", " ")
    status.set_status("p1", "pågår", "Motion lagd", "2025-03-01", "anna")
    status.set_status("p2", "motarbetat", "=cmd|' /C calc'!A0", "2025-03-02", "olle")
    status.set_status("p1", "genomfört", "Beslut i KF", "2025-06-12", "anna")
    current = status.read_statuses()
    assert current["p1"].status == "genomfört" and current["p1"].note_date == "2025-06-12"
    assert current["p2"].note == "=cmd|' /C calc'!A0"
    log = [json.loads(x) for x in (tmp_path / "s" / "audit.jsonl").read_text().splitlines()]
    assert [(e["proposal_id"], e["from"], e["to"]) for e in log] == [
        ("p1", None, "pågår"),
        ("p2", None, "motarbetat"),
        ("p1", "pågår", "genomfört"),
    ]
    assert [e["to"] for e in status.history("p1")] == ["pågår", "genomfört"]
    assert not list((tmp_path / "s").glob(".*.tmp"))


def test_funding_without_proposal_funding_is_empty(config):
    with write_transaction(config.db_path) as con:
        marts.build_all(con, config)
    con = connect_read(config.db_path)
    assert q.funding(con).is_empty()
    assert isinstance(ov.overview(con).proposals, pl.DataFrame)


def expected_budget_by_org(db_path, year: int, kind: str = "drift") -> dict[str, float]:
    """The adopted budget per organisation computed from `facts` directly, independently of
    the marts: the latest Mål och budget stating the year; per organisation the sheet with
    the fewest lines (its nämnd-level line rather than its verksamheter)."""
    rows = (
        connect_read(db_path)
        .execute(
            "select doc_year, organisation, source_sheet, amount_sek from facts"
            " where document = 'budget' and actor = 'kommunen' and measure = 'budget'"
            " and budget_kind = ? and year = ? and period is null",
            [kind, year],
        )
        .fetchall()
    )
    latest = max(r[0] for r in rows)
    sheets: dict[str, dict[str, list[float]]] = {}
    for doc_year, org, sheet, amount in rows:
        if doc_year == latest:
            sheets.setdefault(org, {}).setdefault(sheet or "", []).append(float(amount))
    return {
        org: sum(min(by_sheet.items(), key=lambda kv: (len(kv[1]), kv[0]))[1])
        for org, by_sheet in sheets.items()
    }


def test_expected_helper_agrees_with_the_overview(fixture_db):
    by_org = expected_budget_by_org(fixture_db.db_path, 2025)
    assert by_org["Kultur- och fritidsnämnden"] == 56 * M
    assert sum(by_org.values()) == pytest.approx(1326 * M)
