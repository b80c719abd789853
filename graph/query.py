"""Read-only SPARQL over a built graph: ad-hoc queries and the named queries of graph/queries/*.rq.

Every query runs on OUT/store (Oxigraph) with the union of the document graphs as default graph.
Only SELECT, ASK, CONSTRUCT and DESCRIBE are accepted.  Parameters of named queries are bound
with SPARQL substitutions (SEP-0007, as Oxigraph implements them): a value is an RDF term given to
the engine, never text pasted into the query, so a name like ``"} DROP ALL #`` is just a name.

Output formats of ``run``: ``table`` (aligned text for a terminal; long cells cut at 80 columns),
``csv`` and ``json`` (SPARQL 1.1 results formats) for SELECT/ASK; for CONSTRUCT/DESCRIBE,
``table`` gives Turtle, ``csv`` N-Triples and ``json`` JSON-LD.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from graph.rdf import PREFIXES
from graph.store import open_store

QUERY_DIR = Path(__file__).resolve().parent / "queries"
READ_ONLY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
FORMATS = ("table", "csv", "json")
_PROLOGUE = re.compile(r"""\s+|\#[^\n]*|(?:PREFIX\s+[^\s:]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>)""", re.IGNORECASE)
_PARAM = re.compile(r"^#\s*@param\s+(\w+)\s*(\(optional\))?\s*:\s*(.*)$")
_CELL = 80


class QueryError(ValueError):
    """A query that is not read-only, does not parse, or lacks a required parameter."""


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    required: bool


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its name (file stem), the description from its first comment line, its parameters."""

    name: str
    description: str
    sparql: str
    parameters: tuple[Parameter, ...] = ()
    path: Path | None = None


def query_form(sparql: str) -> str:
    """The query form (SELECT, ASK, …) after comments and PREFIX/BASE declarations."""
    pos = 0
    while True:
        m = _PROLOGUE.match(sparql, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    word = re.match(r"[A-Za-z]+", sparql[pos:])
    return word.group(0).upper() if word else ""


#: what is not SPARQL keywords: string literals, IRIs and comments (a SERVICE inside them is text)
_NOT_KEYWORDS = re.compile(r'"""[\s\S]*?"""|' r"'''[\s\S]*?'''|"
                           r'"(?:[^"\\\n]|\\.)*"|' r"'(?:[^'\\\n]|\\.)*'|"
                           r'<[^<>"{}|^`\\\s]*>|#[^\n]*')
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


def check_read_only(sparql: str) -> str:
    """Refuse anything but SELECT/ASK/CONSTRUCT/DESCRIBE, and federated SERVICE calls (the graph
    is queried offline: a query must not make the server fetch other hosts); return the form."""
    form = query_form(sparql)
    if form not in READ_ONLY_FORMS:
        raise QueryError(f"only {', '.join(READ_ONLY_FORMS)} queries are allowed (got {form or 'nothing'})")
    if _SERVICE.search(_NOT_KEYWORDS.sub(" ", sparql)):
        raise QueryError("SERVICE (federated queries) is not allowed: the graph is queried offline")
    return form


def _parse_named(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#"):
        raise QueryError(f"{path}: the first line must be a '# description' comment")
    params = []
    for line in lines[1:]:
        m = _PARAM.match(line.strip())
        if m:
            params.append(Parameter(m.group(1), m.group(3).strip(), required=m.group(2) is None))
    return NamedQuery(path.stem, lines[0].lstrip("#").strip(), text, tuple(params), path)


@lru_cache(maxsize=1)
def _named_cache(mtimes: tuple[tuple[str, int], ...]) -> dict[str, NamedQuery]:
    return {Path(p).stem: _parse_named(Path(p)) for p, _ in mtimes}


def named_queries() -> dict[str, NamedQuery]:
    """The queries of graph/queries/*.rq by name."""
    files = sorted(QUERY_DIR.glob("*.rq"))
    return dict(_named_cache(tuple((str(p), p.stat().st_mtime_ns) for p in files)))


def to_term(value: object) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A Python value (or rdflib / Oxigraph term) as an Oxigraph term for substitution."""
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    from rdflib import BNode, Literal, URIRef

    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype))) if value.datatype \
            else ox.Literal(str(value))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false",
                          datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#double"))
    if isinstance(value, str):
        return ox.Literal(value.strip())
    raise QueryError(f"cannot bind a {type(value).__name__} value")


def execute(store: ox.Store, sparql: str, bindings: dict[str, object] | None = None):
    """Run a read-only query on a store with the union default graph and safe bindings.

    A bound variable must appear in the query's projection (SELECT ?x …, DESCRIBE ?x), as
    Oxigraph's substitution requires; it then acts everywhere in the query as that constant.
    """
    check_read_only(sparql)
    subs = {ox.Variable(k): to_term(v) for k, v in (bindings or {}).items() if v is not None}
    try:
        return store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES,
                           substitutions=subs or None)
    except SyntaxError as err:
        raise QueryError(f"invalid SPARQL: {err}") from err
    except RuntimeError as err:  # Oxigraph substitutes only variables the query projects
        raise QueryError(f"cannot bind {', '.join(sorted(bindings or {}))}: {err}") from err


def named_bindings(query: NamedQuery, params: dict[str, object]) -> dict[str, object]:
    """Check the parameters a named query declares: required ones present, unknown ones refused."""
    known = {p.name for p in query.parameters}
    unknown = set(params) - known
    if unknown:
        raise QueryError(f"{query.name}: unknown parameter(s) {', '.join(sorted(unknown))}; "
                         f"it takes {', '.join(sorted(known)) or 'none'}")
    missing = [p.name for p in query.parameters if p.required and params.get(p.name) in (None, "")]
    if missing:
        raise QueryError(f"{query.name}: missing parameter(s) {', '.join(missing)}")
    return {k: v for k, v in params.items() if v not in (None, "")}


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _short_iri(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and re.fullmatch(r"[\w.-]*", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def cell_text(term: object) -> str:
    """A result term as one readable table cell: literals as text, IRIs prefixed, no raw newlines."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        text = _short_iri(term.value)
    elif isinstance(term, ox.Literal):
        text = term.value
    else:
        text = str(term)
    text = text.replace("\r", "").replace("\n", "⏎").replace("\t", " ")
    if _display_width(text) > _CELL:
        out, width = [], 0
        for ch in text:
            width += _display_width(ch)
            if width > _CELL - 1:
                break
            out.append(ch)
        text = "".join(out) + "…"
    return text


def format_table(variables: list[str], rows: list[list[str]]) -> str:
    """Aligned columns, counting wide CJK characters as two."""
    widths = [max([_display_width(v)] + [_display_width(r[i]) for r in rows]) for i, v in enumerate(variables)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _display_width(c)) for c, w in zip(cells, widths)).rstrip()

    out = [line(variables), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def render(result, fmt: str) -> str:
    """A query result as text in one of FORMATS."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            variables = [v.value for v in result.variables]
            rows = [[cell_text(sol[v]) for v in variables] for sol in result]
            return format_table(variables, rows)
        qfmt = ox.QueryResultsFormat.CSV if fmt == "csv" else ox.QueryResultsFormat.JSON
        return result.serialize(format=qfmt).decode("utf-8")
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return ("true" if bool(result) else "false") + "\n"
        qfmt = ox.QueryResultsFormat.CSV if fmt == "csv" else ox.QueryResultsFormat.JSON
        return result.serialize(format=qfmt).decode("utf-8")
    triples = sorted(result, key=str)
    rdf_format = {"table": ox.RdfFormat.TURTLE, "csv": ox.RdfFormat.N_TRIPLES, "json": ox.RdfFormat.JSON_LD}[fmt]
    prefixes = PREFIXES if fmt == "table" else None
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes).decode("utf-8")


def run(out_dir: str | os.PathLike[str], sparql: str, fmt: str = "table",
        bindings: dict[str, object] | None = None) -> str:
    """Run a read-only SPARQL query on OUT/store and format the result."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return render(execute(_store(out_dir), sparql, bindings), fmt)


#: one open read-only store per output folder and graph.trig version: opening costs more than a
#: small query, and a Python session (a notebook, the server) asks many
_OPEN: dict[Path, tuple[tuple[int, int], ox.Store]] = {}


def _store(out_dir: str | os.PathLike[str]) -> ox.Store:
    out = Path(out_dir).resolve()
    trig = out / "graph.trig"
    try:
        st = trig.stat()
        version = (st.st_size, st.st_mtime_ns)
    except OSError:
        return open_store(out)  # reports the missing graph
    cached = _OPEN.get(out)
    if cached is None or cached[0] != version:
        _OPEN[out] = (version, open_store(out))
    return _OPEN[out][1]


def get_named(query_name: str) -> NamedQuery:
    queries = named_queries()
    if query_name not in queries:
        raise QueryError(f"no named query {query_name!r}; known: {', '.join(sorted(queries))}")
    return queries[query_name]


def run_named(out_dir: str | os.PathLike[str], query_name: str, /, fmt: str = "table", **params: object) -> str:
    """Run one of the named queries with its parameters (e.g. ``name="厦门钨业"``)."""
    query = get_named(query_name)
    return run(out_dir, query.sparql, fmt, named_bindings(query, params))
