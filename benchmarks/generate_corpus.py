"""A large synthetic corpus for scale tests, made from the real bulk documents.

    python -m benchmarks.generate_corpus OUT_DIR [--n 10000] [--seed 0] [--source DIR]

Why synthetic: the real bulk corpus has 2,204 documents; the build must be shown to scale to
10,000. Each generated document keeps the shape of a real one (metadata lines, title, one
paragraph per line) so ingest and extraction see realistic input: it takes a real document's
metadata and title, keeps most of its paragraphs and swaps the rest for paragraphs of other
documents, then renames the organisations it names (the modifier before a name head such as
有限公司, 大学 or 实验室 from data/lexicon/heads.tsv is swapped for another document's), so the
graph grows new entities as a bigger corpus would. Same source and seed -> same bytes.
The output goes to a folder the user names, never into the repository.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "bulk" / "docs"
HEADS_FILE = REPO / "data" / "lexicon" / "heads.tsv"
#: Share of a document's body paragraphs replaced by paragraphs of other documents.
SWAP_SHARE = 0.3


@dataclass
class Source:
    """One real document split the way the bulk files are laid out."""

    meta: list[str]  # "- 发布机构:…" lines
    title: str
    paragraphs: list[str]


def parse(text: str) -> Source | None:
    """Metadata lines, title line and body paragraphs of a bulk-format document."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    meta = []
    while lines and lines[0].startswith("- "):
        meta.append(lines.pop(0))
    if len(lines) < 2:
        return None
    return Source(meta, lines[0], lines[1:])


def name_pattern() -> re.Pattern[str]:
    """Organisation names: two to four CJK characters before a name head of the lexicon."""
    heads = []
    for line in HEADS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            head, _type, min_mod = line.split("\t")
            if int(min_mod) >= 1 and len(head) >= 2:
                heads.append(head)
    alternatives = "|".join(re.escape(h) for h in sorted(set(heads), key=lambda h: (-len(h), h)))
    return re.compile(rf"([\u4e00-\u9fff]{{2,4}})(?={alternatives})")


def load_sources(folder: Path) -> list[Source]:
    sources = []
    for path in sorted(folder.glob("*.txt")):
        src = parse(path.read_text(encoding="utf-8"))
        if src is not None:
            sources.append(src)
    return sources


def generate(sources: list[Source], n: int, seed: int) -> Iterator[str]:
    """``n`` document texts, one at a time (memory stays flat), deterministic for ``sources`` and ``seed``."""
    rng = random.Random(seed)
    pattern = name_pattern()
    stems = sorted({m.group(1) for s in sources for p in s.paragraphs for m in pattern.finditer(p)})
    if not stems:
        raise SystemExit("no organisation names found in the source documents")
    order = list(range(len(sources)))
    rng.shuffle(order)
    for i in range(n):
        base = sources[order[i % len(order)]]
        body = list(base.paragraphs)
        for k in range(len(body)):
            if rng.random() < SWAP_SHARE:
                other = sources[rng.randrange(len(sources))]
                body[k] = other.paragraphs[rng.randrange(len(other.paragraphs))]
        renames: dict[str, str] = {}

        def rename(m: re.Match[str]) -> str:
            stem = m.group(1)
            if stem not in renames:
                renames[stem] = stems[rng.randrange(len(stems))]
            return renames[stem]

        lines = [*base.meta, pattern.sub(rename, base.title), *(pattern.sub(rename, p) for p in body)]
        yield "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="folder to write NNNNN.txt into (outside the repository)")
    ap.add_argument("--n", type=int, default=10_000, help="number of documents (default 10000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="real documents in the bulk format")
    args = ap.parse_args(argv)
    out = args.out.resolve()
    if out == REPO or REPO in out.parents:
        print(f"error: {out} is inside the repository; name a folder outside it", file=sys.stderr)
        return 2
    if not args.source.is_dir():
        print(f"error: source folder {args.source} is absent", file=sys.stderr)
        return 2
    sources = load_sources(args.source)
    out.mkdir(parents=True, exist_ok=True)
    width = max(5, len(str(args.n)))
    chars = 0
    for i, text in enumerate(generate(sources, args.n, args.seed), 1):
        (out / f"{i:0{width}d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    print(f"{args.n} documents, {chars:,} characters from {len(sources)} sources (seed {args.seed}) -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
