"""Property-based tests: random Unicode and random document structures never crash extraction or
an exporter, and every output parses with the library that reads its format.

Documents are drawn from the shapes real ones have (metadata lines, titles, quoted names, 《》
titles, brackets, figures with units, names and triggers the pipeline knows) mixed with arbitrary
text; corpora for the exporters carry names and sentences with quotes, backslashes, newlines,
markup and control characters.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.export import neo4j
from graph.export.graphml import write_graphml
from graph.export.tabular import write_csv
from graph.extract import extract_document
from graph.model import (ENTITY_TYPES, PREDICATES, Corpus, Document, Entity, Evidence, Indicator,
                         Relation, content_id)
from graph.network import to_networkx
from graph.rdf import corpus_quads, write_quads
from graph.viz import render_html

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.function_scoped_fixture])

# -- documents ----------------------------------------------------------------------------------
KNOWN = ["厦门钨业", "厦门市科学技术局", "国家重点实验室", "金砖国家新时代科创孵化园", "厦门大学",
         "中国人民银行", "科技型中小企业", "我市", "本局", "火炬高新区"]
TRIGGERS = ["牵头组建", "支持", "共建", "引进", "资助", "位于", "发布", "聚焦", "突破", "合作"]
UNITS = ["亿元", "万元", "元", "家", "项", "个", "%", "人", "平方米", "亿"]
cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
any_text = st.text(max_size=30)
cjk_text = st.text(cjk, min_size=1, max_size=12)
number = st.one_of(st.integers(0, 10**12).map(str),
                   st.floats(0, 1e9, allow_nan=False).map(lambda f: f"{f:.2f}"),
                   st.sampled_from(["一", "十", "三十五", "1,328.50", "０.５", "1e5", "-3"]))
figure = st.builds(lambda n, u: n + u, number, st.sampled_from(UNITS))
name = st.one_of(st.sampled_from(KNOWN), cjk_text.map(lambda t: t + "有限公司"), cjk_text.map(lambda t: t + "实验室"))
piece = st.one_of(
    any_text, cjk_text, name, figure, st.sampled_from(TRIGGERS),
    name.map(lambda n: f"“{n}”"), cjk_text.map(lambda t: f"《{t}》"), name.map(lambda n: f"「{n}」"),
    st.builds(lambda a, b: f"{a}（{b}）", name, cjk_text), st.builds(lambda a: f"[{a}]", any_text),
    st.sampled_from(["。", "，", "；", "：", "\n", "、", "“", "》", "（", "）", "\\", "<script>", "&amp;"]),
)
sentence = st.lists(piece, min_size=1, max_size=12).map("".join)
meta_line = st.builds(lambda k, v: f"- {k}:{v}", st.sampled_from(["发布机构", "公文生成日期", "备注/文号", "索 引 号"]),
                      st.one_of(any_text, st.dates().map(str), name))
document_text = st.builds(lambda meta, title, body: "\n".join([*meta, title, *body]),
                          st.lists(meta_line, max_size=4), st.one_of(any_text, sentence),
                          st.lists(sentence, max_size=8))


def _document(text: str, title: str | None = None, issuer: str | None = None) -> Document:
    return Document(id=content_id(text.encode("utf-8", "surrogatepass")), path="random.txt", text=text,
                    title=title, issuer=issuer, date="2024-05-01")


@SETTINGS
@given(text=document_text, title=st.one_of(st.none(), any_text), issuer=st.one_of(st.none(), name, any_text))
def test_extraction_never_crashes_and_points_into_the_text(text: str, title: str | None, issuer: str | None) -> None:
    ex = extract_document(_document(text, title, issuer))
    for e in ex.entities:
        assert e.type in ENTITY_TYPES and e.name
        for m in e.mentions:
            assert text[m.start:m.end] == m.text
    ids = {e.id for e in ex.entities}
    for r in ex.relations:
        assert r.predicate in PREDICATES and r.subject in ids and r.object in ids and r.evidence
        for ev in r.evidence:
            assert 0 <= ev.start <= ev.end <= len(text)
            assert text[ev.start:ev.end] == ev.sentence
    for ind in ex.indicators:
        assert ind.raw and ind.raw in text
        assert text[ind.evidence.start:ind.evidence.end] == ind.evidence.sentence
        assert ind.raw in ind.evidence.sentence
    json.dumps(ex.to_eval(), ensure_ascii=False)


# -- corpora for the exporters --------------------------------------------------------------------
MARKER = "<x-injected>"
nasty = st.one_of(any_text, st.sampled_from([MARKER, f"厦门{MARKER}钨业", "</script><x-injected>", "a'b\"c\\d",
                                             "line\nbreak", "\x00\x01\x0b", "=1+1", "；分；号;", "🎉𠀀", "\u2028"]))
nonempty = st.one_of(nasty, cjk_text).filter(lambda s: s.strip())


@st.composite
def corpora(draw: st.DrawFn) -> Corpus:
    docs = []
    for i in range(draw(st.integers(1, 3))):
        text = draw(st.text(max_size=80)) + "厦门钨业牵头组建创新联合体。"
        docs.append(Document(id=f"{i:024x}", path=f"dir/{draw(nasty)}{i}.txt".replace("/", "_"), text=text,
                             title=draw(st.one_of(st.none(), nasty)), issuer=draw(st.one_of(st.none(), nasty)),
                             number=draw(st.one_of(st.none(), nasty)), date=draw(st.one_of(st.none(), st.dates().map(str), nasty))))
    doc_ids = [d.id for d in docs]
    entities = []
    for _ in range(draw(st.integers(1, 6))):
        entities.append(Entity(name=draw(nonempty), type=draw(st.sampled_from(ENTITY_TYPES)),
                               aliases=draw(st.lists(nonempty, max_size=3, unique=True)),
                               doc_ids=draw(st.lists(st.sampled_from(doc_ids), min_size=1, unique=True))))
    unique = list({e.id: e for e in entities}.values())
    ids = [e.id for e in unique]

    def evidence() -> Evidence:
        start = draw(st.integers(0, 50))
        return Evidence(draw(st.sampled_from(doc_ids)), draw(nasty), start, start + draw(st.integers(0, 40)),
                        draw(nasty), draw(st.sampled_from(["rule.leads", "enum_subject_trigger", "x"])),
                        draw(st.floats(0, 1)))
    relations = {}
    for _ in range(draw(st.integers(0, 6))):
        r = Relation(draw(st.sampled_from(ids)), draw(st.sampled_from(PREDICATES)), draw(st.sampled_from(ids)),
                     [evidence() for _ in range(draw(st.integers(1, 2)))])
        if r.subject != r.object:
            relations.setdefault(r.key, r)
    indicators = [Indicator(draw(st.sampled_from(doc_ids)), draw(nonempty), draw(st.floats(-1e15, 1e15, allow_nan=False)),
                            draw(st.sampled_from(UNITS)), draw(nonempty), draw(st.sampled_from([None, "亿", "万"])),
                            draw(st.one_of(st.none(), nasty)), draw(st.one_of(st.none(), st.sampled_from(ids))),
                            evidence())
                  for _ in range(draw(st.integers(0, 3)))]
    return Corpus(documents=docs, entities=unique, relations=list(relations.values()), indicators=indicators)


def _cypher_value(text: str, i: int) -> tuple[object, int]:
    """Decode one Cypher literal (the subset write_cypher emits) starting at ``i``."""
    while text[i] == " ":
        i += 1
    ch = text[i]
    if ch == "'":
        out, i = [], i + 1
        escapes = {"\\": "\\", "'": "'", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
        while text[i] != "'":
            if text[i] == "\\":
                if text[i + 1] == "u":
                    out.append(chr(int(text[i + 2:i + 6], 16)))
                    i += 6
                else:
                    out.append(escapes[text[i + 1]])
                    i += 2
            else:
                out.append(text[i])
                i += 1
        return "".join(out), i + 1
    if ch in "[{":
        close, items, pairs, i = "]" if ch == "[" else "}", [], {}, i + 1
        while True:
            while text[i] in " ,":
                i += 1
            if text[i] == close:
                return (items if ch == "[" else pairs), i + 1
            if ch == "[":
                value, i = _cypher_value(text, i)
                items.append(value)
            else:
                m = re.compile(r"`((?:[^`]|``)*)`|([A-Za-z_][A-Za-z0-9_]*)").match(text, i)
                key = m.group(1).replace("``", "`") if m.group(1) is not None else m.group(2)
                i = m.end() + 1  # past ':'
                pairs[key], i = _cypher_value(text, i)
    m = re.compile(r"null|true|false|-?[0-9][0-9.e+\-E]*|-?inf").match(text, i)
    token = m.group()
    value = {"null": None, "true": True, "false": False}.get(token)
    if token not in ("null", "true", "false"):
        value = float(token) if any(c in token for c in ".eE") else int(token)
    return value, m.end()


@SETTINGS
@given(corpus=corpora())
def test_every_exporter_writes_output_its_parser_reads(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> None:
    out = tmp_path_factory.mktemp("export")
    quads = corpus_quads(corpus)
    paths = write_quads(quads, out)
    ds = rdflib.Dataset()
    ds.parse(paths["trig"], format="trig")
    assert len(set(ds.quads((None, None, None, None)))) == len(quads)
    json.loads(paths["jsonld"].read_text(encoding="utf-8"))
    G = to_networkx(quads)

    H = nx.read_graphml(write_graphml(G, out / "g.graphml"))
    assert H.number_of_nodes() == G.number_of_nodes() and H.number_of_edges() == G.number_of_edges()

    csv_paths = write_csv(G, out / "csv")
    for key, count in (("nodes", G.number_of_nodes()), ("edges", G.number_of_edges())):
        with open(csv_paths[key], encoding="utf-8-sig", newline="") as f:
            assert len(list(csv.reader(f))) == count + 1

    batches = list(neo4j.batches(G, batch_size=2))
    for statement, rows in batches:
        assert statement.startswith("UNWIND $rows AS row")
        for row in rows:
            keys = {"id", "props"} if "id" in row else {"source", "target", "props"}
            assert set(row) == keys and isinstance(row["props"], dict)
    script = neo4j.write_cypher(G, out / "load.cypher", batch_size=2).read_text(encoding="utf-8")
    params = [ln for ln in script.split("\n") if ln.startswith(":param rows => ")]
    assert len(params) == len(batches)  # one line per batch: no raw newline escaped the literal
    for line, (_, rows) in zip(params, batches):
        value, end = _cypher_value(line, len(":param rows => "))
        assert line[end:] == ";"
        assert json.dumps(value, sort_keys=True) == json.dumps(neo4j_rows(rows), sort_keys=True)

    page = render_html(G)
    assert MARKER not in page and "<x-injected" not in page


def neo4j_rows(rows: list[dict]) -> list[dict]:
    """The rows as write_cypher encodes them (text with lone surrogates made valid)."""
    from graph.export.columns import clean_text

    def clean(v: object) -> object:
        if isinstance(v, str):
            return clean_text(v)
        if isinstance(v, list):
            return [clean(x) for x in v]
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        return v
    return clean(rows)


def test_cypher_decoder_reads_what_the_writer_escapes() -> None:
    """The test's own decoder against known literals, so a decoder bug cannot hide a writer bug."""
    text = neo4j.cypher_literal([{"a b": "x'\\\n\u2028", "n": None, "f": 1.5, "i": -3, "t": True}])
    assert _cypher_value(text, 0) == ([{"a b": "x'\\\n\u2028", "n": None, "f": 1.5, "i": -3, "t": True}], len(text))
