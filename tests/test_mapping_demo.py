"""The shipped rules on the demo's own budget proposals: every named satsning is mapped, and
the suggester finds each satsning's proposal in its top 3 without the rules."""

from __future__ import annotations

import pytest

from pipelines.config import ROOT, load_config
from pipelines.db import connect_read
from pipelines.demo import documents
from pipelines.demo import model as m
from pipelines.ingest import IngestOptions, ingest
from pipelines.mapping.hitrate import evaluate

PROGRAM = ROOT / "data" / "program" / "handlingsprogram-2026-2030.txt"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """The demo's V budget proposals and the program, ingested with the shipped rules."""
    tmp = tmp_path_factory.mktemp("demo_mapping")
    model = m.build_model()
    files = [documents.write_forslag(model, year, tmp / "docs").path for year in m.PROPOSAL_YEARS]
    cfg = load_config(tmp / "v.duckdb")
    assert cfg.rules_file == ROOT / "data" / "mapping" / "rules.csv"
    reports = ingest([PROGRAM, *files], IngestOptions(config=cfg, demo=True))
    assert [r.status for r in reports] == ["accepted"] * (1 + len(files))
    return cfg


def test_every_named_satsning_is_mapped_by_the_shipped_rules(demo_db):
    con = connect_read(demo_db.db_path)
    rows = con.execute(
        "select organisation, line_item, status, proposal_ids from mapping_lines"
        " where document = ? and actor = ? and not is_org_total order by 1, 2",
        ["forslag", "V"],
    ).fetchall()
    assert {(org, item) for org, item, *_ in rows} == {
        (s.organisation, s.title) for s in m.SATSNINGAR
    }
    assert [(org, item) for org, item, status, _ in rows if status != "kopplad"] == []
    assert con.execute("select count(*) from mapping_problems").fetchall() == [(0,)]
    funded = con.execute(
        "select count(distinct proposal_id) from proposal_funding where document = ?", ["forslag"]
    ).fetchall()[0][0]
    assert funded == len({pid for *_, ids in rows for pid in ids})


def test_suggester_top3_hit_rate_on_the_demo_satsningar_without_rules(demo_db):
    cases, unmapped, source = evaluate(demo_db, top=3)
    assert source == "V:s satsningar i databasen" and unmapped == []
    assert len(cases) == len(m.SATSNINGAR)
    hits = sum(c.hit for c in cases)
    print(f"top 3: {hits} of {len(cases)}")
    assert hits / len(cases) >= 0.9, [c for c in cases if not c.hit]
