"""GraphML for Gephi, Cytoscape, igraph and (with ``yed=True``) yEd.

GraphML attributes must be scalars Gephi reads (string, long, double), so lists are
flattened: ``aliases``, ``documents`` and ``evidence_docs`` are JSON arrays of strings
(lossless even when a name contains ``|`` or ``,``), ``indicators`` and ``evidence``
JSON arrays of objects.  Characters XML 1.0 forbids (most C0 controls) are dropped.
"""
from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import networkx as nx
from lxml import etree

from graph.export import columns as C
from graph.export._io import atomic_open

_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_Y = "http://www.yworks.com/xml/graphml"
_GRAPHML = "http://graphml.graphdrawing.org/xmlns"


def _scalar(value: Any) -> str | int | float:
    """A GraphML-typed value: lists become JSON, text loses XML-forbidden characters."""
    if isinstance(value, list):
        value = C.to_json(value)
    if isinstance(value, str):
        return _XML_INVALID.sub("", value)
    return value


def to_graphml_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the view holding only scalar attributes; edge keys become unique ids (e0, e1…)."""
    nodes, edges = C.records(G)
    H = nx.MultiDiGraph()
    if G.graph.get("base"):
        H.graph["base"] = _scalar(C.clean_text(G.graph["base"]))
    for rec in nodes:
        H.add_node(_scalar(rec[C.ID]), **{k: _scalar(v) for k, v in rec.items() if k != C.ID})
    for i, rec in enumerate(edges):
        attrs = {k: _scalar(v) for k, v in rec.items()
                 if k not in (C.SOURCE, C.TARGET, C.SOURCE_LABEL, C.TARGET_LABEL)}
        attrs[C.LABEL] = attrs[C.PREDICATE]  # Gephi shows an edge's "label"
        H.add_edge(_scalar(rec[C.SOURCE]), _scalar(rec[C.TARGET]), key=f"e{i}", **attrs)
    return H


def _add_yed_graphics(tree: etree._ElementTree, H: nx.MultiDiGraph) -> None:
    """Add yFiles ShapeNode/PolyLineEdge data so yEd draws coloured nodes with visible labels."""
    root = tree.getroot()
    g = f"{{{_GRAPHML}}}"
    y = f"{{{_Y}}}"
    graph_el = root.find(f"{g}graph")
    for key_id, target, kind in (("yn", "node", "nodegraphics"), ("ye", "edge", "edgegraphics")):
        key = etree.Element(f"{g}key", attrib={"id": key_id, "for": target, "yfiles.type": kind})
        graph_el.addprevious(key)
    for el in graph_el.iter(f"{g}node"):
        attrs = H.nodes[el.get("id")]
        label = attrs[C.LABEL]
        color, _ = C.TYPE_STYLE.get(attrs[C.TYPE], C.UNKNOWN_STYLE)
        data = etree.SubElement(el, f"{g}data", key="yn")
        shape = etree.SubElement(data, f"{y}ShapeNode")
        width = 24 + 14 * min(len(label), 30)
        etree.SubElement(shape, f"{y}Geometry", height="30.0", width=f"{width}.0", x="0.0", y="0.0")
        etree.SubElement(shape, f"{y}Fill", color=color, transparent="false")
        etree.SubElement(shape, f"{y}NodeLabel").text = label
        etree.SubElement(shape, f"{y}Shape", type="roundrectangle")
    for el in graph_el.iter(f"{g}edge"):
        attrs = H.edges[el.get("source"), el.get("target"), el.get("id")]
        data = etree.SubElement(el, f"{g}data", key="ye")
        line = etree.SubElement(data, f"{y}PolyLineEdge")
        etree.SubElement(line, f"{y}Arrows", source="none", target="standard")
        etree.SubElement(line, f"{y}EdgeLabel").text = attrs[C.PREDICATE]


def write_graphml(G: nx.MultiDiGraph, path: str | os.PathLike[str], *, yed: bool = False) -> Path:
    """Write the view as GraphML (atomically); ``yed=True`` adds yFiles graphics for yEd."""
    H = to_graphml_graph(G)
    target = Path(path)
    buf = io.BytesIO()
    nx.write_graphml(H, buf, encoding="utf-8", prettyprint=False)
    tree = etree.ElementTree(etree.fromstring(buf.getvalue()))
    if yed:
        _add_yed_graphics(tree, H)
        etree.cleanup_namespaces(tree, top_nsmap={"y": _Y})
    with atomic_open(target, "wb") as fh:
        tree.write(fh, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return target
