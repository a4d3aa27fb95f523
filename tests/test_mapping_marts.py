"""The mapping marts: proposal_funding, the worklist, coverage, over-100 % lines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import insert_facts

from pipelines import marts
from pipelines.config import ROOT, load_config
from pipelines.db import connect_read, write_transaction
from pipelines.ingest import IngestOptions, ingest
from pipelines.mapping.store import write_atomic

PROGRAM = ROOT / "data" / "program" / "handlingsprogram-2026-2030.txt"
P_FALT = "socialt-stod-omsorg--satsa-mer-pa-forebyggande-sociala-insatser-till-exempel"
P_BARN = "socialt-stod-omsorg--sarskilt-fokusera-pa-att-minska-barnfattigdomen-genom-att"
P_KULTUR = "idrott-kultur-folkbildning--sakerstalla-avgiftsfri-och-jamlik-tillgang-till-kultur-och"
COLUMNS = (
    "doc_id, doc_year, year, document, actor, budget_kind, period, organisation, line_item,"
    " measure, amount_sek, source_file, source_sheet, source_cell"
)

# fmt: off
FACTS = [
    # doc, doc_year, year, document, actor, kind, period, organisation, line_item, measure, sek
    ("b25", 2025, 2025, "budget", "kommunen", "drift", None, "Socialnämnden", "Fältassistenter", "budget", 10_000_000),
    ("b26", 2026, 2025, "budget", "kommunen", "drift", None, "Socialnämnden", "Fältverksamhet", "budget", 10_000_000),
    ("b26", 2026, 2026, "budget", "kommunen", "drift", None, "Socialnämnden", "Fältverksamhet", "budget", 12_000_000),
    ("b26", 2026, 2027, "budget", "kommunen", "drift", None, "Socialnämnden", "Fältverksamhet", "plan", 13_000_000),
    ("b26", 2026, 2026, "budget", "kommunen", "drift", None, "Socialnämnden", "Ekonomiskt bistånd", "budget", 300_000_000),
    ("b26", 2026, 2026, "budget", "kommunen", "investering", None, "Socialnämnden", "Fältverksamhet", "budget", 2_000_000),
    # Nämnd totals: SN's is its lines summed (not counted again); MN has only its total.
    ("b26", 2026, 2026, "budget", "kommunen", "drift", None, "Socialnämnden", "SN", "budget", 322_000_000),
    ("b26", 2026, 2026, "budget", "kommunen", "drift", None, "Miljönämnden", "Miljönämnden", "budget", 24_000_000),
    ("f26", 2026, 2026, "forslag", "V", "drift", None, "Kultur- och fritidsnämnden", "Avgiftsfri kulturskola", "budget", 6_000_000),
    ("f26", 2026, 2026, "forslag", "V", "drift", None, "Socialnämnden", "Barn och familj", "budget", 8_000_000),
]
# fmt: on

RULES = f"""rule_id,organisation,line_item,match,document,actor,budget_kind,year_from,year_to,proposal_id,share,note,author,changed_at
r1,Socialnämnden,Fältverksamhet,exact,,,drift,,,{P_FALT},1,,test,
r2,Kultur- och fritidsnämnden,Avgiftsfri kulturskola,exact,forslag,V,,,,{P_KULTUR},1,,test,
r3,Socialnämnden,Barn och familj,exact,,,,,,{P_FALT},0.7,,test,
r4,Socialnämnden,Barn och familj,exact,,,,,,{P_BARN},0.6,hand edit over 100 %,test,
r5,Socialnämnden,Okänd rad,exact,,,,,,finns-inte,1,,test,
r6,Socialnämnden,Trasig,regex,,,,,,{P_FALT},1,,test,
"""

CROSSWALK = """crosswalk_id,organisation,line_item,canonical,note,author,changed_at
c1,Socialnämnden,Fältassistenter,Fältverksamhet,bytte namn 2026,test,
"""


@pytest.fixture
def built(tmp_path, monkeypatch):
    monkeypatch.setenv("VERKSTAD_DB", str(tmp_path / "v.duckdb"))
    monkeypatch.setenv("VERKSTAD_MAPPING_DIR", str(tmp_path / "mapping"))
    cfg = load_config()
    write_atomic(cfg.rules_file, RULES.encode())
    write_atomic(cfg.crosswalk_file, CROSSWALK.encode())
    reports = ingest([PROGRAM], IngestOptions(config=cfg))
    assert [r.status for r in reports] == ["accepted"]
    with write_transaction(cfg.db_path) as con:
        insert_facts(
            con,
            COLUMNS,
            [[*fact, "test.xlsx", "Blad1", f"B{i + 2}"] for i, fact in enumerate(FACTS)],
        )
        marts.build_all(con, cfg)
    con = connect_read(cfg.db_path)
    yield con
    con.close()


def test_proposal_funding_counts_shares_latest_versions_and_keeps_kinds_apart(built):
    rows = built.execute(
        "select proposal_id, year, document, measure, amount_sek, actor, budget_kind, doc_year"
        " from proposal_funding order by proposal_id, year, document, measure, budget_kind"
    ).fetchall()
    assert rows == [
        (P_KULTUR, 2026, "forslag", "budget", Decimal("6000000.00"), "V", "drift", 2026),
        (P_BARN, 2026, "forslag", "budget", Decimal("4800000.00"), "V", "drift", 2026),
        # 2025 from the latest budget document only (Mål och budget 2026), not twice;
        # the investment line is not matched by the drift rule.
        (P_FALT, 2025, "budget", "budget", Decimal("10000000.00"), "kommunen", "drift", 2026),
        (P_FALT, 2026, "budget", "budget", Decimal("12000000.00"), "kommunen", "drift", 2026),
        (P_FALT, 2026, "forslag", "budget", Decimal("5600000.00"), "V", "drift", 2026),
        (P_FALT, 2027, "budget", "plan", Decimal("13000000.00"), "kommunen", "drift", 2026),
    ]


def test_renamed_line_maps_through_the_crosswalk(built):
    rows = built.execute(
        "select line_item, canonical_line_item, status, proposal_ids from mapping_lines"
        " where organisation = ? and budget_kind = ? and not is_org_total order by line_item",
        ["Socialnämnden", "drift"],
    ).fetchall()
    assert rows == [
        ("Barn och familj", "Barn och familj", "över 100 %", sorted([P_FALT, P_BARN])),
        ("Ekonomiskt bistånd", "Ekonomiskt bistånd", "okopplad", []),
        ("Fältassistenter", "Fältverksamhet", "kopplad", [P_FALT]),
        ("Fältverksamhet", "Fältverksamhet", "kopplad", [P_FALT]),
    ]


def test_worklist_order_and_coverage(built):
    rows = built.execute(
        "select organisation, line_item, budget_kind, amount_sek from mapping_lines"
        " where status = ? and not is_org_total order by amount_sek desc",
        ["okopplad"],
    ).fetchall()
    assert rows == [
        ("Socialnämnden", "Ekonomiskt bistånd", "drift", Decimal("300000000.00")),
        ("Socialnämnden", "Fältverksamhet", "investering", Decimal("2000000.00")),
    ]
    coverage = built.execute(
        "select total_sek, mapped_sek, round(mapped_share, 4), unmapped_lines, over_mapped_lines"
        " from mapping_coverage where doc_year = 2026 and year = 2026 and document = ? and budget_kind = ?",
        ["budget", "drift"],
    ).fetchall()
    assert coverage == [(Decimal("336000000.00"), Decimal("12000000.00"), 0.0357, 2, 0)]
    over = built.execute(
        "select over_mapped_lines, mapped_sek from mapping_coverage where document = ?", ["forslag"]
    ).fetchall()
    # The over-allocated line counts at most once in full.
    assert over == [(1, Decimal("14000000.00"))]


def test_proposals_without_money_and_file_problems(built):
    funded = built.execute(
        "select proposal_id from proposal_coverage where has_money order by proposal_id"
    ).fetchall()
    assert funded == [(P_KULTUR,), (P_BARN,), (P_FALT,)]
    total, without = built.execute(
        "select count(*), count(*) filter (where not has_money) from proposal_coverage"
    ).fetchone()
    assert without == total - 3 and total > 50
    problems = built.execute(
        "select file, problem from mapping_problems order by problem"
    ).fetchall()
    assert problems == [
        ("rules.csv", "r5: okänt förslag 'finns-inte'"),
        ("rules.csv", "rad 7: r6: match ska vara exact eller pattern, inte 'regex'"),
    ]


def test_a_line_only_the_older_document_details_still_counts(tmp_path, monkeypatch):
    """Mål och budget 2026 restates the nämnd's 2025 ram but not its verksamheter: the 2025
    line from Mål och budget 2025 funds the proposal, and the nämnd's sum is the newer ram."""
    monkeypatch.setenv("VERKSTAD_DB", str(tmp_path / "v.duckdb"))
    monkeypatch.setenv("VERKSTAD_MAPPING_DIR", str(tmp_path / "mapping"))
    cfg = load_config()
    rules = RULES.splitlines()[0] + (
        f"\nr1,Kultur- och fritidsnämnden,Fritidsgårdar,exact,,,,,,{P_KULTUR},1,,test,\n"
    )
    write_atomic(cfg.rules_file, rules.encode())
    write_atomic(cfg.crosswalk_file, CROSSWALK.encode())
    assert [r.status for r in ingest([PROGRAM], IngestOptions(config=cfg))] == ["accepted"]
    kfn = "Kultur- och fritidsnämnden"
    # fmt: off
    facts = [
        ("b25", 2025, 2025, "budget", "kommunen", "drift", None, kfn, "Fritidsgårdar", "budget", 30_000_000, "Verksamheter"),
        ("b25", 2025, 2025, "budget", "kommunen", "drift", None, kfn, "Bibliotek", "budget", 60_000_000, "Verksamheter"),
        ("b26", 2026, 2025, "budget", "kommunen", "drift", None, kfn, kfn, "budget", 95_000_000, "Ramar"),
        ("b26", 2026, 2026, "budget", "kommunen", "drift", None, kfn, "Fritidsgårdar", "budget", 31_000_000, "Verksamheter"),
        ("b26", 2026, 2026, "budget", "kommunen", "drift", None, kfn, "Bibliotek", "budget", 62_000_000, "Verksamheter"),
    ]
    # fmt: on
    with write_transaction(cfg.db_path) as con:
        insert_facts(
            con,
            COLUMNS,
            [[*fact, "test.xlsx", sheet, f"B{i + 2}"] for i, (*fact, sheet) in enumerate(facts)],
        )
        marts.build_all(con, cfg)
    con = connect_read(cfg.db_path)
    funding = con.execute(
        "select year, amount_sek from proposal_funding where proposal_id = ? order by year",
        [P_KULTUR],
    ).fetchall()
    assert funding == [(2025, Decimal("30000000.00")), (2026, Decimal("31000000.00"))]
    sums = con.execute(
        "select year, sum(amount_sek) from dash_facts where organisation = ? and is_latest"
        " and in_total group by year order by year",
        [kfn],
    ).fetchall()
    assert sums == [(2025, 95_000_000.0), (2026, 93_000_000.0)]
