"""policykg's Chinese spaCy pipeline: character tokens, gazetteer, name grammar, context,
entity decision, relations and figures, each a registered factory (see pipeline.cfg)."""
from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from . import context, entities, gazetteer, indicators, names, relations, tokenizer  # noqa: F401  (register factories)
from .candidates import SPANS_KEY, register_extensions

DEFAULT_CONFIG = Path(__file__).with_name("pipeline.cfg")

__all__ = ["DEFAULT_CONFIG", "SPANS_KEY", "load_pipeline"]


def load_pipeline(config: str | Path | None = None) -> Language:
    """The pipeline described by a spaCy config file (default: the shipped pipeline.cfg)."""
    register_extensions()
    cfg = spacy.util.load_config(Path(config) if config else DEFAULT_CONFIG)
    return spacy.util.load_model_from_config(cfg, auto_fill=True)
