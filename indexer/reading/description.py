"""What a letter says about itself, as its metadata: what it is, who sends it, when, its title.

The evidence comes from the Kamerstuk header and its running footer (kamerstuk.py), the front
matter (date line, subject, signatures), the sidecar, and the text. The letter's own words win
where they are clear; a sidecar gives what the text lacks (its title and signatories win, as a
reader's correction); what is only guessed (an inferred date) is flagged. Where two sources
disagree (two date lines; a sidecar's date against the letter's own), the letter keeps the first
and its notes say so.
"""
from __future__ import annotations

from datetime import date

from indexer.reading import dates
from indexer.reading.front_matter import FrontMatter
from indexer.reading.kamerstuk import RECEIVED, Header
from indexer.reading.model import Letter, Signatory
from indexer.reading.references import find_kamerstukken
from indexer.reading.senders import Sender, read_sender, sender_of_roles
from indexer.reading.titles import derive_title, restore_case, written_forms

TITLE_SEPARATOR = " — "  # "Een nieuw politiebestel — brief van de minister van Justitie"


def describe(letter: Letter, header: Header | None, meta: FrontMatter, sidecar: dict,
             title_heading: str | None, raw_text: str) -> None:
    """Fill in the letter's metadata from what the reader found (in place)."""
    footer = meta.footer
    letter.dossier = (header.dossier if header else None) or (footer.dossier if footer else None)
    letter.document_number = (header.number if header else None) or (footer.number if footer else None)
    forms: dict[str, str] | None = None

    def cased(text: str) -> str:
        nonlocal forms
        if forms is None:  # only letters with a title in capitals pay for this
            forms = written_forms(raw_text.split("\n"))
        return restore_case(" ".join(text.split()), forms)

    letter.dossier_title = cased(header.dossier_title) if header and header.dossier_title else None
    letter.signatories = [Signatory(s["role"], s["name"]) for s in sidecar.get("signatories", [])] \
        or meta.signatories
    sender = _sender(header, letter.signatories)
    letter.sender = sender.text if sender else None
    letter.ministries = sender.ministries if sender else []
    letter.title = sidecar.get("title") or _title(letter, header, meta, title_heading, cased)
    _date(letter, header, meta, sidecar)
    all_text = "\n".join(p.text for p in letter.paragraphs)
    letter.refers_to = list(dict.fromkeys([
        *sidecar.get("refers_to", sidecar.get("kamerstukken", [])),
        *find_kamerstukken(all_text, (letter.dossier, letter.document_number)),
    ]))


def _sender(header: Header | None, signatories: list[Signatory]) -> Sender | None:
    """From the sender line; its ministries, else those of the signatures."""
    sender = read_sender(header.sender) if header and header.sender else None
    signed = sender_of_roles([s.role for s in signatories if s.role])
    if sender is None:
        return signed
    if not sender.ministries and signed:
        sender.ministries = signed.ministries
    return sender


def _title(letter: Letter, header: Header | None, meta: FrontMatter, title_heading: str | None,
           cased) -> str:
    """For a Kamerstuk its dossier's title and what the letter is; else its subject line, the
    heading in capitals that opens its text, or the subject its first sentences offer."""
    subject = meta.subject or (cased(title_heading) if title_heading else None)
    if header is None:
        return subject or derive_title(letter.paragraphs)
    what = f"brief van {letter.sender}" if letter.sender else "brief"
    base = letter.dossier_title or subject or derive_title(
        [p for p in letter.paragraphs if not RECEIVED.match(p.text)])  # not "Ter griffie ... ontvangen"
    return f"{base}{TITLE_SEPARATOR}{what}" if base else what[:1].upper() + what[1:]


def _session_window(header: Header | None, meta: FrontMatter) -> tuple[date, date] | None:
    """The years a Kamerstuk's session spans ("1991-1992"): its letter is dated within them."""
    session = (header.session if header else None) or (meta.footer.session if meta.footer else None)
    if not session:
        return None
    years = [int(y) for y in session.split("-") if y.isdigit()]
    return (date(min(years), 1, 1), date(max(years), 12, 31)) if years else None


def _date(letter: Letter, header: Header | None, meta: FrontMatter, sidecar: dict) -> None:
    """The letter's own date line; else the sidecar's date; else inferred (and flagged)."""
    own = (header.date if header else None) or meta.date
    given = dates.parse_iso_date(sidecar["date"]) if sidecar.get("date") else None
    for other in meta.other_dates:
        letter.notes.append(f"twee datumregels: {own.isoformat() if own else '?'} (aangehouden) en "
                            f"{other.isoformat()}")
    if own is not None:
        letter.date, letter.date_inferred = own, False
        if given and given != own:
            letter.notes.append(f"de datum {given.isoformat()} in het metadatabestand wijkt af van de datumregel "
                                f"{own.isoformat()} in de brief; die wordt aangehouden")
        return
    if given is not None:
        letter.date, letter.date_inferred = given, False
        return
    text = "\n".join(p.text for p in letter.paragraphs)
    letter.date = dates.infer_date(text, own=letter.title, within=_session_window(header, meta))
    letter.date_inferred = letter.date is not None
