"""Bad input through the CLI, byte-identical rebuilds, and a build killed with SIGKILL.

Every bad file must be named in one `error: <path>: <reason>` line on stderr while the rest is
built, the exit status must be 1, and `--strict` must stop at the first bad file. Files that
are only unusual (GBK, GB18030, UTF-16 with a BOM, truncated UTF-8, malformed HTML) must be read.
"""
from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import networkx as nx
import pytest
import rdflib

REPO = Path(__file__).resolve().parents[1]
#: Every output a build writes as a file (the store is RocksDB, loaded from graph.trig).
OUTPUT_FILES = ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld", "context.jsonld", "graph.graphml",
                "graph.html", "csv/nodes.csv", "csv/edges.csv", "neo4j/nodes.csv", "neo4j/relationships.csv",
                "neo4j/load.cypher", "neo4j/README.md", "extraction.json", "review.json")


def policykg(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "graph", *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, timeout=timeout)


def error_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("error:")]


@pytest.fixture(scope="module")
def seed_text(corpus_dir: Path) -> str:
    """A real reply (厦门钨业 leads an innovation consortium in it)."""
    return (corpus_dir / "000_fe01ddb8c0e7678e.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> tuple[Path, dict[str, str]]:
    """A folder of one good file, files that are odd but readable, and files that must fail.

    Returns the folder and {bad file name: a word its error reason must contain}.
    """
    d = tmp_path_factory.mktemp("bad")
    (d / "good.txt").write_text(seed_text, encoding="utf-8")
    # readable: legacy and wide encodings, a cut-off last character, broken markup
    (d / "gbk.txt").write_bytes(seed_text.replace("厦门钨业", "厦门钨业GBK集团").encode("gbk"))
    (d / "gb18030.txt").write_bytes(seed_text.replace("厦门钨业", "䶮钨业集团").encode("gb18030"))
    (d / "utf16.txt").write_bytes(seed_text.replace("厦门钨业", "厦门十六钨业集团").encode("utf-16"))
    truncated = seed_text.replace("厦门钨业", "厦门截断钨业集团").encode("utf-8") + "钨".encode("utf-8")[:2]
    (d / "truncated.txt").write_bytes(truncated)
    (d / "malformed.html").write_text(
        "<html><head><title>关于厦门畸形网页钨业集团的通知</title><body><div class='content'><p>"
        + seed_text[:600].replace("厦门钨业", "厦门畸形网页钨业集团") + "<p><b>未闭合<div><table><tr><td>单元",
        encoding="utf-8")
    # must fail, each with its reason
    bad: dict[str, str] = {}
    (d / "empty.txt").write_bytes(b"")
    bad["empty.txt"] = "empty"
    (d / "random.txt").write_bytes(random.Random(8).randbytes(8192))
    bad["random.txt"] = "binary"
    (d / "utf16-no-bom.txt").write_bytes(seed_text.encode("utf-16-le"))
    bad["utf16-no-bom.txt"] = "byte-order mark"
    with open(d / "huge.txt", "wb") as f:  # 50 MB of real text: over the 32 MB ingest limit
        chunk = seed_text.encode("utf-8")
        for _ in range(50 * 2**20 // len(chunk) + 1):
            f.write(chunk)
    bad["huge.txt"] = "too large"
    (d / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage\n%%EOF\n")
    bad["corrupt.pdf"] = "corrupt PDF"
    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph(seed_text[:500])
    document.save(buf)
    (d / "truncated.docx").write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    bad["truncated.docx"] = "corrupt DOCX"
    os.symlink("loop.txt", d / "loop.txt")
    bad["loop.txt"] = "symlink loop"
    (d / "sub").mkdir()
    os.symlink("..", d / "sub" / "back")  # a folder loop (sub/back/sub/back/...) is walked once
    return d, bad


def test_unreadable_file_is_named_and_the_rest_builds(seed_text: str, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: a mode-000 file is still readable, so the unreadable case cannot be made")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text(seed_text, encoding="utf-8")
    (docs / "unreadable.txt").write_text(seed_text, encoding="utf-8")
    (docs / "unreadable.txt").chmod(0)
    proc = policykg("build", docs, "--out", tmp_path / "out", "-q")
    assert proc.returncode == 1
    lines = error_lines(proc.stderr)
    assert len(lines) == 1 and "unreadable.txt" in lines[0] and "permission denied" in lines[0], lines
    assert "documents: 1 " in proc.stdout


def test_each_bad_file_is_named_once_with_its_reason_and_the_rest_builds(bad_folder, tmp_path: Path) -> None:
    folder, bad = bad_folder
    proc = policykg("build", folder, "--out", tmp_path / "out", "-q")
    assert proc.returncode == 1, proc.stderr
    lines = error_lines(proc.stderr)
    for name, reason in bad.items():
        mine = [ln for ln in lines if f"{folder / name}:" in ln]
        assert len(mine) == 1, (name, lines)
        assert reason in mine[0], mine[0]
    assert len(lines) == len(bad), lines
    assert "documents: 6 " in proc.stdout  # good, gbk, gb18030, utf16, truncated, malformed
    labels = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    for name in ("厦门钨业GBK集团", "䶮钨业集团", "厦门十六钨业集团", "厦门截断钨业集团", "厦门畸形网页钨业集团"):
        assert name in labels, name  # each odd file was decoded into Chinese the pipeline reads
    rdflib.Dataset().parse(tmp_path / "out" / "graph.trig", format="trig")


def test_strict_stops_at_the_first_bad_file(bad_folder, tmp_path: Path) -> None:
    folder, _ = bad_folder
    proc = policykg("build", folder, "--out", tmp_path / "out", "-q", "--strict")
    assert proc.returncode == 1
    assert len(error_lines(proc.stderr)) == 1, proc.stderr
    assert not (tmp_path / "out" / "graph.trig").exists()


def test_clean_input_exits_zero(seed_text: str, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "good.txt").write_text(seed_text, encoding="utf-8")
    proc = policykg("build", tmp_path / "docs", "--out", tmp_path / "out", "-q")
    assert proc.returncode == 0 and not error_lines(proc.stderr), proc.stderr


def test_same_input_gives_byte_identical_outputs(corpus_dir: Path, tmp_path: Path) -> None:
    """Two clean builds in separate processes (different hash seeds): every output file is equal."""
    docs = sorted(corpus_dir.glob("0[0-3]*.txt"))
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        proc = subprocess.run([sys.executable, "-m", "graph", "build", *map(str, docs), "--out", str(out), "-q"],
                              capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr
        runs.append(out)
    for name in OUTPUT_FILES:
        assert (runs[0] / name).read_bytes() == (runs[1] / name).read_bytes(), name


def test_build_killed_midway_leaves_previous_outputs_and_the_next_build_completes(
        corpus_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    docs = sorted(corpus_dir.glob("*.txt"))
    first = policykg("build", *docs[:3], "--out", out, "-q")
    assert first.returncode == 0, first.stderr
    before = {name: (out / name).read_bytes() for name in OUTPUT_FILES}
    proc = subprocess.Popen([sys.executable, "-m", "graph", "build", *map(str, docs), "--out", str(out), "-q",
                             "-j", "1"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache_files = len(list(out.glob(".cache/*/*.pkl")))
    deadline = time.monotonic() + 120
    # midway: the new build has extracted at least one new document (its cache entry is written)
    while len(list(out.glob(".cache/*/*.pkl"))) <= cache_files and proc.poll() is None:
        assert time.monotonic() < deadline, "the build never got going"
        time.sleep(0.05)
    assert proc.poll() is None, "the build finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for name, data in before.items():
        assert (out / name).read_bytes() == data, name
    rdflib.Dataset().parse(out / "graph.trig", format="trig")
    again = policykg("build", *docs, "--out", out, "-q")
    assert again.returncode == 0, again.stderr
    assert f"documents: {len(docs)} " in again.stdout
    assert not list(out.glob(".staging-*")) and not list(out.glob(".old-*"))
    assert "厦门钨业" in (out / "graph.ttl").read_text(encoding="utf-8")


def test_build_killed_while_writing_outputs_leaves_readable_files(corpus_dir: Path, tmp_path: Path) -> None:
    """Killed once the staging folder exists (extraction done): the old outputs stay whole."""
    out = tmp_path / "out"
    docs = sorted(corpus_dir.glob("*.txt"))
    assert policykg("build", *docs[:3], "--out", out, "-q").returncode == 0
    before = {name: (out / name).read_bytes() for name in OUTPUT_FILES}
    proc = subprocess.Popen([sys.executable, "-m", "graph", "build", *map(str, docs), "--out", str(out), "-q"],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while not list(out.glob(".staging-*/*")) and proc.poll() is None:
        assert time.monotonic() < deadline, "the build never reached its outputs"
        time.sleep(0.01)
    assert proc.poll() is None, "the build finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for name, data in before.items():  # each file is the old one, or a whole new one
        if (out / name).read_bytes() != data:
            _parse(out / name)
    rdflib.Dataset().parse(out / "graph.trig", format="trig")
    again = policykg("build", *docs, "--out", out, "-q")
    assert again.returncode == 0, again.stderr
    assert not list(out.glob(".staging-*"))
    assert (out / "graph.trig").read_bytes() != before["graph.trig"]  # the full corpus is in now


def _parse(path: Path) -> None:
    """Read an output with the parser of its format (raises on a half-written file)."""
    if path.suffix == ".trig":
        rdflib.Dataset().parse(path, format="trig")
    elif path.suffix in (".json", ".jsonld"):
        json.loads(path.read_text(encoding="utf-8"))
    elif path.suffix == ".csv":
        list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    elif path.suffix == ".graphml":
        nx.read_graphml(path)
    else:
        assert path.read_text(encoding="utf-8").strip()
