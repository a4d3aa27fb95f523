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


def test_year_only_in_the_sheet_name(tmp_path, config):
    """ "Budget | Plan år 2 | Plan år 3" on a sheet named "MoB 2026", in a file whose name
    and titles give no year: the sheet's name gives the budget year and the plan years
    follow it (it used to be refused with "ange --year")."""
    rows = [
        ["Driftbudget per nämnd, tkr"],
        ["Nämnd", "Budget", "Plan år 2", "Plan år 3"],
        ["Kommunstyrelsen", 1000, 1020, 1040],
        ["Socialnämnden", 500, 510, 520],
        ["Summa", 1500, 1530, 1560],
    ]
    (report,) = run(config, book(tmp_path, "driftbudget.xlsx", {"MoB 2026": rows}))
    assert report.status == "accepted", report.reason
    assert (report.document, report.doc_year) == ("budget", 2026)
    f, s = "driftbudget.xlsx", "MoB 2026"
    ks, sn = "Kommunstyrelsen", "Socialnämnden"
    c = ("budget", "kommunen", "drift", None)
    assert facts(config) == [
        (2026, 2026, *c, ks, ks, "budget", D(1_000_000), f, s, "B3"),
        (2026, 2026, *c, sn, sn, "budget", D(500_000), f, s, "B4"),
        (2026, 2027, *c, ks, ks, "plan", D(1_020_000), f, s, "C3"),
        (2026, 2027, *c, sn, sn, "plan", D(510_000), f, s, "C4"),
        (2026, 2028, *c, ks, ks, "plan", D(1_040_000), f, s, "D3"),
        (2026, 2028, *c, sn, sn, "plan", D(520_000), f, s, "D4"),
    ]
    assert "år 2026 ur bladnamnet ('MoB 2026')" in report.details["igenkänning"]
    assert (
        "C2 'Plan år 2': rubriken har inget år; 2027 = 2026 (bladnamnet 'MoB 2026') + 1"
        in report.messages
    )
    assert (
        "D2 'Plan år 3': rubriken har inget år; 2028 = 2026 (bladnamnet 'MoB 2026') + 2"
        in report.messages
    )
    assert "3 av 3 summor stämmer på kronan" in report.details["avstämning"]

    # a sheet naming two years gives none: still refused
    rows = [["Nämnd", "Budget", "Plan"], ["Kommunstyrelsen", 1000, 1020]]
    (report,) = run(config, book(tmp_path, "ramar.xlsx", {"2025 och 2026": rows}))
    assert report.status == "rejected"
    assert "ange --year" in report.reason


def test_year_in_the_file_name_and_plain_plan_columns(tmp_path, config):
    """ "Budget | Plan | Plan" with the year only in the file name: the plans are the two
    years after it, in order (they used to be both taken for the budget year, a doubled
    column, and the file refused)."""
    rows = [
        ["Driftbudget (mnkr)"],
        ["Nämnd", "Budget", "Plan", "Plan"],
        ["Kommunstyrelsen", 100, 102, 104],
        ["Tekniska nämnden", 50, 51, 52],
    ]
    (report,) = run(config, book(tmp_path, "budget_2026.xlsx", {"Blad1": rows}))
    assert report.status == "accepted", report.reason
    f, s = "budget_2026.xlsx", "Blad1"
    ks, tn = "Kommunstyrelsen", "Tekniska nämnden"
    c = ("budget", "kommunen", "drift", None)
    assert facts(config) == [
        (2026, 2026, *c, ks, ks, "budget", D(100_000_000), f, s, "B3"),
        (2026, 2026, *c, tn, tn, "budget", D(50_000_000), f, s, "B4"),
        (2026, 2027, *c, ks, ks, "plan", D(102_000_000), f, s, "C3"),
        (2026, 2027, *c, tn, tn, "plan", D(51_000_000), f, s, "C4"),
        (2026, 2028, *c, ks, ks, "plan", D(104_000_000), f, s, "D3"),
        (2026, 2028, *c, tn, tn, "plan", D(52_000_000), f, s, "D4"),
    ]
    assert (
        "D2 'Plan': rubriken har inget år; 2028 = 2026 (filnamnet ('budget 2026')) + 2"
        in report.messages
    )


def test_each_sheet_gives_its_own_year_and_plus_steps(tmp_path, config):
    """A bokslut file with "Drift 2025" and a budget sheet "Budget 2026" headed
    "Budget | Plan +1": each table takes its sheet's year; the sheets disagree, so the
    document's year is the title's. A sheet naming two years gives none."""
    drift = [
        ["Årsredovisning 2025"],
        ["Driftredovisning, tkr"],
        ["Nämnd", "Budget", "Utfall"],
        ["Kommunstyrelsen", 1000, 990],
    ]
    budget = [
        ["Budget för nästa år, tkr"],
        ["Nämnd", "Budget", "Plan +1"],
        ["Kommunstyrelsen", 1100, 1150],
    ]
    path = book(tmp_path, "arsredovisning.xlsx", {"Drift 2025": drift, "Budget 2026": budget})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    assert (report.document, report.doc_year) == ("bokslut", 2025)
    f, ks = "arsredovisning.xlsx", "Kommunstyrelsen"
    c = ("bokslut", "kommunen", "drift", None, ks, ks)
    assert facts(config) == [
        (2025, 2026, *c, "budget", D(1_100_000), f, "Budget 2026", "B3"),
        (2025, 2027, *c, "plan", D(1_150_000), f, "Budget 2026", "C3"),
        (2025, 2025, *c, "budget", D(1_000_000), f, "Drift 2025", "B4"),
        (2025, 2025, *c, "utfall", D(990_000), f, "Drift 2025", "C4"),
    ]
    assert "B2 'Budget': rubriken har inget år; 2026 ur bladnamnet 'Budget 2026'" in report.messages
    assert (
        "C2 'Plan +1': rubriken har inget år; 2027 = 2026 (bladnamnet 'Budget 2026') + 1"
        in report.messages
    )


def test_error_values_in_a_csv_export(tmp_path, config):
    """Excel's "CSV (semikolonavgränsad)" writes an error value as its text: "#REF!" is an
    error, as in the workbook, not a text among the amounts."""
    text = (
        "Budget 2026;;\n"
        "Nämnd;Budget 2026 (tkr);Plan 2027 (tkr)\n"
        "Kommunstyrelsen;1000;1100\n"
        "Socialnämnden;500;#REF!\n"
        "Summa;1500;#REF!\n"
    )
    path = tmp_path / "budget-2026.csv"
    path.write_bytes(text.encode("cp1252"))
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "budget-2026.csv", "budget-2026"
    ks, sn = "Kommunstyrelsen", "Socialnämnden"
    assert facts(config) == [
        (2026, 2026, "budget", "kommunen", "drift", None, ks, ks, "budget", D(1_000_000), f, s,
         "B3"),
        (2026, 2026, "budget", "kommunen", "drift", None, sn, sn, "budget", D(500_000), f, s,
         "B4"),
        (2026, 2027, "budget", "kommunen", "drift", None, ks, ks, "plan", D(1_100_000), f, s,
         "C3"),
    ]  # fmt: skip
    assert reconciliations(config) == [
        ("Summa", "B5", "budget", 2026, None, D(1_500_000), D(1_500_000), "ok"),
        ("Summa", "C5", "plan", 2027, None, None, D(1_100_000), "ej kontrollerad"),
    ]
    assert report.details["celler"].endswith(
        "0 text (saknas), 1 felvärde från Excel (saknas): felvärden budget-2026!C4 '#REF!'"
    )


def test_a_name_that_is_an_error_value_is_named(tmp_path, config):
    """A nämnd's name fetched by a formula that broke (#REF! in the label column): its
    amounts are read under that name, and the report says which cell to correct."""
    rows = [
        ["Mål och budget 2026, tkr"],
        ["Nämnd", "Budget 2026"],
        ["Kommunstyrelsen", 1000],
        ["#REF!", 500],
        ["Summa", 1500],
    ]
    (report,) = run(config, book(tmp_path, "budget-2026.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    f, s, ks = "budget-2026.xlsx", "Drift", "Kommunstyrelsen"
    c = (2026, 2026, "budget", "kommunen", "drift", None)
    assert facts(config) == [
        (*c, ks, ks, "budget", D(1_000_000), f, s, "B3"),
        (*c, "Södertälje kommun", "#REF!", "budget", D(500_000), f, s, "B4"),
    ]
    assert (
        "blad 'Drift': namn med felvärde från Excel (raden lästes med felvärdet som namn; "
        "rätta formeln i arbetsboken): A4 '#REF!'"
    ) in report.messages
    assert "1 av 1 summor stämmer på kronan" in report.details["avstämning"]


def test_a_total_that_disagrees_is_named_with_both_sums_and_the_difference(tmp_path, config):
    """A total that the lines do not add up to is a difference, and the report says where
    it is and by how much, in kronor — what the budget group checks before trusting a file."""
    rows = [
        ["Mål och budget 2026"],
        ["Driftbudget per nämnd (tkr)"],
        ["Nämnd", "Budget 2026"],
        ["Kommunstyrelsen", 1000],
        ["Socialnämnden", 500],
        ["Summa nämnder", 1600],
    ]
    (report,) = run(config, book(tmp_path, "budget-2026.xlsx", {"Drift": rows}))
    assert report.status == "accepted", report.reason
    assert reconciliations(config) == [
        ("Summa nämnder", "B6", "budget", 2026, None, D(1_600_000), D(1_500_000), "differens"),
    ]
    assert report.details["avstämning"] == "0 av 1 summor stämmer på kronan, 1 avviker"
    assert (
        "summan 'Summa nämnder' (Drift!B6, budget 2026) är 1 600 000,00 kr men posterna ger "
        "1 500 000,00 kr (differens 100 000,00 kr)"
    ) in [m.replace("\u00a0", " ") for m in report.messages]


# The party's budget proposal with its satsningar in a table of their own (not written as
# "Avgiftsfri kulturskola 6,0 mnkr" under a nämnd): each satsning is a forslag fact of V's
# with its nämnd as organisation and its text as line item, one per year.
V_RAMAR = [
    ["Vänsterpartiets budgetförslag 2026"],
    ["Belopp i mnkr"],
    ["Nämnd", "Majoritetens ram", "V:s ram", "Differens"],
    ["Kultur- och fritidsnämnden", 180, 190, 10],
    ["Socialnämnden", 900, 925, 25],
    ["Summa", 1080, 1115, 35],
]
KFN, SN = "Kultur- och fritidsnämnden", "Socialnämnden"


def _ram_facts(f):
    b = (2026, 2026, "forslag")
    return [
        (*b, "majoriteten", "drift", None, KFN, KFN, "budget", D(180_000_000), f, "Förslag", "B4"),
        (*b, "majoriteten", "drift", None, SN, SN, "budget", D(900_000_000), f, "Förslag", "B5"),
        (*b, "V", "drift", None, KFN, KFN, "budget", D(190_000_000), f, "Förslag", "C4"),
        (*b, "V", "drift", None, SN, SN, "budget", D(925_000_000), f, "Förslag", "C5"),
    ]


def test_satsningar_sheet_with_a_namnd_column_and_the_unit_beside_each_year(tmp_path, config):
    """'Satsning | Nämnd | 2026 (tkr) | 2027 (tkr) | 2028 (tkr)' on a sheet of its own: the
    years carry their unit, so the row is a header (before, it was not, and the satsningar
    were silently left out)."""
    rows = [
        ["Våra satsningar"],
        ["Satsning", "Nämnd", "2026 (tkr)", "2027 (tkr)", "2028 (tkr)"],
        ["Avgiftsfri kulturskola", KFN, 6000, 6000, 6500],
        ["Fler socialsekreterare", SN, 10000, 12000, 12000],
        ["Summa satsningar", None, 16000, 18000, 18500],
    ]
    path = book(tmp_path, "v-budget-2026.xlsx", {"Förslag": V_RAMAR, "Satsningar": rows})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    assert (report.document, report.doc_year) == ("forslag", 2026)
    f, s = "v-budget-2026.xlsx", "Satsningar"
    v = ("forslag", "V", "drift", None)
    ak, fs = "Avgiftsfri kulturskola", "Fler socialsekreterare"
    assert facts(config) == _ram_facts(f) + [
        (2026, 2026, *v, KFN, ak, "budget", D(6_000_000), f, s, "C3"),
        (2026, 2026, *v, SN, fs, "budget", D(10_000_000), f, s, "C4"),
        (2026, 2027, *v, KFN, ak, "plan", D(6_000_000), f, s, "D3"),
        (2026, 2027, *v, SN, fs, "plan", D(12_000_000), f, s, "D4"),
        (2026, 2028, *v, KFN, ak, "plan", D(6_500_000), f, s, "E3"),
        (2026, 2028, *v, SN, fs, "plan", D(12_000_000), f, s, "E4"),
    ]
    assert reconciliations(config)[3:] == [
        ("Summa satsningar", "C5", "budget", 2026, None, D(16_000_000), D(16_000_000), "ok"),
        ("Summa satsningar", "D5", "plan", 2027, None, D(18_000_000), D(18_000_000), "ok"),
        ("Summa satsningar", "E5", "plan", 2028, None, D(18_500_000), D(18_500_000), "ok"),
    ]
    assert "Satsningar!A2:E5 (drift, 6 fakta)" in report.details["tabeller"]
    assert not any("okända organisationer" in m for m in report.messages)


def test_satsningar_under_namnd_heading_rows_below_the_ramar(tmp_path, config):
    """'Satsning | 2026 mnkr | 2027 mnkr' on the same sheet as the ramar, each nämnd a
    heading row in column A above its satsningar. Before, the header was not seen and the
    satsningar became rows of the ram table, organisations of their own."""
    rows = [
        *V_RAMAR,
        [],
        ["Våra satsningar"],
        ["Satsning", "2026 mnkr", "2027 mnkr"],
        [KFN],
        ["Avgiftsfri kulturskola", 6, 6],
        ["Fler öppna fritidsgårdar", 4, 4.5],
        [SN],
        ["Fler socialsekreterare", 10, 12],
    ]
    (report,) = run(config, book(tmp_path, "v-budget-2026.xlsx", {"Förslag": rows}))
    assert report.status == "accepted", report.reason
    f, s = "v-budget-2026.xlsx", "Förslag"
    v = ("forslag", "V", "drift", None)
    ak, fg, fs = "Avgiftsfri kulturskola", "Fler öppna fritidsgårdar", "Fler socialsekreterare"
    ram = _ram_facts(f)
    assert facts(config) == ram[:2] + [
        (2026, 2026, *v, KFN, ak, "budget", D(6_000_000), f, s, "B11"),
        (2026, 2026, *v, KFN, fg, "budget", D(4_000_000), f, s, "B12"),
        (2026, 2026, *v, SN, fs, "budget", D(10_000_000), f, s, "B14"),
    ] + ram[2:] + [
        (2026, 2027, *v, KFN, ak, "plan", D(6_000_000), f, s, "C11"),
        (2026, 2027, *v, KFN, fg, "plan", D(4_500_000), f, s, "C12"),
        (2026, 2027, *v, SN, fs, "plan", D(12_000_000), f, s, "C14"),
    ]  # fmt: skip
    assert report.details["tabeller"] == [
        "Förslag!A3:D6 (drift, 4 fakta)",
        "Förslag!A9:C14 (drift, 6 fakta)",
    ]
    assert [r[:2] for r in reconciliations(config)] == [
        ("Summa", "B6"), ("Summa", "C6"), ("Summa", "D6"),
    ]  # fmt: skip


def test_satsningar_title_above_a_header_of_bare_years(tmp_path, config):
    """'Våra satsningar (mnkr)' above 'Satsning | 2026 | 2027': a title giving the unit, not
    a header row over the years ("våra" made every year V's budget; 2027 is plan)."""
    rows = [
        ["Våra satsningar (mnkr)"],
        ["Satsning", 2026, 2027],
        [KFN],
        ["Avgiftsfri kulturskola", 6, 6],
        [SN],
        ["Fler socialsekreterare", 10, 12],
    ]
    path = book(tmp_path, "v-budget-2026.xlsx", {"Förslag": V_RAMAR, "Satsningar": rows})
    (report,) = run(config, path)
    assert report.status == "accepted", report.reason
    f, s = "v-budget-2026.xlsx", "Satsningar"
    v = ("forslag", "V", "drift", None)
    ak, fs = "Avgiftsfri kulturskola", "Fler socialsekreterare"
    assert facts(config) == _ram_facts(f) + [
        (2026, 2026, *v, KFN, ak, "budget", D(6_000_000), f, s, "B4"),
        (2026, 2026, *v, SN, fs, "budget", D(10_000_000), f, s, "B6"),
        (2026, 2027, *v, KFN, ak, "plan", D(6_000_000), f, s, "C4"),
        (2026, 2027, *v, SN, fs, "plan", D(12_000_000), f, s, "C6"),
    ]
    assert "Satsningar!A2:C6 (drift, 4 fakta)" in report.details["tabeller"]


def test_a_satsning_without_a_namnd_is_named_not_guessed(tmp_path, config):
    """A satsning whose Nämnd cell is empty, and one above the first nämnd heading row: no
    nämnd is guessed (neither the satsning's own text nor the kommun); the report names
    their cells, and they still count in the total they are part of."""
    with_column = [
        ["Satsningar (tkr)"],
        ["Satsning", "Nämnd", 2026],
        ["Gratis busskort för unga", None, 3000],
        ["Avgiftsfri kulturskola", KFN, 6000],
        ["Summa", None, 9000],
    ]
    under_headings = [
        ["Satsningar (mnkr)"],
        ["Satsning", 2026, 2027],
        ["Fria arbetskläder", 2, 2],
        [SN],
        ["Fler socialsekreterare", 10, 12],
    ]
    sheets = {"Förslag": V_RAMAR, "Satsningar": with_column, "Per nämnd": under_headings}
    (report,) = run(config, book(tmp_path, "v-budget-2026.xlsx", sheets))
    assert report.status == "accepted", report.reason
    f = "v-budget-2026.xlsx"
    v = ("forslag", "V", "drift", None)
    fs = "Fler socialsekreterare"
    assert facts(config) == _ram_facts(f) + [
        (2026, 2026, *v, SN, fs, "budget", D(10_000_000), f, "Per nämnd", "B5"),
        (2026, 2027, *v, SN, fs, "plan", D(12_000_000), f, "Per nämnd", "C5"),
        (2026, 2026, *v, KFN, "Avgiftsfri kulturskola", "budget", D(6_000_000), f,
         "Satsningar", "C4"),
    ]  # fmt: skip
    assert (
        "blad 'Satsningar': 1 satsning utan nämnd (ingen Nämnd-kolumn eller nämnd som "
        "rubrikrad ovanför) blev inga fakta: A3 'Gratis busskort för unga'"
    ) in report.messages
    assert (
        "blad 'Per nämnd': 1 satsning utan nämnd (ingen Nämnd-kolumn eller nämnd som "
        "rubrikrad ovanför) blev inga fakta: A3 'Fria arbetskläder'"
    ) in report.messages
    assert not any("okända organisationer" in m or "fördes till" in m for m in report.messages)
    assert ("Summa", "C5", "budget", 2026, None, D(9_000_000), D(9_000_000), "ok") in (
        reconciliations(config)
    )
