"""Importera: uploads are checked, previewed on a copy (nothing written), then loaded."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from streamlit.testing.v1 import AppTest

from pipelines.config import ROOT
from pipelines.db import connect_read
from pipelines.sources.upload import Upload, check_uploads, load, preview, safe_name

APP = str(ROOT / "app.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Drift"
    for row in [
        ["Mål och budget 2026"],
        ["Belopp i tkr"],
        ["Nämnd", "Budget 2026"],
        ["Miljönämnden", 1200],
        ["Tekniska nämnden", 3400],
        ["Summa", 4600],
    ]:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def fact_rows(config):
    if not config.db_path.exists():
        return []
    con = connect_read(config.db_path)
    try:
        return con.execute(
            "select organisation, year, measure, amount_sek, source_file, source_cell"
            " from facts order by source_cell"
        ).fetchall()
    finally:
        con.close()


def test_safe_name_never_leaves_the_folder():
    assert safe_name("../../etc/passwd.xlsx", 0) == "passwd.xlsx"
    assert safe_name("C:\\Users\\x\\Budget 2026.xlsx", 0) == "Budget 2026.xlsx"
    assert safe_name(".hidden.csv", 1) == "hidden.csv"
    assert safe_name("evil.sh", 2) == "uppladdning-3.bin"
    assert safe_name("", 0) == "uppladdning-1.bin"


def test_check_uploads_refuses_type_size_and_empty(config):
    big = Upload("stor.xlsx", b"x" * (config.limits.max_file_bytes + 1))
    problems = check_uploads([Upload("a.exe", b"MZ"), big, Upload("tom.csv", b"")], config)
    assert any("a.exe" in p for p in problems)
    assert any("stor.xlsx" in p and "gränsen" in p for p in problems)
    assert any("tom.csv" in p and "tom" in p for p in problems)


def test_preview_writes_nothing_and_load_gives_the_same_report(config):
    uploads = [Upload("budget-2026.xlsx", workbook_bytes())]
    (seen,) = preview(uploads, config)
    assert seen.status == "accepted", seen.reason
    assert (seen.document, seen.doc_year, seen.facts) == ("budget", 2026, 2)
    assert fact_rows(config) == []
    (done,) = load(uploads, config)
    assert (done.status, done.facts, done.details["avstämning"]) == (
        "accepted",
        2,
        seen.details["avstämning"],
    )
    assert fact_rows(config) == [
        ("Miljönämnden", 2026, "budget", Decimal("1200000.00"), "budget-2026.xlsx", "B4"),
        ("Tekniska nämnden", 2026, "budget", Decimal("3400000.00"), "budget-2026.xlsx", "B5"),
    ]


def test_page_needs_login(config, editor_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/importera.py").run()
    assert not at.exception
    assert any("Logga in som redaktör" in i.value for i in at.info)
    assert len(at.get("file_uploader")) == 0


def test_page_upload_preview_confirm(config, editor_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    # the editor's session as pipelines.auth leaves it after a login (the sidebar form is
    # tested with pipelines.auth; AppTest drops app.py's sidebar after st.rerun)
    at.session_state["verkstad_editor"] = editor_env[0]
    at.switch_page("pages/importera.py").run()
    assert not at.exception
    (uploader,) = at.get("file_uploader")
    uploader.set_value(("budget-2026.xlsx", workbook_bytes(), XLSX))
    at.run()
    at.button(key="importera_forhandsgranska").click().run()
    assert not at.exception
    assert any("ACCEPTED  budget-2026.xlsx: budget 2026, 2 rader" in s.value for s in at.success)
    assert fact_rows(config) == []
    at.button(key="importera_bekrafta").click().run()
    assert not at.exception
    assert [r[0] for r in fact_rows(config)] == ["Miljönämnden", "Tekniska nämnden"]
