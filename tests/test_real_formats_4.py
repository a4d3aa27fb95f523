"""Still more workbooks as kommuner publish them: Excel error values (#REF!, #DIV/0!, #N/A)
left in the amounts by a broken formula, and a year given only in the sheet's or the file's
name.

Each test builds one such workbook in tmp_path, loads it through `ingest` and checks whole
fact rows, the reconciliation of every total and what the report says.
"""

from __future__ import annotations

import re
import zipfile

from test_real_formats import assert_nothing_twice, facts, reconciliations
from test_sources_layouts import D, book, run


def with_formulas(path, formulas: dict[str, str]):
    """Give cells of the first sheet the formula Excel saved beside their value (openpyxl
    writes an error value without one: Excel writes both, `<f>…</f><v>#REF!</v>`)."""
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        members = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    xml = members[part].decode()
    for ref, formula in formulas.items():
        xml, n = re.subn(
            rf'(<c r="{ref}"[^>]*>)(<v>)', rf"\g<1><f>{formula}</f>\g<2>", xml, count=1
        )
        assert n == 1, ref
    members[part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_error_values_are_named_not_counted_as_empty(tmp_path, config):
    """A budget whose formulas broke when a sheet was removed: #REF! and #N/A among the
    amounts (Excel saves them as error cells, calamine reads them as empty). They are named
    in the report with their cell and error, never stored; the total over a #REF! line and
    a total that is itself #DIV/0! are reported as not checked, not as differences or ok."""
    rows = [
        ["Mål och budget 2026"],
        ["Driftbudget per nämnd (tkr)"],
        ["Nämnd", "Budget 2026", "Plan 2027"],
        ["Kommunstyrelsen", 1000, 1100],
        ["Utbildningsnämnden", "#REF!", 2100],
        ["Socialnämnden", 500, "#N/A"],
        ["Summa nämnder", 3500, "#DIV/0!"],
    ]
    path = book(tmp_path, "budget-2026.xlsx", {"Drift": rows})
    with_formulas(
        path, {"B5": "#REF!+Underlag!C7", "C6": "VLOOKUP(A6,Ramar!A:C,3,0)", "C7": "C4/0"}
    )
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "budget-2026.xlsx", "Drift"
    c = (2026, 2026, "budget", "kommunen", "drift", None)
    ks, sn = "Kommunstyrelsen", "Socialnämnden"
    assert facts(config) == [
        (*c, ks, ks, "budget", D(1_000_000), f, s, "B4"),
        (*c, sn, sn, "budget", D(500_000), f, s, "B6"),
        (2026, 2027, "budget", "kommunen", "drift", None, ks, ks, "plan", D(1_100_000), f, s, "C4"),
        (2026, 2027, "budget", "kommunen", "drift", None, "Utbildningsnämnden",
         "Utbildningsnämnden", "plan", D(2_100_000), f, s, "C5"),
    ]  # fmt: skip
    assert reconciliations(config) == [
        ("Summa nämnder", "B7", "budget", 2026, None, D(3_500_000), D(1_500_000),
         "ej kontrollerad"),
        ("Summa nämnder", "C7", "plan", 2027, None, None, D(3_200_000), "ej kontrollerad"),
    ]  # fmt: skip
    assert (
        "blad 'Drift': 3 celler med felvärde från Excel lästes inte som belopp (rätta "
        "formeln i arbetsboken): B5 '#REF!', C6 '#N/A', C7 '#DIV/0!'"
    ) in report.messages
    assert (
        "summan 'Summa nämnder' (Drift!B7, budget 2026) kunde inte kontrolleras: "
        "1 post under den har felvärde"
    ) in report.messages
    assert (
        "summan 'Summa nämnder' (Drift!C7, plan 2027) kunde inte kontrolleras: "
        "summan har felvärdet #DIV/0!"
    ) in report.messages
    assert report.details["avstämning"] == (
        "0 av 2 summor stämmer på kronan, 2 kunde inte kontrolleras (felvärden)"
    )
    assert report.details["celler"] == (
        "4 tal (varav 0 noll), 0 streck lästa som 0, 0 tomma (saknas), 0 text (saknas), "
        "2 felvärden från Excel (saknas): felvärden Drift!B5 '#REF!', Drift!C6 '#N/A'"
    )
    assert_nothing_twice(config)
