"""Pipeline stages registered by name, so users can swap or add one without editing the pipeline."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from polybius.errors import ConfigError

if TYPE_CHECKING:
    from polybius.model import Document
    from polybius.pipeline import PipelineSettings


class Stage(Protocol):
    """A stage reads what earlier stages set on a Document and adds its own part."""

    def __call__(self, doc: Document) -> Document: ...


StageFactory = Callable[["PipelineSettings"], Stage]
_STAGES: dict[str, StageFactory] = {}


def register_stage(name: str) -> Callable[[StageFactory], StageFactory]:
    """Class or function decorator: `@register_stage("events")` makes the stage available by name."""

    def decorate(factory: StageFactory) -> StageFactory:
        _STAGES[name] = factory
        return factory

    return decorate


def get_stage(name: str) -> StageFactory:
    if name not in _STAGES:
        raise ConfigError("E013", "pipeline", name=name, known=", ".join(sorted(_STAGES)))
    return _STAGES[name]


def registered_stages() -> list[str]:
    return sorted(_STAGES)
