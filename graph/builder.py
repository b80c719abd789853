"""The whole path: documents in, knowledge graph and every output out, written atomically.

ingest -> extract (spaCy) -> resolve -> RDF -> networkx view -> exports. Extractions are cached
per document under OUT/.cache keyed by content hash and a fingerprint of the pipeline and its
lexicons, so a rebuild re-extracts only changed documents and equals a clean build. Every output
is first written into a staging folder inside OUT and then moved into place file by file with
os.replace, so an interrupted build leaves the previous outputs whole (and the next build clears
what the interrupted one left behind).

After extraction the build holds no rdflib store: the sorted quads (graph.rdf.corpus_quads) feed
the RDF writers and the networkx view directly. The summary reports the time of every stage,
documents and characters per second and the peak memory of the build and its workers.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from .export.graphml import write_graphml
from .export.neo4j import write_bundle
from .export.tabular import write_csv
from .extract import ExtractionError, default_workers, extract_all
from .ingest import IngestError, read_corpus
from .model import Corpus, DocExtraction
from .network import to_networkx
from .nlp import DEFAULT_CONFIG
from .nlp.lexicon import DEFAULT_DATA_DIR
from .rdf import atomic_write, corpus_quads, write_quads
from .resolve import resolve
from .store import build_store
from .viz import write_html

CACHE_DIR = ".cache"
#: The whole-graph page shows at most this many entities (the most connected); ``policykg viz``
#: draws any part of a larger graph (--focus, --types, --max-nodes).
PAGE_MAX_NODES = 5000
#: Documents above this count get a progress bar.
PROGRESS_MIN_DOCS = 5


@dataclass
class BuildResult:
    """What a build did: counts for the summary, errors for the exit status, where outputs are."""

    out: Path
    corpus: Corpus
    errors: list[IngestError | ExtractionError] = field(default_factory=list)
    extracted: int = 0
    reused: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)
    #: seconds per stage, in the order the stages ran
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())

    @property
    def characters(self) -> int:
        return sum(len(d.text) for d in self.corpus.documents)

    def summary(self) -> str:
        c = self.corpus
        lines = [f"documents: {len(c.documents)} ({self.extracted} extracted, {self.reused} unchanged)",
                 f"entities: {len(c.entities)}"]
        for t, n in sorted(Counter(e.type for e in c.entities).items(), key=lambda kv: -kv[1]):
            lines.append(f"  {t}: {n}")
        lines.append(f"relations: {len(c.relations)}")
        for p, n in sorted(Counter(r.predicate for r in c.relations).items(), key=lambda kv: -kv[1]):
            lines.append(f"  {p}: {n}")
        lines.append(f"indicators: {len(c.indicators)}")
        lines.append(f"merge candidates for review: {len(c.review)}")
        if self.errors:
            lines.append(f"files that failed: {len(self.errors)}")
        lines.append("outputs:")
        for name, path in self.outputs.items():
            lines.append(f"  {name}: {path}")
        if self.timings:
            total = max(self.seconds, 1e-9)
            stages = ", ".join(f"{k} {v:.1f}" for k, v in self.timings.items())
            lines.append(f"time: {total:.1f} s ({stages})")
            lines.append(f"rate: {len(c.documents) / total:,.1f} documents/s, "
                         f"{self.characters / total:,.0f} characters/s")
        main, worker = peak_rss_mb()
        lines.append(f"peak memory (RSS): {main:,.0f} MB in the build process"
                     + (f", {worker:,.0f} MB in the largest worker" if worker else ""))
        return "\n".join(lines)


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child, in MB."""
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 2**20  # ru_maxrss: KB on Linux, bytes on macOS
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale
    return own, children


@contextmanager
def _stage(timings: dict[str, float] | None, name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - start


def _component_data_dirs(config: str | Path | None) -> dict[str, str | None]:
    """Each pipeline component's ``data_dir`` in the config (None: the shipped lexicons)."""
    from spacy.util import load_config

    cfg = load_config(Path(config) if config else DEFAULT_CONFIG)
    return {name: comp.get("data_dir") or None for name, comp in cfg["components"].items()}


def config_data_dir(config: str | Path | None = None) -> str | None:
    """The lexicon folder the config's gazetteer reads (None: the shipped one); resolution uses it too."""
    return _component_data_dirs(config).get("pkg_gazetteer")


def pipeline_fingerprint(config: str | Path | None = None) -> str:
    """Changes whenever what extraction depends on changes: the pipeline config, the lexicons it
    reads (shipped or named by ``data_dir`` in the config), the extraction code, the version."""
    from . import __version__

    package = Path(__file__).resolve().parent
    cfg = Path(config) if config else DEFAULT_CONFIG
    data_dirs = {DEFAULT_DATA_DIR} | {Path(d) for d in _component_data_dirs(cfg).values() if d}
    files = [cfg, package / "extract.py", package / "model.py", *sorted((package / "nlp").glob("*.py"))]
    for d in sorted(data_dirs):
        files += sorted(p for p in d.rglob("*") if p.is_file() and "samples" not in p.relative_to(d).parts)
    h = hashlib.sha256(__version__.encode())
    for p in files:
        h.update(str(p.name).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def extract_cached(documents, out: Path | None, *, config: str | None = None, n_process: int | None = None,
                   progress: bool = True) -> tuple[list[DocExtraction], int, list[ExtractionError]]:
    """Extractions for ``documents``, reusing OUT/.cache for unchanged ones; (extractions, reused)."""
    fp = pipeline_fingerprint(config)
    cache = (out / CACHE_DIR / fp) if out else None
    results: dict[str, DocExtraction] = {}
    todo = []
    for d in documents:
        path = cache / f"{d.id}.pkl" if cache else None
        if path and path.is_file():
            try:
                with open(path, "rb") as f:
                    ex = pickle.load(f)
                ex.document = d  # the same bytes may now live at another path
                results[d.id] = ex
                continue
            except Exception:  # noqa: BLE001  (any unreadable or outdated cache entry: extract again)
                pass
        todo.append(d)
    reused = len(results)
    bar = tqdm(total=len(todo), desc="extracting", unit="doc",
               disable=not progress or len(todo) < PROGRESS_MIN_DOCS)
    failed: list[ExtractionError] = []
    for ex in extract_all(todo, config=config, n_process=n_process or default_workers()):
        bar.update(1)
        if isinstance(ex, ExtractionError):
            failed.append(ex)
            continue
        results[ex.document.id] = ex
        if cache:
            cache.mkdir(parents=True, exist_ok=True)
            atomic_write(cache / f"{ex.document.id}.pkl", pickle.dumps(ex, protocol=pickle.HIGHEST_PROTOCOL))
    bar.close()
    if cache and cache.parent.is_dir():
        for stale in cache.parent.iterdir():  # caches of older pipelines
            if stale != cache:
                shutil.rmtree(stale, ignore_errors=True)
    return [results[d.id] for d in documents if d.id in results], reused, failed


def build(paths, out: str | os.PathLike[str] = "out", *, config: str | None = None,
          n_process: int | None = None, strict: bool = False, progress: bool = True) -> BuildResult:
    """Build the graph of ``paths`` into ``out`` and write every output."""
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    with _stage(timings, "ingest"):
        documents, errors = read_corpus(paths)
    if strict and errors:
        raise errors[0]
    with _stage(timings, "extract"):
        extractions, reused, failed = extract_cached(documents, out_dir, config=config, n_process=n_process,
                                                     progress=progress)
    errors = [*errors, *failed]
    with _stage(timings, "resolve"):
        corpus = resolve(extractions, config_data_dir(config))
    result = BuildResult(out_dir, corpus, errors, len(extractions) - reused, reused, timings=timings)
    result.outputs = write_outputs(corpus, extractions, out_dir, timings=timings, progress=progress)
    return result


def write_outputs(corpus: Corpus, extractions: list[DocExtraction], out_dir: Path, *,
                  timings: dict[str, float] | None = None, progress: bool = False) -> dict[str, Path]:
    """Every output of a build, staged in OUT and then moved into place."""
    clear_leftovers(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    bar = tqdm(total=9, desc="writing", unit="step", disable=not progress or len(corpus.documents) < PROGRESS_MIN_DOCS)

    @contextmanager
    def step(name: str) -> Iterator[None]:
        bar.set_postfix_str(name)
        with _stage(timings, name):
            yield
        bar.update(1)

    try:
        with step("rdf"):
            quads = corpus_quads(corpus)
            staged = {name: Path(p) for name, p in write_quads(quads, staging).items()}
        with step("view"):
            G = to_networkx(quads)
            del quads
        with step("graphml"):
            staged["graphml"] = write_graphml(G, staging / "graph.graphml")
        with step("html"):
            staged["html"] = write_html(G, staging / "graph.html", max_nodes=PAGE_MAX_NODES)
        with step("neo4j"):
            write_bundle(G, staging / "neo4j")
            staged["neo4j"] = staging / "neo4j"
        with step("csv"):
            write_csv(G, staging / "csv")
            staged["csv"] = staging / "csv"
        del G
        with step("json"):
            staged["extraction"] = _write_json(staging / "extraction.json",
                                               [ex.to_eval() for ex in extractions])
            staged["review"] = _write_json(staging / "review.json",
                                           [{"left": m.left, "right": m.right, "reason": m.reason}
                                            for m in corpus.review])
        final: dict[str, Path] = {}
        with step("move"):
            for name, path in staged.items():
                target = out_dir / path.relative_to(staging)
                _replace(path, target)
                final[name] = target
        with step("store"):
            final["store"] = build_store(out_dir)
        return final
    finally:
        bar.close()
        shutil.rmtree(staging, ignore_errors=True)


def clear_leftovers(out_dir: Path) -> None:
    """Remove what a killed build left in OUT: staging and swap folders, half-written temp files."""
    for pattern in (".staging-*", ".old-*", ".store.*.tmp", ".store.*.old"):
        for p in out_dir.glob(pattern):
            shutil.rmtree(p, ignore_errors=True)
    for p in [*out_dir.glob(".*.tmp"), *(out_dir / CACHE_DIR).glob("*/*.tmp")]:
        if p.is_file():
            p.unlink(missing_ok=True)


def _replace(src: Path, dst: Path) -> None:
    """Move a staged file or folder over the old one; a folder swaps in two renames."""
    if src.is_dir():
        if dst.exists():
            old = Path(tempfile.mkdtemp(prefix=".old-", dir=dst.parent))
            os.replace(dst, old / dst.name)
            os.replace(src, dst)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(src, dst)
    else:
        os.replace(src, dst)


def _write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


