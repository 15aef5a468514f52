import pytest

from polybius.errors import ConfigError
from polybius.model import Article
from polybius.pipeline import Pipeline, PipelineSettings
from polybius.registry import register_stage, registered_stages


def test_built_in_stages_are_registered(pipeline):
    stages = ["parse", "actors", "coref", "scene", "events", "fallback", "dates", "locations", "quotes", "claims"]
    assert set(stages) <= set(registered_stages())
    assert [name for name, _ in pipeline.stages] == stages


def test_unknown_stage_is_a_coded_error():
    with pytest.raises(ConfigError) as raised:
        Pipeline(PipelineSettings(stages=("parse", "nonsense")))
    assert raised.value.code == "E013" and "nonsense" in str(raised.value)


def test_a_user_stage_plugs_in_by_name():
    @register_stage("drop_negated")
    class DropNegated:
        def __init__(self, settings):
            pass

        def __call__(self, doc):
            doc.events = [e for e in doc.events if not e.negated]
            return doc

    stages = ("parse", "actors", "events", "dates", "drop_negated")
    pipeline = Pipeline(PipelineSettings(stages=stages))
    doc = pipeline(Article(id="x", text="Russia did not attack Ukraine. Russia attacked Georgia."))
    assert [e.negated for e in doc.events] == [False]
