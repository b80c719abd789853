"""From documents to extraction records: run the spaCy pipeline, group mentions into entities.

This is where a spaCy ``Doc`` becomes plain dataclasses (graph/model.py). Within one document,
mentions of one thing become one Entity: the same gazetteer entry, the same normalised name,
an abbreviation the document uses for a longer name it also gives (金砖科创孵化园 for
中国—金砖国家新时代科创孵化园, 科技局 for the issuer 厦门市科学技术局), or an anaphor
(我市, 我单位). The entity's name is the fullest form in the text, as the annotation guide asks.
"""
from __future__ import annotations

import multiprocessing
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from .model import (DocExtraction, Document, Entity, Evidence, Indicator, Mention, Relation, fullest,
                    normalize_name)
from .nlp import SPANS_KEY, load_pipeline
from .nlp.candidates import DocContext, doc_text

_ANAPHOR_SOURCES = ("context.city", "context.province", "context.issuer_anaphor", "context.own_policy")
_SESSION = re.compile(r"第[一二三四五六七八九十百零]+届")
_FACILITY_HEADS = ("大型科研基础设施", "大科学装置", "科研基础设施", "基础设施", "科学装置")


@lru_cache(maxsize=4)
def pipeline(config: str | None = None) -> Language:
    """One loaded pipeline per config per process (loading reads every lexicon)."""
    return load_pipeline(config)


def run(nlp: Language, document: Document) -> Doc:
    """The pipeline over one document, with its metadata where the components can read it."""
    doc = nlp.make_doc(document.text)
    doc.user_data["pkg_text"] = document.text  # what doc_text() would rebuild token by token
    doc._.pkg_meta = {"issuer": document.issuer, "number": document.number,
                      "title": document.title, "date": document.date}
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def extract_document(document: Document, config: str | None = None) -> DocExtraction:
    """Everything the NLP pass finds in one document, as records."""
    doc = run(pipeline(config), document)
    return doc_to_records(doc, document)


class ExtractionError(Exception):
    """A document the pipeline failed on: named, with the reason; the others still build."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path, self.reason = path, reason

    def __str__(self) -> str:
        return f"{self.path}: extraction failed: {self.reason}"


def _extract_or_error(document: Document, config: str | None) -> DocExtraction | ExtractionError:
    try:
        return extract_document(document, config)
    except Exception as err:  # noqa: BLE001  (one bad document must not stop a corpus)
        return ExtractionError(document.path, f"{type(err).__name__}: {err}")


def extract_all(documents: Iterable[Document], *, config: str | None = None,
                n_process: int = 1) -> Iterator[DocExtraction | ExtractionError]:
    """Extractions in input order, an ExtractionError in place of a document that failed;
    ``n_process`` > 1 spreads documents over fresh worker processes (forkserver: no inherited
    threads, such as a progress bar's)."""
    docs = list(documents)
    done = 0
    if n_process > 1 and len(docs) >= 4:
        context = multiprocessing.get_context("forkserver" if sys.platform.startswith("linux") else "spawn")
        try:
            with ProcessPoolExecutor(max_workers=n_process, mp_context=context) as pool:
                for result in pool.map(_extract_or_error, docs, [config] * len(docs),
                                       chunksize=max(1, min(16, len(docs) // (n_process * 4)))):
                    done += 1
                    yield result
        except BrokenProcessPool:
            pass  # a worker died (out of memory, killed): finish the rest in this process
    for d in docs[done:]:
        yield _extract_or_error(d, config)


def default_workers() -> int:
    """The cores this process may use (a container's quota, not the host's count), at most 8."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


# -- Doc -> records ---------------------------------------------------------------------------
def doc_to_records(doc: Doc, document: Document) -> DocExtraction:
    ctx: DocContext = doc._.pkg_context or DocContext()
    text = doc_text(doc)
    spans = list(doc.spans.get(SPANS_KEY, []))
    groups = _group(spans, ctx)
    entities: list[Entity] = []
    by_offsets: dict[tuple[int, int], Entity] = {}
    by_name: dict[str, Entity] = {}
    for members in groups:
        ent = _entity(members, document.id)
        entities.append(ent)
        for s in members:
            by_offsets[(s.start_char, s.end_char)] = ent
        for n in [ent.name, *ent.aliases]:
            by_name.setdefault(normalize_name(n), ent)
        for s in members:
            if s._.pkg_alias_of:
                by_name.setdefault(normalize_name(s._.pkg_alias_of), ent)

    def implied(name: str) -> Entity:
        key = normalize_name(name)
        if key not in by_name:
            type_ = "Place" if name in (ctx.place, ctx.province) else "GovernmentAgency"
            ent = Entity(name=name, type=type_, confidence=0.6, doc_ids=[document.id])
            entities.append(ent)
            by_name[key] = ent
        return by_name[key]

    relations: dict[tuple[str, str, str], Relation] = {}
    for r in doc._.pkg_relations or []:
        subj = implied(r.subject_name) if r.subject_name else by_offsets.get(r.subject)
        obj = by_offsets.get(r.object)
        if subj is None or obj is None or subj is obj:
            continue
        sentence, start, end = _sentence(text, *r.sentence)
        ev = Evidence(document.id, sentence, start, end, r.trigger, r.extractor, r.confidence)
        rel = Relation(subj.id, r.predicate, obj.id)
        relations.setdefault(rel.key, rel).add_evidence(ev)
    indicators: list[Indicator] = []
    for i in doc._.pkg_indicators or []:
        owner = by_offsets.get(i.subject) if i.subject else (implied(i.subject_name) if i.subject_name else None)
        sentence, start, end = _sentence(text, *i.sentence)
        ev = Evidence(document.id, sentence, start, end, i.raw, "rule.indicator", 0.8)
        indicators.append(Indicator(document.id, i.measure, i.value, i.unit, i.raw, i.scale,
                                    i.period or document.date, owner.id if owner else None, ev))
    return DocExtraction(document, entities, list(relations.values()), indicators,
                         place=ctx.place or ctx.province)


def _sentence(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence without surrounding blanks (　　 indents), with offsets that still match it."""
    raw = text[start:end]
    stripped = raw.strip()
    start += len(raw) - len(raw.lstrip())
    return stripped, start, start + len(stripped)


def _surface(span) -> str:
    """A mention's name: enclosing quotes of a wholly quoted name dropped, 《》 dropped, an
    elided head restored (郑州 in 郑州、洛阳、新乡国家高新技术产业开发区)."""
    if span._.pkg_name:
        return span._.pkg_name
    t = span.text.strip()
    if t.startswith("《") and t.endswith("》"):
        return t[1:-1]
    if t[:1] in "“「" and t[-1:] in "”」" and t.count("“") + t.count("「") == 1:
        return t[1:-1]
    return t


def _group(spans: list, ctx: DocContext) -> list[list]:
    """Mentions of the same thing, by gazetteer id, name, abbreviation or anaphor."""
    keyed: dict[str, list] = defaultdict(list)
    order: list[str] = []
    for s in spans:
        if s._.pkg_source in _ANAPHOR_SOURCES and s._.pkg_alias_of:
            key = "name:" + normalize_name(s._.pkg_alias_of)
        elif s._.pkg_canonical:
            key = "gaz:" + s._.pkg_canonical
        else:  # 北京市第十一届人民代表大会常务委员会 is the 北京市人民代表大会常务委员会 of any session
            key = "name:" + _SESSION.sub("", normalize_name(_surface(s)))
        if key not in keyed:
            order.append(key)
        keyed[key].append(s)
    # a gazetteer group and a name group for the same canonical name are one
    for key in list(order):
        if key.startswith("gaz:"):
            alt = "name:" + normalize_name(key[4:])
            if alt in keyed and alt != key:
                keyed[key].extend(keyed.pop(alt))
                order.remove(alt)
    groups = [keyed[k] for k in order]
    return _merge_abbreviations(groups, ctx)


def _names(group: list) -> list[str]:
    return [_surface(s) for s in group if s._.pkg_source not in _ANAPHOR_SOURCES]


def _type(group: list) -> str:
    votes: dict[str, float] = defaultdict(float)
    for s in group:
        votes[s.label_] += s._.pkg_confidence + (1.0 if s._.pkg_source == "gazetteer" else 0.0)
    return max(votes.items(), key=lambda kv: kv[1])[0]


def _is_abbreviation(short: str, long: str, min_len: int) -> bool:
    """``short`` keeps ``long``'s characters in order and its head: 金砖科创孵化园 in 中国—金砖国家新时代科创孵化园."""
    if len(short) < min_len or len(short) >= len(long) or short[-1] != long[-1]:
        return False
    # align short into long from the left and count the runs of long it skips: an abbreviation
    # drops pieces all over (中国—金砖国家新时代科创孵化园); one piece inserted inside makes
    # another, more specific name (南昌小蓝经开区管委会 is not 南昌经开区管委会), while a piece
    # before it is only context the name was found with (名单后人行南昌中心支行)
    gaps, j, in_gap = 0, 0, False
    for ch in long:
        if j < len(short) and ch == short[j]:
            j += 1
            in_gap = False
        elif not in_gap:
            gaps += 1
            in_gap = True
    return j == len(short) and (gaps >= 2 or short[0] != long[0])


def _same_facility(a: str, b: str) -> bool:
    """智慧储能大科学装置 = 智慧储能大型科研基础设施: one facility under two head words."""
    def stem(x: str) -> str | None:
        return next((x[: -len(h)] for h in _FACILITY_HEADS if x.endswith(h) and len(x) > len(h)), None)
    sa, sb = stem(a), stem(b)
    return sa is not None and sa == sb


def _same_place_level(short: str, long: str, ctx: DocContext) -> bool:
    """市X局 stands for the issuer city's X局, 省X厅 for its province's."""
    place = ctx.place if short[0] in "市区县" else ctx.province
    return bool(place) and long.startswith(normalize_name(place)[:-1]) and short[0] in long[:len(place) + 1]


def _merge_abbreviations(groups: list[list], ctx: DocContext) -> list[list]:
    """Fold a group into another whose fullest name it abbreviates (same type and head)."""
    issuer = normalize_name(ctx.issuer) if ctx.issuer else None
    info = []
    for g in groups:
        names = _names(g)
        info.append((_type(g), normalize_name(fullest(names)) if names else ""))
    target = list(range(len(groups)))
    by_last_char: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (t, n) in enumerate(info):
        if n:
            by_last_char[(t, n[-1])].append(i)
    for i, (t, short) in enumerate(info):
        if not short:
            continue
        min_len = 3 if short == issuer else 5
        if t == "GovernmentAgency" and short[:1] in "市省区县":
            min_len = 4  # 市科技局 abbreviates 福州市科学技术局 (the issuer's own city)
        for j in by_last_char.get((t, short[-1]), []):
            long = info[j][1]
            if t == "Policy" and short in long and not long.endswith(short):
                continue  # 关于修改〈X条例〉的决定, X实施办法 name X whole: an act on X, another instrument
            if j != i and ((_is_abbreviation(short, long, min_len)
                            and (min_len != 4 or _same_place_level(short, long, ctx)))
                           or (t == "GovernmentAgency" and long.replace("人民", "", 1) == short)  # 市政府
                           or (t == "Facility" and len(short) < len(long) and _same_facility(short, long))):
                target[i] = j
                break
    def root(i: int) -> int:
        seen = set()
        while target[i] != i and i not in seen:
            seen.add(i)
            i = target[i]
        return i
    merged: dict[int, list] = {}
    for i, g in enumerate(groups):
        merged.setdefault(root(i), []).extend(g)
    return [merged[k] for k in sorted(merged)]


def _entity(group: list, doc_id: str) -> Entity:
    names = _names(group)
    alias_targets = [s._.pkg_alias_of for s in group if s._.pkg_alias_of]
    canonical = next((s._.pkg_canonical for s in group if s._.pkg_canonical), None)
    if canonical and _type(group) == "Place" and any(s._.pkg_source in _ANAPHOR_SOURCES for s in group):
        name = canonical  # 本市 and 烟台 in a 烟台市 document: the document's own place keeps its full name
    elif names:
        name = fullest(names)
    else:
        name = alias_targets[0] if alias_targets else group[0].text
    aliases: list[str] = []
    for s in group:
        form = s.text if s._.pkg_source in _ANAPHOR_SOURCES else _surface(s)
        if normalize_name(form) != normalize_name(name) and form not in aliases:
            aliases.append(form)
    mentions = [Mention(s.start_char, s.end_char, s.text, s.label_, s._.pkg_source,
                        s._.pkg_confidence) for s in group]
    conf = max(s._.pkg_confidence for s in group)
    return Entity(name=name, type=_type(group), aliases=aliases, mentions=mentions,
                  confidence=round(conf, 3), doc_ids=[doc_id], gazetteer_id=canonical)
