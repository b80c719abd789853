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
from pathlib import Path

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from graph.model import ENTITY_TYPES, PREDICATES, Corpus, Document, Entity, Evidence, Indicator

DEFAULT_BASE = "https://policykg.org/"
PKG = Namespace("https://policykg.org/ontology#")
ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
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


def corpus_to_dataset(corpus: Corpus, base: str = DEFAULT_BASE) -> Dataset:
    """Build the RDF dataset of a resolved corpus: one named graph per document (graph IRI = doc IRI)."""
    iris = Iris(base)
    entities = {e.id: e for e in corpus.entities}
    docs = {d.id: d for d in corpus.documents}
    quads: set[tuple[Node, Node, Node, URIRef | None]] = set()

    named: dict[str, set[str]] = defaultdict(set)  # doc id -> entity ids the document names
    for ent in corpus.entities:
        for doc_id in ent.doc_ids:
            named[doc_id].add(ent.id)
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
    for ent_id in sorted({e for ids in named.values() for e in ids}):
        ent = entities.get(ent_id)
        if ent is None:
            raise ValueError(f"relation or indicator refers to unknown entity {ent_id!r}")
        in_docs = sorted(d for d, ids in named.items() if ent_id in ids)
        used = {a: [d for d in in_docs if d in docs and a in docs[d].text] for a in ent.aliases}
        for doc_id in in_docs:
            g = iris.doc(doc_id)
            aliases = [a for a, where in used.items() if doc_id in where or not where]
            quads.update((*t, g) for t in _entity_triples(ent, iris.entity(ent_id), aliases))
            quads.add((g, PKG.mentions, iris.entity(ent_id), g))

    for ent in corpus.entities:  # named by no document: keep them, in the default graph
        if not any(ent.id in ids for ids in named.values()):
            quads.update((*t, None) for t in _entity_triples(ent, iris.entity(ent.id), ent.aliases))

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

    ds = new_dataset()
    for s, p, o, g in sorted(quads, key=_quad_key):
        ds.add((s, p, o, g if g is not None else ds.default_graph.identifier))
    return ds


def new_dataset() -> Dataset:
    """An rdflib Dataset with the project prefixes bound."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True, replace=True)
    return ds


def _quad_key(q: tuple) -> tuple[str, ...]:
    return tuple("" if t is None else t.n3() for t in (q[3], q[0], q[1], q[2]))


def load_dataset(path: str | os.PathLike[str]) -> Dataset:
    """Read graph.trig (or an OUT folder holding it) back into an rdflib Dataset."""
    path = Path(path)
    if path.is_dir():
        path = path / "graph.trig"
    ds = new_dataset()
    ds.parse(path, format="trig")
    return ds


# ----------------------------------------------------------------- writers

def named_graphs(ds: Dataset) -> list[URIRef]:
    """IRIs of the dataset's non-empty named graphs, sorted."""
    default = ds.default_graph.identifier
    return sorted({URIRef(g.identifier) for g in ds.graphs()
                   if g.identifier != default and isinstance(g.identifier, URIRef) and len(g)})


def union_graph(ds: Dataset) -> Graph:
    """All triples of all graphs in one graph, for tools that do not know named graphs."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _nquads(ds: Dataset) -> str:
    """rdflib's N-Quads lines, sorted: its writer follows store (hash) order, sorting makes files byte-stable."""
    lines = ds.serialize(format="nquads").splitlines(keepends=True)
    return "".join(sorted(set(line for line in lines if line.strip())))


def _trig(ds: Dataset) -> str:
    """TriG with graphs in IRI order: rdflib orders graphs by store hash order, which changes per process.

    Each graph body is rdflib's Turtle (subjects and predicates sorted); bodies are not indented
    because an indent would change multi-line literals.
    """
    out = ["".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))]
    bodies = [("", ds.default_graph)] + [(iri.n3(), ds.graph(iri)) for iri in named_graphs(ds)]
    for name, graph in bodies:
        text = graph.serialize(format="turtle")
        body = "\n".join(line for line in text.split("\n") if not line.startswith("@prefix")).strip("\n")
        if body:
            out.append(f"\n{name + ' ' if name else ''}{{\n{body}\n}}\n")
    return "".join(out)


def _sorted_json(value: object) -> object:
    """JSON-LD with every array sorted: RDF values are unordered (we write no @list), files stay stable."""
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


def atomic_write(path: Path, data: str) -> Path:
    """Write text beside the target and rename it into place: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _context() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))


RDF_FORMATS = ("trig", "nquads", "turtle", "jsonld")


def _canonical(ds: Dataset) -> tuple[str, Dataset]:
    """Sorted N-Quads and a dataset re-read from them, so every serialiser sees the same store order."""
    nq = _nquads(ds)
    canon = new_dataset()
    canon.parse(data=nq, format="nquads")
    return nq, canon


def _jsonld(canon: Dataset) -> str:
    data = canon.serialize(format="json-ld", context=_context()["@context"], auto_compact=True)
    return json.dumps(_sorted_json(json.loads(data)), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def serialize(ds: Dataset, fmt: str) -> str:
    """Deterministic text of a dataset: trig, nquads, turtle (union of all graphs) or jsonld."""
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}; use one of {', '.join(RDF_FORMATS)}")
    nq, canon = _canonical(ds)
    if fmt == "nquads":
        return nq
    if fmt == "trig":
        return _trig(canon)
    if fmt == "turtle":
        return union_graph(canon).serialize(format="turtle")
    return _jsonld(canon)


def write_rdf(ds: Dataset, out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Write graph.trig, graph.nq, graph.ttl (union), graph.jsonld and context.jsonld, each atomically."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nq, canon = _canonical(ds)
    written = {
        "trig": atomic_write(out / "graph.trig", _trig(canon)),
        "nq": atomic_write(out / "graph.nq", nq),
        "ttl": atomic_write(out / "graph.ttl", union_graph(canon).serialize(format="turtle")),
        "jsonld": atomic_write(out / "graph.jsonld", _jsonld(canon)),
    }
    tmp = out / ".context.jsonld.tmp"
    shutil.copyfile(CONTEXT_FILE, tmp)
    os.replace(tmp, out / "context.jsonld")
    written["context"] = out / "context.jsonld"
    return written
