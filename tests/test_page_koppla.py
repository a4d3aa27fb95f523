"""Koppla in an AppTest: read-only without login; an editor accepts and rejects suggestions,
and the rules file, the audit log and the marts follow."""

from __future__ import annotations

import pytest
from conftest import insert_facts
from streamlit.testing.v1 import AppTest

from pipelines.config import ROOT, load_config
from pipelines.db import connect_read, write_transaction
from pipelines.ingest import IngestOptions, ingest
from pipelines.mapping.rules import rejections_store, rules_store
from pipelines.mapping.store import read_audit

APP = str(ROOT / "app.py")
PROGRAM = ROOT / "data" / "program" / "handlingsprogram-2026-2030.txt"
P_FALT = "socialt-stod-omsorg--satsa-mer-pa-forebyggande-sociala-insatser-till-exempel"
P_KULTUR = "idrott-kultur-folkbildning--sakerstalla-avgiftsfri-och-jamlik-tillgang-till-kultur-och"
COLUMNS = (
    "doc_id, doc_year, year, document, actor, budget_kind, period, organisation, line_item,"
    " measure, amount_sek, source_file, source_sheet, source_cell"
)
FACTS = [
    (
        "f26",
        2026,
        2026,
        "forslag",
        "V",
        "drift",
        None,
        "Socialnämnden",
        "Fler fältassistenter",
        "budget",
        5_000_000,
    ),
    (
        "f26",
        2026,
        2026,
        "forslag",
        "V",
        "drift",
        None,
        "Kultur- och fritidsnämnden",
        "Avgiftsfri kulturskola",
        "budget",
        6_400_000,
    ),
    (
        "f26",
        2026,
        2026,
        "forslag",
        "V",
        "drift",
        None,
        "Socialnämnden",
        "Socialnämnden",
        "budget",
        900_000_000,
    ),
]


@pytest.fixture
def cfg(tmp_path, monkeypatch, editor_env):
    monkeypatch.setenv("VERKSTAD_DB", str(tmp_path / "v.duckdb"))
    monkeypatch.setenv("VERKSTAD_MAPPING_DIR", str(tmp_path / "mapping"))
    cfg = load_config()
    assert [r.status for r in ingest([PROGRAM], IngestOptions(config=cfg))] == ["accepted"]
    with write_transaction(cfg.db_path) as con:
        insert_facts(
            con,
            COLUMNS,
            [[*fact, "V-budget.xlsx", "Satsningar", f"C{i + 5}"] for i, fact in enumerate(FACTS)],
        )
        from pipelines import marts

        marts.build_all(con, cfg)
    return cfg


def _open() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/koppla.py").run()
    assert not at.exception
    return at


def test_read_only_without_login(cfg):
    at = _open()
    assert any("Läsläge" in i.value for i in at.info)
    assert at.button(key="koppla_accept").disabled
    assert at.button(key="koppla_reject").disabled
    # The worklist shows the satsningar, largest first, and not the nämnd's own total.
    labels = at.selectbox(key="koppla_line").options
    assert [label.split(" (")[0] for label in labels] == [
        "Kultur- och fritidsnämnden — Avgiftsfri kulturskola",
        "Socialnämnden — Fler fältassistenter",
    ]
    # The top suggestion for the first line is the kulturskola proposal, with a reason.
    assert at.radio(key="koppla_choice").value == P_KULTUR
    assert any("avgiftsfri" in m.value and "kulturskola" in m.value for m in at.markdown)
    assert at.button(key="koppla_split_save").disabled
    assert at.button(key="koppla_rule_save").disabled
    assert not rules_store(cfg.rules_file).read().rows


def test_editor_accepts_and_rejects_a_suggestion(cfg, editor_env):
    name, _ = editor_env
    at = _open()
    # The editor's session as pipelines.auth leaves it after a successful login (the form
    # itself is tested with pipelines.auth; AppTest drops app.py's sidebar after st.rerun).
    at.session_state["verkstad_editor"] = name
    at.run()
    assert not at.exception
    assert not at.button(key="koppla_accept").disabled

    # Reject the second suggestion for 'Fler fältassistenter': it is not offered again.
    at.selectbox(key="koppla_line").set_value(1).run()
    assert at.radio(key="koppla_choice").value == P_FALT
    second = _suggested(at)[1]
    at.radio(key="koppla_choice").set_value(second)
    at.text_input(key="koppla_note").input("Handlar inte om fältarbete")
    at.button(key="koppla_reject").click().run()
    assert not at.exception
    assert any("Avvisat" in s.value for s in at.success)
    (rejection,) = rejections_store(cfg.rejections_file).read().rows
    assert (rejection["line_item"], rejection["proposal_id"], rejection["author"]) == (
        "Fler fältassistenter",
        second,
        name,
    )
    assert second not in _suggested(at)
    assert _suggested(at)[0] == P_FALT

    # Accept the first suggestion: a rule, an audit entry, and the line is mapped.
    at.radio(key="koppla_choice").set_value(P_FALT)
    at.text_input(key="koppla_note").input("V:s satsning")
    at.button(key="koppla_accept").click().run()
    assert not at.exception
    assert any("Kopplad" in s.value for s in at.success)
    (rule,) = rules_store(cfg.rules_file).read().rows
    assert (rule["organisation"], rule["line_item"], rule["proposal_id"], rule["share"]) == (
        "Socialnämnden",
        "Fler fältassistenter",
        P_FALT,
        "1",
    )
    assert [(e["action"], e["who"], e["why"]) for e in read_audit(cfg.audit_log)] == [
        ("reject", name, "Handlar inte om fältarbete"),
        ("accept", name, "V:s satsning"),
    ]
    con = connect_read(cfg.db_path)
    assert con.execute(
        "select amount_sek from proposal_funding where proposal_id = ?", [P_FALT]
    ).fetchall() == [(5_000_000,)]
    # The worklist no longer shows the mapped line.
    labels = at.selectbox(key="koppla_line").options
    assert not any("Fler fältassistenter" in label for label in labels)


def _suggested(at: AppTest) -> list[str]:
    """The proposal ids the page offers for the chosen line, best first."""
    return at.session_state["_koppla_seen"]["suggested"]


P_TAXA = (
    "demokrati-politisk-styrning--taxor-avgifter--kulturskolan-ska-vara-avgiftsfri-samtidigt"
    "-som-avgiftshojningar-inom"
)


def _as_editor(name: str) -> AppTest:
    at = _open()
    at.session_state["verkstad_editor"] = name
    at.run()
    assert not at.exception
    return at


def test_editor_splits_a_line_and_over_100_percent_is_refused(cfg, editor_env):
    name, _ = editor_env
    at = _as_editor(name)
    assert at.session_state["_koppla_seen"]["line"].line_item == "Avgiftsfri kulturskola"
    at.multiselect(key="koppla_split").set_value([P_KULTUR, P_TAXA]).run()
    at.number_input(key="koppla_split_share_0").set_value(70)
    at.number_input(key="koppla_split_share_1").set_value(40)
    at.button(key="koppla_split_save").click().run()
    assert any("110" in e.value and "högst 100" in e.value for e in at.error)
    assert not rules_store(cfg.rules_file).read().rows
    at.number_input(key="koppla_split_share_1").set_value(30)
    at.button(key="koppla_split_save").click().run()
    assert not at.exception
    assert any("delad mellan 2 förslag" in s.value for s in at.success)
    rows = rules_store(cfg.rules_file).read().rows
    assert sorted((r["proposal_id"], r["share"]) for r in rows) == [
        (P_TAXA, "0.3"),
        (P_KULTUR, "0.7"),
    ]
    con = connect_read(cfg.db_path)
    assert con.execute(
        "select proposal_id, amount_sek from proposal_funding order by proposal_id"
    ).fetchall() == [(P_TAXA, 1_920_000), (P_KULTUR, 4_480_000)]


def test_a_stale_page_cannot_overwrite_another_editors_rule(cfg, editor_env):
    from pipelines.mapping import edits
    from pipelines.mapping.rules import Line

    name, _ = editor_env
    at = _as_editor(name)
    # Someone else maps the same line to the same proposal after this page was shown.
    other = Line("Kultur- och fritidsnämnden", "Avgiftsfri kulturskola", "forslag", "V", "drift")
    edits.accept(
        cfg, other, P_KULTUR, who="olle", base_version=rules_store(cfg.rules_file).read().version
    )
    at.radio(key="koppla_choice").set_value(P_KULTUR)
    at.button(key="koppla_accept").click().run()
    assert any("sparades inte" in e.value and "finns redan" in e.value for e in at.error)
    assert [r["author"] for r in rules_store(cfg.rules_file).read().rows] == ["olle"]


def test_editor_writes_a_pattern_rule_a_rename_and_removes_a_rule(cfg, editor_env):
    from pipelines.mapping.rules import crosswalk_store

    name, _ = editor_env
    at = _as_editor(name)
    at.text_input(key="koppla_rule_org").input("SN")
    at.text_input(key="koppla_rule_item").input("*fältassist*")
    at.radio(key="koppla_rule_match").set_value("mönster")
    at.selectbox(key="koppla_rule_document").set_value("forslag")
    at.number_input(key="koppla_rule_from").set_value(2025)
    at.selectbox(key="koppla_rule_proposal").set_value(P_FALT)
    at.text_input(key="koppla_rule_note").input("Alla fältassistentrader")
    at.button(key="koppla_rule_save").click().run()
    assert not at.exception
    assert any("Regeln för '*fältassist*' är sparad" in s.value for s in at.success)
    (rule,) = rules_store(cfg.rules_file).read().rows
    assert (
        rule["organisation"],
        rule["line_item"],
        rule["match"],
        rule["document"],
        rule["year_from"],
        rule["year_to"],
        rule["proposal_id"],
    ) == ("Socialnämnden", "*fältassist*", "pattern", "forslag", "2025", "", P_FALT)
    labels = at.selectbox(key="koppla_line").options
    assert not any("Fler fältassistenter" in label for label in labels)

    at.text_input(key="koppla_cw_old").input("Kulturskolan avgiftsfri")
    at.text_input(key="koppla_cw_new").input("Avgiftsfri kulturskola")
    at.text_input(key="koppla_cw_note").input("nytt namn 2027")
    at.button(key="koppla_cw_save").click().run()
    assert not at.exception
    (cw,) = crosswalk_store(cfg.crosswalk_file).read().rows
    assert (cw["organisation"], cw["line_item"], cw["canonical"], cw["author"]) == (
        "Kultur- och fritidsnämnden",
        "Kulturskolan avgiftsfri",
        "Avgiftsfri kulturskola",
        name,
    )

    at.selectbox(key="koppla_remove_rule").set_value(rule["rule_id"])
    at.text_input(key="koppla_remove_note").input("för bred")
    at.button(key="koppla_remove").click().run()
    assert not at.exception
    assert rules_store(cfg.rules_file).read().rows == ()
    assert [e["action"] for e in read_audit(cfg.audit_log)] == [
        "add_rule",
        "add_crosswalk",
        "remove_rule",
    ]
