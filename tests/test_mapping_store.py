"""The mapping files: atomic writes, concurrent editors, the audit log."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from pipelines.config import load_config
from pipelines.mapping import edits
from pipelines.mapping.rules import Line, RuleError, crosswalk_store, rejections_store, rules_store
from pipelines.mapping.store import ConflictError, read_audit, write_atomic

LINE = Line("Socialnämnden", "Fler fältassistenter", "forslag", "V", "drift", 2026)
P_FALT = "socialt-stod-omsorg--satsa-mer-pa-forebyggande-sociala-insatser-till-exempel"
P_BARN = "socialt-stod-omsorg--sarskilt-fokusera-pa-att-minska-barnfattigdomen-genom-att"


@pytest.fixture
def cfg(tmp_path, monkeypatch):
    """Config with the database and every mapping file in tmp_path (no database file yet)."""
    monkeypatch.setenv("VERKSTAD_DB", str(tmp_path / "v.duckdb"))
    monkeypatch.setenv("VERKSTAD_MAPPING_DIR", str(tmp_path / "mapping"))
    return load_config()


def test_config_paths_follow_the_environment(cfg, tmp_path, monkeypatch):
    assert cfg.rules_file == tmp_path / "mapping" / "rules.csv"
    assert cfg.audit_log == tmp_path / "mapping" / "audit.jsonl"
    monkeypatch.setenv("VERKSTAD_RULES", str(tmp_path / "other.csv"))
    assert load_config().rules_file == tmp_path / "other.csv"


def test_accept_writes_a_rule_and_an_audit_entry(cfg):
    version = rules_store(cfg.rules_file).read().version
    snap = edits.accept(cfg, LINE, P_FALT, who="anna", why="V:s satsning", base_version=version)
    assert [
        (r["organisation"], r["line_item"], r["proposal_id"], r["share"], r["author"])
        for r in snap.rows
    ] == [("Socialnämnden", "Fler fältassistenter", P_FALT, "1", "anna")]
    assert rules_store(cfg.rules_file).read() == snap
    (entry,) = read_audit(cfg.audit_log)
    assert entry["who"] == "anna"
    assert entry["why"] == "V:s satsning"
    assert entry["action"] == "accept"
    assert entry["file"] == "rules.csv"
    assert entry["changes"] == [{"op": "add", "row": snap.rows[0]}]
    assert entry["context"]["line"]["line_item"] == "Fler fältassistenter"
    assert entry["version_before"] == version and entry["version_after"] == snap.version
    assert entry["at"].endswith("Z")


def test_split_refuses_more_than_100_percent_and_writes_nothing(cfg):
    version = rules_store(cfg.rules_file).read().version
    with pytest.raises(RuleError, match="120\u00a0%"):
        edits.split(
            cfg, LINE, [(P_FALT, "0,7"), (P_BARN, "50 %")], who="anna", base_version=version
        )
    assert not cfg.rules_file.exists()
    assert read_audit(cfg.audit_log) == []
    snap = edits.split(
        cfg, LINE, [(P_FALT, "0,7"), (P_BARN, "30 %")], who="anna", base_version=version
    )
    assert sorted((r["proposal_id"], r["share"]) for r in snap.rows) == [
        (P_BARN, "0.3"),
        (P_FALT, "0.7"),
    ]
    # A later split of the same line may not push it over 100 % either.
    with pytest.raises(RuleError, match="mer än 100 %"):
        edits.accept(cfg, LINE, "p-annat", who="olle", share="0.2", base_version=snap.version)


def test_concurrent_edits_of_different_lines_merge(cfg):
    seen = rules_store(cfg.rules_file).read().version  # both editors read the same version
    edits.accept(cfg, LINE, P_FALT, who="anna", base_version=seen)
    other = Line(
        "Kultur- och fritidsnämnden", "Avgiftsfri kulturskola", "forslag", "V", "drift", 2026
    )
    snap = edits.accept(cfg, other, "p-kultur", who="olle", base_version=seen)
    assert {r["author"] for r in snap.rows} == {"anna", "olle"}
    assert read_audit(cfg.audit_log)[-1]["merged"] is True


def test_the_same_decision_twice_at_once_is_refused(cfg):
    seen = rules_store(cfg.rules_file).read().version
    edits.accept(cfg, LINE, P_FALT, who="anna", base_version=seen)
    with pytest.raises(ConflictError, match="finns redan"):
        edits.accept(cfg, LINE, P_FALT, who="olle", base_version=seen)
    assert len(rules_store(cfg.rules_file).read().rows) == 1


def test_removing_a_rule_someone_else_changed_or_removed_is_refused(cfg):
    snap = edits.accept(
        cfg, LINE, P_FALT, who="anna", base_version=rules_store(cfg.rules_file).read().version
    )
    seen_row = snap.rows[0]
    # Olle edits the file by hand: the share changes.
    text = cfg.rules_file.read_text(encoding="utf-8").replace(",1,", ",0.5,")
    write_atomic(cfg.rules_file, text.encode("utf-8"))
    with pytest.raises(ConflictError, match="ändrats av någon annan"):
        edits.remove_rule(cfg, seen_row, who="anna", why="fel", base_version=snap.version)
    current = rules_store(cfg.rules_file).read()
    edits.remove_rule(cfg, current.rows[0], who="anna", why="fel", base_version=current.version)
    with pytest.raises(ConflictError, match="tagits bort"):
        edits.remove_rule(cfg, current.rows[0], who="olle", why="fel", base_version=current.version)
    assert rules_store(cfg.rules_file).read().rows == ()
    assert [e["action"] for e in read_audit(cfg.audit_log)] == ["accept", "remove_rule"]


def test_a_failed_write_leaves_the_old_file(cfg, monkeypatch):
    snap = edits.accept(
        cfg, LINE, P_FALT, who="anna", base_version=rules_store(cfg.rules_file).read().version
    )
    before = cfg.rules_file.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    other = Line("Socialnämnden", "Kommunala HVB-hem", "forslag", "V", "drift", 2026)
    with pytest.raises(OSError, match="disk full"):
        edits.accept(cfg, other, "p-hvb", who="olle", base_version=snap.version)
    monkeypatch.undo()
    assert cfg.rules_file.read_bytes() == before
    assert [p.name for p in cfg.rules_file.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert len(read_audit(cfg.audit_log)) == 1  # no audit entry for a change that did not happen


def _add_many(args):
    mapping_dir, db, worker, n = args
    os.environ["VERKSTAD_MAPPING_DIR"] = mapping_dir
    os.environ["VERKSTAD_DB"] = db
    cfg = load_config()
    store = rules_store(cfg.rules_file)
    done = 0
    for i in range(n):
        line = Line("Socialnämnden", f"Rad {worker}-{i}", "budget", "kommunen", "drift", 2026)
        # Every editor works from a version that is probably already stale.
        seen = store.read().version
        edits.accept(
            cfg, line, P_FALT, who=f"redaktör{worker}", base_version=seen, rebuild_marts=False
        )
        done += 1
    return done


def test_concurrent_processes_never_drop_each_others_rules(cfg, tmp_path):
    args = [(str(tmp_path / "mapping"), str(tmp_path / "v.duckdb"), w, 15) for w in range(4)]
    with multiprocessing.get_context("fork").Pool(4) as pool:
        assert sum(pool.map(_add_many, args)) == 60
    rows = rules_store(cfg.rules_file).read().rows
    assert len(rows) == 60
    assert len({r["line_item"] for r in rows}) == 60
    audit = read_audit(cfg.audit_log)
    assert len(audit) == 60
    # The versions chain: every write started from the file the previous one left.
    assert {e["version_before"] for e in audit[1:]} == {e["version_after"] for e in audit[:-1]}


def test_rejections_and_crosswalk_are_audited_files_too(cfg):
    edits.reject(cfg, LINE, P_BARN, who="anna", why="handlar om barnfattigdom", base_version="")
    assert edits.rejected_for(cfg, "SN", "fler fältassistenter") == {P_BARN}
    assert edits.rejected_for(cfg, "Socialnämnden", "Kommunala HVB-hem") == set()
    edits.add_crosswalk(
        cfg,
        organisation="Socialnämnden",
        line_item="Fältassistenter",
        canonical="Fältverksamhet",
        who="olle",
        why="bytte namn 2025",
        base_version="",
    )
    assert [r["canonical"] for r in crosswalk_store(cfg.crosswalk_file).read().rows] == [
        "Fältverksamhet"
    ]
    assert len(rejections_store(cfg.rejections_file).read().rows) == 1
    assert [(e["action"], e["who"]) for e in read_audit(cfg.audit_log)] == [
        ("reject", "anna"),
        ("add_crosswalk", "olle"),
    ]
    with pytest.raises(ValueError):
        edits.reject(cfg, LINE, P_FALT, who=" ", base_version="")


def test_audit_log_is_a_hash_chain_that_shows_edits(cfg):
    from pipelines.mapping.store import verify_audit

    seen = rules_store(cfg.rules_file).read().version
    for i in range(3):
        line = Line("Socialnämnden", f"Rad {i}", "budget", "kommunen", "drift", 2026)
        seen = edits.accept(cfg, line, P_FALT, who="anna", base_version=seen).version
    assert verify_audit(cfg.audit_log) == []
    entries = read_audit(cfg.audit_log)
    assert entries[0]["prev"] is None and all(e["prev"] for e in entries[1:])
    lines = cfg.audit_log.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace('"who": "anna"', '"who": "olle"')
    cfg.audit_log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert verify_audit(cfg.audit_log) == [
        "rad 3: kedjan bruten (raden före har ändrats eller tagits bort)"
    ]
    del lines[1]
    cfg.audit_log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(verify_audit(cfg.audit_log)) == 1


def test_a_rules_file_saved_by_swedish_excel_is_read(cfg):
    text = (
        "rule_id;organisation;line_item;match;document;actor;budget_kind;year_from;year_to;"
        "proposal_id;share;note;author;changed_at\r\n"
        f"r1;Socialnämnden;Fältassistenter;exact;;;;;;{P_FALT};0,5;från Excel;anna;\r\n"
    )
    cfg.rules_file.parent.mkdir(parents=True)
    cfg.rules_file.write_bytes(text.encode("cp1252"))
    snap = rules_store(cfg.rules_file).read()
    assert [(r["organisation"], r["share"], r["note"]) for r in snap.rows] == [
        ("Socialnämnden", "0,5", "från Excel")
    ]
    # The next edit writes the file back as UTF-8 with commas, keeping the rule.
    edits.accept(cfg, LINE, P_BARN, who="olle", share="0,5", base_version=snap.version)
    written = cfg.rules_file.read_text(encoding="utf-8")
    assert written.startswith("rule_id,organisation,") and "från Excel" in written
    assert len(rules_store(cfg.rules_file).read().rows) == 2
