"""nodes.csv and edges.csv for spreadsheets.

Written as UTF-8 *with* a byte-order mark (``utf-8-sig``): Excel opens a BOM-less CSV
in the legacy ANSI code page and shows Chinese as mojibake; LibreOffice, pandas
(``encoding="utf-8-sig"``) and Python's csv read the BOM fine.  Fields are quoted as
RFC 4180 says (embedded quotes doubled, newlines inside quotes).  List cells
(``aliases``, ``documents``, ``evidence_docs``) and object cells (``indicators``,
``evidence``) are JSON arrays.  A text cell starting with ``= + - @`` or a tab/CR would
run as a formula in a spreadsheet (CSV injection), so it gets a leading ``'`` -- the
mark spreadsheets themselves use for "this is text".
"""
from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from graph.export import columns as C
from graph.export._io import atomic_open

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> str | int | float:
    """A value safe to open in a spreadsheet: lists as JSON, formula-like text defused."""
    if isinstance(value, list):
        value = C.to_json(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _write(path: Path, header: Sequence[str], rows: Iterable[dict[str, Any]]) -> Path:
    with atomic_open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([spreadsheet_cell(row[col]) for col in header])
    return path


def write_csv(G: nx.MultiDiGraph, directory: str | os.PathLike[str]) -> dict[str, Path]:
    """Write ``nodes.csv`` and ``edges.csv`` into ``directory``; returns both paths."""
    out = Path(directory)
    nodes, edges = C.records(G)
    return {
        "nodes": _write(out / "nodes.csv", C.NODE_COLUMNS, nodes),
        "edges": _write(out / "edges.csv", C.EDGE_COLUMNS, edges),
    }
