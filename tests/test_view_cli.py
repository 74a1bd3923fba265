"""`stigraph view` end to end through click's CliRunner, on a store built from the view fixture registry."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from stigraph.builder.operations import build
from tests.browser.viewkit import REGISTRY, cli_group


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("view-store") / "store"
    build(path, registry=[REGISTRY], include_derived=False)
    return path


def _run(store, tmp_path, *args):
    out = tmp_path / "v.html"
    result = CliRunner().invoke(cli_group(), ["view", "--store", str(store), "-o", str(out), *args])
    return result, out


def _count(html: str) -> int:
    data = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    return len(json.loads(data)["nodes"])


@pytest.mark.parametrize("args", [
    [], ["--focus", "JST", "--depth", "2"], ["--class", "Program", "--class", "Fund"], ["--theme", "ai"],
    ["--year", "2022"], ["--org", "経済産業省"], ["--size", "budget", "--lang", "en"], ["--max-nodes", "5"],
    ["--analysis", "deps", "moonshot"], ["--analysis", "deps", "jst", "--direction", "down"],
    ["--analysis", "overlaps"], ["--analysis", "ministries"], ["--analysis", "chokepoints"],
])
def test_every_variant_writes_a_page_with_the_reported_node_count(store, tmp_path, args):
    result, out = _run(store, tmp_path, *args)
    assert result.exit_code == 0, result.output
    reported = int(re.match(r"wrote .+: (\d+) nodes, (\d+) edges", result.output).group(1))
    assert reported == _count(out.read_text(encoding="utf-8")) > 0


@pytest.mark.parametrize("args, message", [
    (["--focus", "nothing-like-this"], "no entity with id or label 'nothing-like-this'"),
    (["--theme", "quantum"], "unknown theme 'quantum'"),
    (["--class", "Program", "--theme", "health", "--year", "1999"], "no node passes these filters"),
    (["--analysis", "deps"], "--analysis deps needs an entity"),
    (["--analysis", "overlaps", "--class", "Program"], "--analysis views take no --focus/--class"),
    (["--analysis", "overlaps", "jst"], "--analysis overlaps takes no entity"),
    (["jst"], "unexpected argument 'jst'"),
])
def test_bad_requests_are_one_line_user_errors(store, tmp_path, args, message):
    result, out = _run(store, tmp_path, *args)
    assert result.exit_code == 1 and not out.exists()
    assert result.output.startswith("error: ") and message in result.output and result.output.count("\n") == 1


def test_missing_output_folder_is_a_user_error(store, tmp_path):
    result = CliRunner().invoke(cli_group(), ["view", "--store", str(store), "-o", str(tmp_path / "no" / "v.html")])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_same_options_write_identical_files(store, tmp_path):
    first, out = _run(store, tmp_path, "--theme", "ai")
    html = out.read_bytes()
    second, out = _run(store, tmp_path, "--theme", "ai")
    assert first.exit_code == second.exit_code == 0 and out.read_bytes() == html
