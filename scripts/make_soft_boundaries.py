"""Derive data/lexicon/soft_boundaries.txt from jieba's dictionary: verbs, adverbs, pronouns,
prepositions and conjunctions (2-4 characters) that may end the words standing before a name.

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


def main(out: Path) -> None:
    lex = out.parent
    generic = {w.strip() for w in (lex / "generic_words.txt").read_text(encoding="utf-8").splitlines()
               if w.strip() and not w.startswith("#")}
    words: set[str] = set()
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3:
                continue
            word, freq, tag = parts[0], int(parts[1]), parts[2]
            if (tag in TAGS and 2 <= len(word) <= 4 and freq >= MIN_FREQ and word not in generic
                    and word not in NAME_INITIAL):
                words.add(word)
    # verbal nouns (检查, 分析) are verbs where they stand right before a class word (检查融资担保公司)
    verbal: set[str] = set()
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if (len(parts) == 3 and parts[2] == "vn" and 2 <= len(parts[0]) <= 4 and int(parts[1]) >= MIN_FREQ
                    and parts[0] not in generic):
                verbal.add(parts[0])
    # the general lexicon: a platform's modifier made only of such words describes it (公共服务平台)
    common: set[str] = set()
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and 2 <= len(parts[0]) <= 4 and int(parts[1]) >= COMMON_MIN_FREQ:
                common.add(parts[0])
    with open(out.with_name("common_words.txt"), "w", encoding="utf-8") as f:
        f.write("# jieba's dictionary words of 2-4 characters seen >= 20 times (scripts/make_soft_boundaries.py)\n")
        for w in sorted(common):
            f.write(w + "\n")
    with open(out.with_name("verbal_nouns.txt"), "w", encoding="utf-8") as f:
        f.write("# Verbal nouns, less the generic words (derived by scripts/make_soft_boundaries.py)\n")
        for w in sorted(verbal):
            f.write(w + "\n")
    with open(out, "w", encoding="utf-8") as f:
        f.write("# Soft left boundaries (derived from jieba's dict.txt by scripts/make_soft_boundaries.py)\n")
        for w in sorted(words):
            f.write(w + "\n")
    # nouns that begin with such a word (化合物, 知识产权) must not lose it
    nouns: set[str] = set()
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] in NOUN_TAGS and 3 <= len(parts[0]) <= 6 and int(parts[1]) >= 5:
                w = parts[0]
                if any(w[:k] in words for k in (2, 3, 4) if k < len(w)):
                    nouns.add(w)
    with open(out.with_name("soft_protected_nouns.txt"), "w", encoding="utf-8") as f:
        f.write("# Nouns beginning with a soft boundary word (derived by scripts/make_soft_boundaries.py)\n")
        for w in sorted(nouns):
            f.write(w + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "data/lexicon/soft_boundaries.txt"))
