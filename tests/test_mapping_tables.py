"""Set-based rule resolution (pipelines.mapping.tables) against rules.resolve, line by line.

The marts resolve every line of facts at once with joins; the Koppla page and the tests of
rules.py resolve one line at a time in Python. Both must give the same rules for every line:
here on the demo's own lines with the shipped rules, and on random rules, crosswalks and
lines that mix case, dashes, spaces, note marks, patterns, aliases and year ranges.
"""

from __future__ import annotations

import random

import duckdb
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines import registry
from pipelines.config import ROOT, load_config
from pipelines.db import connect_read
from pipelines.demo import documents
from pipelines.demo import model as m
from pipelines.ingest import IngestOptions, ingest
from pipelines.mapping.rules import (
    Crosswalk,
    Line,
    Rule,
    crosswalk_store,
    line_key,
    parse_rules,
    resolve,
    rules_store,
)
from pipelines.mapping.tables import line_keys, match_lines

PROGRAM = ROOT / "data" / "program" / "handlingsprogram-2026-2030.txt"
LINE_COLUMNS = ("organisation", "line_item", "document", "actor", "budget_kind", "year")


def _expected(lines: list[tuple], rules: list[Rule], crosswalk: Crosswalk) -> set[tuple]:
    out = set()
    for values in lines:
        line = Line(*values)
        canonical = crosswalk.canonical(line.organisation, line.line_item)
        for rule in resolve(rules, line, crosswalk):
            out.add((*values, canonical or line.line_item, rule.rule_id, float(rule.share)))
    return out


def _set_based(lines: list[tuple], rules: list[Rule], crosswalk: Crosswalk):
    con = duckdb.connect()
    frame = pl.DataFrame(
        lines,
        schema={c: (pl.Int32 if c == "year" else pl.String) for c in LINE_COLUMNS},
        orient="row",
    )
    con.register("lines", frame)
    matches, labels = match_lines(con, "lines", rules, crosswalk)
    rows = matches.select(*LINE_COLUMNS, "canonical_line_item", "rule_id", "share").rows()
    assert len(rows) == len(set(rows)), "a rule applied twice to one line"
    return set(rows), labels


def test_demo_lines_resolve_as_in_python(tmp_path):
    model = m.build_model()
    files = [documents.write_forslag(model, y, tmp_path / "docs").path for y in m.PROPOSAL_YEARS]
    cfg = load_config(tmp_path / "v.duckdb")
    reports = ingest([PROGRAM, *files], IngestOptions(config=cfg, demo=True))
    assert [r.status for r in reports] == ["accepted"] * (1 + len(files))
    rules, _ = parse_rules(rules_store(cfg.rules_file).read().rows)
    crosswalk = Crosswalk.from_rows(crosswalk_store(cfg.crosswalk_file).read().rows)
    con = connect_read(cfg.db_path)
    lines = con.execute(f"select distinct {', '.join(LINE_COLUMNS)} from facts").fetchall()  # noqa: S608
    stored = con.execute(
        f"select {', '.join(LINE_COLUMNS)}, canonical_line_item, rule_id, share"  # noqa: S608
        " from mapping_matches"
    ).fetchall()
    expected = _expected(lines, rules, crosswalk)
    assert len(expected) >= len(m.SATSNINGAR)
    assert set(stored) == expected
    assert _set_based(lines, rules, crosswalk)[0] == expected


ORGS = ["Socialnämnden", "socialnamnden", "Kultur- och fritidsnämnden", "KFN", "Okänd nämnd", ""]
WORDS = ["Fältverksamhet", "fält", "Kulturskola", "KULTUR skola", "Bibliotek", "Socialnämnden"]
DECOR = [
    "",
    " ",
    "*",
    " **",
    "  ",
    "\u00a0",
    "\u2013",
    "-",
    "ß",
    "\u0301",
    "\t",
    "É",
    "%",
    "_",
    "\\",
]


def _text(rng: random.Random) -> str:
    word = rng.choice(WORDS)
    if rng.random() < 0.3:
        word = word.upper() if rng.random() < 0.5 else word.lower()
    if rng.random() < 0.4:
        word = f"{rng.choice(DECOR)}{word}{rng.choice(DECOR)}"
    if rng.random() < 0.3:
        word = f"{word}{rng.choice(DECOR)}{rng.choice(WORDS)}"
    return word


def _random_case(seed: int):
    rng = random.Random(seed)
    rows = []
    for i in range(rng.randint(1, 25)):
        pattern = rng.random() < 0.35
        item = _text(rng)
        if pattern:
            cut = rng.randint(0, len(item))
            item = rng.choice([f"{item[:cut]}*", f"*{item[cut:]}", f"{item[:cut]}*{item[cut:]}"])
            item = item if item.strip() else "*"
        year_from = rng.choice(["", "", "2025", "2026"])
        year_to = rng.choice(["", "", "2026", "2027"])
        if year_from and year_to and year_from > year_to:
            year_from, year_to = year_to, year_from
        rows.append(
            {
                "rule_id": f"r{i}",
                "organisation": rng.choice(ORGS),
                "line_item": item,
                "match": "pattern" if pattern else "exact",
                "document": rng.choice(["", "", "budget", "forslag"]),
                "actor": rng.choice(["", "", "V", "v", "kommunen"]),
                "budget_kind": rng.choice(["", "", "drift", "investering"]),
                "year_from": year_from,
                "year_to": year_to,
                "proposal_id": f"p{rng.randint(1, 5)}",
                "share": rng.choice(["1", "0.5", "0,3", "40 %"]),
            }
        )
    rules, problems = parse_rules(rows)
    assert problems == []
    if rules and rng.random() < 0.3:
        rules.append(rng.choice(rules))  # an identical row is one rule
    crosswalk = Crosswalk.from_rows(
        {
            "organisation": rng.choice(ORGS),
            "line_item": _text(rng),
            "canonical": _text(rng),
        }
        for _ in range(rng.randint(0, 4))
    )
    lines = {
        (
            rng.choice([o for o in ORGS if o] + [None]),
            rng.choice([_text(rng), _text(rng), None]),
            rng.choice(["budget", "forslag", None]),
            rng.choice(["kommunen", "V", "v", None]),
            rng.choice(["drift", "investering", None]),
            rng.choice([2024, 2025, 2026, 2027, None]),
        )
        for _ in range(rng.randint(1, 60))
    }
    return sorted(lines, key=repr), rules, crosswalk


def test_random_rules_and_lines_resolve_as_in_python():
    for seed in range(120):
        lines, rules, crosswalk = _random_case(seed)
        got, labels = _set_based(lines, rules, crosswalk)
        assert got == _expected(lines, rules, crosswalk), seed
        totals = {
            (org, item): item is None or registry.normalise(item) == org for org, item, *_ in lines
        }
        assert {(o, i): t for o, i, t in labels.rows()} == totals, seed


def test_an_organisation_name_as_line_item_is_its_total():
    lines = [
        (
            "Kultur- och fritidsnämnden",
            "Kultur och fritidsnämnd",
            "budget",
            "kommunen",
            "drift",
            2026,
        ),
        (
            "Kultur- och fritidsnämnden",
            "KULTUR- OCH FRITIDSNÄMNDEN *",
            "budget",
            "V",
            "drift",
            2026,
        ),
        ("Kultur- och fritidsnämnden", "Fritid", "budget", "kommunen", "drift", 2026),
        ("Socialnämnden", "Kultur- och fritidsnämnden", "budget", "kommunen", "drift", 2026),
        ("Socialnämnden", None, "budget", "kommunen", "drift", 2026),
    ]
    _, labels = _set_based(lines, [], Crosswalk({}))
    assert sorted(labels.rows(), key=repr) == sorted(
        [(o, i, i is None or registry.normalise(i) == o) for o, i, *_ in lines], key=repr
    )
    assert [t for *_, t in sorted(labels.rows(), key=repr)].count(True) >= 3


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=12)), max_size=20))
def test_line_keys_vectorised_equal_line_key(values):
    got = line_keys(pl.Series(values, dtype=pl.String)).to_list()
    assert got == [line_key(v) for v in values]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=" \u00a0*-\u2013\u2212aAbÅäÖéÉßÿ×\u00de\u0301\t.", max_size=10),
        max_size=20,
    )
)
def test_line_keys_on_swedish_looking_text(values):
    got = line_keys(pl.Series(values, dtype=pl.String)).to_list()
    assert got == [line_key(v) for v in values]
