import pytest

from tests.conftest import events_summary


@pytest.mark.parametrize(
    ("text", "root", "source", "target"),
    [
        (
            "Turkey and its allies have called on Russia to immediately cease attacks on the Syrian opposition.",
            "02",
            "TUR",
            "RUS",
        ),
        (
            "A joint statement by France, Germany and Qatar expressed concern over Russia's military actions.",
            "11",
            "QAT",
            "RUS",
        ),
        ("Russian jets made their first strikes in Syria on Wednesday.", "19", "RUS MIL", None),
        (
            "Russian Foreign Minister Sergey Lavrov rejected suggestions that the strikes were meant to help Assad.",
            "12",
            "RUS GOV",
            None,
        ),
        ("Iran was accused by Saudi Arabia of arming the rebels.", "11", "SAU", "IRN"),
        ("Egypt's President met with the Jordanian King in Cairo.", "04", "EGY GOV", "JOR GOV"),
        ("China and Russia signed an agreement on energy cooperation.", "05", "CHN", None),
        ("Turkish police arrested dozens of Kurdish protesters.", "17", "TUR COP", None),
        ("North Korea threatened to attack South Korea.", "13", "PRK", "KOR"),
    ],
)
def test_clauses_are_coded_with_source_and_target(code_text, text, root, source, target):
    events = events_summary(code_text(text))
    assert any(
        code[:2] == root and source in sources and (target is None or target in targets)
        for code, sources, targets in events
    ), events


def test_coordinated_sources_all_become_sources(code_text):
    doc = code_text(
        "A joint statement by France, Germany, Qatar, Saudi Arabia, Turkey, Britain and the United "
        "States expressed concern over Russia's military actions."
    )
    (event,) = [e for e in doc.events if e.code.root == "11"]
    assert {m.country for m in event.source} == {"FRA", "DEU", "QAT", "SAU", "TUR", "GBR", "USA"}
    assert [m.country for m in event.target] == ["RUS"]


def test_passive_agent_is_the_source(code_text):
    (event,) = code_text("The airport was attacked by Houthi rebels on Wednesday.").events
    assert event.code.root == "19" and event.source[0].kb_id == "HOUTHIS"


@pytest.mark.parametrize(
    ("text", "root"),
    [
        ("Russia did not attack the rebels.", "19"),
        ("Saudi and Qatari officials made no mention of the document.", "01"),
        ("Iran denied that it attacked the tanker.", "19"),
    ],
)
def test_negated_and_denied_events_are_not_affirmative(code_text, text, root):
    doc = code_text(text)
    assert all(e.negated for e in doc.events if e.code.root == root), doc.events


def test_a_denial_is_itself_an_event_and_denies_the_inner_one(code_text):
    doc = code_text("Iran denied that Iranian forces attacked the tanker.")
    assert [(e.code.root, e.negated, e.modality) for e in doc.events] == [
        ("01", False, "asserted"),
        ("19", True, "denied"),
    ]


def test_hypothetical_events_carry_their_modality(code_text):
    doc = code_text("Russia could attack Ukraine, officials in Washington said.")
    (event,) = doc.events
    assert event.modality == "possible"


def test_reported_speech_keeps_its_speaker(code_text):
    doc = code_text("Turkey has called on Russia to stop the strikes, Turkey's Foreign Ministry said Friday.")
    event = next(e for e in doc.events if e.code.root == "02")
    assert [m.span.text for m in event.reported_by] == ["Turkey's Foreign Ministry"]
    assert event.date.isoformat() == "2015-10-02" and event.date_from == "text"


def test_plain_say_is_not_an_event(code_text):
    assert code_text("Turkey's Foreign Ministry said the talks were useful.").events == []


def test_releasing_a_document_is_not_releasing_prisoners(code_text):
    doc = code_text("The text of the statement was released by the Turkish Foreign Ministry on Friday.")
    assert not [e for e in doc.events if e.code.code.startswith("084")]


def test_a_date_after_on_is_not_the_target_and_role_of_countries_gives_each_country(code_text):
    doc = code_text(
        "The foreign ministers of Estonia, Latvia and Poland on Thursday called on Belarus to halt the crackdown."
    )
    event = next(e for e in doc.events if e.code.root == "02")
    assert {(m.country, m.sector) for m in event.source} == {("EST", "GOV"), ("LVA", "GOV"), ("POL", "GOV")}
    assert [m.country for m in event.target] == ["BLR"]
    assert event.date.isoformat() == "2015-10-01"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Myanmar troops engaged in ethnic cleansing against the Rohingya, UN investigators found.", "203"),
        ("Turkey called for the release of the detained Iranian journalists.", "0253"),
        ("The Sudanese opposition insisted on the withdrawal of the army from Khartoum.", "1056"),
        ("Colombia withdrew from the extradition treaty with the United States.", "160"),
    ],
)
def test_the_noun_under_the_preposition_selects_the_code(code_text, text, code):
    assert code in [c for c, _, _ in events_summary(code_text(text))]


def test_raped_is_rape_and_rapped_is_criticism(code_text):
    raped = [c for c, _, _ in events_summary(code_text("Sudanese soldiers raped women in Darfur, Amnesty said."))]
    rapped = [c for c, _, _ in events_summary(code_text("Germany rapped Hungary over its treatment of migrants."))]
    assert "1821" in raped and "111" not in raped
    assert "111" in rapped and "1821" not in rapped


@pytest.mark.parametrize(
    ("text", "code", "modality", "negated"),
    [
        ("The United States agreed to lift sanctions on Iran.", "0354", "asserted", False),
        ("Venezuela said it would allow UN human rights monitors to return.", "0355", "asserted", False),
        ("Hungary plans to impose restrictions on foreign-funded charities.", "132", "asserted", False),
        ("Bolivia threatened to break off diplomatic relations with Chile.", "1313", "asserted", False),
        ("The United States may agree to lift sanctions on Iran.", "0354", "possible", False),
        ("The United States did not agree to lift sanctions on Iran.", "0354", "asserted", True),
    ],
)
def test_stated_intentions_are_coded_as_intent_codes(code_text, text, code, modality, negated):
    """CAMEO codes a promise or plan to act as 03x/13x, as sure as the verb that states it."""
    events = [e for e in code_text(text).events if e.code.root == code[:2]]
    assert [(e.code.code, e.modality, e.negated) for e in events] == [(code, modality, negated)]


def test_a_scheduled_act_in_narration_keeps_its_own_code(code_text):
    """ "will meet" told as a plain future is the meeting itself, not a promise to meet."""
    events = code_text("Narendra Modi and Xi Jinping will meet in Kazan to discuss the border.", "2024-10-20").events
    assert {e.code.root for e in events} == {"04"}
    assert all(e.modality == "intended" for e in events)


def test_an_act_with_no_named_party_is_coded_against_the_country_where_it_happens(code_text):
    events = events_summary(code_text("Morocco eased the curfew in Mauritania on Sunday."))
    assert any(code[:2] == "08" and targets == ["MRT"] for code, _, targets in events), events
    statements = events_summary(code_text("Lavrov made a statement in Geneva."))
    assert all(targets == [] for code, _, targets in statements if code[:2] == "01"), statements


def test_event_ids_stay_unique_when_clauses_merge(code_text):
    """Merged purpose clauses leave gaps that later stages (fallback, claims) must not refill."""
    doc = code_text(
        "Sudanese rebels shelled Juba on Sunday, killing 20 people. Egypt agreed to lift the embargo on Libya. "
        "The talks between Sudan's government and the rebels were described as constructive by officials."
    )
    ids = [e.id for e in doc.events]
    assert len(ids) >= 2 and len(set(ids)) == len(ids), ids


def test_a_threat_and_the_clause_that_spells_it_out_are_one_event(code_text):
    doc = code_text("Bahrain threatened to break off diplomatic relations with Qatar and Oman.")
    events = events_summary(doc)
    assert [(code, sources) for code, sources, _ in events] == [("1313", ["BHR"])], events


@pytest.mark.parametrize(
    ("text", "root", "source", "target"),
    [
        # the accused, not the addressee
        ("Cyprus complained to the European Union over Turkish drilling off its coast.", "11", "CYP", "TUR"),
        # whom a demand is addressed to may sit in a clause on the demand noun
        (
            "Tuareg rebels insisted on their demand that Mali's government grant more autonomy.",
            "10",
            "MLI REB",
            "MLI GOV",
        ),
    ],
)
def test_targets_of_accusations_and_demands(code_text, text, root, source, target):
    events = events_summary(code_text(text, "2000-01-01"))
    assert any(code[:2] == root and source in s and target in t for code, s, t in events), events


def test_a_stance_told_as_a_passive_is_the_subjects_own(code_text):
    """ "is opposed to" states Egypt's position; "was attacked" with no agent names no attacker."""
    stance = code_text("Egypt is opposed to Turkish mediation in the conflict.")
    assert ("120", ["EGY"], ["TUR"]) in events_summary(stance)
    assert events_summary(code_text("The embassy was attacked on Monday.")) == []


def test_what_a_meeting_is_about_is_no_party_to_it(code_text):
    """ "a conference in Egypt on the war in Sudan": the host, not the topic, is the target."""
    doc = code_text("Macron is scheduled to attend a conference in Egypt on the war in Sudan.", "2023-05-01")
    events = events_summary(doc)
    assert [(code[:2], s, t) for code, s, t in events] == [("04", ["FRA GOV"], ["EGY"])], events
