"""Attribution frames of reported speech: set by the events and fallback stages (events/extract.py,
events/fallback.py) and by the claims a statement asserts (context/claims.py).

These tests live here rather than in tests/events/ and tests/context/, which hold the accuracy gates.
"""

from __future__ import annotations

import pytest

from polybius.model import Document, Event


def event_of_root(doc: Document, root: str) -> Event:
    (event,) = [e for e in doc.events if e.code.root == root]
    return event


def in_text(doc: Document, event: Event) -> str:
    """The attribution's words as the article has them at its offsets."""
    return doc.article.text[event.attribution.start : event.attribution.end]


@pytest.mark.parametrize(
    ("text", "frame", "speakers"),
    [
        ("Iran attacked Iraq, Lavrov said.", "Lavrov said", ["Lavrov"]),
        ("According to the ministry, Israel struck Gaza.", "According to the ministry", ["ministry"]),
        ("Russia attacked Ukraine, Lavrov told reporters on Friday.", "Lavrov told reporters", ["Lavrov"]),
        ("Israel struck Gaza on Thursday, officials said Thursday.", "officials said", ["officials"]),
        (
            "A Jordanian official confirmed that Israel had struck Gaza.",
            "A Jordanian official confirmed",
            ["Jordanian official"],
        ),
        ("The Pentagon has not said whether Russia attacked Syria.", "The Pentagon has not said", ["Pentagon"]),
    ],
)
def test_reported_speech_has_the_span_of_its_frame(code_text, text, frame, speakers):
    doc = code_text(text)
    event = event_of_root(doc, "19")
    assert event.attribution.text == in_text(doc, event) == frame  # subject and verb, no adverbial
    assert [m.span.text for m in event.reported_by] == speakers
    assert event.to_dict()["attribution"] == {"text": frame, "start": event.attribution.start,
                                              "end": event.attribution.end}  # fmt: skip


def test_an_event_not_reported_has_no_attribution(code_text):
    event = event_of_root(code_text("Israel struck Gaza."), "19")
    assert event.attribution is None and event.reported_by == []
    assert event.to_dict()["attribution"] is None


def test_the_frame_leaves_the_event_coded_as_it_was(code_text):
    def coded(events: list[Event]) -> list[tuple]:
        return [(e.code.code, [m.span.text for m in e.source], [m.span.text for m in e.target], e.date) for e in events]

    plain = code_text("Israel struck Gaza on Monday.").events
    reported = code_text("Israel struck Gaza on Monday, according to the ministry.").events
    assert plain and coded(reported) == coded(plain)
    assert [e.attribution for e in plain] == [None]
    assert [e.attribution.text for e in reported] == ["according to the ministry"]


def test_according_to_covers_coordinated_events_and_uncoded_sources(code_text):
    doc = code_text("Israel struck Gaza and killed five people on Monday, according to Turkey's Foreign Ministry.")
    assert len(doc.events) == 2
    for event in doc.events:
        assert event.attribution.text == "according to Turkey's Foreign Ministry"
        assert [m.span.text for m in event.reported_by] == ["Turkey's Foreign Ministry"]
    # witnesses are no coded actor: the frame is kept, without a speaker; the relative clause is left out
    doc = code_text("Iranian troops attacked Kurdish rebels, according to witnesses who spoke to the Associated Press.")
    event = event_of_root(doc, "19")
    assert event.attribution.text == "according to witnesses" and event.reported_by == []


def test_a_classifier_event_in_reported_speech_has_its_frame(code_text):
    doc = code_text("Soldiers repelled the assault after several hours of fighting, the army said.")
    (event,) = doc.events
    assert event.method == "classifier"
    assert event.attribution.text == in_text(doc, event) == "the army said"
    assert [m.span.text for m in event.reported_by] == ["army"]


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        # the event lies in what the document says, under a verb that is no speech verb
        ("The communique noted that Russian jets had bombed rebel positions in Syria.", "The communique noted"),
        (
            "A joint statement by Egypt and Jordan stressed that Israel had attacked Gaza.",
            "A joint statement by Egypt and Jordan stressed",
        ),
        # the document is the event's subject
        ("A statement by Egypt warned that Israel had attacked Gaza.", "A statement by Egypt warned"),
    ],
)
def test_an_event_a_statement_asserts_has_the_statement_frame(code_text, text, frame):
    doc = code_text(text)
    (claim,) = doc.claims
    (event,) = doc.events
    assert claim.events == [event.id]
    assert event.attribution.text == in_text(doc, event) == frame


def test_said_in_a_statement_keeps_the_speech_frame_and_a_statement_of_its_own_is_no_report(code_text):
    doc = code_text("Egypt said in a statement that Israel had attacked Gaza.")
    event = event_of_root(doc, "19")
    assert event.attribution.text == "Egypt said" and [m.span.text for m in event.reported_by] == ["Egypt"]
    doc = code_text("In a statement, Turkey's Foreign Ministry condemned the attack on Syria.")
    assert [(e.code.root, e.attribution) for e in doc.events] == [("11", None)]
