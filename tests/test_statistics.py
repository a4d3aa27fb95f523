"""Statistics importers: SCB json-stat2 / CSV, Kolada JSON / CSV / xlsx, the SCB reference file."""

from __future__ import annotations

import copy
import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.config import ROOT
from pipelines.db import connect_read
from pipelines.ingest import IngestOptions, ingest
from pipelines.statistics import StatisticsImporter

FIXTURES = Path(__file__).parent / "fixtures" / "statistics"
REFERENCE_NAME = "scb-rs-2024-sodertalje-nettokostnad.csv"


def reference_file() -> Path:
    for path in (
        ROOT / "data" / "reference" / REFERENCE_NAME,
        ROOT.parent / "shared" / "reference" / REFERENCE_NAME,
    ):
        if path.exists():
            return path
    pytest.fail(f"{REFERENCE_NAME} saknas i data/reference/")


def run(config, *paths):
    reports = ingest(list(paths), IngestOptions(config=config))
    return reports, connect_read(config.db_path)


def test_scb_reference_ingests_exactly_to_the_krona(config):
    path = reference_file()
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    reports, con = run(config, path)
    assert [r.status for r in reports] == ["accepted"]
    assert reports[0].importer == "statistics"
    facts = con.execute(
        "select line_item, amount_sek, organisation, document, actor, budget_kind, measure,"
        " period, year, source_cell from facts order by source_cell"
    ).fetchall()
    assert len(facts) == len(rows) == 32
    by_item = {f[0]: f for f in facts}
    for row in rows:
        fact = by_item[row["verksamhet"]]
        assert fact[1] == Decimal(row["nettokostnad_tkr"]) * 1000
        assert fact[2:9] == (
            "Södertälje kommun",
            "statistik",
            "kommunen",
            "drift",
            "utfall",
            None,
            2024,
        )
    total = con.execute("select sum(amount_sek) from facts").fetchone()[0]
    assert total == sum(Decimal(r["nettokostnad_tkr"]) for r in rows) * 1000
    assert con.execute("select * from kommuner").fetchall() == [
        ("0181", "Södertälje", "Södertälje kommun", "kommuner.csv")
    ]
    # The TOTALT rows have no parts in this file: they are the only figure for their area.
    assert by_item["AFFÄRSVERKSAMHET, TOTALT"][1] == Decimal("-2993000")
    assert any("TOTALT-rader" in m for m in reports[0].messages)


def test_jsonstat2_facts_missing_values_status_and_totals(config):
    reports, con = run(config, FIXTURES / "scb-tab4199-nettokostnad.json")
    report = reports[0]
    assert report.status == "accepted", report.reason
    assert report.details["dataset"] == "TAB4199"
    assert report.details["statusflaggor"] == {"..": 24}
    facts = con.execute(
        "select organisation, line_item, year, amount_sek from facts order by all"
    ).fetchall()
    assert facts == [
        ("Nacka kommun", "Förskola", 2023, Decimal("900000000.00")),
        ("Nacka kommun", "Förskola", 2024, Decimal("925000000.00")),
        ("Nacka kommun", "Grundskola", 2023, Decimal("1700000000.00")),
        ("Nacka kommun", "Grundskola", 2024, Decimal("1750000000.00")),
        ("Nacka kommun", "Politisk verksamhet", 2023, Decimal("40000000.00")),
        ("Södertälje kommun", "Förskola", 2023, Decimal("800000000.00")),
        ("Södertälje kommun", "Förskola", 2024, Decimal("824876000.00")),
        ("Södertälje kommun", "Grundskola", 2023, Decimal("1500000000.00")),
        ("Södertälje kommun", "Grundskola", 2024, Decimal("1521071000.00")),
        ("Södertälje kommun", "Politisk verksamhet", 2023, Decimal("60000000.00")),
        ("Södertälje kommun", "Politisk verksamhet", 2024, Decimal("62000000.00")),
    ]
    # Missing net cost (Nacka 2024, politisk verksamhet) is kept with its flag, never as 0.
    missing = con.execute(
        "select value, status, kind, in_facts from stat_rows where region_code = '0182'"
        " and item_code = '100' and year = 2024 and measure_code = '0000005X'"
    ).fetchall()
    assert missing == [(None, "..", "netto", False)]
    # Riket is an aggregate of kommuner: stored, never a fact.
    riket = con.execute(
        "select count(*), bool_or(in_facts) from stat_rows where region_code = '00'"
    ).fetchone()
    assert riket == (16, False)
    # The TOTALT rows have their parts in the file, so they are reconciled, not facts.
    assert any("2 stämmer mot delarna, 1 avviker" in m for m in report.messages)
    assert any("0182 2023 'POLITISK VERKSAMHET, TOTALT'" in m for m in report.messages)
    # Net cost per invånare is a ratio: an indicator, not money.
    per_inv = con.execute(
        "select kpi, municipality_code, municipality, item_label, year, value, gender, source"
        " from indicators where value is not null order by municipality_code"
    ).fetchall()
    assert per_inv == [
        ("0000005Z", "0181", "Södertälje", "Förskola", 2024, 7990.0, "T", "SCB"),
        ("0000005Z", "0182", "Nacka", "Förskola", 2024, 8250.0, "T", "SCB"),
    ]
    assert con.execute("select kommunkod, organisation from kommuner order by 1").fetchall() == [
        ("0181", "Södertälje kommun"),
        ("0182", "Nacka kommun"),
    ]


def _variant(tmp_path: Path, name: str, change) -> Path:
    data = json.loads((FIXTURES / "scb-tab4199-nettokostnad.json").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    changed = change(data)
    data = data if changed is None else changed
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _sparse(d):
    d["value"] = {str(i): v for i, v in enumerate(d["value"]) if v is not None}
    d["status"] = {k: v for k, v in d["status"].items()}


def _list_index(d):
    for dim in d["dimension"].values():
        index = dim["category"]["index"]
        dim["category"]["index"] = sorted(index, key=index.get)


def _status_list(d):
    n = len(d["value"])
    d["status"] = [d["status"].get(str(i)) for i in range(n)]


def _jsonstat1(d):
    # json-stat 1.0 as PxWeb's older API writes it: {"dataset": {...}}, id/size inside dimension.
    dims = d.pop("dimension")
    dims["id"], dims["size"], dims["role"] = d.pop("id"), d.pop("size"), d.pop("role")
    d.pop("class"), d.pop("version")
    d["dimension"] = dims
    return {"dataset": d}


def _no_roles_reordered(d):
    # Dimensions in another order (time first), roles absent: found by id and label.
    order = ["Tid", "Region", "ContentsCode", "Verksomrkom"]
    old, size = d["id"], d["size"]
    sizes = dict(zip(old, size, strict=True))
    strides = {k: 1 for k in old}
    for k in range(len(old) - 2, -1, -1):
        strides[old[k]] = strides[old[k + 1]] * sizes[old[k + 1]]
    new_strides = {k: 1 for k in order}
    for k in range(len(order) - 2, -1, -1):
        new_strides[order[k]] = new_strides[order[k + 1]] * sizes[order[k + 1]]
    n = len(d["value"])
    values, status = [None] * n, {}
    for flat in range(n):
        pos = {k: (flat // strides[k]) % sizes[k] for k in old}
        new = sum(pos[k] * new_strides[k] for k in order)
        values[new] = d["value"][flat]
        if str(flat) in d["status"]:
            status[str(new)] = d["status"][str(flat)]
    d["id"], d["size"], d["value"], d["status"] = order, [sizes[k] for k in order], values, status
    d.pop("role")


def _labels_with_codes(d):
    # "0181 Södertälje", "407 Förskola": labels that repeat the code, as some exports write them.
    for dim_id in ("Region", "Verksomrkom"):
        labels = d["dimension"][dim_id]["category"]["label"]
        for code in labels:
            labels[code] = f"{code} {labels[code]}"


@pytest.mark.parametrize(
    "change",
    [_sparse, _list_index, _status_list, _jsonstat1, _no_roles_reordered, _labels_with_codes],
)
def test_jsonstat_variants_give_the_same_facts(config, tmp_path, change):
    reports, con = run(config, _variant(tmp_path, f"{change.__name__}.json", change))
    assert reports[0].status == "accepted", reports[0].reason
    assert reports[0].facts == 11
    got = con.execute(
        "select organisation, line_item, year, amount_sek from facts"
        " where organisation = 'Södertälje kommun' and line_item = 'Förskola' order by year"
    ).fetchall()
    assert [g[3] for g in got] == [Decimal("800000000.00"), Decimal("824876000.00")]
    assert con.execute("select count(*) from stat_rows where status = '..'").fetchone()[0] == 24


def test_jsonstat_status_as_one_string_applies_to_every_cell(config, tmp_path):
    def preliminary(d):
        d["status"] = "p"

    reports, con = run(config, _variant(tmp_path, "prel.json", preliminary))
    assert reports[0].status == "accepted"
    statuses = con.execute("select distinct status from stat_rows").fetchall()
    assert statuses == [("p",)]


def test_jsonstat_with_wrong_size_is_rejected_with_reason(config, tmp_path):
    def broken(d):
        d["size"][1] = 5

    reports, con = run(config, _variant(tmp_path, "broken.json", broken))
    assert reports[0].status == "rejected"
    assert "Verksomrkom har 4 kategorier men size säger 5" in reports[0].reason
    assert con.execute("select count(*) from stat_rows").fetchone()[0] == 0


def test_kolada_v3_json_gender_splits_and_status(config):
    reports, con = run(config, FIXTURES / "kolada-v3-data.json")
    assert reports[0].status == "accepted", reports[0].reason
    assert reports[0].facts == 0
    assert reports[0].details["kön"] == {"T": 8, "K": 3, "M": 3}
    rows = con.execute(
        "select kpi, municipality_code, year, gender, value, status, source from indicators"
        " where kpi = 'N31807' and municipality_code = '0181' order by year, gender"
    ).fetchall()
    assert rows == [
        ("N31807", "0181", 2023, "K", 6.2, None, "Kolada"),
        ("N31807", "0181", 2023, "M", 5.4, None, "Kolada"),
        ("N31807", "0181", 2023, "T", 5.8, None, "Kolada"),
        ("N31807", "0181", 2024, "K", 6.0, None, "Kolada"),
        ("N31807", "0181", 2024, "M", 5.2, None, "Kolada"),
        ("N31807", "0181", 2024, "T", 5.6, None, "Kolada"),
    ]
    missing = con.execute(
        "select value, status from indicators where kpi = 'N11102' and year = 2024"
    ).fetchall()
    assert missing == [(None, "Missing")]
    assert con.execute("select count(*) from facts").fetchone()[0] == 0


def test_kolada_csv_export(config):
    reports, con = run(config, FIXTURES / "kolada-export.csv")
    assert reports[0].status == "accepted", reports[0].reason
    rows = con.execute(
        "select kpi, kpi_title, municipality_code, year, gender, value, status from indicators"
        " order by kpi, gender"
    ).fetchall()
    assert rows == [
        ("N01951", "Invånare totalt, antal", "0182", 2024, "T", 110000.0, None),
        (
            "N11102",
            "Inskrivna barn per årsarbetare i förskolan, antal",
            "0181",
            2021,
            "T",
            None,
            "..",
        ),
        (
            "N31807",
            "Invånare som någon gång under året erhållit ekonomiskt bistånd, andel (%) av bef.",
            "0181",
            2022,
            "K",
            6.5,
            None,
        ),
        (
            "N31807",
            "Invånare som någon gång under året erhållit ekonomiskt bistånd, andel (%) av bef.",
            "0181",
            2022,
            "M",
            5.7,
            None,
        ),
        (
            "N31807",
            "Invånare som någon gång under året erhållit ekonomiskt bistånd, andel (%) av bef.",
            "0181",
            2022,
            "T",
            6.1,
            None,
        ),
    ]


def test_kolada_xlsx_export(config, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kolada – fri sökning"])
    ws.append([])
    ws.append(["Kommun", "Kommun-id", "Nyckeltal", "KPI-id", "År", "Kön", "Värde"])
    ws.append(["Södertälje", 181, "Invånare totalt, antal", "N01951", 2024, "Totalt", 103000])
    path = tmp_path / "kolada.xlsx"
    wb.save(path)
    reports, con = run(config, path)
    assert reports[0].status == "accepted", reports[0].reason
    assert con.execute("select kpi, municipality_code, year, value from indicators").fetchall() == [
        ("N01951", "0181", 2024, 103000.0)
    ]


def test_pxweb_csv(config):
    reports, con = run(config, FIXTURES / "pxweb-nettokostnad.csv")
    assert reports[0].status == "accepted", reports[0].reason
    assert con.execute(
        "select organisation, line_item, year, amount_sek from facts order by all"
    ).fetchall() == [
        ("Nacka kommun", "Förskola", 2023, Decimal("900000000.00")),
        ("Södertälje kommun", "Förskola", 2023, Decimal("800000000.00")),
        ("Södertälje kommun", "Förskola", 2024, Decimal("824876000.00")),
        ("Södertälje kommun", "Grundskola", 2023, Decimal("1500000000.00")),
        ("Södertälje kommun", "Grundskola", 2024, Decimal("1521071000.00")),
    ]


def test_newer_statistics_replace_older_facts_not_add(config):
    run(config, reference_file())
    reports, con = run(config, FIXTURES / "scb-tab4199-nettokostnad.json")
    assert any("ersattes" in m for m in reports[0].messages)
    rows = con.execute(
        "select amount_sek, source_file from facts where organisation = 'Södertälje kommun'"
        " and line_item = 'Förskola' and year = 2024"
    ).fetchall()
    assert rows == [(Decimal("824876000.00"), "scb-tab4199-nettokostnad.json")]
    # The new file lists politisk verksamhet's parts, so the reference's TOTALT row (the only
    # figure there) gives way instead of counting the same money twice.
    politics = con.execute(
        "select line_item, amount_sek from facts where organisation = 'Södertälje kommun'"
        " and year = 2024 and line_item ilike 'politisk%'"
    ).fetchall()
    assert politics == [("Politisk verksamhet", Decimal("62000000.00"))]
    # Verksamheter the new file does not cover keep their reference facts.
    kept = con.execute(
        "select amount_sek from facts where line_item = 'Gymnasieskola' and year = 2024"
    ).fetchall()
    assert kept == [(Decimal("509273000.00"),)]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("budget.csv", "Nämnd;Budget 2026;Plan 2027\nUtbildningsnämnden;1 234,5;1 300\n"),
        (
            "leverantorer.csv",
            "förvaltning,konto,leverantör,datum,belopp\nKS,4010,AB,2025-01-02,100\n",
        ),
        ("kommuner.csv", "kommunkod,kommun,ar\n0181,Södertälje,2024\n"),
        ("notes.json", '{"values": [1, 2, 3]}'),
        ("other.json", '{"dimension": "none", "value": 3}'),
    ],
)
def test_sniff_declines_other_files(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert not StatisticsImporter().sniff(path, path.read_bytes()[:8192])


def test_sniff_declines_a_budget_workbook(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.append(["Nämnd", "Budget 2026", "Plan 2027"])
    wb.active.append(["Kommunstyrelsen", 100, 110])
    path = tmp_path / "budget.xlsx"
    wb.save(path)
    assert not StatisticsImporter().sniff(path, path.read_bytes()[:8192])


@pytest.mark.parametrize(
    "name",
    [
        "scb-tab4199-nettokostnad.json",
        "kolada-v3-data.json",
        "kolada-export.csv",
        "pxweb-nettokostnad.csv",
    ],
)
def test_sniff_recognises_fixtures(name):
    path = FIXTURES / name
    assert StatisticsImporter().sniff(path, path.read_bytes()[:8192])


def test_pxweb_csv_with_names_only_uses_known_kommunkoder(config, tmp_path):
    path = tmp_path / "usetexts.csv"
    path.write_text(
        '"region","verksamhetsområde","tabellinnehåll","2024"\n'
        '"Södertälje","Förskola","Nettokostnad, tkr","824876"\n'
        '"Okänd","Förskola","Nettokostnad, tkr","1"\n',
        encoding="utf-8",
    )
    reports, con = run(config, path)
    assert reports[0].status == "accepted", reports[0].reason
    assert con.execute("select organisation, amount_sek from facts").fetchall() == [
        ("Södertälje kommun", Decimal("824876000.00"))
    ]
    assert any("saknar kommunkod" in m and "Okänd" in m for m in reports[0].messages)


@pytest.mark.parametrize(
    "content",
    [
        # PxWebApi 2.0 with IncludeTitle, semicolons and the contents as a column.
        "Kostnader och intäkter för kommuner efter region, verksamhetsområde och år\n"
        '"region";"verksamhetsområde";"tabellinnehåll";"2023";"2024"\n'
        '"0181 Södertälje";"407 Förskola";"Nettokostnad, tkr";"800000";"824876"\n'
        '"0181 Södertälje";"407 Förskola";"Kostnader, tkr";"900000";"950000"\n',
        # Long form: one row per year.
        "region,verksamhetsområde,tabellinnehåll,år,värde\n"
        '0181 Södertälje,407 Förskola,"Nettokostnad, tkr",2023,800000\n'
        '0181 Södertälje,407 Förskola,"Nettokostnad, tkr",2024,824876\n',
    ],
)
def test_pxweb_csv_layouts(config, tmp_path, content):
    path = tmp_path / "px.csv"
    path.write_text(content, encoding="cp1252")
    reports, con = run(config, path)
    assert reports[0].status == "accepted", reports[0].reason
    assert con.execute("select year, amount_sek from facts order by year").fetchall() == [
        (2023, Decimal("800000000.00")),
        (2024, Decimal("824876000.00")),
    ]


def test_subtotal_by_code_prefix_is_not_a_fact(config, tmp_path):
    path = tmp_path / "px.csv"
    path.write_text(
        '"region","verksamhetsområde","Nettokostnad, tkr 2024"\n'
        '"0181 Södertälje","4 Pedagogisk verksamhet",2345947\n'
        '"0181 Södertälje","407 Förskola",824876\n'
        '"0181 Södertälje","440 Grundskola",1521071\n',
        encoding="utf-8",
    )
    reports, con = run(config, path)
    assert reports[0].status == "accepted", reports[0].reason
    assert con.execute("select line_item from facts order by 1").fetchall() == [
        ("Förskola",),
        ("Grundskola",),
    ]
    assert any("1 stämmer mot delarna, 0 avviker" in m for m in reports[0].messages)
    assert con.execute(
        "select is_total, in_facts from stat_rows where item_code = '4'"
    ).fetchall() == [(True, False)]


def test_two_net_cost_measures_give_facts_once(config, tmp_path):
    def two_nets(d):
        contents = d["dimension"]["ContentsCode"]["category"]
        contents["label"]["0000005Z"] = "Nettokostnad exkl. avskrivningar, tkr"
        contents["unit"]["0000005Z"] = {"base": "tkr", "decimals": 0}

    reports, con = run(config, _variant(tmp_path, "two.json", two_nets))
    assert reports[0].status == "accepted", reports[0].reason
    assert reports[0].facts == 11
    assert any("flera mått på nettokostnad" in m for m in reports[0].messages)
    assert (
        con.execute(
            "select count(*) from facts where line_item = 'Förskola' and year = 2024"
            " and organisation = 'Södertälje kommun'"
        ).fetchone()[0]
        == 1
    )


def test_jsonstat_with_dimension_far_from_the_start_is_recognised(config, tmp_path):
    def notes_first(d):
        # PxWeb puts notes (footnotes can be long) and may put value before dimension.
        front = {"note": ["Fotnot om redovisningen. " * 40] * 20, "value": d.pop("value")}
        return {**front, **d}

    path = _variant(tmp_path, "notes.json", notes_first)
    assert b'"dimension"' not in path.read_bytes()[:8192]
    assert StatisticsImporter().sniff(path, path.read_bytes()[:8192])
    reports, _ = run(config, path)
    assert reports[0].status == "accepted", reports[0].reason
    assert reports[0].facts == 11
