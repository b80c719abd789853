"""End to end: documents in, every output out and parseable; bad files named; atomic outputs."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import networkx as nx
import rdflib

from graph.builder import build

REPO = Path(__file__).resolve().parents[1]


def _check_outputs(out: Path, known: str) -> None:
    ds = rdflib.Dataset()
    ds.parse(out / "graph.trig", format="trig")
    assert len(ds) > 0
    G = nx.read_graphml(out / "graph.graphml")
    assert G.number_of_nodes() > 0
    with open(out / "neo4j" / "nodes.csv" if (out / "neo4j" / "nodes.csv").exists()
              else next((out / "neo4j").glob("*nodes*.csv")), encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert len(rows) > 1
    assert known in (out / "graph.html").read_text(encoding="utf-8")
    assert (out / "extraction.json").is_file() and (out / "store").is_dir()


def test_build_samples_writes_every_output(tmp_path: Path) -> None:
    result = build([REPO / "data" / "samples"], tmp_path / "out", progress=False)
    assert not result.errors and len(result.corpus.documents) >= 3
    _check_outputs(tmp_path / "out", result.corpus.entities[0].name[:2])
    first = (tmp_path / "out" / "graph.trig").read_bytes()
    again = build([REPO / "data" / "samples"], tmp_path / "out", progress=False)
    assert again.reused == len(result.corpus.documents) and again.extracted == 0
    assert (tmp_path / "out" / "graph.trig").read_bytes() == first  # deterministic, cache or not


def test_build_real_corpus_end_to_end(corpus_dir: Path, tmp_path: Path) -> None:
    result = build(sorted(corpus_dir.glob("*.txt")), tmp_path / "out", progress=False)
    assert len(result.corpus.documents) == 14 and not result.errors
    _check_outputs(tmp_path / "out", "厦门钨业")


def test_incremental_equals_clean(corpus_dir: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for p in sorted(corpus_dir.glob("0[0-2]*.txt")):
        shutil.copy(p, docs / p.name)
    build([docs], tmp_path / "inc", progress=False)
    changed = next(docs.glob("01_*.txt"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\n支持厦门钨业牵头组建创新联合体。\n", encoding="utf-8")
    inc = build([docs], tmp_path / "inc", progress=False)
    assert inc.extracted == 1
    build([docs], tmp_path / "clean", progress=False)
    assert (tmp_path / "inc" / "graph.trig").read_bytes() == (tmp_path / "clean" / "graph.trig").read_bytes()


def test_bad_files_are_named_and_the_rest_builds(corpus_dir: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    seed = (corpus_dir / "000_fe01ddb8c0e7678e.txt").read_text(encoding="utf-8")
    (docs / "good.txt").write_text(seed, encoding="utf-8")
    (docs / "gbk.txt").write_bytes(seed.replace("厦门钨业", "厦门钨业集团").encode("gb18030"))
    (docs / "empty.txt").write_bytes(b"")
    (docs / "random.txt").write_bytes(os.urandom(4096))
    (docs / "fake.pdf").write_text("not a pdf at all", encoding="utf-8")
    with zipfile.ZipFile(docs / "broken.docx", "w") as z:
        z.writestr("garbage.txt", "no word document here")
    proc = subprocess.run([sys.executable, "-m", "graph", "build", str(docs), "--out", str(tmp_path / "out"), "-q"],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    for bad in ("empty.txt", "random.txt", "fake.pdf", "broken.docx"):
        assert bad in proc.stderr
    assert "documents: 2" in proc.stdout
    labels = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "厦门钨业集团" in labels  # the GB18030 file was read as Chinese


def test_python_api_builds_twice_in_one_process(tmp_path: Path) -> None:
    import graph

    first = graph.build([REPO / "data" / "samples"], out=tmp_path / "a", progress=False)
    second = graph.build(REPO / "data" / "samples", out=tmp_path / "b", progress=False)
    assert len(first.entities()) == len(second.entities()) > 0


def test_a_document_the_pipeline_fails_on_is_named_and_the_rest_builds(tmp_path: Path, monkeypatch) -> None:
    import graph.extract as extract

    real = extract.extract_document

    def fragile(document, config=None):
        if "notice" in document.path:
            raise RuntimeError("rule exploded")
        return real(document, config)

    monkeypatch.setattr(extract, "extract_document", fragile)
    result = build([REPO / "data" / "samples"], tmp_path / "out", n_process=1, progress=False)
    assert len(result.errors) == 1 and "notice" in str(result.errors[0]) and "rule exploded" in str(result.errors[0])
    assert len(result.corpus.documents) == 3
    assert (tmp_path / "out" / "graph.trig").is_file()
