"""SHACL validation: a good graph conforms; graphs broken on purpose report each violation readably."""
from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from graph.model import entity_id
from graph.rdf import PKG, Iris, corpus_to_dataset, write_rdf
from graph.validate import validate
from kg_sample import sample_corpus

IRIS = Iris()
XMTU = IRIS.entity(entity_id("厦门钨业", "Enterprise"))
YQKJ = IRIS.entity(entity_id("盈趣科技", "Enterprise"))
CONSORTIUM = IRIS.entity(entity_id("创新联合体", "Policy"))


@pytest.fixture()
def ds():
    return corpus_to_dataset(sample_corpus())


def _reply(ds):
    return ds.graph(IRIS.doc(sample_corpus().documents[0].id))


def test_built_graph_conforms(ds, tmp_path):
    report = validate(ds)
    assert report.conforms, str(report)
    assert report.violations == []
    write_rdf(ds, tmp_path)
    assert validate(tmp_path).conforms  # and from the written folder


def test_dropped_evidence_node_is_reported(ds):
    reply = _reply(ds)
    (ev,) = [e for e in reply.subjects(PKG.subject, YQKJ) if (e, PKG.predicate, PKG.leads) in reply]
    for t in list(reply.triples((ev, None, None))):
        reply.remove(t)
    report = validate(ds)
    assert not report.conforms
    (v,) = report.violations
    assert v.focus == str(YQKJ) and v.focus_label == "盈趣科技"
    assert v.path == "pkg:leads" and v.value == f"创新联合体 <{CONSORTIUM}>"
    assert "no evidence" in v.message
    assert "盈趣科技" in str(report) and "pkg:leads" in str(report)


def test_second_label_is_reported(ds):
    notice = ds.graph(IRIS.doc(sample_corpus().documents[1].id))
    notice.add((XMTU, RDFS.label, Literal("厦门钨业股份有限公司")))  # belongs in skos:altLabel
    report = validate(ds)
    assert not report.conforms
    (v,) = report.violations
    assert v.focus == str(XMTU) and v.path == "rdfs:label"
    assert "one canonical name" in v.message


def test_second_type_and_bad_datatypes_are_reported(ds):
    reply = _reply(ds)
    reply.add((XMTU, RDF.type, PKG.Lab))
    ind = IRIS.indicator(sample_corpus().indicators[0].id)
    reply.set((ind, PKG.value, Literal("1328.50亿元")))
    (ev,) = [e for e in reply.subjects(PKG.subject, YQKJ)]
    reply.set((ev, PKG.start, Literal("63")))
    doc = IRIS.doc(sample_corpus().documents[0].id)
    reply.set((doc, DCTERMS.issued, Literal("2025年6月30日")))
    report = validate(ds)
    found = {(v.focus, v.path) for v in report.violations}
    assert (str(XMTU), "rdf:type") in found
    assert (str(ind), "pkg:value") in found
    assert (str(ev), "pkg:start") in found
    assert (str(doc), "dcterms:issued") in found
    assert any("xsd:decimal" in v.message for v in report.violations if v.path == "pkg:value")
    label = next(v.focus_label for v in report.violations if v.path == "pkg:value")
    assert label == "1328.50亿元"


def test_decimal_offsets_are_not_integers(ds):
    reply = _reply(ds)
    (ev,) = [e for e in reply.subjects(PKG.subject, YQKJ)]
    reply.set((ev, PKG.end, Literal("93.0", datatype=XSD.decimal)))
    report = validate(ds)
    assert [(v.focus, v.path) for v in report.violations] == [(str(ev), "pkg:end")]
