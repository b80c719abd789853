#!/usr/bin/env python3
"""Sanity checks for the hand-written gold files in this directory.

Usage: python3 tests/gold/check_gold.py [--shared ../shared] FILE.gold.json ...

For each file: every entity name and alias occurs in the document text after
score.py's normalisation (NFKC, quotes/《》〈〉/whitespace dropped, lower-cased);
no normalised surface form belongs to two entities; types and predicates are
from SCHEMA.md; relation ends are canonical entity names (score.py does not map
gold relation ends through aliases).
"""
import importlib.util
import json
import sys
from pathlib import Path

TYPES = {"GovernmentAgency", "Enterprise", "University", "ResearchInstitute", "Lab",
         "InnovationPlatform", "IncubatorOrPark", "Facility", "FinancialInstitution",
         "FinancialProduct", "Fund", "Policy", "Industry", "Technology", "Person", "Place"}
PREDICATES = {"leads", "funds", "coBuilds", "cooperatesWith", "introduces", "locatedIn",
              "affiliatedWith", "builds", "issues", "provides", "focusesOn", "achieves"}
# Full implied names for elided enumeration heads (GUIDELINES.md); none are used so far.
ELIDED = set()


def main(argv):
    shared = Path(__file__).resolve().parents[3] / "shared"  # ../shared beside the repository
    if argv[:1] == ["--shared"]:
        shared, argv = Path(argv[1]), argv[2:]
    spec = importlib.util.spec_from_file_location("score", shared / "eval" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    ok = True
    for path in argv:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
        text = score.norm((shared / "corpus" / gold["doc"]).read_text(encoding="utf-8"))
        owner, canon = {}, set()
        for e in gold["entities"]:
            if e["type"] not in TYPES:
                print(f"{path}: bad type {e}"); ok = False
            canon.add(e["name"])
            for s in [e["name"], *e.get("aliases", [])]:
                n = score.norm(s)
                if n not in text and s not in ELIDED:
                    print(f"{path}: not in text: {s}"); ok = False
                if n in owner:
                    print(f"{path}: surface {s} used by {owner[n]} and {e['name']}"); ok = False
                owner[n] = e["name"]
        for r in gold["relations"]:
            if r["predicate"] not in PREDICATES:
                print(f"{path}: bad predicate {r}"); ok = False
            for end in (r["subject"], r["object"]):
                if end not in canon:
                    print(f"{path}: relation end is not a canonical name: {end}"); ok = False
        print(f"{gold['doc']}: {len(gold['entities'])} entities, {len(gold['relations'])} relations")
    print("OK" if ok else "PROBLEMS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
