"""The program parser on the real program text and on small edge cases."""

from __future__ import annotations

from collections import Counter

import pytest

from pipelines.config import DATA
from pipelines.program.bracket import Body
from pipelines.program.duplicates import near_duplicates
from pipelines.program.parse import Proposal, parse_program

PROGRAM_FILE = DATA / "program" / "handlingsprogram-2026-2030.txt"
HEALTH_1 = (
    "staten-regionens-ansvar--en-jamlik-och-tillganglig-halso-och-sjukvard-dar-resurserna-"
    "styrs-efter-behov-inte"
)
HEALTH_2 = (
    "staten-regionens-ansvar--en-jamlik-och-tillganglig-halso-och-sjukvard-dar-resurserna-"
    "styrs-efter-behov-skattefinansierad"
)


@pytest.fixture(scope="module")
def program():
    return parse_program(PROGRAM_FILE.read_text(encoding="utf-8"))


def test_counts_match_the_document(program):
    # Counted by hand in the document: 11 state/region bullets, then 6 + 8 + 6 + 14 + 8 + 7
    # municipal bullets (each with a bracket); 23 brackets name Kommundelsnämnderna.
    props = program.proposals
    assert len(props) == 85
    assert Counter((p.kind, p.level) for p in props) == {
        ("bullet", "stat_region"): 11,
        ("bullet", "kommun"): 49,
        ("position", "kommun"): 25,
    }
    assert sum("Kommundelsnämnderna" in p.local_bodies for p in props) == 23
    assert sum(p.kommundel_relevant for p in props) == 25
    assert program.period == (2026, 2030)
    assert program.unknown_bodies() == {}
    assert program.warnings == []
    assert len({p.proposal_id for p in props}) == 85


def test_sections_with_wrapped_headings(program):
    bullets = Counter(p.section for p in program.proposals if p.kind == "bullet")
    assert list(bullets.items()) == [
        ("Staten och regionens ansvar", 11),
        ("Så bygger vi Södertälje", 6),
        ("En grön och rättvis omställning med förnybar energi och starka ekosystem", 8),
        ("Utbildning och lärande", 6),
        ("Socialt stöd och omsorg", 14),
        ("Arbetsmarknad och inkludering", 8),
        ("Idrott, kultur och folkbildning stärker demokratin", 7),
    ]
    topics = Counter(p.topic for p in program.proposals if p.kind == "position")
    assert list(topics.items()) == [
        ("Fördjupad demokratisk styrning", 9),
        ("Södertälje kommun som arbetsgivare", 5),
        ("Upphandlingar", 5),
        ("Lokaler", 1),
        ("Politikerarvoden", 2),
        ("Taxor och avgifter", 3),
    ]
    assert {p.section for p in program.proposals if p.kind == "position"} == {
        "Demokrati, politisk styrning och administration"
    }


def _by_start(program, start: str) -> Proposal:
    (found,) = [p for p in program.proposals if p.text.startswith(start)]
    return found


def test_bracket_broken_over_a_page_break_with_missing_comma(program):
    p = _by_start(program, "Främja utbyggnad av både storskalig")
    assert p == Proposal(
        proposal_id="gron-rattvis-omstallning--framja-utbyggnad-av-bade-storskalig-och-smaskalig-fornybar",
        section="En grön och rättvis omställning med förnybar energi och starka ekosystem",
        topic=None,
        title="Främja utbyggnad av både storskalig och småskalig förnybar energi",
        text=(
            "Främja utbyggnad av både storskalig och småskalig förnybar energi, samt ta fram "
            "en plan för solceller som visar omfattning, utbyggnadstakt, lämpliga ytor och "
            "möjligheter till energilagring. Södertälje kommun ska underlätta för privatpersoner "
            "och lokala företag genom rådgivning, pilotprojekt och lokala investeringsstöd i "
            "linje med statliga program."
        ),
        level="kommun",
        kind="bullet",
        decision_body="Kommunfullmäktige",
        how="genom mål, budget ägarbeslut och investeringsramar",
        executing_bodies=["Kommunstyrelsen", "Telge AB", "Tekniska nämnden", "Telge Nät AB"],
        local_bodies=["Kommundelsnämnderna"],
        kommundel_relevant=True,
        ordinal=19,
        bracket=(
            "Kommunfullmäktige – genom mål, budget ägarbeslut och investeringsramar. "
            "Verkställighet och samordning: Kommunstyrelsen, Telge AB Tekniska nämnden, "
            "Telge Nät AB. Lokala behov: Kommundelsnämnderna."
        ),
        bodies=[
            Body("Kommunfullmäktige", "decision", "Kommunfullmäktige", True),
            Body("Kommunstyrelsen", "executing", "Kommunstyrelsen", True),
            Body("Telge AB", "executing", "Telge AB", True),
            Body("Tekniska nämnden", "executing", "Tekniska nämnden", True),
            Body("Telge Nät AB", "executing", "Telge Nät AB", True),
            Body("Kommundelsnämnderna", "local", "Kommundelsnämnderna", True),
        ],
    )


def test_real_variants_of_the_bracket(program):
    def bodies(start):
        p = _by_start(program, start)
        return p.decision_body, p.how, p.executing_bodies, p.local_bodies

    # "Telge Fastigheter AB Lokala behov och dialog:" – no period before the label
    assert bodies("Bygga ut vård- och omsorgsboenden") == (
        "Kommunfullmäktige",
        "genom mål och budget",
        ["Kommunstyrelsen", "Telge AB", "Äldreomsorgsnämnden", "Telge Fastigheter AB"],
        ["Kommundelsnämnderna"],
    )
    # lower-case "stadsbyggnadsnämnden"
    assert "Stadsbyggnadsnämnden" in bodies("Säkerställa jämställd och jämlik idrott")[2]
    # "Kommunfullmäktige genom mål" without dash, "Verkställighet:" alone
    assert bodies("Skapa bättre kommunal samordning") == (
        "Kommunfullmäktige",
        "genom mål och budget",
        ["Kommunstyrelsen", "Omsorgsnämnden", "Socialnämnden"],
        [],
    )
    # collective names, and "Lokalt genomförande och prioritering:"
    assert bodies("Ställa om kommunens verksamheter")[2] == ["Samtliga nämnder och kommunala bolag"]
    assert bodies("Rusta upp eftersatta områden")[2:] == (
        [
            "Kommunstyrelsen",
            "Telge AB",
            "Berörda nämnder",
            "Telge Bostäder AB",
            "Telge Fastigheter AB",
        ],
        ["Kommundelsnämnderna"],
    )
    assert bodies("Utveckla stadskärnan")[3] == ["Kommundelsnämnderna"]
    # "personalutskottet" in lower case
    assert bodies("Förbättra äldreomsorgens arbetsvillkor")[2] == [
        "Kommunstyrelsen",
        "Äldreomsorgsnämnden",
        "Personalutskottet",
    ]


def test_state_bullets_and_positions(program):
    p = _by_start(program, "Staten ska ta ett större finansieringsansvar")
    assert (p.level, p.kind, p.decision_body, p.executing_bodies, p.bracket) == (
        "stat_region",
        "bullet",
        None,
        [],
        None,
    )
    fees = [p.text for p in program.proposals if p.topic == "Politikerarvoden"]
    assert fees == [
        "Vi vill sänka politikerarvodena i Södertälje kommun.",
        "Arvoden för förtroendevalda ska därför vara rimliga, så att politiken inte blir en "
        "inkomstkälla utan bygger på engagemang och ansvar.",
    ]
    employer = " ".join(
        p.text for p in program.proposals if p.topic == "Södertälje kommun som arbetsgivare"
    )
    assert "mindre beroende av bemanningsföretag och konsulter" in employer
    assert "kommunal vikarieförmedling" in employer


def test_near_duplicate_pair_is_found_and_both_kept(program):
    pairs = near_duplicates(program.proposals)
    assert [(d.first, d.second) for d in pairs] == [(HEALTH_1, HEALTH_2)]
    assert 90 <= pairs[0].score < 100
    assert {HEALTH_1, HEALTH_2} <= {p.proposal_id for p in program.proposals}


def test_ids_do_not_move_when_other_text_moves(program):
    text = PROGRAM_FILE.read_text(encoding="utf-8")
    # Drop one bullet and add prose elsewhere: every other proposal keeps its id.
    removed = "• Utveckla textilåtervinningen och säkerställ långsiktiga förutsättningar för"
    assert removed in text
    changed = text.replace(removed, "Ny inledande mening. ").replace(
        "Utbildning och lärande \n", "Utbildning och lärande \nEn ny mening om skolan. \n"
    )
    before = {p.proposal_id for p in program.proposals}
    after = {p.proposal_id for p in parse_program(changed).proposals}
    assert before - after == {
        "gron-rattvis-omstallning--utveckla-textilatervinningen-och-sakerstall-langsiktiga-"
        "forutsattningar-for-verksamhetens"
    }
    assert after <= before


# --- edge cases as small strings --------------------------------------------------------

HEAD = "Om programmet\nDetta gäller mandatperioden 2026–2030.\n"


def test_wrapped_heading_and_page_break_inside_bracket():
    text = HEAD + (
        "En grön och rättvis omställning med \n\n"
        "förnybar energi och starka ekosystem \n"
        "Vi vill göra mycket. \n\n"
        "Vi vill: \n\n"
        "• Främja återbruk i alla kommundelar. [Kommunfullmäktige – \n\n \n\n   \n"
        "genom mål och budget. Verkställighet och samordning: Kultur- \n\n \n"
        "och fritidsnämnden, Telge AB. Lokala behov: \n"
        "Kommundelsnämnderna.] \n"
    )
    (p,) = parse_program(text).proposals
    assert (p.section, p.text, p.decision_body, p.how, p.executing_bodies, p.local_bodies) == (
        "En grön och rättvis omställning med förnybar energi och starka ekosystem",
        "Främja återbruk i alla kommundelar.",
        "Kommunfullmäktige",
        "genom mål och budget",
        ["Kultur- och fritidsnämnden", "Telge AB"],
        ["Kommundelsnämnderna"],
    )


def test_stray_blank_lines_mid_bullet_and_hanging_hyphens():
    text = HEAD + (
        "Staten och regionens ansvar\nVi vill att staten gör mer:\n"
        "• Ett nationellt Sverigekort för buss- \n\n \n\noch tågtrafiken under 2026–\n2030 \n"
        "• Återinför statligt \n\n  \ninvesteringsstöd. \n"
        "Nästa avsnitt\nText här.\n"
    )
    props = parse_program(text).proposals
    assert [(p.text, p.level, p.title) for p in props] == [
        (
            "Ett nationellt Sverigekort för buss- och tågtrafiken under 2026–2030",
            "stat_region",
            "Ett nationellt Sverigekort för buss- och tågtrafiken under 2026–2030",
        ),
        (
            "Återinför statligt investeringsstöd.",
            "stat_region",
            "Återinför statligt investeringsstöd",
        ),
    ]


def test_missing_commas_lower_case_and_missing_bracket_end():
    text = HEAD + (
        "Skolan\nVi vill\n"
        "• Bygga skolor [Kommunfullmäktige genom mål. Verkställighet: kommunstyrelsen "
        "Utbildningsnämnden Telge Fastigheter AB Lokalt genomförande och dialog: "
        "kommundelsnämnderna\n"
        "• Öka lärartätheten. [Kommunfullmäktige - genom budget. Verkställighet och samordning: "
        "Kommunstyrelsen, Nämnden för påhittade ärenden och Telge AB.]\n"
    )
    program = parse_program(text)
    first, second = program.proposals
    assert (first.text, first.executing_bodies, first.local_bodies) == (
        "Bygga skolor",
        ["Kommunstyrelsen", "Utbildningsnämnden", "Telge Fastigheter AB"],
        ["Kommundelsnämnderna"],
    )
    assert second.executing_bodies == [
        "Kommunstyrelsen",
        "Nämnden för påhittade ärenden",
        "Telge AB",
    ]
    assert program.unknown_bodies() == {"Nämnden för påhittade ärenden": [second.proposal_id]}


def test_near_duplicates_in_small_text():
    bullet = (
        "• En jämlik och tillgänglig hälso- och sjukvård där resurserna styrs efter behov{}. "
        "Staten ska ta ett större ansvar för kompetensförsörjning och finansiering.\n"
    )
    text = HEAD + (
        "Staten och regionens ansvar\nVi vill:\n"
        + bullet.format(", inte efter vinst")
        + bullet.format("")
        + "• Stoppa privatiseringen av Arbetsförmedlingen.\n"
    )
    props = parse_program(text).proposals
    pairs = near_duplicates(props)
    assert [(d.first, d.second) for d in pairs] == [(props[0].proposal_id, props[1].proposal_id)]
    assert props[0].proposal_id != props[1].proposal_id


@pytest.mark.parametrize(("end", "paragraphs"), [(".", False), ("", True)])
def test_bullet_without_bracket_outside_state_section_is_reported(end, paragraphs):
    # Printed text needs the bullet's final period to see the heading after it; Word
    # paragraphs do not.
    text = HEAD + (
        "Skolan\nSkolan är viktig.\nVi vill:\n"
        f"• Bygga fler skolor i Järna{end}\n"
        "Demokrati och\nstyrning\nPolitikerarvoden\nVi vill sänka arvodena. Arvoden är höga.\n"
    )
    program = parse_program(text, paragraphs=paragraphs)
    assert [
        (p.section, p.topic, p.text, p.level, p.kind, p.kommundel_relevant)
        for p in program.proposals
    ] == [
        ("Skolan", None, f"Bygga fler skolor i Järna{end}", "kommun", "bullet", True),
        (
            "Demokrati och styrning",
            "Politikerarvoden",
            "Vi vill sänka arvodena.",
            "kommun",
            "position",
            False,
        ),
    ]
    assert program.warnings == [
        f"Punkt utan ansvarsparentes i 'Skolan': Bygga fler skolor i Järna{end}"
    ]
