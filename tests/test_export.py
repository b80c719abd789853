"""GraphML, Neo4j (admin CSV, cypher-shell script, live push) and spreadsheet CSV exports.

Each format is read back by somebody else's reader: networkx and igraph for GraphML,
Python's csv module for the CSVs, Neo4j's own Cypher linter (npm
@neo4j-cypher/language-support, run with node) for the script, and a real Neo4j
when NEO4J_URI is set.
"""
from __future__ import annotations

import ast
import csv
import json
import logging
import os
import shutil
import subprocess
from pathlib import Path

import igraph
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from export_sample import (LEADS_SENTENCE, NASTY_NAME, NASTY_SENTENCE, NOTICE, REPLY, XSS_SCRIPT, iri,
                           nasty_graph)
from graph.export import EXPORTERS
from graph.export import columns as C
from graph.export.graphml import write_graphml
from graph.export.neo4j import (ARRAY_DELIMITER_REPLACEMENT, CONSTRAINTS, REL_TYPES, batches, cypher_literal,
                                cypher_string, import_command, push, write_admin_bundle, write_cypher)
from graph.export.tabular import write_csv
from graph.model import ENTITY_TYPES, PREDICATES

JS_DIR = Path(__file__).resolve().parent / "js"
NASTY = iri("Lab-nasty")
XMTU = iri("Enterprise-xmtu")
UNION = iri("Policy-union")


@pytest.fixture(scope="module")
def G() -> nx.MultiDiGraph:
    return nasty_graph()


def _no_temp_files(directory: Path) -> None:
    assert not [p.name for p in directory.iterdir() if p.name.endswith(".tmp")]


# -- GraphML ---------------------------------------------------------------------------------

def test_graphml_read_back_by_networkx(G, tmp_path):
    path = write_graphml(G, tmp_path / "g.graphml")
    H = nx.read_graphml(path)
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    for _, data in H.nodes(data=True):
        assert all(isinstance(v, (str, int, float)) for v in data.values())
    nasty = H.nodes[NASTY]
    assert nasty["label"] == NASTY_NAME
    assert nasty["type"] == "Lab"
    assert json.loads(nasty["aliases"]) == G.nodes[NASTY]["aliases"]
    assert json.loads(nasty["documents"]) == [NOTICE["name"]]
    assert H.nodes[iri("Place-xm")]["doc_count"] == 1
    assert json.loads(H.nodes[iri("Place-xm")]["indicators"])[0]["raw"] == "1328.50亿元"
    (leads,) = [d for u, v, d in H.edges(data=True) if (u, v) == (XMTU, UNION)]
    assert leads["predicate"] == leads["label"] == "leads"
    assert leads["confidence"] == pytest.approx(0.98)
    assert leads["evidence_count"] == 2
    assert leads["evidence_sentence"] == LEADS_SENTENCE
    assert leads["evidence_doc"] == REPLY["name"]
    assert [e["doc"] for e in json.loads(leads["evidence"])] == [REPLY["name"], NOTICE["name"]]
    nasty_edges = {d["predicate"]: d for u, v, d in H.edges(data=True) if u == NASTY}
    assert set(nasty_edges) == {"focusesOn", "affiliatedWith", "cooperatesWith"}  # parallel edges kept
    assert nasty_edges["focusesOn"]["evidence_sentence"] == NASTY_SENTENCE
    assert H.graph["base"] == G.graph["base"]
    _no_temp_files(tmp_path)


def test_graphml_read_back_by_igraph(G, tmp_path):
    path = write_graphml(G, tmp_path / "g.graphml")
    g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (G.number_of_nodes(), G.number_of_edges())
    assert g.is_directed()
    by_id = {v["id"]: v for v in g.vs}
    assert set(by_id) == set(G.nodes)
    assert by_id[NASTY]["label"] == NASTY_NAME
    assert by_id[XMTU]["doc_count"] == 2
    assert json.loads(by_id[XMTU]["aliases"]) == ["厦门钨业股份有限公司", "厦钨;集团"]
    edges = {(g.vs[e.source]["id"], g.vs[e.target]["id"], e["predicate"]): e for e in g.es}
    assert set(edges) == {(u, v, k) for u, v, k in G.edges(keys=True)}
    leads = edges[(XMTU, UNION, "leads")]
    assert leads["confidence"] == pytest.approx(0.98)
    assert leads["evidence_sentence"] == LEADS_SENTENCE
    assert edges[(NASTY, iri("Industry-energy"), "focusesOn")]["evidence_sentence"] == NASTY_SENTENCE


def test_graphml_drops_characters_xml_forbids(tmp_path):
    G = nx.MultiDiGraph()
    G.add_node("n1", label="控制\x0b字符\x00厦门", type="Place", aliases=[], doc_count=0, documents=[], indicators=[])
    H = nx.read_graphml(write_graphml(G, tmp_path / "g.graphml"))
    assert H.nodes["n1"]["label"] == "控制字符厦门"


def test_graphml_for_yed_has_visible_labels(G, tmp_path):
    path = write_graphml(G, tmp_path / "yed.graphml", yed=True)
    tree = etree.parse(str(path))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns", "y": "http://www.yworks.com/xml/graphml"}
    labels = tree.xpath("//g:node/g:data/y:ShapeNode/y:NodeLabel/text()", namespaces=ns)
    assert sorted(labels) == sorted(d["label"] for _, d in G.nodes(data=True))
    edge_labels = tree.xpath("//g:edge/g:data/y:PolyLineEdge/y:EdgeLabel/text()", namespaces=ns)
    assert sorted(edge_labels) == sorted(k for _, _, k in G.edges(keys=True))
    assert tree.xpath("//g:key[@yfiles.type='nodegraphics']", namespaces=ns)
    colors = tree.xpath("//g:node[@id=$id]//y:Fill/@color", id=NASTY, namespaces=ns)
    assert colors == [C.TYPE_STYLE["Lab"][0]]
    H = nx.read_graphml(path)  # still plain GraphML to other readers
    assert H.number_of_edges() == G.number_of_edges()
    assert H.nodes[NASTY]["label"] == NASTY_NAME


# -- spreadsheet CSV -------------------------------------------------------------------------

def test_csv_for_spreadsheets(G, tmp_path):
    paths = write_csv(G, tmp_path / "csv")
    raw = paths["nodes"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the file as UTF-8
    with paths["nodes"].open(encoding="utf-8-sig", newline="") as fh:
        nodes = {row["id"]: row for row in csv.DictReader(fh)}
    assert list(next(iter(nodes.values()))) == list(C.NODE_COLUMNS)
    assert len(nodes) == G.number_of_nodes()
    assert nodes[NASTY]["label"] == NASTY_NAME
    assert json.loads(nodes[NASTY]["aliases"]) == [XSS_SCRIPT, "别名;含分号", "=SUM(A1:A9)"]
    assert nodes[XMTU]["doc_count"] == "2"
    with paths["edges"].open(encoding="utf-8-sig", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert len(edges) == G.number_of_edges()
    leads = next(e for e in edges if e["predicate"] == "leads")
    assert (leads["source_label"], leads["target_label"]) == ("厦门钨业", "创新联合体")
    assert leads["evidence_sentence"] == LEADS_SENTENCE
    assert float(leads["confidence"]) == pytest.approx(0.98)
    nasty = next(e for e in edges if e["predicate"] == "focusesOn" and e["source"] == NASTY)
    assert nasty["evidence_sentence"] == NASTY_SENTENCE
    _no_temp_files(tmp_path / "csv")


def test_csv_defuses_formulas(tmp_path):
    G = nx.MultiDiGraph()
    G.add_node("n1", label="=HYPERLINK(\"http://x\")", type="Policy", aliases=[], doc_count=0,
               documents=[], indicators=[])
    G.add_node("n2", label="-1+2", type="Policy", aliases=[], doc_count=0, documents=[], indicators=[])
    paths = write_csv(G, tmp_path)
    with paths["nodes"].open(encoding="utf-8-sig", newline="") as fh:
        labels = {row["id"]: row["label"] for row in csv.DictReader(fh)}
    assert labels == {"n1": "'=HYPERLINK(\"http://x\")", "n2": "'-1+2"}


# -- Neo4j admin import bundle ---------------------------------------------------------------

def test_rel_types_follow_neo4j_convention():
    assert REL_TYPES == {
        "leads": "LEADS", "funds": "FUNDS", "coBuilds": "CO_BUILDS", "cooperatesWith": "COOPERATES_WITH",
        "introduces": "INTRODUCES", "locatedIn": "LOCATED_IN", "affiliatedWith": "AFFILIATED_WITH",
        "builds": "BUILDS", "issues": "ISSUES", "provides": "PROVIDES", "focusesOn": "FOCUSES_ON",
        "achieves": "ACHIEVES",
    }


def test_admin_bundle(G, tmp_path):
    paths = write_admin_bundle(G, tmp_path / "neo4j")
    assert not paths["nodes"].read_bytes().startswith(b"\xef\xbb\xbf")
    with paths["nodes"].open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [dict(zip(header, row)) for row in reader]
    assert header[0] == "id:ID(Entity)" and header[-1] == ":LABEL" and "aliases:string[]" in header
    assert len(rows) == G.number_of_nodes()
    by_id = {r["id:ID(Entity)"]: r for r in rows}
    nasty = by_id[NASTY]
    assert nasty["name"] == NASTY_NAME  # quotes, newline, backslash survive RFC 4180 quoting
    assert nasty[":LABEL"].split(";") == ["Lab", "Entity"]
    assert nasty["aliases:string[]"].split(";") == [XSS_SCRIPT, "别名" + ARRAY_DELIMITER_REPLACEMENT + "含分号",
                                                    "=SUM(A1:A9)"]
    assert by_id[XMTU]["aliases:string[]"].split(";") == ["厦门钨业股份有限公司", "厦钨；集团"]
    assert by_id[iri("Person-lone")]["documents:string[]"] == ""  # empty field: no property
    assert {r[":LABEL"].split(";")[0] for r in rows} <= set(ENTITY_TYPES)

    with paths["relationships"].open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rels = [dict(zip(header, row)) for row in reader]
    assert header[:3] == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE"]
    assert "confidence:double" in header
    assert len(rels) == G.number_of_edges()
    assert {r[":TYPE"] for r in rels} == {"LEADS", "FOCUSES_ON", "BUILDS", "FUNDS", "AFFILIATED_WITH",
                                          "COOPERATES_WITH"}
    assert {r[":START_ID(Entity)"] for r in rels} | {r[":END_ID(Entity)"] for r in rels} <= set(by_id)
    nasty_rel = next(r for r in rels if r[":TYPE"] == "FOCUSES_ON" and r[":START_ID(Entity)"] == NASTY)
    assert nasty_rel["evidence_sentence"] == NASTY_SENTENCE
    assert json.loads(nasty_rel["evidence"])[0]["sentence"] == NASTY_SENTENCE

    readme = paths["readme"].read_text(encoding="utf-8")
    assert import_command() in readme
    assert "neo4j-admin database import full neo4j" in readme
    assert "--multiline-fields=true" in readme and "--array-delimiter=';'" in readme
    _no_temp_files(tmp_path / "neo4j")


def test_neo4j_exports_skip_relations_outside_the_schema(G, tmp_path, caplog):
    H = G.copy()
    H.add_edge(XMTU, UNION, key="mentions", predicate="mentions", confidence=1.0, evidence=[])
    with caplog.at_level(logging.WARNING, logger="graph.export.neo4j"):
        paths = write_admin_bundle(H, tmp_path)
    assert "outside the schema" in caplog.text
    with paths["relationships"].open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == G.number_of_edges()
    assert sum(len(rows) for stmt, rows in batches(H) if "MERGE (s)-" in stmt) == G.number_of_edges()


# -- Cypher script ---------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text())
def test_cypher_string_denotes_the_text(text):
    """Our escapes (\\\\ \\' \\n \\r \\t \\b \\f \\uXXXX) mean the same in Python, so its parser checks them."""
    literal = cypher_string(text)
    assert "\n" not in literal and "\r" not in literal  # a :param payload stays on one line
    assert ast.literal_eval(literal) == C.clean_text(text)


def test_cypher_literal_values():
    assert cypher_literal({"id": "a'b", "n": 2, "c": 0.5, "x": None, "ok": True, "odd key": ["x"]}) == \
        "{id: 'a\\'b', n: 2, c: 0.5, x: null, ok: true, `odd key`: ['x']}"
    with pytest.raises(ValueError):
        cypher_literal(float("nan"))


def test_cypher_script_shape(G, tmp_path):
    path = write_cypher(G, tmp_path / "load.cypher", batch_size=2)
    lines = path.read_text(encoding="utf-8").splitlines()
    code = [ln for ln in lines if not ln.startswith("//")]
    assert code[0] == CONSTRAINTS[0] + ";"
    params = [i for i, ln in enumerate(code) if ln.startswith(":param rows => ")]
    assert params and all(code[i + 1].startswith("UNWIND $rows AS row ") for i in params)
    assert code[-1] == ":param clear"
    statements = [code[i + 1] for i in params]
    labels = {s.split("n:", 2)[-1].rstrip(";") for s in statements if ", n:" in s}
    assert labels <= set(ENTITY_TYPES)
    assert {s.split("[r:")[1].split("]")[0] for s in statements if "[r:" in s} <= set(REL_TYPES.values())
    assert NASTY_NAME not in "\n".join(statements)  # document text only in parameter data
    rows = [row for stmt, rows in batches(G, 2) for row in rows]
    assert len(rows) == G.number_of_nodes() + G.number_of_edges()
    assert all(len(r) <= 2 for _, r in batches(G, 2))


def _lint(script: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (scripts/setup-test-env.sh installs it)")
    if not (JS_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        pytest.skip("the Cypher linter is not installed: run scripts/setup-test-env.sh (npm install in tests/js)")
    schema = {"parameters": {"rows": []}, "labels": ["Entity", *ENTITY_TYPES],
              "relationshipTypes": list(REL_TYPES.values())}
    out = subprocess.run([node, str(JS_DIR / "lint.mjs"), str(script), json.dumps(schema)],
                         cwd=JS_DIR, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout)["diagnostics"]


def test_cypher_script_passes_neo4j_linter(G, tmp_path):
    path = write_cypher(G, tmp_path / "load.cypher", batch_size=3)
    assert _lint(path) == []


def test_neo4j_linter_catches_a_broken_payload(G, tmp_path):
    """The lint test above can fail: an unescaped quote in a :param payload is reported."""
    path = write_cypher(G, tmp_path / "load.cypher")
    text = path.read_text(encoding="utf-8")
    broken = text.replace(cypher_string("厦门钨业"), "'厦门'钨业'", 1)
    assert broken != text
    bad = tmp_path / "bad.cypher"
    bad.write_text(broken, encoding="utf-8")
    errors = [d for d in _lint(bad) if d["severity"] == 1]
    assert errors and errors[0]["line"] > 0


# -- live push -------------------------------------------------------------------------------

def _dump(session) -> tuple[list, list]:
    nodes = session.run("MATCH (n:Entity) RETURN n.id AS id, labels(n) AS labels, properties(n) AS p "
                        "ORDER BY id").data()
    rels = session.run("MATCH (s:Entity)-[r]->(o:Entity) RETURN s.id AS s, type(r) AS t, o.id AS o, "
                       "properties(r) AS p ORDER BY s, t, o").data()
    return nodes, rels


def test_push_to_live_neo4j_is_idempotent(G):
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip("no live Neo4j: set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) to run this test")
    from neo4j import GraphDatabase

    user, password = os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "")
    database = os.environ.get("NEO4J_DATABASE")
    with GraphDatabase.driver(uri, auth=(user, password)) as driver, driver.session(database=database) as s:
        s.run("MATCH (n:Entity) WHERE n.id IN $ids DETACH DELETE n", ids=list(G.nodes)).consume()
        first = push(G, uri, user, password, database=database, batch_size=3)
        assert first["nodes_created"] == G.number_of_nodes()
        assert first["relationships_created"] == G.number_of_edges()
        before = _dump(s)
        second = push(G, uri, user, password, database=database, batch_size=3)
        assert (second["nodes_created"], second["relationships_created"], second["labels_added"]) == (0, 0, 0)
        assert _dump(s) == before
        nasty = s.run("MATCH (n:Lab {id: $id}) RETURN n.name AS name, n.aliases AS aliases", id=NASTY).single()
        assert nasty["name"] == NASTY_NAME and XSS_SCRIPT in nasty["aliases"]
        s.run("MATCH (n:Entity) WHERE n.id IN $ids DETACH DELETE n", ids=list(G.nodes)).consume()


# -- registry and the real pipeline ----------------------------------------------------------

def test_registry_dispatches_every_format(G, tmp_path):
    assert {"graphml", "neo4j", "cypher", "csv"} <= set(EXPORTERS)
    EXPORTERS["graphml"](G, tmp_path / "g.graphml")
    EXPORTERS["cypher"](G, tmp_path / "load.cypher")
    EXPORTERS["neo4j"](G, tmp_path / "neo4j")
    EXPORTERS["csv"](G, tmp_path / "csv")
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == G.number_of_nodes()
    assert (tmp_path / "load.cypher").read_text(encoding="utf-8").startswith("//")
    assert {p.name for p in (tmp_path / "neo4j").iterdir()} == {"nodes.csv", "relationships.csv", "README.md",
                                                                 "load.cypher"}
    assert {p.name for p in (tmp_path / "csv").iterdir()} == {"nodes.csv", "edges.csv"}


def test_exports_of_the_view_built_from_rdf(tmp_path):
    """The contract end to end: hand-built Corpus -> RDF -> graph.network.to_networkx -> exports."""
    from graph.network import to_networkx
    from graph.rdf import corpus_to_dataset
    from kg_sample import ODD_NAME, sample_corpus

    G = to_networkx(corpus_to_dataset(sample_corpus()))
    H = nx.read_graphml(write_graphml(G, tmp_path / "g.graphml"))
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    assert ODD_NAME in {d["label"] for _, d in H.nodes(data=True)}
    assert igraph.Graph.Read_GraphML(str(tmp_path / "g.graphml")).ecount() == G.number_of_edges()
    paths = write_admin_bundle(G, tmp_path / "neo4j")
    with paths["relationships"].open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == sum(1 for *_, k in G.edges(keys=True) if k in PREDICATES)
    assert _lint(write_cypher(G, tmp_path / "load.cypher")) == []
