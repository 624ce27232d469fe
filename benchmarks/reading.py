"""How well the reader holds on a folder of real letters: figures, not a test.

    python -m benchmarks.reading ../shared/letters/sgd
    python -m benchmarks.reading ../shared/corpora/dekamer2017 --json

Reads every letter of the folder as `brieven index` would, and prints, for the whole folder and
for its two parts (a development part and a held-out part, split by a hash of the file name so
the split is the same on every machine and for every letter added later):

- dated: letters dated from their own date line (not inferred, no sidecar in these folders);
- dossier+number: letters with both a dossier and a document number;
- sender, ministries: letters with a sender, with at least one ministry;
- furniture: paragraphs (and section headings) that are page furniture, counted by patterns of
  this script (running footers, the printer's colophon, page numbers, "Handelingen der Staten-
  Generaal", chamber and session lines, "Nr. 115", distribution codes), not by the reader's;
- hyphen breaks: word-hyphen-word tokens inside a line ("huisves-tingsbeleid", lowercase after
  the hyphen) whose joined form is a word of the Dutch word list and whose hyphenated form is
  not; counted in the files and in the paragraphs read, and the share of them left;
- years: the distribution of the letters' years, and dates outside 1814..next year;
- against the hand-checked reference (tests/data/sgd_reference.json, written by reading held-out
  letters): the share of those letters whose sender, ministries, dossier, number and date the
  reader gets right.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from indexer.analysis import is_word
from indexer.reading import find_letters, read_letter

REFERENCE = Path(__file__).resolve().parent.parent / "tests" / "data" / "sgd_reference.json"
HELD_OUT_EVERY = 3  # one letter in three is held out: sha256(file name) % 3 == 0

# Furniture as this script recognises it (independently of the reader's own rules).
FURNITURE = re.compile(
    # the running footer
    r"(?i)^(?:tweede kamer|eerste kamer|staten-?\s?genera\w*)\W{0,3}\s*(?:vergaderjaar|zitting)\s+\d.{0,60}"
    r"\bnrs?\.?\s*\d"
    r"|\bISSN\b|\buitgeve\w+\b.{0,40}gravenhag|plantijnstraat|^\d{5,6}\s?F\b"  # the colophon
    r"|^\W{0,3}s\W?\s?gravenhag\w*\W{0,3}\d[\d\s]{2,4}\W*$"  # its second line
    r"|^handelingen der\b"
    r"|^(?:tweede|eerste)\s+kamer\s+der\s+staten[-\s]?generaal\W*$"
    r"|^(?:vergaderjaar|zitting)\s+\d{4}\W*\d{0,4}\W*[\d\s]*$"
    r"|^(?:nr|no)\.?\s*\d+\w?\W*$"
    r"|^\d{1,3}$"
    r"|^(?:S-[A-Za-z+&]{1,6}\s*)+$"
    r"|^bijlagen?\W*$")
FURNITURE_MAX_WORDS = 25
INLINE_BREAK = re.compile(r"(?<![\w-])([^\W\d_]{2,})-([a-zà-ÿ][^\W\d_]*)(?![\w-])")


def held_out(name: str) -> bool:
    return int(hashlib.sha256(name.encode()).hexdigest(), 16) % HELD_OUT_EVERY == 0


def is_furniture(text: str) -> bool:
    return len(text.split()) <= FURNITURE_MAX_WORDS and bool(FURNITURE.search(text.strip()))


def hyphen_breaks(text: str) -> int:
    """In-line hyphens that are line breaks by the word list (see the module)."""
    return sum(1 for m in INLINE_BREAK.finditer(text)
               if is_word((m[1] + m[2]).lower()) and not is_word(f"{m[1]}-{m[2]}".lower()))


def measure(paths: list[Path]) -> dict:
    """The figures for a set of letter files."""
    letters = paragraphs = furniture = furniture_headings = breaks_in = breaks_left = 0
    dated = inferred = undated = with_number = with_sender = with_ministries = outside = 0
    years: Counter[int] = Counter()
    examples: list[str] = []
    last_year = date.today().year + 1
    for path in paths:
        letter = read_letter(path)
        letters += 1
        dated += letter.date is not None and not letter.date_inferred
        inferred += letter.date_inferred
        undated += letter.date is None
        with_number += bool(letter.dossier and letter.document_number)
        with_sender += bool(letter.sender)
        with_ministries += bool(letter.ministries)
        if letter.date:
            years[letter.date.year] += 1
            outside += not 1814 <= letter.date.year <= last_year
        paragraphs += len(letter.paragraphs)
        for p in letter.paragraphs:
            if is_furniture(p.text):
                furniture += 1
                examples.append(f"{path.name}#{p.number}: {p.text[:80]}")
        furniture_headings += len({p.section for p in letter.paragraphs if p.section and is_furniture(p.section)})
        breaks_in += hyphen_breaks(path.read_text(encoding="utf-8", errors="replace"))
        breaks_left += sum(hyphen_breaks(p.text) for p in letter.paragraphs)
    share = lambda n, d: round(100 * n / d, 1) if d else None  # noqa: E731
    return {
        "letters": letters,
        "dated_from_own_line_pct": share(dated, letters),
        "inferred_pct": share(inferred, letters),
        "undated": undated,
        "dossier_and_number_pct": share(with_number, letters),
        "sender_pct": share(with_sender, letters),
        "ministries_pct": share(with_ministries, letters),
        "paragraphs": paragraphs,
        "furniture_paragraphs": furniture,
        "furniture_pct": share(furniture, paragraphs),
        "furniture_headings": furniture_headings,
        "hyphen_breaks_in_files": breaks_in,
        "hyphen_breaks_left": breaks_left,
        "hyphen_breaks_left_pct": share(breaks_left, breaks_in),
        "dates_outside_1814_to_next_year": outside,
        "years": {"first": min(years) if years else None, "last": max(years) if years else None,
                  "by_decade": {f"{d}s": n for d, n in sorted(Counter(y // 10 * 10 for y in years.elements()).items())}},
        "furniture_examples": examples[:10],
    }


def against_reference(folder: Path) -> dict | None:
    """The share of the hand-checked letters whose metadata the reader gets right."""
    if not REFERENCE.exists():
        return None
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))["letters"]
    checked = {name: want for name, want in reference.items() if (folder / name).exists()}
    if not checked:
        return None
    right: Counter[str] = Counter()
    wrong: list[str] = []
    for name, want in sorted(checked.items()):
        letter = read_letter(folder / name)
        got = {
            "sender": (letter.sender or "").lower(),
            "ministries": sorted(letter.ministries),
            "dossier": letter.dossier,
            "number": letter.document_number,
            "date": letter.date.isoformat() if letter.date and not letter.date_inferred else None,
        }
        expected = {**want, "sender": (want.get("sender") or "").lower(), "ministries": sorted(want.get("ministries", []))}
        for field, value in got.items():
            if value == expected.get(field):
                right[field] += 1
            else:
                wrong.append(f"{name} {field}: {value!r}, expected {expected.get(field)!r}")
    n = len(checked)
    return {"letters": n, **{f"{field}_right_pct": round(100 * right[field] / n, 1)
                             for field in ("sender", "ministries", "dossier", "number", "date")},
            "wrong": wrong}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = parser.parse_args(argv)
    paths = find_letters(args.folder)
    figures = {
        "folder": str(args.folder),
        "all": measure(paths),
        "development": measure([p for p in paths if not held_out(p.name)]),
        "held_out": measure([p for p in paths if held_out(p.name)]),
        "reference": against_reference(args.folder),
    }
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    rows = [k for k, v in figures["all"].items() if not isinstance(v, (dict, list))]
    print(f"{'':<34}{'all':>10}{'development':>14}{'held out':>10}")
    for key in rows:
        print(f"{key:<34}" + "".join(f"{str(figures[part][key]):>{w}}" for part, w in
                                     (("all", 10), ("development", 14), ("held_out", 10))))
    for part in ("all", "development", "held_out"):
        print(f"years ({part}): {figures[part]['years']}")
    for example in figures["all"]["furniture_examples"]:
        print(f"furniture: {example}")
    if figures["reference"]:
        ref = figures["reference"]
        print(f"\nagainst the hand-checked reference ({ref['letters']} held-out letters): " + ", ".join(
            f"{k.removesuffix('_right_pct')} {v}%" for k, v in ref.items() if k.endswith("_pct")))
        for line in ref["wrong"]:
            print(f"  wrong: {line}")


if __name__ == "__main__":
    sys.exit(main())
