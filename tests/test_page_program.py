"""The Program page renders the ingested program, filters it, and opens a shared proposal."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.config import ROOT
from pipelines.ingest import IngestOptions, ingest

PROGRAM_FILE = ROOT / "data" / "program" / "handlingsprogram-2026-2030.txt"
HOUSING = "sa-bygger-sodertalje--bygga-fler-prisvarda-hyresratter-i-varierande-former-inklusive"


@pytest.fixture
def app(config):
    (report,) = ingest([PROGRAM_FILE], IngestOptions(config=config))
    assert report.status == "accepted", report.reason
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/program.py").run()
    assert not at.exception
    return at


def _titles(at) -> list[str]:
    return [e.label for e in at.expander]


def test_lists_every_proposal_by_section(app):
    assert len(app.expander) == 85
    headers = [h.value for h in app.header]
    assert headers[:3] == [
        "Staten och regionens ansvar",
        "Så bygger vi Södertälje",
        "En grön och rättvis omställning med förnybar energi och starka ekosystem",
    ]
    assert headers[-1] == "Demokrati, politisk styrning och administration"
    assert "Visar 85 av 85 förslag och ställningstaganden." in [c.value for c in app.caption]


def test_search_and_filters_change_the_list(app):
    app.text_input(key="sok").input("kulturskola").run()
    assert not app.exception
    assert _titles(app) == [
        "Säkerställa avgiftsfri och jämlik tillgång till kultur och fritid för …",
        "Kulturskolan ska vara avgiftsfri  ·  _ställningstagande_",
    ]
    app.text_input(key="sok").input("").run()
    app.checkbox(key="kommundel").check().run()
    assert len(app.expander) == 25
    app.selectbox(key="instans").select("Telge Återvinning AB").run()
    assert not app.exception
    assert _titles(app) == [
        "Främja resurshushållning, källsortering och återbruk med fokus på cirkulära flöden",
        "Säkerställa att tjänsterna för återvinning och återbruk blir tillgängliga i …",
    ]
    app.checkbox(key="kommundel").uncheck().run()
    app.selectbox(key="instans").select("").run()
    app.selectbox(key="niva").select("stat_region").run()
    assert len(app.expander) == 11
    assert all("staten/regionen" in t for t in _titles(app))


def test_shared_link_opens_the_proposal(config):
    (report,) = ingest([PROGRAM_FILE], IngestOptions(config=config))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["forslag"] = HOUSING
    at.switch_page("pages/program.py").run()
    assert not at.exception
    assert [s.value for s in at.subheader][
        0
    ] == "Bygga fler prisvärda hyresrätter i varierande former"
    opened = [e for e in at.expander if e.proto.expanded]
    assert [e.label for e in opened] == ["Bygga fler prisvärda hyresrätter i varierande former"]
    texts = [m.value for m in at.markdown]
    assert (
        "**Verkställer och samordnar:** Kommunstyrelsen, Telge AB, Stadsbyggnadsnämnden, "
        "Telge Bostäder AB" in texts
    )
    at.button(key="stang_delad").click().run()
    assert "forslag" not in at.query_params
    assert not [e for e in at.expander if e.proto.expanded]


def test_near_duplicates_are_flagged_on_the_page(app):
    app.text_input(key="sok").input("hälso- och sjukvård").run()
    assert len(app.expander) == 2
    warnings = [w.value for w in app.warning]
    assert len(warnings) == 2
    assert all(
        w.startswith("Nästan likadan som förslaget ”En jämlik och tillgänglig") for w in warnings
    )
