"""Quotes stage: every quotation with its speaker.

Quotation marks are paired within a paragraph; a quote left open at a paragraph's end goes on
when the next paragraph opens with a quote mark (news style for quotes over several paragraphs).
The speaker comes from the speech verb next to the quote ("...," Lavrov said -> explicit;
"...," he said -> pronoun, through coreference), from the last speaker when the verb has lost
its subject ("...," said at United Nations headquarters -> dropped_subject), or, for a
paragraph that is only a quote, from the previous quote's speaker (previous).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from polybius.actors.kb import ActorKB, load_kb_for
from polybius.context.reading import ContextWords, names_a_person
from polybius.events.extract import actors_at, mentions_by_head, source_according_to, subject_of
from polybius.model import Document, Mention, Quote
from polybius.pipeline import PipelineSettings
from polybius.registry import register_stage

OPENING = '\u201c"'
CLOSING = '\u201d"'
PARAGRAPH = re.compile(r"\n\s*\n")
SPEECH_VERBS = {
    "say", "tell", "add", "insist", "declare", "state", "ask", "warn", "explain", "note", "recall", "stress",
    "write", "tweet", "argue", "continue", "acknowledge", "remark", "reply", "respond", "announce", "claim",
    "assert", "emphasize", "emphasise", "conclude", "complain",
}  # fmt: skip
CONFIDENCE = {"explicit": 0.9, "pronoun": 0.8, "dropped_subject": 0.6, "previous": 0.55}
PREVIOUS_QUOTE_REACH = 2  # paragraphs: a quote-only paragraph continues a speaker this close


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    start: int  # inside the opening mark
    end: int  # before the closing mark
    paragraph: int


def paragraphs(text: str, start: int) -> list[tuple[int, int]]:
    bounds = []
    position = start
    for gap in PARAGRAPH.finditer(text, start):
        bounds.append((position, gap.start()))
        position = gap.end()
    bounds.append((position, len(text)))
    return [(s, e) for s, e in bounds if e > s]


def find_quotes(text: str, start: int = 0) -> list[QuoteSpan]:
    """Quotation spans of `text` from `start`, quotes over several paragraphs as one span."""
    found: list[QuoteSpan] = []
    open_at: int | None = None
    open_paragraph = 0
    p_previous_end = start
    for number, (p_start, p_end) in enumerate(paragraphs(text, start)):
        skip_first = False
        if open_at is not None:
            if text[p_start] in OPENING:
                skip_first = True  # the quote goes on into this paragraph
            else:
                found.append(QuoteSpan(open_at, p_previous_end, open_paragraph))
                open_at = None
        for position in range(p_start + (1 if skip_first else 0), p_end):
            char = text[position]
            if open_at is None and char in OPENING:
                open_at, open_paragraph = position + 1, number
            elif open_at is not None and char in CLOSING and (char != '"' or position > open_at):
                if position > open_at:
                    found.append(QuoteSpan(open_at, position, open_paragraph))
                open_at = None
        p_previous_end = p_end
    if open_at is not None:
        found.append(QuoteSpan(open_at, p_previous_end, open_paragraph))
    return found


class QuotedText:
    """Which character offsets of a text lie inside quotation marks."""

    def __init__(self, text: str) -> None:
        quotes = find_quotes(text)
        self.starts = [q.start for q in quotes]
        self.ends = [q.end for q in quotes]

    def __contains__(self, offset: int) -> bool:
        n = bisect_right(self.starts, offset) - 1
        return n >= 0 and offset < self.ends[n]


def frame_tokens(doc: Doc, quote: QuoteSpan) -> tuple[list[Token], list[Token]]:
    """Tokens outside the quote in the sentences that hold its ends: (after the quote, before it)."""
    first = doc.char_span(quote.start, quote.start, alignment_mode="expand")
    last = doc.char_span(quote.end, quote.end, alignment_mode="expand")
    start_sent = doc[first.start].sent if first is not None and first.start < len(doc) else None
    end_token = min(last.start if last is not None else len(doc) - 1, len(doc) - 1)
    end_sent = doc[end_token].sent
    after_end = end_sent.end
    # spaCy often ends the sentence at the closing mark: "...," said X. -> take the next sentence too.
    if after_end < len(doc) and doc[after_end].is_lower:
        after_end = doc[after_end].sent.end
    before_start = start_sent.start if start_sent is not None else 0
    outside = [t for t in doc[before_start:after_end] if not (quote.start - 1 <= t.idx <= quote.end)]
    return [t for t in outside if quote.end < t.idx], [t for t in outside if t.idx < quote.start]


class SpeakerFinder:
    def __init__(self, doc: Document, kb: ActorKB, words: ContextWords) -> None:
        self.doc = doc
        self.index = mentions_by_head(doc.actors)
        self.people = {m.span.start for m in doc.actors if names_a_person(m, doc.parse, kb, words)}

    def speech_verb(self, tokens: list[Token]) -> Token | None:
        verbs = [t for t in tokens if t.lemma_.lower() in SPEECH_VERBS and t.pos_ in ("VERB", "AUX")]
        return verbs[0] if verbs else None

    def according_to(self, tokens: list[Token]) -> list[Mention]:
        for token in tokens:
            if (source := source_according_to(token)) is not None:
                return actors_at(source, self.index)
        return []

    def last_subject_speaker(self, before: int) -> Mention | None:
        """The latest single person in subject position before a character offset ("He insisted ...")."""
        parse = self.doc.parse
        people = [
            m
            for m in self.doc.actors
            if m.span.end <= before
            and parse[m.head].dep_ in ("nsubj", "nsubjpass")
            and parse[m.head].tag_ in ("NN", "NNP", "PRP")
            and self.is_person(m)
        ]
        return people[-1] if people else None

    def is_person(self, mention: Mention) -> bool:
        """One person: named so, or standing for one ("he", "the minister", "Vondrak")."""
        if mention.antecedent is not None:
            return mention.antecedent.start in self.people
        return mention.span.start in self.people

    def speaker_subject(self, verb: Token) -> Token | None:
        """The subject of a speech verb; for "saying" hung on a noun, the subject of the clause above."""
        subject = subject_of(verb)
        current = verb
        while subject is None and current.dep_ in ("acl", "pobj", "prep", "dobj") and current.head.i != current.i:
            current = current.head
            if current.pos_ in ("VERB", "AUX"):
                subject = subject_of(current)
        return subject

    def speaker(self, quote: QuoteSpan, previous: tuple[QuoteSpan, Quote] | None) -> Quote:
        article = self.doc.article
        span = article.span(quote.start, quote.end)
        after, before = frame_tokens(self.doc.parse, quote)
        recent = previous if previous is not None and previous[1].speaker is not None else None
        for tokens in (after, before):
            by_source = self.according_to(tokens)
            if by_source:
                return Quote(span, by_source[0], "explicit", CONFIDENCE["explicit"])
            verb = self.speech_verb(tokens)
            if verb is None:
                continue
            subject = self.speaker_subject(verb)
            if subject is not None:
                found = actors_at(subject, self.index)
                if found:
                    method = "pronoun" if found[0].antecedent is not None and subject.pos_ == "PRON" else "explicit"
                    return Quote(span, found[0], method, CONFIDENCE[method])
                return Quote(span, None, None, 0.0)  # a speaker the KB cannot code
            # The verb lost its subject ("...," said at United Nations headquarters): the nearest
            # earlier speaker, whether of the previous quote or the last person who was a subject.
            last = self.last_subject_speaker(quote.start)
            if recent is not None and (last is None or recent[0].start > last.span.start):
                return Quote(span, recent[1].speaker, "dropped_subject", CONFIDENCE["dropped_subject"])
            if last is not None:
                return Quote(span, last, "dropped_subject", CONFIDENCE["dropped_subject"])
            return Quote(span, None, None, 0.0)
        if recent is not None and quote.paragraph - recent[0].paragraph <= PREVIOUS_QUOTE_REACH:
            return Quote(span, recent[1].speaker, "previous", CONFIDENCE["previous"])
        return Quote(span, None, None, 0.0)


@register_stage("quotes")
class FindQuotes:
    def __init__(self, settings: PipelineSettings) -> None:
        self.kb = load_kb_for(settings.kb_dir)
        self.words = ContextWords()

    def __call__(self, doc: Document) -> Document:
        finder = SpeakerFinder(doc, self.kb, self.words)
        quotes: list[Quote] = []
        previous: tuple[QuoteSpan, Quote] | None = None
        for span in find_quotes(doc.article.text):  # titles quote people too
            quote = finder.speaker(span, previous)
            quotes.append(quote)
            previous = (span, quote)
        doc.quotes = quotes
        return doc
