"""Fallback stage: a linear classifier codes sentences that the verb lexicon left without an event.

Trained only on example sentences we wrote (data/examples/*.jsonl, a few per CAMEO code plus
sentences with no event): TF-IDF word uni- and bigrams, one linear SVM for the CAMEO root (or no
event) and one for the full code. It runs only on sentences with an actor and no pattern event, so
the patterns keep their precision and the classifier adds recall. The trained models are cached in
the user cache directory, keyed by the hash of the examples and of this module and by the
scikit-learn version; `make` warms it.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources.abc import Traversable
from itertools import islice
from pathlib import Path

import sklearn
from platformdirs import user_cache_dir
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, make_union
from sklearn.svm import LinearSVC
from spacy.tokens import Span as TokenSpan

from polybius.data import data_path
from polybius.events.extract import (
    SPEECH_LEMMAS,
    actors_at,
    as_statement_of_intent,
    mentions_by_head,
    modality_of,
    reported_speech,
    reporters_of,
    subject_of,
)
from polybius.events.ontology import CameoCode, cameo_codes
from polybius.model import Document, Event, Mention
from polybius.pipeline import PipelineSettings
from polybius.registry import register_stage

NO_EVENT = "NONE"
EXAMPLES = "examples"  # every *.jsonl file in it: {"text", "code" (null: no event)} per line
FALLBACK_CONFIDENCE = 0.45  # below any pattern event's: a guess from words, not from structure
# Below this SVM margin the root is a guess: on our own test sentences (tests/events/cases.yaml)
# about 80% of sentences pass it and ~88% of those get the right root.
MIN_MARGIN = -0.3
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+")
TARGET_DEPS = ("dobj", "dative", "pobj", "nsubjpass")


@dataclass(frozen=True, slots=True)
class Models:
    vectorizer: FeatureUnion
    roots: LinearSVC
    codes: LinearSVC


def example_files() -> list[Traversable]:
    return sorted((f for f in data_path(EXAMPLES).iterdir() if f.name.endswith(".jsonl")), key=lambda f: f.name)


def examples() -> tuple[list[str], list[str]]:
    texts, codes = [], []
    for path in example_files():
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    texts.append(row["text"])
                    codes.append(row["code"] or NO_EVENT)
    return texts, codes


def event_words(text: str) -> str:
    """Lower-case words with names and numbers masked: the classifier must learn what happened,
    not which countries our examples happen to name."""
    words = []
    for position, word in enumerate(WORD.findall(text)):
        if word[0].isdigit():
            words.append("0")
        elif word[0].isupper() and position > 0:
            words.append("X")
        else:
            words.append(word.lower())
    return " ".join(words)


def train(texts: list[str], codes: list[str]) -> Models:
    # Word uni/bigrams for phrasing ("called on"), character n-grams for word families
    # ("negotiations" ~ "negotiate").
    vectorizer = make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2),
    )
    matrix = vectorizer.fit_transform([event_words(t) for t in texts])
    roots = [code[:2] if code != NO_EVENT else NO_EVENT for code in codes]
    return Models(
        vectorizer,
        LinearSVC(C=1.0, random_state=0).fit(matrix, roots),
        LinearSVC(C=1.0, random_state=0).fit(matrix, codes),
    )


def cache_path() -> Path:
    # Keyed by the examples and by this module's code, so a change to either retrains.
    content = b"".join(f.read_bytes() for f in example_files()) + Path(__file__).read_bytes()
    digest = hashlib.sha256(content).hexdigest()[:16]
    return Path(user_cache_dir("polybius")) / f"fallback-{digest}-sklearn{sklearn.__version__}.pickle"


@lru_cache(maxsize=1)
def load_models() -> Models:
    """The trained classifier: from the cache when our examples have not changed, else trained now (~3 s)."""
    path = cache_path()
    if path.is_file():
        with path.open("rb") as handle:
            return pickle.load(handle)  # our own cache file, written below
    models = train(*examples())
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as handle:
        pickle.dump(models, handle)
    temporary.replace(path)
    return models


class SentenceClassifier:
    def __init__(self, models: Models, codes: dict[str, CameoCode]) -> None:
        self.models = models
        self.codes = codes

    def classify(self, sentences: list[str]) -> list[CameoCode | None]:
        """The CAMEO code of each sentence, the root's base code when the fine code disagrees, or None."""
        if not sentences:
            return []
        matrix = self.models.vectorizer.transform([event_words(s) for s in sentences])
        root_scores = self.models.roots.decision_function(matrix)
        fine = self.models.codes.predict(matrix)
        out: list[CameoCode | None] = []
        for scores, code in zip(root_scores, fine, strict=True):
            best = scores.argmax()
            root = self.models.roots.classes_[best]
            if root == NO_EVENT or scores[best] < MIN_MARGIN:
                out.append(None)
            elif code != NO_EVENT and code[:2] == root:
                out.append(self.codes[code])
            else:
                out.append(self.codes.get(f"{root}0") or self.codes[root])
        return out


def main_verb(sentence: TokenSpan):
    """The verb that carries the news: under a speech frame ("..., officials said"), its complement."""
    verb = sentence.root
    while verb.lemma_.lower() in SPEECH_LEMMAS:
        complement = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if complement is None:
            break
        verb = complement
    return verb


def sentence_actors(sentence: TokenSpan, doc: Document, index: dict[int, list[Mention]]):
    """Source: the actors of the main verb's subject (or of the speaker); target: the first other actor
    in an object position, else the next actor named after the source."""
    verb = main_verb(sentence)
    subject = subject_of(verb)
    source = actors_at(subject, index) if subject is not None else []
    if not source:
        source = reporters_of(verb, index)
    if not source:
        return [], [], verb
    taken = {m.entity for m in source}
    in_sentence = [m for m in doc.actors if sentence.start_char <= m.span.start < sentence.end_char]
    objects = [m for m in in_sentence if doc.parse[m.head].dep_ in TARGET_DEPS and m.entity not in taken]
    after = [m for m in in_sentence if m.entity not in taken and m.span.start > source[-1].span.start]
    target = (objects or after)[:1]
    return source, target, verb


def says_not(verb) -> bool:
    """ "did not go on strike", "No meeting ... took place", "made no offer"."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    return any(
        c.dep_ in ("nsubj", "nsubjpass", "dobj") and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
        for c in verb.children
    )


@register_stage("fallback")
class ClassifyRemaining:
    def __init__(self, settings: PipelineSettings) -> None:
        self.classifier = SentenceClassifier(load_models(), cameo_codes())
        self.batch_size = settings.batch_size

    def __call__(self, doc: Document) -> Document:
        candidates = self.candidates(doc)
        return self.add_events(doc, candidates, self.classifier.classify([s.text for s in candidates]))

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Classify the candidate sentences of a batch of documents in one call: scikit-learn's fixed cost
        per call (~5 ms) is then paid once per batch, not once per article. Same output as `__call__`."""
        iterator = iter(docs)
        while batch := list(islice(iterator, self.batch_size)):
            candidates = [self.candidates(doc) for doc in batch]
            codes = iter(self.classifier.classify([s.text for group in candidates for s in group]))
            for doc, group in zip(batch, candidates, strict=True):
                yield self.add_events(doc, group, [next(codes) for _ in group])

    def candidates(self, doc: Document) -> list[TokenSpan]:
        covered = {doc.parse[e.trigger_token].sent.start for e in doc.events}
        return [
            s for s in doc.parse.sents
            if s.start not in covered and any(s.start_char <= m.span.start < s.end_char for m in doc.actors)
        ]  # fmt: skip

    def add_events(self, doc: Document, candidates: list[TokenSpan], codes: list[CameoCode | None]) -> Document:
        index = mentions_by_head(doc.actors)
        for sentence, code in zip(candidates, codes, strict=True):
            if code is None:
                continue
            source, target, verb = sentence_actors(sentence, doc, index)
            if not source:
                continue
            code, modality, negated = as_statement_of_intent(verb, code, modality_of(verb), says_not(verb))
            reported_by, attribution = reported_speech(doc, verb, index)
            doc.events.append(
                Event(
                    id=f"{doc.article.id}:{len(doc.events)}",
                    code=code,
                    trigger=doc.article.span(verb.idx, verb.idx + len(verb)),
                    sentence=(sentence.start_char, sentence.end_char),
                    source=source,
                    target=target,
                    negated=negated,
                    modality=modality,
                    reported_by=reported_by,
                    attribution=attribution,
                    confidence=FALLBACK_CONFIDENCE,
                    trigger_token=verb.i,
                    method="classifier",
                )
            )
        return doc
