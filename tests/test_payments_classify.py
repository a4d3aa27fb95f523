"""Supplier classification: rules, priorities, oklassad, audit log, reclassifying via the CLI."""

from __future__ import annotations

import json
import shutil

import polars as pl
import pytest
from click.testing import CliRunner

from pipelines.cli import cli
from pipelines.db import connect_read
from pipelines.ingest import IngestOptions, ingest
from pipelines.payments import classify
from pipelines.payments.classify import Rule, RuleError, classify_frame, load_rules
from pipelines.payments.demo import KINDS, suppliers


def combos(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["org_nr", "supplier", "konto"], orient="row")


RULES = [
    Rule("bolag", 10, "kommunala bolag", registry_kind="bolag"),
    Rule("stat", 15, "offentlig sektor", orgnr_pattern="^2"),
    Rule("bem", 20, "bemanning", name_pattern=r"bemanning|\bmanpower\b"),
    Rule("bem-konto", 21, "bemanning", konto_from=5890, konto_to=5899),
    Rule("ide", 35, "idéburna", orgnr_pattern="^8"),
    Rule("hvb-ab", 41, "privata välfärdsaktörer", orgnr_pattern="^5", konto_from=4610, konto_to=4649),
]  # fmt: skip


def test_each_rule_kind_and_oklassad():
    got = classify_frame(
        combos(
            [
                ("556000-0000", "TELGE BOSTÄDER AB", "6110"),  # registry alias, any case
                ("212000-0142", "Någon kommun", "4650"),
                ("556000-0001", "Norra Bemanning AB", "4610"),  # name beats the konto rule
                ("556000-0002", "ManPower Group", "7690"),
                ("556000-0003", "Okänd AB", "5891"),
                ("802000-0004", "Föreningen X", "4610"),  # org.nr 8 before the AB rule
                ("556000-0005", "Hemmet AB", "4620"),  # AB + köp av huvudverksamhet
                ("916000-0006", "Hemmet HB", "4620"),  # HB: the AB rule does not apply
                ("", "", ""),
                ("556000-0007", "Telge Bil AB", "7690"),  # not in the registry
            ]
        ),
        RULES,
    )
    assert got.select("category", "rule_id").rows() == [
        ("kommunala bolag", "bolag"),
        ("offentlig sektor", "stat"),
        ("bemanning", "bem"),
        ("bemanning", "bem"),
        ("bemanning", "bem-konto"),
        ("idéburna", "ide"),
        ("privata välfärdsaktörer", "hvb-ab"),
        ("oklassad", None),
        ("oklassad", None),
        ("oklassad", None),
    ]


def test_shipped_rules_classify_the_demo_register():
    expected = {
        "hvb": "privata välfärdsaktörer",
        "hemtjanst": "privata välfärdsaktörer",
        "lss": "privata välfärdsaktörer",
        "skola": "privata välfärdsaktörer",
        "ideburen": "idéburna",
        "bemanning": "bemanning",
        "hyra": "kommunala bolag",
        "energi": "kommunala bolag",
        "material": "övriga",
        "livsmedel": "övriga",
        "konsult": "konsulter",
        "region": "offentlig sektor",
        "ovrigt": "oklassad",
    }
    register = suppliers()
    frame = combos([(s.org_nr or "", s.name, KINDS[s.kind][0]) for s in register])
    got = classify_frame(frame, load_rules()).get_column("category").to_list()
    assert {s.kind: c for s, c in zip(register, got, strict=True)} == expected
    mismatched = [(s.name, c) for s, c in zip(register, got, strict=True) if c != expected[s.kind]]
    assert mismatched == []


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x1,10,bemanning,(unclosed,,,,,", "felaktigt mönster"),
        ("x1,10,vinstdrivande,a,,,,,", "okänd kategori"),
        ("x1,10,bemanning,,,4600,,,", "både konto_from och konto_to"),
        ("x1,10,bemanning,,,,,,", "minst ett villkor"),
        ("x1,10,bemanning,a,,,,,note, with comma", "för många fält"),
        ("X 1,10,bemanning,a,,,,,", "id får bara"),
    ],
)
def test_broken_rules_are_refused(tmp_path, row, message):
    path = tmp_path / "rules.csv"
    header = "rule_id,priority,category,name_pattern,orgnr_pattern,konto_from,konto_to,registry_kind,note"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(RuleError, match=message):
        load_rules(path)


def test_change_rule_is_audited(tmp_path):
    rules = tmp_path / "rules.csv"
    audit = tmp_path / "audit.jsonl"
    shutil.copy(classify.RULES_FILE, rules)
    before = load_rules(rules)
    new = Rule("demo-tjanster", 50, "övriga", name_pattern=r"tjänster hb$")
    with pytest.raises(RuleError, match="vem som ändrar och varför"):
        classify.change_rule("add", new, "anna", " ", rules, audit)
    classify.change_rule("add", new, "anna", "Små tjänsteföretag", rules, audit)
    with pytest.raises(RuleError, match="finns redan"):
        classify.change_rule("add", new, "anna", "igen", rules, audit)
    classify.change_rule("remove", "demo-tjanster", "bo", "Fel kategori", rules, audit)
    assert load_rules(rules) == before
    log = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert [(e["who"], e["action"], e["rule_id"], e["why"]) for e in log] == [
        ("anna", "add", "demo-tjanster", "Små tjänsteföretag"),
        ("bo", "remove", "demo-tjanster", "Fel kategori"),
    ]
    assert log[0]["before"] is None and log[0]["after"]["name_pattern"] == r"tjänster hb$"
    assert log[1]["before"]["category"] == "övriga" and log[1]["after"] is None


def test_cli_add_rule_reclassifies_the_database(config, tmp_path):
    rules = tmp_path / "rules.csv"
    shutil.copy(classify.RULES_FILE, rules)
    csv = tmp_path / "p.csv"
    csv.write_text(
        "Förvaltning;Konto;Leverantör;Org.nr;Datum;Belopp\n"
        "Socialnämnden;7690;Exempel Städ HB;916000-0006;2025-02-01;1 000,00\n"
        "Socialnämnden;5890;Exempel Personal AB;556000-0001;2025-02-02;500,00\n",
        encoding="utf-8",
    )
    [report] = ingest([csv], IngestOptions(config=config))
    assert report.status == "accepted", report.reason

    def categories():
        con = connect_read(config.db_path)
        try:
            return con.execute(
                "select supplier, category, category_rule from payments order by supplier"
            ).fetchall()
        finally:
            con.close()

    assert categories() == [
        ("Exempel Personal AB", "bemanning", "bemanning-konto"),
        ("Exempel Städ HB", "oklassad", None),
    ]
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "suppliers", "add-rule", "--id", "stad", "--category", "övriga", "--priority", "80",
            "--name-pattern", r"\bstäd\b", "--who", "anna", "--why", "Städtjänster är övriga",
            "--rules", str(rules), "--db", str(config.db_path),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert categories() == [
        ("Exempel Personal AB", "bemanning", "bemanning-konto"),
        ("Exempel Städ HB", "övriga", "stad"),
    ]
    log = runner.invoke(cli, ["suppliers", "log", "--rules", str(rules)])
    assert "anna" in log.output and "Städtjänster är övriga" in log.output


def test_sole_traders_personnummer_is_not_an_org_nr_series():
    """An enskild firma's number is its owner's personnummer (third digit 0 or 1): born in
    1985 is no ideell förening, born in 1925 no kommun, born in 1950 no aktiebolag."""
    got = classify_frame(
        combos(
            [
                ("850101-1234", "Anna Andersson", "4610"),
                ("250101-1234", "Bertil Berg", "7690"),
                ("500101-1234", "Cecilia Carlsson Hemtjänst", "4620"),
                ("501201-1234", "Dagny Dahl", "4620"),
                ("802000-0004", "Föreningen X", "4610"),  # a real ideell förening's form
            ]
        ),
        RULES,
    )
    assert got.select("org_nr", "category", "rule_id").rows() == [
        ("850101-1234", "oklassad", None),
        ("250101-1234", "oklassad", None),
        ("500101-1234", "oklassad", None),
        ("501201-1234", "oklassad", None),
        ("802000-0004", "idéburna", "ide"),
    ]
