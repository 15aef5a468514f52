"""Events stage: code each event-bearing clause from the verb lexicon and the dependency parse.

Source = the clause's subject (or the "by X" agent of a passive, or the noun a relative
clause hangs on); target = the object, or the object of the pattern's preposition.
Coordinated actors give several sources or targets ("a joint statement by France,
Germany, ... expressed concern over Russia's military actions").
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from spacy.tokens import Token

from polybius.events.lexicon import VerbLexicon, VerbPattern, actor_preps, load_lexicon
from polybius.events.ontology import CameoCode, cameo_codes, intent_of
from polybius.model import Document, Event, Mention, Modality, Span
from polybius.pipeline import PipelineSettings
from polybius.registry import register_stage

# Nouns for documents whose author is given by "by X" ("a joint statement by France, ...").
DOCUMENT_NOUNS = {"statement", "declaration", "communique", "communiqué", "letter", "report", "resolution"}
SPEECH_LEMMAS = {"say", "tell", "announce", "state", "add", "insist", "report", "claim", "write", "confirm"}
# Governing verbs that make the clause below them something other than a plain fact.
INTENT_LEMMAS = {"want", "seek", "prepare", "aim", "try"}
# Governing words that state the speaker's own commitment: CAMEO codes "agreed to lift the embargo"
# as an intent (0354), "plans to impose a curfew" as a threat (1323), not as the act.
COMMISSIVE_LEMMAS = {
    "agree",
    "pledge",
    "promise",
    "vow",
    "offer",
    "undertake",
    "volunteer",
    "swear",
    "intend",
    "plan",
    "decide",
    "threaten",
    "commit",
    "ready",
    "willing",
    "prepared",
}
DEMAND_LEMMAS = {"call", "urge", "demand", "ask", "appeal", "press", "request", "push"}
DENIAL_LEMMAS = {"deny", "reject", "dismiss", "refute"}
INTENT_ROOTS = {"03", "13"}  # express intent to cooperate, threaten
POSSIBLE_AUX = {"could", "might", "may", "would"}
CONDITIONAL_MARKS = {"if", "unless", "whether"}
FUTURE_AUX = {"will", "shall"}
TOPIC_ROOTS = {"04", "05"}  # consultations and diplomatic cooperation
TOPIC_PREPS = {"on", "about", "over"}
ACCUSE_ROOT = "11"
ACCUSED_PREPS = ("against", "over", "about")
DEFAULT_TARGET_PREPS = ("against", "to", "with", "on", "at", "over", "toward", "towards")
# Dependencies that open a new clause: an actor found below one belongs to another event.
CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis"}
# Participles that state the subject's own stance, not something done to it: "Egypt is opposed to
# Turkish mediation", "Iran is committed to the talks".
STATIVE_PASSIVES = {"oppose", "commit", "dedicate", "devote"}
RELATIVE_PRONOUNS = {"which", "who", "that", "whom"}
SPEAKER_PRONOUNS = {"it", "they", "we", "he", "she", "i"}  # in a reported clause, usually the speaker
# Roots whose event is addressed to someone named as the subject of its complement clause.
ADDRESSED_ROOTS = {"02", "10", "11", "12", "13", "17"}
SUBORDINATE_DEPS = {"advcl", "xcomp"}  # purpose ("to protest") and participial ("killing 20") clauses
EMBEDDING_DEPS = {"ccomp", "conj", "xcomp", "advcl"}  # a clause under a verb: reported, coordinated, complement
# An attribution frame's words: the verb's own ("has said", "pointed out") and whom a speech verb
# addresses ("told REPORTERS"); a phrase in it stops before a clause or apposition on its right.
FRAME_VERB_DEPS = {"aux", "auxpass", "neg", "prt"}
ADDRESSEE_DEPS = {"dative", "dobj"}
FRAME_TRIM_DEPS = {"appos", "punct"}


def mentions_by_head(mentions: list[Mention]) -> dict[int, list[Mention]]:
    index: dict[int, list[Mention]] = {}
    for mention in mentions:
        index.setdefault(mention.head, []).append(mention)
    return index


def nearest_mentions(token: Token, index: dict[int, list[Mention]]) -> list[Mention]:
    """The closest mention inside the noun phrase under `token`, not crossing into another clause."""
    queue = deque([token])
    while queue:
        current = queue.popleft()
        if current.i in index:
            return index[current.i]
        queue.extend(c for c in current.children if c.dep_ not in CLAUSE_DEPS | {"conj"})
    return []


def actors_at(token: Token, index: dict[int, list[Mention]]) -> list[Mention]:
    """Actors named by a subject or object, one per coordinated conjunct."""
    found: list[Mention] = []
    conjuncts = [token, *token.conjuncts]
    for mention in index.get(token.i, ()):
        # The parser may hang a coordination on a word inside the name ("Barack Obama and Vladimir
        # Putin" with "Putin" a conjunct of "Obama", not of the head "Barack").
        words = token.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand") or ()
        inside = (t for t in words if t.i != token.i)
        conjuncts.extend(c for t in inside for c in t.conjuncts if c not in conjuncts)
    for conjunct in conjuncts:
        if conjunct.i in index:
            found.extend(index[conjunct.i])
        elif conjunct.lemma_.lower() in DOCUMENT_NOUNS and (author := author_of(conjunct)) is not None:
            found.extend(actors_at(author, index))
        else:
            found.extend(nearest_mentions(conjunct, index))
    return list({id(m): m for m in found}.values())


def author_of(document: Token) -> Token | None:
    for prep in document.children:
        if prep.dep_ == "prep" and prep.lower_ in ("by", "from"):
            return next((c for c in prep.children if c.dep_ == "pobj"), None)
    return None


def object_of_prep(holder: Token, preps: tuple[str, ...]) -> Token | None:
    for prep in actor_preps(holder, preps, ("prep", "agent", "prt")):
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is not None:
            return pobj
    return None


def is_trigger_candidate(token: Token) -> bool:
    """Verbs, and adjectives predicated of a subject ("Chile is WILLING to send troops")."""
    return token.pos_ == "VERB" or (token.pos_ == "ADJ" and token.dep_ == "acomp")


def subject_of(verb: Token) -> Token | None:
    """The clause's actor: its subject, a passive's agent, or what a relative clause modifies."""
    current = verb
    while True:
        for child in current.children:
            if child.dep_ in ("nsubj", "csubj"):
                if child.lower_ in RELATIVE_PRONOUNS and current.dep_ == "relcl":
                    return current.head
                return child
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
        if current.dep_ == "relcl":
            return current.head
        if current is not verb and (raised := next((c for c in current.children if c.dep_ == "nsubjpass"), None)):
            return raised  # "Macron IS SCHEDULED to attend", "Chad was forced to withdraw": the actor of the complement
        if current is verb and verb.lemma_.lower() in STATIVE_PASSIVES:
            return next((c for c in verb.children if c.dep_ == "nsubjpass"), None)  # "Egypt IS OPPOSED to"
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in current.children):
            return None  # a passive without "by X": the actor is unnamed, not the subject of the clause above
        if current.dep_ in ("conj", "xcomp", "advcl", "acomp") and current.head.i != current.i:
            current = current.head
            continue
        return None


def target_candidates(verb: Token, pattern: VerbPattern) -> Iterator[Token]:
    """Where the target may be, most specific first; the first that names an actor wins."""
    if pattern.code[:2] == ACCUSE_ROOT and (pobj := object_of_prep(verb, ACCUSED_PREPS)) is not None:
        yield pobj  # "complained TO the EU OVER Turkish drilling": the accused, not the addressee
    if pattern.prep and (pobj := object_of_prep(verb, (pattern.prep,))) is not None:
        yield pobj
    passive_subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if passive_subject is not None:
        yield passive_subject
    light_object = pattern.object_of(verb) if pattern.objects else None
    direct = next((c for c in verb.children if c.dep_ in ("dobj", "dative")), None)
    if direct is not None and light_object is None:
        yield direct
    preps = pattern.target_preps or DEFAULT_TARGET_PREPS
    if pattern.code[:2] in TOPIC_ROOTS:
        # "a conference in Egypt ON the war in Sudan", "an agreement ON trade": what is discussed
        # or agreed is no party to it
        preps = tuple(p for p in preps if p not in TOPIC_PREPS)
    for holder in (light_object, verb):
        if holder is not None and (pobj := object_of_prep(holder, preps)) is not None:
            yield pobj
    # "threatened to attack SOUTH KOREA": the complement's object is the target.
    complement = pattern.complement_of(verb)
    if complement is not None:
        direct = next((c for c in complement.children if c.dep_ in ("dobj", "dative")), None)
        if direct is not None:
            yield direct
        if (pobj := object_of_prep(complement, DEFAULT_TARGET_PREPS)) is not None:
            yield pobj
    # "expelled GERMANY's ambassador": an actor inside the light-verb object.
    if light_object is not None:
        yield light_object
    # "demanded that THE GOVERNMENT resign", "said PERU must withdraw its troops": whom the
    # appeal, demand, accusation or threat is addressed to is the subject of its clause.
    if pattern.code[:2] in ADDRESSED_ROOTS:
        # also a clause on the demand noun: "insisted on their DEMAND that Mali's government grant ..."
        nouns = [c for c in verb.children if c.dep_ == "dobj"]
        nouns += [p for prep in verb.children if prep.dep_ == "prep" for p in prep.children if p.dep_ == "pobj"]
        clauses = [c for c in verb.children if c.dep_ == "ccomp"]
        clauses += [c for noun in nouns for c in noun.children if c.dep_ in ("ccomp", "acl") and c.pos_ == "VERB"]
        for clause in clauses:
            subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None:
                yield subject


def repeat_of(event: Event, earlier: list[Event]) -> int | None:
    """The position of an earlier event with the same root between the same actors in the same
    sentence: "will meet in Kazan to discuss" is one consultation, "agreed to hold joint exercises"
    one agreement."""

    def key(e: Event) -> tuple:
        actors = frozenset(m.entity for m in e.source), frozenset(m.entity for m in e.target)
        return e.sentence, e.code.root, e.negated, *actors

    return next((i for i, e in enumerate(earlier) if key(e) == key(event)), None)


def is_more_specific(code: CameoCode, than: CameoCode) -> bool:
    """ "threatened to bomb" (1384) says more than "threatened" (130): a longer code, or a 3-digit code
    that is not the root's catch-all X0."""
    return len(code.code) > len(than.code) or (than.code.endswith("0") and not code.code.endswith("0"))


def without_announcements(events: list[Event], doc: Document) -> list[Event]:
    """Drop "agreed" (030) or "threatened" (130) when the clause it governs says what was agreed or
    threatened with a code of the same root at least as fine ("agreed to LIFT the embargo", 0354)."""
    by_trigger = {e.trigger_token: e for e in events}
    announcements = set()
    for event in events:
        ruler = governor(doc.parse[event.trigger_token])
        announced = by_trigger.get(ruler.i) if ruler is not None else None
        if (
            announced is not None
            and (announced.code.root, announced.negated) == (event.code.root, event.negated)
            and not is_more_specific(announced.code, event.code)
        ):
            announcements.add(id(announced))
    return [e for e in events if id(e) not in announcements]


def with_purposes_merged(events: list[Event], doc: Document) -> list[Event]:
    """One act, one event: "began a hunger strike TO PROTEST the ruling", "blocked roads DEMANDING
    new elections", "shelled the town, KILLING 20": a purpose or participial clause of the same
    actor describes the act it hangs on, and gives it its target when the act has none. The act keeps
    its code: "summoned the ambassador to protest" is the summoning (a government's protest is no
    demonstration)."""
    by_trigger = {e.trigger_token: e for e in events}
    merged: set[int] = set()
    for event in events:
        clause = doc.parse[event.trigger_token]
        if clause.dep_ not in SUBORDINATE_DEPS or clause.head.i not in by_trigger:
            continue
        if clause.head.lemma_.lower() in COMMISSIVE_LEMMAS:
            continue  # "agreed to LIFT the embargo": the clause is what was promised, an event of its own
        act = by_trigger[clause.head.i]
        if id(act) in merged or act.negated != event.negated:
            continue
        if {m.entity for m in event.source} - {m.entity for m in act.source}:
            continue  # another actor's deed: "police fired on protesters DEMANDING ..." is theirs
        if not act.target:
            act.target = event.target
        merged.add(id(event))
    return [e for e in events if id(e) not in merged]


def governor(verb: Token) -> Token | None:
    """The verb whose complement this clause is ("threatened to ATTACK" -> threatened)."""
    if verb.dep_ in ("xcomp", "ccomp") and verb.head.i != verb.i:
        return verb.head
    return None


def is_reported_future(verb: Token) -> bool:
    """ "Venezuela said it WOULD allow monitors back": "would" in reported speech is the speaker's future."""
    ruler = governor(verb)
    return verb.dep_ == "ccomp" and ruler is not None and ruler.lemma_.lower() in SPEECH_LEMMAS


def modality_of(verb: Token) -> Modality:
    aux = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in verb.children):
        return "possible"  # "... if Israel hit its oil facilities": a condition, not a fact
    if aux & POSSIBLE_AUX and not (aux == {"would"} and is_reported_future(verb)):
        return "possible"
    ruler = governor(verb)
    if ruler is not None:
        lemma = ruler.lemma_.lower()
        if lemma in DENIAL_LEMMAS:
            return "denied"
        if lemma in DEMAND_LEMMAS:
            return "demanded"
        if lemma in INTENT_LEMMAS | COMMISSIVE_LEMMAS:
            return "intended"
    if aux & (FUTURE_AUX | {"would"}):
        return "intended"
    if verb.dep_ == "advcl" and "to" in aux and modality_of(verb.head) == "intended":
        return "intended"  # "will meet in Kazan TO DISCUSS": the purpose of an intended act is intended too
    return "asserted"


def states_intent(verb: Token) -> bool:
    """The clause is a commitment announced by its subject's side: "agreed to", "is ready to", "said it
    would", "will support ..., the minister said". A future in plain narration ("Modi and Xi will meet
    in Kazan") is a scheduled act, coded as the act."""
    ruler = governor(verb)
    if ruler is not None and ruler.lemma_.lower() in COMMISSIVE_LEMMAS:
        return True
    if modality_of(verb) != "intended" or (ruler is not None and ruler.lemma_.lower() in INTENT_LEMMAS):
        return False
    clause = verb
    while clause.dep_ == "advcl" and clause.head.i != clause.i:
        clause = clause.head  # "will meet in Kazan to DISCUSS": the purpose shares its clause's status
    said = (ruler is not None and ruler.lemma_.lower() in SPEECH_LEMMAS) or any(
        c.dep_ == "parataxis" and c.lemma_.lower() in SPEECH_LEMMAS for c in clause.children
    )
    return said or is_reported_future(clause)


def as_statement_of_intent(
    verb: Token, code: CameoCode, modality: Modality, negated: bool
) -> tuple[CameoCode, Modality, bool]:
    """Code, modality and negation of a clause that states an intent ("agreed to lift sanctions": 0354).
    The event is then the statement, as sure as the verb that states it: "agreed to lift" is asserted,
    "may agree to lift" possible, "did not agree to lift" negated."""
    if negated or not states_intent(verb) or (code.root not in INTENT_ROOTS and intent_of(code) is None):
        return code, modality, negated
    ruler = governor(verb)
    stating = ruler if ruler is not None and ruler.lemma_.lower() in COMMISSIVE_LEMMAS else None
    if stating is None:
        return intent_of(code) or code, "asserted", False
    return intent_of(code) or code, modality_of(stating), any(c.dep_ == "neg" for c in stating.children)


def is_negated(verb: Token, pattern: VerbPattern) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    light_object = pattern.object_of(verb) if pattern.objects else None
    return light_object is not None and any(c.lower_ == "no" for c in light_object.children)


def governing_verbs(verb: Token) -> Iterator[Token]:
    """The verbs a clause is embedded under, nearest first ("X said [Y called on Z ...]")."""
    current = verb
    while current.dep_ in EMBEDDING_DEPS and current.head.i != current.i:
        current = current.head
        yield current


def speech_verb_over(verb: Token) -> Token | None:
    """The speech verb a clause is reported under: the nearest governing one ("X said [...]"), else a
    parenthetical "X said" attached to the clause."""
    for current in governing_verbs(verb):
        if current.lemma_.lower() in SPEECH_LEMMAS:
            return current
    return next((c for c in verb.children if c.dep_ == "parataxis" and c.lemma_.lower() in SPEECH_LEMMAS), None)


def reporters_of(verb: Token, index: dict[int, list[Mention]]) -> list[Mention]:
    """Who is reported as saying the clause ("..., Turkey's Foreign Ministry said Friday"). Only speech
    verbs: this may stand in for a clause's source, which "according to X" never gives (`reported_speech`)."""
    speech = speech_verb_over(verb)
    speaker = subject_of(speech) if speech is not None else None
    return actors_at(speaker, index) if speaker is not None else []


def source_according_to(token: Token) -> Token | None:
    """The X of "according to X" when `token` is its "according"."""
    doc = token.doc
    if token.lower_ != "according" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
        return None
    return next((c for c in doc[token.i + 1].children if c.dep_ == "pobj"), None)


def phrase_bounds(token: Token) -> tuple[int, int]:
    """First and last token of the phrase under `token`, without the clauses, appositions and punctuation
    on its right ("witnesses [who spoke to AP]", "Maria Zakharova[, the ministry's spokeswoman]")."""
    end = token.i
    for child in token.rights:
        if child.dep_ not in CLAUSE_DEPS | FRAME_TRIM_DEPS:
            end = max(end, child.right_edge.i)
    return token.left_edge.i, end


def words_between(doc: Document, bounds: list[tuple[int, int]]) -> Span:
    """The article span from the first to the last of these token ranges, without punctuation at its ends."""
    first = min(start for start, _ in bounds)
    last = max(end for _, end in bounds)
    while first < last and doc.parse[first].is_punct:
        first += 1
    while last > first and doc.parse[last].is_punct:
        last -= 1
    tokens = doc.parse[first : last + 1]
    return doc.article.span(tokens.start_char, tokens.end_char)


def frame_span(doc: Document, verb: Token, speaker: Token | None) -> Span:
    """The words of an attribution frame: the speaker's phrase and the verb with its auxiliaries, particle
    and, for a speech verb, addressee ("Lavrov said", "a Jordanian official confirmed", "Lavrov told
    reporters"); adverbials after the verb ("on Friday") are left out."""
    words = FRAME_VERB_DEPS | (ADDRESSEE_DEPS if verb.lemma_.lower() in SPEECH_LEMMAS else set())
    bounds = [(verb.i, verb.i), *(phrase_bounds(c) for c in verb.children if c.dep_ in words)]
    if speaker is not None:
        bounds.append(phrase_bounds(speaker))
    return words_between(doc, bounds)


def reported_speech(doc: Document, verb: Token, index: dict[int, list[Mention]]) -> tuple[list[Mention], Span | None]:
    """Who is reported as saying the clause, and the words that say so (its attribution): "X said [...]",
    "[...], X said", "according to X, [...]". No attribution: not reported speech."""
    speech = speech_verb_over(verb)
    if speech is not None:
        speaker = subject_of(speech)
        speakers = actors_at(speaker, index) if speaker is not None else []
        return speakers, frame_span(doc, speech, speaker)
    for current in (verb, *governing_verbs(verb)):
        for child in current.children:
            if (source := source_according_to(child)) is not None:
                return actors_at(source, index), words_between(doc, [(child.i, child.i), phrase_bounds(source)])
    return [], None


@register_stage("events")
class ExtractEvents:
    def __init__(self, settings: PipelineSettings) -> None:
        self.lexicon: VerbLexicon = load_lexicon()
        self.codes = cameo_codes()

    def __call__(self, doc: Document) -> Document:
        index = mentions_by_head(doc.actors)
        triggers: dict[int, VerbPattern] = {}
        for token in doc.parse:
            if is_trigger_candidate(token) and (pattern := self.lexicon.best(token)) is not None:
                triggers[token.i] = pattern
        events: list[Event] = []
        for verb_index, pattern in triggers.items():
            verb = doc.parse[verb_index]
            ruler = governor(verb)
            if ruler is not None and ruler.i in triggers and self.covered_by(triggers[ruler.i], pattern, verb):
                continue
            event = self.code_clause(doc, verb, pattern, index, len(events))
            if event is None:
                continue
            earlier = repeat_of(event, events)
            if earlier is None:
                events.append(event)
            elif is_more_specific(event.code, events[earlier].code):
                events[earlier] = event
        doc.events = with_purposes_merged(without_announcements(events, doc), doc)
        for n, event in enumerate(doc.events):  # numbered after merging, so later stages add fresh ids
            event.id = f"{doc.article.id}:{n}"
        return doc

    def covered_by(self, ruling: VerbPattern, pattern: VerbPattern, verb: Token) -> bool:
        """ "called on X to CEASE attacks": the appeal's complement pattern already covers the clause; but
        "agreed to LIFT sanctions" may say more (0354) than the pattern of "agreed to lift" (035)."""
        if not ruling.complements:
            return False
        says_more = intent_of(self.codes[pattern.code]) is not None and states_intent(verb)
        return ruling.code[:2] not in INTENT_ROOTS or not says_more

    def code_clause(
        self, doc: Document, verb: Token, pattern: VerbPattern, index: dict[int, list[Mention]], n: int
    ) -> Event | None:
        subject = subject_of(verb)
        source = actors_at(subject, index) if subject is not None else []
        if not source and subject is not None and subject.lower_ in SPEAKER_PRONOUNS:
            source = reporters_of(verb, index)  # "Egypt said IT had sent aid": the speaker acts
        if not source:
            return None  # an event with no known actor is not worth coding
        source_ids = {id(m) for m in source}
        target: list[Mention] = []
        for candidate in target_candidates(verb, pattern):
            target = [m for m in actors_at(candidate, index) if id(m) not in source_ids]
            if target:
                break
        if pattern.converse:
            source, target = target, source
            if not source:
                return None  # "received weapons" from nobody named: no known giver
        end_token = pattern.object_of(verb) if pattern.objects else None
        trigger_end = max(verb.i, end_token.i if end_token is not None else verb.i) + 1
        trigger_chars = doc.parse[verb.i : trigger_end]
        sentence = verb.sent
        modality = modality_of(verb)
        negated = is_negated(verb, pattern) or modality == "denied"
        code, modality, negated = as_statement_of_intent(verb, self.codes[pattern.code], modality, negated)
        reported_by, attribution = reported_speech(doc, verb, index)
        confidence = min(0.95, 0.6 + 0.1 * pattern.specificity + (0.1 if target else 0.0))
        return Event(
            id=f"{doc.article.id}:{n}",
            code=code,
            trigger=doc.article.span(trigger_chars.start_char, trigger_chars.end_char),
            sentence=(sentence.start_char, sentence.end_char),
            source=source,
            target=target,
            negated=negated,
            modality=modality,
            reported_by=reported_by,
            attribution=attribution,
            confidence=confidence,
            trigger_token=verb.i,
        )
