"""Scores of extraction against gold, as ../shared/eval/score.py computes them.

The scoring rules are the evaluation's: names match after NFKC and dropping quotes and 《》, or
through gold aliases; a second node for one gold entity counts against precision; relation ends
map through the matched entities; cooperatesWith is symmetric.
"""
from __future__ import annotations

import json
from pathlib import Path

from .model import SYMMETRIC_PREDICATES as SYMMETRIC
from .model import normalize_name

def _norm(name: object) -> str:
    return normalize_name(str(name))


def load_documents(path: str | Path) -> dict[str, dict]:
    """A prediction or gold file: one object, a list, or {"documents": [...]}, keyed by file name."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict) and "documents" in data:
        data = data["documents"]
    if isinstance(data, dict):
        data = [data]
    return {str(d.get("doc", "")).rsplit("/", 1)[-1]: d for d in data}


def score_document(pred: dict, gold: dict) -> tuple[dict[str, tuple[int, int, int]], dict[str, list]]:
    canon: dict[str, str] = {}
    gold_type: dict[str, str] = {}
    for e in gold.get("entities", []):
        c = _norm(e["name"])
        gold_type[c] = e.get("type")
        for n in [e["name"], *e.get("aliases", [])]:
            canon.setdefault(_norm(n), c)
    pred_ents: dict[str, tuple[str, list[str]]] = {}
    for e in pred.get("entities", []):
        surfaces = [_norm(e.get("name", ""))] + [_norm(a) for a in e.get("aliases", [])]
        pred_ents.setdefault(surfaces[0], (e.get("type"), surfaces))
    pred_canon: dict[str, str] = {}
    hit_any = hit_typed = 0
    seen: set[str] = set()
    wrong: list = []
    for n, (t, surfaces) in pred_ents.items():
        c = next((canon[s] for s in surfaces if s in canon), None)
        if c is None:
            continue
        for s in surfaces:
            pred_canon.setdefault(s, c)
        if c in seen:
            continue
        seen.add(c)
        hit_any += 1
        if t == gold_type[c]:
            hit_typed += 1
        else:
            wrong.append((n, t, gold_type[c]))

    def key(r: dict, mapper) -> tuple[str, str, str]:
        s, p, o = mapper(r.get("subject", "")), r.get("predicate", ""), mapper(r.get("object", ""))
        if p in SYMMETRIC:
            s, o = sorted((s, o))
        return (s, p, o)

    gold_rel = {key(r, _norm) for r in gold.get("relations", [])}
    pred_rel = {key(r, lambda n: pred_canon.get(_norm(n)) or canon.get(_norm(n), _norm(n)))
                for r in pred.get("relations", [])}
    counts = {"entities_typed": (hit_typed, len(pred_ents), len(gold_type)),
              "entities_untyped": (hit_any, len(pred_ents), len(gold_type)),
              "relations": (len(gold_rel & pred_rel), len(pred_rel), len(gold_rel))}
    detail = {"missed_entities": sorted(set(gold_type) - seen),
              "spurious_entities": sorted(n for n, (_, sf) in pred_ents.items() if not any(x in canon for x in sf)),
              "wrong_type": wrong,
              "missed_relations": sorted(gold_rel - pred_rel),
              "spurious_relations": sorted(pred_rel - gold_rel)}
    return counts, detail


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def evaluate(prediction: str | Path, gold_paths: list[str | Path], *, config: str | None = None) -> dict:
    """Scores of a prediction file, or of extracting the gold's documents from a folder/file."""
    golds: dict[str, dict] = {}
    for g in gold_paths:
        golds.update(load_documents(g))
    pred_path = Path(prediction)
    if pred_path.suffix == ".json":
        pred = load_documents(pred_path)
    else:
        from .extract import ExtractionError, extract_all
        from .ingest import read_corpus

        folder = pred_path if pred_path.is_dir() else pred_path.parent
        docs, _errors = read_corpus([folder / name for name in golds if (folder / name).exists()]
                                    if pred_path.is_dir() else [pred_path])
        pred = {ex.document.name: ex.to_eval() for ex in extract_all(docs, config=config)
                if not isinstance(ex, ExtractionError)}
    totals: dict[str, tuple[int, int, int]] = {}
    details: dict[str, dict] = {}
    for name, gold in golds.items():
        counts, detail = score_document(pred.get(name, {}), gold)
        details[name] = detail
        for k, v in counts.items():
            totals[k] = tuple(a + b for a, b in zip(totals.get(k, (0, 0, 0)), v))  # type: ignore[assignment]
    return {"scores": {k: prf(*v) for k, v in totals.items()}, "details": details}


def format_scores(result: dict, details: bool = False) -> str:
    lines: list[str] = []
    if details:
        for name, d in result["details"].items():
            lines.append(f"== {name}")
            lines += [f"  {k}: {v}" for k, v in d.items() if v]
    for k, v in result["scores"].items():
        lines.append(f"{k}: P={v['precision']:.3f} R={v['recall']:.3f} F1={v['f1']:.3f} "
                     f"(tp={v['tp']} pred={v['predicted']} gold={v['gold']})")
    return "\n".join(lines)
