"""`verkstad suppliers …`: the classification rules, their audit log, and reclassifying."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import click

from pipelines import fmt
from pipelines.cli_options import db_option
from pipelines.config import load_config
from pipelines.db import connect_read, write_transaction
from pipelines.payments import classify
from pipelines.payments.edit import change_and_reclassify

rules_option = click.option(
    "--rules",
    "rules_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=classify.RULES_FILE,
    show_default=True,
    help="Regelfilen; ändringsloggen audit.jsonl ligger bredvid.",
)


def _who(who: str | None) -> str:
    return who or os.environ.get("VERKSTAD_USER") or getpass.getuser()


def _reclassify(db: Path | None, rules_path: Path) -> None:
    config = load_config(db)
    if not config.db_path.exists():
        click.echo("Ingen databas ännu: reglerna används vid nästa inläsning.")
        return
    with write_transaction(config.db_path) as con:
        counts = classify.reclassify(con, classify.load_rules(rules_path))
    click.echo("Omklassat: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def _change(db, action, rule, who, why, rules_path) -> None:
    config = load_config(db)
    try:
        counts = change_and_reclassify(config.db_path, action, rule, _who(who), why, rules_path)
    except classify.RuleError as exc:
        raise click.ClickException(str(exc)) from exc
    if counts:
        click.echo("Omklassat: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    else:
        click.echo("Ingen databas ännu: reglerna används vid nästa inläsning.")


@click.group("suppliers")
def suppliers() -> None:
    """Leverantörskategorier: regler, ändringslogg och omklassning."""


@suppliers.command("rules")
@rules_option
def list_rules(rules_path: Path) -> None:
    """Visa reglerna i den ordning de prövas."""
    for r in classify.load_rules(rules_path):
        conditions = [
            f"namn ~ /{r.name_pattern}/" if r.name_pattern else "",
            f"org.nr ~ /{r.orgnr_pattern}/" if r.orgnr_pattern else "",
            f"konto {r.konto_from}–{r.konto_to}" if r.konto_from is not None else "",
            f"registret: {r.registry_kind}" if r.registry_kind else "",
        ]
        click.echo(
            f"{r.priority:>4}  {r.rule_id:24} {r.category:24} "
            + " och ".join(c for c in conditions if c)
        )


@suppliers.command("add-rule")
@click.option("--id", "rule_id", required=True, help="Regelns id (a–z, 0–9, -).")
@click.option("--category", required=True, type=click.Choice(classify.CATEGORIES))
@click.option("--priority", type=int, required=True, help="Lägre prövas först.")
@click.option("--name-pattern", default=None, help="Reguljärt uttryck mot leverantörens namn.")
@click.option("--orgnr-pattern", default=None, help="Reguljärt uttryck mot org.nr:s tio siffror.")
@click.option("--konto", default=None, help="Kontointervall, t.ex. 4600-4699.")
@click.option("--registry-kind", default=None, help="Slag i organisationsregistret, t.ex. bolag.")
@click.option("--note", default=None)
@click.option("--who", default=None, help="Vem som ändrar (standard: $VERKSTAD_USER / inloggad).")
@click.option("--why", required=True, help="Varför regeln behövs.")
@click.option("--update", is_flag=True, help="Ersätt en befintlig regel med samma id.")
@rules_option
@db_option
def add_rule(
    rule_id, category, priority, name_pattern, orgnr_pattern, konto, registry_kind, note, who,
    why, update, rules_path, db,
) -> None:  # fmt: skip
    """Lägg till (eller ersätt) en regel, logga ändringen och klassa om."""
    konto_from = konto_to = None
    if konto:
        try:
            low, _, high = konto.partition("-")
            konto_from, konto_to = int(low), int(high or low)
        except ValueError as exc:
            raise click.BadParameter("ange konto som 4600-4699", param_hint="--konto") from exc
    rule = classify.Rule(
        rule_id, priority, category, name_pattern, orgnr_pattern, konto_from, konto_to,
        registry_kind, note,
    )  # fmt: skip
    _change(db, "update" if update else "add", rule, who, why, rules_path)
    click.echo(f"Regel {rule_id} sparad.")


@suppliers.command("remove-rule")
@click.argument("rule_id")
@click.option("--who", default=None)
@click.option("--why", required=True)
@rules_option
@db_option
def remove_rule(rule_id, who, why, rules_path, db) -> None:
    """Ta bort en regel, logga ändringen och klassa om."""
    _change(db, "remove", rule_id, who, why, rules_path)
    click.echo(f"Regel {rule_id} borttagen.")


@suppliers.command("reclassify")
@rules_option
@db_option
def reclassify(rules_path, db) -> None:
    """Klassa alla inlästa betalningar på nytt med regelfilen som den är nu."""
    _reclassify(db, rules_path)


@suppliers.command("unclassified")
@click.option("--top", type=int, default=20, show_default=True)
@db_option
def unclassified(top, db) -> None:
    """De oklassade leverantörerna som fått mest pengar: underlag för nya regler."""
    con = connect_read(load_config(db).db_path)
    rows = con.execute(
        "select supplier, org_nr, sum(amount_sek) as kr, sum(payments) as n"
        " from payment_summary where category = 'oklassad'"
        " group by all order by kr desc limit ?",
        [top],
    ).fetchall()
    for supplier, org_nr, kr, n in rows:
        click.echo(f"{fmt.sek(kr, 'mnkr', 1):>14}  {n:>7}  {org_nr or '–':12} {supplier or '–'}")


@suppliers.command("log")
@rules_option
def show_log(rules_path) -> None:
    """Visa ändringsloggen, nyast först."""
    for e in reversed(classify.read_audit(rules_path.parent / "audit.jsonl")):
        click.echo(f"{e['at']}  {e['who']:12} {e['action']:7} {e['rule_id']:24} {e['why']}")
