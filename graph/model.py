"""Records that flow from the NLP pass to the graph.

Plain dataclasses, so every stage after spaCy can be tested and serialised
without spaCy: documents -> per-document extractions -> a resolved corpus.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

#: Entity types of ../shared/SCHEMA.md, in schema order.
ENTITY_TYPES: tuple[str, ...] = (
    "GovernmentAgency", "Enterprise", "University", "ResearchInstitute", "Lab",
    "InnovationPlatform", "IncubatorOrPark", "Facility", "FinancialInstitution",
    "FinancialProduct", "Fund", "Policy", "Industry", "Technology", "Person", "Place",
)
#: The organisation types (subclasses of Organization in the ontology).
ORGANIZATION_TYPES: frozenset[str] = frozenset(ENTITY_TYPES[:9])
#: Relation predicates of the schema (``mentions`` is derived, never extracted).
PREDICATES: tuple[str, ...] = (
    "leads", "funds", "coBuilds", "cooperatesWith", "introduces", "locatedIn",
    "affiliatedWith", "builds", "issues", "provides", "focusesOn", "achieves",
)
SYMMETRIC_PREDICATES: frozenset[str] = frozenset({"cooperatesWith"})

_DROP = re.compile(r"[\s“”\"'‘’「」『』《》〈〉]")


def normalize_name(name: str) -> str:
    """The key two surface forms must share to be the same name (NFKC, no quotes or spaces)."""
    return _DROP.sub("", unicodedata.normalize("NFKC", name)).lower()


def fullest(names: list[str]) -> str:
    """The fullest of several names of one thing (the annotation guide's canonical name)."""
    return max(names, key=lambda n: (len(normalize_name(n)), n))


def entity_id(name: str, type_: str, scope: str | None = None) -> str:
    """Stable id from canonical name and type: the same thing gets the same id in every run.

    ``scope`` separates things that share a name but not an identity (财政局 of two cities).
    """
    key = f"{type_}|{normalize_name(name)}" + (f"|{scope}" if scope else "")
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()
    return f"{type_}-{digest[:16]}"


def content_id(data: bytes) -> str:
    """Document id: a hash of the file's bytes, so an unchanged file keeps its id."""
    return hashlib.sha256(data).hexdigest()[:24]


@dataclass
class Document:
    """One source document with the metadata government pages carry."""

    id: str
    path: str
    text: str
    title: str | None = None
    issuer: str | None = None  # 发布机构
    number: str | None = None  # 文号
    date: str | None = None  # ISO date: 成文/发布/公文生成日期
    index_no: str | None = None  # 索引号
    encoding: str = "utf-8"

    @property
    def name(self) -> str:
        """The file name, which pairs a prediction with its gold document."""
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Evidence:
    """Where a relation or figure is stated: enough for a reader to check it."""

    doc_id: str
    sentence: str
    start: int  # char offset of the sentence in Document.text
    end: int
    trigger: str
    extractor: str  # rule id
    confidence: float

    @property
    def key(self) -> tuple[str, int, int, str, str]:
        """One occurrence: the same sentence, trigger and rule are one piece of evidence."""
        return (self.doc_id, self.start, self.end, self.trigger, self.extractor)


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity name in a document's text."""

    start: int
    end: int
    text: str
    type: str
    source: str  # the component that found it (gazetteer, grammar, quoted, context…)
    confidence: float = 1.0


@dataclass
class Entity:
    """One real-world thing: canonical name, type, aliases and where it is named."""

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    confidence: float = 1.0
    doc_ids: list[str] = field(default_factory=list)
    gazetteer_id: str | None = None
    scope: str | None = None  # the place (or document) a relative name like 市财政局 belongs to

    @property
    def id(self) -> str:
        return entity_id(self.name, self.type, self.scope)


@dataclass
class Relation:
    """A typed edge between two entity ids, with every piece of evidence for it."""

    subject: str
    predicate: str
    object: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        if self.predicate in SYMMETRIC_PREDICATES:
            s, o = sorted((self.subject, self.object))
            return (s, self.predicate, o)
        return (self.subject, self.predicate, self.object)

    def add_evidence(self, ev: Evidence) -> None:
        """Keep one piece of evidence per occurrence, with the higher confidence."""
        for i, old in enumerate(self.evidence):
            if old.key == ev.key:
                if ev.confidence > old.confidence:
                    self.evidence[i] = ev
                return
        self.evidence.append(ev)

    @property
    def confidence(self) -> float:
        """Independent pieces of evidence raise confidence: 1 - prod(1 - c)."""
        miss = 1.0
        for ev in self.evidence:
            miss *= 1.0 - ev.confidence
        return round(1.0 - miss, 4)


@dataclass
class Indicator:
    """A figure a document reports: 国家级孵化器10家, 贷款余额1328.50亿元."""

    doc_id: str
    measure: str  # what is measured, e.g. 科技型企业贷款余额
    value: float  # normalised value (yuan for money)
    unit: str  # 元, 家, 项, 个, %, …
    raw: str  # the figure as written: 1328.50亿元
    scale: str | None  # 亿, 万, or None
    period: str | None  # 截至2024年末, “十四五”以来, 近三年, or the document date
    subject: str | None  # entity id it belongs to (a place or organisation), if known
    evidence: Evidence | None = None

    @property
    def id(self) -> str:
        start = self.evidence.start if self.evidence else 0
        key = f"{self.doc_id}|{start}|{self.raw}|{self.measure}"
        return "ind-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class DocExtraction:
    """What the NLP pass found in one document; entity ids are doc-local until resolved."""

    document: Document
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    place: str | None = None  # the issuer's city (or province): where 市X局 and 我市 point

    def to_eval(self) -> dict:
        """The form ../shared/eval/score.py reads."""
        names = {e.id: e.name for e in self.entities}
        return {
            "doc": self.document.name,
            "entities": [{"name": e.name, "type": e.type, "aliases": list(e.aliases)}
                         for e in self.entities],
            "relations": [{"subject": names[r.subject], "predicate": r.predicate,
                           "object": names[r.object]}
                          for r in self.relations if r.subject in names and r.object in names],
        }


@dataclass
class MergeCandidate:
    """Two entities that may be one thing, reported for review rather than merged."""

    left: str
    right: str
    reason: str


@dataclass
class Corpus:
    """The resolved knowledge of a whole build: input of the RDF stage."""

    documents: list[Document] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    review: list[MergeCandidate] = field(default_factory=list)
