"""How long the explorer page takes to become stable, for 200 and 5,000 entities.

``python -m benchmarks.bench_viz`` builds a synthetic view (scale-free, two relations
per new entity, one evidence sentence per relation), writes the page and opens it in
Debian's headless Chromium.  Printed per size: page build time in Python (including
the igraph layout above graph.viz.LAYOUT_THRESHOLD), file size, and the time from
navigation start until the network is stable (physics stopped, or first drawing when
the layout is fixed).
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from graph.model import ENTITY_TYPES, PREDICATES
from graph.viz import LAYOUT_THRESHOLD, write_html

CHROMIUM = "/usr/bin/chromium"


def synthetic_view(n: int, seed: int = 0) -> nx.MultiDiGraph:
    """A contract-shaped view of ``n`` entities with realistic Chinese names and sentences."""
    rng = random.Random(seed)
    skeleton = nx.barabasi_albert_graph(n, 2, seed=seed)
    G = nx.MultiDiGraph(base="https://policykg.example.org/")
    doc = {"id": "bench", "title": "关于推动科技创新的若干措施", "name": "bench.txt"}
    for i in skeleton.nodes:
        G.add_node(f"e{i}", label=f"厦门第{i}号创新实验室", type=rng.choice(ENTITY_TYPES), aliases=[f"第{i}号"],
                   doc_count=1, documents=[doc], indicators=[])
    for u, v in skeleton.edges:
        p = rng.choice(PREDICATES)
        sentence = f"厦门第{u}号创新实验室与第{v}号联合攻关，聚焦新能源、新材料。"
        G.add_edge(f"e{u}", f"e{v}", key=p, predicate=p, confidence=0.8, evidence=[
            {"doc": doc["name"], "doc_title": doc["title"], "sentence": sentence, "start": 0,
             "end": len(sentence), "trigger": "联合", "extractor": "bench", "confidence": 0.8}])
    return G


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 5000])
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"bench_viz: {CHROMIUM} is absent (scripts/setup-test-env.sh installs it)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    print(f"{'nodes':>6} {'edges':>6} {'layout':>8} {'build s':>8} {'MB':>6} {'stable s':>9}")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"])
        for n in args.sizes:
            G = synthetic_view(n)
            t0 = time.perf_counter()
            path = write_html(G, Path(tmp) / f"page{n}.html")
            build = time.perf_counter() - t0
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
            page.goto(path.as_uri())
            page.wait_for_function("() => window.kg && window.kg.stable", timeout=600_000)
            stable_ms = page.evaluate("kg.stableMs")
            page.close()
            mode = "python" if n > LAYOUT_THRESHOLD else "physics"
            print(f"{n:>6} {G.number_of_edges():>6} {mode:>8} {build:>8.2f} "
                  f"{path.stat().st_size / 1e6:>6.2f} {stable_ms / 1000:>9.2f}", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
