"""Derive four lists of data/lexicon from jieba's dictionary: soft_boundaries.txt (verbs, adverbs,
pronouns, prepositions and conjunctions of 2-4 characters that may end the words standing before a name),
soft_protected_nouns.txt (nouns that begin with one of them), verbal_nouns.txt and common_words.txt (the
general lexicon that tells a descriptive platform name from a proper one).

They are soft: the name grammar cuts at the rightmost one only when what is left still has a
distinguishing modifier, so a verb inside a name (开放创新平台) cannot truncate it.
Run once when refreshing; the output is committed so run time needs no jieba.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import jieba

NOUN_TAGS = {"n", "nz", "nt", "ns", "nr", "vn", "an", "ng", "nrt"}
TAGS = {"v", "vd", "p", "c", "d", "r", "ad", "u", "vg", "dg", "rr", "rz"}
MIN_FREQ = 30
COMMON_MIN_FREQ = 20
#: Adverbs and verbs that begin names as often as they precede them (自然科学联合基金, 补充医疗保险).
NAME_INITIAL = {"自然", "补充", "重点", "共同", "统一", "综合", "一体化", "全面", "知识", "自主", "首都"}


def _dictionary() -> list[tuple[str, int, str]]:
    """jieba's dict.txt as (word, frequency, tag) rows, read once for every list below."""
    rows = []
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                rows.append((parts[0], int(parts[1]), parts[2]))
    return rows


def _write(path: Path, header: str, words: set[str]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# {header}\n")
        for w in sorted(words):
            f.write(w + "\n")


def main(out: Path) -> None:
    generic = {w.strip() for w in (out.parent / "generic_words.txt").read_text(encoding="utf-8").splitlines()
               if w.strip() and not w.startswith("#")}
    rows = _dictionary()
    words = {w for w, freq, tag in rows if tag in TAGS and 2 <= len(w) <= 4 and freq >= MIN_FREQ
             and w not in generic and w not in NAME_INITIAL}
    # verbal nouns (检查, 分析) are verbs where they stand alone before a class word (检查融资担保公司)
    verbal = {w for w, freq, tag in rows if tag == "vn" and 2 <= len(w) <= 4 and freq >= MIN_FREQ
              and w not in generic}
    # the general lexicon: a platform's modifier made only of such words describes it (公共服务平台)
    common = {w for w, freq, _tag in rows if 2 <= len(w) <= 4 and freq >= COMMON_MIN_FREQ}
    # nouns that begin with a soft word (化合物, 知识产权) must not lose it
    nouns = {w for w, freq, tag in rows if tag in NOUN_TAGS and 3 <= len(w) <= 6 and freq >= 5
             and any(w[:k] in words for k in (2, 3, 4) if k < len(w))}
    _write(out.with_name("common_words.txt"),
           "jieba's dictionary words of 2-4 characters seen >= 20 times (scripts/make_soft_boundaries.py)", common)
    _write(out.with_name("verbal_nouns.txt"),
           "Verbal nouns, less the generic words (derived by scripts/make_soft_boundaries.py)", verbal)
    _write(out, "Soft left boundaries (derived from jieba's dict.txt by scripts/make_soft_boundaries.py)", words)
    _write(out.with_name("soft_protected_nouns.txt"),
           "Nouns beginning with a soft boundary word (derived by scripts/make_soft_boundaries.py)", nouns)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "data/lexicon/soft_boundaries.txt"))
