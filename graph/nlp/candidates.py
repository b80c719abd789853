"""What components put on a Doc: entity candidates, then decided entities, relations, figures.

Candidates are kept in char offsets of ``doc.text`` (the pipeline tokenises by character, so
every offset is a token boundary) and turned into a ``doc.spans`` group once decided.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

#: The SpanGroup that holds the decided entity mentions (nested names may overlap).
SPANS_KEY = "pkg_entities"


@dataclass
class Candidate:
    """A possible entity mention found by one component."""

    start: int
    end: int
    type: str
    source: str
    confidence: float
    canonical: str | None = None  # gazetteer canonical name, when known
    text: str = ""
    alias_of: str | None = None  # an anaphor (我市) names the entity with this name
    name: str | None = None  # the full name where the text elides the head (郑州、洛阳、新乡…开发区)


@dataclass
class DocContext:
    """What the document's metadata says about who speaks: the issuer and its place."""

    issuers: tuple[str, ...] = ()  # 发布机构 as written: every issuer of a joint document (科技部办公厅 教育部办公厅 …)
    place: str | None = None  # 厦门市: 我市/本市 resolve to it
    province: str | None = None  # 江西省: 我省/本省 resolve to it
    metadata_end: int = 0  # char offset where the body starts
    own_title: str | None = None  # the document's own title, when its first body line gives it

    @property
    def issuer(self) -> str | None:
        """The issuer (the first, when a joint document has several)."""
        return self.issuers[0] if self.issuers else None


@dataclass
class RelationRecord:
    """A relation found in the text, between decided entity mentions (char offsets)."""

    subject: tuple[int, int]
    predicate: str
    object: tuple[int, int]
    sentence: tuple[int, int]
    trigger: str
    extractor: str
    confidence: float
    subject_name: str | None = None  # set when the subject is implied (the doc's place or issuer)


@dataclass
class IndicatorRecord:
    """A figure the text reports."""

    start: int
    end: int
    raw: str
    value: float
    unit: str
    scale: str | None
    measure: str
    period: str | None
    sentence: tuple[int, int]
    subject: tuple[int, int] | None = None
    subject_name: str | None = None


def register_extensions() -> None:
    """Doc/Span attributes the policykg components share (idempotent)."""
    for name, default in (("pkg_candidates", None), ("pkg_context", None),
                          ("pkg_relations", None), ("pkg_indicators", None),
                          ("pkg_meta", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name in ("pkg_canonical", "pkg_source", "pkg_alias_of", "pkg_name"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    if not Span.has_extension("pkg_confidence"):
        Span.set_extension("pkg_confidence", default=1.0)


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds it from every token on each access."""
    text = doc.user_data.get("pkg_text")
    if text is None:
        text = doc.user_data["pkg_text"] = doc.text
    return text


def candidates(doc: Doc) -> list[Candidate]:
    """The doc's candidate list, created on first use."""
    if doc._.pkg_candidates is None:
        doc._.pkg_candidates = []
    return doc._.pkg_candidates


register_extensions()
