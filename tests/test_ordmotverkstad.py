"""The words-against-action classifier: rules from the data file, hits, verdicts, flags."""

from __future__ import annotations

import pytest

from pipelines.ordmotverkstad import classify, load_rules
from pipelines.ordmotverkstad.classifier import RulesError, highlight_markdown, parse_rules
from pipelines.ordmotverkstad.goals import flag_reason

# Sentences quoted in the group's statement on delårsrapport 2, 2025 (seeds/ks-2025-10-24-...).
KS_ORGANISATION = (
    "Omfattande arbete pågår där med en rad aktiviteter och insatser som är igång enligt plan. "
    "Flertalet aktiviteter handlar om att sätta organisation, arbetssätt och strukturer för att "
    "kunna vidta rätt åtgärder där det behövs som mest."
)
KS_LIVSVILLKOR = (
    "För 2025 kommer fokus att läggas på insatser inom områdena ledning och samordning samt "
    "kompetenshöjning och stöttning."
)
ACTION_TEXT = (
    "Under våren anställdes 12 fältassistenter. Fritidsgården i Hovsjö öppnade igen och "
    "hade 340 besökare i veckan; 45 nya lägenheter byggdes i Järna."
)


def test_the_groups_examples_read_as_internal_organisation():
    first = classify(KS_ORGANISATION)
    assert first.verdict == "internal"
    assert first.words("internal") == ["arbete pågår", "organisation", "arbetssätt", "strukturer"]
    assert first.words("action") == []
    second = classify(KS_LIVSVILLKOR)
    assert second.verdict == "internal"
    assert second.words("internal") == ["ledning och samordning", "kompetenshöjning", "stöttning"]


def test_concrete_work_reads_as_action():
    result = classify(ACTION_TEXT)
    assert result.verdict == "action"
    assert result.words("action") == ["anställdes", "öppnade", "besökare", "byggdes"]
    assert result.internal == 0


def test_overlapping_hits_keep_the_longest():
    rules = parse_rules(
        [
            {"pattern": "pågår", "match": "word", "class": "internal", "weight": "1"},
            {"pattern": "arbete pågår", "match": "phrase", "class": "internal", "weight": "3"},
        ]
    )
    result = classify("Arbete pågår.", rules)
    assert [(h.text, h.weight) for h in result.hits] == [("Arbete pågår", 3.0)]
    assert result.internal == 3.0


def test_stem_word_and_regex_matching():
    rules = parse_rules(
        [
            {"pattern": "anställ", "match": "stem", "class": "action", "weight": "2"},
            {"pattern": "antal", "match": "word", "class": "action", "weight": "1"},
            {"pattern": r"\d+ ?%", "match": "regex", "class": "action", "weight": "1"},
        ]
    )
    result = classify("Nyanställda, anställde, antalet, antal, 12 %", rules)
    assert [h.text for h in result.hits] == ["anställde", "antal", "12 %"]
    assert result.action == 4.0


def test_numbers_with_units_count_as_action():
    result = classify("Väntetiden kortades med 14 procent och 230 barn fick plats.")
    texts = [h.text for h in result.hits]
    assert "14 procent" in texts and "230 barn" in texts
    assert classify("För 2025 gäller planen.").words("action") == []


def test_mixed_and_empty_texts():
    mixed = classify("Vi anställde två personer och införde ett nytt arbetssätt.")
    assert mixed.verdict == "mixed"
    assert classify("").verdict == "none"
    assert classify(None).verdict_label == "inga träffar"
    assert classify("Målet bedöms uppfyllt.").internal_share is None


def test_rules_file_is_valid_and_has_both_classes():
    rules = load_rules()
    assert {r.cls for r in rules} == {"action", "internal"}
    for stem in ("anställ", "arbetssätt", "samordning", "kompetenshöjning", "kartläggning"):
        assert any(r.pattern == stem for r in rules), stem


@pytest.mark.parametrize(
    "row, message",
    [
        ({"pattern": "", "match": "stem", "class": "action"}, "mönster saknas"),
        ({"pattern": "x", "match": "fuzzy", "class": "action"}, "okänd matchning"),
        ({"pattern": "x", "match": "stem", "class": "good"}, "okänd klass"),
        ({"pattern": "(", "match": "regex", "class": "action"}, "rad 2"),
        ({"pattern": "x", "match": "stem", "class": "action", "weight": "0"}, "positiv"),
    ],
)
def test_bad_rules_are_rejected_with_their_line(row, message):
    with pytest.raises(RulesError, match=message):
        parse_rules([row])


def test_highlight_escapes_markdown_and_marks_hits():
    text = "Ny *struktur* [x] och 3 st anställda"
    md = highlight_markdown(text, classify(text))
    assert ":orange-background[struktur]" in md
    assert ":green-background[3 st]" in md
    assert "\\*" in md and "\\[x\\]" in md


def test_flag_rules():
    assert flag_reason("grön", -0.01, "action", 0.0) == "pengarna växte inte i fasta priser"
    assert "inre organisation (80 %)" in flag_reason("grön", 0.05, "internal", 0.8)
    assert flag_reason("grön", 0.05, "action", 0.1) is None
    assert flag_reason("gul", -0.5, "internal", 1.0) is None
    assert flag_reason("grön", None, "mixed", 0.5) is None
