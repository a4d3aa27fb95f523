"""Förslag in an AppTest: chosen by URL or select box, figures equal the database's,
status editing only for a logged-in editor, and audited."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest
from test_dashboard_data import build_fixture_db

from pipelines import fmt
from pipelines.config import ROOT
from pipelines.db import connect_read

APP = str(ROOT / "app.py")


@pytest.fixture
def db(tmp_path, config, monkeypatch):
    monkeypatch.setenv("VERKSTAD_STATUS_DIR", str(tmp_path / "status"))
    return build_fixture_db(tmp_path, config)


def _open(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/forslag.py").run()
    assert not at.exception
    return at


def _metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def _funding(db, pid: str, year: int, document: str = "budget") -> float | None:
    row = (
        connect_read(db.db_path)
        .execute(
            "select sum(amount_sek) from proposal_funding where proposal_id = ? and year = ?"
            " and document = ? and measure = 'budget' and budget_kind = 'drift'"
            " and period is null and (document <> 'forslag' or actor = 'V')",
            [pid, year, document],
        )
        .fetchone()
    )
    return None if row[0] is None else float(row[0])


def test_url_chooses_the_proposal_and_figures_match(db):
    at = _open({"forslag": "p-kulturskola"})
    assert at.header[0].value == "Avgiftsfri kulturskola"
    assert any("Demodata" in w.value for w in at.warning)
    now, before = _funding(db, "p-kulturskola", 2025), _funding(db, "p-kulturskola", 2024)
    assert _metric(at, "Antagen budget 2025") == fmt.sek(now)
    fixed_before = before * 106.08 / 104  # the fixture's price index, 2025 prices
    change = now - fixed_before
    assert _metric(at, "Förändring i fasta priser") == ("+" if change > 0 else "") + fmt.sek(change)
    per = now / 102_000 - before / 100_000  # the fixture's population
    assert _metric(at, "Förändring per invånare") == f"{fmt.number(per)}\u00a0kr"
    assert _metric(at, "V:s förslag 2025") == fmt.sek(
        _funding(db, "p-kulturskola", 2025, "forslag")
    )
    lines = next(
        d.value for d in at.dataframe if "Cell" in d.value.columns and "Regel" in d.value.columns
    )
    assert ("mal-och-budget-2025.xlsx", "C13") in set(zip(lines["Fil"], lines["Cell"], strict=True))
    assert any("Fler barn deltar i kulturskolan" in m.value for m in at.markdown)


def test_select_box_changes_proposal_and_url(db):
    at = _open({"forslag": "p-kulturskola"})
    at.selectbox(key="fs_forslag").select("p-falt").run()
    assert not at.exception
    assert at.header[0].value == "Fler fältassistenter"
    assert at.query_params["forslag"] == "p-falt"
    assert _metric(at, "Antagen budget 2025") == fmt.sek(_funding(db, "p-falt", 2025))
    at.selectbox(key="fs_year").select(2024).run()
    assert _metric(at, "Antagen budget 2024") == fmt.sek(_funding(db, "p-falt", 2024))


def test_proposal_without_money_says_so(db):
    at = _open({"forslag": "p-hvb"})
    assert any("Inga budgetrader är kopplade" in i.value for i in at.info) is False
    # V proposed money, the municipality gave none: the chart still shows the party's figure
    assert _metric(at, "Antagen budget 2025") == "–"
    assert _metric(at, "V:s förslag 2025") == fmt.sek(_funding(db, "p-hvb", 2025, "forslag"))


def test_status_needs_an_editor_and_is_audited(db, editor_env, tmp_path):
    at = _open({"forslag": "p-falt"})
    assert not at.radio  # no status form for readers
    assert any("Logga in som redaktör" in c.value for c in at.caption)
    # The editor's session as pipelines.auth leaves it after a login (the sidebar form
    # itself is tested with the login; AppTest drops app.py's sidebar after st.rerun).
    name, _ = editor_env
    at.session_state["verkstad_editor"] = name
    at.run()
    assert not at.exception
    at.radio(key="fs_status").set_value("motarbetat")
    at.text_area(key="fs_note").input("=Majoriteten röstade nej")
    next(b for b in at.button if b.label == "Spara status").click()
    at.run()
    assert not at.exception
    assert any("Motarbetat" in m.value for m in at.markdown)
    csv_text = (tmp_path / "status" / "statuses.csv").read_text(encoding="utf-8")
    assert "p-falt,motarbetat,=Majoriteten röstade nej" in csv_text
    entry = json.loads((tmp_path / "status" / "audit.jsonl").read_text().splitlines()[-1])
    assert (entry["editor"], entry["proposal_id"], entry["to"]) == (name, "p-falt", "motarbetat")


def test_links_from_the_overview_open_their_proposal_every_time(db):
    at = _open({"forslag": "p-falt"})
    at.switch_page("pages/oversikt.py").run()
    at.query_params["forslag"] = "p-falt"  # the same link again, after visiting another page
    at.switch_page("pages/forslag.py").run()
    assert at.header[0].value == "Fler fältassistenter"
    at.query_params["forslag"] = "finns-inte"
    at.switch_page("pages/forslag.py").run()
    assert not at.exception
    assert any("finns inte" in w.value for w in at.warning)
