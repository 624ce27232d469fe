"""Adding letters one at a time merges small segments in tiers and never the large ones."""
from dataclasses import dataclass
from pathlib import Path

from indexer.searching import SearchRequest, SearchService
from indexer.store import merging, open_index, update_index

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))


@dataclass
class Segment:
    name: str
    paragraphs: int
    deleted: int = 0

    def doc_count_all(self) -> int:
        return self.paragraphs

    def doc_count(self) -> int:
        return self.paragraphs - self.deleted

    def segment_id(self) -> str:
        return self.name


def names(segments) -> list[str]:
    return sorted(s.name for s in segments)


def built_from_the_seeds(tmp_path: Path) -> tuple[Path, Path, set[str]]:
    """A corpus of the seed letters, its rebuilt index, and the ids of the build's segments."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in SEEDS:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    index = tmp_path / "index"
    update_index(index, corpus, rebuild=True)
    return corpus, index, {s.segment_id() for s in open_index(index)._segments()}


def test_a_tier_is_merged_when_it_holds_ten_segments_with_the_smaller_ones():
    build = [Segment(f"build{i}", 60_000) for i in range(40)]
    tiny = [Segment(f"add{i}", 3) for i in range(9)]
    assert merging.segments_to_merge(build + tiny) == []  # nine tiny ones: not yet
    hundreds = [Segment(f"merged{i}", 250) for i in range(10)]
    chosen = merging.segments_to_merge(build + tiny + hundreds)
    assert names(chosen) == names(tiny + hundreds)  # the full tier, and the tier below it
    assert merging.segments_to_merge(build + tiny + [Segment("add9", 5)]) != []


def test_a_segment_whose_paragraphs_are_all_deleted_is_dropped_not_merged():
    build = [Segment(f"build{i}", 60_000) for i in range(4)]
    tiny = [Segment(f"add{i}", 3) for i in range(9)]
    dead = Segment("replaced", 4, deleted=4)
    assert merging.segments_to_merge(build + tiny + [dead]) == []  # still nine: no merge
    assert names(merging.no_merge(None, build + tiny + [dead])) == names(build + tiny)
    assert names(merging.tiered(None, build + tiny + [dead])) == names(build + tiny)
    partly = Segment("changed", 4, deleted=3)
    assert partly in merging.no_merge(None, [partly, dead])


def test_the_builds_large_segments_are_never_merged_by_an_update():
    large = [Segment(f"build{i}", merging.SMALL_ENOUGH + i) for i in range(50)]
    assert merging.segments_to_merge(large) == []
    assert [merging.tier(n) for n in (0, 1, 9, 10, 99, 100, 9_999)] == [0, 0, 0, 1, 1, 2, 3]


def test_adding_letters_one_by_one_keeps_the_segments_few_and_every_letter_found(tmp_path, monkeypatch):
    corpus, index, build = built_from_the_seeds(tmp_path)
    # the seed letters' segment counts as large here, as a 60,000-paragraph one does in an archive
    monkeypatch.setattr(merging, "SMALL_ENOUGH", min(s.doc_count_all() for s in open_index(index)._segments()))
    counts = []
    for i in range(merging.MERGE_FACTOR + 2):
        (corpus / f"nieuw-{i:02d}.txt").write_text(
            "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n\nDen Haag, 3 maart 2023\n\n"
            f"De Noordpoolregio vraagt om aandacht, schrijft de minister in brief nummer{i:02d}.\n",
            encoding="utf-8")
        update_index(index, corpus)
        counts.append(len(open_index(index)._segments()))
    segments = open_index(index)._segments()
    assert build <= {s.segment_id() for s in segments}  # the build's segments untouched
    # ten one-letter segments became one at the tenth letter; two more added after it
    assert counts[merging.MERGE_FACTOR - 2] == len(build) + merging.MERGE_FACTOR - 1
    assert counts[merging.MERGE_FACTOR - 1] == len(build) + 1
    assert counts[-1] == len(build) + 3
    service = SearchService(index)
    found = service.search(SearchRequest(query="noordpoolregio", page_size=50))
    assert {h.letter_id for h in found.hits} >= {f"nieuw-{i:02d}" for i in range(merging.MERGE_FACTOR + 2)}


def test_a_letter_added_and_then_removed_leaves_no_segment_behind(tmp_path):
    corpus, index, build = built_from_the_seeds(tmp_path)
    letter = corpus / "nieuw.txt"
    letter.write_text("Aan de Voorzitter van de Tweede Kamer der Staten-Generaal\n\nDen Haag, 3 maart 2023\n\n"
                      "De Noordpoolregio vraagt om aandacht, schrijft de minister.\n", encoding="utf-8")
    update_index(index, corpus)
    added = {s.segment_id() for s in open_index(index)._segments()} - build
    assert len(added) == 1 and list(index.glob(f"*{next(iter(added))}*"))
    letter.unlink()
    update_index(index, corpus)
    assert {s.segment_id() for s in open_index(index)._segments()} == build
    assert not list(index.glob(f"*{next(iter(added))}*"))  # its files are gone too
    service = SearchService(index)
    assert service.search(SearchRequest(query="noordpoolregio")).total == 0
    assert service.search(SearchRequest(query="navo")).total > 0
