"""The read-only SPARQL endpoint, and GSP pushes checked against a real `oxigraph serve`."""
from __future__ import annotations

import csv
import io
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from graph.model import entity_id
from graph.push import PushError, push_sparql_store
from graph.rdf import Iris, corpus_to_dataset, write_rdf
from graph.serve import is_loopback, make_server
from kg_sample import sample_corpus

pytestmark = pytest.mark.server
XMTU = str(Iris().entity(entity_id("厦门钨业", "Enterprise")))


def _request(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
             method: str | None = None) -> tuple[int, str, str]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Content-Type", ""), err.read().decode("utf-8")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("served")
    write_rdf(corpus_to_dataset(sample_corpus()), out)
    return out


@pytest.fixture(scope="module")
def endpoint(out):
    server = make_server(out, port=0, timeout=2)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.url
    server.shutdown()
    server.server_close()


LEADS = "SELECT ?l WHERE { ?s pkg:leads ?o . ?s rdfs:label ?l } ORDER BY ?l"


def test_get_and_post_with_content_negotiation(endpoint):
    status, ctype, body = _request(endpoint + "?" + urllib.parse.urlencode({"query": LEADS}))
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    values = [b["l"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert set(values) == {"厦门钨业", "盈趣科技"}

    status, ctype, body = _request(endpoint, data=LEADS.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "text/csv"})
    assert status == 200 and ctype.startswith("text/csv")
    assert {r["l"] for r in csv.DictReader(io.StringIO(body))} == {"厦门钨业", "盈趣科技"}

    status, ctype, body = _request(endpoint, data=urllib.parse.urlencode({"query": LEADS}).encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "text/html;q=0.9, text/tab-separated-values;q=1.0"})
    assert status == 200 and ctype.startswith("text/tab-separated-values")
    assert body.splitlines()[0] == "?l" and '"厦门钨业"' in body

    construct = f"CONSTRUCT {{ <{XMTU}> rdfs:label ?l }} WHERE {{ <{XMTU}> rdfs:label ?l }}"
    status, ctype, body = _request(endpoint + "?" + urllib.parse.urlencode({"query": construct}),
                                   headers={"Accept": "application/n-triples"})
    assert status == 200 and body.strip() == f'<{XMTU}> <http://www.w3.org/2000/01/rdf-schema#label> "厦门钨业" .'

    status, _, body = _request(endpoint + "?" + urllib.parse.urlencode({"query": LEADS}),
                               headers={"Accept": "image/png"})
    assert status == 406 and "text/csv" in body


def test_updates_and_bad_requests_are_refused_with_messages(endpoint):
    drop = "DROP ALL"
    status, ctype, body = _request(endpoint + "?" + urllib.parse.urlencode({"query": drop}))
    assert status == 403 and "only SELECT" in body and ctype.startswith("text/plain")
    status, _, body = _request(endpoint, data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                               headers={"Content-Type": "application/sparql-update"})
    assert status == 403 and "read-only" in body
    status, _, body = _request(endpoint, data=urllib.parse.urlencode({"update": drop}).encode(),
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403
    status, _, body = _request(endpoint + "?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE {"}))
    assert status == 400 and "invalid SPARQL" in body and "Traceback" not in body
    assert _request(endpoint)[0] == 400  # no query
    assert _request(endpoint, data=b"x", method="PUT")[0] == 405
    assert _request(endpoint.replace("/sparql", "/store"))[0] == 404
    status, _, body = _request(endpoint + "?" + urllib.parse.urlencode({"query": LEADS}),
                               headers={"Host": "evil.example:80"})
    assert status == 403 and "loopback" in body
    # the store is unchanged after all that
    status, _, body = _request(endpoint + "?" + urllib.parse.urlencode({"query": "ASK { ?s pkg:leads ?o }"}))
    assert json.loads(body)["boolean"] is True


def test_slow_query_times_out_and_server_recovers(endpoint):
    blowup = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    started = time.monotonic()
    status, _, body = _request(endpoint + "?" + urllib.parse.urlencode({"query": blowup}))
    assert status == 503 and "timed out" in body
    assert time.monotonic() - started < 15
    status, _, body = _request(endpoint + "?" + urllib.parse.urlencode({"query": "ASK { ?s pkg:leads ?o }"}))
    assert status == 200 and json.loads(body)["boolean"] is True


def test_only_loopback_binds(out):
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.org")
    for host in ("0.0.0.0", "::", "192.168.1.10"):
        with pytest.raises(ValueError, match="loopback"):
            make_server(out, port=0, host=host)


# ---------------------------------------------------------------- push to a real Oxigraph server

def _oxigraph_cli() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def oxigraph_server(tmp_path):
    cli = _oxigraph_cli()
    if cli is None:
        pytest.skip("the oxigraph CLI (PyPI package `oxigraph`, test extra) is not installed")
    port = _free_port()
    proc = subprocess.Popen([cli, "serve", "--location", str(tmp_path / "oxi"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None:
                    pytest.fail(f"oxigraph serve exited: {proc.stderr.read().decode()}")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _count_by_graph(base: str) -> dict[str, int]:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    _, _, body = _request(base + "/query?" + urllib.parse.urlencode({"query": query}),
                          headers={"Accept": "application/sparql-results+json"})
    return {b["g"]["value"]: int(b["n"]["value"]) for b in json.loads(body)["results"]["bindings"]}


def test_push_replaces_each_document_graph(oxigraph_server, out, tmp_path):
    # something of another tool's, which a push must leave alone
    other = "urn:other:graph"
    status, _, _ = _request(f"{oxigraph_server}/store?graph={urllib.parse.quote(other)}",
                            data=b"<urn:a> <urn:b> <urn:c> .", method="PUT",
                            headers={"Content-Type": "application/n-triples"})
    assert status in (200, 201, 204)

    pushed = push_sparql_store(out, f"{oxigraph_server}/store")
    assert pushed == {g: n for g, n in _count_by_graph(oxigraph_server).items() if g != other}
    assert len(pushed) == 2 and sum(pushed.values()) == len(
        [line for line in (out / "graph.nq").read_text(encoding="utf-8").splitlines() if line])
    _, _, body = _request(oxigraph_server + "/query?" + urllib.parse.urlencode(
        {"query": f"SELECT ?l WHERE {{ GRAPH ?g {{ <{XMTU}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} }}"}),
        headers={"Accept": "application/sparql-results+json"})
    assert {b["l"]["value"] for b in json.loads(body)["results"]["bindings"]} == {"厦门钨业"}

    # rebuild with fewer relations and push again: the graphs shrink, nothing stale remains
    corpus = sample_corpus()
    corpus.relations = [r for r in corpus.relations if r.predicate != "leads"]
    smaller = tmp_path / "smaller"
    write_rdf(corpus_to_dataset(corpus), smaller)
    again = push_sparql_store(smaller, f"{oxigraph_server}/store")
    counts = _count_by_graph(oxigraph_server)
    assert {g: n for g, n in counts.items() if g != other} == again
    assert sum(again.values()) < sum(pushed.values())
    assert counts[other] == 1
    _, _, body = _request(oxigraph_server + "/query?" + urllib.parse.urlencode(
        {"query": "ASK { GRAPH ?g { ?s <https://policykg.org/ontology#leads> ?o } }"}),
        headers={"Accept": "application/sparql-results+json"})
    assert json.loads(body)["boolean"] is False


def test_push_reports_server_errors(oxigraph_server, out):
    with pytest.raises(PushError, match="HTTP 404"):
        push_sparql_store(out, f"{oxigraph_server}/no-such-endpoint")
    with pytest.raises(PushError, match="cannot reach"):
        push_sparql_store(out, f"http://127.0.0.1:{_free_port()}/store", timeout=2)
    with pytest.raises(ValueError):
        push_sparql_store(out, "file:///etc/passwd")


def test_cross_site_requests_and_federated_queries_are_refused(endpoint):
    ok = urllib.parse.urlencode({"query": LEADS})
    status, _, body = _request(endpoint + "?" + ok, headers={"Origin": "https://evil.example"})
    assert status == 403 and "cross-site" in body
    status, _, _ = _request(endpoint + "?" + ok, headers={"Sec-Fetch-Site": "cross-site"})
    assert status == 403
    assert _request(endpoint + "?" + ok, headers={"Origin": "http://127.0.0.1:9"})[0] == 200
    federated = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, _, body = _request(endpoint + "?" + urllib.parse.urlencode({"query": federated}))
    assert status in (400, 403) and "SERVICE" in body
    status, _, body = _request(endpoint, data=b"SELECT ?x WHERE { ?x ?p ?o }",
                               headers={"Content-Type": "application/sparql-query", "Content-Length": "-1"})
    assert status == 400
