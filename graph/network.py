"""RDF dataset -> networkx MultiDiGraph, the view every export and the explorer page read.

Derived from the RDF (one pass over the quads), never from the Corpus, so a graph
loaded back from graph.trig gives the same view as a fresh build.

Contract (see notes/CONTEXT.md):

* nodes: one per entity, key = entity IRI; attributes ``label``, ``type`` (class local name),
  ``aliases`` (sorted), ``doc_count``, ``documents`` (list of ``{id, title, name}``; title is ""
  when the document has none) and ``indicators``.
* indicators go to the node of the entity they are about (``pkg:about``), as
  ``{measure, value, unit, raw, period}`` dicts (``value`` a float, ``period`` "" when unknown),
  sorted by period, measure and raw figure.  Indicators about no entity stay in the RDF only
  (see the ``place_indicators`` query); the view has no node for them.
* edges: u = subject IRI, v = object IRI, key = predicate local name; attributes ``predicate``,
  ``confidence`` (1 - prod(1 - c) over the evidence, like ``Relation.confidence``) and ``evidence``
  (list of ``{doc, doc_title, sentence, start, end, trigger, extractor, confidence}``, ``doc`` = file
  name), sorted by document, offset and trigger.  A relation stated in several documents is one edge.
* documents themselves are not nodes; ``G.graph["base"]`` is the data base IRI.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

import networkx as nx
from rdflib import Dataset, Literal, URIRef
from rdflib.term import Node
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from graph.rdf import DEFAULT_BASE, ENTITY_CLASSES, PKG, RELATION_PROPERTIES


def local_name(iri: str) -> str:
    """The part after # or the last /: pkg:leads -> leads."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _num(lit: object) -> float:
    return float(Decimal(str(lit)))


def to_networkx(ds: Dataset | Iterable[tuple[Node, Node, Node, Node | None]],
                base: str | None = None) -> nx.MultiDiGraph:
    """Build the networkx view of a dataset (or of its quads, as ``rdf.corpus_quads`` gives them).

    ``base`` is inferred from entity IRIs when not given.
    """
    types: dict[URIRef, URIRef] = {}
    labels: dict[URIRef, set[str]] = defaultdict(set)
    aliases: dict[URIRef, set[str]] = defaultdict(set)
    mentioned_by: dict[URIRef, set[URIRef]] = defaultdict(set)
    props: dict[URIRef, dict[URIRef, object]] = defaultdict(dict)  # docs, evidence and indicator nodes
    relations: set[tuple[URIRef, URIRef, URIRef]] = set()
    doc_nodes: set[URIRef] = set()

    quads = ds.quads((None, None, None, None)) if isinstance(ds, Dataset) else ds
    for s, p, o, _ in quads:
        if p == RDF.type:
            if o in ENTITY_CLASSES:
                types[s] = o
            elif o == PKG.Document:
                doc_nodes.add(s)
        elif p == RDFS.label:
            labels[s].add(str(o))
        elif p == SKOS.altLabel:
            aliases[s].add(str(o))
        elif p == PKG.mentions:
            mentioned_by[o].add(s)
        elif p in RELATION_PROPERTIES:
            relations.add((s, p, o))
        else:  # two values (one evidence node stated twice with different confidence): keep the
            # larger, so the view does not depend on the order the quads come in
            d = props[s]
            d[p] = o if p not in d or str(o) > str(d[p]) else d[p]

    def doc_info(doc: URIRef) -> dict[str, str]:
        d = props.get(doc, {})
        return {"id": str(d.get(PKG.contentHash, local_name(doc))), "title": str(d.get(DCTERMS.title, "")),
                "name": str(d.get(PKG.fileName, ""))}

    docs = {d: doc_info(d) for d in doc_nodes}
    evidence: dict[tuple[URIRef, URIRef, URIRef], list[dict]] = defaultdict(list)
    indicators: dict[URIRef, list[dict]] = defaultdict(list)
    for node, d in props.items():
        if PKG.predicate in d:
            doc = docs.get(d.get(PROV.wasDerivedFrom), {"name": "", "title": ""})
            evidence[(d[PKG.subject], d[PKG.predicate], d[PKG.object])].append({
                "doc": doc["name"], "doc_title": doc["title"], "sentence": str(d.get(PKG.sentence, "")),
                "start": int(d[PKG.start]), "end": int(d[PKG.end]), "trigger": str(d.get(PKG.trigger, "")),
                "extractor": str(d.get(PKG.extractor, "")), "confidence": _num(d[PKG.confidence]),
            })
        if PKG.measure in d and PKG.about in d:
            indicators[d[PKG.about]].append({
                "measure": str(d[PKG.measure]), "value": _num(d[PKG.value]), "unit": str(d.get(PKG.unit, "")),
                "raw": str(d.get(PKG.raw, "")), "period": str(d.get(PKG.period, "")),
            })

    if base is None:
        sample = min(types, default=None)
        base = str(sample).split("id/entity/", 1)[0] if sample and "id/entity/" in sample else DEFAULT_BASE
    G = nx.MultiDiGraph(base=base)
    for ent in sorted(types):
        in_docs = sorted((docs[d] for d in mentioned_by.get(ent, ()) if d in docs), key=lambda x: (x["name"], x["id"]))
        label = min(labels.get(ent, {local_name(ent)}))
        G.add_node(str(ent), label=label, type=local_name(types[ent]),
                   aliases=sorted(aliases.get(ent, set()) - {label}), doc_count=len(in_docs),
                   documents=in_docs,
                   indicators=sorted(indicators.get(ent, []), key=lambda i: (i["period"], i["measure"], i["raw"])))
    for s, p, o in sorted(relations):
        if s not in types or o not in types:
            continue  # a relation to an untyped node is a validation error, not a node of the view
        evs = sorted(evidence.get((s, p, o), []), key=lambda e: (e["doc"], e["start"], e["end"], e["trigger"],
                                                                 e["extractor"]))
        miss = 1.0
        for ev in evs:
            miss *= 1.0 - ev["confidence"]
        name = local_name(p)
        G.add_edge(str(s), str(o), key=name, predicate=name, confidence=round(1.0 - miss, 4), evidence=evs)
    return G
