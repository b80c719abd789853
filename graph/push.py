"""Push a built graph to a SPARQL store with the SPARQL 1.1 Graph Store Protocol.

Each document graph is sent as one ``PUT <url>?graph=<doc IRI>``, which replaces whatever the
server held in that graph, without touching graphs of other documents (or of other tools) on the
same server. A document's IRI is its content hash, so a document whose text changed arrives as a
new graph: the graph of its old version stays on the server until it is dropped there.  ``url`` is the store's GSP
endpoint: Oxigraph ``http://host:7878/store``, Fuseki ``http://host:3030/ds/data``.
Reads OUT/graph.nq with Oxigraph's parser (fast on large graphs), sends N-Triples.
"""
from __future__ import annotations

import base64
import os
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pyoxigraph as ox


class PushError(RuntimeError):
    """The server refused a graph; the message carries its status and reply."""


def _authorization(auth: tuple[str, str] | str | None) -> dict[str, str]:
    if auth is None:
        return {}
    if isinstance(auth, str):  # a ready header value, e.g. "Bearer …"
        return {"Authorization": auth}
    user, password = auth
    token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def _graph_url(url: str, graph: str | None) -> str:
    parts = urlsplit(url)
    arg = "default" if graph is None else "graph=" + quote(graph, safe="")
    query = f"{parts.query}&{arg}" if parts.query else arg
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def read_graphs(out_dir: str | os.PathLike[str]) -> dict[str | None, list[ox.Triple]]:
    """Triples of OUT/graph.nq by graph IRI (None = default graph)."""
    graphs: dict[str | None, list[ox.Triple]] = defaultdict(list)
    for q in ox.parse(path=str(Path(out_dir) / "graph.nq"), format=ox.RdfFormat.N_QUADS):
        key = None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        graphs[key].append(q.triple)
    return dict(graphs)


def push_sparql_store(out_dir: str | os.PathLike[str], url: str, *,
                      auth: tuple[str, str] | str | None = None, timeout: float = 60) -> dict[str, int]:
    """PUT every graph of OUT to a Graph Store Protocol endpoint; returns {graph IRI: triples sent}.

    ``auth`` is (user, password) for Basic auth or a full Authorization header value.
    The default graph, if it holds anything, is sent as ``?default`` and reported as "default".
    """
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url!r}")
    headers = {"Content-Type": "application/n-triples", **_authorization(auth)}
    pushed: dict[str, int] = {}
    graphs = read_graphs(out_dir)
    for graph in sorted(graphs, key=lambda g: "" if g is None else g):
        triples = graphs[graph]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        request = urllib.request.Request(_graph_url(url, graph), data=body, method="PUT", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        except urllib.error.HTTPError as err:
            reply = err.read().decode("utf-8", errors="replace")[:500]
            raise PushError(f"PUT {graph or 'default graph'} to {url}: HTTP {err.code} {err.reason}: {reply}") from err
        except urllib.error.URLError as err:
            raise PushError(f"cannot reach {url}: {err.reason}") from err
        pushed["default" if graph is None else graph] = len(triples)
    return pushed
