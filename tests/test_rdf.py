"""corpus_to_dataset, write_rdf and the networkx view, on a hand-built corpus with real names."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from graph.model import ENTITY_TYPES, ORGANIZATION_TYPES, PREDICATES, entity_id
from graph.network import to_networkx
from graph.rdf import ONTOLOGY_FILE, PKG, Iris, corpus_to_dataset, load_dataset, write_rdf
from kg_sample import NOTICE, ODD_NAME, REPLY, sample_corpus

REPO = Path(__file__).resolve().parents[1]
IRIS = Iris()
XMTU = IRIS.entity(entity_id("厦门钨业", "Enterprise"))
CONSORTIUM = IRIS.entity(entity_id("创新联合体", "Policy"))
CITY = IRIS.entity(entity_id("厦门市", "Place"))


@pytest.fixture(scope="module")
def corpus():
    return sample_corpus()


@pytest.fixture(scope="module")
def ds(corpus):
    return corpus_to_dataset(corpus)


def test_ontology_declares_every_schema_term():
    ont = Graph().parse(ONTOLOGY_FILE)
    for t in ENTITY_TYPES + ("Entity", "Organization", "Document", "Evidence", "Indicator"):
        assert (PKG[t], RDF.type, OWL.Class) in ont, t
        langs = {lbl.language for lbl in ont.objects(PKG[t], RDFS.label)}
        assert {"zh", "en"} <= langs, t
        assert (PKG[t], RDFS.comment, None) in ont
    for t in ORGANIZATION_TYPES:
        assert (PKG[t], RDFS.subClassOf, PKG.Organization) in ont
    for p in PREDICATES + ("mentions",):
        assert (PKG[p], RDF.type, OWL.ObjectProperty) in ont, p
        assert (PKG[p], RDFS.domain, None) in ont and (PKG[p], RDFS.range, None) in ont
    assert (PKG.cooperatesWith, RDF.type, OWL.SymmetricProperty) in ont
    assert (PKG.leads, RDF.type, OWL.SymmetricProperty) not in ont


def test_one_named_graph_per_document(ds, corpus):
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert graphs == {str(IRIS.doc(d.id)) for d in corpus.documents}
    reply = ds.graph(IRIS.doc(corpus.documents[0].id))
    doc = IRIS.doc(corpus.documents[0].id)
    assert (doc, RDF.type, PKG.Document) in reply
    assert reply.value(doc, DCTERMS.title) == Literal("关于市政协十四届三次会议第1234号提案的答复")
    assert reply.value(doc, DCTERMS.publisher) == Literal("厦门市工业和信息化局")
    assert reply.value(doc, DCTERMS.identifier) == Literal("厦工信函〔2025〕12号")
    assert reply.value(doc, DCTERMS.issued) == Literal("2025-06-30", datatype=XSD.date)
    assert reply.value(doc, PKG.fileName) == Literal("关于市政协提案的答复.txt")
    # a partial date is kept as written instead of becoming an invalid xsd:date
    notice = IRIS.doc(corpus.documents[1].id)
    assert ds.graph(notice).value(notice, DCTERMS.issued) is None
    assert ds.graph(notice).value(notice, PKG.dateText) == Literal("2025年6月")


def test_relation_is_direct_triple_with_evidence_per_occurrence(ds, corpus):
    reply_iri, notice_iri = (IRIS.doc(d.id) for d in corpus.documents)
    for g in (reply_iri, notice_iri):
        assert (XMTU, PKG.leads, CONSORTIUM) in ds.graph(g)
    evidence = [(ev, g) for ev, _, _, g in ds.quads((None, PKG.predicate, PKG.leads, None))
                if (ev, PKG.subject, XMTU, g) in ds]
    assert len(evidence) == 2 and {g for _, g in evidence} == {reply_iri, notice_iri}
    ev = next(ev for ev, g in evidence if g == reply_iri)
    assert (ev, PROV.wasDerivedFrom, reply_iri, reply_iri) in ds
    graph = ds.graph(reply_iri)
    assert graph.value(ev, PKG.object) == CONSORTIUM
    assert str(graph.value(ev, PKG.sentence)).startswith("厦门钨业、盈趣科技等9家龙头企业牵头组建创新联合体")
    start, end = graph.value(ev, PKG.start), graph.value(ev, PKG.end)
    assert start.datatype == XSD.integer and REPLY[int(start):int(end)] == str(graph.value(ev, PKG.sentence))
    assert graph.value(ev, PKG.trigger) == Literal("牵头组建")
    assert graph.value(ev, PKG.extractor) == Literal("enum_subject_trigger")
    assert graph.value(ev, PKG.confidence) == Literal("0.8", datatype=XSD.decimal)


def test_entities_labels_aliases_and_mentions(ds, corpus):
    reply_iri, notice_iri = (IRIS.doc(d.id) for d in corpus.documents)
    for g in (reply_iri, notice_iri):
        graph = ds.graph(g)
        assert (g, PKG.mentions, XMTU) in graph
        assert set(graph.objects(XMTU, RDF.type)) == {PKG.Enterprise}
        assert set(graph.objects(XMTU, RDFS.label)) == {Literal("厦门钨业")}
    # the alias goes only where it is used: 全市 is in the reply; 我市 is in no text, so it is kept everywhere
    city = set(ds.graph(reply_iri).objects(CITY, SKOS.altLabel))
    assert city == {Literal("全市"), Literal("我市")}
    pboc = IRIS.entity(entity_id("中国人民银行厦门市分行", "GovernmentAgency"))
    assert set(ds.graph(notice_iri).objects(pboc, SKOS.altLabel)) == {Literal("人行厦门市分行")}
    assert "人行厦门市分行" in NOTICE


def test_indicator_node(ds, corpus):
    reply_iri = IRIS.doc(corpus.documents[0].id)
    graph = ds.graph(reply_iri)
    ind = IRIS.indicator(corpus.indicators[0].id)
    assert (ind, RDF.type, PKG.Indicator) in graph
    assert graph.value(ind, PKG.value) == Literal("132850000000.0", datatype=XSD.decimal)
    assert Decimal(str(graph.value(ind, PKG.value))) == Decimal("132850000000")
    assert graph.value(ind, PKG.raw) == Literal("1328.50亿元")
    assert graph.value(ind, PKG.unit) == Literal("元")
    assert graph.value(ind, PKG.period) == Literal("截至2024年末")
    assert graph.value(ind, PKG.about) == CITY
    ev = graph.value(ind, PKG.evidence)
    assert graph.value(ev, PKG.sentence) == Literal("截至2024年末，全市科技型企业贷款余额1328.50亿元。")


def test_base_moves_data_iris_only(corpus):
    ds = corpus_to_dataset(corpus, base="http://example.org/kg")
    subjects = {str(s) for s, _, _, _ in ds.quads((None, RDF.type, PKG.Enterprise, None))}
    assert subjects and all(s.startswith("http://example.org/kg/id/entity/Enterprise-") for s in subjects)
    assert to_networkx(ds).graph["base"] == "http://example.org/kg/"


def test_unknown_type_or_entity_is_refused(corpus):
    from dataclasses import replace
    bad = replace(corpus, entities=corpus.entities[1:])  # 厦门钨业 dropped, its relations remain
    with pytest.raises(ValueError, match="unknown entity"):
        corpus_to_dataset(bad)


def test_write_rdf_round_trips_in_every_format(ds, tmp_path):
    paths = write_rdf(ds, tmp_path)
    assert set(paths) == {"trig", "nq", "ttl", "jsonld", "context"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temp files left behind"
    n = len(set(ds.quads((None, None, None, None))))
    back = load_dataset(tmp_path)
    assert len(set(back.quads((None, None, None, None)))) == n
    assert back.graph(IRIS.doc(sample_corpus().documents[1].id)).value(
        IRIS.entity(entity_id(ODD_NAME, "Lab")), RDFS.label) == Literal(ODD_NAME)
    nq = Graph().parse(paths["ttl"])
    assert (XMTU, PKG.leads, CONSORTIUM) in nq
    # An independent parser (Oxigraph) reads the same number of quads from TriG, N-Quads and JSON-LD.
    for key, fmt in (("trig", pyoxigraph.RdfFormat.TRIG), ("nq", pyoxigraph.RdfFormat.N_QUADS),
                     ("jsonld", pyoxigraph.RdfFormat.JSON_LD)):
        quads = list(pyoxigraph.parse(path=str(paths[key]), format=fmt))
        assert len(set(quads)) == n, key
    doc = json.loads(paths["jsonld"].read_text(encoding="utf-8"))
    assert doc["@context"]["pkg"] == str(PKG)
    assert json.loads(paths["context"].read_text(encoding="utf-8"))["@context"]["pkg"] == str(PKG)


def test_serialisation_is_byte_identical_across_processes(tmp_path):
    """Hash seeds change set and dict order between processes; output must not depend on them."""
    script = ("import sys; sys.path.insert(0, 'tests'); from kg_sample import sample_corpus;"
              "from graph.rdf import corpus_to_dataset, write_rdf;"
              "write_rdf(corpus_to_dataset(sample_corpus()), sys.argv[1])")
    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-c", script, str(tmp_path / seed)], cwd=REPO, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
    for name in ("graph.trig", "graph.nq", "graph.ttl", "graph.jsonld"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name


def test_networkx_view_contract(ds, corpus):
    G = to_networkx(ds)
    assert G.graph["base"] == "https://policykg.org/"
    assert G.number_of_nodes() == len(corpus.entities)
    node = G.nodes[str(XMTU)]
    assert node["label"] == "厦门钨业" and node["type"] == "Enterprise"
    assert node["aliases"] == ["厦门钨业股份有限公司"]
    assert node["doc_count"] == 2
    assert {d["name"] for d in node["documents"]} == {"关于市政协提案的答复.txt", "notice.html"}
    assert {d["id"] for d in node["documents"]} == {d.id for d in corpus.documents}
    city = G.nodes[str(CITY)]
    assert city["indicators"] == [{"measure": "科技型企业贷款余额", "value": 132850000000.0, "unit": "元",
                                   "raw": "1328.50亿元", "period": "截至2024年末"}]
    assert node["indicators"] == []

    edges = G.get_edge_data(str(XMTU), str(CONSORTIUM))
    assert set(edges) == {"leads"}
    leads = edges["leads"]
    assert leads["predicate"] == "leads"
    assert leads["confidence"] == pytest.approx(1 - 0.2 * 0.1)
    assert [e["doc"] for e in leads["evidence"]] == ["notice.html", "关于市政协提案的答复.txt"]
    ev = leads["evidence"][1]
    assert ev["doc_title"] == "关于市政协十四届三次会议第1234号提案的答复"
    assert REPLY[ev["start"]:ev["end"]] == ev["sentence"]
    assert (ev["trigger"], ev["extractor"], ev["confidence"]) == ("牵头组建", "enum_subject_trigger", 0.8)
    assert G.number_of_edges() == len(corpus.relations)
    odd = G.nodes[str(IRIS.entity(entity_id(ODD_NAME, "Lab")))]
    assert odd["label"] == ODD_NAME


def test_networkx_view_is_the_same_from_files(ds, tmp_path):
    write_rdf(ds, tmp_path)
    fresh, loaded = to_networkx(ds), to_networkx(load_dataset(tmp_path))
    assert dict(fresh.nodes(data=True)) == dict(loaded.nodes(data=True))
    assert list(fresh.edges(keys=True, data=True)) == list(loaded.edges(keys=True, data=True))


def test_jsonld_holds_the_same_quads_as_nquads(tmp_path):
    """Our own compaction (prefix context) must lose nothing: rdflib reads back every quad."""
    paths = write_rdf(corpus_to_dataset(sample_corpus()), tmp_path)
    a, b = Dataset(), Dataset()
    a.parse(paths["jsonld"], format="json-ld")
    b.parse(paths["nq"], format="nquads")
    assert set(a.quads((None, None, None, None))) == set(b.quads((None, None, None, None)))
