"""End to end: small workbooks built in tmp_path → ingest → whole rows of facts."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from pipelines.db import connect_read
from pipelines.ingest import IngestOptions, ingest


def run(config, *paths, **kw):
    return ingest(list(paths), IngestOptions(config=config, **kw))


def facts(config):
    """Every fact as a whole row, in sheet and cell order."""
    return query(
        config,
        "select doc_year, year, document, actor, budget_kind, period, organisation, line_item,"
        " measure, amount_sek, source_file, source_sheet, source_cell from facts"
        " order by source_sheet, regexp_extract(source_cell, '[A-Z]+'),"
        " cast(regexp_extract(source_cell, '[0-9]+') as integer)",
    )


def query(config, sql, params=()):
    con = connect_read(config.db_path)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def D(x) -> Decimal:  # noqa: N802
    return Decimal(str(x)).quantize(Decimal("0.01"))


def save(tmp_path, name, rows, title="Blad1", merges=(), cells=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for rng in merges:
        ws.merge_cells(rng)
    for ref, value in (cells or {}).items():
        ws[ref] = value
    path = tmp_path / name
    wb.save(path)
    return path


BUDGET_ROWS = [
    ["Mål och budget 2026 med plan 2027–2028"],
    ["Belopp i mnkr"],
    [],
    ["Nämnd", "Bokslut 2024", "Budget 2025", "Budget 2026", "Plan 2027"],
    ["Kommunstyrelsen", 250.5, 260, "265,0", 270],
    ["Utbildningsnämnden", 3100, 3200, "3 300,5", 3400],
    ["Kultur- och fritidsnämnden", 180, 185, 190, "–"],
    ["Summa verksamhetens nettokostnad", 3530.5, 3645, 3755.5, 3670],
    ["Skatteintäkter", -4000, -4100, -4200, -4300],
    ["Årets resultat", 100, 100, 100, 100],
]


def test_plain_budget_workbook(tmp_path, config):
    path = save(tmp_path, "mob.xlsx", BUDGET_ROWS, title="Drift")
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    assert (report.document, report.doc_year, report.facts) == ("budget", 2026, 12)
    f = "mob.xlsx"
    base = (2026,)
    rows = facts(config)
    expected = [
        (*base, 2024, "budget", "kommunen", "drift", None, "Kommunstyrelsen", "Kommunstyrelsen", "utfall", D(250_500_000), f, "Drift", "B5"),
        (*base, 2024, "budget", "kommunen", "drift", None, "Utbildningsnämnden", "Utbildningsnämnden", "utfall", D(3_100_000_000), f, "Drift", "B6"),
        (*base, 2024, "budget", "kommunen", "drift", None, "Kultur- och fritidsnämnden", "Kultur- och fritidsnämnden", "utfall", D(180_000_000), f, "Drift", "B7"),
        (*base, 2025, "budget", "kommunen", "drift", None, "Kommunstyrelsen", "Kommunstyrelsen", "budget", D(260_000_000), f, "Drift", "C5"),
        (*base, 2025, "budget", "kommunen", "drift", None, "Utbildningsnämnden", "Utbildningsnämnden", "budget", D(3_200_000_000), f, "Drift", "C6"),
        (*base, 2025, "budget", "kommunen", "drift", None, "Kultur- och fritidsnämnden", "Kultur- och fritidsnämnden", "budget", D(185_000_000), f, "Drift", "C7"),
        (*base, 2026, "budget", "kommunen", "drift", None, "Kommunstyrelsen", "Kommunstyrelsen", "budget", D(265_000_000), f, "Drift", "D5"),
        (*base, 2026, "budget", "kommunen", "drift", None, "Utbildningsnämnden", "Utbildningsnämnden", "budget", D(3_300_500_000), f, "Drift", "D6"),
        (*base, 2026, "budget", "kommunen", "drift", None, "Kultur- och fritidsnämnden", "Kultur- och fritidsnämnden", "budget", D(190_000_000), f, "Drift", "D7"),
        (*base, 2027, "budget", "kommunen", "drift", None, "Kommunstyrelsen", "Kommunstyrelsen", "plan", D(270_000_000), f, "Drift", "E5"),
        (*base, 2027, "budget", "kommunen", "drift", None, "Utbildningsnämnden", "Utbildningsnämnden", "plan", D(3_400_000_000), f, "Drift", "E6"),
        (*base, 2027, "budget", "kommunen", "drift", None, "Kultur- och fritidsnämnden", "Kultur- och fritidsnämnden", "plan", D(0), f, "Drift", "E7"),
    ]  # fmt: skip
    assert rows == expected
    recon = query(
        config,
        "select total_label, total_cell, measure, year, expected_sek, computed_sek, status"
        " from table_reconciliations order by total_cell",
    )
    assert recon == [
        ("Summa verksamhetens nettokostnad", "B8", "utfall", 2024, D(3_530_500_000), D(3_530_500_000), "ok"),
        ("Summa verksamhetens nettokostnad", "C8", "budget", 2025, D(3_645_000_000), D(3_645_000_000), "ok"),
        ("Summa verksamhetens nettokostnad", "D8", "budget", 2026, D(3_755_500_000), D(3_755_500_000), "ok"),
        ("Summa verksamhetens nettokostnad", "E8", "plan", 2027, D(3_670_000_000), D(3_670_000_000), "ok"),
    ]  # fmt: skip
    assert "4 av 4 summor stämmer på kronan" in report.details["avstämning"]
    assert any("Skatteintäkter" in m for m in report.messages)


def test_same_file_twice_is_already_loaded(tmp_path, config):
    path = save(tmp_path, "mob.xlsx", BUDGET_ROWS)
    run(config, path)
    (again,) = run(config, path)
    assert again.status == "already loaded"
    assert len(facts(config)) == 12


def test_new_version_replaces_old_facts(tmp_path, config):
    run(config, save(tmp_path, "mob-v1.xlsx", BUDGET_ROWS))
    changed = [list(r) for r in BUDGET_ROWS]
    changed[4][3] = 266  # Kommunstyrelsen budget 2026 revised
    changed[7][3] = 3756.5
    (report,) = run(config, save(tmp_path, "mob-v2.xlsx", changed))
    assert report.status == "accepted"
    assert any("ersätter tidigare version 'mob-v1.xlsx'" in m for m in report.messages)
    rows = [r for r in facts(config) if r[1] == 2026 and r[6] == "Kommunstyrelsen"]
    assert rows == [
        (2026, 2026, "budget", "kommunen", "drift", None, "Kommunstyrelsen", "Kommunstyrelsen",
         "budget", D(266_000_000), "mob-v2.xlsx", "Blad1", "D5"),
    ]  # fmt: skip
    assert len(facts(config)) == 12


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("inte.xlsx", b"hello, this is text", "inte en"),
        ("trasig.xlsx", b"PK\x03\x04" + b"\x00" * 200, "zip"),
        ("krypterad.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
         + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 600, "lösenordsskyddad"),
    ],
)  # fmt: skip
def test_bad_files_are_rejected_without_damage(tmp_path, config, name, content, reason):
    run(config, save(tmp_path, "mob.xlsx", BUDGET_ROWS))
    bad = tmp_path / name
    bad.write_bytes(content)
    (report,) = run(config, bad)
    assert report.status == "rejected"
    assert name in report.reason and reason in report.reason
    assert len(facts(config)) == 12


def test_empty_workbook_and_no_table(tmp_path, config):
    empty = save(tmp_path, "tom.xlsx", [])
    notes = save(tmp_path, "anteckningar.xlsx", [["Minnesanteckningar"], ["Inget att se här"]])
    reports = run(config, empty, notes)
    assert [r.status for r in reports] == ["rejected", "rejected"]
    assert "tom" in reports[0].reason
    assert "ingen tabell" in reports[1].reason and "blad 'Blad1'" in reports[1].reason


def test_cli_json_report_and_exit_codes(tmp_path, config):
    import json

    from click.testing import CliRunner

    from pipelines.cli import cli

    good = save(tmp_path, "mob.xlsx", BUDGET_ROWS, title="Drift")
    bad = tmp_path / "trasig.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["ingest", str(good), str(bad), "--db", str(config.db_path), "--json"]
    )
    assert result.exit_code == 1
    reports = json.loads(result.stdout[result.stdout.index("[") :])
    accepted, rejected = reports
    assert (accepted["status"], accepted["document"], accepted["doc_year"], accepted["facts"]) == (
        "accepted",
        "budget",
        2026,
        12,
    )
    assert accepted["details"]["tabeller"] == ["Drift!A4:E10 (drift, 12 fakta)"]
    assert accepted["details"]["enheter"] == ["mnkr"]
    table = accepted["details"]["_tabeller"][0]
    assert table["kolumner"]["E4"]["noll (streck)"] == 1
    assert (rejected["status"], rejected["file"]) == ("rejected", "trasig.xlsx")
    assert "trasig.xlsx" in rejected["reason"]
    again = runner.invoke(cli, ["ingest", str(good), "--db", str(config.db_path)])
    assert again.exit_code == 0
    assert "SKIPPED   mob.xlsx: redan inläst" in again.stdout


def test_odd_tables_are_rejected_with_a_reason_not_a_crash(tmp_path, config):
    absurd = save(tmp_path, "orimlig.xlsx", [["Nämnd", "Budget 2026"], ["UN", 1e300]])
    no_labels = save(tmp_path, "utan-namn.xlsx", [["Budget 2026", "Plan 2027"], [1, 2]])
    only_totals = save(tmp_path, "summor.xlsx", [["Nämnd", "Budget 2026"], ["Summa", 10]])
    reports = run(config, absurd, no_labels, only_totals)
    assert [r.status for r in reports] == ["rejected"] * 3
    assert all("kunde inte läsas" not in r.reason for r in reports), [r.reason for r in reports]
    assert "orimliga belopp" in reports[0].reason and "B2" in reports[0].reason
    assert all("inga belopp kunde läsas" in r.reason for r in reports)
    assert facts(config) == []


def write_ods(path, rows) -> None:
    """A minimal OpenDocument spreadsheet, written by hand (no ODS writer is installed)."""
    import zipfile
    from xml.sax.saxutils import escape

    def cell(v):
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{v}">'
                f"<text:p>{v}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p>'
            "</table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows
    )
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
        'office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="Drift">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)


def test_ods_workbook(tmp_path, config):
    path = tmp_path / "budget-2026.ods"
    write_ods(
        path,
        [
            ["Mål och budget 2026, tkr"],
            ["Nämnd", "Budget 2026"],
            ["Miljönämnden", 100],
            ["Valnämnden", "1 234,5"],
            ["Summa", 1334.5],
        ],
    )
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f = "budget-2026.ods"
    common = (2026, 2026, "budget", "kommunen", "drift", None)
    assert facts(config) == [
        (*common, "Miljönämnden", "Miljönämnden", "budget", D(100_000), f, "Drift", "B3"),
        (*common, "Valnämnden", "Valnämnden", "budget", D(1_234_500), f, "Drift", "B4"),
    ]
    assert "1 av 1 summor stämmer på kronan" in report.details["avstämning"]


def test_marts_are_rebuilt_when_a_file_they_read_is_loaded(config, tmp_path, monkeypatch):
    """A budget file rebuilds the marts; supplier payments (which no mart reads) do not,
    once the marts exist; a database without marts gets them whatever was loaded."""
    from pipelines import marts
    from pipelines.payments.demo import payments_frame, write_csv

    rebuilt = []
    real = marts.build_all
    monkeypatch.setattr(marts, "build_all", lambda con, cfg: (rebuilt.append(1), real(con, cfg)))
    payments = tmp_path / "leverantorsbetalningar-2025.csv"
    write_csv(payments_frame(2025, rows=50, seed=3, budget={"Socialnämnden": 1e8}), payments)
    budget = tmp_path / "budget-2026.xlsx"
    wb = openpyxl.Workbook()
    for row in [["Mål och budget 2026"], ["Belopp i mnkr"], ["Nämnd", "Budget 2026"],
                ["Socialnämnden", 900], ["Summa", 900]]:  # fmt: skip
        wb.active.append(row)
    wb.save(budget)

    assert [r.status for r in run(config, payments)] == ["accepted"]
    assert len(rebuilt) == 1  # no marts yet: built
    assert [r.status for r in run(config, budget)] == ["accepted"]
    assert len(rebuilt) == 2
    before = query(config, "select count(*) from dash_facts")
    other = tmp_path / "leverantorsbetalningar-2024.csv"
    write_csv(payments_frame(2024, rows=50, seed=4, budget={"Socialnämnden": 1e8}), other)
    assert [r.status for r in run(config, other)] == ["accepted"]
    assert len(rebuilt) == 2  # payments only: the marts stand as they were
    assert query(config, "select count(*) from dash_facts") == before
