"""A read-only SPARQL 1.1 Protocol endpoint over OUT/store, for loopback use only.

Why a worker process: Oxigraph queries cannot be cancelled from Python, so each query runs in a
child process that holds the store open; a query that overruns ``timeout`` gets its worker killed
and replaced, and the client a 503 with a message.  Queries are served one at a time.

Endpoint: ``/sparql`` (also ``/query`` and ``/``).  GET ``?query=``, POST form (``query=``) or POST
``application/sparql-query``.  Results by ``Accept``: SPARQL JSON (default), XML, CSV, TSV for
SELECT/ASK; Turtle (default), N-Triples, JSON-LD for CONSTRUCT/DESCRIBE.  Updates are refused with
403, malformed queries with 400; error bodies are plain-text messages, never tracebacks.  The server
binds to loopback only and refuses requests whose Host header is not a loopback name (DNS rebinding).
"""
from __future__ import annotations

import ipaddress
import multiprocessing as mp
import os
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from graph.store import STORE_DIR, open_store

_PATHS = {"/", "/sparql", "/query"}
_MAX_BODY = 1 << 20
_SOLUTION_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def is_loopback(host: str) -> bool:
    """Whether a host name or address is this machine only."""
    host = host.strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(header: str) -> str:
    """The host part of a Host header: "127.0.0.1:8000" -> 127.0.0.1, "[::1]:8000" -> ::1."""
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0]


def _negotiate(accept: str, offered: dict[str, object], default: str) -> str | None:
    """The offered media type the Accept header prefers (q-values honoured), or None if none fits."""
    if not accept.strip():
        return default
    best, best_q = None, 0.0
    for order, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media in ("*/*", "application/*", "text/*"):
            candidate = default if default.startswith(media[:-1]) or media == "*/*" else next(
                (m for m in offered if m.startswith(media[:-1])), None)
        else:
            candidate = media if media in offered else None
        if candidate and q > best_q:
            best, best_q = candidate, q
    return best


def _worker(conn, store_path: str) -> None:  # runs in the child process
    from graph.query import QueryError, execute

    store = ox.Store.read_only(store_path)
    while True:
        msg = conn.recv()
        if msg is None:
            return
        sparql, accept = msg
        try:
            result = execute(store, sparql)
            if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
                media = _negotiate(accept, _SOLUTION_TYPES, "application/sparql-results+json")
                if media is None:
                    conn.send((406, "text/plain", f"cannot answer in {accept}; use one of "
                                                  f"{', '.join(_SOLUTION_TYPES)}".encode()))
                    continue
                body = result.serialize(format=_SOLUTION_TYPES[media])
            else:
                media = _negotiate(accept, _GRAPH_TYPES, "text/turtle")
                if media is None:
                    conn.send((406, "text/plain", f"cannot answer in {accept}; use one of "
                                                  f"{', '.join(_GRAPH_TYPES)}".encode()))
                    continue
                body = ox.serialize(list(result), format=_GRAPH_TYPES[media])
            conn.send((200, media, body))
        except QueryError as err:
            status = 403 if "only SELECT" in str(err) else 400
            conn.send((status, "text/plain", str(err).encode()))
        except Exception as err:  # noqa: BLE001  (reported to the client as a message, not a traceback)
            conn.send((500, "text/plain", f"{type(err).__name__}: {err}".encode()))


class QueryRunner:
    """Runs queries in a replaceable worker process with a time limit."""

    def __init__(self, store_path: Path, timeout: float) -> None:
        self.store_path, self.timeout = str(store_path), timeout
        self._ctx = mp.get_context("spawn")  # no fork of a threaded server
        self._lock = threading.Lock()
        self._proc = None
        self._conn = None

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(target=_worker, args=(child, self.store_path), daemon=True)
        self._proc.start()
        child.close()
        self._conn = parent

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    def run(self, sparql: str, accept: str) -> tuple[int, str, bytes]:
        with self._lock:
            if self._proc is None or not self._proc.is_alive():
                self._kill()
                self._start()
            self._conn.send((sparql, accept))
            if not self._conn.poll(self.timeout):
                self._kill()
                return 503, "text/plain", f"query timed out after {self.timeout:g} s".encode()
            try:
                return self._conn.recv()
            except EOFError:
                self._kill()
                return 500, "text/plain", b"query worker stopped"

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.send(None)
                except OSError:
                    pass
            self._kill()


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "policykg-sparql"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if self.server.verbose:
            super().log_message(format, *args)

    def _send(self, status: int, media: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media + ("; charset=utf-8" if media.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(status, "text/plain", (message + "\n").encode("utf-8"))

    def _checked(self) -> tuple[str, dict[str, list[str]]] | None:
        if not is_loopback(_host_name(self.headers.get("Host") or "")):
            self._error(403, "only loopback host names are served")
            return None
        origin = self.headers.get("Origin")
        cross_origin = bool(origin) and origin != "null" and not is_loopback(urlsplit(origin).hostname or "")
        if cross_origin or self.headers.get("Sec-Fetch-Site") == "cross-site":
            # a web page elsewhere must not use the reader's browser to query (or probe) the graph
            self._error(403, "cross-site requests are refused")
            return None
        url = urlsplit(self.path)
        if url.path not in _PATHS:
            self._error(404, f"no such endpoint {url.path}; use /sparql")
            return None
        return url.path, parse_qs(url.query, keep_blank_values=True)

    def _answer(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            return self._error(403, "this endpoint is read-only: updates are refused")
        if "default-graph-uri" in params or "named-graph-uri" in params:
            return self._error(400, "default-graph-uri and named-graph-uri are not supported; use FROM/GRAPH")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            return self._error(400, "give exactly one non-empty 'query' parameter")
        self._send(*self.server.runner.run(queries[0], self.headers.get("Accept", "")))

    def do_GET(self) -> None:  # noqa: N802
        checked = self._checked()
        if checked is not None:
            self._answer(checked[1])

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        checked = self._checked()
        if checked is None:
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self._error(400, "Content-Length is not a number")
        if length < 0:
            return self._error(400, "Content-Length is negative")
        if length > _MAX_BODY:
            return self._error(413, f"request body over {_MAX_BODY} bytes")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = checked[1]
        if ctype == "application/x-www-form-urlencoded":
            params = {**params, **parse_qs(body, keep_blank_values=True)}
        elif ctype == "application/sparql-query":
            params = {**params, "query": [body]}
        elif ctype == "application/sparql-update":
            return self._error(403, "this endpoint is read-only: updates are refused")
        else:
            return self._error(415, "POST application/sparql-query or application/x-www-form-urlencoded")
        self._answer(params)

    def _not_allowed(self) -> None:
        self._error(405, "read-only endpoint: use GET or POST")

    do_PUT = do_DELETE = do_PATCH = _not_allowed


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, out_dir: Path, port: int, host: str, timeout: float, verbose: bool) -> None:
        if not is_loopback(host):
            raise ValueError(f"refusing to serve on {host!r}: the endpoint binds to loopback only "
                             "(127.0.0.1, ::1 or localhost)")
        if ":" in host:
            self.address_family = socket.AF_INET6
        open_store(out_dir)  # build or refresh OUT/store before serving it
        self.runner = QueryRunner(Path(out_dir) / STORE_DIR, timeout)
        self.verbose = verbose
        super().__init__((host, port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/sparql"

    def server_close(self) -> None:
        super().server_close()
        self.runner.close()


def make_server(out_dir: str | os.PathLike[str], port: int = 7878, host: str = "127.0.0.1",
                timeout: float = 30, verbose: bool = False) -> SparqlServer:
    """A server ready to ``serve_forever()`` (port 0 picks a free port; see ``.url``)."""
    return SparqlServer(Path(out_dir), port, host, timeout, verbose)


def serve(out_dir: str | os.PathLike[str], port: int = 7878, host: str = "127.0.0.1", timeout: float = 30) -> None:
    """Serve OUT/store over SPARQL 1.1 Protocol until interrupted."""
    server = make_server(out_dir, port, host, timeout, verbose=True)
    print(f"SPARQL endpoint on {server.url} (read-only, {timeout:g} s per query); Ctrl-C to stop", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
