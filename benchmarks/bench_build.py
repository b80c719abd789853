"""The whole build against jieba.lcut over the same text, measured in one run; optional incremental check.

    python -m benchmarks.bench_build [--docs DIR] [--n N] [--jobs J] [--out DIR] [--incremental K]

Runs `graph.builder.build` (ingest, extraction on all cores, resolve, RDF, view, every export,
store) on the first N documents of DIR (default ../shared/bulk/docs, all of them) into a fresh
output folder, then jieba.lcut over the text of the same documents in this process (one core),
and prints both rates, their ratio (bar: whole build >= 0.5x jieba.lcut) and the peak memory.

With --incremental K the documents are copied to a temporary folder first; after the clean
build K of them are changed and the build is run again into the same folder: it must
re-extract exactly K documents and give byte-identical outputs to a clean build of the
changed folder (which is run too).
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from graph.builder import BuildResult, build, peak_rss_mb
from graph.ingest import discover

DEFAULT_DOCS = Path(__file__).resolve().parents[1].parent / "shared" / "bulk" / "docs"
#: The outputs that must not change between an incremental and a clean build (the store is
#: RocksDB files, compared through graph.trig which it is loaded from).
COMPARED = ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld", "graph.graphml", "graph.html",
            "csv/nodes.csv", "csv/edges.csv", "neo4j/nodes.csv", "neo4j/relationships.csv",
            "neo4j/load.cypher", "extraction.json", "review.json")


def _report(name: str, result: BuildResult, wall: float) -> None:
    docs, chars = len(result.corpus.documents), result.characters
    stages = ", ".join(f"{k} {v:.1f}" for k, v in result.timings.items())
    print(f"{name}: {docs} documents, {chars:,} characters, {wall:.1f} s wall")
    print(f"  stages (s): {stages}")
    print(f"  {docs / wall:,.1f} documents/s, {chars / wall:,.0f} characters/s; "
          f"{result.extracted} extracted, {result.reused} reused, {len(result.errors)} failed")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=Path, default=DEFAULT_DOCS)
    ap.add_argument("--n", type=int, help="only the first N documents (default: all)")
    ap.add_argument("--jobs", "-j", type=int, help="extraction processes (default: the cores)")
    ap.add_argument("--out", type=Path, help="output folder (default: a temporary one, removed after)")
    ap.add_argument("--incremental", type=int, metavar="K", help="change K documents, rebuild, compare")
    args = ap.parse_args(argv)
    paths = discover([args.docs])[: args.n]
    work = Path(tempfile.mkdtemp(prefix="policykg-bench-"))
    try:
        if args.incremental:
            src = work / "docs"
            src.mkdir()
            copied = []
            for p in paths:  # the user's documents are never modified: change copies
                copied.append(src / p.name)
                shutil.copyfile(p, copied[-1])
            paths = copied
        out = args.out or work / "out"
        t0 = time.perf_counter()
        result = build(paths, out, n_process=args.jobs)
        wall = time.perf_counter() - t0
        _report("build", result, wall)

        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()  # load the dictionary outside the timing, as the build's pipeline is
        texts = [d.text for d in result.corpus.documents]
        t0 = time.perf_counter()
        for text in texts:
            jieba.lcut(text)
        t_jieba = time.perf_counter() - t0
        chars = sum(map(len, texts))
        print(f"jieba.lcut: {chars / t_jieba:,.0f} characters/s ({t_jieba:.1f} s, one core)")
        print(f"ratio (whole build / jieba.lcut): {t_jieba / wall:.2f}  (bar: >= 0.50)")
        main_mb, worker_mb = peak_rss_mb()
        print(f"peak RSS: {main_mb:,.0f} MB build process, {worker_mb:,.0f} MB largest worker")

        if args.incremental:
            changed = paths[:: max(1, len(paths) // args.incremental)][: args.incremental]
            for p in changed:
                with open(p, "a", encoding="utf-8") as f:
                    f.write("\n支持厦门钨业牵头组建创新联合体，推动关键技术攻关。\n")
            t0 = time.perf_counter()
            inc = build(paths, out, n_process=args.jobs)
            _report("incremental rebuild", inc, time.perf_counter() - t0)
            clean_out = work / "clean"
            t0 = time.perf_counter()
            clean = build(paths, clean_out, n_process=args.jobs)
            _report("clean build of the changed folder", clean, time.perf_counter() - t0)
            differ = [f for f in COMPARED if (out / f).read_bytes() != (clean_out / f).read_bytes()]
            ok = inc.extracted == len(changed) and not differ
            print(f"incremental: re-extracted {inc.extracted} of {len(changed)} changed; "
                  f"outputs {'identical' if not differ else 'DIFFER: ' + ', '.join(differ)}"
                  f" -> {'OK' if ok else 'FAILED'}")
            return 0 if ok else 1
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
