"""Shared fixtures: where the real documents live (outside the repo, never copied in)."""
from __future__ import annotations

from pathlib import Path

import pytest

#: ../shared beside the repository: real corpus, bulk documents, schema and eval set.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder, or skip: the real documents are not redistributed with the repo."""
    if not SHARED.is_dir():
        pytest.skip(f"real documents not available: {SHARED} is absent")
    return SHARED


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    """The development corpus of real government documents (../shared/corpus)."""
    corpus = shared_dir / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"development corpus not available: {corpus} is absent")
    return corpus
