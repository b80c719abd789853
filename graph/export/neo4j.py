"""Neo4j: an offline ``neo4j-admin`` import bundle, a cypher-shell script, and a live push.

All three give the same graph: every entity is a node labelled ``Entity`` plus its
schema type (``:Lab``, ``:Enterprise`` …) with properties ``id`` (the entity IRI,
unique), ``name``, ``type``, ``aliases``, ``doc_count``, ``documents`` and
``indicators`` (JSON); every relation is a relationship typed by its predicate in
Neo4j's style (``leads`` -> ``LEADS``, ``coBuilds`` -> ``CO_BUILDS``) carrying
``predicate``, ``confidence``, ``evidence_count``, the first ``evidence_sentence`` with
its ``evidence_doc``/``evidence_doc_title``, all ``evidence_docs`` and the full
``evidence`` list as JSON.  Empty lists and empty strings are left unset (the admin
importer reads an empty field as "no property", and the other two paths match it).

Labels and relationship types cannot be query parameters, so each statement names
one fixed label or type taken from the closed schema sets below, never from document
text; everything that comes from documents travels as parameter data.
"""
from __future__ import annotations

import logging
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from graph.export import columns as C
from graph.export._io import atomic_open
from graph.model import ENTITY_TYPES, PREDICATES

log = logging.getLogger(__name__)

ENTITY_LABEL = "Entity"
#: Schema predicate -> Neo4j relationship type (UPPER_SNAKE_CASE, Neo4j's convention).
REL_TYPES: dict[str, str] = {p: re.sub(r"(?<!^)(?=[A-Z])", "_", p).upper() for p in PREDICATES}
#: neo4j-admin's array delimiter; the same character inside an array element becomes '；'.
ARRAY_DELIMITER = ";"
ARRAY_DELIMITER_REPLACEMENT = "；"
CONSTRAINTS: tuple[str, ...] = (
    f"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:{ENTITY_LABEL}) REQUIRE n.id IS UNIQUE",
)
NODE_PROPS: tuple[str, ...] = (C.NAME, C.TYPE, C.ALIASES, C.DOC_COUNT, C.DOCUMENTS, C.INDICATORS)
REL_PROPS: tuple[str, ...] = (
    C.PREDICATE, C.CONFIDENCE, C.EVIDENCE_COUNT, C.EVIDENCE_SENTENCE, C.EVIDENCE_DOC,
    C.EVIDENCE_DOC_TITLE, C.EVIDENCE_DOCS, C.EVIDENCE,
)


def node_statement(type_: str | None) -> str:
    """MERGE a batch of ``$rows`` ({id, props}) as entities, adding the fixed schema label ``type_``."""
    if type_ is not None and type_ not in ENTITY_TYPES:
        raise ValueError(f"{type_!r} is not a schema entity type")
    label = f", n:{type_}" if type_ else ""
    return f"UNWIND $rows AS row MERGE (n:{ENTITY_LABEL} {{id: row.id}}) SET n += row.props{label}"


def relationship_statement(predicate: str) -> str:
    """MERGE a batch of ``$rows`` ({source, target, props}) as relationships of one schema type."""
    rel_type = REL_TYPES[predicate]  # KeyError for anything outside the schema
    return (f"UNWIND $rows AS row MATCH (s:{ENTITY_LABEL} {{id: row.source}}) "
            f"MATCH (o:{ENTITY_LABEL} {{id: row.target}}) "
            f"MERGE (s)-[r:{rel_type}]->(o) SET r += row.props")


def _prop(value: Any) -> Any:
    """Neo4j property value: empty strings and lists are unset (None), like an empty CSV field."""
    if value == "" or value == []:
        return None
    return value


def batches(G: nx.MultiDiGraph, batch_size: int = 500) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(statement, rows) pairs that load ``G``: nodes per type first, then relationships per type."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    nodes, edges = C.records(G)
    by_type: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for rec in nodes:
        props = {C.NAME: rec[C.LABEL], **{k: rec[k] for k in NODE_PROPS if k != C.NAME}}
        type_ = rec[C.TYPE] if rec[C.TYPE] in ENTITY_TYPES else None
        if type_ is None:
            log.warning("entity %s has type %r outside the schema: labelled %s only",
                        rec[C.ID], rec[C.TYPE], ENTITY_LABEL)
        by_type[type_].append({"id": rec[C.ID], "props": {k: _prop(v) for k, v in props.items()}})
    by_predicate: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in edges:
        if rec[C.PREDICATE] not in REL_TYPES:
            log.warning("relation %s %s %s is outside the schema: not exported",
                        rec[C.SOURCE], rec[C.PREDICATE], rec[C.TARGET])
            continue
        by_predicate[rec[C.PREDICATE]].append({
            "source": rec[C.SOURCE], "target": rec[C.TARGET],
            "props": {k: _prop(rec[k]) for k in REL_PROPS},
        })
    for type_ in [*ENTITY_TYPES, None]:
        rows = by_type.get(type_, [])
        for i in range(0, len(rows), batch_size):
            yield node_statement(type_), rows[i:i + batch_size]
    for predicate in PREDICATES:
        rows = by_predicate.get(predicate, [])
        for i in range(0, len(rows), batch_size):
            yield relationship_statement(predicate), rows[i:i + batch_size]


# -- Cypher literals --------------------------------------------------------------------------

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r"[\\'\x00-\x1f\x7f-\x9f\u2028\u2029]")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group()
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def cypher_string(text: str) -> str:
    """A single-quoted Cypher string literal denoting exactly ``text``."""
    return "'" + _NEEDS_ESCAPE.sub(_escape_char, C.clean_text(text)) + "'"


def cypher_key(name: str) -> str:
    """A map key: bare when it is a plain identifier, else backtick-quoted (backticks doubled)."""
    return name if _IDENTIFIER.fullmatch(name) else "`" + name.replace("`", "``") + "`"


def cypher_literal(value: Any) -> str:
    """Encode JSON-like data (None, bool, int, float, str, list, dict) as a Cypher literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"Cypher has no literal for {value!r}")
        return repr(value)
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{cypher_key(str(k))}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def write_cypher(G: nx.MultiDiGraph, path: str | os.PathLike[str], *, batch_size: int = 500) -> Path:
    """Write a cypher-shell script: constraints, then ``:param rows => [...]`` + UNWIND per batch.

    Run with ``cypher-shell -a URI -u USER -p PASSWORD -f load.cypher``.  Re-running it
    changes nothing (MERGE on the unique id).
    """
    target = Path(path)
    with atomic_open(target, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("// policykg graph for cypher-shell: cypher-shell -a URI -u USER -p PASSWORD -f load.cypher\n"
                 "// Idempotent: entities MERGE on their unique id, relationships MERGE between them.\n")
        for stmt in CONSTRAINTS:
            fh.write(stmt + ";\n")
        for stmt, rows in batches(G, batch_size):
            # One line, ';'-terminated: cypher-shell reads an arrow :param to the end of the
            # line and drops the ';', which Neo4j's linter needs between statements.
            fh.write(":param rows => " + cypher_literal(rows) + ";\n")
            fh.write(stmt + ";\n")
        fh.write(":param clear\n")  # leave the session without a large parameter
    return target


# -- neo4j-admin import bundle ----------------------------------------------------------------

NODE_HEADER: tuple[str, ...] = (
    f"{C.ID}:ID({ENTITY_LABEL})", C.NAME, C.TYPE, f"{C.ALIASES}:string[]", f"{C.DOC_COUNT}:long",
    f"{C.DOCUMENTS}:string[]", C.INDICATORS, ":LABEL",
)
REL_HEADER: tuple[str, ...] = (
    f":START_ID({ENTITY_LABEL})", f":END_ID({ENTITY_LABEL})", ":TYPE", C.PREDICATE,
    f"{C.CONFIDENCE}:double", f"{C.EVIDENCE_COUNT}:long", C.EVIDENCE_SENTENCE, C.EVIDENCE_DOC,
    C.EVIDENCE_DOC_TITLE, f"{C.EVIDENCE_DOCS}:string[]", C.EVIDENCE,
)


def _array(values: list[str]) -> str:
    return ARRAY_DELIMITER.join(v.replace(ARRAY_DELIMITER, ARRAY_DELIMITER_REPLACEMENT) for v in values if v)


def _csv_value(value: Any) -> Any:
    return "" if value is None else value


def import_command(database: str = "neo4j", directory: str = ".") -> str:
    """The ``neo4j-admin database import full`` command that loads a bundle in ``directory``."""
    d = directory.rstrip("/")
    return (f"neo4j-admin database import full {database} --overwrite-destination=true "
            f"--nodes={d}/nodes.csv --relationships={d}/relationships.csv "
            f"--delimiter=',' --array-delimiter='{ARRAY_DELIMITER}' --quote='\"' "
            f"--multiline-fields=true --legacy-style-quoting=false")


_README = """# policykg graph for Neo4j

Two ways to load this folder.

## 1. Offline bulk import (empty database, Neo4j 5.x/2025.x)

Stop the DBMS, then from the Neo4j home directory:

```sh
{command}
```

then start Neo4j and create the uniqueness constraint (the importer does not):

```cypher
{constraint};
```

- `nodes.csv`: `id:ID(Entity)` is the entity IRI; `:LABEL` is the schema type and `Entity`
  (`Lab;Entity`); `aliases` and `documents` are string arrays split on `;`. A `;` inside a
  name is written as the full-width `；` because the importer cannot escape its delimiter.
- `relationships.csv`: `:TYPE` is one of {rel_types}; `evidence` is the full evidence list
  as JSON (document, sentence, offsets, trigger, extractor, confidence).
- Files are UTF-8 without BOM, RFC 4180 quoting (a quote inside a field is doubled; fields
  may hold newlines, hence `--multiline-fields=true`; a backslash is an ordinary character,
  hence `--legacy-style-quoting=false`). Empty fields mean "no property".

## 2. Into a running database with cypher-shell (idempotent)

```sh
cypher-shell -a neo4j://localhost:7687 -u neo4j -p PASSWORD -f load.cypher
```

or from Python: `graph.export.neo4j.push(G, uri, user, password)`.
"""


def write_admin_bundle(G: nx.MultiDiGraph, directory: str | os.PathLike[str]) -> dict[str, Path]:
    """Write ``nodes.csv``, ``relationships.csv`` and ``README.md`` (with the import command)."""
    import csv

    out = Path(directory)
    nodes_path, rels_path, readme_path = out / "nodes.csv", out / "relationships.csv", out / "README.md"
    nodes, edges = C.records(G)
    with atomic_open(nodes_path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(NODE_HEADER)
        for rec in nodes:
            labels = f"{rec[C.TYPE]}{ARRAY_DELIMITER}{ENTITY_LABEL}" if rec[C.TYPE] in ENTITY_TYPES else ENTITY_LABEL
            writer.writerow([rec[C.ID], rec[C.LABEL], rec[C.TYPE], _array(rec[C.ALIASES]), rec[C.DOC_COUNT],
                             _array(rec[C.DOCUMENTS]), _csv_value(_prop(rec[C.INDICATORS])), labels])
    with atomic_open(rels_path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(REL_HEADER)
        for rec in edges:
            rel_type = REL_TYPES.get(rec[C.PREDICATE])
            if rel_type is None:
                log.warning("relation %s %s %s is outside the schema: not exported",
                            rec[C.SOURCE], rec[C.PREDICATE], rec[C.TARGET])
                continue
            writer.writerow([rec[C.SOURCE], rec[C.TARGET], rel_type, rec[C.PREDICATE], rec[C.CONFIDENCE],
                             rec[C.EVIDENCE_COUNT], rec[C.EVIDENCE_SENTENCE], rec[C.EVIDENCE_DOC],
                             rec[C.EVIDENCE_DOC_TITLE], _array(rec[C.EVIDENCE_DOCS]), rec[C.EVIDENCE]])
    with atomic_open(readme_path, "w", encoding="utf-8") as fh:
        fh.write(_README.format(command=import_command(), constraint=CONSTRAINTS[0],
                                rel_types=", ".join(f"`{t}`" for t in REL_TYPES.values())))
    return {"nodes": nodes_path, "relationships": rels_path, "readme": readme_path}


def write_bundle(G: nx.MultiDiGraph, directory: str | os.PathLike[str]) -> dict[str, Path]:
    """The whole OUT/neo4j folder: admin-import CSVs, README and ``load.cypher``."""
    paths = write_admin_bundle(G, directory)
    paths["cypher"] = write_cypher(G, Path(directory) / "load.cypher")
    return paths


# -- live push through the official driver ----------------------------------------------------

def push(G: nx.MultiDiGraph, uri: str, user: str, password: str, database: str | None = None,
         batch_size: int = 500) -> dict[str, int]:
    """Load ``G`` into a running Neo4j in batched, parameterised UNWIND/MERGE transactions.

    Idempotent: pushing the same graph again creates no node, relationship or label.
    Returns the summed write counters (nodes_created, relationships_created, labels_added,
    properties_set, constraints_added).
    """
    from neo4j import GraphDatabase

    totals = {"nodes_created": 0, "relationships_created": 0, "labels_added": 0,
              "properties_set": 0, "constraints_added": 0}

    def add(counters: Any) -> None:
        for key in totals:
            totals[key] += getattr(counters, key)

    def run(tx: Any, statement: str, rows: list[dict[str, Any]]) -> Any:
        return tx.run(statement, rows=rows).consume().counters

    with GraphDatabase.driver(uri, auth=(user, password)) as driver:
        driver.verify_connectivity()
        with driver.session(database=database) as session:
            for stmt in CONSTRAINTS:
                add(session.run(stmt).consume().counters)
            for stmt, rows in batches(G, batch_size):
                add(session.execute_write(run, stmt, rows))
    return totals
