"""Extraction speed against jieba.lcut on the same text, one core, measured in one run.

    python -m benchmarks.bench_extract [--mb 3] [--docs FOLDER]

Reads real policy text (../shared/bulk/docs by default) until --mb megabytes, then times
jieba.lcut over every document and policykg's default extraction (spaCy pipeline + records)
over the same documents, interleaved in one process so machine noise hits both alike.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from graph.extract import extract_document, pipeline
from graph.ingest import read_corpus

DEFAULT_DOCS = Path(__file__).resolve().parents[1].parent / "shared" / "bulk" / "docs"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=3.0, help="megabytes of UTF-8 text to time over")
    ap.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    args = ap.parse_args()
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    pipeline()  # load lexicons outside the timing
    docs, _ = read_corpus([args.docs])
    chosen, size = [], 0
    for d in docs:
        chosen.append(d)
        size += len(d.text.encode("utf-8"))
        if size >= args.mb * 1e6:
            break
    chars = sum(len(d.text) for d in chosen)
    t_jieba = t_ours = 0.0
    for d in chosen:  # interleaved: both see the same machine state
        t0 = time.perf_counter()
        jieba.lcut(d.text)
        t1 = time.perf_counter()
        extract_document(d)
        t2 = time.perf_counter()
        t_jieba += t1 - t0
        t_ours += t2 - t1
    print(f"documents: {len(chosen)}  characters: {chars:,}  bytes: {size:,}")
    print(f"jieba.lcut:          {chars / t_jieba:>12,.0f} chars/s")
    print(f"policykg extraction: {chars / t_ours:>12,.0f} chars/s")
    print(f"ratio (policykg / jieba): {t_jieba / t_ours:.2f}  (bar: >= 0.50)")


if __name__ == "__main__":
    main()
