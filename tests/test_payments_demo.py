"""The demo payments: invented names and org.nr, skewed, consistent with the demo budget."""

from __future__ import annotations

import polars as pl

from pipelines import registry
from pipelines.payments.demo import (
    DEFAULT_SHARE,
    PURCHASE_SHARE,
    _budget_kr,
    _luhn,
    generate_demo_payments,
    payments_frame,
    suppliers,
)
from pipelines.payments.parse import normalise
from pipelines.payments.read import read_csv


def test_every_supplier_is_plainly_invented():
    for s in suppliers():
        org = registry.lookup(s.name)
        assert s.name.startswith("Demo") or (org is not None and org.kind == "bolag"), s.name
        if s.org_nr:
            digits = s.org_nr.replace("-", "")
            assert len(digits) == 10 and _luhn(digits[:9]) != int(digits[9]), s.org_nr


def test_money_follows_the_demo_budget_and_is_skewed():
    budget = _budget_kr(2025)
    frame = payments_frame(2025, rows=20_000, budget=budget)
    per_org = dict(
        frame.group_by("organisation").agg(pl.col("amount").sum().cast(pl.Float64)).iter_rows()
    )
    assert set(per_org) == set(budget)
    for org, kr in per_org.items():
        planned = budget[org] * PURCHASE_SHARE.get(org, DEFAULT_SHARE)
        assert abs(kr - planned) < 1.0 + planned * 1e-9, org  # exact to rounding in öre
    per_supplier = (
        frame.group_by("supplier")
        .agg(pl.col("amount").sum())
        .sort("amount", descending=True)
        .get_column("amount")
        .cast(pl.Float64)
    )
    top_tenth = per_supplier.head(per_supplier.len() // 10).sum()
    assert top_tenth / per_supplier.sum() > 0.5  # a few suppliers receive most of the money


def test_generated_files_read_back_to_the_same_rows(tmp_path):
    paths = generate_demo_payments(tmp_path)
    assert [p.name for p in paths] == [
        "leverantorsbetalningar-2024.csv",
        "leverantorsbetalningar-2025.csv",
    ]
    for path, year in zip(paths, (2024, 2025), strict=True):
        table = read_csv(path)
        assert table.frame.height >= 150_000
        assert "Demodata" in path.read_bytes()[:200].decode(table.encoding)
        generated = payments_frame(year)
        loaded, _ = normalise(table)
        assert loaded.height == generated.height
        assert loaded.get_column("amount_sek").sum() == generated.get_column("amount").sum()
        assert loaded.get_column("supplier").to_list() == generated.get_column("supplier").to_list()
