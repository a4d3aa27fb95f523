"""The `verkstad` command (also `python -m pipelines`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from tqdm import tqdm

from pipelines.backup import backup_command, restore_command
from pipelines.cli_options import db_option
from pipelines.config import load_config
from pipelines.demo.cli import demo_command
from pipelines.ingest import FileReport, IngestOptions, ingest
from pipelines.mapping.cli import suggest_command
from pipelines.payments.cli import suppliers
from pipelines.statistics.fetch import fetch_command

KINDS = ["program", "budget", "forslag", "delarsrapport", "bokslut", "payments", "statistik"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Verkstad: budget mot handlingsprogram för Vänsterpartiet Södertälje."""


def print_reports(reports: list[FileReport], as_json: bool) -> None:
    """The ingest report, as text on stdout or as JSON."""
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2))
        return
    from pipelines.sources.upload import report_lines

    for r in reports:
        for line in report_lines(r):
            click.echo(line)
    accepted = sum(r.status == "accepted" for r in reports)
    rejected = sum(r.status == "rejected" for r in reports)
    skipped = len(reports) - accepted - rejected
    click.echo(f"{accepted} accepted, {rejected} rejected, {skipped} already loaded")


@cli.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option(
    "--kind", type=click.Choice(KINDS), default=None, help="Dokumentslag, om det inte ska gissas."
)
@click.option("--year", type=click.IntRange(1990, 2100), default=None, help="Dokumentets år.")
@click.option("--json", "as_json", is_flag=True, help="Skriv rapporten som JSON.")
def ingest_command(
    paths: tuple[Path, ...], db: Path | None, kind: str | None, year: int | None, as_json: bool
) -> None:
    """Läs in dokument (filer och mappar) i databasen."""
    config = load_config(db)
    config.db_path.parent.mkdir(parents=True, exist_ok=True)
    opts = IngestOptions(config=config, kind=kind, year=year)

    def progress(files):
        return tqdm(files, desc="ingest", unit="fil", disable=len(files) < 3, file=sys.stderr)

    reports = ingest(paths, opts, progress=progress)
    print_reports(reports, as_json)
    sys.exit(1 if any(r.status == "rejected" for r in reports) else 0)


@cli.command("hash-password")
def hash_password_command() -> None:
    """Skriv ut en argon2-hash för en redaktör (till VERKSTAD_EDITORS eller secrets)."""
    from pipelines.auth import hash_password

    password = click.prompt("Lösenord", hide_input=True, confirmation_prompt=True)
    try:
        click.echo(hash_password(password))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc


cli.add_command(demo_command)


cli.add_command(suggest_command)


cli.add_command(fetch_command)


cli.add_command(backup_command)


cli.add_command(restore_command)


cli.add_command(suppliers)


def main() -> None:
    cli()
