"""`verkstad backup` / `verkstad restore`: a round trip, and archives that must be refused."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import insert_facts

from pipelines import backup
from pipelines.cli import cli
from pipelines.config import load_config
from pipelines.db import connect_read, write_transaction


@pytest.fixture
def setup(tmp_path, monkeypatch):
    """Every file a backup covers lives in tmp_path; returns (config, files)."""
    monkeypatch.setenv("VERKSTAD_MAPPING_DIR", str(tmp_path / "mapping"))
    monkeypatch.setenv("VERKSTAD_STATUS_DIR", str(tmp_path / "status"))
    monkeypatch.setenv("VERKSTAD_DB", str(tmp_path / "db" / "verkstad.duckdb"))
    from pipelines.ordmotverkstad import classifier
    from pipelines.payments import classify, queries

    monkeypatch.setattr(classify, "RULES_FILE", tmp_path / "suppliers" / "rules.csv")
    monkeypatch.setattr(classify, "AUDIT_FILE", tmp_path / "suppliers" / "audit.jsonl")
    monkeypatch.setattr(queries, "LINKS_FILE", tmp_path / "suppliers" / "proposal_links.csv")
    monkeypatch.setattr(classifier, "RULES_FILE", tmp_path / "omv" / "rules.csv")
    config = replace(load_config(), synonyms_file=tmp_path / "mapping" / "synonyms.csv")
    monkeypatch.setattr(backup, "load_config", lambda db=None: config.with_db(db))
    files = backup.backup_files(config)
    for member, path in files.items():
        if member != backup.DATABASE:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"innehåll i {member}\n", encoding="utf-8")
    config.db_path.parent.mkdir(parents=True)
    with write_transaction(config.db_path) as con:
        insert_facts(
            con,
            "doc_id, year, document, actor, budget_kind, organisation, measure, amount_sek,"
            " source_file",
            [["d1", 2026, "budget", "kommunen", "drift", "Kommunstyrelsen", "budget", 265e6,
              "mob.xlsx"]],
        )  # fmt: skip
    return config, files


def facts(config) -> list[tuple]:
    con = connect_read(config.db_path)
    try:
        return con.execute("select organisation, amount_sek from facts order by all").fetchall()
    finally:
        con.close()


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_backup_files_follow_the_configuration(setup, tmp_path):
    config, files = setup
    assert files["mapping/rules.csv"] == config.rules_file == tmp_path / "mapping" / "rules.csv"
    assert files["mapping/audit.jsonl"] == config.audit_log
    assert files["status/statuses.csv"] == tmp_path / "status" / "statuses.csv"
    assert files[backup.DATABASE] == config.db_path
    assert all(p.is_relative_to(tmp_path) for p in files.values())


def test_round_trip_restores_every_file_byte_for_byte(setup, tmp_path):
    config, files = setup
    before = {m: p.read_bytes() for m, p in files.items()}
    out = tmp_path / "kopia.tar.gz"
    result = run("backup", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Säkerhetskopia sparad" in result.output

    # everything changes after the backup: new facts, edited rules, a deleted status file
    with write_transaction(config.db_path) as con:
        con.execute("delete from fact_amounts")
    files["mapping/rules.csv"].write_text("ändrad\n", encoding="utf-8")
    files["status/statuses.csv"].unlink()
    assert facts(config) == []

    result = run("restore", str(out))
    assert result.exit_code == 0, result.output
    assert {m: p.read_bytes() for m, p in files.items()} == before
    assert facts(config) == [("Kommunstyrelsen", 265000000)]
    # the state that was replaced is kept in a safety backup
    safety = [p for p in (config.db_path.parent / "backups").glob("fore-aterstallning-*")]
    assert len(safety) == 1
    with tarfile.open(safety[0]) as tar:
        assert tar.extractfile("mapping/rules.csv").read() == "ändrad\n".encode()
        assert "status/statuses.csv" not in tar.getnames()


def test_a_file_absent_at_backup_is_removed_on_restore(setup, tmp_path):
    config, files = setup
    files["status/audit.jsonl"].unlink()
    out = tmp_path / "kopia.tar.gz"
    assert run("backup", "--out", str(out)).exit_code == 0
    manifest = json.loads(tarfile.open(out).extractfile("manifest.json").read())
    assert manifest["absent"] == ["status/audit.jsonl"]
    files["status/audit.jsonl"].write_text("senare\n", encoding="utf-8")
    assert run("restore", str(out)).exit_code == 0
    assert not files["status/audit.jsonl"].exists()


def test_backup_waits_for_a_running_writer(setup, tmp_path):
    """The database is copied under the writer lock: never a file a writer is replacing."""
    import threading
    import time

    config, _ = setup
    out = tmp_path / "kopia.tar.gz"
    started = threading.Event()
    done: list[float] = []

    def writer():
        with write_transaction(config.db_path) as con:
            started.set()
            time.sleep(1.0)
            con.execute("update fact_amounts set amount_sek = 1")
            done.append(time.monotonic())

    thread = threading.Thread(target=writer)
    thread.start()
    started.wait()
    backup.create_backup(config, out)
    finished = time.monotonic()
    thread.join()
    assert done and finished >= done[0]
    with tarfile.open(out) as tar:
        data = tar.extractfile(backup.DATABASE).read()
    restored = tmp_path / "x.duckdb"
    restored.write_bytes(data)
    con = connect_read(restored)
    assert con.execute("select amount_sek from facts").fetchall() == [(1,)]
    con.close()


def _archive(path: Path, members: dict[str, bytes], manifest: dict | None = None, links=()):
    """A hand-made archive; the manifest lists the members with their real hashes."""
    if manifest is None:
        manifest = {
            "format": backup.FORMAT,
            "members": {
                n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)}
                for n, d in members.items()
            },
            "absent": [],
        }
    with tarfile.open(path, "w:gz") as tar:
        for name, data in {**members, "manifest.json": json.dumps(manifest).encode()}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for name, target in links:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = tarfile.SYMTYPE, target
            tar.addfile(info)
    return path


def _valid_db(config) -> bytes:
    return config.db_path.read_bytes()


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("absolute", "otillåten sökväg"),
        ("dotdot", "otillåten sökväg"),
        ("unknown", "okänd fil"),
        ("symlink", "ingen vanlig fil"),
        ("bad_hash", "kontrollsumma"),
        ("no_manifest", "manifest.json saknas"),
        ("no_database", "databasen saknas"),
        ("not_a_database", "kan inte öppnas"),
        ("not_an_archive", "inte en läsbar säkerhetskopia"),
        ("unlisted", "stämmer inte överens"),
    ],
)
def test_restore_refuses_bad_archives_and_changes_nothing(setup, tmp_path, case, words):
    config, files = setup
    before = {m: p.read_bytes() for m, p in files.items()}
    db = _valid_db(config)
    rules = b"regel\n"
    bad = tmp_path / "bad.tar.gz"
    if case == "absolute":
        _archive(bad, {backup.DATABASE: db, "/etc/cron.d/x": b"* * * * * root sh"})
    elif case == "dotdot":
        _archive(bad, {backup.DATABASE: db, "mapping/../../../evil.csv": rules})
    elif case == "unknown":
        _archive(bad, {backup.DATABASE: db, "mapping/other.csv": rules})
    elif case == "symlink":
        _archive(bad, {backup.DATABASE: db}, links=[("mapping/rules.csv", "/etc/passwd")])
    elif case == "bad_hash":
        manifest = {
            "format": backup.FORMAT,
            "members": {backup.DATABASE: {"sha256": "0" * 64}, "mapping/rules.csv": {}},
            "absent": [],
        }
        _archive(bad, {backup.DATABASE: db, "mapping/rules.csv": rules}, manifest)
    elif case == "no_manifest":
        with tarfile.open(bad, "w:gz") as tar:
            info = tarfile.TarInfo(backup.DATABASE)
            info.size = len(db)
            tar.addfile(info, io.BytesIO(db))
    elif case == "no_database":
        _archive(bad, {"mapping/rules.csv": rules})
    elif case == "not_a_database":
        _archive(bad, {backup.DATABASE: b"inte en databas" * 100})
    elif case == "not_an_archive":
        bad.write_bytes(b"hello")
    elif case == "unlisted":
        manifest = {"format": backup.FORMAT, "members": {}, "absent": []}
        _archive(bad, {backup.DATABASE: db}, manifest)
    result = CliRunner().invoke(cli, ["restore", str(bad)])
    assert result.exit_code == 1, result.output
    assert words in result.output, result.output
    assert {m: p.read_bytes() for m, p in files.items()} == before
    # no staged temporary files are left beside the destinations
    leftovers = [p for p in tmp_path.rglob("*.restore")]
    assert leftovers == []
    assert not (tmp_path.parent / "evil.csv").exists()


def test_backup_without_database_is_a_clear_error(setup):
    config, _ = setup
    config.db_path.unlink()
    result = CliRunner().invoke(cli, ["backup"])
    assert result.exit_code == 1
    assert "Databasen finns inte" in result.output
