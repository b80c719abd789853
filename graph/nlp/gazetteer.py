"""Known entities matched on the raw text, so segmentation can never break a name."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .candidates import Candidate, candidates, doc_text
from .lexicon import automaton, find_all, gazetteer, heads, resolve_data_dir, table, word_list


_AREA = "地区"
_AREA_NOT = "地区生产总值"
_ADMIN_SUFFIXES = ("省", "市", "县", "区", "州", "旗", "盟")
_IDEOLOGY = ("新时代", "思想", "经济思想", "法治思想", "生态文明思想", "强军思想", "外交思想", "文化思想")


class GazetteerMatcher:
    """Aho-Corasick over every name and alias of ``data/gazetteer``; the canonical name rides along."""

    def __init__(self, data_dir: str, confidence: float) -> None:
        d = resolve_data_dir(data_dir)
        self.entries = gazetteer(d)
        self.automaton = automaton(list(self.entries))
        self.confidence = confidence
        self.origins = tuple(sorted(word_list(d, "origin_places")))
        # a known name followed by a character that extends its head is a different word
        # (科学技术部门 is no 科学技术部): the grammar's head_followers table says which
        followers = table(d, "head_followers")
        head_list = sorted(heads(d), key=len, reverse=True)
        self.bad_next = {form: followers.get(next((h for h in head_list if form.endswith(h)), ""), "")
                         for form in self.entries}
        self.words_after: dict[str, tuple[str, ...]] = {}  # boundary words by first character
        for w in word_list(d, "left_boundaries"):
            if len(w) > 1:
                self.words_after[w[0]] = (*self.words_after.get(w[0], ()), w)
        # 弘扬 before 扬中: (word, how many of the stem's first characters it ends in)
        self.straddles = {stem: [(w, k) for w in words.split() if (k := _overlap(w, stem))]
                          for stem, words in table(d, "place_straddles").items()}

    def _among_origins(self, text: str, start: int, end: int) -> bool:
        """Whether this place is one of the origins (港澳台) a law names together, all of them nearby."""
        stem = next((o for o in self.origins if text.startswith(o, start)), None)
        if stem is None:
            return False
        near = text[max(0, start - 16):end + 16]
        return all(o in near for o in self.origins)

    def __call__(self, doc: Doc) -> Doc:
        found = candidates(doc)
        text = doc_text(doc)
        for start, end, form in find_all(self.automaton, text):
            if (end < len(text) and text[end] in self.bad_next[form]
                    and not text.startswith(self.words_after.get(text[end], ()), end)):
                continue  # (but 国资委会同财政部: a boundary word, 会同, starts there)
            if any(text.endswith(w, 0, start + k) for w, k in self.straddles.get(form, ())):
                continue  # 弘扬中华: the stem 扬中 is split between two words
            if form.endswith("市") and text.startswith("场", end):
                continue  # 晋城市场: the city's 市 is the market's
            entry = self.entries[form]
            if entry.type == "Place" and self._among_origins(text, start, end):
                continue  # 香港特别行政区、澳门特别行政区和台湾地区的居民: where people come from, not a place acted on
            if entry.type == "Person" and text.startswith(_IDEOLOGY, end):
                continue  # 习近平新时代中国特色社会主义思想 is an ideology, not the person
            canonical = entry.canonical
            if (entry.type == "Place" and text.startswith(_AREA, end) and not form.endswith(_ADMIN_SUFFIXES)
                    and not text.startswith(_AREA_NOT, end)):
                # 长江三角洲地区: a region's area is its name (江西省地区生产总值 is the province's GDP)
                end, canonical = end + len(_AREA), None
            found.append(Candidate(start, end, entry.type, "gazetteer", self.confidence,
                                   canonical=canonical, text=text[start:end]))
        return doc


def _overlap(word: str, stem: str) -> int:
    """How many first characters of ``stem`` end ``word`` (弘扬, 扬中 -> 1; 0 when none do)."""
    return next((k for k in range(min(len(word) - 1, len(stem) - 1), 0, -1) if word.endswith(stem[:k])), 0)


@Language.factory("pkg_gazetteer", assigns=["doc._.pkg_candidates"],
                  default_config={"data_dir": "", "confidence": 0.95})
def make_gazetteer(nlp: Language, name: str, data_dir: str, confidence: float) -> GazetteerMatcher:
    return GazetteerMatcher(data_dir, confidence)
