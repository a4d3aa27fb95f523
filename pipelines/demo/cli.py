"""`verkstad demo`: generate the demo documents and ingest them like any other files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipelines.cli_options import db_option
from pipelines.config import load_config
from pipelines.ingest import IngestOptions, ingest


@click.command("demo")
@db_option
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Mapp för de genererade dokumenten (standard: data/demo).",
)
@click.option("--json", "as_json", is_flag=True, help="Skriv rapporten som JSON.")
def demo_command(db: Path | None, out: Path | None, as_json: bool) -> None:
    """Skapa demodokumenten (påhittade belopp) och läs in dem med samma import som riktiga filer."""
    from pipelines.cli import print_reports  # the same report as `verkstad ingest`
    from pipelines.demo import generate

    config = load_config(db)
    config.db_path.parent.mkdir(parents=True, exist_ok=True)
    out = out or config.data_dir / "demo"
    paths = generate(out)
    if not as_json:
        click.echo(f"Demodata — påhittade belopp: {len(paths)} dokument i {out}", err=True)
    reports = ingest(paths, IngestOptions(config=config, demo=True))
    print_reports(reports, as_json)
    sys.exit(1 if any(r.status == "rejected" for r in reports) else 0)
