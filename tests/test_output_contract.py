"""Every output document validates against docs/output.schema.json and every span points into the text."""

from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polybius.api import code_many
from tests.conftest import ROOT, iter_spans

SCHEMA = json.loads((ROOT / "docs" / "output.schema.json").read_text(encoding="utf-8"))
EXAMPLES = ROOT / "examples" / "articles.jsonl"


def check_document(record: dict) -> None:
    jsonschema.validate(record, SCHEMA)
    text = record["article"]["text"]
    spans = list(iter_spans(record))
    assert spans, "a coded article has at least one span"
    for span in spans:
        assert text[span["start"] : span["end"]] == span["text"], span
    for event in record["events"]:  # the frame that reports an event is in its sentence
        frame, sentence = event["attribution"], event["sentence"]
        assert frame is None or sentence["start"] <= frame["start"] < frame["end"] <= sentence["end"], event


@pytest.fixture(scope="module")
def example_documents() -> list[dict]:
    records = [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines()]
    return [doc.to_dict() for doc in code_many(records)]


def test_bundled_examples_follow_the_contract(example_documents):
    assert len(example_documents) >= 6
    for record in example_documents:
        check_document(record)
        assert json.loads(json.dumps(record)) == record


def test_bundled_examples_yield_events_with_actors(example_documents):
    for record in example_documents:
        assert record["events"], record["article"]["id"]
        assert all(e["source"] for e in record["events"])
        assert all(e["id"].startswith(record["article"]["id"] + ":") for e in record["events"])


def test_reported_events_of_the_bundled_examples_have_their_attribution(example_documents):
    events = [e for record in example_documents for e in record["events"]]
    reported = [e for e in events if e["reported_by"]]
    assert reported and len(reported) < len(events)
    assert all(e["attribution"] for e in reported)  # a speaker always comes with the words that report it
    frames = [e["attribution"]["text"] for e in events if e["attribution"]]
    assert "the Foreign Ministry in Dhaka said" in frames
    assert any(frame.lower().startswith("according to") for frame in frames)


ACTORS = [
    "Russia",
    "Turkey's Foreign Ministry",
    "Saudi and Qatari officials",
    "The Pentagon",
    "Iranian troops",
    "NATO",
    "Islamic State militants",
    "French President Emmanuel Macron",
    "Police",
]
CLAUSES = [
    "attacked",
    "condemned",
    "called on {t} to halt attacks on",
    "met with",
    "rejected a proposal by",
    "did not attack",
    "could attack",
    "expressed concern over",
    "signed an agreement with",
]
TARGETS = ["Syria", "Ukraine", "the Egyptian government", "Kurdish rebels", "Britain's Defence Ministry"]
DATES = ["", " on Wednesday", " yesterday", " on Oct. 1"]
FRAMES = ["", ", officials said", ", according to the ministry", ", Lavrov told reporters"]


@st.composite
def articles(draw):
    sentences = []
    for _ in range(draw(st.integers(1, 4))):
        target = draw(st.sampled_from(TARGETS))
        clause = draw(st.sampled_from(CLAUSES))
        object_ = "" if "{t}" in clause else f" {target}"
        when, frame = draw(st.sampled_from(DATES)), draw(st.sampled_from(FRAMES))
        sentences.append(f"{draw(st.sampled_from(ACTORS))} {clause.format(t=target)}{object_}{when}{frame}.")
    title = draw(st.sampled_from(["", "Tensions Rise as Russia Strikes ISIS\n\n"]))
    return title + " ".join(sentences)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=articles())
def test_any_generated_article_round_trips_through_the_contract(code_text, text):
    record = code_text(text).to_dict()
    check_document(record)
    assert json.loads(json.dumps(record)) == record
