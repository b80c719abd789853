"""Column and attribute names shared by the CSV, GraphML and Neo4j exports.

One module names them (like GraphRAG's ``data_model/schemas.py``), so a spreadsheet
column, a GraphML key and a Neo4j property holding the same fact carry the same name,
and one function per element turns the networkx view into that flat record.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from graph.model import ENTITY_TYPES

# -- entity (node) columns ----------------------------------------------------------------
ID = "id"  # entity IRI: the node key of the networkx view
LABEL = "label"  # canonical name; Gephi and yEd display the "label" attribute
NAME = "name"  # the same canonical name under Neo4j's conventional property name
TYPE = "type"  # schema class local name (Lab, Enterprise, ...)
ALIASES = "aliases"  # list of other names
DOC_COUNT = "doc_count"  # number of documents naming the entity
DOCUMENTS = "documents"  # file names of those documents
INDICATORS = "indicators"  # JSON array of {measure, value, unit, raw, period}; "" when none

# -- relation (edge) columns --------------------------------------------------------------
SOURCE = "source"  # subject IRI
TARGET = "target"  # object IRI
SOURCE_LABEL = "source_label"
TARGET_LABEL = "target_label"
PREDICATE = "predicate"  # schema property local name (leads, focusesOn, ...)
CONFIDENCE = "confidence"
EVIDENCE_COUNT = "evidence_count"
EVIDENCE_SENTENCE = "evidence_sentence"  # the first evidence sentence
EVIDENCE_DOC = "evidence_doc"  # file name of the document holding it
EVIDENCE_DOC_TITLE = "evidence_doc_title"
EVIDENCE_DOCS = "evidence_docs"  # every document stating the relation, in evidence order
EVIDENCE = "evidence"  # JSON array: the full evidence list of the view, lossless

NODE_COLUMNS: tuple[str, ...] = (ID, LABEL, TYPE, ALIASES, DOC_COUNT, DOCUMENTS, INDICATORS)
EDGE_COLUMNS: tuple[str, ...] = (
    SOURCE, TARGET, SOURCE_LABEL, TARGET_LABEL, PREDICATE, CONFIDENCE, EVIDENCE_COUNT,
    EVIDENCE_SENTENCE, EVIDENCE_DOC, EVIDENCE_DOC_TITLE, EVIDENCE_DOCS, EVIDENCE,
)

#: One colour and vis-network shape per entity type, shared by the explorer page and
#: the yEd GraphML so both draw a type the same way.
TYPE_STYLE: dict[str, tuple[str, str]] = {
    "GovernmentAgency": ("#d62728", "box"),
    "Enterprise": ("#1f77b4", "dot"),
    "University": ("#9467bd", "triangle"),
    "ResearchInstitute": ("#8c564b", "triangle"),
    "Lab": ("#e377c2", "diamond"),
    "InnovationPlatform": ("#17becf", "hexagon"),
    "IncubatorOrPark": ("#2ca02c", "square"),
    "Facility": ("#7f7f7f", "hexagon"),
    "FinancialInstitution": ("#bcbd22", "box"),
    "FinancialProduct": ("#dbdb8d", "ellipse"),
    "Fund": ("#ff7f0e", "star"),
    "Policy": ("#aec7e8", "box"),
    "Industry": ("#98df8a", "ellipse"),
    "Technology": ("#ff9896", "triangleDown"),
    "Person": ("#c49c94", "dot"),
    "Place": ("#c5b0d5", "square"),
}
UNKNOWN_STYLE: tuple[str, str] = ("#cccccc", "dot")
assert tuple(TYPE_STYLE) == ENTITY_TYPES, "TYPE_STYLE must follow the schema's entity types"


def clean_text(value: object) -> str:
    """Text as a string every writer can encode: lone surrogates (from bad decoding) become U+FFFD."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def to_json(value: Any) -> str:
    """Compact JSON that keeps Chinese readable; used for list and dict cells."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def node_record(node: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """One entity as flat values: strings, numbers and lists of strings (writers flatten lists)."""
    docs = data.get("documents") or []
    names = [clean_text(d.get("name") or d.get("title") or d.get("id")) for d in docs]
    indicators = [{k: (clean_text(v) if isinstance(v, str) else v) for k, v in ind.items()}
                  for ind in data.get("indicators") or []]
    return {
        ID: clean_text(node),
        LABEL: clean_text(data.get("label")) or clean_text(node),
        TYPE: clean_text(data.get("type")),
        ALIASES: [clean_text(a) for a in data.get("aliases") or []],
        DOC_COUNT: int(data.get("doc_count") if data.get("doc_count") is not None else len(docs)),
        DOCUMENTS: names,
        INDICATORS: to_json(indicators) if indicators else "",
    }


def evidence_list(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The edge's evidence with text fields cleaned, in the view's order."""
    return [{k: (clean_text(v) if isinstance(v, str) else v) for k, v in ev.items()}
            for ev in data.get("evidence") or []]


def edge_record(u: str, v: str, key: str, data: Mapping[str, Any],
                labels: Mapping[str, str]) -> dict[str, Any]:
    """One relation as flat values; ``labels`` maps node ids to canonical names."""
    evidence = evidence_list(data)
    first = evidence[0] if evidence else {}
    return {
        SOURCE: clean_text(u),
        TARGET: clean_text(v),
        SOURCE_LABEL: labels.get(u, clean_text(u)),
        TARGET_LABEL: labels.get(v, clean_text(v)),
        PREDICATE: clean_text(data.get("predicate") or key),
        CONFIDENCE: float(data.get("confidence") or 0.0),
        EVIDENCE_COUNT: len(evidence),
        EVIDENCE_SENTENCE: first.get("sentence", ""),
        EVIDENCE_DOC: first.get("doc", ""),
        EVIDENCE_DOC_TITLE: first.get("doc_title", ""),
        EVIDENCE_DOCS: [ev.get("doc", "") for ev in evidence],
        EVIDENCE: to_json(evidence),
    }


def records(G: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Node and edge records of a networkx view, in the graph's (deterministic) order."""
    nodes = [node_record(n, d) for n, d in G.nodes(data=True)]
    labels = {n[ID]: n[LABEL] for n in nodes}
    edges = [edge_record(u, v, k, d, labels) for u, v, k, d in G.edges(keys=True, data=True)]
    return nodes, edges
