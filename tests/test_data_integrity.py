"""The language and knowledge data files are consistent with each other and with ISO 3166."""

from __future__ import annotations

import re
from collections import Counter

import pycountry
import pytest

from polybius.data import load_csv, load_yaml
from polybius.events.ontology import cameo_codes

ISO3 = {c.alpha_3 for c in pycountry.countries}


def test_every_cameo_code_has_root_quadclass_goldstein():
    codes = cameo_codes()
    assert len(codes) > 300
    for code in codes.values():
        assert code.root in codes and code.code.startswith(code.root)
        assert code.quad_class == {
            "01": 1,
            "02": 1,
            "03": 1,
            "04": 1,
            "05": 1,
            "06": 2,
            "07": 2,
            "08": 2,
        }.get(code.root, 3 if code.root in {"09", "10", "11", "12", "13"} else 4)
        assert -10 <= code.goldstein <= 10


def test_plover_types_follow_the_documented_mapping():
    codes = cameo_codes()
    assert all(c.plover_type is None for c in codes.values() if c.root == "01")
    assert all(c.plover_type == "REQUEST" for c in codes.values() if c.root == "02")
    assert all(c.plover_type for c in codes.values() if c.root not in {"01"})
    assert codes["195"].plover_type == "ASSAULT" and codes["0256"].plover_type == "REQUEST"


def test_suspect_goldstein_values_use_the_root_value():
    codes = cameo_codes()
    assert all(codes[c].goldstein == codes["01"].goldstein for c in ("015", "016", "017", "018", "019"))


def test_cameo_csv_has_no_duplicate_codes():
    assert not [c for c, n in Counter(r["code"] for r in load_csv("cameo.csv")).items() if n > 1]


def test_verb_lexicon_names_known_codes():
    codes = cameo_codes()
    entries = load_yaml("verbs.yaml")
    roots = Counter(str(e["code"])[:2] for e in entries)
    assert set(roots) == {f"{n:02d}" for n in range(1, 21)}, "every CAMEO root has verbs"
    for entry in entries:
        assert str(entry["code"]) in codes, entry
        lemmas = [entry["lemmas"]] if isinstance(entry["lemmas"], str) else entry["lemmas"]
        assert lemmas and all(lemma == lemma.lower() for lemma in lemmas), entry
        assert "say" not in lemmas, "plain 'say' is attribution, not an event"


def test_countries_cover_iso_3166_once_each():
    rows = load_yaml("countries.yaml")
    codes = [r["iso3"] for r in rows]
    assert len(codes) == len(set(codes))
    assert set(codes) == ISO3
    for row in rows:
        assert row["name"] and all(isinstance(a, str) and a for a in row.get("aliases") or []), row


def test_no_country_name_belongs_to_two_countries():
    owners: dict[str, set[str]] = {}
    for row in load_yaml("countries.yaml"):
        for name in [row["name"], *(row.get("aliases") or [])]:
            owners.setdefault(name, set()).add(row["iso3"])
    assert not {name: o for name, o in owners.items() if len(o) > 1}


def test_seats_and_organisations_use_known_codes():
    sectors = set(load_yaml("sectors.yaml"))
    for row in load_yaml("countries.yaml"):
        for seat in row.get("seats") or []:
            assert seat["sector"] in sectors, seat
    ids = Counter()
    for org in load_yaml("organisations.yaml"):
        ids[org["kb_id"]] += 1
        assert org["sector"] in sectors, org
        assert org.get("country") in ISO3 | {None}, org
        assert set(org.get("members") or []) <= ISO3, org
    assert not [k for k, n in ids.items() if n > 1]


def test_each_role_noun_has_one_sector():
    nouns = Counter(n.lower() for s in load_yaml("sectors.yaml").values() for n in s.get("nouns") or [])
    assert not [n for n, count in nouns.items() if count > 1]


@pytest.mark.parametrize("pattern", load_yaml("boilerplate.yaml"))
def test_boilerplate_patterns_compile_and_spare_news_sentences(pattern):
    regex = re.compile(pattern, re.IGNORECASE)
    assert not regex.fullmatch("Russian jets made their first strikes in Syria on Wednesday.")
