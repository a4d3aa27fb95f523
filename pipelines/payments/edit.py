"""Rule changes that also reclassify the database, serialised by the database's writer lock.

The rules file is changed inside the write transaction, so two editors (page or command
line) never overwrite each other's change, and a failed reclassification leaves the rules
file changed but the page warning that the categories are out of date.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.db import write_transaction
from pipelines.payments import classify


def change_and_reclassify(
    db_path: Path,
    action: str,
    rule: classify.Rule | str,
    who: str,
    why: str,
    rules_path: Path | None = None,
) -> dict[str, int]:
    """Apply one audited rule change and reclassify; counts per category (pairs).

    `rules_path` None: the default rules file and its audit log (classify.RULES_FILE).
    """
    audit = None if rules_path is None else rules_path.parent / "audit.jsonl"
    if not Path(db_path).exists():
        classify.change_rule(action, rule, who, why, rules_path, audit)
        return {}
    with write_transaction(Path(db_path)) as con:
        rules = classify.change_rule(action, rule, who, why, rules_path, audit)
        return classify.reclassify(con, rules)
