"""Who is speaking: the issuer, its city and province, and the anaphors that point at them.

我市 is the issuing body's city, 我单位 the issuing body itself, 本条例 the document's own
instrument (../shared/SCHEMA.md). The issuer comes from the metadata block (发布机构); its place
from the issuer's name, the signature block, or the 文号 prefix (赣府厅字 -> 江西省).
"""
from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc

from .candidates import Candidate, DocContext, candidates, doc_text
from .lexicon import automaton, find_all, gazetteer, resolve_data_dir, table

_META_LINE = re.compile(r"^[-•*]?\s*(?P<label>[^:：\n]{1,12})\s*[:：]\s*(?P<value>.*)$")
#: labels of the metadata block government pages carry (a "- 一、总体要求：…" list line is body text)
_META_LABELS = re.compile(r"索\s*引\s*号|文\s*号|发\s*布\s*机\s*构|发\s*文\s*机\s*关|来\s*源|"
                          r"日\s*期|标\s*题|主\s*题|分\s*类|名\s*称|时\s*效")
_ISSUER_LABEL = re.compile(r"发\s*布\s*机\s*构|发\s*文\s*机\s*关|来\s*源")
_NUMBER_LABEL = re.compile(r"文\s*号")
_ISSUER_PART = re.compile(r"[^\s、，,；;]+")


class ContextResolver:
    """Sets ``doc._.pkg_context`` and adds anaphor candidates that name the issuer or its place."""

    def __init__(self, data_dir: str) -> None:
        d = resolve_data_dir(data_dir)
        self.anaphora = table(d, "anaphora")
        self.prefixes = table(d, "number_prefixes")
        self.known = gazetteer(d)
        self.places = {k: v for k, v in self.known.items() if v.type == "Place"}
        self.place_auto = automaton(list(self.places))
        self.anaphor_rx = (re.compile("|".join(map(re.escape, sorted(self.anaphora, key=len, reverse=True))))
                           if self.anaphora else None)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        meta = dict(doc._.pkg_meta or {})
        ctx = DocContext()
        pos = 0
        issuer_spans: list[tuple[int, int]] = []
        # the metadata block: leading "- label:value" lines
        for line in text.splitlines(keepends=True):
            stripped = line.strip()
            m = _META_LINE.match(stripped)
            if stripped and not (stripped.startswith("-") and m and _META_LABELS.search(m.group("label"))):
                break
            if m and _ISSUER_LABEL.search(m.group("label")):
                value = m.group("value").strip()
                if value and not issuer_spans:
                    start = text.index(value, pos)
                    # a joint document lists its issuers apart: 科技部办公厅 教育部办公厅 …
                    issuer_spans = [(start + p.start(), start + p.end()) for p in _ISSUER_PART.finditer(value)]
            if m and _NUMBER_LABEL.search(m.group("label")):
                meta.setdefault("number", m.group("value").strip())
            pos += len(line)
        ctx.metadata_end = pos
        if issuer_spans:
            ctx.issuers = tuple(text[a:b] for a, b in issuer_spans)
        elif meta.get("issuer"):
            ctx.issuers = tuple(p.group(0) for p in _ISSUER_PART.finditer(meta["issuer"]))
        meta["issuer"] = ctx.issuer
        found = candidates(doc)
        for a, b in issuer_spans:
            found.append(Candidate(a, b, "GovernmentAgency", "context.issuer", 0.95, text=text[a:b]))
        ctx.place, ctx.province = self._places(text, ctx, meta)
        title = (meta.get("title") or "").strip()
        if title and len(title) >= 6:
            at = text.find(title, ctx.metadata_end)
            if 0 <= at < ctx.metadata_end + 200:  # the document's own title line is a Policy
                ctx.own_title = title
                found.append(Candidate(at, at + len(title), "Policy", "context.own_title", 0.9,
                                       text=title))
        for m in (self.anaphor_rx.finditer(text) if self.anaphor_rx else ()):
            kind = self.anaphora[m.group(0)]
            target = {"city": ctx.place, "province": ctx.province, "issuer": ctx.issuer,
                      "own_policy": ctx.own_title}[kind]
            type_ = {"city": "Place", "province": "Place", "issuer": "GovernmentAgency",
                     "own_policy": "Policy"}[kind]
            if kind != "own_policy" and not target:
                continue
            source = "context.issuer_anaphor" if kind == "issuer" else f"context.{kind}"
            found.append(Candidate(m.start(), m.end(), type_, source, 0.9,
                                   text=m.group(0), alias_of=target))
        doc._.pkg_context = ctx
        return doc

    def _places(self, text: str, ctx: DocContext, meta: dict) -> tuple[str | None, str | None]:
        """The issuer's city and province, from its name, the 文号, or the places the text names."""
        city = province = None
        for name in filter(None, [meta.get("issuer"), *self._signature_names(text)]):
            # the places the name opens with, widest first: 江苏省无锡市新吴区 speaks for 新吴区
            found_city = None
            while name:
                k = next((k for k in range(min(len(name), 8), 1, -1) if name[:k] in self.places), 0)
                if not k:
                    break
                canonical = self.places[name[:k]].canonical
                if canonical.endswith(("省", "自治区")):
                    province = province or canonical
                else:
                    found_city = canonical
                name = name[k:]
            city = city or found_city
        number = meta.get("number") or ""
        for k in (2, 1):
            guess = self.prefixes.get(number[:k])
            if guess:
                if guess.endswith(("省", "自治区")):
                    province = province or guess
                else:
                    city = city or guess
                break
        national = self._is_national(meta.get("issuer"))
        if not (city or province or national):  # a ministry's postal address is no place of its own
            counts = Counter(self.places[w].canonical for _s, _e, w in find_all(self.place_auto, text)
                             if w.endswith(("省", "市")))
            if counts:
                best = counts.most_common(1)[0][0]
                if best.endswith("省"):
                    province = best
                else:
                    city = best
        return city, province

    def _is_national(self, issuer: str | None) -> bool:
        """科技部, 国务院办公厅: known bodies of the central government."""
        if not issuer:
            return False
        entry = self.known.get(issuer)
        return bool(entry and entry.type == "GovernmentAgency" and not entry.place
                    and not any(issuer[:k] in self.places for k in range(1, len(issuer) + 1))
                    ) or issuer.startswith(("国务院", "国家", "中共中央"))

    @staticmethod
    def _signature_names(text: str) -> list[str]:
        """Agency names standing alone on one of the last lines (the signature block)."""
        lines = [ln.strip() for ln in text.strip().splitlines()[-8:]]
        return [ln for ln in lines if 4 <= len(ln) <= 30 and re.search(r"(局|委|厅|办|政府|委员会)$", ln)]


@Language.factory("pkg_context", assigns=["doc._.pkg_context", "doc._.pkg_candidates"],
                  default_config={"data_dir": ""})
def make_context(nlp: Language, name: str, data_dir: str) -> ContextResolver:
    return ContextResolver(data_dir)
