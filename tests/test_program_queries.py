"""The Program page's reads: every proposal with partners, bodies and the filters."""

from __future__ import annotations

import pytest

from pipelines.config import DATA
from pipelines.db import connect_read, write_transaction
from pipelines.ingest import IngestOptions, ingest
from pipelines.program import queries as q

PROGRAM_FILE = DATA / "program" / "handlingsprogram-2026-2030.txt"


@pytest.fixture(scope="module")
def frame(tmp_path_factory):
    from pipelines.config import load_config

    config = load_config(tmp_path_factory.mktemp("db") / "verkstad.duckdb")
    ingest([PROGRAM_FILE], IngestOptions(config=config))
    return q.proposals(connect_read(config.db_path))


def test_database_without_program_rows_gives_an_empty_frame(config):
    with write_transaction(config.db_path):
        pass
    empty = q.proposals(connect_read(config.db_path))
    assert empty.is_empty()
    assert list(empty.columns) == list(q._SCHEMA)


def test_frame_bodies_and_partners(frame):
    assert frame.height == 85
    assert frame["ordinal"].to_list() == list(range(1, 86))
    assert "Telge Inköp AB" in q.bodies(frame)
    assert len(q.bodies(frame)) == 24
    twins = frame.filter(frame["similar"].list.len() > 0)
    assert twins["proposal_id"].to_list() == twins["similar"].list.first().to_list()[::-1]


def test_filters(frame):
    def ids(**kw):
        return q.filter_proposals(frame, **kw)["title"].to_list()

    assert ids(search="Kulturskola") == [
        "Säkerställa avgiftsfri och jämlik tillgång till kultur och fritid för …",
        "Kulturskolan ska vara avgiftsfri",
    ]
    assert ids(search="kulturskola", kind="position") == ["Kulturskolan ska vara avgiftsfri"]
    # Words are all required; bodies are searched too.
    assert ids(search="telge återvinning textil") == [
        "Utveckla textilåtervinningen och säkerställ långsiktiga förutsättningar för verksamhetens fortsatta drift"
    ]
    assert ids(body="Telge Inköp AB") == [
        "Södertälje kommun ska ha huvudansvar för all omsorg och säkerställa …",
        "Södertälje kommun ska genom Telge Inköp säkerställa att alla större …",
        "Telge Inköp ska dessutom säkerställa att leverantörer följer Södertälje kommuns …",
    ]
    assert len(ids(level="stat_region")) == 11
    assert len(ids(kommundel_only=True)) == 25
    assert len(ids(body="Kommundelsnämnderna", kommundel_only=True)) == 23
    assert ids(search="finns inte någonstans") == []
    assert q.by_id(frame, "finns-inte") is None
    assert q.by_id(frame, frame["proposal_id"][0])["title"] == frame["title"][0]
