"""Ingest: files (txt, md, html, docx, pdf) to Documents with their metadata.

``read_corpus`` is what a build calls: it never raises for one bad file but
returns the documents it could read and an IngestError for each it could not.
"""
from graph.ingest.metadata import Metadata, normalize_date, parse_text_metadata
from graph.ingest.readers import (
    DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, IngestError, decode_bytes, discover, load_document,
    read_corpus,
)

__all__ = [
    "DEFAULT_MAX_BYTES", "SUPPORTED_SUFFIXES", "IngestError", "Metadata", "decode_bytes",
    "discover", "load_document", "normalize_date", "parse_text_metadata", "read_corpus",
]
