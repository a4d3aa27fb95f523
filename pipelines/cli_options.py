"""Options shared by every `verkstad` subcommand, wherever the subcommand is defined."""

from pathlib import Path

import click

db_option = click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Databasfil (standard: data/verkstad.duckdb eller $VERKSTAD_DB).",
)
