from pipelines.fmt import NBSP, percent, sek


def test_swedish_amounts():
    assert sek(1_234_500_000) == f"1{NBSP}234,5{NBSP}mnkr"
    assert sek(-2_000_000, decimals=0) == f"\u22122{NBSP}mnkr"
    assert sek(None) == "–"
    assert percent(0.12) == f"12{NBSP}%"
