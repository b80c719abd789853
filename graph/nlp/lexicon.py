"""Lexicons and gazetteers loaded from `data/`: the language knowledge is data, not code.

Every loader takes a directory so a pipeline config can point at a user's own lexicon folder;
results are cached per directory because several components share them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from ..resources import resource_dir

#: The lexicon folder shipped with the project (``data/`` beside the package).
DEFAULT_DATA_DIR = resource_dir("data")


def resolve_data_dir(path: str | Path | None) -> Path:
    """A config's ``data_dir`` ("" means the shipped one)."""
    return Path(path) if path else DEFAULT_DATA_DIR


def _lines(path: Path) -> list[str]:
    with open(path, encoding="utf-8") as f:
        return [ln.rstrip("\r\n") for ln in f if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=None)
def word_list(data_dir: Path, name: str) -> frozenset[str]:
    """A one-word-per-line list from ``data/lexicon/NAME.txt``."""
    return frozenset(w.strip() for w in _lines(data_dir / "lexicon" / f"{name}.txt"))


@lru_cache(maxsize=None)
def heads(data_dir: Path) -> dict[str, tuple[str, int]]:
    """Name heads: head -> (entity type, minimum modifier length)."""
    out: dict[str, tuple[str, int]] = {}
    for line in _lines(data_dir / "lexicon" / "heads.tsv"):
        head, type_, min_mod = line.split("\t")
        out[head] = (type_, int(min_mod))
    return out


@lru_cache(maxsize=None)
def table(data_dir: Path, name: str) -> dict[str, str]:
    """A two-column TSV from ``data/lexicon/NAME.tsv`` as a dict."""
    out: dict[str, str] = {}
    for line in _lines(data_dir / "lexicon" / f"{name}.tsv"):
        key, value = line.split("\t")[:2]
        out[key] = value
    return out


@lru_cache(maxsize=None)
def json_data(data_dir: Path, name: str) -> dict:
    with open(data_dir / "lexicon" / f"{name}.json", encoding="utf-8") as f:
        return json.load(f)


@dataclass(frozen=True)
class GazetteerEntry:
    """A known entity: the canonical name is its id across documents."""

    canonical: str
    type: str
    place: str | None = None


@lru_cache(maxsize=None)
def gazetteer(data_dir: Path) -> dict[str, GazetteerEntry]:
    """Every surface form (name or alias) of the gazetteer files -> its entry.

    ``*.jsonl`` files hold organisations, programmes and people with aliases;
    ``places.tsv`` holds place names and their canonical form.
    """
    out: dict[str, GazetteerEntry] = {}
    folder = data_dir / "gazetteer"
    for path in sorted(folder.glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                row = json.loads(line)
                entry = GazetteerEntry(row["name"], row["type"], row.get("place"))
                for form in [row["name"], *row.get("aliases", [])]:
                    out.setdefault(form, entry)
    places = folder / "places.tsv"
    if places.exists():
        for line in _lines(places):
            name, canonical = line.split("\t")
            out.setdefault(name, GazetteerEntry(canonical, "Place"))
    return out


def automaton(words: frozenset[str] | list[str] | dict) -> ahocorasick.Automaton:
    """An Aho-Corasick automaton whose values are the words themselves (fast multi-pattern find)."""
    auto = ahocorasick.Automaton()
    for w in words:
        auto.add_word(w, w)
    auto.make_automaton()
    return auto


def find_all(auto: ahocorasick.Automaton, text: str) -> list[tuple[int, int, str]]:
    """All (start, end, word) matches, overlapping ones included."""
    if len(auto) == 0:
        return []
    return [(end + 1 - len(w), end + 1, w) for end, w in auto.iter(text)]
