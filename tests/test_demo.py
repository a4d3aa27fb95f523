"""The demo: deterministic documents whose own totals add up, every quirk present, the
stories the dashboard must tell, and the whole set read through the real importers."""

from __future__ import annotations

import csv
import hashlib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pipelines import registry
from pipelines.demo import DEMO_MARK, generate
from pipelines.demo import model as m
from pipelines.demo.documents import write_all
from pipelines.demo.style import NAME_VARIANTS, NBSP, UMINUS

YEARS = {2022, 2023, 2024, 2025, 2026}
KINDS = {"budget", "forslag", "delarsrapport", "bokslut"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return out, write_all(out)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_generation_is_byte_identical_on_rerun(tmp_path):
    first = generate(tmp_path / "a", extras=False)
    second = generate(tmp_path / "b", extras=False)
    assert [p.name for p in first] == [p.name for p in second]
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert len(first) >= 20


def test_extra_generators_include_the_supplier_payments():
    from pipelines.demo import EXTRA_GENERATORS
    from pipelines.payments.demo import generate_demo_payments

    assert generate_demo_payments in EXTRA_GENERATORS()


def test_every_year_and_kind_is_generated(demo):
    _, written = demo
    assert {w.year for w in written} == YEARS
    assert {w.kind for w in written} == KINDS
    kinds_by_year = {(w.kind, w.year) for w in written}
    for year in YEARS:
        assert ("budget", year) in kinds_by_year
        assert ("delarsrapport", year) in kinds_by_year
    for year in (2022, 2023, 2024, 2025):
        assert ("bokslut", year) in kinds_by_year
    for year in (2024, 2025, 2026):
        assert ("forslag", year) in kinds_by_year


def test_every_table_adds_up_to_its_own_totals(demo):
    _, written = demo
    checked = 0
    for w in written:
        for table in w.tables:
            assert table.lines, f"{w.path.name} {table.sheet}: empty table"
            lines = [vals for _, vals in table.lines]
            for label, total, start, end in table.totals:
                for col, value in enumerate(total):
                    parts = [row[col] for row in lines[start:end] if row[col] is not None]
                    if value is None:
                        assert not parts
                        continue
                    assert sum(parts, Decimal(0)) == value, (w.path.name, table.sheet, label, col)
                    checked += 1
    assert checked > 500


def _cells(path: Path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                yield ws, cell


def test_every_document_is_marked_as_demo(demo):
    out, written = demo
    for w in written:
        if w.path.suffix == ".csv":
            head = w.path.read_bytes()[:400]
            enc = "cp1252" if not head.startswith(b"\xef\xbb\xbf") else "utf-8-sig"
            assert DEMO_MARK in head.decode(enc, errors="replace")
            continue
        wb = openpyxl.load_workbook(w.path)
        for ws in wb.worksheets:
            top = [ws.cell(r, 1).value for r in range(1, 5)]
            assert DEMO_MARK in top, (w.path.name, ws.title)


def test_every_quirk_appears_somewhere(demo):
    out, written = demo
    quirks = set().union(*(w.quirks for w in written))
    required = {
        "title rows",
        "blank rows",
        "two-row header",
        "unit tkr",
        "unit mnkr",
        "numeric cells",
        "text space",
        "text nbsp",
        "unicode minus",
        "bracket negative",
        "zero -",
        "zero –",
        "zero empty",
        "note star",
        "costs negative",
        "costs positive",
        "names casual",
        "names old",
        "names short",
        "organisation split",
        "below the line",
        "csv cp1252",
        "csv utf-8 bom",
        "goals words",
        "goals symbols",
        "goals fill",
        "goals uppfyllt",
        "investments",
    }
    assert required <= quirks, required - quirks
    heads = {q.removeprefix("header ") for q in quirks if q.startswith("header ")}
    assert {"Bu", "Ack.", "Prognos", "Bokslut", "Plan", "Avvikelse"} <= heads

    # ... and they are really in the files, not only in the bookkeeping.
    texts, merged, fills = [], 0, 0
    for w in written:
        if w.path.suffix != ".xlsx":
            continue
        wb = openpyxl.load_workbook(w.path)
        merged += sum(len(ws.merged_cells.ranges) for ws in wb.worksheets)
        for _ws, cell in _cells(w.path):
            if isinstance(cell.value, str):
                texts.append(cell.value)
            elif cell.value is None and cell.fill.fgColor.rgb in (
                "0000B050",
                "00FFFF00",
                "00FF0000",
            ):
                fills += 1
    joined = "\n".join(texts)
    assert merged > 0 and fills > 0
    for needle in (NBSP, UMINUS, "(", "*", "Belopp i tkr", "(Mkr)", "mnkr", "Helår 2025"):
        assert needle in joined, needle
    for needle in ("Utfall jan–aug", "Ack. utfall", "Utfall tom aug", "Prognos helår", "Bu 2025"):
        assert needle in joined, needle
    for needle in ("Summa nämnder", "Totalt", "Skatteintäkter", "Finansnetto", "Årets resultat"):
        assert needle in joined, needle
    for needle in (
        "KFN",
        "Kultur och fritidsnämnden",
        "socialnämnden",
        "Social- och omsorgsnämnden",
        "Arbetsmarknadsnämnden",
        "Samhällsbyggnadsnämnden",
    ):
        assert needle in joined, needle

    csv_cp1252 = next(w.path for w in written if "csv cp1252" in w.quirks)
    raw = csv_cp1252.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    rows = list(csv.reader(raw.decode("cp1252").splitlines(), delimiter=";"))
    assert any(r and r[0] == "Summa nämnder" for r in rows)
    bom = next(w.path for w in written if "csv utf-8 bom" in w.quirks)
    assert bom.read_bytes().startswith(b"\xef\xbb\xbf")
    assert any("," in c for c in bom.read_text("utf-8-sig").splitlines()[5].split(";")[3:])


def test_every_printed_organisation_name_is_in_the_registry():
    for variant in NAME_VARIANTS.values():
        for canonical, shown in variant.items():
            assert registry.normalise(shown, 2024) in (canonical, None) or canonical == m.SON
            org = registry.lookup(shown)
            assert org is not None and org.name == canonical, shown
    for org in m.build_model().single_orgs + m.build_model().line_orgs:
        assert registry.normalise(org) == org


def test_organisations_follow_the_registry_split():
    model = m.build_model()
    son = registry.lookup(m.SON)
    assert m.SON in model.orgs_in(2022) and son.valid_in(2022)
    for year in (2023, 2024, 2025, 2026):
        assert m.SON not in model.orgs_in(year) and not son.valid_in(year)
        for org in m.SPLIT_NAMNDER:
            assert org in model.orgs_in(year) and registry.lookup(org).valid_in(year)
    kdn = [o for o in model.orgs_in(2024) if o.startswith("Kommundelsnämnden ")]
    assert len(kdn) == 4


def test_magnitudes_follow_the_scb_reference():
    scb = m.read_reference()
    scb_total = sum(v for k, v in scb.items())
    model = m.build_model()
    total_2024 = sum(model.org_budget(o, 2024) for o in model.orgs_in(2024))
    assert 6_500_000 < scb_total < 7_500_000
    assert abs(total_2024 - scb_total) / scb_total < 0.05
    # the large nämnder carry most of it, as in the SCB figures
    large = sum(model.org_budget(o, 2024) for o in m.LARGE_NAMNDER)
    assert large / total_2024 > 0.7


def test_the_stories_are_in_the_numbers():
    model = m.build_model()
    index = m.read_price_index()
    sn = "Socialnämnden"
    # money arrives: fältassistenter and sociala kontrakt are spent as budgeted
    for line, years in (
        ("Fältassistenter", (2025,)),
        ("Sociala kontrakt, Bostad först", (2024, 2025)),
    ):
        for year in years:
            ratio = model.line_outcome(sn, line, year) / model.line_budget(sn, line, year)
            assert 0.95 < ratio < 1.05, (line, year)
    # money not spent: the HVB budget stays mostly unused
    hvb = "Kommunalt HVB-hem, etablering"
    assert model.line_outcome(sn, hvb, 2025) < 0.2 * model.line_budget(sn, hvb, 2025)
    assert model.period_outcome(sn, hvb, 2026, 8) < 0.15 * model.line_budget(sn, hvb, 2026)
    # nothing: no line for avgiftsfri kulturskola, tvålärarsystem or a fritidsbank
    lines = {line.casefold() for (_, line) in model.budget}
    assert not any(w in line for line in lines for w in ("avgiftsfri", "tvålärar", "fritidsbank"))
    proposed = {s.title for s in m.SATSNINGAR}
    assert {"Avgiftsfri kulturskola", "Tvålärarsystem i lågstadiet", "Fritidsbank"} <= proposed
    # green while shrinking: fritidsgårdar in fixed prices falls, the goal stays green
    kfn = "Kultur- och fritidsnämnden"
    real = {y: model.line_budget(kfn, "Fritidsgårdar", y) / index[y] * index[2026] for y in m.YEARS}
    assert real[2026] < 0.9 * real[2022]
    # ... and so does the whole Kultur- och fritidsnämnd, year after year
    kfn_real = [model.org_budget(kfn, y) / index[y] for y in sorted(m.YEARS)]
    assert all(a > b for a, b in zip(kfn_real, kfn_real[1:], strict=False))
    for year in m.YEARS:
        for stage in ("dr1", "dr2", "bokslut"):
            goal = next(
                g
                for g in m.goals_for(year, stage)
                if g.goal == "Barn och unga har en meningsfull fritid"
            )
            assert goal.assessment == "grön"
    # words against action: most analyses describe internal organisation
    texts = [g.analysis for g in m.goals_for(2025, "dr2")]
    internal = [
        t
        for t in texts
        if any(
            w in t for w in ("arbetssätt", "samordning", "kompetenshöjning", "struktur", "utbild")
        )
    ]
    concrete = [
        t
        for t in texts
        if "sociala kontrakt tecknades" in t or "fältassistenter har anställts" in t
    ]
    assert len(internal) > len(concrete) >= 2


def test_reference_population_and_price_index_files():
    ref = Path(m.REFERENCE_FILE)
    assert ref.read_text(encoding="utf-8").startswith("kommunkod,kommun,ar,verksamhetskod")
    readme = (ref.parent / "README.md").read_text(encoding="utf-8")
    assert "SCB" in readme and "Räkenskapssammandraget" in readme
    with open(ref.parent.parent / "population.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    years = {int(r["year"]) for r in rows}
    assert years == set(range(2022, 2031))
    total_2024 = sum(int(r["population"]) for r in rows if r["year"] == "2024")
    assert 100_000 < total_2024 < 106_000
    assert {r["source"] for r in rows} == {"demo"}
    index = m.read_price_index()
    assert set(range(2022, 2031)) <= set(index)
    assert all(index[y] < index[y + 1] for y in range(2022, 2030))


# --- the demo through the real importers ---------------------------------------------------


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    """The demo generated into tmp_path and read by pipelines.ingest.ingest, as `verkstad demo`
    does it (demo=True)."""
    from pipelines.config import load_config
    from pipelines.ingest import IngestOptions, ingest

    root = tmp_path_factory.mktemp("demo_ingest")
    written = write_all(root / "demo")
    config = load_config(root / "verkstad.duckdb")
    reports = ingest([w.path for w in written], IngestOptions(config=config, demo=True))
    return config, written, reports


def _importer_names() -> list[str]:
    from pipelines.ingest import _importers

    return [i.name for i in _importers()]


def test_demo_is_read_by_the_real_importers(ingested):
    from pipelines.db import connect_read

    config, written, reports = ingested
    assert "workbook" in _importer_names()
    by_name = {r.file: r for r in reports}
    for w in written:
        report = by_name[w.path.name]
        assert report.status == "accepted", (w.path.name, report.reason)
    con = connect_read(config.db_path)
    got = con.execute(
        "select distinct document, year from facts where document <> 'statistik'"
    ).fetchall()
    assert {d for d, _ in got} == KINDS
    assert YEARS <= {y for _, y in got}
    assert con.execute("select bool_and(is_demo), count(*) from documents").fetchone() == (
        True,
        len(written),
    )


def test_every_demo_document_is_recognised_as_what_it_is(ingested):
    config, written, reports = ingested
    by_name = {r.file: r for r in reports}
    wrong = [
        (w.path.name, w.kind, w.year, by_name[w.path.name].document, by_name[w.path.name].doc_year)
        for w in written
        if (by_name[w.path.name].document, by_name[w.path.name].doc_year) != (w.kind, w.year)
    ]
    assert not wrong


def test_every_demo_table_reconciles_to_the_krona(ingested):
    from pipelines.db import connect_read

    config, written, _ = ingested
    con = connect_read(config.db_path)
    rows = con.execute(
        "select source_file, status, count(*) from table_reconciliations group by all"
    ).fetchall()
    bad = [r for r in rows if r[1] != "ok"]
    assert not bad
    checked = {f: n for f, _, n in rows}
    for w in written:
        expected = sum(
            sum(v is not None for v in values) for t in w.tables for _, values, _, _ in t.totals
        )
        assert checked.get(w.path.name, 0) >= expected > 0, w.path.name


def test_demo_goals_are_all_read(ingested):
    from pipelines.db import connect_read

    config, written, _ = ingested
    con = connect_read(config.db_path)
    got = dict(con.execute("select source_file, count(*) from goals group by 1").fetchall())
    for w in written:
        assert got.get(w.path.name, 0) == w.goals, w.path.name
    colours = {r[0] for r in con.execute("select distinct assessment from goals").fetchall()}
    assert colours == {"grön", "gul", "röd", "ej bedömd"}
    fritid = con.execute(
        "select distinct assessment from goals where goal = 'Barn och unga har en meningsfull fritid'"
    ).fetchall()
    assert fritid == [("grön",)]


def test_the_stories_survive_the_importer(ingested):
    """What the dashboard reads (facts) still tells the demo's stories."""
    from pipelines.db import connect_read

    config, _, _ = ingested
    con = connect_read(config.db_path)

    def amount(line: str, document: str, year: int, measure: str, period=None) -> float:
        row = con.execute(
            "select sum(amount_sek) from facts where line_item = ? and document = ? and year = ?"
            " and measure = ? and period is not distinct from ? and doc_year = ?",
            [line, document, year, measure, period, year],
        ).fetchone()
        assert row[0] is not None, (line, document, year, measure, period)
        return float(row[0])

    # money arrives: fältassistenter spent in step with the budget by August
    budget = amount("Fältassistenter", "budget", 2025, "budget")
    august = amount("Fältassistenter", "delarsrapport", 2025, "utfall", "2025-08")
    assert budget == 4_000_000 and 0.55 < august / budget < 0.75
    # money not spent: the HVB line
    hvb = "Kommunalt HVB-hem, etablering"
    assert amount(hvb, "delarsrapport", 2026, "utfall", "2026-08") < 0.1 * amount(
        hvb, "budget", 2026, "budget"
    )
    # nothing: the municipality's documents have no line for avgiftsfri kulturskola
    assert not con.execute(
        "select count(*) from facts where document <> 'forslag' and line_item ilike '%avgiftsfri%'"
    ).fetchone()[0]
    # shrinking in fixed prices: fritidsgårdar flat in kronor of the day
    index = m.read_price_index()
    real = {
        y: amount("Fritidsgårdar", "budget", y, "budget") / index[y] * index[2026]
        for y in (2022, 2026)
    }
    assert real[2026] < 0.9 * real[2022]


def test_v_satsningar_keep_their_names(ingested):
    from pipelines.db import connect_read

    config, _, _ = ingested
    con = connect_read(config.db_path)
    got = dict(
        con.execute(
            "select line_item, amount_sek from facts where document = 'forslag' and actor = 'V'"
            " and doc_year = 2025 and year = 2025 and source_sheet = 'Satsningar'"
        ).fetchall()
    )
    expected = {s.title: s.tkr[2025] * 1000 for s in m.SATSNINGAR}
    assert {k: float(v) for k, v in got.items()} == expected


def test_bokslut_shows_where_the_money_arrived(ingested):
    from pipelines.db import connect_read

    config, _, _ = ingested
    con = connect_read(config.db_path)

    def bokslut(line: str, measure: str) -> float:
        row = con.execute(
            "select sum(amount_sek) from facts where document = 'bokslut' and doc_year = 2025"
            " and year = 2025 and line_item = ? and measure = ?",
            [line, measure],
        ).fetchone()
        assert row[0] is not None, (line, measure)
        return float(row[0])

    arrived = bokslut("Fältassistenter", "utfall") / bokslut("Fältassistenter", "budget")
    unspent = bokslut("Kommunalt HVB-hem, etablering", "utfall") / bokslut(
        "Kommunalt HVB-hem, etablering", "budget"
    )
    assert 0.95 < arrived < 1.05 and unspent < 0.2
    assert bokslut("Kommunalt HVB-hem, etablering", "avvikelse") > 0  # better than budget


def test_common_items_are_not_a_namnds_costs(ingested):
    from pipelines.db import connect_read

    config, _, _ = ingested
    con = connect_read(config.db_path)
    orgs = {
        r[0]
        for r in con.execute(
            "select distinct organisation from facts where line_item = 'Pensioner och gemensamma poster'"
        ).fetchall()
    }
    assert orgs <= {"Södertälje kommun"}
