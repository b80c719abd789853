"""Exports of the networkx view: one writer per format, registered by name.

``EXPORTERS[name](G, path)`` is what ``policykg export OUT --format NAME --to PATH`` calls;
``path`` is a file for single-file formats and a directory for bundles.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from graph.export.graphml import write_graphml
from graph.export.neo4j import write_bundle, write_cypher
from graph.export.tabular import write_csv


def _write_html(G: nx.MultiDiGraph, path: str | os.PathLike[str], **options: Any) -> Path:
    from graph.viz import write_html  # the page pulls in pyvis/jinja: load it only when asked

    return write_html(G, path, **options)


Exporter = Callable[[nx.MultiDiGraph, "str | os.PathLike[str]"], Any]

#: format name -> writer(G, path).  "neo4j" writes a folder (admin-import CSVs, README,
#: load.cypher), "csv" a folder (nodes.csv, edges.csv); the others one file.
EXPORTERS: dict[str, Exporter] = {
    "graphml": write_graphml,
    "neo4j": write_bundle,
    "cypher": write_cypher,
    "csv": write_csv,
    "html": _write_html,
}

__all__ = ["EXPORTERS", "write_bundle", "write_csv", "write_cypher", "write_graphml"]
