"""Dutch dates, as letters write them and as users type them in query filters."""
from datetime import date

from indexer.reading.dates import find_dates, infer_date, parse_date, parse_date_line, parse_iso_date


def test_iso_dates():
    assert parse_date("2022-06-08") == date(2022, 6, 8)
    assert parse_iso_date(" 2018-04-26 ") == date(2018, 4, 26)
    assert parse_iso_date("8 juni 2022") is None


def test_impossible_dates_are_none_not_errors():
    assert parse_date("2022-13-45") is None
    assert parse_date("30 februari 2022") is None
    assert parse_date("31-4-2021") is None
    assert parse_iso_date("2022-02-30") is None


def test_dutch_written_dates_with_full_and_abbreviated_months():
    assert parse_date("8 juni 2022") == date(2022, 6, 8)
    assert parse_date("26 April 2018") == date(2018, 4, 26)
    assert parse_date("1 sept. 2021") == date(2021, 9, 1)
    assert parse_date("3 jan. 2020") == date(2020, 1, 3)
    assert parse_date("17 febr 2022") == date(2022, 2, 17)
    assert parse_date("12 mei\n2021") == date(2021, 5, 12)


def test_numeric_dates_are_day_month_year():
    assert parse_date("8-6-2022") == date(2022, 6, 8)
    assert parse_date("08/06/2022") == date(2022, 6, 8)


def test_text_that_is_not_a_date():
    assert parse_date("") is None
    assert parse_date("juni 2022") is None
    assert parse_date("8 juni 2022 in Brussel") is None  # a date in a text is find_dates' job


def test_date_lines_of_letters():
    assert parse_date_line("Den Haag, 8 juni 2022") == date(2022, 6, 8)
    assert parse_date_line("Den Haag 26 april 2018") == date(2018, 4, 26)
    assert parse_date_line("Datum 8 juni 2022") == date(2022, 6, 8)
    assert parse_date_line("Datum: 8-6-2022") == date(2022, 6, 8)
    assert parse_date_line("'s-Gravenhage, maandag 8 juni 2022") == date(2022, 6, 8)
    assert parse_date_line("17 februari 2022") == date(2022, 2, 17)
    assert parse_date_line("17 februari 2022 in Brussel.") is None


def test_find_dates_in_order_of_appearance():
    text = "op 16 mei, d.d. 21 april 2021 en 2021Z07953 d.d. 12 mei\n2021; zie ook 2020-01-05"
    assert find_dates(text) == [date(2021, 4, 21), date(2021, 5, 12), date(2020, 1, 5)]


def test_infer_date_takes_the_latest_date_mentioned():
    assert infer_date("Op 25 november 2020 ... op 1 december 2020 ... d.d. 22 december 2019") \
        == date(2020, 12, 1)
    assert infer_date("Geen datum, alleen in april 2020.") is None


def test_place_date_lines_of_any_place_and_era():
    assert parse_date_line("Brussel, 8 maart 2017") == date(2017, 3, 8)
    assert parse_date_line("Zoetermeer 2 december 1991") == date(1991, 12, 2)
    assert parse_date_line("' s-Gravenhage, 28 april 1992") == date(1992, 4, 28)
    assert parse_date_line("'s GRAVENHAGE, den 27 December 1911.") == date(1911, 12, 27)
    assert parse_date_line("'* Gravenhage, den 17den April 1906.") == date(1906, 4, 17)
    assert parse_date_line("'s-Gravenhage, 5 October 1953.") == date(1953, 10, 5)  # the old spelling
    assert parse_date_line("Alphen aan den Rijn, 3 mei 2001") == date(2001, 5, 3)
    assert parse_date_line("27 februari 1956.") == date(1956, 2, 27)
    assert parse_date_line("15juli 1994") == date(1994, 7, 15)  # OCR lost the space
    assert parse_date_line("Defensie van 1 juni 2021.") is None  # a sentence's end, no place


def test_no_letter_is_dated_before_1814_or_after_next_year():
    assert parse_date_line("Brussel, 8 maart 2332") is None
    assert parse_date_line("Den Haag, 3 mei 1809") is None
    assert infer_date("in 1809 ... op 3 mei 1809 ... tot 12 mei 2332") is None


def test_an_inferred_date_prefers_what_the_letter_says_it_is_about():
    text = "De bijeenkomst op 1 juni 2021 ... de Top op 14 juni 2021."
    assert infer_date(text) == date(2021, 6, 14)
    assert infer_date(text, own="Geannoteerde agenda voor de bijeenkomst van 1 juni 2021") == date(2021, 6, 1)
    session = (date(1989, 1, 1), date(1990, 12, 31))
    assert infer_date("op 3 mei 1989 en per 1 januari 1995", within=session) == date(1989, 5, 3)
