"""Store, read-only SPARQL, the named queries with safe parameters, and the KnowledgeGraph API."""
from __future__ import annotations

import csv
import io
import json
import os

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef

from graph.kg import KnowledgeGraph, load
from graph.model import entity_id
from graph.query import QueryError, named_queries, query_form, run, run_named
from graph.rdf import Iris, corpus_to_dataset, write_rdf
from graph.store import STORE_DIR, build_store, is_current, open_store
from kg_sample import sample_corpus

IRIS = Iris()
XMTU = str(IRIS.entity(entity_id("厦门钨业", "Enterprise")))


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    write_rdf(corpus_to_dataset(sample_corpus()), out)
    build_store(out)
    return out


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_store_is_built_from_trig_and_rebuilt_when_it_changes(tmp_path):
    ds = corpus_to_dataset(sample_corpus())
    write_rdf(ds, tmp_path)
    assert not is_current(tmp_path)
    store = open_store(tmp_path)  # builds on first use
    assert is_current(tmp_path) and (tmp_path / STORE_DIR).is_dir()
    assert len(store) == len(set(ds.quads((None, None, None, None))))
    del store
    corpus = sample_corpus()
    corpus.relations = corpus.relations[:1]
    write_rdf(corpus_to_dataset(corpus), tmp_path)
    os.utime(tmp_path / "graph.trig", ns=(1, 1))  # a different stamp even within one clock tick
    assert not is_current(tmp_path)
    rows = _csv(run(tmp_path, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o FILTER(?p IN "
                              "(pkg:leads, pkg:achieves, pkg:introduces)) }", "csv"))
    assert rows == [{"n": "1"}]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".store.") and p.is_dir()]


def test_named_queries_are_files_with_descriptions():
    queries = named_queries()
    assert set(queries) >= {"who_leads_what", "funding_flows", "entity_profile", "cobuilding_network",
                            "financial_products", "place_indicators"}
    for q in queries.values():
        assert q.description and not q.description.startswith("#")
        assert query_form(q.sparql) == "SELECT"
    assert [(p.name, p.required) for p in queries["entity_profile"].parameters] == [("name", True)]
    assert [(p.name, p.required) for p in queries["place_indicators"].parameters] == [("place", False)]


def test_who_leads_what(out):
    rows = _csv(run_named(out, "who_leads_what", fmt="csv"))
    got = {(r["leader"], r["led"], r["evidence"]) for r in rows}
    assert got == {("厦门钨业", "创新联合体", "2"), ("盈趣科技", "创新联合体", "1")}
    assert rows[0]["leaderType"] == "Enterprise" and rows[0]["ledType"] == "Policy"


def test_entity_profile_by_alias_with_evidence(out):
    rows = _csv(run_named(out, "entity_profile", fmt="csv", name="市工信局"))
    assert {r["label"] for r in rows} == {"厦门市工业和信息化局"}
    facts = {(r["fact"], r["predicate"], r["other"]) for r in rows}
    assert ("alias", "", "市工信局") in facts
    assert ("outgoing", "cooperatesWith", "厦门市科学技术局") in facts
    rel = next(r for r in rows if r["fact"] == "outgoing")
    assert rel["sentence"] == "市工信局会同市科技局推动创新联合体建设。"
    assert (rel["document"], rel["start"], rel["end"]) == ("关于市政协提案的答复.txt", "0", "20")
    # the other end sees it as incoming
    rows = _csv(run_named(out, "entity_profile", fmt="csv", name="厦门市科学技术局"))
    assert ("incoming", "cooperatesWith", "厦门市工业和信息化局") in {(r["fact"], r["predicate"], r["other"])
                                                                 for r in rows}


def test_parameters_are_bound_not_pasted(out):
    for evil in ('厦门钨业" } UNION { ?entity ?p ?name } #', "x\\' . } DROP ALL #", "厦门钨业\n"[:-1] + '"'):
        assert _csv(run_named(out, "entity_profile", fmt="csv", name=evil)) == []
    odd = 'Ta\'s "Lab" <x> & \\ 🚀 𠀀\n实验室'
    rows = _csv(run_named(out, "entity_profile", fmt="csv", name=odd))
    assert rows and {r["label"] for r in rows} == {odd}
    with pytest.raises(QueryError, match="missing parameter"):
        run_named(out, "entity_profile")
    with pytest.raises(QueryError, match="unknown parameter"):
        run_named(out, "who_leads_what", name="厦门钨业")


def test_place_indicators_over_time(out):
    rows = _csv(run_named(out, "place_indicators", fmt="csv", place="我市"))
    assert [(r["placeName"], r["measure"], r["value"], r["unit"], r["raw"], r["period"], r["issued"])
            for r in rows] == [("厦门市", "科技型企业贷款余额", "132850000000", "元", "1328.50亿元",
                                "截至2024年末", "2025-06-30")]
    assert len(_csv(run_named(out, "place_indicators", fmt="csv"))) == 1
    assert _csv(run_named(out, "place_indicators", fmt="csv", place="厦门钨业")) == []


def test_financial_products_and_cobuilding(out):
    (row,) = _csv(run_named(out, "financial_products", fmt="csv"))
    assert (row["product"], row["providers"]) == ("厦研保", "中国人民银行厦门市分行")
    assert row["firms"] == "厦门钨业"  # named in the same sentence as the product
    rows = _csv(run_named(out, "cobuilding_network", fmt="csv"))
    assert [(r["from"], r["relation"], r["to"]) for r in rows] == [
        ("厦门市工业和信息化局", "cooperatesWith", "厦门市科学技术局")]
    assert _csv(run_named(out, "funding_flows", fmt="csv")) == []


def test_updates_are_refused(out):
    for update in ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "# comment\nPREFIX x: <urn:x#>\nDROP ALL",
                   "DELETE WHERE { ?s ?p ?o }", "LOAD <http://example.org/>", "CLEAR DEFAULT"):
        with pytest.raises(QueryError, match="only SELECT"):
            run(out, update)
    with pytest.raises(QueryError, match="invalid SPARQL"):
        run(out, "SELECT ?x WHERE { ?x ")
    with pytest.raises(QueryError, match="invalid SPARQL"):  # an update smuggled after a query
        run(out, "SELECT * WHERE { ?s ?p ?o } ; DROP ALL")


def test_formats(out):
    sparql = "SELECT ?l WHERE { ?e a pkg:Lab ; rdfs:label ?l }"
    table = run(out, sparql)
    assert "Ta's \"Lab\" <x> & \\ 🚀 𠀀⏎实验室" in table and "(1 row)" in table
    data = json.loads(run(out, sparql, "json"))
    assert data["results"]["bindings"][0]["l"]["value"] == 'Ta\'s "Lab" <x> & \\ 🚀 𠀀\n实验室'
    assert _csv(run(out, sparql, "csv"))[0]["l"] == 'Ta\'s "Lab" <x> & \\ 🚀 𠀀\n实验室'
    assert json.loads(run(out, "ASK { ?s pkg:leads ?o }", "json"))["boolean"] is True
    ttl = run(out, "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a pkg:Enterprise ; rdfs:label ?l }")
    assert (URIRef(XMTU), None, Literal("厦门钨业")) in Graph().parse(data=ttl, format="turtle")
    with pytest.raises(QueryError, match="unknown format"):
        run(out, sparql, "xml")


def test_knowledge_graph_api(out):
    kg = load(out)
    rows = kg.query("SELECT DISTINCT ?e ?n ?alias WHERE { ?e skos:altLabel ?alias ; rdfs:label ?n }",
                    alias="市工信局")
    assert [r["n"] for r in rows] == [Literal("厦门市工业和信息化局")]
    assert isinstance(rows[0]["e"], URIRef)
    assert kg.query("ASK { ?s pkg:leads ?o }") is True
    described = kg.query("DESCRIBE ?e", e=URIRef(XMTU))
    assert isinstance(described, Graph) and (URIRef(XMTU), None, Literal("厦门钨业")) in described
    with pytest.raises(QueryError, match="cannot bind"):  # only projected variables can be bound
        kg.query("SELECT ?e WHERE { ?e rdfs:label ?n }", n="厦门钨业")
    profile = kg.named("entity_profile", name="厦门钨业")
    assert {str(r["other"]) for r in profile if str(r["fact"]) == "outgoing"} == {
        "创新联合体", "8英寸碳化硅外延晶片量产技术"}

    enterprises = kg.entities(type="Enterprise")
    assert [e["label"] for e in enterprises] == ["厦门钨业", "盈趣科技"]
    assert enterprises[0]["iri"] == XMTU and enterprises[0]["doc_count"] == 2
    assert len(kg.entities()) == 12
    leads = kg.relations("leads")
    assert [(r["subject_label"], r["object_label"]) for r in leads] == [("厦门钨业", "创新联合体"),
                                                                        ("盈趣科技", "创新联合体")]
    G = kg.to_networkx()
    assert isinstance(G, nx.MultiDiGraph) and G.number_of_edges() == 7
    G.remove_node(XMTU)
    assert kg.to_networkx().has_node(XMTU)  # a copy each time
    assert kg.validate().conforms
    with pytest.raises(QueryError):
        kg.query("DROP ALL")


def test_export_rdf_and_unknown_format(out, tmp_path):
    kg = KnowledgeGraph(out)
    path = kg.export("jsonld", tmp_path / "g.jsonld")
    assert json.loads(path.read_text(encoding="utf-8"))["@context"]["pkg"] == "https://policykg.org/ontology#"
    assert kg.export("trig", tmp_path / "g.trig").read_text(encoding="utf-8") == \
        (out / "graph.trig").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="unknown export format"):
        kg.export("xlsx", tmp_path / "g.xlsx")
    with pytest.raises(FileNotFoundError):
        KnowledgeGraph(tmp_path / "nothing")
