"""Names whose initials spell an acronym: what an acronym stands for when no letter defines it.

A letter that writes "NRR" may never say "(NRR)" after the name, while another letter writes
"de NAVO-Rusland Raad" in full. A run of capitalised words (Dutch capitalises names, not common
nouns; the lowercase words that stand inside names, "van", "voor", "de", are allowed between
them) is a name; its initials (of each capitalised word, and each part of a hyphenated one) are
what an acronym of it would be. The search takes a name as an acronym's long form only when
the acronym occurs in the letters and no other name has the same initials
(indexer/searching/index_state.py).
"""
from __future__ import annotations

import re

MIN_INITIALS, MAX_INITIALS = 3, 6
# lowercase words that stand inside a name: "Raad van Europa", "Hof van Justitie van de Europese Unie"
INSIDE = {"van", "voor", "de", "der", "den", "het", "op", "in", "tot", "ter", "te"}
# capitalised words that open a sentence or a title rather than a name
NOT_A_NAME = {"de", "het", "een", "in", "op", "met", "voor", "van", "en", "dat", "dit", "die", "deze",
              "er", "ik", "wij", "u", "zij", "hij", "als", "om", "ook", "bij", "naar", "aan", "over",
              "door", "uit", "tot", "na", "per", "wat", "wie", "hoe", "waarom", "welke", "is", "zijn"}


_ACRONYM = re.compile(r"\b[A-Z]{%d,%d}\b" % (MIN_INITIALS, MAX_INITIALS))


def acronyms(text: str) -> list[str]:
    """The words of `text` written in capitals that could be initials ("NRR", "NMBS")."""
    return list(dict.fromkeys(_ACRONYM.findall(text)))


def names(text: str) -> list[tuple[str, str]]:
    """(initials, name) for the names in `text` with MIN..MAX_INITIALS initials, in order:
    "de NAVO-Rusland Raad" -> ("NRR", "NAVO-Rusland Raad")."""
    return initialled(runs(text))


def initialled(found: list[tuple[str, ...]]) -> list[tuple[str, str]]:
    """`names` of runs already found."""
    out = []
    for run in found:
        initials = "".join(p[0] for w in run if w[0].isupper() for p in w.split("-") if p)
        if len(run) >= 2 and MIN_INITIALS <= len(initials) <= MAX_INITIALS and initials.isupper():
            out.append((initials, " ".join(run)))
    return out


_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][\w'’]*(?:-[^\W\d_][\w'’]*)*"
_RUN = re.compile(rf"(?<![\w-]){_CAPITALISED}(?:\s+(?:(?:{'|'.join(sorted(INSIDE))})\s+)*{_CAPITALISED})*")


def runs(text: str) -> list[tuple[str, ...]]:
    """The runs of capitalised words in `text` (names, titles, a name with its title), in order;
    a capitalised word that opens a sentence as often as a name does ("De", "Het") starts none,
    and a word in capitals ("EU") stands apart (an acronym beside a name is no part of it)."""
    found: list[tuple[str, ...]] = []
    for m in _RUN.finditer(text):
        run: list[str] = []
        for word in m.group().split():
            if word.isupper() and "-" not in word:  # an acronym ends a run
                _close(run, found)
            elif run or word.lower() not in NOT_A_NAME:
                run.append(word)
        _close(run, found)
    return found


def _close(run: list[str], found: list[tuple[str, ...]]) -> None:
    while run and run[-1] in INSIDE:
        run.pop()
    while run and run[0] in INSIDE:
        run.pop(0)
    if run:
        found.append(tuple(run))
    run.clear()


def aliases(paragraphs: list[str], found: list[list[tuple[str, ...]]] | None = None) -> list[list[str]]:
    """What each paragraph of one letter names in other words: a letter that writes "de Hoge
    Vertegenwoordiger Josep Borrell" once and later "de Hoge Vertegenwoordiger" or "Borrell"
    alone means the same person; a paragraph that says one part alone gets the other part as
    its alias. A run of capitalised words is split into a title and a name where the letter
    also writes its first words alone: that is the title."""
    per_paragraph = found if found is not None else [runs(text) for text in paragraphs]
    alone = {run for found in per_paragraph for run in found}
    pairs: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for run in alone:
        for k in range(len(run) - 1, 0, -1):  # the longest title the letter also writes alone
            title, name = run[:k], run[k:]
            if title in alone and name[0][0].isupper() and title[-1][0].isupper():
                pairs.append((title, name))
                break
    out: list[list[str]] = []
    for found in per_paragraph:
        here = set(found)
        words = {w for run in found for w in run}
        extra = []
        for title, name in sorted(pairs):
            if title in here and not set(name) & words:
                extra.append(" ".join(name))  # the title alone: the person it stands for
            elif (name in here or name[-1:] in here) and not set(title) & words:
                extra.append(" ".join(title))  # the name alone: the title it bears
        out.append(list(dict.fromkeys(extra)))
    return out
