"""Entity resolution across documents: one node per real-world thing.

Safe merges only: the same gazetteer entry (市工信局 and 厦门市工业和信息化局), or the same
normalised name and type. An agency named relative to its issuer (财政局, 省政府办公厅, 市工信局
with no gazetteer entry) means a different body in each city, so such names merge only within
one issuer's place (or one document when the place is unknown), and identical ones across
places are reported for review. A name that abbreviates another of the
same type in a different document (金砖科创孵化园 / 中国—金砖国家新时代科创孵化园) is reported
too, never merged silently.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from .model import (Corpus, DocExtraction, Entity, Indicator, MergeCandidate, Relation, fullest,
                    normalize_name)
from .nlp.lexicon import gazetteer, resolve_data_dir, table, word_list

#: Above this many entities sharing a head, abbreviation review is skipped for that head.
_REVIEW_BUCKET_LIMIT = 300


def is_relative_name(name: str, type_: str, gazetteer_id: str | None, data_dir: str | Path | None = None) -> bool:
    """An agency name that only the issuer's place makes definite (财政局, 市工信局)."""
    data = resolve_data_dir(data_dir)
    return _relative(name, type_, gazetteer_id, _place_names(data), _national(data))


@lru_cache(maxsize=4)
def _national(data_dir: Path) -> tuple[str, ...]:
    return tuple(word_list(data_dir, "national_prefixes"))


def _relative(name: str, type_: str, gazetteer_id: str | None, places: frozenset[str],
              national: tuple[str, ...]) -> bool:
    if type_ != "GovernmentAgency" or gazetteer_id:
        return False
    if name.startswith(national):
        return False
    return not any(name[:k] in places for k in range(min(len(name), 8), 1, -1))


@lru_cache(maxsize=4)
def _place_names(data_dir: Path) -> frozenset[str]:
    return frozenset(k for k, v in gazetteer(data_dir).items() if v.type == "Place")


@lru_cache(maxsize=4)
def _anaphors(data_dir: Path) -> frozenset[str]:
    """我市, 我单位…: forms that name a different thing in every document, never an alias across them."""
    return frozenset(k for k, v in table(data_dir, "anaphora").items() if v != "own_policy")


def _key(e: Entity, doc_id: str, place: str | None, places: frozenset[str],
         national: tuple[str, ...]) -> tuple[str, ...]:
    if e.gazetteer_id:
        return ("gaz", e.type, e.gazetteer_id)
    if _relative(e.name, e.type, e.gazetteer_id, places, national):
        # 市科技局 means the same bureau in every document of one city, and nothing across cities
        return ("rel", e.type, normalize_name(e.name), f"place:{place}" if place else doc_id)
    return ("name", e.type, normalize_name(e.name))


def resolve(extractions: list[DocExtraction], data_dir: str | Path | None = None) -> Corpus:
    """Merge the per-document entities of ``extractions`` into one Corpus.

    ``data_dir`` is the lexicon folder the pipeline config names (None: the shipped one): its places
    and anaphors decide which names are relative to a city and which forms are never aliases.
    """
    data = resolve_data_dir(data_dir)
    places, anaphors, national = _place_names(data), _anaphors(data), _national(data)
    members: dict[tuple[str, ...], list[Entity]] = defaultdict(list)
    old_to_key: dict[tuple[str, str], tuple[str, ...]] = {}
    for ex in extractions:
        for e in ex.entities:
            k = _key(e, ex.document.id, ex.place, places, national)
            members[k].append(e)
            old_to_key[(ex.document.id, e.id)] = k
    merged: dict[tuple[str, ...], Entity] = {}
    for k, ents in members.items():
        merged[k] = _merge(ents, k, anaphors)
    relations: dict[tuple[str, str, str], Relation] = {}
    indicators: list[Indicator] = []
    for ex in extractions:
        did = ex.document.id
        for r in ex.relations:
            s = merged[old_to_key[(did, r.subject)]].id
            o = merged[old_to_key[(did, r.object)]].id
            if s == o:
                continue
            new = Relation(s, r.predicate, o)
            rel = relations.setdefault(new.key, new)
            for ev in r.evidence:
                rel.add_evidence(ev)
        for ind in ex.indicators:
            subject = merged[old_to_key[(did, ind.subject)]].id if ind.subject else None
            indicators.append(Indicator(ind.doc_id, ind.measure, ind.value, ind.unit, ind.raw,
                                        ind.scale, ind.period, subject, ind.evidence))
    entities = sorted(merged.values(), key=lambda e: e.id)
    return Corpus(documents=[ex.document for ex in extractions], entities=entities,
                  relations=sorted(relations.values(), key=lambda r: r.key),
                  indicators=indicators, review=_review(merged))


def _merge(ents: list[Entity], key: tuple[str, ...], anaphors: frozenset[str]) -> Entity:
    """One entity from its mentions in many documents: the gazetteer's or the fullest name."""
    if key[0] == "gaz":
        name = key[2]
    else:
        name = fullest([e.name for e in ents])
    aliases: list[str] = []
    for e in ents:
        for form in [e.name, *e.aliases]:
            if form != name and form not in aliases and form not in anaphors:
                aliases.append(form)
    doc_ids = sorted({d for e in ents for d in e.doc_ids})
    return Entity(name=name, type=ents[0].type, aliases=sorted(aliases),
                  mentions=[m for e in ents for m in e.mentions],
                  confidence=max(e.confidence for e in ents), doc_ids=doc_ids,
                  gazetteer_id=ents[0].gazetteer_id, scope=key[3] if key[0] == "rel" else None)


def _review(merged: dict[tuple[str, ...], Entity]) -> list[MergeCandidate]:
    """Pairs that may be one thing: same relative name in two documents; abbreviations."""
    out: list[MergeCandidate] = []
    relative: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    by_head: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for k, e in merged.items():
        if k[0] == "rel":
            relative[(k[1], k[2])].append(e)
        norm = normalize_name(e.name)
        if len(norm) >= 4:
            by_head[(e.type, norm[-2:])].append(e)
    for ents in relative.values():
        for a, b in zip(ents, ents[1:]):
            out.append(MergeCandidate(a.id, b.id, f"same relative agency name {a.name!r} in documents of different places"))
    for ents in by_head.values():
        if len(ents) > _REVIEW_BUCKET_LIMIT:
            continue
        names = [(normalize_name(e.name), e) for e in ents]
        for sa, a in names:
            for sb, b in names:
                if a is not b and len(sa) < len(sb) and _subsequence(sa, sb):
                    out.append(MergeCandidate(a.id, b.id, f"{a.name!r} may abbreviate {b.name!r}"))
    return sorted(out, key=lambda m: (m.left, m.right))


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)
