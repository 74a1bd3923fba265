"""`extract` command: thin wrapper over extract_file; exit 1 with a one-line message on bad input."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from stigraph.cli.extract_cmd import extract_command

FIX = Path(__file__).resolve().parent / "fixtures" / "extract"


def test_json_budget():
    result = CliRunner().invoke(extract_command, [str(FIX / "budget_utf8.txt"), "--kind", "budget", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["file"] == "budget_utf8.txt"
    amounts = {(b["name"], b["amount_yen"], b["previous_yen"]) for b in data["budgets"]}
    assert ("サンプル基盤整備プログラム", "567000000", "500000000") in amounts
    assert [u["line"] for u in data["unread"]] == [22, 23]


def test_csv_and_table_for_several_files(tmp_path):
    files = [str(FIX / "strategy_utf8.txt"), str(FIX / "strategy_cp932.txt")]
    result = CliRunner().invoke(extract_command, files + ["--kind", "measures", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("measure,")]
    assert len(rows) == 20
    table = CliRunner().invoke(extract_command, [files[0], "--kind", "measures"])
    assert "measures: 10 (plan items 3, actions 7, (再掲) 1)" in table.output
    out = tmp_path / "m.json"
    written = CliRunner().invoke(extract_command, [files[0], "--format", "json", "-o", str(out)])
    assert written.exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))["measures"]


def test_bad_input_exits_1_with_one_line(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(extract_command, [str(empty)])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "empty.txt: empty file" in result.output


def test_budget_table_shows_found_unread_links_and_candidates(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("令和7年度予算額(案)\n1.科学研究費助成事業(科研費) 100億円(90億円)\n2.架空の新事業 1億円(新規)\n"
                    "3.名前のない行\n45百万円\n", encoding="utf-8")
    result = CliRunner().invoke(extract_command, [str(page), "--kind", "budget"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "budget lines found: 2 (seed_lines 2); unread: 1" in out
    assert "linked to registry entities: 1" in out and "kakenhi" in out
    assert "candidate new names (no registry entity): 1" in out and "架空の新事業  (L3)" in out
    assert "L5        budget   amount without an item name on its line" in out
    data = json.loads(CliRunner().invoke(extract_command, [str(page), "--kind", "budget", "--format", "json"]).output)
    assert data["budget_summary"] == {"found": 2, "unread": 1, "links": {"kakenhi": [2]},
                                      "candidates": {"架空の新事業": [3]}}
