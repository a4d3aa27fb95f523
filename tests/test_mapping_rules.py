"""Mapping rules: matching, specificity, shares and splits, renamed line items."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.mapping.rules import (
    Crosswalk,
    Line,
    Rule,
    RuleError,
    check_shares,
    line_key,
    parse_rules,
    parse_share,
    resolve,
)
from pipelines.mapping.store import Change


def rule(rid: str, **fields) -> Rule:
    row = {
        "rule_id": rid,
        "organisation": "",
        "line_item": "Fler fältassistenter",
        "match": "exact",
        "document": "",
        "actor": "",
        "budget_kind": "",
        "year_from": "",
        "year_to": "",
        "proposal_id": "p-falt",
        "share": "1",
    }
    row.update({k: str(v) for k, v in fields.items()})
    return Rule.from_row(row)


LINE = Line("Socialnämnden", "Fler fältassistenter", "forslag", "V", "drift", 2026)


def test_exact_match_folds_case_spaces_dashes_and_note_marks():
    r = rule("r1", line_item="fler  FÄLTASSISTENTER")
    assert r.matches(LINE)
    assert r.matches(Line("Socialnämnden", "Fler fältassistenter*", year=2026))
    assert not r.matches(Line("Socialnämnden", "Fler fältassistenter i Järna", year=2026))
    assert line_key("HVB\u2013hem") == line_key("hvb-hem")


def test_organisation_matches_through_the_registry_aliases():
    r = rule("r1", organisation="SN")  # an alias of Socialnämnden in data/organisations.csv
    assert r.matches(LINE)
    assert not r.matches(Line("Utbildningsnämnden", "Fler fältassistenter", year=2026))


def test_pattern_document_actor_kind_and_years():
    r = rule(
        "r1",
        line_item="*fältassist*",
        match="pattern",
        document="forslag",
        actor="v",
        budget_kind="drift",
        year_from=2025,
        year_to=2026,
    )
    assert r.matches(LINE)
    assert r.matches(Line("Socialnämnden", "Fältassistenter Järna", "forslag", "V", "drift", 2025))
    assert not r.matches(
        Line("Socialnämnden", "Fler fältassistenter", "budget", "kommunen", "drift", 2026)
    )
    assert not r.matches(
        Line("Socialnämnden", "Fler fältassistenter", "forslag", "V", "investering", 2026)
    )
    assert not r.matches(
        Line("Socialnämnden", "Fler fältassistenter", "forslag", "V", "drift", 2024)
    )
    assert not r.matches(
        Line("Socialnämnden", "Fler fältassistenter", "forslag", "V", "drift", 2027)
    )


def test_most_specific_selector_wins_and_equal_ones_add_up():
    broad = rule(
        "broad", line_item="*", match="pattern", organisation="Socialnämnden", proposal_id="p-allt"
    )
    exact = rule("exact", organisation="Socialnämnden", share="0.5")
    exact_other = rule("exact2", organisation="Socialnämnden", proposal_id="p-barn", share="0.5")
    applied = resolve([broad, exact, exact_other], LINE)
    assert [(r.rule_id, r.proposal_id, r.share) for r in applied] == [
        ("exact", "p-falt", Decimal("0.5")),
        ("exact2", "p-barn", Decimal("0.5")),
    ]
    # Another line of the nämnd falls to the broad pattern rule.
    other = Line("Socialnämnden", "Ekonomiskt bistånd", "budget", "kommunen", "drift", 2026)
    assert [r.rule_id for r in resolve([broad, exact, exact_other], other)] == ["broad"]
    assert resolve([broad], Line("Utbildningsnämnden", "Grundskola", year=2026)) == []


def test_shares_parse_as_fraction_or_percent():
    assert parse_share("") == Decimal(1)
    assert parse_share("0,25") == Decimal("0.25")
    assert parse_share("40 %") == Decimal("0.4")
    assert parse_share("60") == Decimal("0.6")
    for bad in ("0", "-0.2", "150 %", "hälften"):
        with pytest.raises(RuleError):
            parse_share(bad)


def test_a_split_over_100_percent_is_refused_but_a_hand_edited_one_only_flagged():
    rows = [
        {**_row("r1", "p-a", "0.6")},
        {**_row("r2", "p-b", "0.6")},
    ]
    with pytest.raises(RuleError, match="mer än 100 %"):
        check_shares(rows, [Change("add", rows[1])])
    # An edit of another line is not blocked by an existing over-allocation in the file.
    other = _row("r3", "p-c", "1", line_item="Kulturskola")
    check_shares([*rows, other], [Change("add", other)])
    rules, problems = parse_rules(rows)
    assert problems == []
    assert sum(r.share for r in resolve(rules, LINE)) == Decimal("1.2")


def _row(rid, pid, share, line_item="Fler fältassistenter"):
    return {
        "rule_id": rid,
        "organisation": "Socialnämnden",
        "line_item": line_item,
        "match": "exact",
        "proposal_id": pid,
        "share": share,
    }


def test_bad_rows_are_reported_not_fatal():
    rows = [
        _row("r1", "p-a", "1"),
        {**_row("r2", "p-b", "1"), "match": "regex"},
        {**_row("r3", "p-c", "1"), "year_from": "20x6"},
        {**_row("", "p-d", "1")},
        {**_row("r5", "", "1")},
    ]
    rules, problems = parse_rules(rows)
    assert [r.rule_id for r in rules] == ["r1"]
    assert problems == [
        "rad 3: r2: match ska vara exact eller pattern, inte 'regex'",
        "rad 4: r3: året '20x6' är inte ett årtal",
        "rad 5: regeln saknar rule_id",
        "rad 6: r5: proposal_id saknas",
    ]


def test_renamed_line_item_maps_once_through_the_crosswalk():
    crosswalk = Crosswalk.from_rows(
        [
            {
                "organisation": "Socialnämnden",
                "line_item": "Fältassistenter",
                "canonical": "Fältverksamhet",
            },
            {
                "organisation": "Socialnämnden",
                "line_item": "Uppsökande fältarbete",
                "canonical": "Fältassistenter",
            },
            {"organisation": "", "line_item": "Kulturskolan", "canonical": "Kulturskola"},
        ]
    )
    one_rule = [rule("r1", line_item="Fältverksamhet", organisation="Socialnämnden")]
    for year, name in (
        (2023, "Uppsökande fältarbete"),
        (2024, "Fältassistenter"),
        (2025, "Fältverksamhet"),
    ):
        applied = resolve(
            one_rule, Line("Socialnämnden", name, "budget", "kommunen", "drift", year), crosswalk
        )
        assert [r.rule_id for r in applied] == ["r1"], name
    assert crosswalk.canonical("Socialnämnden", "Uppsökande fältarbete") == "Fältverksamhet"
    assert crosswalk.canonical("Kultur- och fritidsnämnden", "kulturskolan") == "Kulturskola"
    assert crosswalk.canonical("Socialnämnden", "Ekonomiskt bistånd") is None
    # A line renamed in another nämnd is not the same line.
    assert (
        resolve(one_rule, Line("Utbildningsnämnden", "Fältassistenter", year=2024), crosswalk) == []
    )


def test_crosswalk_cycle_stops():
    crosswalk = Crosswalk.from_rows(
        [
            {"organisation": "", "line_item": "A", "canonical": "B"},
            {"organisation": "", "line_item": "B", "canonical": "A"},
        ]
    )
    assert crosswalk.canonical("Socialnämnden", "A") in ("A", "B", None)
