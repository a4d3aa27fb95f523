"""Presentation mode: decks of slides for member meetings, one chart per slide.

A deck is a list of `pipelines.export.slides.Slide`, the same objects the PPTX export takes,
so what is shown on the projector and what is exported are one thing. Decks are built from
the functions the pages use (dashboard, kommundelar, ordmotverkstad); nothing here queries
the database directly.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from pipelines import fmt
from pipelines import kommundelar as kd
from pipelines.dashboard import charts as dash_charts
from pipelines.dashboard import overview as dash_overview
from pipelines.dashboard import queries as dq
from pipelines.export.slides import Slide
from pipelines.kommundelar import charts as kd_charts
from pipelines.ordmotverkstad import charts as omv_charts
from pipelines.ordmotverkstad import goals as omv_goals

DECKS = {
    "forslag": "Ett förslag",
    "oversikt": "Översikt",
    "kommundelar": "Kommundelar",
    "ord": "Ord mot verkstad",
}
MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def _short(text: str | None, n: int = 420) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + " …"


def proposal_choices(con) -> list[tuple[str, str]]:
    """(proposal_id, title) of the municipal proposals: those with money in the adopted
    budget first, then those only in V:s förslag, then the rest, each in program order."""
    props = dq.proposals(con)
    if props.is_empty():
        return []
    if "level" in props.columns:
        props = props.filter(pl.col("level") == "kommun")
    fund = dq.funding(con).filter(pl.col("measure") == "budget")
    adopted = set(fund.filter(pl.col("document") == "budget")["proposal_id"].to_list())
    ours = set(fund.filter(pl.col("document") == "forslag")["proposal_id"].to_list())
    pairs = [(str(p), str(t)) for p, t in props.select("proposal_id", "title").iter_rows()]
    return sorted(pairs, key=lambda pair: 0 if pair[0] in adopted else 1 if pair[0] in ours else 2)


def proposal_deck(con, proposal_id: str) -> list[Slide]:
    """The proposal's text and bodies, its money over the years, its related goals."""
    prop = dq.proposal(con, proposal_id)
    if prop is None:
        return []
    bodies = dq.proposal_bodies(con, proposal_id)
    roles = {"decision": "Beslutar", "executing": "Verkställer", "local": "Lokalt"}
    lines = [_short(prop.get("text"))]
    for role, label in roles.items():
        names = bodies.filter(pl.col("role") == role)["body"].to_list() if bodies.height else []
        if names:
            lines.append(f"{label}: {', '.join(dict.fromkeys(names))}")
    deck = [Slide(title=prop["title"], lines=lines, note=f"Handlingsprogrammet, {prop['section']}")]
    fund = dq.funding(con, proposal_id)
    if fund.is_empty():
        deck.append(
            Slide(
                title="Pengarna",
                lines=["Inga budgetrader är kopplade till förslaget ännu."],
                note="proposal_funding",
            )
        )
    else:
        sources = dq.source_index(dq.mapped_lines(con, proposal_id))
        adopted = fund.filter((pl.col("document") == "budget") & (pl.col("measure") == "budget"))
        if adopted.height:
            latest = int(adopted["year"].max())
            change = dq.change(fund, proposal_id, latest)
            text = [f"Antagen budget {latest}: {fmt.sek(change.amount)}"]
            if change.previous is not None:
                text.append(
                    f"Förändring mot {latest - 1}: {fmt.sek(change.diff())} i löpande priser, "
                    f"{fmt.sek(change.diff('amount_fixed'))} i fasta priser"
                )
        else:
            text = ["Inga pengar i den antagna budgeten."]
        ours = fund.filter((pl.col("document") == "forslag") & (pl.col("measure") == "budget"))
        if ours.height:
            year = int(ours["year"].max())
            amount = ours.filter(pl.col("year") == year)["amount_sek"].sum()
            text.append(f"V:s förslag {year}: {fmt.sek(amount)}")
        deck.append(
            Slide(
                title="Pengarna år för år",
                lines=text,
                chart=dash_charts.funding_chart(fund, sources, prop["title"]),
                note="Källa: proposal_funding och de kopplade budgetraderna",
            )
        )
    goals = dq.related_goals(con, proposal_id)
    if goals.height:
        table = [["Mål", "Färg"]] + [
            [_short(g, 90), a] for g, a in goals.select("goal", "assessment").head(8).iter_rows()
        ]
        deck.append(Slide(title="Kommunens mål och färger", table=table, note="goals"))
    return deck


def overview_deck(con, year: int | None) -> list[Slide]:
    """The year's largest changes per nämnd and the proposals' money in fixed prices."""
    ov = dash_overview.overview(con, year)
    if ov.budget is None:
        return []
    sources = dq.source_index(dq.mapped_lines(con, None))
    deck = [
        Slide(
            title=f"Budget {ov.year}",
            lines=[
                f"Antagen budget (drift): {fmt.sek(ov.total_sek)}",
                f"Året innan: {fmt.sek(ov.previous_sek)}",
                f"Kopplat till handlingsprogrammet: {fmt.percent(ov.mapped_share)}",
            ],
            note="Källa: facts (antagen budget)",
        ),
        Slide(
            title="Största förändringarna per nämnd",
            chart=dash_charts.organisation_changes_chart(ov.organisations, ov.year),
            note="Källa: facts (antagen budget)",
        ),
    ]
    if ov.proposals.filter(pl.col("change_fixed_sek").is_not_null()).height:
        deck.append(
            Slide(
                title="Förslagens pengar i fasta priser",
                chart=dash_charts.proposals_chart(ov.proposals, sources, ov.year),
                note="Källa: proposal_funding",
            )
        )
    return deck


def kommundelar_deck(con, year: int) -> list[Slide]:
    """The kommundelar on the tile map: operating budget per invånare, investments."""
    frame = kd.overview(con, year)
    deck = [
        Slide(
            title=f"Kommundelarna {year}: drift per invånare",
            chart=kd_charts.tile_map(frame, "drift_per_inv"),
            note="Källa: facts (kommundelsnämndernas antagna budget), data/population.csv",
        ),
        Slide(
            title=f"Kommundelarna {year}: investeringar",
            chart=kd_charts.tile_map(frame, "investment_budget"),
            note="Källa: facts (investeringsbudgeten)",
        ),
    ]
    table = [["Kommundel", "Driftbudget", "Förändring", "Investeringar", "Per invånare"]]
    for r in frame.iter_rows(named=True):
        per = r["drift_per_inv"]
        table.append(
            [
                r["label"],
                fmt.sek(r["drift_budget"]),
                fmt.sek(r["drift_change"]),
                fmt.sek(r["investment_budget"]),
                f"{fmt.number(per)}\u00a0kr" if per is not None else "–",
            ]
        )
    deck.append(Slide(title=f"Kommundelarna {year} i siffror", table=table, note="facts"))
    return deck


def report_label(year: int, period: str | None) -> str:
    if (year, period) == omv_goals.ALL_REPORTS:
        return "Alla rapporter"
    if not period:
        return f"{year}, helår"
    return f"{year}, delår jan–{MONTHS[int(period[-2:]) - 1]}"


def ord_reports(con) -> list[tuple[int, str | None]]:
    return omv_goals.report_choices(omv_goals.goal_table(con))


def ord_deck(con, report: tuple[int, str | None]) -> list[Slide]:
    """Words against action for one report: what the analyses are about, colour against
    money, and the green goals where nothing happened."""
    table = omv_goals.goal_table(con)
    shown = omv_goals.in_report(table, report)
    if shown.is_empty():
        return []
    label = report_label(*report)
    flagged = shown.filter(pl.col("flag"))
    deck = [
        Slide(
            title=f"Ord mot verkstad — {label}",
            lines=[
                f"{fmt.number(shown.height)} mål, varav "
                f"{fmt.number(shown.filter(pl.col('assessment') == 'grön').height)} gröna",
                f"Gröna, men inget hände: {fmt.number(flagged.height)}",
                "Analyser som mest handlar om inre organisation: "
                f"{fmt.number(shown.filter(pl.col('verdict') == 'internal').height)}",
            ],
            note="Källa: goals; regler i data/ord_mot_verkstad/rules.csv",
        ),
        Slide(
            title="Vad analyserna handlar om",
            chart=omv_charts.verdict_by_assessment(shown, label),
            note="goals, klassade med data/ord_mot_verkstad/rules.csv",
        ),
        Slide(
            title="Färg mot pengar",
            chart=omv_charts.colour_against_money(shown, label),
            note="goals och facts (budget i fasta priser)",
        ),
    ]
    if flagged.height:
        rows = [["Mål", "Nämnd", "Varför"]] + [
            [_short(r["goal"], 70), r["money_of"], r["flag_reason"]]
            for r in flagged.head(8).iter_rows(named=True)
        ]
        deck.append(Slide(title="Gröna, men inget hände", table=rows, note="goals"))
    return deck


def projector(fig: go.Figure) -> go.Figure:
    """A copy of the chart with type large enough for a projector."""
    big = go.Figure(fig)
    big.update_layout(
        font={"size": 20},
        title_font={"size": 28},
        height=680,
        margin={"l": 20, "r": 20, "t": 90, "b": 30},
        # below the plot: at the larger size a legend on top runs into the title
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top"},
    )
    # The source chart's narrow margins would cut the larger axis labels off.
    big.update_xaxes(automargin=True)
    big.update_yaxes(automargin=True)
    big.update_traces(textfont_size=18, selector={"type": "scatter"})
    return big
