"""Organisation names are normalised through data/organisations.csv, never invented."""

import pytest

from pipelines.registry import lookup, normalise


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("Kultur och fritidsnämnden", "Kultur- och fritidsnämnden"),
        ("kultur- och fritidsnämnd", "Kultur- och fritidsnämnden"),
        ("KS", "Kommunstyrelsen"),
        ("stadsbyggnadsnämnden", "Stadsbyggnadsnämnden"),
        ("Telge Bostäder", "Telge Bostäder AB"),
        ("KDN Järna", "Kommundelsnämnden Järna"),
        ("Arbets och näringslivsnämnden", "Arbets- och näringslivsnämnden"),
        ("Tekniska  nämnden", "Tekniska nämnden"),
    ],
)
def test_known_names_are_normalised(published, expected):
    assert normalise(published) == expected


def test_unknown_name_is_none():
    assert normalise("Nämnden för påhittade ärenden") is None
    assert normalise("") is None


def test_kommundel_and_validity():
    assert lookup("Kommundelsnämnden Hölö-Mörkö").kommundel == "Hölö-Mörkö"
    assert lookup("Social- och omsorgsnämnden").valid_in(2022)
    assert not lookup("Social- och omsorgsnämnden").valid_in(2024)
