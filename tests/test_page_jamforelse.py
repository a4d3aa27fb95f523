"""Jämförelse page and the statistics read functions behind it and the Förslag page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines import fmt
from pipelines.db import connect_read, write_transaction
from pipelines.ingest import IngestOptions, ingest
from pipelines.statistics import queries as q

FIXTURES = Path(__file__).parent / "fixtures" / "statistics"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def loaded(config):
    reports = ingest(
        [FIXTURES / "scb-tab4199-nettokostnad.json", FIXTURES / "kolada-v3-data.json"],
        IngestOptions(config=config),
    )
    assert [r.status for r in reports] == ["accepted", "accepted"]
    return config


def test_net_cost_per_invanare(loaded):
    con = connect_read(loaded.db_path)
    assert q.comparison_years(con) == [2024, 2023]
    assert q.kommuner_with_net_cost(con, 2024).rows() == [
        ("0182", "Nacka"),
        ("00", "Riket"),
        ("0181", "Södertälje"),
    ]
    table = q.net_cost_per_invanare(con, 2024, ["0181", "0182"])
    rows = {(r["kommunkod"], r["verksamhet"]): r for r in table.iter_rows(named=True)}
    # SCB's own per-invånare figure wins where the file has one; else net cost / invånare.
    assert (rows[("0181", "Förskola")]["kr_per_invanare"], rows[("0181", "Förskola")]["basis"]) == (
        7990.0,
        "publicerad",
    )
    assert rows[("0182", "Förskola")]["kr_per_invanare"] == 8250.0
    grund = rows[("0181", "Grundskola")]
    assert grund["kr_per_invanare"] == pytest.approx(1_521_071_000 / 103_000)
    assert (grund["basis"], grund["invanare"]) == ("beräknad", 103_000.0)
    # Nacka 2024 politisk verksamhet is missing (..): absent, not zero.
    assert ("0182", "Politisk verksamhet") not in rows
    # 2023 has no population loaded: amounts, but no per-invånare figure.
    table_2023 = q.net_cost_per_invanare(con, 2023, ["0181"])
    assert table_2023["kr_per_invanare"].null_count() == table_2023.height == 3


def test_indicators_for_proposal_trend_and_direction(config, tmp_path):
    ingest([FIXTURES / "kolada-v3-data.json"], IngestOptions(config=config))
    links = tmp_path / "links.csv"
    links.write_text(
        "proposal_id,match,kpi,kpi_title,unit,direction,why\n"
        "p-forskola,,N11102,Barn per årsarbetare,antal,lower,färre barn per anställd\n"
        ",minska barnfattigdomen,N31807,Ekonomiskt bistånd,%,lower,proxy\n",
        encoding="utf-8",
    )
    with write_transaction(config.db_path) as con:
        con.execute(
            "insert into proposal_rows (proposal_id, doc_id, section, title, text, level, kind,"
            " executing_bodies, local_bodies, kommundel_relevant, ordinal) values"
            " (?, 'd', 'Barn', ?, ?, 'kommun', 'bullet', [], [], false, 1)",
            ["p-fattig", "Särskilt fokusera", "Särskilt fokusera på att minska barnfattigdomen"],
        )
    con = connect_read(config.db_path)
    forskola = q.indicators_for_proposal(con, "p-forskola", path=links)
    assert forskola.select("year", "value", "status", "progress").rows() == [
        (2022, 5.3, None, None),
        (2023, 5.1, None, "framsteg"),
        (2024, None, "Missing", None),
    ]
    assert forskola["kpi_title"].unique().to_list() == ["Barn per årsarbetare"]
    fattig = q.indicators_for_proposal(con, "p-fattig", path=links)
    assert fattig.select("year", "value", "progress").rows() == [
        (2023, 5.8, None),
        (2024, 5.6, "framsteg"),
    ]
    assert q.indicators_for_proposal(con, "okänt", path=links).is_empty()


def test_shipped_links_file_is_valid():
    links = q.load_links()
    assert {link["kpi"] for link in links} >= {"N11102", "N31807"}


def test_demo_series_is_labelled_demo(config):
    reports = ingest(
        [ROOT / "data" / "indicators" / "demo-kpi-serier.csv"], IngestOptions(config=config)
    )
    assert reports[0].status == "accepted", reports[0].reason
    con = connect_read(config.db_path)
    assert con.execute("select distinct source, is_demo from indicators").fetchall() == [
        ("DEMO", True)
    ]


def test_page_shows_sodertalje_beside_peers(loaded):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/jamforelse.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Jämförelse"
    assert at.selectbox(key="jamforelse_ar").value == 2024
    assert at.multiselect(key="jamforelse_kommuner").value == ["0182", "00"]
    table = at.dataframe[0].value
    assert list(table.columns) == ["Verksamhet", "Södertälje", "Nacka", "Riket"]
    # Riket's folkmängd is not loaded: its column says so instead of inventing a figure.
    assert set(table["Riket"]) == {"–"}
    assert any("Folkmängd saknas för Riket 2024" in w.value for w in at.warning)
    forskola = table[table["Verksamhet"] == "Förskola"].iloc[0]
    assert (forskola["Södertälje"], forskola["Nacka"]) == (fmt.number(7990), fmt.number(8250))
    grund = table[table["Verksamhet"] == "Grundskola"].iloc[0]
    assert grund["Södertälje"] == fmt.number(1_521_071_000 / 103_000, 0)
    assert grund["Nacka"] == fmt.number(1_750_000_000 / 110_000, 0)


def test_page_without_population_falls_back_to_mnkr(loaded):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/jamforelse.py")
    at.run()
    at.selectbox(key="jamforelse_ar").set_value(2023).run()
    assert not at.exception
    assert any("Folkmängd saknas" in w.value for w in at.warning)
    table = at.dataframe[0].value
    assert list(table.columns) == ["Verksamhet", "Södertälje", "Nacka"]  # Riket only per inv.
    forskola = table[table["Verksamhet"] == "Förskola"].iloc[0]
    assert forskola["Södertälje"] == fmt.number(800.0, 1)


def _indicator_script(db_path: str, proposal_id: str) -> None:
    from pathlib import Path

    from pipelines.db import connect_read
    from pipelines.statistics.view import show_indicators

    show_indicators(connect_read(Path(db_path)), proposal_id)


def test_show_indicators_for_forslag_page(config, monkeypatch):
    ingest([ROOT / "data" / "indicators" / "demo-kpi-serier.csv"], IngestOptions(config=config))
    with write_transaction(config.db_path) as con:
        con.execute(
            "insert into proposal_rows (proposal_id, doc_id, section, title, text, level, kind,"
            " executing_bodies, local_bodies, kommundel_relevant, ordinal) values"
            " (?, 'd', 'Skola', ?, ?, 'kommun', 'bullet', [], [], false, 1)",
            [
                "p1",
                "Öka resurserna till förskolan",
                "Öka resurserna till förskolan för att öka lärartätheten och minska barngrupperna",
            ],
        )
    at = AppTest.from_function(
        _indicator_script, kwargs={"db_path": str(config.db_path), "proposal_id": "p1"}
    )
    at.run()
    assert not at.exception
    assert at.subheader[0].value == "Utfall: indikatorer"
    assert any("Demodata" in w.value for w in at.warning)
    caption = at.caption[0].value
    assert "lägre värde är framsteg. 2021–2025: 5,6 → 5,3, framsteg" in caption
    assert "Källa: DEMO" in caption


def test_forslag_page_shows_the_indicator_trend(config):
    reports = ingest(
        [ROOT / "data" / "program", ROOT / "data" / "indicators" / "demo-kpi-serier.csv"],
        IngestOptions(config=config),
    )
    assert all(r.status == "accepted" for r in reports), [r.reason for r in reports]
    con = connect_read(config.db_path)
    pid = con.execute(
        "select proposal_id from proposals where text ilike ?",
        ["%Öka resurserna till förskolan%"],
    ).fetchone()[0]
    con.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["forslag"] = pid
    at.switch_page("pages/forslag.py").run()
    assert not at.exception
    assert "Utfall: indikatorer" in [s.value for s in at.subheader]
    assert any("2021–2025: 5,6 → 5,3, framsteg" in c.value for c in at.caption)


def test_riket_per_invanare_with_kolada_population(loaded, tmp_path):
    riket = {
        "count": 1,
        "values": [
            {
                "kpi": "N01951",
                "municipality": "0000",
                "period": 2024,
                "values": [{"gender": "T", "count": 1, "status": "", "value": 10_500_000}],
            }
        ],
    }
    path = tmp_path / "kolada-riket.json"
    path.write_text(json.dumps(riket), encoding="utf-8")
    ingest([path], IngestOptions(config=loaded))
    con = connect_read(loaded.db_path)
    table = q.net_cost_per_invanare(con, 2024, ["0181", "00"])
    riket_rows = {
        r["verksamhet"]: r["kr_per_invanare"]
        for r in table.iter_rows(named=True)
        if r["kommunkod"] == "00"
    }
    # Only the verksamheter that are facts for a kommun, so the comparison is like for like.
    assert riket_rows == {
        "Politisk verksamhet": pytest.approx(9_100_000_000 / 10_500_000),
        "Förskola": pytest.approx(82_000_000_000 / 10_500_000),
        "Grundskola": pytest.approx(155_000_000_000 / 10_500_000),
    }


def test_changing_year_keeps_only_kommuner_that_year_has(config, tmp_path):
    reports = ingest(
        [FIXTURES / "scb-tab4199-nettokostnad.json", FIXTURES / "pxweb-nettokostnad.csv"],
        IngestOptions(config=config),
    )
    assert all(r.status == "accepted" for r in reports)
    path = tmp_path / "sodertalje-2022.csv"
    path.write_text(
        '"region","verksamhetsområde","Nettokostnad, tkr 2022"\n"0181 Södertälje","407 Förskola",780000\n',
        encoding="utf-8",
    )
    ingest([path], IngestOptions(config=config))  # 2022: only Södertälje reports
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/jamforelse.py")
    at.run()
    assert at.multiselect(key="jamforelse_kommuner").value == ["0182", "00"]
    at.selectbox(key="jamforelse_ar").set_value(2022).run()
    assert not at.exception
    assert at.multiselect(key="jamforelse_kommuner").value == []
    assert list(at.dataframe[0].value.columns) == ["Verksamhet", "Södertälje"]
