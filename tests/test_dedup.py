from __future__ import annotations

import dataclasses
import datetime as dt

from polybius.dedup import DedupEvent, DedupSettings, actor_key, assign_ids, cluster_events
from polybius.store import Store
from tests.storedata import CLUSTER, coded

SENTENCE = "Poland expelled four Russian diplomats on Monday, the Foreign Ministry in Warsaw said."


def event(
    n: int,
    day: int,
    sources=("POL",),
    targets=("RUS.GOV",),
    root="16",
    article: str | None = None,
    sentence: str = "",
    trigger: str = "expelled",
    negated: bool = False,
    resolved: bool = True,
) -> DedupEvent:
    article = article or f"a{n}"
    return DedupEvent(
        event_id=f"{article}:{n}",
        article_id=article,
        position=n,
        source_key=f"outlet-{article}",
        article_date=dt.date(2018, 3, day),
        date=dt.date(2018, 3, day),
        cameo_root=root,
        negated=negated,
        sentence=sentence or f"sentence number {n} in its own words",
        trigger=trigger,
        sources=frozenset(sources),
        targets=frozenset(targets),
        fully_resolved=resolved,
    )


def groups(clusters) -> list[list[str]]:
    return sorted(sorted(m.event_id for m in c.members) for c in clusters)


def test_same_actors_and_root_within_the_window_are_one_event():
    clusters = cluster_events([event(1, 26), event(2, 27), event(3, 26, root="11"), event(4, 26, targets=("DEU",))])
    assert groups(clusters) == [["a1:1", "a2:2"], ["a3:3"], ["a4:4"]]


def test_the_window_is_configurable_and_does_not_chain():
    daily = [event(n, 20 + n) for n in range(1, 6)]  # the same dyad and root every day for five days
    assert [len(c.members) for c in cluster_events(daily)] == [2, 2, 1]
    assert [len(c.members) for c in cluster_events(daily, DedupSettings(window_days=0))] == [1] * 5
    assert [len(c.members) for c in cluster_events(daily, DedupSettings(window_days=4))] == [5]


def test_negated_and_unresolved_events_are_not_merged_by_actors():
    assert len(cluster_events([event(1, 26), event(2, 26, negated=True)])) == 2
    unresolved = [event(1, 26, sources=(), resolved=False), event(2, 26, sources=(), resolved=False)]
    assert len(cluster_events(unresolved)) == 2  # "officials" in two articles may be anyone


def test_near_identical_sentences_in_different_articles_merge():
    copy = "WARSAW -- " + SENTENCE
    wire = [event(1, 26, sentence=SENTENCE, resolved=False), event(2, 30, sentence=copy, resolved=False)]
    assert groups(cluster_events(wire)) == [["a1:1", "a2:2"]]
    assert cluster_events(wire)[0].rules == ["first", "sentence"]
    # not when the copy is too far apart, names another actor, or is a second event of the same sentence
    assert len(cluster_events(wire, DedupSettings(copy_window_days=2))) == 2
    other = event(2, 26, sources=("DEU",), sentence=SENTENCE.replace("Poland", "Germany"))
    assert len(cluster_events([wire[0], other], DedupSettings(sentence_similarity=0.5))) == 2
    same_article = event(2, 26, sentence=SENTENCE, trigger="said", article="a1", resolved=False)
    assert len(cluster_events([wire[0], same_article])) == 2


def test_undated_reports_merge_only_as_copies_of_each_other():
    undated = [dataclasses.replace(event(n, 26, sentence=SENTENCE), date=None, article_date=None) for n in (1, 2, 3)]
    dated = event(4, 26, sentence=SENTENCE)
    clusters = cluster_events([*undated, dated])
    assert groups(clusters) == [["a1:1", "a2:2", "a3:3"], ["a4:4"]]
    assert clusters[0].rules == ["first", "sentence", "sentence"]


def test_cross_article_actor_keys():
    assert actor_key("RUS.GOV", "RUS", "GOV") == "RUS.GOV"
    assert actor_key("GOV@123", "BLR", "GOV") == "BLR.GOV"  # role noun with a country
    assert actor_key("COP@42", None, "COP") is None  # "police": only this article knows which


def test_ids_are_stable_and_distinct():
    clusters = cluster_events([event(1, 26), event(2, 26, root="11"), event(3, 10)])
    first = dict((c.leader.event_id, i) for i, c in assign_ids(clusters))
    again = dict((c.leader.event_id, i) for i, c in assign_ids(cluster_events([event(3, 10), event(2, 26, root="11"),
                                                                               event(1, 26)])))  # fmt: skip
    assert first == again and len(set(first.values())) == 3 and all(0 < i < 2**52 for i in first.values())


def test_a_cluster_of_articles_in_different_words_and_a_republished_copy(tmp_path):
    """Six articles written for this test: five about Poland and Germany expelling Russian diplomats on
    one Monday (one of them a wire copy republished under a new headline) and one two weeks later."""
    with Store(tmp_path / "s.duckdb") as store:
        store.write(coded(CLUSTER), chunk_size=2)
        members = store.sql(
            """SELECT c.cluster_id, c.num_mentions, c.num_sources, c.num_articles, m.rule, e.event_id, e.article_id,
                      e.cameo, e.trigger_text
               FROM clusters c JOIN cluster_members m USING (cluster_id) JOIN events e USING (event_id)"""
        )
        by_cluster = members.partition_by("cluster_id", as_dict=True)

        def cluster_of(event_id: str):
            return next(f for f in by_cluster.values() if event_id in f["event_id"].to_list())

        poland = cluster_of("expulsions-baltic-wire-0326:1")  # "Poland expelled four Russian diplomats"
        articles = set(poland["article_id"])
        assert {
            "expulsions-baltic-wire-0326", "expulsions-central-daily-0327", "expulsions-berlin-courier-0326",
            "expulsions-danube-post-0327", "expulsions-eastern-herald-0327",
        } <= articles  # fmt: skip
        assert "expulsions-baltic-wire-0410" not in articles  # the same dyad two weeks later is another event
        assert poland["num_articles"][0] == len(articles) and poland["num_sources"][0] == 5
        assert poland["num_mentions"][0] == poland.height  # a link to every mention

        germany = cluster_of("expulsions-berlin-courier-0326:0")
        assert germany["num_articles"][0] >= 3 and germany["cluster_id"][0] != poland["cluster_id"][0]

        # Riot police (no country: resolved only inside the article) merge only with the republished copy.
        police = cluster_of("expulsions-baltic-wire-0326:3")
        assert set(police["article_id"]) == {"expulsions-baltic-wire-0326", "expulsions-eastern-herald-0327"}
        assert sorted(police["rule"]) == ["first", "sentence"]

        assert store.counts()["cluster_members"] == store.counts()["events"]
        assert store.check() == []


def test_a_wider_window_is_kept_in_the_store(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path, dedup=DedupSettings(window_days=20)) as store:
        store.write(coded(CLUSTER))
        wide = store.counts()["clusters"]
    with Store(path) as store:  # reopened without settings: the stored ones apply
        assert store.dedup_settings.window_days == 20
        store.refresh_dedup()
        assert store.counts()["clusters"] == wide
    with Store(path, dedup=DedupSettings()) as store:
        assert store.dedup_dirty
        store.ensure_deduplicated()
        assert store.counts()["clusters"] > wide  # the April expulsion is its own event again
