"""How often `verkstad suggest` finds the right proposal without the rules.

For every named satsning in the party's budget proposal (facts with document 'forslag' and
actor 'V', the nämnd totals left out), the shipped rules say which proposal it funds; the
suggester, which never reads the rules, ranks the proposals for the same line. A hit is the
rules' proposal among the top N. Lines no rule maps are listed as unmapped.

    python -m pipelines.mapping.hitrate [--db FILE] [--top 3] [--json]

Without satsningar in the database, the exact rules of the rules file are used as the lines.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import click

from pipelines import registry
from pipelines.config import Config, load_config
from pipelines.db import connect_read
from pipelines.mapping.review import suggester_for
from pipelines.mapping.rules import (
    Crosswalk,
    Line,
    crosswalk_store,
    parse_rules,
    resolve,
    rules_store,
)


@dataclass
class Case:
    organisation: str
    line_item: str
    expected: list[str]
    ranked: list[str]
    hit: bool


def _satsning_lines(config: Config) -> list[tuple[str, str]]:
    if not config.db_path.exists():
        return []
    con = connect_read(config.db_path)
    try:
        rows = con.execute(
            "select distinct organisation, line_item from facts"
            " where document = ? and actor = ? and line_item is not null order by 1, 2",
            ["forslag", "V"],
        ).fetchall()
    finally:
        con.close()
    # A line that names its own nämnd is the nämnd's ram, not a satsning.
    return [(org, item) for org, item in rows if registry.normalise(item) != org]


def evaluate(config: Config, top: int = 3) -> tuple[list[Case], list[tuple[str, str]], str]:
    """(cases with a rule, lines without one, where the lines came from)."""
    rules, _ = parse_rules(rules_store(config.rules_file).read().rows)
    crosswalk = Crosswalk.from_rows(crosswalk_store(config.crosswalk_file).read().rows)
    lines = [(org, item, "drift") for org, item in _satsning_lines(config)]
    source = "V:s satsningar i databasen"
    if not lines:
        # Each rule's line in the kind of money it names (an investment rule is no drift line).
        lines = sorted(
            {
                (r.organisation, r.line_item, r.budget_kind or "drift")
                for r in rules
                if r.match == "exact"
            }
        )
        source = "de exakta reglerna i regelfilen (inga satsningar i databasen)"
    suggester, _ = suggester_for(config)
    cases, unmapped = [], []
    for org, item, budget_kind in lines:
        line = Line(org, item, "forslag", "V", budget_kind, None)
        expected = sorted({r.proposal_id for r in resolve(rules, line, crosswalk)})
        if not expected:
            unmapped.append((org, item))
            continue
        ranked = [s.proposal_id for s in suggester.suggest(org, item, top=top)]
        cases.append(Case(org, item, expected, ranked, bool(set(expected) & set(ranked))))
    return cases, unmapped, source


@click.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--top", type=click.IntRange(1, 20), default=3, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def main(db: Path | None, top: int, as_json: bool) -> None:
    """Träffsäkerheten för förslagen: rätt förslag bland de N första, utan reglerna."""
    config = load_config(db)
    cases, unmapped, source = evaluate(config, top)
    hits = sum(c.hit for c in cases)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "source": source,
                    "top": top,
                    "hits": hits,
                    "cases": [asdict(c) for c in cases],
                    "unmapped": unmapped,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(f"Rader: {source}")
    for c in cases:
        mark = "TRÄFF" if c.hit else "MISS "
        where = next((i + 1 for i, p in enumerate(c.ranked) if p in c.expected), None)
        click.echo(
            f"{mark} {c.organisation} / {c.line_item}" + (f" (plats {where})" if where else "")
        )
    for org, item in unmapped:
        click.echo(f"OKOPPLAD {org} / {item}: ingen regel")
    if cases:
        click.echo(f"Träffsäkerhet topp {top}: {hits} av {len(cases)} ({hits / len(cases):.0%})")


if __name__ == "__main__":
    main()
