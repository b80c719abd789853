"""The embedded SPARQL store: Oxigraph (RocksDB) on disk at OUT/store, built from OUT/graph.trig.

Why Oxigraph under an rdflib API: rdflib's memory store parses and queries a million triples in
minutes, Oxigraph in seconds (benchmarks/bench_store.py), while graph.trig stays the one source of
truth that rdflib, pyshacl and the exports read.  The store is a cache of graph.trig: it is rebuilt
when the TriG file changes, and built beside the old one and swapped in so a reader never sees half.

Queries see the union of all document graphs as their default graph (no ``GRAPH`` needed);
``GRAPH ?doc { … }`` still tells which document states a triple.  The union is a bag: a triple
stated in two documents matches twice, so count with DISTINCT.
"""
from __future__ import annotations

import gc
import json
import os
import shutil
import tempfile
from pathlib import Path

import pyoxigraph

STORE_DIR = "store"
TRIG_FILE = "graph.trig"
_STAMP = "policykg-source.json"  # which graph.trig the store was built from


class StoreError(RuntimeError):
    """The OUT folder has no graph to build a store from, or the store cannot be opened."""


def _source_stamp(trig: Path) -> dict[str, int]:
    st = trig.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _stamp_path(out: Path) -> Path:
    # Beside the RocksDB folder, not inside it, so the database directory only holds its own files.
    return out / f".{STORE_DIR}.{_STAMP}"


def is_current(out_dir: str | os.PathLike[str]) -> bool:
    """Whether OUT/store was built from the graph.trig now in OUT."""
    out = Path(out_dir)
    stamp, trig = _stamp_path(out), out / TRIG_FILE
    if not (out / STORE_DIR).is_dir() or not stamp.is_file() or not trig.is_file():
        return False
    try:
        return json.loads(stamp.read_text(encoding="utf-8")) == _source_stamp(trig)
    except (OSError, ValueError):
        return False


def build_store(out_dir: str | os.PathLike[str]) -> Path:
    """(Re)build OUT/store from OUT/graph.trig; the new store replaces the old one in one rename."""
    out = Path(out_dir)
    trig = out / TRIG_FILE
    if not trig.is_file():
        raise StoreError(f"{trig}: no graph.trig to build the store from (run `policykg build` first)")
    stamp = _source_stamp(trig)
    tmp = Path(tempfile.mkdtemp(prefix=f".{STORE_DIR}.", suffix=".tmp", dir=out))
    try:
        store = pyoxigraph.Store(str(tmp))
        store.bulk_load(path=str(trig), format=pyoxigraph.RdfFormat.TRIG)
        store.flush()
        del store
        gc.collect()  # closes RocksDB before the folder moves
        target = out / STORE_DIR
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{STORE_DIR}.", suffix=".old", dir=out))
            os.replace(target, old / STORE_DIR)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    stamp_file = _stamp_path(out)
    tmp_stamp = stamp_file.with_suffix(".tmp")
    tmp_stamp.write_text(json.dumps(stamp), encoding="utf-8")
    os.replace(tmp_stamp, stamp_file)
    return target


def open_store(out_dir: str | os.PathLike[str], *, rebuild: bool = True) -> pyoxigraph.Store:
    """Open OUT/store read-only, building it first when missing or older than graph.trig."""
    out = Path(out_dir)
    if rebuild and not is_current(out):
        build_store(out)
    path = out / STORE_DIR
    if not path.is_dir():
        raise StoreError(f"{path}: no store (run `policykg build` first)")
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as err:
        raise StoreError(f"{path}: cannot open the store: {err}") from err
