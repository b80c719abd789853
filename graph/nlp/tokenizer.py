"""One token per character, built in linear time.

spaCy's Chinese tokenizer in ``char`` mode gives the same tokens, but aligns them to the text with
``util.get_words_and_spaces``, whose cost grows with the square of the text length (seconds for
a 300,000-character report). Character tokens are what the pipeline needs: segmentation can
never split a name, and every character offset is a token boundary.
"""
from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab


class CharTokenizer:
    """Every character a token, whitespace as spaCy has it: one plain space after a token is its
    trailing whitespace, any other run of whitespace one token."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for ch in text:
            if not ch.isspace():
                words.append(ch)
                spaces.append(False)
            elif ch == " " and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
            elif words and not spaces[-1] and words[-1].isspace():
                words[-1] += ch
            else:
                words.append(ch)
                spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)

    # spaCy serialises tokenizers with the pipeline; this one has no state to save
    def to_bytes(self, **_kwargs) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_kwargs) -> CharTokenizer:
        return self

    def to_disk(self, _path, **_kwargs) -> None:
        return None

    def from_disk(self, _path, **_kwargs) -> CharTokenizer:
        return self


@registry.tokenizers("policykg.CharTokenizer.v1")
def create_char_tokenizer() -> Callable[[Language], CharTokenizer]:
    def make(nlp: Language) -> CharTokenizer:
        return CharTokenizer(nlp.vocab)

    return make
