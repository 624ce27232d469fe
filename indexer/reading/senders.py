"""Who sends a letter: the sender line of a Kamerstuk, or the roles of its signatories.

"BRIEF VAN DE MINISTERS VAN DEFENSIE EN VAN BUITEN-LANDSE ZAKEN EN DE STAATSSECRETARIS VAN
DEFENSIE" becomes the sender "de ministers van Defensie en van Buitenlandse Zaken en de
staatssecretaris van Defensie" and the ministries ["Defensie", "Buitenlandse Zaken"]. Names are
read against the ministries of every era (indexer/data/ministries.toml), comparing letters only,
so that capitals, OCR's hyphens and spaces ("RUIMTE LIJKE"), lost diacritics ("FINANCIEN") and a
misread letter or two ("OIMDERWIJS") still give the ministry's name. A name not in that list is
kept when it reads as Dutch words ("Handel en Nijverheid"), and dropped when it is OCR debris.
"""
from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from indexer.analysis import is_word

MINISTRIES_FILE = Path(__file__).resolve().parent.parent / "data" / "ministries.toml"
CLOSE_ENOUGH = 0.85  # difflib's ratio between letters-only names: 2 misread letters in 25
# A ministry's name is compared by its letters only: "BUITEN-LANDSE ZAKEN" = "Buitenlandse Zaken".
_NOT_LETTERS = re.compile(r"[^a-z]")
# What may follow the sender in an old sender line: ", BETREFFENDE VERLENGING VAN ...".
_ABOUT = re.compile(r",?\s+(?:BETREFFENDE|INZAKE|HOUDENDE|TEN GELEIDE|NAAR AANLEIDING|OVER|MET)\b.*$")
# "... EN DE STAATSSECRETARIS", "... EN VAN DE STAATSSECRETARIS", ", DE MINISTER": a new office.
_NEXT_OFFICE = re.compile(r"\s*(?:,|\bEN)\s+(?:VAN\s+)?(?=DEN?\s+(?:MINISTER|STAATSSECRETARIS))")
_OFFICE = re.compile(
    r"^DEN?\s+(?P<role>MINISTER-PRESIDENT|MINISTERS|MINISTER|STAATSSECRETARISSEN|STAATSSECRETARIS)\b"
    r"\W*(?P<rest>.*)$")
# "VAN DEFENSIE EN VAN BUITENLANDSE ZAKEN": one portfolio after each "van"/"voor".
_NEXT_PORTFOLIO = re.compile(r"\s+EN\s+(?=(?:VAN|VOOR)\s)|,\s*(?=(?:MINISTER\s+)?(?:VAN|VOOR)\s)")
_PORTFOLIO = re.compile(r"^(?:MINISTER\s+)?(?P<prep>VAN|VOOR)\s+(?P<name>.+)$")
# An office broken at a line end: "STAATSSECRE-TARIS".
_BROKEN_OFFICE = re.compile(r"\bSTAATS-?\s?SECRE-?\s?TARIS|\bMINIS-\s?TERS?\b|\bMINIS-\s?TER\b")
_MISREAD_VAN = re.compile(r"\bV[A4][IL1]?[MN]\b|\bVAIM\b")  # OCR: "VAIM WELZIJN", "VAM"
_LOWER_WORDS = {"en", "van", "voor", "der", "de", "het"}  # lowercase inside a ministry's name
HONORARY = {"staat"}  # "Minister van Staat" is a title, not a ministry


@dataclass
class Sender:
    text: str  # "de minister van Justitie"
    ministries: list[str] = field(default_factory=list)  # "Justitie"


def ministry_slug(name: str) -> str:
    """"Volkshuisvesting, Ruimtelijke Ordening en Milieubeheer" ->
    "volkshuisvesting-ruimtelijke-ordening-en-milieubeheer": how URLs, filters and the index
    name a ministry ("Financiën" -> "financien")."""
    folded = unicodedata.normalize("NFKD", name.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return "-".join(re.findall(r"[a-z0-9]+", folded))


def letters_key(name: str) -> str:
    """"Buiten-landse ZAKEN" -> "buitenlandsezaken": what a name is compared by."""
    folded = unicodedata.normalize("NFKD", name.lower())
    return _NOT_LETTERS.sub("", "".join(c for c in folded if not unicodedata.combining(c)))


@cache
def known_ministries() -> dict[str, str]:
    """letters_key(name) -> name, for every ministry in indexer/data/ministries.toml."""
    with MINISTRIES_FILE.open("rb") as handle:
        names = tomllib.load(handle)["names"]
    return {letters_key(name): name for name in names}


def ministry_name(printed: str) -> str | None:
    """The ministry a printed name stands for ("VOLKSHUISVESTING. RUIMTE-LIJKE ORDENING EN
    MILIEUBEHEER" -> "Volkshuisvesting, Ruimtelijke Ordening en Milieubeheer"); a name not in the
    list in its own capitals when it reads as Dutch words; None for OCR debris."""
    key = letters_key(printed)
    if len(key) < 4 or key in HONORARY:
        return None
    known = known_ministries()
    if key in known:
        return known[key]
    for guess in (key, key.replace("im", "n")):  # OCR reads an N as "IM": "FINANCIËIM", "OIMDERWIJS"
        close = difflib.get_close_matches(guess, known, n=1, cutoff=CLOSE_ENOUGH)
        if close:
            return known[close[0]]
    return _as_written(printed)


def _as_written(printed: str) -> str | None:
    """A ministry's name that is not in the list, capitals as Dutch writes them, if every word is
    a Dutch word ("HANDEL EN SCHEEPVAART" -> "Handel en Scheepvaart")."""
    words = []
    if re.search(r"(?i)\b(?:de|minister\w*|staatssecretaris\w*)\b", printed.split(" ")[0] + " " + printed):
        return None  # an office, not a ministry: a sender line this module failed to split
    for word in re.sub(r"\s+", " ", printed.replace(".", ",")).strip(" ,").split(" "):
        if re.fullmatch(r"\w+-\w+,?", word) and is_word(word.replace("-", "").rstrip(",").lower()):
            word = word.replace("-", "")  # "WERKGELE-GENHEID": a hyphen from the line break
        bare = word.strip(",").lower()
        if not all(is_word(part) for part in bare.split("-") if part):
            return None
        words.append(bare if bare in _LOWER_WORDS else word.lower().capitalize()
                     if "-" not in word else "-".join(p.capitalize() for p in word.lower().split("-")))
    return " ".join(words) if words else None


def read_sender(line: str) -> Sender | None:
    """The sender of a Kamerstuk from what follows "BRIEF VAN" ("DE MINISTER VAN JUSTITIE");
    None when no office or no ministry can be read from it."""
    text = _ABOUT.sub("", " ".join(line.upper().split()))
    text = _BROKEN_OFFICE.sub(lambda m: m[0].replace("-", "").replace(" ", ""), text)
    text = _MISREAD_VAN.sub("VAN", text)
    offices, ministries = [], []
    for part in _NEXT_OFFICE.split(text):
        m = _OFFICE.match(part.strip())
        if not m:
            continue
        role = m["role"].lower()
        if role == "minister-president":
            offices.append("de minister-president")
            ministries.append("Algemene Zaken")
            continue
        rest = m["rest"].strip(" ,.")
        if rest.startswith("ZONDER PORTEFEUILLE"):
            offices.append(f"de {role} zonder portefeuille")
            continue
        portfolios = []
        for piece in _NEXT_PORTFOLIO.split(rest) if rest else []:
            p = _PORTFOLIO.match(piece.strip(" ,."))
            for name in _ministry_names(p["name"]) if p else []:
                portfolios.append(f"{p['prep'].lower()} {name}")
                ministries.append(name)
        if portfolios or not rest:
            offices.append(f"de {role}" + (" " + " en ".join(portfolios) if portfolios else ""))
    if not offices or (not ministries and any(" van " in o or " voor " in o for o in offices)):
        return None
    return Sender(" en ".join(offices), list(dict.fromkeys(ministries)))


def _ministry_names(printed: str) -> list[str]:
    """One ministry, or two a minister holds together ("BINNENLANDSE ZAKEN EN JUSTITIE")."""
    if letters_key(printed) in HONORARY:
        return []
    known = known_ministries()
    if letters_key(printed) not in known:
        halves = re.split(r"\s+EN\s+", printed)
        for cut in range(1, len(halves)):
            left, right = " EN ".join(halves[:cut]), " EN ".join(halves[cut:])
            if letters_key(left) in known and letters_key(right) in known:
                return [known[letters_key(left)], known[letters_key(right)]]
    name = ministry_name(printed)
    return [name] if name else []


def sender_of_roles(roles: list[str]) -> Sender | None:
    """The sender as the signatures name it: ["De Minister van Buitenlandse Zaken", "De Minister
    van Defensie"] -> "de ministers van Buitenlandse Zaken en van Defensie"."""
    read = [s for role in roles if (s := read_sender(_office_words(role)))]
    if not read:
        return None
    ministries = list(dict.fromkeys(m for s in read for m in s.ministries))
    offices = list(dict.fromkeys(s.text for s in read))
    words = {o.split(" van ")[0].split(" voor ")[0] for o in offices}
    if len(offices) > 1 and words == {"de minister"} and all(" van " in o for o in offices):
        text = "de ministers " + " en ".join(o[len("de minister "):] for o in offices)
    else:
        text = " en ".join(offices)
    return Sender(text, ministries)


def _office_words(role: str) -> str:
    """A signature's role in the words of a sender line: "De Minister van Staat, Minister van
    Koloniën" -> "DE MINISTER VAN STAAT, MINISTER VAN KOLONIËN"; "a.i." and the like dropped."""
    role = re.sub(r"\b(?:a\.\s?[iIlL]\.?|ad interim)", "", role)
    role = re.sub(r"(?i)\b(minister|staatssecretaris)(van|voor)\b", r"\1 \2", role)
    role = re.split(r"(?i),?\s+(?:namens|voor den|voor de)\b", role)[0]
    return " ".join(role.upper().replace("'", "").split())
