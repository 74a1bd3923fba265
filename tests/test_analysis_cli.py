"""`stigraph deps` and `stigraph analyze ...` through click's CliRunner on a store built from the fixture."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stigraph.cli.main import cli
from stigraph.builder.operations import build

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "registry_analysis"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("analysis") / "store"
    build(path, registry=[FIXTURE], include_derived=False)
    return path


def run(*args: str, store: Path | None = None):
    argv = list(args) + (["--store", str(store)] if store else [])
    return CliRunner().invoke(cli, argv, catch_exceptions=False)


def test_deps_tree_up_and_json_down(store):
    result = run("deps", "moonshot", store=store)
    assert result.exit_code == 0, result.output
    assert "├─ administeredBy → jst  科学技術振興機構 [Agency]  (000_e5eefd47d6133f4f.txt:40)" in result.output
    result = run("deps", "university-fund", "--direction", "down", "--format", "json", store=store)
    data = json.loads(result.output)
    assert data["root"] == "university-fund" and data["reached"] == 2


def test_deps_depth_limit(store):
    data = json.loads(run("deps", "jst", "--direction", "down", "--depth", "1", "--format", "json", store=store).output)
    assert {s["depth"] for s in data["steps"]} == {1}


@pytest.mark.parametrize("args, message", [
    (["deps", "nosuch"], "error: no entity with id or label 'nosuch'"),
    (["deps", "jst", "--depth", "0"], "0 is not in the range x>=1"),
    (["analyze", "overlaps", "--min-score", "2"], "2.0 is not in the range 0<=x<=1"),
])
def test_bad_input_is_one_line_and_exit_1_or_2(store, args, message):
    result = run(*args, store=store)
    assert result.exit_code in (1, 2) and message in result.output
    assert "Traceback" not in result.output


def test_unknown_entity_exits_1_with_one_line(store):
    result = CliRunner().invoke(cli, ["deps", "nosuch", "--store", str(store)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["error: no entity with id or label 'nosuch'"]


def test_missing_store_is_a_user_error(tmp_path):
    result = CliRunner().invoke(cli, ["analyze", "chokepoints", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no graph built here yet" in result.output


def test_chokepoints_table_and_json(store):
    table = run("analyze", "chokepoints", "--top", "3", store=store).output
    assert table.splitlines()[0].split()[:4] == ["rank", "id", "label", "class"]
    data = json.loads(run("analyze", "chokepoints", "--top", "3", "--format", "json", store=store).output)
    assert [c["id"] for c in data["chokepoints"]] == ["mext", "jst", "misconduct-guideline"]


def test_overlaps_json_and_kind_filter(store):
    data = json.loads(run("analyze", "overlaps", "--format", "json", store=store).output)
    assert data["counts"] == {"stated": 1, "relisted": 2, "shared-program": 3, "similar": 7}
    data = json.loads(run("analyze", "overlaps", "--kind", "stated", "--kind", "relisted", "--format", "json",
                          store=store).output)
    assert set(data["counts"]) == {"stated", "relisted"}


def test_ministries_and_landscape(store, tmp_path):
    assert "co-responsible pairs (3)" in run("analyze", "ministries", store=store).output
    out = tmp_path / "landscape.json"
    result = run("analyze", "landscape", "--top", "2", "--format", "json", "-o", str(out), store=store)
    assert result.exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["centrality"]["Agency"][0]["id"] == "jst" and data["budgets"]["by_year"]


@pytest.mark.parametrize("command", [["deps"], ["analyze"], ["analyze", "chokepoints"], ["analyze", "overlaps"],
                                     ["analyze", "ministries"], ["analyze", "landscape"]])
def test_every_command_has_help_with_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Example" in result.output


@pytest.mark.slow
def test_write_back_adds_a_derived_graph(tmp_path):
    store = tmp_path / "store"
    build(store, registry=[FIXTURE], include_derived=False)
    result = CliRunner().invoke(cli, ["analyze", "overlaps", "--write-back", "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    query = ("SELECT (COUNT(?f) AS ?n) WHERE { GRAPH <https://w3id.org/stigraph/graph/derived/overlaps> "
             "{ ?f a stig:Finding } }")
    result = CliRunner().invoke(cli, ["query", query, "--store", str(store), "--format", "csv"])
    assert result.output.split() == ["n", "13"]
