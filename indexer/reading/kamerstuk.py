"""The Kamerstuk print format: the header that says what a letter is, and the running footer.

A letter printed as a Kamerstuk (officielebekendmakingen, Staten-Generaal Digitaal) opens with

    Tweede Kamer der Staten-Generaal            (or "Eerste Kamer", "Staten-Generaal")
    Vergaderjaar 1991–1992                      (older: "Zitting 1955—1956 — 4427")
    21 461                                      the dossier, maybe with a chapter: "17600 G",
    Een nieuw politiebestel                     "21300 XV", "21 501-17"; then the dossier title
    Nr. 46                                      the document number ("No. 21", OCR: "IMr. 2")
    BRIEF VAN DE MINISTER VAN JUSTITIE          the sender, over one or more lines
    Aan de Voorzitter van de Tweede Kamer der Staten-Generaal
    's-Gravenhage, 28 april 1992

and prints on every page "Tweede Kamer, vergaderjaar 1991–1992, 21 461, nr. 46". Prints from
before the war number the document "185. 1." or "(2. VII A. 6.)" above the sender; those of
the fifties and sixties put the dossier on the session line and the number after the sender.
`read_header` reads all of these from the first lines of a letter; `read_footer` reads the
running footer (the front matter removes it as furniture and keeps what it says).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from indexer.reading import dates

HEADER_LINES = 40  # the sender line of a Kamerstuk stands within its first lines
TITLE_MAX_LINES = 6  # dossier title lines kept (a joint header can list several dossiers)
TITLE_SENTENCE_WORDS = 30  # a longer line ending in "." is a sentence of another document, no title

# "BRIEF VAN DE MINISTER VAN JUSTITIE", "457. 1. BRIEF VAN DEN MINISTER ...", in capitals.
SENDER = re.compile(r"^(?P<pre>.{0,16}?)\s*BRIEF VAN (?P<who>DEN?\b.*)$")
# What may stand after the sender on its line: the document number of the older prints.
SENDER_NUMBER = re.compile(r"\s+(?:[I1l]?[NM][rR]|N[oO°])\s*[.,]?\s*(?P<number>\d{1,4}[a-z]?)\W{0,3}$")
SESSION = re.compile(
    r"(?i)^(?:vergaderjaar|zitting)\s+(?P<first>\d{4})(?:\s*[-–—]+\s*(?P<last>\d{4}))?\s*(?P<rest>.*)$")
# "Nr. 28", "No. 21", "Nr.7", "IMr. 2" (OCR), "Nr. 65 !)".
NUMBER = re.compile(r"^(?:[I1l]?[NM][rR]|N[oO°])\s*[.,]?\s*(?P<number>\d{1,4}[a-z]?)\b\W{0,4}$")
# A dossier on a line of its own: "23444", "20 527", "23 400 XII", "18 600 G", "21 501-17",
# "21 044 (R1364)", "185." (prints before the war).
DOSSIER = re.compile(
    r"^(?P<digits>\d{1,3}(?: ?\d{3})?)(?:\s*-\s*(?P<series>\d{1,2}))?(?:\s+(?P<part>[IVXLC]{1,6}|[A-Z]))?"
    r"(?:\s*\(R ?\d+\))?\.?$")
# The dossier after the session: "— 7652", "-8811", "-10 218 (R 706)", "— 7400 B", "Nr. 339d".
SESSION_DOSSIER = re.compile(
    r"^[-–—]+\s*(?P<digits>\d{1,3}(?: ?\d{3})?)(?:\s+(?P<part>[IVXLC]{1,6}|[A-Z]))?\b")
# Prints before the war and of the forties: "185. 1.", "(400. 1.)", "(2. VII A. 6.)",
# "1000 III 28", at the end of the lines before the sender.
OLD_NUMBER = re.compile(
    r"(?:^|\s)(?:\((?P<d1>\d{1,4})\.?\s+(?:(?P<p1>[IVXL]+(?: ?[A-Z])?)\.?\s+)?(?P<n1>\d{1,3})\.?\)"
    r"|(?P<d2>\d{1,4})\.\s+(?:(?P<p2>[IVXL]+(?: ?[A-Z])?)\.\s+)?(?P<n2>\d{1,3})\."
    r"|(?P<d3>\d{1,4})\s+(?P<p3>[IVXL]+(?: ?[A-Z])?)\s+(?P<n3>\d{1,3})"
    r"|(?P<d4>\d{3,4})\s+(?P<n4>\d{1,3}))$")
CHAPTER = re.compile(r"(?i)^(?:\S+\s+)?hoofdstuk\s+(?P<part>[IVXLC]+[A-Z]?)\b\W*(?P<rest>.*)$"
                     r"|^(?P<before>[IVXLC]+)\W*\S{0,4}\s+HOOFDSTUK\b")  # "VII\" HOOFDSTUK A." (1911)
CHAMBER_WORDS = re.compile(r"(?i)kamer|staten|generaal|^tweede$|^eerste$")
BIJLAGE = re.compile(r"(?i)^\W{0,2}[a-z|]{0,3}(?:ijlage|jlage|lagen|yiage|iiage)\b|^herdruk$")
# What marks the lines above the sender as a Kamerstuk's header besides chamber and session.
BUDGET = re.compile(r"(?i)^\W?(?:staats|rijks)\s?begroo?ting\b|\bhoofdstuk\b")
# A line of the header with words in it (not "7—8.)" or "VII A."): part of the dossier title.
WORDY = re.compile(r"[a-zà-ÿ]{3}|[A-ZÀ-Þ]{3,}\W+[A-ZÀ-Þ]{3,}")
# The notice above a treaty's letter: it is printed text of the letter, not of the header.
RECEIVED = re.compile(r"(?i)^ter gri\w*ie van de\b")
# What stands between the sender and the letter: the addressee and its lines.
ADDRESSEE = re.compile(r"(?i)^(?:aan\b|den\s+heere?\b|de\s+(?:heer\s+)?voorzitter|»)")
ADDRESS_WORDS = re.compile(r"(?i)voorzitter|kamer|staten|generaal|minister van staat|^aan$|^van de")
# The standard footnote on an annex ("1 Ter inzage gelegd op de bibliotheek."), which OCR puts
# anywhere in the header; it is kept as a footnote of the letter.
DEPOSIT_NOTE = re.compile(
    r"(?i)^\W{0,3}\d{0,2}\)?\s*(?:ter (?:vertrouwelijke )?inzage|nedergelegd|e[eé]n exemplaar)")
# A footnote of the print, below the letter: the deposit note, or a note after a bracketed
# marker as OCR reads it: "1) Nedergelegd ter griffie", "') Deze stukken zijn ...", "*) ...".
FOOTNOTE = re.compile(rf"{DEPOSIT_NOTE.pattern}|^(?:[\d*'’!ixlI]{{1,2}}\)|\(\d\))\s+[A-Z]")
FOOTNOTE_MAX_WORDS = 60
# "Tweede Kamer, vergaderjaar 1991–1992, 21 461, nr. 46" (also "zitting", "Staten-Generaal",
# "nrs. 107 en 1", a page number after it).
FOOTER = re.compile(
    r"(?i)^(?:tweede kamer|eerste kamer|staten-?\s?genera\w*)\s*[,.]\s*(?:vergaderjaar|zitting)\s+"
    r"(?P<first>\d{4})(?:\s*[-–—]+\s*(?P<last>\d{4}))?\s*,\s*(?P<dossier>.+?)\s*,?\s*nrs?\.?\s*"
    r"(?P<number>\d{1,4}[a-z]?)\b.*$")
FOOTER_DOSSIER = re.compile(  # a letter in two chapters ("hfdst. V-VII") is filed under the first
    r"^(?P<digits>\d{1,3}(?: ?\d{3})?)(?!\d)(?:\s*-\s*(?P<series>\d{1,2}))?"
    r"(?:\s*(?:hoofdstuk|hfdst\.?)?\s*(?P<part>[IVXLC]{1,6}|[A-Z])\b)?")
ROMAN = re.compile(r"^[IVXLC]+[A-Z]?$")


@dataclass
class Header:
    """What a Kamerstuk's header says. Everything may be missing: OCR loses lines."""

    session: str | None = None  # "1991-1992"
    dossier: str | None = None  # normalised: "21461", "17600-G", "21501-17"
    dossier_title: str | None = None  # as printed (capitals are the caller's to restore)
    number: str | None = None  # "46", "339d"
    sender: str | None = None  # the sender line(s) after "BRIEF VAN": "DE MINISTER VAN JUSTITIE"
    date: date | None = None
    consumed: list[int] = field(default_factory=list)  # indexes of the header's lines
    rest: dict[int, str] = field(default_factory=dict)  # what of a consumed line is the letter's
    notes: list[str] = field(default_factory=list)  # footnotes OCR put among the header's lines


@dataclass
class Footer:
    session: str
    dossier: str | None
    number: str


def normal_dossier(digits: str, part: str | None = None, series: str | None = None) -> str:
    """"21 461" -> "21461"; with a chapter "17600-G", "35925-V"; a series "21501-17"."""
    out = digits.replace(" ", "")
    if series:
        out += f"-{series}"
    if part:
        out += f"-{part.replace(' ', '')}"
    return out


# A dossier as a user types it: "21461", "21 461", "35925-V", "35 925 V", "17600 hoofdstuk XII",
# "kst-21461-46" (the dossier of that Kamerstuk).
TYPED_DOSSIER = re.compile(
    r"(?i)^(?:kst-)?(?P<digits>\d{1,3}(?: ?\d{3})?)(?:[-\s]+(?P<series>\d{1,2})(?=$|[-\s]+[a-z]))?"
    r"(?:[-\s]+(?:hoofdstuk\s+|hfdst\.?\s*)?(?P<part>[ivxlc]{1,6}|[a-z]))?$")


def parse_dossier(text: str) -> str | None:
    """A dossier as the index names it, from how a user types it; None if it is not one.
    "21 461" -> "21461", "35 925 v" -> "35925-V", "kst-21461-46" -> "21461"."""
    text = " ".join(text.split())
    if text.lower().startswith("kst-"):  # a Kamerstuk: its dossier is all but the document number
        text = text[4:].rsplit("-", 1)[0] if text.count("-") >= 2 else text[4:]
    m = TYPED_DOSSIER.match(text)
    if not m:
        return None
    return normal_dossier(m["digits"], m["part"].upper() if m["part"] else None, m["series"])


def read_footer(line: str) -> Footer | None:
    """The running footer "Tweede Kamer, vergaderjaar 1991–1992, 21 461, nr. 46", read."""
    m = FOOTER.match(line)
    if not m:
        return None
    d = FOOTER_DOSSIER.match(m["dossier"])
    dossier = normal_dossier(d["digits"], d["part"], d["series"]) if d else None
    return Footer(f"{m['first']}-{m['last']}" if m["last"] else m["first"], dossier, m["number"])


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def read_header(lines: list[str]) -> Header | None:
    """The header of a Kamerstuk from a letter's lines, or None when the letter is no Kamerstuk.

    A Kamerstuk has the sender line ("BRIEF VAN DE ...") among its first lines and above it the
    chamber, the session, a dossier or a document number; a letter without them is read as any
    other letter. `consumed` says which lines the header used (the caller leaves them out).
    """
    head = [line.strip() for line in lines[:HEADER_LINES]]
    s = next((i for i, t in enumerate(head) if "BRIEF VAN" in t and (m := SENDER.match(t))
              and _is_caps(_in_capitals(m["who"])[0])), None)
    if s is None:  # no sender line (some letters to the Eerste Kamer): the addressee ends the header
        session = next((i for i, t in enumerate(head) if SESSION.match(t)), None)
        s = session is not None and next(
            (i for i, t in enumerate(head[session:], session) if "oorzitter" in t and ADDRESSEE.match(t)), None)
        if not s:
            return None
    header = Header()
    sender = SENDER.match(head[s])
    if not _read_above(head[:s], sender["pre"] if sender else "", header):
        return None
    header.consumed = [i for i in range(s) if head[i]]
    header.notes = [head[i] for i in range(s) if DEPOSIT_NOTE.match(head[i])]
    _read_below(head, s, header)
    return header


def _read_above(above: list[str], pre: str, header: Header) -> bool:
    """Chamber, session, dossier, title and number from the lines above the sender; False when
    they do not look like a Kamerstuk's header."""
    marks = dossiers = 0
    titles: list[str] = []
    for text in above:
        if not text or DEPOSIT_NOTE.match(text):
            continue
        if m := SESSION.match(text):
            marks += 1
            rest = m["rest"].strip()
            last = m["last"]
            if last and not 0 <= int(last) - int(m["first"]) <= 1:  # "Zitting 1967 -9129 (R 593)"
                rest, last = text[text.index(m["first"]) + 4:].strip(), None
            header.session = m["first"] + (f"-{last}" if last else "")
            if n := NUMBER.match(rest):
                header.number = header.number or n["number"]
            elif d := SESSION_DOSSIER.match(rest):
                dossiers += 1
                header.dossier = header.dossier or normal_dossier(d["digits"], d["part"])
        elif n := NUMBER.match(text):
            marks += 1
            header.number = n["number"]  # a number on its own line wins over one on the session line
        elif (d := DOSSIER.match(text)) and len(d["digits"].replace(" ", "")) >= 3:
            marks += 1
            dossiers += 1
            if header.dossier is None:
                header.dossier = normal_dossier(d["digits"], d["part"], d["series"])
            elif titles and header.dossier_title is None:
                header.dossier_title = " ".join(titles)  # a second dossier: the first has its title
        elif (m := CHAPTER.match(text)) and m["before"]:
            marks += 1  # the chapter of an old print; its number comes with the document's
        elif m := CHAPTER.match(text):
            marks += 1
            if ROMAN.match(m["part"]) and dossiers == 1 and header.dossier and "-" not in header.dossier:
                header.dossier += f"-{m['part']}"
            if header.dossier_title is None and dossiers <= 1:
                titles.append(("Hoofdstuk " + m["part"] + " " + m["rest"]).strip())
        elif len(text) <= 3 or BIJLAGE.match(text) or (
                CHAMBER_WORDS.search(text) and len(text.split()) <= 5 and not text.startswith("(")):
            marks += bool(CHAMBER_WORDS.search(text) or BIJLAGE.match(text))
        elif header.date is None and (day := dates.parse_date_line(text)) is not None:
            header.date = day  # printed above the sender in some prints of the sixties
        elif not WORDY.search(text) or text.endswith(",") or (
                len(text.split()) > TITLE_SENTENCE_WORDS and text[-1] in ".;"):
            continue  # numbering ("185.", "VII A."); or the text of another document on the page
        elif header.dossier_title is None and len(titles) < TITLE_MAX_LINES:
            marks += bool(BUDGET.match(text))
            if (merged := text.find(" BRIEF VAN DE")) > 0:  # OCR ran the sender into the title
                text = text[:merged]
            if text.startswith("("):  # "(Staatsbegrooting voor het dienstjaar 1912. 2. VIIA.."
                text = re.sub(r"[.\s]+(?:\S{1,4}[.\s]+)*$", "", text[1:].split(". ")[0])
            titles.append(text)
    joined = " ".join(t for t in above[-4:] if t and not WORDY.search(t)) + " " + pre
    joined = re.sub(r"(?<=[\s(])[lI]\.(?=\)?$)", "1.", joined.strip())  # OCR's "(215. l.)" for "(215. 1.)"
    if header.number is None and (m := OLD_NUMBER.search(joined.strip())):
        marks += 1
        digits, part, number = next((m[f"d{k}"], m[f"p{k}"] if k < 4 else None, m[f"n{k}"])
                                    for k in (1, 2, 3, 4) if m[f"d{k}"])
        header.dossier = normal_dossier(digits, part if part and ROMAN.match(part.replace(" ", "")) else None)
        header.number = number
    if header.dossier_title is None and titles:
        header.dossier_title = " ".join(titles)
    return marks > 0


def _read_below(head: list[str], s: int, header: Header) -> None:
    """The sender (with its continuation lines), the number printed after it, the addressee
    and the date line; stops at the first line of the letter itself."""
    consumed, i, addressing, dated = [], s, True, False
    if sender := SENDER.match(head[s]):
        who, rest = _in_capitals(sender["who"])
        consumed, i, addressing = [s], s + 1, False
        if rest and (day := _trailing_date(rest)):  # "... LANDBOUW. Aan den Heer ..., 7 Januari 1928."
            header.date, dated = day, True
        while i < len(head) and _is_caps(head[i]) and not NUMBER.match(head[i]) \
                and not ADDRESSEE.match(head[i]) and len(head[i].split()) <= 8 and i <= s + 2:
            who = who.rstrip() + ("" if who.rstrip().endswith("-") else " ") + head[i]
            consumed.append(i)
            i += 1
        if m := SENDER_NUMBER.search(who):
            header.number = header.number or m["number"]
            who = who[: m.start()]
        header.sender = who.strip(" .,")
    while i < len(head) and not dated:
        text = head[i]
        if not text:
            i += 1
            continue
        if n := NUMBER.match(text):
            header.number = n["number"]
        elif text.startswith("(") and text.endswith(")") and len(text) < 120:
            pass  # "(Stuk nr. 1 is gedrukt in de zitting 1963—1964)"
        elif DEPOSIT_NOTE.match(text):
            header.notes.append(text)
        elif RECEIVED.match(text) or len(text) <= 3:
            i += 1  # the letter's own text, or OCR noise: left where it is
            continue
        elif (ADDRESSEE.match(text) and len(text.split()) <= 30) or (
                addressing and ADDRESS_WORDS.search(text) and len(text.split()) <= 12):
            addressing = True
            if dates.WRITTEN_DATE.search(text):  # the date line run into the addressee's
                if (day := _trailing_date(text)) is None:
                    break
                header.date = day
                consumed.append(i)
                break
        elif text in ("'", "’", "‘") and i + 1 < len(head):
            # "'\ns-Gravenhage, 7 maart 1991": the apostrophe on a line of its own
            head[i + 1] = text + head[i + 1]
            consumed.append(i)
            i += 1
            continue
        elif (found := _date_line(text)) is not None:
            header.date, length = found
            if length < len(text):
                header.rest[i] = text[length:].strip()
            consumed.append(i)
            break
        else:
            break
        consumed.append(i)
        i += 1
    header.consumed += consumed


def _in_capitals(who: str) -> tuple[str, str]:
    """The sender in capitals, and what OCR ran into its line after it ("BRIEF VAN DEN MINISTER
    VAN KOLONIËN naar aanleiding van ...", "... LANDBOUW. Aan den Heer Voorzitter ...")."""
    words = who.split(" ")
    n = next((k for k, w in enumerate(words) if any(c.islower() for c in w) and not NUMBER_WORD.match(w)),
             len(words))
    return " ".join(words[:n]), " ".join(words[n:])


NUMBER_WORD = re.compile(r"^(?:[I1l]?[NM][rR]|N[oO°])\.?$")  # "Nr." after the sender: "... ZAKEN Nr. 30"
ADDRESS_END = re.compile(r"[.,;]\s+")


def _trailing_date(text: str) -> date | None:
    """The place-date line at the end of an addressee's line: "Aan den Heer Voorzitter van de
    Tweede Kamer der Staten-Generaal. 's Gravenhage, den 7 Januari 1928."."""
    for m in ADDRESS_END.finditer(text):
        if (day := dates.parse_date_line(text[m.end():])) is not None:
            return day
    return None


# A date line with the letter run into it: "'s-Gravenhage, 19 oktober 1988 Hierbij zend ik u".
RUN_IN_DATE = re.compile(rf"^(?P<line>.{{0,40}}?{dates.WRITTEN_DATE.pattern}\.?)\s+(?=[A-Z])", re.IGNORECASE)


def _date_line(text: str) -> tuple[date, int] | None:
    """(date, length of the date line in `text`) when `text` starts with a date line."""
    day = dates.parse_date_line(text)
    if day is not None:
        return day, len(text)
    m = RUN_IN_DATE.match(text)
    if m and (day := dates.parse_date_line(m["line"])) is not None:
        return day, m.end()
    return None
