"""Front matter: the lines that are metadata of the letter, not its body.

Address, date line, salutation, closings, signatures, the subject line and page furniture are
taken out of the lines wherever they stand, and what they say is kept as FrontMatter. Furniture
is that of the modern letter (letterhead fields, "Pagina 2 van 5") and of the Kamerstuk print:
the running footer "Tweede Kamer, vergaderjaar 1991–1992, 21 461, nr. 46" (read, then removed),
the printer's colophon "213035F ISSN0921 7371 Sdu Uitgeverij Plantijnstraat 's-Gravenhage 1992",
page numbers, "Handelingen der Staten-Generaal Bijlagen 1948—1949", the document number "Nr. 115",
the distribution codes "S-IZ S-MN", and what OCR leaves of them ("—", "r-^").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from indexer.reading import dates, layout
from indexer.reading.kamerstuk import FOOTER, Footer, read_footer
from indexer.reading.model import Signatory
from indexer.reading.signatures import read_signature

# Page furniture: the attachments box, page numbers, the letterhead fields of the right column.
FURNITURE = re.compile(
    r"^(?:Bijlage\(n\)|Bijlagen?:?(?: \d+)?|Pagina \d+ van \d+|\d+ van \d+"
    r"|(?:Ons|Uw) kenmerk\b.*|Uw brief\b.*|Kenmerk\b.*|Contactpersoon\b.*)$"
)
# The furniture of the Kamerstuk print, and of its scans.
PRINT_FURNITURE = re.compile(
    r"^(?:\d{5,6}\s?F\b.*"  # the printer's colophon: "213035F ISSN0921 7371 Sdu Uitgeverij ..."
    r"|\W{0,3}[sSV]?\W{0,2}\s?[-\s]?Gravenhag\w*\s*[\d»oOiI ]{0,6}"  # "'s Gravenhage 1990" under it
    r"|(?i:handelingen\s+der\b.*)"  # "Handelingen der Staten-Generaal. Bijlagen. 1933."
    # "Bijlagen.", "Bij]ai.-en. 1921—1922."
    r"|(?i:bij\W?\w{1,4}\W?\w{0,3}\.?)(?:\s*\d{4}(?:\s*[-–—]+\s*\S{2,4})?\.?)?"
    r"|\d{4}\s*[-–—]+\s*\d{2,4}\.?"  # the session under it: "1934—1935."
    r"|\d{1,3}"  # a page number
    r"|\d+\s+vel"  # the printer's sheet count: "5 vel"
    r"|(?:S-[A-Za-z+&]{1,6}\s*)+"  # distribution codes: "S-IZ S-MN", "S-O+W"
    r"|(?:[I1l]?[NM][rR]|N[oO°])\s*[.,]?\s*\d{1,4}[a-z]?\W{0,4}"  # the document number: "Nr. 115"
    r"|(?i:(?:tweede|eerste)\s+kamer\s+der\s+staten[-\s]?generaal)"
    r"|(?i:(?:vergaderjaar|zitting)\s+\d{4}(?:\s*[-–—]+\s*\d{4})?(?:\s*[-–—]+\s*[\d ]{3,7}\w{0,4})?)"
    r"|\W*\w?\W*"  # OCR debris: "—", ".,", "r-^"
    r")$"
)
# The colophon's words, wherever OCR put them in its line.
PRINT_WORDS = re.compile(r"\bISSN\s?\d{4}|\b(?:SDU|Sdu)\s?[Uu]itgeve|Plantijnstraat")
# The letterhead before the body: "DEFENSIE", "Ministerie van Buitenlandse Zaken".
LETTERHEAD = re.compile(r"^(?:[A-ZÀ-Þ][A-ZÀ-Þ&' -]{2,40}|Ministerie van [A-Z][\w ]+)$")
# The address block: "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal" (older: "Aan
# de Heer Voorzitter", "Den Heere Voorzitter", "Aan Zijne Excellentie den Minister van Staat,
# Voorzitter van de Tweede Kamer"), and the postal lines under it.
ADDRESS = re.compile(
    r"^(?:(?:Aan|»)\s+(?:Zijne Excellentie\s+\S+\s+Minister van Staat,\s+)?(?:de|den|De|Den)\s+"
    r"(?:[Hh]eere?\s+)?[Vv]oorzitters?\b.{0,160}(?:Kamer|Commissie|Generaal)\b.*"
    r"|(?:Den\s+[Hh]eere?|De)\s+[Vv]oorzitter van (?:de )?(?:Tweede|Eerste) Kamer(?: der Staten[-\s]?Generaal)?\.?"
    r"|Aan)$")
ADDRESS_MORE = re.compile(
    r"^(?:der Staten-Generaal|Postbus \d+|\d{4} ?[A-Z]{2} .+|Binnenhof \d+.*|Plein 2"
    r"|.{0,12}(?:Staten[-\s]?G\s?ener\s?aal|Kamer der)\.?|van de Tweede|Kamer)$")
SALUTATION = re.compile(r"^(?:(?:Zeer |Hoog)?[Gg]eachte\b[^.]{0,60}|Hoogedel\w*\s+Heer\w*),?$")
CLOSING = re.compile(r"^(?:Hoogachtend|Met (?:vriendelijke|hoogachtende) groet(?:en)?|Met de meeste hoogachting),?$")
# "Betreft Kabinetsappreciatie ..." (the subject line of the letterhead) gives the title.
SUBJECT = re.compile(r"^(?:Betreft|Onderwerp)\s*:?\s+(?P<subject>\S.*)$")
HAS_DIGIT = re.compile(r"\d")


@dataclass
class FrontMatter:
    """What the letter says about itself outside its body."""

    date: date | None = None
    subject: str | None = None
    signatories: list[Signatory] = field(default_factory=list)
    footer: Footer | None = None  # the first running footer of a Kamerstuk print
    other_dates: list[date] = field(default_factory=list)  # further date lines, that disagree


def is_print_mark(text: str, dossier: str | None) -> bool:
    """The line at the foot of an old print that repeats the dossier and the number: "7652 2",
    "III 4500 XI 23", "12 413 1 (3 vel)"."""
    if not dossier or len(text.split()) > 7 or not re.fullmatch(r"[\dIVXLCl1()A-Z\s]+(?:vel\))?", text):
        return False
    return dossier.split("-")[0] in text.replace(" ", "")


FURNITURE_MAX_CHARS = 100  # a colophon is a short line; a sentence that names Sdu is not one


SHORT_FURNITURE_CHARS = 50  # all furniture but the colophon and the footers is shorter than this


def is_furniture(text: str, dossier: str | None = None) -> bool:
    """Page furniture of a modern letter or a Kamerstuk print (`dossier`: the letter's own)."""
    if FURNITURE.match(text) or FOOTER.match(text):
        return True
    if len(text) > FURNITURE_MAX_CHARS:
        return False
    if len(text) > SHORT_FURNITURE_CHARS:  # the cheap tests of the long furniture only
        return (text[:1].isdigit() or text[:1] in "Hh") and bool(PRINT_FURNITURE.match(text)) \
            or _has_print_words(text)
    return bool(PRINT_FURNITURE.match(text) or _has_print_words(text)) or is_print_mark(text, dossier)


def _has_print_words(text: str) -> bool:
    # the words looked for as text first: a regex search of every line costs more than the rest
    return ("ISSN" in text or "itgeve" in text or "Plantijn" in text) and bool(PRINT_WORDS.search(text))


def take_front_matter(lines: list[layout.Line], dossier: str | None = None,
                      dated: bool = False) -> tuple[list[layout.Line], FrontMatter]:
    """Remove address, date line, salutation, closings, signatures and furniture from the lines.

    They are metadata, wherever they occur (000 and 004 have a signed cover letter on page 1,
    then an annex). The line after a removed one starts a new block. `dossier` is the letter's
    own, from its header (the foot of an old print repeats it); `dated`: the header gave the date.
    """
    meta, body = FrontMatter(), []
    texts = [layout.visible(line.text) for line in lines]
    skip, gap = 0, False
    for i, line in enumerate(lines):
        text = texts[i]
        if skip:
            skip -= 1
            continue
        if (signed := read_signature(texts, i)) is not None:
            signatory, skip = signed
            skip -= 1
            if signatory not in meta.signatories:
                meta.signatories.append(signatory)
        elif (m := SUBJECT.match(text)) and meta.subject is None:
            meta.subject = m["subject"]
        elif text[:1] in "TtEeSs" and (footer := read_footer(text)) is not None:
            meta.footer = meta.footer or footer
        elif (
            is_furniture(text, dossier) or ADDRESS.match(text) or SALUTATION.match(text)
            or CLOSING.match(text) or (body == [] and LETTERHEAD.match(text))
            or (gap and ADDRESS_MORE.match(text))
        ):
            pass
        elif HAS_DIGIT.search(text) and (d := dates.parse_date_line(text)) is not None:
            if meta.date is None and not dated:  # (every date form has digits)
                meta.date = d
            elif d != meta.date and d not in meta.other_dates:
                meta.other_dates.append(d)
        else:
            body.append(replace(line, gap=True) if gap and not line.gap else line)
            gap = False
            continue
        gap = True
    return body, meta
