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


PEOPLE_ROLES = {"head of state", "head of government", "foreign minister", "defence minister"}


def people_rows():
    from polybius.actors.kb import people_files
    from polybius.data import read_yaml

    return [(f.name, row) for f in people_files() for row in read_yaml(f)]


def test_people_offices_are_dated_and_use_known_codes():
    countries = {row["iso3"] for row in load_yaml("countries.yaml")}
    organisations = {row["kb_id"] for row in load_yaml("organisations.yaml")}
    rows = people_rows()
    assert len(rows) >= 900
    for file, person in rows:
        assert person["name"] and person["gender"] in ("male", "female"), (file, person["name"])
        assert person["offices"], (file, person["name"])
        for office in person["offices"]:
            where = office.get("country") or office.get("org")
            assert where in (countries | organisations), (file, person["name"], where)
            assert office["role"] in PEOPLE_ROLES, (file, person["name"], office["role"])
            assert office["start"] is not None, (file, person["name"])
            assert office["end"] is None or office["start"] <= office["end"], (file, person["name"])


def test_one_person_per_id_within_a_region_file():
    from polybius.actors.kb import person_id

    for file in {f for f, _ in people_rows()}:
        ids = Counter(person_id(row["name"]) for f, row in people_rows() if f == file)
        assert [i for i, n in ids.items() if n > 1] == [], file


def test_people_of_several_regions_merge_into_one_entry():
    from polybius.actors.kb import load_kb

    kb = load_kb()
    ban = kb.entries["BAN_KI_MOON"]  # South Korean foreign minister, then UN secretary-general
    assert {o.country or o.org for o in ban.offices} == {"KOR", "UN"}


def test_groups_and_not_actor_phrases_are_well_formed():
    countries = {row["iso3"] for row in load_yaml("countries.yaml")}
    for group in load_yaml("groups.yaml"):
        assert set(group.get("members") or []) <= countries, group["kb_id"]
    phrases = load_yaml("not_actors.yaml")
    assert len(phrases) == len(set(phrases))


def test_verb_prep_objects_come_with_their_preposition():
    for entry in load_yaml("verbs.yaml"):
        if "prep_object" in entry:
            assert entry.get("prep"), entry


def test_intent_codes_map_known_acts_to_statements_of_intent():
    codes = cameo_codes()
    table = load_yaml("intents.yaml")
    assert table
    for act, intent in table.items():
        assert str(act) in codes and str(intent) in codes, (act, intent)
        assert str(intent)[:2] == ("03" if str(act)[:2] < "09" else "13"), (act, intent)
