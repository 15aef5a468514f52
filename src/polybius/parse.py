"""Parse stage: sentences, tokens, lemmas, dependencies and named entities with spaCy.

Title-case headlines parse badly ("Coalition Asks Russia" reads as one proper noun),
so the parser sees a sentence-cased copy of the headline. Only letter case changes,
so every character offset still points into `article.text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from polybius.actors.kb import load_kb
from polybius.model import Article, Document
from polybius.nlp import load_nlp
from polybius.pipeline import PipelineSettings
from polybius.registry import register_stage

WORD = re.compile(r"[A-Za-z][\w'’.-]*")


def is_title_case(title: str) -> bool:
    words = [w for w in WORD.findall(title) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) > 0.7


def sentence_case(title: str, keep: frozenset[str]) -> str:
    """Lower-case title-case words, keeping the first word, acronyms and known actor names."""

    def recase(match: re.Match[str]) -> str:
        word = match.group(0)
        if match.start() == 0 or word.isupper() or word in keep:
            return word
        return word.lower()

    return WORD.sub(recase, title)


def text_for_parser(article: Article, keep: frozenset[str]) -> str:
    if not article.title or not is_title_case(article.title):
        return article.text
    return sentence_case(article.title, keep) + article.text[len(article.title) :]


@register_stage("parse")
class Parse:
    def __init__(self, settings: PipelineSettings) -> None:
        self.nlp = load_nlp(settings.model)
        self.batch_size = settings.batch_size
        self.keep = load_kb().name_words

    def __call__(self, doc: Document) -> Document:
        doc.parse = self.nlp(text_for_parser(doc.article, self.keep))
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        pairs = ((text_for_parser(d.article, self.keep), d) for d in docs)
        for parsed, doc in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            doc.parse = parsed
            yield doc
