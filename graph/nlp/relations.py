"""Relations between decided mentions, from trigger words and Chinese clause structure.

A sentence splits into clauses on ，；：. Around each trigger (data/lexicon/relations.json) the
subject is the run of mentions closest before it and the objects the mentions after it, up to
the next trigger. A clause that names no subject takes the subject carried from an earlier
clause of the sentence, the actor of the item heading (一是提升厦门科学城…), or the issuer's
place or the issuer itself (我市, 我单位), as the relation's spec allows.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ..model import ORGANIZATION_TYPES
from .candidates import SPANS_KEY, RelationRecord, doc_text
from .lexicon import automaton, find_all, heads, json_data, resolve_data_dir

_ARTICLE = re.compile(r"\s*第[一二三四五六七八九十百零]+条\s*")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_CLAUSE_SPLIT = re.compile(r"[，,；;：:]")
# a task's column of responsible units (（国家发展改革委牵头，各地区负责）), which names no actor in the text
_DUTY_COLUMN = re.compile(r"[（(][^（）()\n]{2,120}(?:负责|牵头)[^（）()\n]{0,40}[）)]")
_DUTY_REACH = 400  # how far after a task's sentence its column may stand (bounded: one-line documents)
_ITEM_MARK = re.compile(r"(?:^|(?<=[。；]))\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十]+[)）])")
#: 建设 after a name is passive (X开工建设) only in these words or after these verbs (加强X建设);
#: otherwise it is a noun (北京国际科技创新中心建设应当…).
_PASSIVE_WORDS = frozenset({"启动建设", "开工建设", "加快建设", "建成"})
_PASSIVE_LEADS = ("加强",)  # 推进X建设 is progress on X, not building it (the annotation guide)
_AFFILIATED_OUTER = frozenset({"Lab", "ResearchInstitute"})
_SECOND_VERB = re.compile(r"(?:和|及|并|与)(?:服务)?[\u4e00-\u9fff]{2}(?=[\u4e00-\u9fff“《])")
#: a class noun right before a trigger is the actor (支持中介服务机构建设…): no implied subject then
_GENERIC_ACTOR = re.compile(r"(?:企业|单位|机构|高校|院所|银行|部门|社会力量|市场主体|个人)(?:[\u4e00-\u9fff]{0,2})$")
#: a clause whose actor is the state itself (第十条 国家加快建设…), not an entity nor the issuer
_STATE_ACTOR = re.compile(r"\s*(?:第[一二三四五六七八九十百零]+条\s*)?国家[\u4e00-\u9fff]{0,4}")
#: characters that may follow an object name: conjunctions, 等, and verbs' particles
_CREATIONS = frozenset({"builds", "issues"})  # what is built or issued is named whole
_OBJECT_FOLLOWERS = frozenset("、和及与或等并为以在将同自已，")  # 同时废止, 自…起施行: the clause goes on
_GENERIC_TAIL = re.compile(r"(?:有关|相关|所属|各)(?:部门|单位|机构)")
_WHERE = frozenset({"IncubatorOrPark", "Place"})
_ISSUING = ("印发", "转发", "发布", "颁布")
_RUN_GAP = re.compile(r"^(?:[、，和与及或\s“”]|以及|等|\d+(?:多|余)?[家个所项]|[一二三四五六七八九十]+[家个所]"
                      r"|[（(]以下(?:简|统)?称[^（）()]{1,20}[）)])*$")  # A（以下简称“a”）、B…: still one list


@dataclass(frozen=True)
class Ref:
    """A decided mention as the relation rules see it (char offsets, type, text)."""

    start: int
    end: int
    type: str
    text: str


@dataclass(frozen=True)
class TriggerSpec:
    predicate: str
    subject: frozenset[str]
    object: frozenset[str]
    implied: str | None
    passive: bool
    by_type: bool
    first_run: bool
    confidence: float


def _types(names: list[str]) -> frozenset[str]:
    out: set[str] = set()
    for n in names:
        out |= ORGANIZATION_TYPES if n == "ORG" else {n}
    return frozenset(out)


class RelationExtractor:
    """Fills ``doc._.pkg_relations`` with RelationRecords."""

    def __init__(self, data_dir: str) -> None:
        spec = json_data(resolve_data_dir(data_dir), "relations")
        self.specs: dict[str, TriggerSpec] = {}
        for t in spec["triggers"]:
            ts = TriggerSpec(t["predicate"], _types(t["subject"]), _types(t["object"]),
                             t.get("implied"), bool(t.get("passive")), bool(t.get("by_type")),
                             t.get("object_scope") == "first_run", float(t["confidence"]))
            for w in t["words"]:
                self.specs.setdefault(w, ts)
        self.blockers = frozenset(spec["blockers"])
        self.auto = automaton(list(self.specs) + list(self.blockers))
        self.name_heads = tuple(h for h, (t, _m) in heads(resolve_data_dir(data_dir)).items()
                                if t in ORGANIZATION_TYPES and len(h) >= 2)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        ctx = doc._.pkg_context
        spans = doc.spans.get(SPANS_KEY, [])
        mentions = [Ref(s.start_char, s.end_char, s.label_, s.text) for s in spans]
        top = _Mentions(_outermost(mentions))
        records: list[RelationRecord] = []
        records.extend(self._nested(mentions, top, text))
        # the issuer's place acts where it is named (厦门市, 我市); a regulation that names its
        # province only inside other names (河南省人民代表大会…) leaves the issuer as the actor
        place_named = any(m.type == "Place" for m in mentions)
        own = [s for s in spans if s._.pkg_source in ("context.own_title", "context.own_policy")]
        # the issuers issue the document's own instrument (本条例); a regulation with no issuer in
        # its metadata is the place's (制定本条例, with the actor unstated)
        issuers = (ctx.issuers or ((ctx.place or ctx.province,) if place_named and (ctx.place or ctx.province) else ())
                   if ctx else ())
        if own and issuers:
            first = own[0]
            records.extend(RelationRecord((-1, -1), "issues", (first.start_char, first.end_char),
                                          (first.start_char, first.end_char), first.text,
                                          "rule.issues.own_document", 0.8, subject_name=issuer)
                           for issuer in issuers)
            # 科技部印发《关于…的指导意见》的通知: the issuers issue the instrument the notice carries
            carried_titles = [m for m in mentions if m.type == "Policy" and first.start_char <= m.start
                              and m.end <= first.end_char and (m.start, m.end) != (first.start_char, first.end_char)
                              and text[max(first.start_char, m.start - 3):m.start].rstrip("《").endswith(_ISSUING)]
            records.extend(RelationRecord((-1, -1), "issues", (m.start, m.end), (first.start_char, first.end_char),
                                          first.text, "rule.issues.own_document", 0.8, subject_name=issuer)
                           for m in carried_titles for issuer in issuers)
        body_start = ctx.metadata_end if ctx else 0
        item_subject: list[Ref] = []
        for line in re.finditer(r"[^\n]+", text[body_start:]):
            line_start = body_start + line.start()
            line_text = line.group(0)
            item_subject = []
            items = [m.start() for m in _ITEM_MARK.finditer(line_text)]
            article = _ARTICLE.match(line_text)
            if article:  # 第十条 市人民政府应当…: the actor opening an article acts in all of it
                at = line_start + article.end()
                opener = [m for m in top.between(at, at + 2) if m.type in ("GovernmentAgency", "Place")]
                item_subject = opener[:1]
            for sent in _SENTENCE.finditer(line_text):
                s0, s1 = line_start + sent.start(), line_start + sent.end()
                if sent.start() in items or any(sent.start() <= i < sent.end() for i in items):
                    heading = [m for m in top.between(s0, s1)
                               if m.type in (ORGANIZATION_TYPES | {"Place"})]
                    item_subject = heading[:1]
                records.extend(self._sentence(text, s0, s1, top, item_subject, ctx, place_named))
        doc._.pkg_relations = records
        return doc

    # -- one sentence -----------------------------------------------------------------------
    def _sentence(self, text: str, s0: int, s1: int, top: list[Ref],
                  item_subject: list[Ref], ctx, place_named: bool) -> list[RelationRecord]:
        out: list[RelationRecord] = []
        inside = [m for m in top.between(s0, s1) if m.end <= s1]
        bounds = [s0] + [s0 + m.end() for m in _CLAUSE_SPLIT.finditer(text[s0:s1])] + [s1]
        clauses = [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
        triggers = self._triggers(text, s0, s1, inside)
        carried: list[Ref] = []
        agent: list[Ref] = []
        for ci, (c0, c1) in enumerate(clauses):
            ts = [t for t in triggers if c0 <= t[0] < c1]
            topic = [m for m in inside if c0 <= m.start <= c0 + 1 and m.type in (ORGANIZATION_TYPES | {"Place"})]
            if topic:  # a clause that opens with a name makes it the topic of what follows
                carried = _first_run(text, c0, [m for m in inside if c0 <= m.start < c1])
            coop_subjects: dict[int, tuple[list[Ref], tuple[str, ...]]] = {}
            hosts: dict[int, list[Ref]] = {}  # a builds trigger right after 依托X: X
            for ti, (t0, t1, word) in enumerate(ts):
                spec = self.specs[word]
                # 支持X建设Y: the support is the relation stated, not who builds (but 支持X在Z设立Y
                # still says where Y is)
                support_only = spec.predicate == "builds" and ti and self.specs[ts[ti - 1][2]].predicate == "funds"
                left0 = ts[ti - 1][1] if ti else c0
                right1 = ts[ti + 1][0] if ti + 1 < len(ts) else c1
                left = [m for m in inside if left0 <= m.start and m.end <= t0]
                right = [m for m in inside if t1 <= m.start and m.end <= right1]
                subjects = _last_run(text, [m for m in left if m.type in spec.subject])
                host = hosts.get(ti)
                if host:  # 我市依托X建设Y: X hosts Y; who builds stands before 依托
                    subjects = _last_run(text, [m for m in inside if c0 <= m.start and m.end <= ts[ti - 1][0]
                                                and m.type in spec.subject])
                coop = coop_subjects.get(ti - 1)
                if coop is not None:  # X会同Y建立Z: X builds Z (Y is X's partner, not the subject)
                    if not coop[0] and not coop[1]:
                        continue
                    # …会同A、B共建Z: co-building is what the partners do too
                    partners = subjects if spec.predicate == "coBuilds" else []
                    subjects = [m for m in coop[0] if m.type in spec.subject] + partners
                if spec.predicate == "cooperatesWith":  # what follows 会同… is done by this subject
                    coop_subjects[ti] = (subjects, ())
                # 国务院有关部门 is a class of departments, not 国务院; in 建立X统筹发展机制 X only
                # qualifies what is built
                objects = [m for m in right if m.type in spec.object and not _GENERIC_TAIL.match(text, m.end)
                           and not (spec.predicate in _CREATIONS and _qualifier(text, m))]
                if spec.first_run:
                    verb2 = _SECOND_VERB.match(text, t1)
                    # the list is read whole, then its members of the object's types kept
                    # (支持浦东新区、中国（上海）自由贸易试验区…: a place may open the list)
                    run = _first_run(text, verb2.end() if verb2 else t1, right)
                    objects = [m for m in objects if m in run]
                    if not objects and spec.predicate == "funds":
                        # 支持在有条件的自贸试验区开展知识产权证券化试点: what is supported is the pilot
                        at = text.find("开展", t1, right1)
                        objects = [m for m in right if at >= 0 and at + 2 <= m.start <= at + 4
                                   and m.type == "Policy"][:1]
                objects = _drop_quoted_owners(text, objects)
                conf = spec.confidence
                if word == "依托" and objects and ti + 1 < len(ts) and self.specs[ts[ti + 1][2]].predicate == "builds" \
                        and ts[ti + 1][0] - objects[-1].end <= 1:
                    hosts[ti + 1] = objects  # 依托X建设Y: Y is affiliated with X (below, at 建设)
                    continue
                if (not objects and spec.predicate == "issues" and ctx and ctx.issuers
                        and text.startswith("给你们", t1)):
                    # 《…》已经省政府同意，现印发给你们: the issuer speaks
                    policies = [m for m in inside if m.type == "Policy" and m.end <= t0][:1]
                    out.extend(self._records([], ctx.issuers, policies, spec, word, (s0, s1), conf))
                    continue
                if (spec.predicate == "builds" and word == "建设" and not host and self._nominal(text, left, left0, t0)):
                    continue  # 北京国际科技创新中心建设应当…: the construction of X, not X builds
                if not objects and left and left[-1].type in spec.object:
                    last = left[-1]
                    gap = text[last.end:t0]
                    before = text[max(left0, last.start - 2):last.start]
                    passive = spec.passive and len(gap) <= 2 and (
                        word in _PASSIVE_WORDS or any(w in text[max(left0, last.start - 4):last.start]
                                                      for w in _PASSIVE_LEADS))
                    if passive:
                        objects, subjects, conf = _last_run(text, [m for m in left if m.type in spec.object]), [], conf - 0.1
                    elif spec.predicate == "issues" and ("将" in before or "把" in before):
                        objects, subjects = [last], []
                        out.extend(self._records([], ctx.issuers if ctx else (), objects, spec, word,
                                                 (s0, s1), conf - 0.1))
                        continue
                if not objects and subjects and spec.predicate in ("leads", "coBuilds", "builds"):
                    # 三坊创新实验室由闽江科技大学牵头组建: the topic before 由 is the object
                    topic_obj = [m for m in carried + inside
                                 if m.end <= subjects[0].start and m.type in spec.object
                                 and "由" in text[m.end:subjects[0].start]]
                    objects = topic_obj[:1]
                    by_agent = bool(objects)  # the topic, not the agent after 由, goes on
                else:
                    by_agent = False
                if (not objects and spec.predicate == "cooperatesWith" and len(subjects) >= 2
                        and not text[subjects[-1].end:t0].strip()):
                    # 科技部、教育部、中科院联合制定: the members of the list work with each other
                    out.extend(_record(a, spec.predicate, b, spec, word, (s0, s1))
                               for i, a in enumerate(subjects) for b in subjects[i + 1:] if a.text != b.text)
                    continue
                if not objects:
                    continue
                if host:
                    hosting = self.specs[ts[ti - 1][2]]  # 依托: affiliatedWith
                    out.extend(_record(o, hosting.predicate, h, hosting, ts[ti - 1][2], (s0, s1))
                               for o in objects for h in host)
                located = [m for m in left if m.type in ("Place", "IncubatorOrPark")
                           and text[max(0, m.start - 1):m.start] == "在"]
                if located and spec.predicate == "builds":
                    subjects = [m for m in subjects if m not in located]
                    loc_spec = TriggerSpec("locatedIn", frozenset(), frozenset(), None, False, False,
                                           False, spec.confidence)
                    for o in objects:
                        out.append(_record(o, "locatedIn", located[-1], loc_spec, word, (s0, s1)))
                if support_only:
                    continue
                implied_name: tuple[str, ...] = ()
                if subjects:
                    carried = objects if by_agent else subjects
                    agent = subjects if by_agent else agent
                elif _GENERIC_ACTOR.search(text, max(left0, t0 - 8), t0) or _STATE_ACTOR.fullmatch(text, c0, t0):
                    continue  # 银行…提供, 国家加快建设: a stated actor that is no entity
                else:  # a passive object is no subject of its own clause: skip the carried topic
                    # (由X牵头组建，会同A、B共建: X, not the thing built, works with A and B)
                    pool = agent if spec.predicate == "cooperatesWith" and agent else carried
                    topic_free = [m for m in pool if m not in objects]
                    subjects, implied_name, conf = self._implied(spec, topic_free, item_subject, clauses,
                                                                 ci, inside, ctx, conf, place_named)
                    if implied_name and _duty_column(text, s0, s1):
                        continue  # …（科技部、财政部按职责分工负责）: the column, not the text, names who acts
                if spec.predicate == "cooperatesWith":
                    coop_subjects[ti] = (subjects, implied_name)  # now with an implied subject too
                out.extend(self._records(subjects, implied_name, objects, spec, word, (s0, s1), conf))
        return out

    def _nominal(self, text: str, left: list[Ref], left0: int, t0: int) -> bool:
        """建设 right after a name (a mention, or words ending in a name head) is a noun."""
        if left and left[-1].end == t0:
            return not any(w in text[max(left0, left[-1].start - 4):left[-1].start] for w in _PASSIVE_LEADS)
        return any(text.endswith(h, max(0, t0 - len(h)), t0) for h in self.name_heads)

    def _implied(self, spec: TriggerSpec, carried: list[Ref], item_subject: list[Ref],
                 clauses: list[tuple[int, int]], ci: int, inside: list[Ref], ctx,
                 conf: float, place_named: bool) -> tuple[list[Ref], tuple[str, ...], float]:
        """The subject a clause leaves unstated."""
        fit = [m for m in carried if m.type in spec.subject]
        if fit and spec.implied is not None:
            return fit, (), conf - 0.05
        if spec.implied == "next_clause" and ci + 1 < len(clauses):
            c0, c1 = clauses[ci + 1]
            nxt = [m for m in inside if c0 <= m.start < c1 and m.type in spec.subject
                   and m.type in ORGANIZATION_TYPES]
            return nxt, (), conf - 0.05
        if spec.implied == "carried":
            return [], (), conf
        fit = [m for m in item_subject if m.type in spec.subject]
        if fit and spec.implied in ("place", "issuer"):
            return fit, (), conf - 0.05
        if spec.implied == "place" and ctx and (ctx.place or ctx.province) and place_named:
            return [], (ctx.place or ctx.province,), conf - 0.1
        # a national document (国务院, 科技部) speaks for no place: its issuer is the actor
        if spec.implied in ("place", "issuer") and ctx and ctx.issuers:
            return [], ctx.issuers, conf - 0.1
        return [], (), conf

    def _records(self, subjects: list[Ref], implied: tuple[str, ...], objects: list[Ref],
                 spec: TriggerSpec, word: str, sentence: tuple[int, int], conf: float) -> list[RelationRecord]:
        out: list[RelationRecord] = []
        for o in objects:
            for s in subjects:
                if s.text == o.text:
                    continue
                if spec.by_type:  # 园区落地研究院 and 研究院落户园区 both mean the institute is in the park
                    if s.type in _WHERE and o.type not in _WHERE:
                        s, o = o, s
                    if o.type not in _WHERE or s.type in _WHERE:
                        continue
                out.append(_record(s, spec.predicate, o, spec, word, sentence, conf))
            if not subjects and not (spec.predicate == "issues" and o.text.startswith("本")):
                out.extend(RelationRecord((-1, -1), spec.predicate, (o.start, o.end), sentence, word,
                                          f"rule.{spec.predicate}.implied", round(conf, 3),
                                          subject_name=name) for name in implied)
        return out

    def _triggers(self, text: str, s0: int, s1: int, inside: list[Ref]) -> list[tuple[int, int, str]]:
        """Trigger words of the sentence, longest first, outside names and blockers."""
        hits = [(s0 + a, s0 + b, w) for a, b, w in find_all(self.auto, text[s0:s1])]
        blocked = [(a, b) for a, b, w in hits if w in self.blockers]
        hits = [h for h in hits if h[2] in self.specs
                and not any(a < h[1] and h[0] < b for a, b in blocked)
                and not any(m.start < h[1] and h[0] < m.end for m in inside)]
        hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
        chosen: list[tuple[int, int, str]] = []
        for h in hits:
            if not any(c[0] < h[1] and h[0] < c[1] for c in chosen):
                chosen.append(h)
        return sorted(chosen)

    @staticmethod
    def _nested(mentions: list[Ref], top: list[Ref], text: str) -> list[RelationRecord]:
        """affiliatedWith from nested names and the X“Y” construction."""
        out: list[RelationRecord] = []
        spec = TriggerSpec("affiliatedWith", frozenset(), frozenset(), None, False, False, False, 0.85)
        by_start: dict[int, list[Ref]] = {}
        for m in mentions:
            by_start.setdefault(m.start, []).append(m)
        for outer in top:
            if outer.type not in _AFFILIATED_OUTER:
                continue
            for inner in by_start[outer.start]:
                if inner.end < outer.end:
                    out.append(_record(outer, "affiliatedWith", inner, spec, "", _sentence_at(text, outer.start)))
        for a, b in zip(top, top[1:]):
            if (b.start == a.end and text[b.start] in "“「" and a.type in ORGANIZATION_TYPES
                    and b.type in ("Lab", "ResearchInstitute", "InnovationPlatform")):
                out.append(_record(b, "affiliatedWith", a, spec, "“”", _sentence_at(text, a.start)))
        return out


class _Mentions(list):
    """Mentions sorted by start, searchable by position (long documents have thousands)."""

    def __init__(self, mentions: list[Ref]) -> None:
        super().__init__(mentions)
        self.starts = [m.start for m in mentions]

    def between(self, start: int, end: int) -> list[Ref]:
        """Mentions starting in [start, end)."""
        return self[bisect_left(self.starts, start):bisect_left(self.starts, end)]


def _sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The sentence around a position (the evidence for a relation read off a nested name)."""
    start = max(text.rfind(c, 0, pos) for c in "。！？!?\n") + 1
    ends = [i for i in (text.find(c, pos) for c in "。！？!?\n") if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return start, min(end, len(text))


def _qualifier(text: str, m: Ref) -> bool:
    """A name that more nouns follow (…示范区统筹发展机制) qualifies them, it is not the object."""
    nxt = text[m.end:m.end + 1]
    return bool(nxt) and "\u4e00" <= nxt <= "\u9fff" and nxt not in _OBJECT_FOLLOWERS


def _outermost(mentions: list[Ref]) -> list[Ref]:
    """Mentions not inside another one (the lab, not the university its name begins with)."""
    out: list[Ref] = []
    reach = -1
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if m.end <= reach:
            continue  # inside the last outer mention
        out.append(m)
        reach = max(reach, m.end)
    return out


def _record(s: Ref, predicate: str, o: Ref, spec: TriggerSpec, word: str,
            sentence: tuple[int, int], conf: float | None = None) -> RelationRecord:
    rule = "nested_name" if predicate == "affiliatedWith" and word in ("", "“”") else predicate
    return RelationRecord((s.start, s.end), predicate, (o.start, o.end), sentence, word,
                          f"rule.{rule}", round(conf if conf is not None else spec.confidence, 3))


def _duty_column(text: str, s0: int, s1: int) -> bool:
    """Whether the sentence's paragraph (at most _DUTY_REACH characters on) ends in a column of
    responsible units."""
    end = text.find("\n", s1, s1 + _DUTY_REACH)
    return bool(_DUTY_COLUMN.search(text, s0, end if end >= 0 else min(len(text), s1 + _DUTY_REACH)))


def _last_run(text: str, ms: list[Ref]) -> list[Ref]:
    """The mentions of the last list before a trigger (joined by 、 和 及 等…)."""
    run: list[Ref] = []
    for m in reversed(ms):
        if run and not _RUN_GAP.match(text[m.end:run[0].start]):
            break
        run.insert(0, m)
    return run


def _first_run(text: str, pos: int, ms: list[Ref]) -> list[Ref]:
    """The list that starts right after the trigger (与 brings in a partner, not a member)."""
    run: list[Ref] = []
    for m in ms:
        prev_end = run[-1].end if run else pos
        gap = text[prev_end:m.start]
        if run and "与" in gap:
            break
        if not _RUN_GAP.match(gap) and (run or m.start - pos > 2):
            break
        run.append(m)
    return run


def _drop_quoted_owners(text: str, ms: list[Ref]) -> list[Ref]:
    """In X“Y”, Y is the object; X only says whose it is."""
    return [m for i, m in enumerate(ms)
            if not (i + 1 < len(ms) and ms[i + 1].start == m.end and text[m.end] in "“「")]


@Language.factory("pkg_relations", assigns=["doc._.pkg_relations"], requires=["doc.spans"],
                  default_config={"data_dir": ""})
def make_relations(nlp: Language, name: str, data_dir: str) -> RelationExtractor:
    return RelationExtractor(data_dir)
