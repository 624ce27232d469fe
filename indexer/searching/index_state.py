"""What every search needs from one state of the index, worked out once per state.

Which paragraphs carry each topic, year, ministry and dossier, each paragraph's date, the query
expander (with the abbreviations the letters define): filters and facet counts are array
operations on these, instead of queries that expand into many terms. A ministry is named by its
slug in the index and shown by its name; a dossier by its number, shown with its title (both
read from a letter that has them, once per index state).

Facets are counted from the matching paragraphs (`hits`, their numbers in order) and each
paragraph's values as codes, so that their cost follows the hits of a query, not the size of
the archive: at 1,000,000 paragraphs, counting the years by gathering the query's mask over
every year's paragraphs read the whole archive for every search.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import date

import numpy as np

from indexer.analysis import Taxonomy, analyze, spelling_key
from indexer.reading import ministry_slug, parse_dossier
from indexer.searching.expansion import Expander, attested
from indexer.searching.query import Filters
from indexer.searching.letter_evidence import LetterParagraphs
from indexer.searching.results import FacetValue
from indexer.searching.sparse import common
from indexer.searching.value_rows import ValueRows
from indexer.store import Snapshot, decode_abbreviation

LOOKUP_AT_MOST = 2000  # paragraphs tied on the date whose letter and number are looked up one by one
DOSSIER_FACET_SIZE = 50  # dossier facet values given (the most frequent first); an archive has thousands
_NONE = np.zeros(0, np.int64)


@dataclass(frozen=True)
class TermFilter:
    """A filter on a field of the index: a paragraph passes with any of the terms."""

    field: str  # "ministries", "dossier"
    terms: tuple[str, ...]


# An acronym no letter defines stands for the one name in the letters whose initials spell it
# (analysis/names.py); False leaves such acronyms as they are written.
ACRONYMS_FROM_NAMES = True


def attested_abbreviations(snapshot: Snapshot) -> list[tuple[str, str]]:
    """(abbreviation, long form) as the letters define them, in order, without those defined
    in passing (expansion.attested); each definition counted in letters."""
    return attested((*decode_abbreviation(term), letters)
                    for term, letters in sorted(snapshot.frequencies_starting("abbreviations", "").items()))


def acronyms_from_names(snapshot: Snapshot, defined: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(acronym, name) for each acronym the letters use but never define, whose initials only one
    name in the letters has ("NRR": the NAVO-Rusland Raad)."""
    known = {abbr.upper() for abbr, _ in defined}
    by_initials: dict[str, dict[tuple[str, ...], str]] = {}
    written: set[str] = set()  # acronyms the letters write in capitals
    for term in snapshot.terms("names"):
        initials, name = decode_abbreviation(term)
        if name:
            by_initials.setdefault(initials, {}).setdefault(tuple(analyze(name, mode="query")), name)
        else:
            written.add(initials)
    return [(initials, next(iter(forms.values()))) for initials, forms in sorted(by_initials.items())
            if len(forms) == 1 and initials in written and initials not in known]


_last_expander: tuple | None = None  # (synonyms, taxonomy, pairs, Expander)


def _expander(synonyms, pairs: tuple[tuple[str, str], ...], taxonomy: Taxonomy) -> Expander:
    """The Expander of these synonyms, abbreviations and topics; the last one made is used
    again for the same ones (a new letter rarely defines a new abbreviation, and making one
    took 0.18 s of each new index state at 1,000,000 paragraphs)."""
    global _last_expander
    last = _last_expander  # read once: another thread may replace it meanwhile
    if last is not None and last[0] is synonyms and last[1] is taxonomy and last[2] == pairs:
        return last[3]
    expander = Expander(synonyms, pairs, taxonomy)
    _last_expander = (synonyms, taxonomy, pairs, expander)
    return expander


class IndexState:
    def __init__(self, snapshot: Snapshot, synonyms, taxonomy: Taxonomy):
        self.key = snapshot.key
        self.size = snapshot.size
        self.live = snapshot.live
        self.by_topic = {t: _live_docs(snapshot, "topics", t) for t in snapshot.terms("topics")}
        # the first paragraph of each letter that has the topic (the letter facet counts letters)
        self.by_letter_topic = {t: _live_docs(snapshot, "letter_topics", t) for t in snapshot.terms("letter_topics")}
        self.by_year = {y: _live_docs(snapshot, "year", y) for y in snapshot.terms("year")}
        self.days = snapshot.numeric_column("day")  # the letter's date as a day number, 0: none
        self.by_term = {
            "ministries": {m: _live_docs(snapshot, "ministries", m) for m in snapshot.terms("ministries")},
            "dossier": {d: _live_docs(snapshot, "dossier", d) for d in snapshot.terms("dossier")},
        }
        # each paragraph's dossier and year as a number (0: none), so that their facets are one
        # bincount over the hits; its topics and ministries as combinations of values (value_rows.py)
        self.dossier_list = sorted(self.by_term["dossier"])
        self.dossier_codes = _codes(self.size, self.dossier_list, self.by_term["dossier"])
        self.year_list = sorted(self.by_year)
        self.year_codes = _codes(self.size, self.year_list, self.by_year)
        self.topic_rows = ValueRows(self.size, self.by_topic)
        self.ministry_rows = ValueRows(self.size, self.by_term["ministries"])
        self.ministry_names = {slug: self._letter_meta(snapshot, "ministries", slug)
                               .get("ministries_by_slug", {}).get(slug, slug)
                               for slug in self.by_term["ministries"]}
        self._dossier_titles: dict[str, str | None] = {}
        self.abbreviations = attested_abbreviations(snapshot)
        self.acronyms = acronyms_from_names(snapshot, self.abbreviations) if ACRONYMS_FROM_NAMES else []
        self.expander = _expander(synonyms, tuple(self.abbreviations + self.acronyms), taxonomy)
        self.taxonomy = taxonomy
        self._order: np.ndarray | None = None  # see letter_order
        self._letters: np.ndarray | None = None  # see letters
        self._letter_paragraphs: LetterParagraphs | None = None  # see letter_paragraphs
        self._letter_topic_rows: ValueRows | None = None  # see letter_topic_rows
        self._letters_in_order = False  # whether the letter numbers never go down (see letters)
        self._written: dict[str, tuple[str, int]] | None = None  # see written

    def ministries(self, typed: str) -> tuple[str, ...]:
        """The slugs of the ministries a typed name stands for: the one with that name
        ("justitie", "Buitenlandse Zaken"), else all whose name has every word typed."""
        slug = ministry_slug(typed)
        if slug in self.by_term["ministries"]:
            return (slug,)
        words = set(slug.split("-")) if slug else set()
        return tuple(s for s in sorted(self.by_term["ministries"]) if words and words <= set(s.split("-")))

    def dossiers(self, typed: str) -> tuple[str, ...] | None:
        """The dossiers a typed number stands for: itself and its chapters ("17600" finds
        "17600-XII"); None when the text is no dossier number."""
        dossier = parse_dossier(typed)
        if dossier is None:
            return None
        return tuple(d for d in self.dossier_list if d == dossier or d.startswith(dossier + "-"))

    def filter(self, filters: Filters, terms: list[TermFilter] = (),
               hits: np.ndarray | None = None) -> np.ndarray | None:
        """The paragraphs among `hits` (numbers, ascending; None: every live paragraph) that
        the filters allow, ascending; None when there are no filters. The filters' paragraphs
        are intersected smallest first, and a period is checked at the date of each paragraph
        left: the cost follows the hits and the filters, not the archive."""
        lists = [np.unique(np.concatenate([self.by_term[f.field].get(t, _NONE) for t in f.terms] or [_NONE]))
                 for f in terms]
        lists += [self.topic_docs(slug) for slug in filters.topics]
        if filters.year is not None:
            lists.append(self.by_year.get(str(filters.year), _NONE))
        dated = bool(filters.date_from or filters.date_to)
        if not lists and not dated:
            return None
        lists.sort(key=len)
        if hits is None:
            allowed = lists.pop(0) if lists else self.live_docs
        else:
            allowed = hits
        for docs in lists:
            allowed = common(allowed, docs)
        if dated:
            low = filters.date_from.toordinal() if filters.date_from else 1
            high = filters.date_to.toordinal() if filters.date_to else date.max.toordinal()
            days = self.days[allowed]
            allowed = allowed[(days >= low) & (days <= high)]
        return allowed

    @functools.cached_property
    def live_docs(self) -> np.ndarray:
        """Every live paragraph's number, ascending: what a search without words matches."""
        return np.flatnonzero(self.live)

    def topic_docs(self, slug: str) -> np.ndarray:
        """The paragraphs on a topic or any of its subtopics (a subtopic's paragraphs carry its
        theme too; the union keeps an index whose data file changed right)."""
        docs = [self.by_topic.get(s, _NONE) for s in self.taxonomy.with_descendants(slug)]
        return np.unique(np.concatenate(docs)) if len(docs) > 1 else docs[0]

    def facets(self, hits: np.ndarray, taxonomy: Taxonomy, snapshot: Snapshot,
               chosen: tuple[str, ...] = ()) -> dict[str, list[FacetValue]]:
        """Topic, year, ministry and dossier counts over all matching paragraphs (`hits`, their
        numbers, ascending), largest first (years in order); `letter_topic` counts the letters
        of the matching paragraphs by their letter's topics. Topics: the themes, and the
        subtopics of a `chosen` theme."""
        return {"topic": self.topic_facet(taxonomy, chosen, self.topic_rows.counts(hits)),
                "letter_topic": self.topic_facet(taxonomy, chosen, self.letter_topic_counts(snapshot, hits)),
                "year": self.year_counts(hits),
                "ministry": self.ministry_counts(hits), "dossier": self._dossier_facet(hits, snapshot)}

    def prepare(self, snapshot: Snapshot) -> None:
        """Work out now what searches would work out on first use (a server does this before
        its first request): each paragraph's letter, each letter's paragraphs and topics, and
        the written forms of words, which the first spelling suggestion needs (0.6 s at
        1,000,000 paragraphs on a slow day: one user's search would have waited for it)."""
        self.letter_paragraphs(snapshot)
        self.letter_topic_rows(snapshot)
        self.written(snapshot)

    def letter_topic_counts(self, snapshot: Snapshot, hits: np.ndarray) -> dict[str, int]:
        """Letter topic -> letters with a matching paragraph (`hits`, ascending) that have it:
        read from the rows of the hits' letters only (a letter's topics are on one paragraph)."""
        letter_of = self.letters(snapshot)
        found = letter_of[hits]
        if self._letters_in_order:
            matched = found[np.concatenate(([True], found[1:] != found[:-1]))] if len(found) else found
        else:
            matched = np.unique(found)
        return self.letter_topic_rows(snapshot).counts(matched)

    def letter_topic_rows(self, snapshot: Snapshot) -> ValueRows:
        """Each letter's topics as a row of codes, worked out once per index state."""
        if self._letter_topic_rows is None:
            letter_of = self.letters(snapshot)
            count = int(letter_of.max()) + 1 if len(letter_of) else 0
            self._letter_topic_rows = ValueRows(count, {slug: np.sort(letter_of[docs])
                                                        for slug, docs in self.by_letter_topic.items()})
        return self._letter_topic_rows

    @staticmethod
    def topic_facet(taxonomy: Taxonomy, chosen: tuple[str, ...], counts: dict[str, int]) -> list[FacetValue]:
        """Every theme with a count, largest first, each chosen theme (or the theme of a chosen
        subtopic) followed by its subtopics with a count."""
        open_themes = set()
        for slug in chosen:
            topic = taxonomy.by_slug(slug)
            if topic is not None:
                open_themes.add(topic.parent or topic.slug)
        values = []
        for theme in taxonomy.themes:
            n = counts.get(theme.slug, 0)
            if not n and theme.slug not in open_themes:
                continue
            subs = []
            if theme.slug in open_themes:
                for slug in taxonomy.children[theme.slug]:
                    if k := counts.get(slug, 0):
                        subs.append(FacetValue(value=taxonomy.by_slug(slug).name, slug=slug, count=k, parent=theme.slug))
                subs.sort(key=lambda v: (-v.count, v.value))
            values.append((FacetValue(value=theme.name, slug=theme.slug, count=n), subs))
        values.sort(key=lambda v: (-v[0].count, v[0].value))
        return [v for theme, subs in values for v in (theme, *subs)]

    def year_counts(self, hits: np.ndarray) -> list[FacetValue]:
        """Matching paragraphs (`hits`, ascending) per year, the years with any, in order."""
        counts = np.bincount(self.year_codes[hits], minlength=len(self.year_list) + 1)[1:]
        return [FacetValue(value=y, count=int(c)) for y, c in zip(self.year_list, counts) if c]

    def ministry_counts(self, hits: np.ndarray) -> list[FacetValue]:
        """Matching paragraphs (`hits`, ascending) per ministry, the largest first."""
        ministries = [FacetValue(value=self.ministry_names[slug], slug=slug, count=count)
                      for slug, count in self.ministry_rows.counts(hits).items()]
        ministries.sort(key=lambda v: (-v.count, v.value))
        return ministries

    def _dossier_facet(self, hits: np.ndarray, snapshot: Snapshot) -> list[FacetValue]:
        if not self.dossier_list:
            return []
        counts = np.bincount(self.dossier_codes[hits], minlength=len(self.dossier_list) + 1)[1:]
        top = [int(i) for i in np.argsort(-counts, kind="stable")[:DOSSIER_FACET_SIZE] if counts[i]]
        return [FacetValue(value=self.dossier_list[i], count=int(counts[i]),
                           label=self.dossier_title(snapshot, self.dossier_list[i])) for i in top]

    def dossier_title(self, snapshot: Snapshot, dossier: str) -> str | None:
        """A dossier's title, as its first letter gives it; read once per index state."""
        if dossier not in self._dossier_titles:
            self._dossier_titles[dossier] = self._letter_meta(snapshot, "dossier", dossier).get("dossier_title")
        return self._dossier_titles[dossier]

    def dossier_titles(self, snapshot: Snapshot) -> dict[str, str | None]:
        """Every dossier's title (for completions)."""
        return {dossier: self.dossier_title(snapshot, dossier) for dossier in self.dossier_list}

    def _letter_meta(self, snapshot: Snapshot, field: str, term: str) -> dict:
        """The stored metadata of the first letter with this term (for names and titles)."""
        docs = self.by_term[field].get(term, _NONE)
        if not len(docs):
            return {}
        meta = json.loads(snapshot.stored(int(docs[0])).get("letter_meta") or "{}")
        meta["ministries_by_slug"] = {ministry_slug(m): m for m in meta.get("ministries", [])}
        return meta

    def written(self, snapshot: Snapshot) -> dict[str, tuple[str, int]]:
        """spelling key -> (the commonest way letters write the word, in how many letters), for
        the words whose folded form is not how they are written ("oekraine" -> "Oekraïne",
        "defensieuitgaven" -> "defensie-uitgaven"). Worked out once per index state."""
        if self._written is None:
            best: dict[str, tuple[str, int]] = {}
            for form, letters in snapshot.frequencies_starting("written", "").items():
                key = spelling_key(form)
                if letters > best.get(key, ("", 0))[1]:
                    best[key] = (form, letters)
            self._written = best
        return self._written

    def written_form(self, snapshot: Snapshot, word: str, letters: int | None = None) -> str:
        """A folded word as the letters write it: its commonest written form when at least half
        the letters that have the word (`letters`, else looked up) write it so; else as it is."""
        form, count = self.written(snapshot).get(word, (word, 0))
        if not count:
            return word
        if letters is None:
            letters = snapshot.doc_frequency("words", word)
        return form if 2 * count >= letters else word

    def count_letters(self, snapshot: Snapshot, hits: np.ndarray) -> int:
        """How many letters these paragraphs (their numbers, in order) belong to. A letter's
        paragraphs are numbered together, so where the letter numbers run in order, the letters
        are where the number changes: no sort of the hits."""
        letters = self.letters(snapshot)[hits]
        if self._letters_in_order:
            return int(len(letters) and 1 + np.count_nonzero(letters[1:] != letters[:-1]))
        return len(np.unique(letters))

    def letters(self, snapshot: Snapshot) -> np.ndarray:
        """Each paragraph's letter as a number (0, 1, ...; the same number for the paragraphs of
        one letter), worked out once per index state. A letter's paragraphs are indexed
        together, in order, so a paragraph numbered 1 starts the next letter: a pass over the
        paragraph numbers (a store that keeps them otherwise is read by letter id instead)."""
        if self._letters is None:
            numbers = snapshot.numeric_column("paragraph")
            starts = numbers == 1
            letters = np.cumsum(starts) - 1
            self._letters_in_order = True
            if len(numbers) and not (starts[0] and np.all(np.diff(numbers)[~starts[1:]] == 1)):
                ids = np.array(list(snapshot.column("letter_id")), dtype=object)
                letters = np.unique(ids, return_inverse=True)[1]
                self._letters_in_order = False
            self._letters = letters.astype(np.int64)
        return self._letters

    def letter_paragraphs(self, snapshot: Snapshot) -> LetterParagraphs:
        """Each paragraph's letter and each letter's paragraphs, worked out once per index state."""
        if self._letter_paragraphs is None:
            self._letter_paragraphs = LetterParagraphs.from_numbers(self.letters(snapshot))
        return self._letter_paragraphs

    def by_date(self, snapshot: Snapshot, hits: np.ndarray, k: int, newest_first: bool) -> list[int]:
        """The first k matching paragraphs (`hits`) by date (undated ones last either way), then
        by letter and paragraph. Usually only the paragraphs that tie with the k-th on the date
        are looked up for their letter and number; when thousands tie (a corpus of undated
        letters), the order of all paragraphs is worked out once for this index state."""
        docs = hits
        days = self.days[docs]
        key = np.where(days == 0, np.iinfo(np.int64).max, -days if newest_first else days)
        if len(docs) > k:
            keep = key <= np.partition(key, k - 1)[k - 1]
            docs, key = docs[keep], key[keep]
        if len(docs) > LOOKUP_AT_MOST:
            order = np.lexsort((self.letter_order(snapshot)[docs], key))
            return [int(d) for d in docs[order[:k]]]
        letter_ids = snapshot.column("letter_id")
        numbers = snapshot.column("paragraph")
        order = sorted(range(len(docs)), key=lambda i: (key[i], letter_ids[int(docs[i])],
                                                         numbers[int(docs[i])]))
        return [int(docs[i]) for i in order[:k]]

    def letter_order(self, snapshot: Snapshot) -> np.ndarray:
        """Each paragraph's rank by (letter id, paragraph number); ~0.25 s at 100k, once."""
        if self._order is None:
            ids = list(snapshot.column("letter_id"))
            _, letter_rank = np.unique(np.array(ids, dtype=object), return_inverse=True)
            order = np.lexsort((snapshot.numeric_column("paragraph"), letter_rank))
            self._order = np.empty(len(order), np.int64)
            self._order[order] = np.arange(len(order))
        return self._order


def _codes(size: int, values: list[str], postings: dict[str, np.ndarray]) -> np.ndarray:
    """Each paragraph's value as its place in `values` + 1 (0: none): one value per paragraph."""
    codes = np.zeros(size, np.int16 if len(values) < 2**15 else np.int32)
    for code, value in enumerate(values, start=1):
        codes[postings[value]] = code
    return codes


def _live_docs(snapshot: Snapshot, field: str, term: str) -> np.ndarray:
    docs = snapshot.postings(field, term).docs
    return docs[snapshot.live[docs]]
