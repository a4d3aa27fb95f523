"""`verkstad ingest` on the program fills the proposals contract view and its companions."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from pipelines.cli import cli
from pipelines.config import DATA
from pipelines.db import connect_read

PROGRAM_FILE = DATA / "program" / "handlingsprogram-2026-2030.txt"
HOUSING = "sa-bygger-sodertalje--bygga-fler-prisvarda-hyresratter-i-varierande-former-inklusive"


def _ingest(*args: str):
    return CliRunner().invoke(cli, ["ingest", *args], catch_exceptions=False)


def test_ingest_fills_proposals(config):
    result = _ingest(str(PROGRAM_FILE), "--db", str(config.db_path), "--json")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.output)
    assert (report["status"], report["importer"], report["document"], report["facts"]) == (
        "accepted",
        "program",
        "program",
        85,
    )
    assert report["details"] == {
        "förslag": 85,
        "punkter": 60,
        "punkter kommun": 49,
        "punkter stat och region": 11,
        "ställningstaganden": 25,
        "nämner Kommundelsnämnderna": 23,
        "berör kommundelarna": 25,
        "nästan dubbletter": 1,
        "okända instanser": 0,
        "period": "2026–2030",
    }
    assert len(report["messages"]) == 1
    assert report["messages"][0].startswith("Nästan likadana förslag (likhet 92)")

    con = connect_read(config.db_path)
    row = con.execute(
        "select proposal_id, section, title, text, level, decision_body, executing_bodies,"
        " local_bodies, kommundel_relevant from proposals where proposal_id = ?",
        [HOUSING],
    ).fetchone()
    assert row == (
        HOUSING,
        "Så bygger vi Södertälje",
        "Bygga fler prisvärda hyresrätter i varierande former",
        "Bygga fler prisvärda hyresrätter i varierande former, inklusive radhus och småhus.",
        "kommun",
        "Kommunfullmäktige",
        ["Kommunstyrelsen", "Telge AB", "Stadsbyggnadsnämnden", "Telge Bostäder AB"],
        ["Kommundelsnämnderna"],
        True,
    )
    assert con.execute(
        "select level, count(*) from proposals group by level order by level"
    ).fetchall() == [("kommun", 74), ("stat_region", 11)]
    assert con.execute(
        "select body, role, known from proposal_bodies where proposal_id = ? order by ordinal",
        [HOUSING],
    ).fetchall() == [
        ("Kommunfullmäktige", "decision", True),
        ("Kommunstyrelsen", "executing", True),
        ("Telge AB", "executing", True),
        ("Stadsbyggnadsnämnden", "executing", True),
        ("Telge Bostäder AB", "executing", True),
        ("Kommundelsnämnderna", "local", True),
    ]
    assert con.execute(
        "select count(distinct proposal_id) from proposal_bodies where body = ?",
        ["Kommundelsnämnderna"],
    ).fetchone() == (23,)
    assert con.execute(
        "select proposal_id, body from proposal_bodies where role = 'mentioned' order by all"
    ).fetchall() == [
        (
            "demokrati-politisk-styrning--lokaler--lokaler-for-kommunens-verksamheter-ska-i-huvudsak-agas",
            "Telge Fastigheter AB",
        ),
        (
            "demokrati-politisk-styrning--upphandlingar--sodertalje-kommun-ska-genom-telge-inkop-sakerstalla-att",
            "Telge Inköp AB",
        ),
        (
            "demokrati-politisk-styrning--upphandlingar--telge-inkop-ska-dessutom-sakerstalla-att-leverantorer-foljer",
            "Telge Inköp AB",
        ),
    ]
    (pair,) = con.execute("select * from proposal_near_duplicates").fetchall()
    assert pair[0].endswith("efter-behov-inte") and pair[1].endswith("skattefinansierad")


def test_new_version_replaces_old_and_reports_unknown_bodies(config, tmp_path):
    db = str(config.db_path)
    assert _ingest(str(PROGRAM_FILE), "--db", db).exit_code == 0
    assert "already loaded" in _ingest(str(PROGRAM_FILE), "--db", db).output

    text = PROGRAM_FILE.read_text(encoding="utf-8")
    old = "Kommunstyrelsen, Telge AB, Stadsbyggnadsnämnden, Telge Bostäder"
    assert text.count(old) == 1
    revised = tmp_path / "handlingsprogram-reviderat.txt"
    revised.write_text(
        text.replace(old, "Kommunstyrelsen, Bostadsnämnden, Telge Bostäder").replace(
            "• Utveckla textilåtervinningen", "Utveckla textilåtervinningen"
        ),
        encoding="utf-8",
    )
    result = _ingest(str(revised), "--db", db)
    assert result.exit_code == 0, result.output
    assert "ACCEPTED  handlingsprogram-reviderat.txt: program 2026, 84 rader" in result.output
    assert "Okänd instans 'Bostadsnämnden' i 1 förslag" in result.output

    con = connect_read(config.db_path)
    assert con.execute("select count(*) from proposals").fetchone() == (84,)
    assert con.execute(
        "select executing_bodies from proposals where proposal_id = ?", [HOUSING]
    ).fetchone() == (["Kommunstyrelsen", "Bostadsnämnden", "Telge Bostäder AB"],)
    assert con.execute(
        "select body, known from proposal_bodies where proposal_id = ? and role = 'executing'",
        [HOUSING],
    ).fetchall() == [
        ("Kommunstyrelsen", True),
        ("Bostadsnämnden", False),
        ("Telge Bostäder AB", True),
    ]
    # 238 rows before (235 from brackets, 3 bodies named in positions), less the dropped
    # bullet's 3 and one body fewer in the revised bracket
    assert con.execute("select count(*) from proposal_bodies").fetchone() == (234,)
    assert con.execute("select count(distinct doc_id) from proposal_rows").fetchone() == (1,)


def test_folder_with_the_program_and_unreadable_pdf(config, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PROGRAM_FILE, folder / PROGRAM_FILE.name)
    result = _ingest(str(folder), "--db", str(config.db_path), "--kind", "program")
    assert result.exit_code == 0, result.output
    bad = tmp_path / "program.pdf"
    bad.write_bytes(b"%PDF-1.4 trasig")
    result = _ingest(str(bad), "--db", str(config.db_path), "--kind", "program")
    assert result.exit_code == 1
    assert "REJECTED" in result.output
    con = connect_read(config.db_path)
    assert con.execute("select count(*) from proposals").fetchone() == (85,)
