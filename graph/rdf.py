"""Corpus -> RDF: one named graph per document, every relation with its evidence.

Why one graph per document: a document can be re-extracted, replaced or pushed
to a triple store on its own (SPARQL Graph Store Protocol PUT of one graph), and
``GRAPH ?doc { … }`` answers "which document says so" without extra lookups.

IRIs (``base`` defaults to https://policykg.org/):

* ``{base}id/entity/<Entity.id>``   entities (``<Type>-<sha1 of type|normalised name>``)
* ``{base}id/doc/<Document.id>``    documents, also the IRI of the document's named graph
* ``{base}id/evidence/<sha1>``      one evidence node per occurrence of a statement or figure
* ``{base}id/indicator/<Indicator.id>``

Ontology terms always live under https://policykg.org/ontology# (``pkg:``), whatever the base:
the ontology file is fixed, only data IRIs move with ``base``.

Each named graph holds the document node, the type, canonical label and the aliases used in it of every
entity it names (``pkg:mentions``), each relation it states as a direct triple (``s pkg:leads o``)
plus an evidence node per occurrence, and its indicators.  Serialisations are deterministic: quads
are written sorted, so the same corpus gives byte-identical files.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import groupby
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from graph.model import ENTITY_TYPES, PREDICATES, Corpus, Document, Entity, Evidence, Indicator
from graph.resources import resource_dir

DEFAULT_BASE = "https://policykg.org/"
PKG = Namespace("https://policykg.org/ontology#")
ONTOLOGY_DIR = resource_dir("ontology")
ONTOLOGY_FILE = ONTOLOGY_DIR / "policykg.ttl"
CONTEXT_FILE = ONTOLOGY_DIR / "context.jsonld"

#: Prefixes bound on every dataset, so TriG/Turtle output is readable.
PREFIXES: dict[str, str] = {
    "pkg": str(PKG), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "skos": str(SKOS),
    "prov": str(PROV), "dcterms": str(DCTERMS), "owl": str(OWL),
}
ENTITY_CLASSES: frozenset[URIRef] = frozenset(PKG[t] for t in ENTITY_TYPES)
RELATION_PROPERTIES: frozenset[URIRef] = frozenset(PKG[p] for p in PREDICATES)


class Iris:
    """Mints the data IRIs of one base, so every module agrees on them."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"
        self.id = self.base + "id/"

    def entity(self, entity_id: str) -> URIRef:
        return URIRef(f"{self.id}entity/{entity_id}")

    def doc(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.id}doc/{doc_id}")

    def indicator(self, indicator_id: str) -> URIRef:
        return URIRef(f"{self.id}indicator/{indicator_id}")

    def evidence(self, *parts: object) -> URIRef:
        """Evidence IRIs hash what the evidence is about, so identical occurrences share one node."""
        key = "\x1f".join(str(p) for p in parts)
        return URIRef(f"{self.id}evidence/{hashlib.sha1(key.encode('utf-8')).hexdigest()[:20]}")


def decimal_literal(value: float) -> Literal:
    """xsd:decimal with a plain lexical form: str(1e20) would give '1e+20', which is not a decimal."""
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    text = format(Decimal(repr(float(value))), "f")
    return Literal(text, datatype=XSD.decimal)


def _date_literal(text: str) -> tuple[URIRef, Literal]:
    """Full ISO dates become dcterms:issued xsd:date; anything else keeps its written form."""
    try:
        day = _dt.date.fromisoformat(text.strip())
    except ValueError:
        return PKG.dateText, Literal(text)
    return DCTERMS.issued, Literal(day.isoformat(), datatype=XSD.date)


def _doc_triples(doc: Document, iri: URIRef) -> Iterator[tuple[Node, Node, Node]]:
    yield iri, RDF.type, PKG.Document
    yield iri, PKG.fileName, Literal(doc.name)
    yield iri, PKG.contentHash, Literal(doc.id)
    if doc.title:
        yield iri, DCTERMS.title, Literal(doc.title)
    if doc.issuer:
        yield iri, DCTERMS.publisher, Literal(doc.issuer)
    if doc.number:
        yield iri, DCTERMS.identifier, Literal(doc.number)
    if doc.index_no:
        yield iri, PKG.indexNumber, Literal(doc.index_no)
    if doc.date:
        yield (iri, *_date_literal(doc.date))


def _entity_triples(ent: Entity, iri: URIRef, aliases: Iterable[str]) -> Iterator[tuple[Node, Node, Node]]:
    if ent.type not in ENTITY_TYPES:
        raise ValueError(f"entity {ent.name!r} has unknown type {ent.type!r}")
    yield iri, RDF.type, PKG[ent.type]
    yield iri, RDFS.label, Literal(ent.name)
    for alias in aliases:
        if alias != ent.name:
            yield iri, SKOS.altLabel, Literal(alias)


def _evidence_triples(ev: Evidence, iri: URIRef, doc_iri: URIRef) -> Iterator[tuple[Node, Node, Node]]:
    yield iri, RDF.type, PKG.Evidence
    yield iri, PROV.wasDerivedFrom, doc_iri
    yield iri, PKG.sentence, Literal(ev.sentence)
    yield iri, PKG.start, Literal(int(ev.start), datatype=XSD.integer)
    yield iri, PKG.end, Literal(int(ev.end), datatype=XSD.integer)
    yield iri, PKG.trigger, Literal(ev.trigger)
    yield iri, PKG.extractor, Literal(ev.extractor)
    yield iri, PKG.confidence, decimal_literal(round(ev.confidence, 6))


def _indicator_triples(ind: Indicator, iris: Iris, doc_iri: URIRef) -> Iterator[tuple[Node, Node, Node]]:
    iri = iris.indicator(ind.id)
    yield iri, RDF.type, PKG.Indicator
    yield iri, PKG.measure, Literal(ind.measure)
    yield iri, PKG.value, decimal_literal(ind.value)
    yield iri, PKG.unit, Literal(ind.unit)
    yield iri, PKG.raw, Literal(ind.raw)
    yield iri, PROV.wasDerivedFrom, doc_iri
    if ind.scale:
        yield iri, PKG.scale, Literal(ind.scale)
    if ind.period:
        yield iri, PKG.period, Literal(ind.period)
    if ind.subject:
        yield iri, PKG.about, iris.entity(ind.subject)
    if ind.evidence is not None:
        ev_iri = iris.evidence("indicator", ind.id)
        yield iri, PKG.evidence, ev_iri
        yield from _evidence_triples(ind.evidence, ev_iri, doc_iri)


Quad = tuple[Node, Node, Node, "URIRef | None"]  # graph None: the default graph


def corpus_to_dataset(corpus: Corpus, base: str = DEFAULT_BASE) -> Dataset:
    """Build the RDF dataset of a resolved corpus: one named graph per document (graph IRI = doc IRI)."""
    ds = new_dataset()
    default = ds.default_graph.identifier
    ds.addN((s, p, o, ds.graph(g if g is not None else default)) for s, p, o, g in corpus_quads(corpus, base))
    return ds


def corpus_quads(corpus: Corpus, base: str = DEFAULT_BASE) -> list[Quad]:
    """The quads of ``corpus_to_dataset``, sorted, without an rdflib store.

    A build writes its files and its networkx view straight from these: rdflib's memory store
    costs ~1.5 KB and ~50 µs per quad, which a corpus of thousands of documents feels.
    """
    iris = Iris(base)
    # Entity.id hashes the name on every call: compute each once (it is needed per document).
    ids = [(e.id, e) for e in corpus.entities]
    entities = dict(ids)
    docs = {d.id: d for d in corpus.documents}
    quads: set[tuple[Node, Node, Node, URIRef | None]] = set()

    named: dict[str, set[str]] = defaultdict(set)  # doc id -> entity ids the document names
    for ent_id, ent in ids:
        for doc_id in ent.doc_ids:
            named[doc_id].add(ent_id)
    for rel in corpus.relations:
        for ev in rel.evidence:
            named[ev.doc_id].update((rel.subject, rel.object))
    for ind in corpus.indicators:
        if ind.subject:
            named[ind.doc_id].add(ind.subject)

    for doc_id in sorted(set(docs) | set(named)):
        g = iris.doc(doc_id)
        if doc_id in docs:
            quads.update((*t, g) for t in _doc_triples(docs[doc_id], g))
        else:  # evidence points at a document the corpus does not list: keep the statement, typed
            quads.add((g, RDF.type, PKG.Document, g))

    # Aliases go to the graphs of the documents whose text uses them; an alias no text contains
    # (e.g. from the gazetteer) goes to every graph of its entity, so none is lost.
    naming: dict[str, list[str]] = defaultdict(list)  # entity id -> documents naming it
    for doc_id in sorted(named):
        for ent_id in named[doc_id]:
            naming[ent_id].append(doc_id)
    for ent_id in sorted(naming):
        ent = entities.get(ent_id)
        if ent is None:
            raise ValueError(f"relation or indicator refers to unknown entity {ent_id!r}")
        in_docs = naming[ent_id]
        used = {a: {d for d in in_docs if d in docs and a in docs[d].text} for a in ent.aliases}
        for doc_id in in_docs:
            g = iris.doc(doc_id)
            aliases = [a for a, where in used.items() if doc_id in where or not where]
            quads.update((*t, g) for t in _entity_triples(ent, iris.entity(ent_id), aliases))
            quads.add((g, PKG.mentions, iris.entity(ent_id), g))

    for ent_id, ent in ids:  # named by no document: keep them, in the default graph
        if ent_id not in naming:
            quads.update((*t, None) for t in _entity_triples(ent, iris.entity(ent_id), ent.aliases))

    for rel in corpus.relations:
        if rel.predicate not in PREDICATES:
            raise ValueError(f"unknown predicate {rel.predicate!r}")
        s, p, o = iris.entity(rel.subject), PKG[rel.predicate], iris.entity(rel.object)
        if not rel.evidence:  # left in the default graph so validation reports it
            quads.add((s, p, o, None))
        for ev in rel.evidence:
            g = iris.doc(ev.doc_id)
            ev_iri = iris.evidence(ev.doc_id, s, p, o, ev.start, ev.end, ev.trigger, ev.extractor)
            quads.add((s, p, o, g))
            quads.update((*t, g) for t in ((ev_iri, PKG.subject, s), (ev_iri, PKG.predicate, p),
                                           (ev_iri, PKG.object, o)))
            quads.update((*t, g) for t in _evidence_triples(ev, ev_iri, g))

    for ind in corpus.indicators:
        g = iris.doc(ind.doc_id)
        quads.update((*t, g) for t in _indicator_triples(ind, iris, g))

    return sorted(quads, key=_quad_key)


def new_dataset() -> Dataset:
    """An rdflib Dataset with the project prefixes bound."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    return ds


def _term_key(t: Node | None) -> tuple[int, str, str, str]:
    """A total order on terms (kind, text, datatype, language); cheaper than n3(), which escapes."""
    if t is None:
        return (0, "", "", "")
    if isinstance(t, Literal):
        return (3, str(t), str(t.datatype or ""), t.language or "")
    return (2 if isinstance(t, BNode) else 1, str(t), "", "")


def _quad_key(q: tuple) -> tuple[tuple[int, str, str, str], ...]:
    """Graph, subject, predicate, object: serialisers group a run of one subject into one block."""
    return (_term_key(q[3]), _term_key(q[0]), _term_key(q[1]), _term_key(q[2]))


def load_dataset(path: str | os.PathLike[str]) -> Dataset:
    """Read graph.trig (or an OUT folder holding it) back into an rdflib Dataset."""
    path = Path(path)
    if path.is_dir():
        path = path / "graph.trig"
    ds = new_dataset()
    ds.parse(path, format="trig")
    return ds


# ----------------------------------------------------------------- writers

def union_graph(ds: Dataset) -> Graph:
    """All triples of all graphs in one graph, for tools that do not know named graphs."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _ox(term: Node) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    return pyoxigraph.NamedNode(str(term))


def _sorted_quads(ds: Dataset) -> list[Quad]:
    """The dataset's quads (default graph as None) in graph, subject, predicate, object order."""
    default = ds.default_graph.identifier
    quads = {(s, p, o, None if g == default else g) for s, p, o, g in ds.quads((None, None, None, None))}
    return sorted(quads, key=_quad_key)


def _ox_quads(quads: list[Quad]) -> list[pyoxigraph.Quad]:
    """rdflib quads as Oxigraph quads: Oxigraph's writers are ~20x faster than rdflib's on a large graph."""
    cache: dict[Node, object] = {}  # IRIs repeat across quads: convert each once

    def term(t: Node) -> object:
        ox = cache.get(t)
        if ox is None:
            ox = cache[t] = _ox(t)
        return ox

    default = pyoxigraph.DefaultGraph()
    return [pyoxigraph.Quad(term(s), term(p), term(o), default if g is None else term(g))
            for s, p, o, g in quads]


def _nquads(quads: list[pyoxigraph.Quad]) -> bytes:
    """N-Quads in graph, subject, predicate, object order: the same dataset gives the same bytes."""
    return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS)


def _trig(quads: list[pyoxigraph.Quad]) -> bytes:
    """TriG, one block per graph (default graph first, then graphs in IRI order), prefixes bound."""
    return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.TRIG, prefixes=PREFIXES)


def _turtle(quads: list[pyoxigraph.Quad]) -> bytes:
    """The union of all graphs as Turtle: each triple once, in subject, predicate, object order."""
    triples = dict.fromkeys(q.triple for q in quads)  # keeps the first (sorted) occurrence
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), _ox_key(t.object)))
    return pyoxigraph.serialize(ordered, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)


def _ox_key(t: object) -> tuple[int, str, str, str]:
    if isinstance(t, pyoxigraph.Literal):
        return (3, t.value, t.datatype.value, t.language or "")
    return (2 if isinstance(t, pyoxigraph.BlankNode) else 1, str(t), "", "")


def _sorted_json(value: object) -> object:
    """JSON-LD with every array sorted: RDF values are unordered (we write no @list), files stay stable."""
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def atomic_write(path: Path, data: str | bytes) -> Path:
    """Write text (or UTF-8 bytes) beside the target and rename it into place: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if isinstance(data, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes the file private; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _context() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))


RDF_FORMATS = ("trig", "nquads", "turtle", "jsonld")


def _jsonld(quads: list[Quad]) -> str:
    """Compact JSON-LD with the shipped context, every array sorted so store order does not matter.

    The context holds prefixes only, so compaction is turning IRIs into CURIEs: done here in one
    pass over the sorted quads (rdflib's JSON-LD writer took most of a 10,000-document build).
    """
    context = _context()["@context"]
    prefixes = sorted(((v, k) for k, v in context.items() if isinstance(v, str)), key=lambda x: -len(x[0]))

    def curie(iri: str) -> str:
        for ns, prefix in prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def ref(term: Node) -> str:
        return f"_:{term}" if isinstance(term, BNode) else curie(str(term))

    def value(term: Node) -> object:
        if not isinstance(term, Literal):
            return {"@id": ref(term)}
        if term.language:
            return {"@value": str(term), "@language": term.language}
        if term.datatype is None or term.datatype == XSD.string:
            return str(term)
        return {"@value": str(term), "@type": curie(str(term.datatype))}

    items: list[object] = []
    for graph, group in groupby(quads, key=lambda q: q[3]):
        nodes: dict[Node, dict[str, list]] = {}
        for s_, p_, o_, _ in group:
            node = nodes.setdefault(s_, {})
            if p_ == RDF.type and not isinstance(o_, Literal):
                node.setdefault("@type", []).append(ref(o_))
            else:
                node.setdefault(curie(str(p_)), []).append(value(o_))
        objs = [{"@id": ref(n), **props} for n, props in nodes.items()]
        if graph is None:
            items.extend(objs)
        else:
            items.append({"@id": ref(graph), "@graph": objs})
    data = {"@context": context, "@graph": items}
    return json.dumps(_sorted_json(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def serialize(ds: Dataset, fmt: str) -> str:
    """Deterministic text of a dataset: trig, nquads, turtle (union of all graphs) or jsonld."""
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}; use one of {', '.join(RDF_FORMATS)}")
    quads = _sorted_quads(ds)
    if fmt == "jsonld":
        return _jsonld(quads)
    writer = {"nquads": _nquads, "trig": _trig, "turtle": _turtle}[fmt]
    return writer(_ox_quads(quads)).decode("utf-8")


def write_rdf(ds: Dataset, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write graph.trig, graph.nq, graph.ttl (union), graph.jsonld and context.jsonld, each atomically."""
    return write_quads(_sorted_quads(ds), out_dir)


def write_quads(quads: list[Quad], out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """``write_rdf`` from sorted quads (``corpus_quads``), without an rdflib store."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ox_quads = _ox_quads(quads)
    written = {
        "trig": atomic_write(out / "graph.trig", _trig(ox_quads)),
        "nq": atomic_write(out / "graph.nq", _nquads(ox_quads)),
        "ttl": atomic_write(out / "graph.ttl", _turtle(ox_quads)),
    }
    del ox_quads
    written["jsonld"] = atomic_write(out / "graph.jsonld", _jsonld(quads))
    tmp = out / ".context.jsonld.tmp"
    shutil.copyfile(CONTEXT_FILE, tmp)
    os.replace(tmp, out / "context.jsonld")
    written["context"] = out / "context.jsonld"
    return written
