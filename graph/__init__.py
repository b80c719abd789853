"""policykg: knowledge graphs from Chinese government documents on innovation, industry and
science-tech finance.

    import graph
    kg = graph.build(["data/samples"], out="out")   # -> KnowledgeGraph
    kg.query("SELECT ?s WHERE { ?s a <https://policykg.org/ontology#Lab> }")
    kg = graph.load("out")
"""
from __future__ import annotations

import os
import warnings
from collections.abc import Iterable

__version__ = "0.1.0"

__all__ = ["__version__", "build", "load"]


def build(paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
          out: str | os.PathLike[str] = "out", **options):
    """Build the graph of documents (files or folders) into ``out``; returns the KnowledgeGraph."""
    from .builder import build as _build
    from .kg import KnowledgeGraph

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    result = _build(list(paths), out, **options)
    for err in result.errors:  # the CLI prints these; a Python user must see them too
        warnings.warn(str(err), stacklevel=2)
    if not result.corpus.documents:
        warnings.warn(f"no documents were built from {[str(p) for p in paths]}", stacklevel=2)
    return KnowledgeGraph(out)


def load(out: str | os.PathLike[str]):
    """The KnowledgeGraph a previous build wrote into ``out``."""
    from .kg import load as _load

    return _load(out)
