"""`policykg` command line: build, extract, eval, query, export, viz, validate, serve, push."""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path


def _build(args: argparse.Namespace) -> int:
    from .builder import build
    from .ingest import IngestError

    try:
        result = build(args.docs, args.out, config=args.config, n_process=args.jobs,
                       strict=args.strict, progress=not args.quiet)
    except IngestError as err:  # --strict: the first bad file stops the build
        print(f"error: {err}", file=sys.stderr)
        return 1
    for err in result.errors:
        print(f"error: {err}", file=sys.stderr)
    print(result.summary())
    return 1 if result.errors else 0


def _extract(args: argparse.Namespace) -> int:
    from .extract import ExtractionError, default_workers, extract_all
    from .ingest import read_corpus

    documents, errors = read_corpus(args.docs)
    for err in errors:
        print(f"error: {err}", file=sys.stderr)
    extractions = []
    for ex in extract_all(documents, config=args.config, n_process=args.jobs or default_workers()):
        if isinstance(ex, ExtractionError):
            errors.append(ex)
            print(f"error: {ex}", file=sys.stderr)
        else:
            extractions.append(ex)
    if args.format == "eval":
        print(json.dumps([ex.to_eval() for ex in extractions], ensure_ascii=False, indent=1))
    else:
        from dataclasses import asdict

        for ex in extractions:
            row = asdict(ex)
            row["document"].pop("text")
            print(json.dumps(row, ensure_ascii=False))
    return 1 if errors else 0


def _eval(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, format_scores

    scores = evaluate(args.prediction, args.gold, config=args.config)
    print(format_scores(scores, details=args.details))
    return 0


def _query(args: argparse.Namespace) -> int:
    from . import query as q

    if args.list:
        for name, nq in sorted(q.named_queries().items()):
            params = " ".join(f"--param {p.name}=…" for p in nq.parameters)
            print(f"{name:24} {nq.description} {params}".rstrip())
        return 0
    if not args.out:
        print("error: OUT is required (or --list)", file=sys.stderr)
        return 2
    params = dict(args.param or [])
    try:
        if args.name:
            print(q.run_named(args.out, args.name, fmt=args.format, **params))
        else:
            text = Path(args.file).read_text(encoding="utf-8") if args.file else args.sparql
            if not text:
                print("error: give a query, --file or --name", file=sys.stderr)
                return 2
            print(q.run(args.out, text, fmt=args.format, bindings=params or None))
    except (q.QueryError, SyntaxError, ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def _export(args: argparse.Namespace) -> int:
    from .kg import load

    kg = load(args.out)
    default = {"graphml": "graph.graphml", "cypher": "load.cypher", "neo4j": "neo4j", "csv": "csv",
               "jsonld": "graph.jsonld", "html": "graph.html", "turtle": "graph.ttl",
               "nquads": "graph.nq", "trig": "graph.trig"}
    target = Path(args.to) if args.to else Path(args.out) / default[args.format]
    path = kg.export(args.format, target)
    print(path)
    return 0


def _viz(args: argparse.Namespace) -> int:
    from .kg import load
    from .viz import write_html

    G = load(args.out).to_networkx()
    types = args.types.split(",") if args.types else None
    if args.to:
        target = Path(args.to)
    elif args.focus or args.types:  # the build's whole-graph page stays as it is
        target = Path(args.out) / "graph-view.html"
    else:
        target = Path(args.out) / "graph.html"
    try:
        print(write_html(G, target, focus=args.focus, depth=args.depth, types=types,
                         max_nodes=args.max_nodes or None))
    except ValueError as err:  # an unknown entity name or type
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .validate import validate

    report = validate(args.out)
    print(report)
    return 0 if report.conforms else 1


def _serve(args: argparse.Namespace) -> int:
    from .serve import serve

    serve(args.out, port=args.port, host=args.host, timeout=args.timeout)
    return 0


def _push(args: argparse.Namespace) -> int:
    if bool(args.sparql_store) == bool(args.neo4j):
        print("error: give exactly one of --sparql-store URL or --neo4j bolt://HOST:PORT", file=sys.stderr)
        return 2
    password = os.environ.get(args.password_env) if args.user else None
    if args.user and password is None:
        password = getpass.getpass(f"password for {args.user}: ")
    if args.sparql_store:
        from .push import PushError, push_sparql_store

        try:
            sent = push_sparql_store(args.out, args.sparql_store,
                                     auth=(args.user, password) if args.user else None)
        except (PushError, ValueError, OSError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        for g, n in sent.items():
            print(f"{g}: {n} triples")
        return 0
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    from .export.neo4j import push
    from .kg import load

    try:
        counts = push(load(args.out).to_networkx(), args.neo4j, args.user or "neo4j", password or "",
                      database=args.database)
    except (Neo4jError, ServiceUnavailable, ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(json.dumps(counts))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policykg", description=__doc__)
    p.add_argument("--version", action="version", version=_version())
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="build the knowledge graph of documents and write every output")
    b.add_argument("docs", nargs="+", help="files or folders (.txt .md .html .htm .docx .pdf)")
    b.add_argument("--out", default="out", help="output folder (default: out)")
    b.add_argument("--config", help="a spaCy pipeline config (default: the shipped pipeline.cfg)")
    b.add_argument("-j", "--jobs", type=int, help="processes for extraction (default: the cores)")
    b.add_argument("--strict", action="store_true", help="stop at the first file that cannot be read")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=_build)

    e = sub.add_parser("extract", help="print entities and relations per document")
    e.add_argument("docs", nargs="+")
    e.add_argument("--format", choices=["eval", "jsonl"], default="eval",
                   help="eval: the JSON ../shared/eval/score.py reads; jsonl: full records")
    e.add_argument("--config")
    e.add_argument("-j", "--jobs", type=int)
    e.set_defaults(func=_extract)

    v = sub.add_parser("eval", help="precision, recall and F1 of a prediction (or of documents) against gold")
    v.add_argument("prediction", help="a prediction JSON, or a folder/file of documents to extract first")
    v.add_argument("gold", nargs="+", help="gold JSON files")
    v.add_argument("--config")
    v.add_argument("--details", action="store_true", help="list missed and spurious items per document")
    v.set_defaults(func=_eval)

    q = sub.add_parser("query", help="SPARQL over a built graph (table, csv or json)")
    q.add_argument("out", nargs="?", help="a build's output folder")
    q.add_argument("sparql", nargs="?", help="the query text")
    q.add_argument("--file", help="read the query from a .rq file")
    q.add_argument("--name", help="run a named query (see --list)")
    q.add_argument("--param", action="append", type=_name_value, help="NAME=VALUE for a named query's parameter")
    q.add_argument("--list", action="store_true", help="list the named queries")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.set_defaults(func=_query)

    x = sub.add_parser("export", help="write the graph in another format")
    x.add_argument("out")
    x.add_argument("--format", required=True,
                   choices=["graphml", "neo4j", "cypher", "jsonld", "csv", "html", "turtle", "nquads", "trig"])
    x.add_argument("--to", help="target file or folder (default: inside OUT)")
    x.set_defaults(func=_export)

    z = sub.add_parser("viz", help="write the explorer page (whole graph, an ego view or some types)")
    z.add_argument("out")
    z.add_argument("--focus", help="an entity name or alias: show its neighbourhood")
    z.add_argument("--depth", type=int, default=2)
    z.add_argument("--types", help="comma-separated entity types to keep, e.g. Lab,Enterprise")
    z.add_argument("--max-nodes", type=int, default=5000,
                   help="show at most this many entities, the most connected (0: all; default 5000)")
    z.add_argument("--to", help="target HTML file (default: OUT/graph-view.html for a focus or types, else OUT/graph.html)")
    z.set_defaults(func=_viz)

    c = sub.add_parser("validate", help="check a built graph against the SHACL shapes")
    c.add_argument("out")
    c.set_defaults(func=_validate)

    s = sub.add_parser("serve", help="answer the SPARQL 1.1 Protocol on 127.0.0.1 (read-only)")
    s.add_argument("out")
    s.add_argument("--port", type=int, default=7878)
    s.add_argument("--host", default="127.0.0.1", help="a loopback address; others are refused")
    s.add_argument("--timeout", type=float, default=30, help="seconds a query may run")
    s.set_defaults(func=_serve)

    u = sub.add_parser("push", help="load the graph into a SPARQL Graph Store or a Neo4j server")
    u.add_argument("out")
    u.add_argument("--sparql-store", help="Graph Store Protocol URL (Oxigraph /store, Fuseki /ds/data)")
    u.add_argument("--neo4j", help="bolt://HOST:PORT or neo4j://HOST:PORT")
    u.add_argument("--user", help="user name; the password comes from --password-env or a prompt")
    u.add_argument("--password-env", default="POLICYKG_PASSWORD",
                   help="environment variable holding the password (default: POLICYKG_PASSWORD)")
    u.add_argument("--database", help="Neo4j database name")
    u.set_defaults(func=_push)
    return p


def _name_value(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def _version() -> str:
    from . import __version__

    return f"policykg {__version__}"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
