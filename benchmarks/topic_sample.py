"""Draw the paragraphs of the topic test set, reproducibly (the judgements are added by hand).

    python -m benchmarks.topic_sample --out /tmp/topic_sample.jsonl

Reads the letters of the three shared folders as `brieven index` does and draws body paragraphs
of at least MIN_WORDS words with a fixed seed: SGD_COUNT from ../shared/letters/sgd (Kamerstuk
prints 1883–1994), SEED_COUNT from ../shared/seeds (modern NATO letters) and DEKAMER_COUNT from
../shared/corpora/dekamer2017 (Belgian questions and answers), at most PER_LETTER from one
letter (7 from a seed letter). Each line names the paragraph (`letter_id`, `paragraph`), its folder, the letter's title,
the section heading and the text, so that a judge reads what the tagger reads. The judged file
is tests/data/topics_judged.jsonl: these lines plus `themes` and `subtopics` (slugs).
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from indexer.reading import Kind, find_letters, read_letter

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
SEED = 16  # the number: any fixed number makes the draw reproducible
SGD_COUNT, SEED_COUNT, DEKAMER_COUNT = 55, 30, 80
MIN_WORDS = 12  # shorter paragraphs are mostly headings, salutations and table rows
PER_LETTER = 2  # from the seeds (five letters) 7


def draw(folder: Path, count: int, rng: random.Random, per_letter: int = PER_LETTER) -> list[dict]:
    """`count` body paragraphs of the folder's letters, from letters in random order."""
    files = sorted(find_letters(folder))
    rng.shuffle(files)
    out: list[dict] = []
    for path in files:
        letter = read_letter(path)
        body = [p for p in letter.paragraphs if p.kind is Kind.BODY and len(p.text.split()) >= MIN_WORDS]
        for p in sorted(rng.sample(body, min(per_letter, len(body))), key=lambda p: p.number):
            out.append({"letter_id": letter.id, "paragraph": p.number, "folder": folder.name,
                        "title": letter.title, "dossier_title": letter.dossier_title,
                        "ministries": letter.ministries, "section": p.section, "text": p.text})
        if len(out) >= count:
            break
    return out[:count]


def sample(shared: Path = SHARED) -> list[dict]:
    rng = random.Random(SEED)
    return (draw(shared / "letters" / "sgd", SGD_COUNT, rng) + draw(shared / "seeds", SEED_COUNT, rng, per_letter=7)
            + draw(shared / "corpora" / "dekamer2017", DEKAMER_COUNT, rng))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    rows = sample(args.shared)
    with args.out.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} paragraphs written to {args.out}")


if __name__ == "__main__":
    main()
