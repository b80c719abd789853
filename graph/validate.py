"""SHACL validation of a built graph against ontology/shapes.ttl, reported with names a reader knows.

The shapes are checked on the union of all document graphs: "one type, one label" must hold
across documents, and an evidence node may sit in a different graph than a repeated triple.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH
from rdflib.term import Node

from graph.rdf import ONTOLOGY_DIR, PKG, load_dataset, union_graph

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


@dataclass(frozen=True)
class Violation:
    """One failed constraint: the node, the property path, the offending value and why."""

    focus: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    severity: str
    shape: str | None = None

    def __str__(self) -> str:
        who = f"{self.focus_label} <{self.focus}>" if self.focus_label else f"<{self.focus}>"
        where = f" {self.path}" if self.path else ""
        what = f" = {self.value}" if self.value is not None else ""
        return f"[{self.severity}] {who}{where}{what}: {self.message}"


@dataclass
class ValidationReport:
    """Result of validating a graph: ``conforms`` and the violations, sorted by node and path."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def __str__(self) -> str:
        if self.conforms:
            return "graph conforms to the policykg shapes"
        lines = [f"{len(self.violations)} violation(s) of the policykg shapes:"]
        lines += [f"  {v}" for v in self.violations]
        return "\n".join(lines)

    def __bool__(self) -> bool:
        return self.conforms


def load_shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def _data_graph(ds_or_out_dir: Dataset | Graph | str | os.PathLike[str]) -> Graph:
    if isinstance(ds_or_out_dir, Dataset):
        return union_graph(ds_or_out_dir)
    if isinstance(ds_or_out_dir, Graph):
        return ds_or_out_dir
    return union_graph(load_dataset(Path(ds_or_out_dir)))


def _label(data: Graph, node: Node) -> str | None:
    """A name for the focus node: its label, a document's title, an evidence sentence or a figure."""
    for prop in (RDFS.label, DCTERMS.title, PKG.fileName, PKG.raw):
        value = min((str(v) for v in data.objects(node, prop)), default=None)
        if value is not None:
            return value
    sentence = data.value(node, PKG.sentence)
    if sentence is not None:
        text = str(sentence)
        return "evidence: " + (text if len(text) <= 40 else text[:40] + "…")
    return None


def _short(data: Graph, term: Node | None) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        try:
            return data.namespace_manager.normalizeUri(term)
        except Exception:  # noqa: BLE001  (an IRI no prefix covers is shown whole)
            return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3(data.namespace_manager)
    return str(term)


def _value(data: Graph, value: Node | None) -> str | None:
    """Literals as their text; nodes with their name in front, so 创新联合体 is readable next to its IRI."""
    if value is None or isinstance(value, Literal):
        return None if value is None else str(value)
    label = _label(data, value)
    return f"{label} {_short(data, value)}" if label else _short(data, value)


def validate(ds_or_out_dir: Dataset | Graph | str | os.PathLike[str]) -> ValidationReport:
    """Check a dataset, graph or OUT folder (graph.trig) against the shapes; never raises on violations."""
    data = _data_graph(ds_or_out_dir)
    conforms, results, _ = pyshacl.validate(data, shacl_graph=load_shapes(), inference="none",
                                            allow_warnings=True, advanced=True)
    if not isinstance(results, Graph):  # pyshacl reports broken shapes as a non-graph failure
        raise RuntimeError(f"cannot validate with {SHAPES_FILE}: {results}")
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        severity = results.value(result, SH.resultSeverity)
        violations.append(Violation(
            focus=str(focus), focus_label=_label(data, focus), path=_short(data, path),
            value=_value(data, value),
            message="; ".join(messages) or "constraint violated",
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            shape=_short(data, results.value(result, SH.sourceShape))
            if isinstance(results.value(result, SH.sourceShape), URIRef) else None,
        ))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.value or "", v.message))
    return ValidationReport(conforms=bool(conforms), violations=violations)
