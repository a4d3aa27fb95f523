"""`verkstad suggest`: ranked proposals for a budget line, with scores and reasons."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pipelines.cli_options import db_option
from pipelines.config import load_config
from pipelines.mapping.review import suggester_for
from pipelines.registry import normalise


@click.command("suggest")
@click.option(
    "--organisation", "--org", required=True, help="Nämnd eller bolag, t.ex. Socialnämnden."
)
@click.option("--line-item", required=True, help="Budgetradens text, t.ex. 'Fler fältassistenter'.")
@click.option("--top", type=click.IntRange(1, 50), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Skriv förslagen som JSON.")
@db_option
def suggest_command(
    organisation: str, line_item: str, top: int, as_json: bool, db: Path | None
) -> None:
    """Rangordna programförslag för en budgetrad, med skäl."""
    config = load_config(db)
    suggester, source = suggester_for(config)
    known = normalise(organisation)
    results = suggester.suggest(organisation, line_item, top=top)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "organisation": known or organisation,
                    "organisation_known": known is not None,
                    "line_item": line_item,
                    "proposals_from": source,
                    "suggestions": [r.to_dict() for r in results],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if known is None:
        click.echo(f"Obs: '{organisation}' finns inte i organisationsregistret.", err=True)
    click.echo(f"Förslag för '{line_item}' ({known or organisation}), ur {source}:")
    if not results:
        click.echo("  Inga förslag: programmet är inte inläst.")
    for rank, r in enumerate(results, start=1):
        click.echo(f"{rank:>2}. {r.score:.2f}  {r.title}")
        click.echo(f"      {r.proposal_id}")
        click.echo(f"      Varför: {r.reason or '–'}")
