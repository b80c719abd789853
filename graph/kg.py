"""KnowledgeGraph: the Python handle on a built OUT folder.

Python users see rdflib: ``query`` returns rows as dicts of rdflib terms (SELECT), a bool (ASK) or an
rdflib Graph (CONSTRUCT/DESCRIBE), and ``dataset`` is an rdflib Dataset; the queries themselves run
on the Oxigraph store (OUT/store) because it is orders of magnitude faster on large graphs.
``entities`` and ``relations`` are plain dicts taken from the networkx view.
"""
from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph import query as _query
from graph.network import to_networkx
from graph.rdf import PREFIXES, RDF_FORMATS, atomic_write, load_dataset, serialize, write_rdf
from graph.store import open_store
from graph.validate import ValidationReport, validate


def to_rdflib(term: object) -> Node | None:
    """An Oxigraph term as the rdflib term users work with."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == str(XSD.string) else URIRef(dt))
    raise TypeError(f"unsupported term {term!r}")


class KnowledgeGraph:
    """A built graph in ``out_dir`` (graph.trig and, built on first query, store/)."""

    def __init__(self, out_dir: str | os.PathLike[str], dataset: Dataset | None = None) -> None:
        self.out_dir = Path(out_dir)
        if dataset is None and not (self.out_dir / "graph.trig").is_file():
            raise FileNotFoundError(f"{self.out_dir}: no graph.trig (run `policykg build DOCS --out {out_dir}`)")
        if dataset is not None:
            self.__dict__["dataset"] = dataset

    def __repr__(self) -> str:
        return f"KnowledgeGraph({str(self.out_dir)!r})"

    @cached_property
    def dataset(self) -> Dataset:
        """The rdflib Dataset, one named graph per document (parsed from graph.trig once)."""
        return load_dataset(self.out_dir)

    @cached_property
    def store(self) -> ox.Store:
        """The Oxigraph store the queries run on (read-only)."""
        if not (self.out_dir / "graph.trig").is_file():
            write_rdf(self.dataset, self.out_dir)
        return open_store(self.out_dir)

    @cached_property
    def _view(self) -> nx.MultiDiGraph:
        return to_networkx(self.dataset)

    def query(self, sparql: str, **bindings: object) -> list[dict[str, Node]] | bool | Graph:
        """Run a read-only SPARQL query (union of document graphs as default graph).

        ``bindings`` are substituted as RDF terms (``kg.query("SELECT ?e WHERE {?e rdfs:label ?n}", n="厦门钨业")``;
        the variable must be projected).  SELECT gives one dict per row (unbound variables left out).
        """
        result = _query.execute(self.store, sparql, bindings)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            return [{n: to_rdflib(sol[n]) for n in names if sol[n] is not None} for sol in result]
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        for t in result:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return g

    def named(self, query_name: str, /, **params: object) -> list[dict[str, Node]] | bool | Graph:
        """Run a named query of graph/queries (``kg.named("entity_profile", name="市工信局")``)."""
        q = _query.get_named(query_name)
        return self.query(q.sparql, **_query.named_bindings(q, params))

    def entities(self, type: str | None = None) -> list[dict]:  # noqa: A002  (the contract's name)
        """Entities as dicts (iri, label, type, aliases, doc_count, documents, indicators), by label."""
        rows = [{"iri": n, **d} for n, d in self._view.nodes(data=True) if type is None or d["type"] == type]
        return sorted(rows, key=lambda r: (r["label"], r["iri"]))

    def relations(self, predicate: str | None = None) -> list[dict]:
        """Relations as dicts (subject, subject_label, predicate, object, object_label, confidence, evidence)."""
        G = self._view
        rows = [{"subject": u, "subject_label": G.nodes[u]["label"], "predicate": k, "object": v,
                 "object_label": G.nodes[v]["label"], "confidence": d["confidence"], "evidence": d["evidence"]}
                for u, v, k, d in G.edges(keys=True, data=True) if predicate is None or k == predicate]
        return sorted(rows, key=lambda r: (r["predicate"], r["subject_label"], r["object_label"]))

    def to_networkx(self) -> nx.MultiDiGraph:
        """The networkx view (a copy: changing it does not change this graph)."""
        return self._view.copy()

    def export(self, format: str, path: str | os.PathLike[str], **options: object) -> Path:  # noqa: A002
        """Write the graph as graphml, neo4j (bundle dir), cypher, csv (dir), html, jsonld, trig, nquads, turtle."""
        path = Path(path)
        if format in RDF_FORMATS:
            return atomic_write(path, serialize(self.dataset, format))
        from graph.export import EXPORTERS  # the one registry of writers (loaded only when asked)

        if format not in EXPORTERS:
            raise ValueError(f"unknown export format {format!r}; use one of "
                             f"{', '.join(sorted([*EXPORTERS, *RDF_FORMATS]))}")
        result = EXPORTERS[format](self.to_networkx(), path, **options)
        return Path(result) if isinstance(result, (str, os.PathLike)) else path

    def validate(self) -> ValidationReport:
        """SHACL validation of this graph (see graph.validate)."""
        return validate(self.dataset)


def load(out_dir: str | os.PathLike[str]) -> KnowledgeGraph:
    """Open a built graph: ``kg = graph.kg.load("out")``."""
    return KnowledgeGraph(out_dir)
