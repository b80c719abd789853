"""Decide which candidates are entity mentions: overlaps, nesting, class mentions, metadata.

Longer names win over the names inside them, gazetteer and titles over grammar; a university,
institute or firm that prefixes a lab or institute name stays as a second, nested mention
(厦门大学表界面化学全国重点实验室 -> the lab and 厦门大学), as the annotation guide asks.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from ..model import normalize_name
from .candidates import SPANS_KEY, Candidate, candidates, doc_text
from .lexicon import gazetteer, resolve_data_dir, word_list

#: Which source wins when two candidates cover the same text.
_PRIORITY = {"gazetteer": 5, "context.issuer": 5, "grammar.title": 5, "grammar.quoted": 4,
             "grammar.quoted_head": 4, "grammar.person": 4, "context.city": 4,
             "context.province": 4, "context.issuer_anaphor": 4, "context.own_policy": 4, "context.own_title": 5, "grammar.elided": 6, "grammar.head": 3, "grammar.enumeration": 2,
             "grammar.field_list": 3, "grammar.quoted_bare": 1}
#: The adoption line of a regulation ((2000年12月8日北京市第十一届人民代表大会常务委员会第二十三次会议
#: 通过)): it names meetings, not actors, so nothing in it is an entity.
_ADOPTION = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日[^。\n]{0,80}?会议(?:通过|批准|修正|修订|审议)[^\n]{0,200}?(?:[）)]|$)", re.M)
_JUNK = re.compile(r"[或和与及]|可|享受|当地|找|请")
_UNIT_HEADS = ("中心", "分中心", "分公司", "公司", "分行", "支行", "办公室", "分局", "中心支行")
_BRANCH_OWNERS = frozenset({"FinancialInstitution", "GovernmentAgency"})
_ACADEMIES = ("科学院", "工程院")
_UPPER_LEVELS = ("省", "市", "自治区", "自治州", "盟")  # the levels a lower place is written after
_LOWER_BODY = re.compile(r"[市县区](?:人民)?政府|[市县区]人民代表大会(?:常务委员会)?")
_NESTING_OUTER = frozenset({"Lab", "ResearchInstitute", "InnovationPlatform", "Facility", "IncubatorOrPark"})
_NESTING_INNER = frozenset({"University", "ResearchInstitute", "Enterprise", "GovernmentAgency"})


def _joined_places(pool: list[Candidate], text: str) -> list[Candidate]:
    """北京市 + 海淀区, 广东省 + 深圳市 + 福田区, 内蒙古自治区 + 呼和浩特市 written together name one place."""
    places = {c.start: c for c in pool if c.type == "Place" and c.source == "gazetteer"}
    out: list[Candidate] = []
    for c in list(places.values()):
        end = c.end
        # (a province is under no place: 江苏省浙江省 is two)
        while (text.endswith(_UPPER_LEVELS, c.start, end) and (nxt := places.get(end))
               and not text.endswith(("省", "自治区"), nxt.start, nxt.end)):
            end = nxt.end
            out.append(Candidate(c.start, end, "Place", "gazetteer", c.confidence, text=text[c.start:end]))
    return out


def _inherit_owner_types(pool: list[Candidate], text: str) -> None:
    """A unit of a known bank or agency is one of them: 中国信保江西分公司 is a financial
    institution, 中国人民银行征信中心 an agency (units only: 中心, 分公司, 分行…, not 系统/平台)."""
    owners = [p for p in pool if p.source == "gazetteer" and p.type in _BRANCH_OWNERS]
    for c in pool:
        if c.type not in ("Enterprise", "InnovationPlatform") or not text.endswith(_UNIT_HEADS, c.start, c.end):
            continue
        owner = next((p for p in owners if p.start == c.start and p.end < c.end), None)
        if owner is not None and (c.type == "InnovationPlatform") == (owner.type == "GovernmentAgency"):
            c.type = owner.type


def _longest_first(pool: list[Candidate], size: int) -> list[Candidate]:
    """Non-overlapping candidates: longer names first, then the more trusted source."""
    pool.sort(key=lambda c: (-(c.end - c.start), -_PRIORITY.get(c.source, 0), c.start))
    taken: list[Candidate] = []
    occupied = bytearray(size + 1)
    for c in pool:
        if any(occupied[c.start:c.end]):
            continue
        taken.append(c)
        occupied[c.start:c.end] = b"\x01" * (c.end - c.start)
    return taken


def _occurrences(taken: list[Candidate], text: str, known: set[tuple[int, int]]) -> list[Candidate]:
    """Other places the text writes a name the grammar found (厦门钨业 in a counted list, then
    厦门钨业牵头组建…): candidates there too. Titles and people are left out (too short or unique)."""
    out: list[Candidate] = []
    seen: set[str] = set()
    for c in taken:
        name = text[c.start:c.end]
        if (name in seen or len(name) < 3 or not c.source.startswith("grammar")
                or c.source == "grammar.title" or c.type == "Person"):
            continue
        seen.add(name)
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            if (at, end) not in known:
                out.append(Candidate(at, end, c.type, c.source, round(c.confidence * 0.9, 3),
                                     canonical=c.canonical, text=name))
            at = text.find(name, end)
    return out


class EntityDecider:
    """Turns ``doc._.pkg_candidates`` into the ``doc.spans["pkg_entities"]`` group."""

    def __init__(self, data_dir: str, min_confidence: float) -> None:
        d = resolve_data_dir(data_dir)
        self.not_entities = {normalize_name(w) for w in word_list(d, "not_entities")}
        self.not_entity_rx = [re.compile(p) for p in word_list(d, "not_entity_patterns")]
        self.qualifier_tails = tuple(word_list(d, "agency_qualifier_tails"))
        self.gazetteer = gazetteer(d)
        self.min_confidence = min_confidence

    def __call__(self, doc: Doc) -> Doc:
        ctx = doc._.pkg_context
        meta_end = ctx.metadata_end if ctx else 0
        text = doc_text(doc)
        adoption = [(m.start(), m.end()) for m in _ADOPTION.finditer(text)]

        def in_body(c: Candidate) -> bool:  # metadata and adoption lines name no actors
            return ((c.start >= meta_end or c.source == "context.issuer")
                    and not any(a <= c.start < b for a, b in adoption))

        pool = [c for c in candidates(doc)
                if c.confidence >= self.min_confidence and in_body(c)
                and normalize_name(c.text) not in self.not_entities
                and not (c.source.startswith("grammar") and self._junk(c.text))
                and not (c.type == "GovernmentAgency" and text.startswith(self.qualifier_tails, c.end))
                # in a province's document, 市人民政府 is every city's government, a class
                and not (ctx and ctx.province and not ctx.place and _LOWER_BODY.fullmatch(c.text))]
        pool.extend(_joined_places(pool, text))
        pool = self._drop_junk_prefixes(pool, text)
        _inherit_owner_types(pool, text)
        for c in pool:  # 市工信局 is 厦门市工业和信息化局 only in a Xiamen document
            entry = self.gazetteer.get(c.text) if c.source == "gazetteer" else None
            if entry and entry.place and c.text[:1] in "市区县" and (not ctx or ctx.place != entry.place):
                c.canonical = None
        taken = _longest_first(pool, len(text))
        # a name found once is the same name wherever else the text writes it: decide again
        # with those occurrences (厦门钨业 beats the shorter place 厦门 there)
        pool.extend(filter(in_body, _occurrences(taken, text, {(c.start, c.end) for c in pool})))
        taken = _longest_first(pool, len(text))
        taken.extend(self._nested(pool, taken))
        group = SpanGroup(doc, name=SPANS_KEY)
        for c in sorted(taken, key=lambda c: (c.start, c.end)):
            span = doc.char_span(c.start, c.end, label=c.type, alignment_mode="expand")
            if span is None:
                continue
            span._.pkg_canonical = c.canonical
            span._.pkg_source = c.source
            span._.pkg_confidence = c.confidence
            span._.pkg_alias_of = c.alias_of
            span._.pkg_name = c.name
            group.append(span)
        doc.spans[SPANS_KEY] = group
        return doc

    def _junk(self, text: str) -> bool:
        """A grammar name the not-entity patterns match, quotes and title marks aside."""
        bare = text.strip("《》“”「」")
        return any(rx.match(bare) for rx in self.not_entity_rx)

    def _drop_junk_prefixes(self, pool: list[Candidate], text: str) -> list[Candidate]:
        """A grammar name that ends like a gazetteer name but adds only junk before it loses:
        业务发生机构或当地人民银行 is 人民银行."""
        known = {(c.end, c.start) for c in pool if c.source == "gazetteer"}
        ends = {}
        for end, start in known:
            ends.setdefault(end, []).append(start)
        out = []
        for c in pool:
            if c.source.startswith("grammar") and c.end in ends:
                inner = min((s for s in ends[c.end] if s > c.start), default=None)
                if inner is not None and _JUNK.search(text[c.start:inner]):
                    continue
            out.append(c)
        return out

    @staticmethod
    def _nested(pool: list[Candidate], taken: list[Candidate]) -> list[Candidate]:
        """Organisations that prefix a taken lab or institute name, and titles in the own title."""
        out: list[Candidate] = []
        by_start: dict[int, list[Candidate]] = {}
        for c in pool:
            if c.type in _NESTING_INNER:
                by_start.setdefault(c.start, []).append(c)
        for outer in taken:
            if outer.source == "context.own_title":  # 科技部印发《X》的通知: X is an instrument too
                out.extend(c for c in pool if c.source == "grammar.title"
                           and outer.start <= c.start and c.end <= outer.end and c.end - c.start < outer.end - outer.start)
                continue
            if outer.type not in _NESTING_OUTER or outer.source == "gazetteer":
                continue
            # (an academy before its own institute, 中国科学院计算技术研究所, names the institute only)
            inner = [c for c in by_start.get(outer.start, []) if c.end < outer.end
                     and not (outer.type == "ResearchInstitute" and c.text.endswith(_ACADEMIES))]
            if inner:
                out.append(max(inner, key=lambda c: (c.end - c.start, _PRIORITY.get(c.source, 0))))
        return out


@Language.factory("pkg_entities", assigns=["doc.spans"], requires=["doc._.pkg_candidates"],
                  default_config={"data_dir": "", "min_confidence": 0.5})
def make_entities(nlp: Language, name: str, data_dir: str, min_confidence: float) -> EntityDecider:
    return EntityDecider(data_dir, min_confidence)
