"""Known entities matched on the raw text, so segmentation can never break a name."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .candidates import Candidate, candidates, doc_text
from .lexicon import automaton, find_all, gazetteer, resolve_data_dir


class GazetteerMatcher:
    """Aho-Corasick over every name and alias of ``data/gazetteer``; the canonical name rides along."""

    def __init__(self, data_dir: str, confidence: float) -> None:
        self.entries = gazetteer(resolve_data_dir(data_dir))
        self.automaton = automaton(list(self.entries))
        self.confidence = confidence

    def __call__(self, doc: Doc) -> Doc:
        found = candidates(doc)
        text = doc_text(doc)
        for start, end, form in find_all(self.automaton, text):
            entry = self.entries[form]
            found.append(Candidate(start, end, entry.type, "gazetteer", self.confidence,
                                   canonical=entry.canonical, text=text[start:end]))
        return doc


@Language.factory("pkg_gazetteer", assigns=["doc._.pkg_candidates"],
                  default_config={"data_dir": "", "confidence": 0.95})
def make_gazetteer(nlp: Language, name: str, data_dir: str, confidence: float) -> GazetteerMatcher:
    return GazetteerMatcher(data_dir, confidence)
