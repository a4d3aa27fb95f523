"""Paths and limits in one typed object, every path from one project root."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@dataclass(frozen=True)
class Limits:
    """Limits on what an uploaded or ingested file may make us do."""

    max_file_bytes: int = 200 * 1024 * 1024
    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    max_compression_ratio: float = 200.0
    max_sheets: int = 250
    max_rows_per_sheet: int = 2_000_000
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_zip_members: int = 10_000  # parts in an xlsx/ods/docx archive
    max_cells_per_sheet: int = 50_000_000  # rows x columns the reader would allocate


@dataclass(frozen=True)
class Config:
    """Where things live. The database path decides where its raw archive lives."""

    db_path: Path
    root: Path = ROOT
    data_dir: Path = DATA
    program_dir: Path = DATA / "program"
    organisations_file: Path = DATA / "organisations.csv"
    limits: Limits = field(default_factory=Limits)
    # Mapping of budget lines to proposals: files people edit and review (pipelines/mapping).
    rules_file: Path = DATA / "mapping" / "rules.csv"
    crosswalk_file: Path = DATA / "mapping" / "crosswalk.csv"
    rejections_file: Path = DATA / "mapping" / "rejections.csv"
    synonyms_file: Path = DATA / "mapping" / "synonyms.csv"
    audit_log: Path = DATA / "mapping" / "audit.jsonl"

    @property
    def raw_dir(self) -> Path:
        """Archive of ingested documents by content hash, beside the database."""
        return self.db_path.parent / "raw"

    @property
    def lock_path(self) -> Path:
        return self.db_path.with_name(self.db_path.name + ".lock")

    def with_db(self, db: str | os.PathLike | None) -> Config:
        return self if db is None else replace(self, db_path=Path(db).resolve())


def load_config(db: str | os.PathLike | None = None) -> Config:
    """The configuration, with the database from the argument, $VERKSTAD_DB or the default."""
    path = db or os.environ.get("VERKSTAD_DB") or DATA / "verkstad.duckdb"
    return Config(db_path=Path(path).resolve(), **_mapping_paths())


def _mapping_paths() -> dict[str, Path]:
    """Mapping files from $VERKSTAD_MAPPING_DIR (all of them), $VERKSTAD_RULES, $VERKSTAD_AUDIT."""
    paths: dict[str, Path] = {}
    folder = os.environ.get("VERKSTAD_MAPPING_DIR")
    if folder:
        base = Path(folder).resolve()
        paths = {
            "rules_file": base / "rules.csv",
            "crosswalk_file": base / "crosswalk.csv",
            "rejections_file": base / "rejections.csv",
            "audit_log": base / "audit.jsonl",
        }
    if os.environ.get("VERKSTAD_RULES"):
        paths["rules_file"] = Path(os.environ["VERKSTAD_RULES"]).resolve()
    if os.environ.get("VERKSTAD_AUDIT"):
        paths["audit_log"] = Path(os.environ["VERKSTAD_AUDIT"]).resolve()
    return paths
