"""Suggestions: Swedish inflection and compounds, synonyms, responsible body, reasons; the
shipped rules against the demo's satsningar, and the suggester's hit rate without them."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipelines.cli import cli
from pipelines.config import load_config
from pipelines.demo.model import SATSNINGAR
from pipelines.mapping.hitrate import evaluate
from pipelines.mapping.review import bundled_proposals, suggester_for
from pipelines.mapping.rules import Line, parse_rules, resolve, rules_store
from pipelines.mapping.suggest import ProposalDoc, Suggester
from pipelines.mapping.text import compound_part, load_synonyms, stem, tokens

P_FALT = "socialt-stod-omsorg--satsa-mer-pa-forebyggande-sociala-insatser-till-exempel"


@pytest.fixture(scope="module")
def suggester() -> Suggester:
    """The shipped program, synonyms and places, with no database (so no rules)."""
    return suggester_for(load_config("/nonexistent/verkstad.duckdb"))[0]


def test_stems_fold_inflection_and_definite_forms():
    assert stem("fältassistenter") == stem("fältassistent")
    assert stem("kulturskolan") == stem("kulturskola")
    assert stem("fritidsbanken") == stem("fritidsbank")
    assert [t.word for t in tokens("Fler fältassistenter 4,0 mnkr [KF – genom budget]")] == [
        "fältassistenter"
    ]
    assert compound_part("bibliotek", "skolbibliotek") == "bibliotek"
    assert compound_part("läx", "läxhjälp") is None  # too short to count on its own


def test_the_issue_example_inflection_and_compound(suggester):
    (best,) = suggester.suggest("Socialnämnden", "Fältassistenter", top=1)
    assert best.proposal_id == P_FALT
    assert "fältassistenter" in best.reason
    assert "Socialnämnden verkställer förslaget" in best.reason


def test_responsible_body_breaks_ties_and_is_explained():
    proposals = [
        ProposalDoc("p-skola", "Utbildning", "Stärka skolan", "Mer stöd i skolan.", "kommun",
                    ("Kommunstyrelsen", "Utbildningsnämnden")),
        ProposalDoc("p-social", "Socialt", "Stärka stödet", "Mer stöd till familjer.", "kommun",
                    ("Kommunstyrelsen", "Socialnämnden")),
    ]  # fmt: skip
    s = Suggester(proposals)
    assert [x.proposal_id for x in s.suggest("Socialnämnden", "Stöd", top=2)] == [
        "p-social",
        "p-skola",
    ]
    assert [x.proposal_id for x in s.suggest("UN", "Stöd", top=2)] == ["p-skola", "p-social"]
    top = s.suggest("Socialnämnden", "Stöd", top=1)[0]
    assert top.body_boost > 0 and top.text_score == s.suggest("UN", "Stöd", top=2)[1].text_score
    # Kommunstyrelsen, named by both, tells nothing: no order between them from the body.
    ks = s.suggest("Kommunstyrelsen", "Stöd", top=2)
    assert ks[0].body_boost == ks[1].body_boost


def test_synonyms_from_the_data_file(tmp_path):
    synonyms = tmp_path / "synonyms.csv"
    synonyms.write_text("terms,note\nläxhjälp|läxor|studiestöd,\n", encoding="utf-8")
    proposals = [
        ProposalDoc("p-lax", "Skola", "Byta ut läxor", "Byta ut traditionella läxor mot skoltid."),
        ProposalDoc("p-hjalp", "Skola", "Hjälp", "Hjälp till alla elever i skolan."),
    ]
    without = Suggester(proposals).suggest(None, "Studiestöd", top=2)
    assert all(x.text_score == 0 for x in without)
    (best, _) = Suggester(proposals, load_synonyms(synonyms)).suggest(None, "Studiestöd", top=2)
    assert best.proposal_id == "p-lax"
    assert "synonym 'studiestöd' ≈ 'läxor'" in best.reason


def test_rejected_proposals_are_left_out(suggester):
    ranked = [s.proposal_id for s in suggester.suggest("SN", "Fler fältassistenter", top=3)]
    again = suggester.suggest("SN", "Fler fältassistenter", top=3, exclude={P_FALT})
    assert P_FALT == ranked[0] and P_FALT not in [s.proposal_id for s in again]


# Budget lines written for this test, in the words municipal budgets use; none of them is in
# the demo data or the rules. Each names the proposal(s) a reviewer would pick.
UNSEEN = [
    ("Utbildningsnämnden", "Minskade barngrupper i förskolan", "oka-resurserna-till-forskolan"),
    ("Utbildningsnämnden", "Läxhjälp i skoltid", "byta-ut-traditionella-laxor"),
    ("Utbildningsnämnden", "Fritidsklubbar", "fritidshemmen-och-fritidsklubbarna"),
    ("Utbildningsnämnden", "Kulturråd för skolorna", "skolor-och-fritidshem-genom-kulturen"),
    ("Socialnämnden", "Familjecentral Hovsjö", "befintliga-familjecentraler"),
    ("Socialnämnden", "Skyddat boende i kommunal regi", "kvinnojourerna"),
    ("Socialnämnden", "Behandling för män som utövar våld", "valdsforebyggande"),
    ("Socialnämnden", "Bostad först", "sociala-kontrakt"),
    ("Socialnämnden", "Åtgärder mot barnfattigdom", "barnfattigdomen"),
    ("Äldreomsorgsnämnden", "Nya trygghetsboenden", "trygghetsboenden"),
    ("Äldreomsorgsnämnden", "Träffpunkter för seniorer", "motesplatser-for-aldre"),
    ("Äldreomsorgsnämnden", "Kompetensutveckling undersköterskor", "aldreomsorgens-arbetsvillkor"),
    ("Äldreomsorgsnämnden", "Nytt särskilt boende i Östertälje", "vard-och-omsorgsboenden"),
    ("Arbets- och näringslivsnämnden", "SFI och vuxenutbildning", "starka-sfi"),
    ("Arbets- och näringslivsnämnden", "Yrkesutbildningar inom vård", "bygga-ut-yrkesutbildningar"),
    ("Telge Tillväxt AB", "Telge Tillväxt, utökat uppdrag", "starka-telge-tillvaxt"),
    ("Kultur- och fritidsnämnden", "Ungdomens hus", "starka-motesplatser-i-hela-kommunen"),
    ("Kultur- och fritidsnämnden", "Stadsmuseum", "kultur-och-besoksstad"),
    ("Kultur- och fritidsnämnden", "Spontanidrottsplatser", "jamstalld-och-jamlik-idrott"),
    ("Kultur- och fritidsnämnden", "Föreningsstöd", "ge-foreningslivet"),
    ("Kultur- och fritidsnämnden", "Bibliotek i kommundelarna", "tillgangligt-kulturliv"),
    ("Miljönämnden", "Naturskolan", "utveckla-naturskolan"),
    ("Miljönämnden", "Restaurering av våtmarker", "gronstruktur-och-ekosystem"),
    ("Tekniska nämnden", "Trygghetsbelysning", "trygga-och-levande-offentliga-miljoer"),
    ("Tekniska nämnden", "Cykelvägar", "transporteffektivt-samhalle"),
    ("Tekniska nämnden", "Elbilar i kommunens fordonsflotta", "elektrifiering-av-transporter"),
    ("Tekniska nämnden", "Upprustning av lekplatser", "rusta-upp-eftersatta-omraden"),
    ("Kommunstyrelsen", "Solcellsplan", "fornybar"),
    ("Kommunstyrelsen", "Kommunal vikariepool", "vi-vill-ocksa-att-sodertalje-kommun-ska-ta"),
    ("Kommunstyrelsen", "Sänkta politikerarvoden", "sanka-politikerarvodena"),
    ("Telge Återvinning AB", "Textilinsamling", "textilatervinningen"),
    ("Telge Bostäder AB", "Nyproduktion hyresrätter", "prisvarda-hyresratter"),
    ("Omsorgsnämnden", "Samordnat stöd vid psykisk ohälsa", "battre-kommunal-samordning"),
    ("Omsorgsnämnden", "Insatser enligt LSS", "fritid-kultur-och-natur-for"),
]


# A second set, written after the suggester and the synonym list were done; one miss on the
# first run ("Konstgräsplaner": the synonym list then got konstgräsplan as an idrott word).
UNSEEN_LATER = [
    ("Kultur- och fritidsnämnden", "Satsning på fritidsgårdar i Hovsjö och Ronna", "avgiftsfri-och-jamlik-tillgang"),
    ("Kultur- och fritidsnämnden", "Sommarlovsaktiviteter för barn och unga", "avgiftsfri-och-jamlik-tillgang"),
    ("Utbildningsnämnden", "Fler förskollärare", "oka-resurserna-till-forskolan"),
    ("Utbildningsnämnden", "Elevhälsa", "oka-resurserna-till-grundskolan"),
    ("Utbildningsnämnden", "Skolbibliotek", "skolbiblioteken"),
    ("Äldreomsorgsnämnden", "Bemanning i hemtjänsten", "aldreomsorgens-arbetsvillkor"),
    ("Socialnämnden", "Återöppnat skyddat boende", "kvinnojourerna"),
    ("Socialnämnden", "Utökad öppenvård för unga", "forebyggande-sociala-insatser"),
    ("Socialnämnden", "Housing first", "sociala-kontrakt"),
    ("Telge Bostäder AB", "Bostadsbyggande", "prisvarda-hyresratter"),
    ("Telge Bostäder AB", "Sänkt avkastningskrav", "skydda-och-starka-allmannyttan"),
    ("Tekniska nämnden", "Laddinfrastruktur vid bostadsområden", "elektrifiering"),
    ("Kommunstyrelsen", "Energieffektivisering i kommunala fastigheter", "elektrifiering"),
    ("Tekniska nämnden", "Trygghetsvärdar", "trygga-och-levande-offentliga-miljoer"),
    ("Arbets- och näringslivsnämnden", "Arbetsmarknadsinsatser för unga", "arbetsmarknadsverksamhet"),
    ("Kommunstyrelsen", "Medborgarbudget", "medborgardialog"),
    ("Kommunstyrelsen", "Minskad användning av bemanningsföretag", "minskad-personalomsattning"),
    ("Omsorgsnämnden", "Heltidsanställningar i omsorgen", "aldreomsorgens-arbetsvillkor"),
    ("Kultur- och fritidsnämnden", "Konstgräsplaner", "jamstalld-och-jamlik-idrott"),
    ("Kultur- och fritidsnämnden", "Kulturcentrum i Järna", "tillgangligt-kulturliv"),
    ("Socialnämnden", "Insatser mot våld i nära relationer", "valdsforebyggande"),
    ("Telge Återvinning AB", "Mobil återvinningscentral", "atervinning-och-aterbruk"),
    ("Stadsbyggnadsnämnden", "Grönplan och gröna korridorer", "gronstruktur"),
    ("Arbets- och näringslivsnämnden", "Näringslivets brottsförebyggande arbete", "naringslivets-motstandskraft"),
]  # fmt: skip


@pytest.mark.parametrize("cases", [UNSEEN, UNSEEN_LATER], ids=["unseen", "unseen_later"])
def test_unseen_budget_lines_top3_hit_rate(suggester, cases):
    misses = []
    for org, item, expected in cases:
        ranked = [s.proposal_id for s in suggester.suggest(org, item, top=3)]
        if not any(expected in pid for pid in ranked):
            misses.append((org, item, ranked))
    hit_rate = 1 - len(misses) / len(cases)
    print(f"top 3 on {len(cases)} unseen lines: {hit_rate:.0%}")
    assert hit_rate >= 0.85, misses


# A third set, written last and run once without changes: abbreviations for the nämnd, a
# misspelling, definite and genitive forms, everyday words ("gratis", "två lärare").
UNSEEN_THIRD = [
    ('SN', 'Fältassistenterna', ('forebyggande-sociala-insatser',)),
    ('SN', 'Fältasistenter', ('forebyggande-sociala-insatser',)),
    ('KFN', 'Kulturskolans avgifter slopas', ('avgiftsfri-och-jamlik-tillgang', 'kulturskolan-ska-vara-avgiftsfri')),
    ('KFN', 'Gratis kulturskola för alla barn', ('avgiftsfri-och-jamlik-tillgang', 'kulturskolan-ska-vara-avgiftsfri')),
    ('UN', 'Två lärare i klassrummet', ('tvalararsystemet',)),
    ('UN', 'Utbildade bibliotekarier i skolan', ('skolbiblioteken',)),
    ('ÄN', 'Äldreboenden, nya platser', ('vard-och-omsorgsboenden',)),
    ('ÄN', 'Mötesplatser för äldre i Järna', ('motesplatser-for-aldre',)),
    ('SN', 'HVB i egen regi', ('kommunala-hvb-hem',)),
    ('SN', 'Kvinnojouren Södertälje, bidrag', ('kvinnojourerna',)),
    ('ANN', 'Jobbtorg Södertälje', ('arbetsmarknadsverksamhet',)),
    ('ANN', 'Komvux', ('starka-sfi',)),
    ('TN', 'Laddstolpar vid kommunens fastigheter', ('elektrifiering',)),
    ('TN', 'Nya cykelbanor i centrum', ('transporteffektivt',)),
    ('KS', 'Återköp av allmännyttiga lägenheter', ('skydda-och-starka-allmannyttan',)),
    ('Telge Inköp AB', 'Sociala krav i upphandlingar', ('upphandlingar',)),
    ('KS', 'Kommunal vikarieförmedling', ('vi-vill-ocksa-att-sodertalje-kommun-ska-ta',)),
    ('Miljönämnden', 'Skydd av naturreservat', ('gronstruktur',)),
    ('KFN', 'Nytt stadsmuseum', ('kultur-och-besoksstad',)),
    ('SN', 'Familjecentraler', ('befintliga-familjecentraler',)),
]  # fmt: skip


def test_third_unseen_set_top3(suggester):
    misses = [
        (org, item)
        for org, item, expected in UNSEEN_THIRD
        if not any(
            e in s.proposal_id for s in suggester.suggest(org, item, top=3) for e in expected
        )
    ]
    assert len(misses) <= 2, misses


def test_every_demo_satsning_is_mapped_by_the_shipped_rules():
    rules, problems = parse_rules(rules_store(load_config().rules_file).read().rows)
    assert problems == []
    ids = {p.proposal_id for p in bundled_proposals(load_config())}
    assert {r.proposal_id for r in rules} <= ids
    for s in SATSNINGAR:
        applied = resolve(rules, Line(s.organisation, s.title, "forslag", "V", "drift", 2026))
        assert applied, f"ingen regel för {s.organisation} / {s.title}"
        assert sum(r.share for r in applied) <= 1


def test_hit_rate_on_the_shipped_rules_without_them(tmp_path, monkeypatch):
    monkeypatch.setenv("VERKSTAD_DB", str(tmp_path / "none.duckdb"))
    cases, unmapped, source = evaluate(load_config(), top=3)
    assert "regelfilen" in source and not unmapped
    assert len(cases) >= len(SATSNINGAR)
    assert sum(c.hit for c in cases) / len(cases) >= 0.9, [c for c in cases if not c.hit]


def test_cli_suggest_json_and_text(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "none.duckdb")
    result = runner.invoke(
        cli,
        ["suggest", "--organisation", "SN", "--line-item", "Fler fältassistenter", "--top", "2",
         "--json", "--db", db],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["organisation"] == "Socialnämnden" and out["organisation_known"]
    assert [s["proposal_id"] for s in out["suggestions"]][0] == P_FALT
    assert set(out["suggestions"][0]) == {
        "proposal_id", "title", "section", "score", "text_score", "body_boost", "reason",
    }  # fmt: skip
    text = runner.invoke(
        cli, ["suggest", "--org", "Socialnämnden", "--line-item", "Kommunala HVB-hem", "--db", db]
    )
    assert text.exit_code == 0
    assert text.output.splitlines()[1].startswith(" 1. ")
    assert "Etablera kommunala HVB-hem" in text.output and "Varför:" in text.output
    bad = runner.invoke(cli, ["suggest", "--org", "SN", "--line-item", "x", "--top", "0"])
    assert bad.exit_code == 2
