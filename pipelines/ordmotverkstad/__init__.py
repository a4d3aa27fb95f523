"""Words against action: goal analyses classified as concrete action or internal organisation.

The rules live in data/ord_mot_verkstad/rules.csv (pattern, match, class, weight, note); this
package only applies them, and always returns the words that decided.
"""

from pipelines.ordmotverkstad.classifier import (
    ACTION,
    INTERNAL,
    Classification,
    Hit,
    Rule,
    RulesError,
    classify,
    load_rules,
)

__all__ = [
    "ACTION",
    "INTERNAL",
    "Classification",
    "Hit",
    "Rule",
    "RulesError",
    "classify",
    "load_rules",
]
