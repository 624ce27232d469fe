"""Front matter: the lines that are metadata of the letter, not its body.

Address, date line, salutation, closings, signatures, the subject line and page furniture are
taken out of the lines wherever they stand, and what they say is kept as FrontMatter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from indexer.reading import dates, layout
from indexer.reading.model import Signatory

# Page furniture: the attachments box, page numbers, the letterhead fields of the right column.
FURNITURE = re.compile(
    r"^(?:Bijlage\(n\)|Bijlagen?:?(?: \d+)?|Pagina \d+ van \d+|\d+ van \d+"
    r"|(?:Ons|Uw) kenmerk\b.*|Uw brief\b.*|Kenmerk\b.*|Contactpersoon\b.*)$"
)
# The letterhead before the body: "DEFENSIE", "Ministerie van Buitenlandse Zaken".
LETTERHEAD = re.compile(r"^(?:[A-ZÀ-Þ][A-ZÀ-Þ&' -]{2,40}|Ministerie van [A-Z][\w ]+)$")
# The address block: "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal", and the
# postal lines under it.
ADDRESS = re.compile(r"^Aan de [Vv]oorzitter van de (?:Tweede|Eerste) Kamer\b.*$")
ADDRESS_MORE = re.compile(r"^(?:der Staten-Generaal|Postbus \d+|\d{4} ?[A-Z]{2} .+|Binnenhof \d+.*|Plein 2)$")
SALUTATION = re.compile(r"^(?:Zeer |Hoog)?[Gg]eachte\b[^.]{0,60},?$")
CLOSING = re.compile(r"^(?:Hoogachtend|Met (?:vriendelijke|hoogachtende) groet(?:en)?|Met de meeste hoogachting),?$")
# "Betreft Kabinetsappreciatie ..." (the subject line of the letterhead) gives the title.
SUBJECT = re.compile(r"^(?:Betreft|Onderwerp)\s*:?\s+(?P<subject>\S.*)$")
# A signature: the office on one line ("De Minister van Buitenlandse Zaken," - the comma is
# sometimes missing), the name on the next ("W.B. Hoekstra", "Ank Bijleveld-Schouten").
SIGNATORY_ROLE = re.compile(
    r"^(?:De|de) (?:[Mm]inister(?:-[Pp]resident)?|[Ss]taatssecretaris)(?: (?:van|voor) [^,.]{2,80})?,?$"
)
_INITIALS = r"(?:[A-Z][a-z]{0,2}\.)+"
_NAME_PART = r"(?:[A-ZÀ-Þ][a-zà-ÿ’']+(?:-[A-ZÀ-Þ][a-zà-ÿ’']+)*)"
SIGNATORY_NAME = re.compile(
    rf"^(?:{_INITIALS}|{_NAME_PART})(?: (?:{_INITIALS}|{_NAME_PART}|van|de|der|den|ter|ten|te|in ’t|in 't))*$"
)


@dataclass
class FrontMatter:
    """What the letter says about itself outside its body."""

    date: date | None = None
    subject: str | None = None
    signatories: list[Signatory] = field(default_factory=list)


HAS_DIGIT = re.compile(r"\d")


def take_front_matter(lines: list[layout.Line]) -> tuple[list[layout.Line], FrontMatter]:
    """Remove address, date line, salutation, closings, signatures and furniture from the lines.

    They are metadata, wherever they occur (000 and 004 have a signed cover letter on page 1,
    then an annex). The line after a removed one starts a new block.
    """
    meta, body = FrontMatter(), []
    skip_next, gap = False, False
    for i, line in enumerate(lines):
        text = layout.visible(line.text)
        nxt = layout.visible(lines[i + 1].text) if i + 1 < len(lines) else ""
        if skip_next:
            skip_next = False
        elif SIGNATORY_ROLE.match(text) and SIGNATORY_NAME.match(nxt) and len(nxt.split()) <= 6:
            signatory = Signatory(text.rstrip(","), nxt)
            if signatory not in meta.signatories:
                meta.signatories.append(signatory)
            skip_next = True
        elif (m := SUBJECT.match(text)) and meta.subject is None:
            meta.subject = m["subject"]
        elif (
            FURNITURE.match(text) or ADDRESS.match(text) or SALUTATION.match(text)
            or CLOSING.match(text) or (body == [] and LETTERHEAD.match(text))
            or (gap and ADDRESS_MORE.match(text))
        ):
            pass
        elif HAS_DIGIT.search(text) and (d := dates.parse_date_line(text)) is not None:
            meta.date = meta.date or d  # (every date form has digits)
        else:
            body.append(replace(line, gap=True) if gap and not line.gap else line)
            gap = False
            continue
        gap = True
    return body, meta

