from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from polybius.cli import app
from tests.conftest import ROOT

STORY = "Russian jets bombed rebel positions in Syria on Wednesday, the Pentagon said."


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "polybius", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_batch_with_bad_inputs_reports_each_and_codes_the_rest(tmp_path):
    (tmp_path / "good.txt").write_text(f"Jets Hit Syria\n\n{STORY}", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = run_cli("code", str(tmp_path), "--date", "2015-10-02", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["article"]["id"] == "good" and record["article"]["title"] == "Jets Hit Syria"
    event = next(e for e in record["events"] if e["cameo_root"] == "19")
    assert event["date"] == "2015-09-30"
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("polybius:")]
    assert len(error_lines) == 2
    assert any("empty.txt" in line and "E001" in line for line in error_lines)
    assert any("binary.txt" in line and "E002" in line for line in error_lines)


def test_exit_code_is_non_zero_only_when_nothing_was_coded(tmp_path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = run_cli("code", str(tmp_path / "empty.txt"))
    assert result.returncode == 1 and "E001" in result.stderr


def test_stdin_and_json_format_and_output_file(tmp_path):
    out = tmp_path / "out.json"
    result = run_cli("code", "-", "--date", "2015-10-02", "--format", "json", "-o", str(out), stdin=STORY)
    assert result.returncode == 0, result.stderr
    (record,) = json.loads(out.read_text(encoding="utf-8"))
    assert record["article"]["id"].startswith("sha1-") and record["events"]


def test_table_format_and_show_command(tmp_path):
    runner = CliRunner(env={"COLUMNS": "200"})
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    table = runner.invoke(app, ["code", str(story), "--date", "2015-10-02", "--format", "table"])
    assert table.exit_code == 0 and "ASSAULT" in table.stdout and "Russian jets" in table.stdout
    jsonl = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["code", str(story), "-o", str(jsonl)]).exit_code == 0
    shown = runner.invoke(app, ["show", str(jsonl)])
    assert shown.exit_code == 0 and "ASSAULT" in shown.stdout


def test_table_format_prints_each_example_article_with_its_actors_and_timeline(tmp_path):
    examples = ROOT / "examples" / "articles.jsonl"
    articles = [json.loads(line) for line in examples.read_text(encoding="utf-8").splitlines()]
    out = tmp_path / "tables.txt"
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["code", str(examples), "--format", "table", "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    headings = [n for n, line in enumerate(lines) if any(line.startswith(a["id"] + " · ") for a in articles)]
    assert [lines[n].split(" · ")[0] for n in headings] == [a["id"] for a in articles]  # one section each, in order
    for start, end in zip(headings, [*headings[1:], len(lines)], strict=True):
        section = [line.strip() for line in lines[start:end]]
        assert section.index("Actors") < section.index("Timeline"), lines[start]
    baltic = "\n".join(lines[headings[-1] :])
    assert "Baltic States and Poland Press Belarus to End Crackdown on Protesters (2020-08-14)" in baltic
    for words in ("mentions", "first at", "reported by", "Kremlin spokesman Dmitry Peskov", "182 ASSAULT"):
        assert words in baltic, words
    assert "Coded events" not in out.read_text(encoding="utf-8")  # the timeline takes the events table's place


def test_bad_date_option_is_a_clear_error():
    result = run_cli("code", "-", "--date", "tomorrow", stdin=STORY)
    assert result.returncode == 2 and "E009" in result.stderr


def test_actors_prints_mentions_in_the_contract_shape():
    result = run_cli(
        "actors", "Russian Foreign Minister Sergey Lavrov met Saudi and Qatari officials.", "--date", "2015-10-01"
    )
    assert result.returncode == 0, result.stderr
    mentions = json.loads(result.stdout)
    coded = {m["text"]: (m["country"], m["sector"]) for m in mentions}
    assert coded["Saudi"] == ("SAU", "GOV") and coded["Qatari"] == ("QAT", "GOV")
    saudi = next(m for m in mentions if m["text"] == "Saudi")
    assert {"text": "officials", "gives": "sector"}.items() <= saudi["evidence"][1].items()


def test_actors_from_stdin_prints_one_list_per_line():
    result = run_cli("actors", "-", "--date", "2015-10-01", stdin="Turkey's Foreign Ministry said.\n\nRussian jets.\n")
    assert result.returncode == 0, result.stderr
    lists = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lists) == 3 and lists[1] == []
    assert [(m["country"], m["sector"]) for m in lists[0]] == [("TUR", "GOV")]
    assert [(m["country"], m["sector"]) for m in lists[2]] == [("RUS", "MIL")]
