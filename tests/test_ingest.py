from __future__ import annotations

import json

import pytest

from polybius.errors import InputError
from polybius.ingest import IngestSettings, read_inputs, remove_boilerplate, split_title

ENGLISH = (
    "Egypt and Jordan on Tuesday called on Israel to halt its raids in the West Bank, "
    "the Egyptian Foreign Ministry said in a statement released in Cairo."
)


def read_all(paths, **kwargs):
    return list(read_inputs([str(p) for p in paths], **kwargs))


def only_error(items) -> InputError:
    assert len(items) == 1 and isinstance(items[0], InputError), items
    return items[0]


def test_txt_title_is_first_line_when_a_blank_line_follows(tmp_path):
    path = tmp_path / "story-1.txt"
    path.write_text(f"Egypt Urges Halt to Raids\n\n{ENGLISH}\n", encoding="utf-8")
    (article,) = read_all([path], default_date="2019-07-17")
    assert article.id == "story-1"
    assert article.title == "Egypt Urges Halt to Raids"
    assert article.text == f"Egypt Urges Halt to Raids\n\n{ENGLISH}"
    assert article.date.isoformat() == "2019-07-17"
    assert article.text[article.body_start :].startswith("Egypt and Jordan")


def test_txt_without_blank_line_has_no_title():
    assert split_title(f"{ENGLISH}\nSecond line.") == (None, f"{ENGLISH}\nSecond line.")


def test_boilerplate_lines_are_removed():
    text = f"{ENGLISH}\n\nCopyright AP - Associated Press\nContact Us\nShare this article\nSubscribe now"
    assert remove_boilerplate(text) == ENGLISH


def test_jsonl_record_date_wins_over_default(tmp_path):
    path = tmp_path / "batch.jsonl"
    record = {"id": "a1", "title": "T", "text": ENGLISH, "date": "2019-07-16", "source": "wire", "url": "u"}
    path.write_text(json.dumps(record) + "\n" + json.dumps({"text": ENGLISH}) + "\n", encoding="utf-8")
    first, second = read_all([path], default_date="2020-01-01")
    assert (first.id, first.date.isoformat(), first.source, first.url) == ("a1", "2019-07-16", "wire", "u")
    assert second.id.startswith("sha1-") and second.date.isoformat() == "2020-01-01"


def test_html_main_text_is_extracted(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Egypt urges halt</title></head><body><nav>Home | World | Contact Us</nav>"
        f"<article><h1>Egypt urges halt</h1><p>{ENGLISH}</p><p>{ENGLISH}</p></article>"
        "<footer>Copyright 2019 Example</footer></body></html>",
        encoding="utf-8",
    )
    (article,) = read_all([path])
    assert "Egypt and Jordan on Tuesday called on Israel" in article.text
    assert "Contact Us" not in article.text and "<p>" not in article.text


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.txt", b"", "E001"),
        ("blank.txt", b"  \n\n ", "E001"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "E002"),
        ("latin1.txt", ENGLISH.encode() + b" caf\xe9", "E003"),
        (
            "french.txt",
            (
                "Le ministre des Affaires étrangères a déclaré vendredi que la France et "
                "l'Allemagne demandaient à la Russie de cesser ses frappes en Syrie. Le texte a été "
                "publié par le ministère turc et confirmé par le ministère français."
            ).encode(),
            "E007",
        ),
        ("data.csv", b"a,b\n1,2\n", "E011"),
    ],
)
def test_bad_file_gives_one_clear_error(tmp_path, name, content, code):
    path = tmp_path / name
    path.write_bytes(content)
    error = only_error(read_all([path]))
    assert error.code == code
    assert str(path) in str(error) and error.reason in str(error)


def test_huge_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(ENGLISH.encode() * 10)
    error = only_error(list(read_inputs([str(path)], settings=IngestSettings(max_bytes=500))))
    assert error.code == "E004"


def test_malformed_jsonl_line_is_reported_and_the_rest_goes_on(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": ENGLISH}),
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "bad-date", "text": ENGLISH, "date": "soon"}),
        json.dumps({"id": "ok2", "text": ENGLISH}),
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": "bytes", "text": "caf\xe9"}\n')
    items = read_all([path])
    assert [a.id for a in items if not isinstance(a, InputError)] == ["ok1", "ok2"]
    errors = [e for e in items if isinstance(e, InputError)]
    assert [(e.code, e.source) for e in errors] == [
        ("E005", f"{path}:2"),
        ("E012", f"{path}:3"),
        ("E006", f"{path}:4"),
        ("E009", f"{path}:5"),
        ("E003", f"{path}:7"),
    ]


def test_missing_path_and_directory_walk(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "a.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    items = read_all([tmp_path, tmp_path / "nope.txt"])
    assert [getattr(i, "id", None) for i in items[:2]] == ["a", "b"]
    assert items[2].code == "E010"


@pytest.mark.parametrize("text", ["Russian jets bombed Syrian rebels.", "Russia attacked Syria. " * 5])
def test_short_english_sentences_pass_the_language_check(tmp_path, text):
    path = tmp_path / "short.txt"
    path.write_text(text, encoding="utf-8")
    (article,) = read_all([path])
    assert article.text == text.strip()
