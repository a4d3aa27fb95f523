"""`verkstad fetch scb|kolada` against recorded responses; nothing here touches the network."""

from __future__ import annotations

import json
import urllib.error
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipelines.db import connect_read
from pipelines.statistics import fetch

FIXTURES = Path(__file__).parent / "fixtures" / "statistics"


class Recorder:
    """Stands in for http_get: answers from recorded files and remembers the URLs asked."""

    def __init__(self, answers):
        self.answers, self.urls = answers, []

    def __call__(self, url, timeout, max_bytes):
        self.urls.append(url)
        for prefix, body in self.answers:
            if url.startswith(prefix):
                return body
        raise AssertionError(f"unexpected URL {url}")


def test_fetch_scb_saves_the_response_and_ingests_it(config, tmp_path, monkeypatch):
    body = (FIXTURES / "scb-tab4199-nettokostnad.json").read_bytes()
    recorder = Recorder([(fetch.SCB_API, body)])
    monkeypatch.setattr(fetch, "http_get", recorder)
    out = tmp_path / "hamtat"
    result = CliRunner().invoke(
        fetch.fetch_command,
        [
            "scb",
            "--kommun",
            "0181,0182",
            "--ar",
            "2023,2024",
            "--ut",
            str(out),
            "--db",
            str(config.db_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert recorder.urls == [
        f"{fetch.SCB_API}/tables/TAB4199/data?lang=sv&outputformat=json-stat2"
        "&valuecodes[Region]=0181,0182&valuecodes[Verksomrkom]=*"
        "&valuecodes[ContentsCode]=*&valuecodes[Tid]=2023,2024"
    ]
    saved = list(out.glob("scb-TAB4199-0181-0182-*.json"))
    assert len(saved) == 1 and saved[0].read_bytes() == body
    assert "ACCEPTED" in result.output
    con = connect_read(config.db_path)
    assert con.execute("select count(*) from facts").fetchone()[0] == 11
    # The retrieval date comes from the file name fetch wrote.
    retrieved = con.execute("select distinct retrieved from stat_rows").fetchone()[0]
    assert retrieved.isoformat() in saved[0].name


def test_fetch_kolada_follows_pages_and_stores_titles(config, tmp_path, monkeypatch):
    data = json.loads((FIXTURES / "kolada-v3-data.json").read_text(encoding="utf-8"))
    first = dict(data, values=data["values"][:3], next_url="https://kolada.test/page2")
    second = dict(data, values=data["values"][3:], next_url=None)
    meta = {
        "count": 1,
        "values": [
            {
                "id": "N11102",
                "title": "Inskrivna barn per årsarbetare i förskolan, antal",
                "is_divided_by_gender": 0,
                "operating_area": "Förskola",
            }
        ],
    }
    recorder = Recorder(
        [
            (f"{fetch.KOLADA_API}/data/", json.dumps(first).encode()),
            ("https://kolada.test/page2", json.dumps(second).encode()),
            (f"{fetch.KOLADA_API}/kpi/", json.dumps(meta).encode()),
        ]
    )
    monkeypatch.setattr(fetch, "http_get", recorder)
    result = CliRunner().invoke(
        fetch.fetch_command,
        [
            "kolada",
            "--kpi",
            "N11102,N31807",
            "--kommun",
            "0181",
            "--ar",
            "2023,2024",
            "--ut",
            str(tmp_path),
            "--db",
            str(config.db_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert recorder.urls[0] == (
        f"{fetch.KOLADA_API}/data/kpi/N11102,N31807/municipality/0181/year/2023,2024?per_page=5000"
    )
    assert len(recorder.urls) == 3
    con = connect_read(config.db_path)
    assert con.execute("select count(*) from indicators").fetchone()[0] == 14
    assert con.execute(
        "select distinct kpi_title from indicators where kpi = 'N11102'"
    ).fetchall() == [("Inskrivna barn per årsarbetare i förskolan, antal",)]


def test_fetch_without_network_says_so(config, tmp_path, monkeypatch):
    def offline(request, timeout):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(fetch.urllib.request, "urlopen", offline)
    result = CliRunner().invoke(
        fetch.fetch_command, ["scb", "--ut", str(tmp_path), "--db", str(config.db_path)]
    )
    assert result.exit_code == 1
    assert "Kunde inte nå statistikdatabasen.scb.se" in result.output
    assert not list(tmp_path.iterdir())
    assert not config.db_path.exists()


def test_fetch_rejects_bad_codes(config):
    result = CliRunner().invoke(
        fetch.fetch_command, ["kolada", "--kpi", "N1; rm", "--db", str(config.db_path)]
    )
    assert result.exit_code == 2
    assert "ingen giltig KPI-id" in result.output


def test_http_get_passes_a_timeout(monkeypatch):
    seen = {}

    class Response:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, n):
            return b"{}"

    def fake(request, timeout):
        seen["timeout"], seen["url"] = timeout, request.full_url
        return Response()

    monkeypatch.setattr(fetch.urllib.request, "urlopen", fake)
    assert fetch.http_get("https://example.test/x", 7.5, 100) == b"{}"
    assert seen == {"timeout": 7.5, "url": "https://example.test/x"}
    with pytest.raises(fetch.FetchError, match="större än"):
        fetch.http_get("https://example.test/x", 7.5, 1)


def test_fetch_kommuner_fills_the_kommuner_table(config, tmp_path, monkeypatch):
    listing = {
        "count": 3,
        "values": [
            {"id": "0181", "title": "Södertälje", "type": "K"},
            {"id": "0182", "title": "Nacka", "type": "K"},
            {"id": "0001", "title": "Region Stockholm", "type": "L"},
        ],
    }
    recorder = Recorder([(f"{fetch.KOLADA_API}/municipality", json.dumps(listing).encode())])
    monkeypatch.setattr(fetch, "http_get", recorder)
    result = CliRunner().invoke(
        fetch.fetch_command, ["kommuner", "--ut", str(tmp_path), "--db", str(config.db_path)]
    )
    assert result.exit_code == 0, result.output
    con = connect_read(config.db_path)
    assert con.execute(
        "select kommunkod, name, organisation, name_source from kommuner order by 1"
    ).fetchall() == [
        ("0181", "Södertälje", "Södertälje kommun", "kommuner.csv"),
        ("0182", "Nacka", "Nacka kommun", "Kolada"),
    ]


def test_fetch_kolada_with_no_values_says_so(config, tmp_path, monkeypatch):
    empty = json.dumps({"count": 0, "values": []}).encode()
    monkeypatch.setattr(fetch, "http_get", Recorder([(fetch.KOLADA_API, empty)]))
    result = CliRunner().invoke(
        fetch.fetch_command,
        ["kolada", "--kpi", "N01951", "--ut", str(tmp_path), "--db", str(config.db_path)],
    )
    assert result.exit_code == 1
    assert "inga värden" in result.output
