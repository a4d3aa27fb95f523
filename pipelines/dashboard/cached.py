"""The dashboard queries cached per database version: a new ingest replaces the database
file, `ui.db_version()` changes, and every page shows the new data at once."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pipelines import ui
from pipelines.dashboard import compare as cmp
from pipelines.dashboard import overview as ov
from pipelines.dashboard import queries as q


@st.cache_data(max_entries=8, show_spinner=False)
def _slices(version) -> list[q.Slice]:
    return q.slices(ui.connection())


def slices() -> list[q.Slice]:
    return _slices(ui.db_version())


@st.cache_data(max_entries=16, show_spinner=False)
def _overview(version, year: int | None, kind: str) -> ov.Overview:
    return ov.overview(ui.connection(), year, kind)


def overview(year: int | None, kind: str = "drift") -> ov.Overview:
    return _overview(ui.db_version(), year, kind)


@st.cache_data(max_entries=8, show_spinner=False)
def _proposals(version) -> pl.DataFrame:
    return q.proposals(ui.connection())


def proposals() -> pl.DataFrame:
    return _proposals(ui.db_version())


@st.cache_data(max_entries=8, show_spinner=False)
def _funding(version) -> pl.DataFrame:
    return q.funding(ui.connection())


def funding() -> pl.DataFrame:
    """proposal_funding with fixed prices and per invånare, every proposal."""
    return _funding(ui.db_version())


@st.cache_data(max_entries=8, show_spinner=False)
def _source_index(version, kind: str) -> dict[tuple, str]:
    return q.source_index(q.mapped_lines(ui.connection(), None), budget_kind=kind)


def source_index(kind: str = "drift") -> dict[tuple, str]:
    """(proposal_id, year, document, measure) -> sources of its mapped lines."""
    return _source_index(ui.db_version(), kind)


@st.cache_data(max_entries=64, show_spinner=False)
def _proposal_detail(version, proposal_id: str) -> dict:
    con = ui.connection()
    return {
        "proposal": q.proposal(con, proposal_id),
        "bodies": q.proposal_bodies(con, proposal_id),
        "lines": q.mapped_lines(con, proposal_id),
        "goals": q.related_goals(con, proposal_id),
    }


def proposal_detail(proposal_id: str) -> dict:
    return _proposal_detail(ui.db_version(), proposal_id)


@st.cache_data(max_entries=64, show_spinner=False)
def _comparison(version, a: q.Slice, b: q.Slice, fixed: bool, per: bool) -> cmp.Comparison:
    return cmp.compare(ui.connection(), a, b, fixed, per)


def comparison(a: q.Slice, b: q.Slice, fixed: bool, per_invanare: bool) -> cmp.Comparison:
    return _comparison(ui.db_version(), a, b, fixed, per_invanare)


@st.cache_data(max_entries=32, show_spinner=False)
def _slice_facts(version, s: q.Slice) -> pl.DataFrame:
    return q.slice_facts(ui.connection(), s)


def slice_facts(s: q.Slice) -> pl.DataFrame:
    return _slice_facts(ui.db_version(), s)


@st.cache_data(max_entries=8, show_spinner=False)
def _price_base(version) -> dict:
    return q.price_base(ui.connection())


def price_base() -> dict:
    """The price index's base year and range."""
    return _price_base(ui.db_version())
