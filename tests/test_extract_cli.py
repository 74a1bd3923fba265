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
