"""`verkstad backup` and `verkstad restore`: the database and the files people edit.

A backup is a gzip'd tar archive with a manifest. It holds:

- `database/verkstad.duckdb`: the database, copied under the writer lock of db.py, so no
  ingest is half-way through it (a write replaces the file only under that lock);
- `mapping/…`: the mapping rules, crosswalk, rejections, synonyms and their audit log
  (paths from pipelines.config), each read under the lock its writers take;
- `status/…`: the budget group's statuses and their audit log (pipelines.dashboard.status);
- `suppliers/…`: supplier classification rules, proposal links and their audit log;
- `ord_mot_verkstad/rules.csv`: the word classification rules.

The raw documents (data/raw) are not included: they are the inputs, kept wherever they came
from, and `verkstad ingest` rebuilds the database from them.

`restore` trusts nothing in the archive: only regular files with the known member names
(no absolute paths, no `..`, no links), sizes within the limit, SHA-256 as in the
manifest, and a database that DuckDB opens with a `facts` view. Only then is the current
state saved to a safety backup and every file replaced with one atomic rename each, under
the same locks. A member the manifest marks as absent (the file did not exist when the
backup was made) is removed on restore.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import click

from pipelines.cli_options import db_option
from pipelines.config import Config, load_config
from pipelines.db import file_lock

FORMAT = "verkstad-backup/1"
MANIFEST = "manifest.json"
DATABASE = "database/verkstad.duckdb"


class BackupError(Exception):
    """A backup cannot be made or an archive cannot be restored. The message is Swedish."""


def backup_files(config: Config) -> dict[str, Path]:
    """Archive member name → the file it backs up, for this configuration."""
    from pipelines.dashboard import status
    from pipelines.ordmotverkstad import classifier
    from pipelines.payments import classify, queries

    status_file, status_audit, _ = status._files()
    return {
        DATABASE: config.db_path,
        "mapping/rules.csv": config.rules_file,
        "mapping/crosswalk.csv": config.crosswalk_file,
        "mapping/rejections.csv": config.rejections_file,
        "mapping/synonyms.csv": config.synonyms_file,
        "mapping/audit.jsonl": config.audit_log,
        "status/statuses.csv": status_file,
        "status/audit.jsonl": status_audit,
        "suppliers/rules.csv": classify.RULES_FILE,
        "suppliers/audit.jsonl": classify.AUDIT_FILE,
        "suppliers/proposal_links.csv": queries.LINKS_FILE,
        "ord_mot_verkstad/rules.csv": classifier.RULES_FILE,
    }


@contextmanager
def _flock(path: Path, mode: int) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, mode)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _all_locks(config: Config, files: dict[str, Path]) -> Iterator[None]:
    """The locks every writer of these files takes: the database's writer lock, each rules
    file's `.lock`, the status lock, and the audit logs themselves (appends lock the file).
    Taken in the writers' order (store lock before audit log), so nobody waits in a circle."""
    from pipelines.dashboard import status

    with ExitStack() as stack:
        stack.enter_context(file_lock(config.lock_path))
        for member, path in files.items():
            if member.startswith("mapping/") and member.endswith(".csv"):
                stack.enter_context(_flock(path.with_name(path.name + ".lock"), fcntl.LOCK_EX))
        stack.enter_context(_flock(status._files()[2], fcntl.LOCK_EX))
        for member, path in files.items():
            if member.endswith(".jsonl") and path.exists():
                handle = stack.enter_context(open(path, "rb"))
                fcntl.flock(handle, fcntl.LOCK_SH)
        yield


def default_backup_path(config: Config) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return config.db_path.parent / "backups" / f"verkstad-{stamp}.tar.gz"


def create_backup(config: Config, out: Path | None = None) -> tuple[Path, dict]:
    """Write a backup archive; returns its path and manifest."""
    files = backup_files(config)
    if not config.db_path.exists():
        raise BackupError(f"Databasen finns inte: {config.db_path}")
    out = Path(out) if out else default_backup_path(config)
    with _all_locks(config, files):
        manifest = _write_archive(files, out)
    return out, manifest


def _write_archive(files: dict[str, Path], out: Path) -> dict:
    """The archive, written to a temporary name and renamed into place when complete."""
    out.parent.mkdir(parents=True, exist_ok=True)
    manifest: dict = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "members": {},
        "absent": [],
    }
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for member, path in files.items():
                if not path.is_file():
                    manifest["absent"].append(member)
                    continue
                digest = hashlib.sha256()
                with open(path, "rb") as fh:
                    for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                        digest.update(block)
                    size = fh.tell()
                    fh.seek(0)
                    info = tarfile.TarInfo(member)
                    info.size, info.mode = size, 0o644
                    info.mtime = int(path.stat().st_mtime)
                    tar.addfile(info, fh)
                manifest["members"][member] = {"sha256": digest.hexdigest(), "size": size}
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o644, int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return manifest


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not name.startswith(("/", "\\"))
        and "\\" not in name
        and ".." not in path.parts
        and ":" not in name
        and name == str(path)
    )


def restore_backup(config: Config, archive: Path) -> tuple[dict, Path | None]:
    """Validate `archive` completely, save the current state, then put every file back.

    Returns the restored manifest and the path of the safety backup of what was replaced
    (None when there was no database to save).
    """
    files = backup_files(config)
    limit = config.limits.max_uncompressed_bytes
    staged: dict[str, Path] = {}
    try:
        manifest = _stage(archive, files, limit, staged)
        _check_database(staged[DATABASE])
        with _all_locks(config, files):
            safety = default_backup_path(config).with_name(
                f"fore-aterstallning-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S-%f')}.tar.gz"
            )
            if config.db_path.exists():
                _write_archive(files, safety)
            else:
                safety = None
            for member, tmp in staged.items():
                target = files[member]
                os.replace(tmp, target)
                _fsync_dir(target.parent)
            for member in manifest["absent"]:
                if member != DATABASE:
                    files[member].unlink(missing_ok=True)
        staged.clear()
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
    return manifest, safety


def _stage(archive: Path, files: dict[str, Path], limit: int, staged: dict[str, Path]) -> dict:
    """Check every member and copy each to a temporary file beside its destination."""
    name = Path(archive).name
    try:
        tar = tarfile.open(archive, mode="r:*")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{name}: inte en läsbar säkerhetskopia ({exc})") from exc
    with tar:
        try:
            members = tar.getmembers()
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"{name}: arkivet är trasigt ({exc})") from exc
        names = [m.name for m in members]
        if len(set(names)) != len(names):
            raise BackupError(f"{name}: samma fil finns två gånger i arkivet")
        for m in members:
            if not _safe_member(m.name):
                raise BackupError(f"{name}: otillåten sökväg i arkivet: '{m.name}'")
            if m.name != MANIFEST and m.name not in files:
                raise BackupError(f"{name}: okänd fil i arkivet: '{m.name}'")
            if not m.isreg():
                raise BackupError(f"{name}: '{m.name}' är ingen vanlig fil (länk eller katalog)")
            if m.size > limit:
                raise BackupError(f"{name}: '{m.name}' är större än gränsen {limit:,} byte")
        if MANIFEST not in names:
            raise BackupError(f"{name}: manifest.json saknas, det är ingen Verkstad-säkerhetskopia")
        try:
            manifest = json.loads(tar.extractfile(MANIFEST).read(1 << 20))
            listed = dict(manifest["members"])
            absent = list(manifest.get("absent", []))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(f"{name}: manifest.json kan inte läsas ({exc})") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{name}: okänt format {manifest.get('format')!r}, väntade {FORMAT}")
        in_archive = set(names) - {MANIFEST}
        if set(listed) != in_archive:
            raise BackupError(f"{name}: manifestet och arkivets filer stämmer inte överens")
        if not set(absent) <= set(files) or set(absent) & in_archive:
            raise BackupError(f"{name}: manifestets lista över saknade filer är ogiltig")
        if DATABASE not in in_archive:
            raise BackupError(f"{name}: databasen saknas i säkerhetskopian")
        for m in members:
            if m.name == MANIFEST:
                continue
            target = files[m.name]
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".restore", dir=target.parent
            )
            staged[m.name] = Path(tmp_name)
            digest = hashlib.sha256()
            source = tar.extractfile(m)
            with os.fdopen(fd, "wb") as out:
                while block := source.read(1 << 20):
                    digest.update(block)
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
            if digest.hexdigest() != listed[m.name].get("sha256"):
                raise BackupError(f"{name}: '{m.name}' stämmer inte med manifestets kontrollsumma")
        manifest["absent"] = absent
        return manifest


def _check_database(path: Path) -> None:
    import duckdb

    try:
        con = duckdb.connect()
        try:
            con.execute("attach ? as restored (read_only)", [str(path)])
            con.execute("select count(*) from restored.facts").fetchone()
        finally:
            con.close()
    except duckdb.Error as exc:
        raise BackupError(f"databasen i säkerhetskopian kan inte öppnas ({exc})") from exc


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- commands ------------------------------------------------------------------------------


@click.command("backup")
@db_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Arkivfil (standard: data/backups/verkstad-DATUM.tar.gz bredvid databasen).",
)
def backup_command(db: Path | None, out: Path | None) -> None:
    """Säkerhetskopiera databasen, kopplingsregler, statusar och ändringsloggar."""
    config = load_config(db)
    try:
        path, manifest = create_backup(config, out)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Säkerhetskopia sparad: {path}")
    for member, info in manifest["members"].items():
        click.echo(f"    {member} ({info['size']:,} byte)".replace(",", " "))
    for member in manifest["absent"]:
        click.echo(f"    {member} (fanns inte)")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
def restore_command(archive: Path, db: Path | None) -> None:
    """Återställ från en säkerhetskopia (det nuvarande läget sparas först)."""
    config = load_config(db)
    try:
        manifest, safety = restore_backup(config, archive)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Återställt från {archive} (skapad {manifest.get('created', '?')}):")
    for member in manifest["members"]:
        click.echo(f"    {member}")
    for member in manifest["absent"]:
        click.echo(f"    {member} (fanns inte i kopian, borttagen)")
    if safety:
        click.echo(f"Det tidigare läget sparades i {safety}")
