"""Figures a document reports: 国家级孵化器10家, 贷款余额1328.50亿元, 增长超过30%.

Each figure gets its value normalised (亿元 -> yuan, the scale kept), what it measures (the
words before it in its clause), the period it holds for (截至2024年末, “十四五”以来, 近三年;
otherwise the document's date) and the entity it belongs to (the nearest mention before it in
the sentence, else the issuer's place).
"""
from __future__ import annotations

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc

from ..model import ORGANIZATION_TYPES
from .candidates import SPANS_KEY, IndicatorRecord, doc_text
from .lexicon import json_data, resolve_data_dir

_SENTENCE = re.compile(r"[^。！？!?；;\n]+")
_MEASURE_STOP = re.compile(r".*[，,、：:（(）)“”]|.*(?:其中|共有|已有|达到|达|为|超过|约|共|累计|新增|实现|提供|获得)")


class IndicatorExtractor:
    """Fills ``doc._.pkg_indicators`` with IndicatorRecords."""

    def __init__(self, data_dir: str) -> None:
        spec = json_data(resolve_data_dir(data_dir), "units")
        self.units = spec["units"]
        unit_rx = "|".join(sorted(map(re.escape, self.units), key=len, reverse=True))
        self.figure = re.compile(r"(?<![\d.A-Za-z〔〕])(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)(?P<approx>多|余)?"
                                 r"(?P<unit>" + unit_rx + r")(?![\d〕号年月日])")
        self.periods = [re.compile(p) for p in spec["periods"]]

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        ctx = doc._.pkg_context
        body = ctx.metadata_end if ctx else 0
        mentions = sorted(doc.spans.get(SPANS_KEY, []), key=lambda x: x.start_char)
        starts = [x.start_char for x in mentions]
        out: list[IndicatorRecord] = []
        for sent in _SENTENCE.finditer(text, body):
            s0, s1 = sent.start(), sent.end()
            period = None
            local = mentions[bisect_left(starts, s0):bisect_left(starts, s1)]
            for m in self.figure.finditer(text, s0, s1):
                unit, scale, mult = self.units[m.group("unit")]
                if m.group("unit") in ("万", "亿") and text[m.end():m.end() + 1] not in "，。；、 \n":
                    continue  # 万 and 亿 alone are money only at a clause end (770万风险保障 is not)
                raw = m.group(0)
                value = float(m.group("num").replace(",", "")) * mult
                clause_start = max(text.rfind(c, s0, m.start()) for c in "，,；:：") + 1
                clause_start = max(clause_start, s0)
                measure = text[clause_start:m.start()]
                stop = _MEASURE_STOP.match(measure)
                if stop and stop.end() < len(measure):
                    measure = measure[stop.end():]
                measure = measure.strip(" 　“”")
                if not measure:
                    measure = text[m.end():m.end() + 12].split("，")[0].split("。")[0]
                period = self._period(text[s0:m.start()]) or period
                owner = [x for x in local if x.end_char <= m.start()
                         and x.label_ in (ORGANIZATION_TYPES | {"Place"})]
                rec = IndicatorRecord(m.start(), m.end(), raw, value, unit, scale, measure[-40:],
                                      period, (s0, s1))
                if owner:
                    rec.subject = (owner[-1].start_char, owner[-1].end_char)
                elif ctx and (ctx.place or ctx.province):
                    rec.subject_name = ctx.place or ctx.province
                out.append(rec)
        doc._.pkg_indicators = out
        return doc

    def _period(self, before: str) -> str | None:
        """The last period phrase before a figure in its sentence."""
        best: tuple[int, int, str] | None = None  # (end, -start): the latest, then the longest
        for rx in self.periods:
            for m in rx.finditer(before):
                key = (m.end(), -m.start(), m.group(0))
                if best is None or key > best:
                    best = key
        return best[2] if best else None


@Language.factory("pkg_indicators", assigns=["doc._.pkg_indicators"], requires=["doc.spans"],
                  default_config={"data_dir": ""})
def make_indicators(nlp: Language, name: str, data_dir: str) -> IndicatorExtractor:
    return IndicatorExtractor(data_dir)
