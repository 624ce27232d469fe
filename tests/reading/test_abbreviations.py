"""Abbreviations the letters define themselves, harvested both ways."""
from indexer.reading.abbreviations import find_abbreviations


def test_abbreviations_are_harvested_both_ways():
    text = ("Het NATO Readiness Initiative (NRI) en SACEUR (Supreme Allied Commander Europe) en de "
            "Secretaris-Generaal van de NAVO (hierna: SG NAVO). Opkomende en ontwrichtende "
            "technologieën (emerging and disruptive technologies; hierna EDT) en EDT’s.")
    assert find_abbreviations(text) == [
        ("NRI", "NATO Readiness Initiative"),
        ("SG NAVO", "Secretaris-Generaal van de NAVO"),
        ("EDT", "emerging and disruptive technologies"),
        ("EDT", "Opkomende en ontwrichtende technologieën"),
        ("SACEUR", "Supreme Allied Commander Europe"),
    ]


def test_no_abbreviation_from_a_bracket_that_is_not_one():
    assert find_abbreviations("zoals eerder gemeld (Kamerstuk 35 373, nr. 1) en (zie ook NAVO).") == []
