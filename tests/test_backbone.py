"""End-to-end backbone: build, query, show, export, view, atomic rebuilds — on the small fixture registry."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from stigraph.cli.main import cli
from stigraph.sparql.graph import StiGraph
from stigraph.graph.projection import to_networkx

from .conftest import FIXTURES

SMALL = FIXTURES / "registry_small"
BUDGET_QUERY = """SELECT ?amount ?file ?line WHERE {
  ?p skos:prefLabel "未来共創推進事業"@ja ; stig:hasBudget ?b .
  ?b stig:fiscalYear "2021"^^xsd:gYear ; stig:amount ?amount ; stig:source ?loc .
  ?loc stig:document/stig:fileName ?file ; stig:line ?line }"""


def run(*args: str, store: Path | None = None):
    full = list(args) + (["--store", str(store)] if store else [])
    return CliRunner().invoke(cli, full, catch_exceptions=False)


@pytest.fixture()
def small_store(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    result = run("build", "--registry", str(SMALL), "--no-derived", store=store)
    assert result.exit_code == 0, result.output
    return store


def test_build_prints_summary(tmp_path: Path) -> None:
    result = run("build", "--registry", str(SMALL), "--no-derived", store=tmp_path / "s")
    assert result.exit_code == 0
    assert re.search(r"built .* in [0-9.]+ s \(full build\): added ontology, registry; [0-9,]+ quads in \d+ named graphs", result.output)
    assert "Program 1" in result.output and "administeredBy 1" in result.output


def test_budget_query_returns_yen_and_source_line(small_store: Path) -> None:
    rows = StiGraph.open(small_store).select(BUDGET_QUERY)
    assert rows == [{"amount": 3105000000, "file": "000_e5eefd47d6133f4f.txt", "line": 12}]


def test_query_formats(small_store: Path) -> None:
    out = run("query", BUDGET_QUERY, "--format", "csv", store=small_store).output
    assert out.splitlines()[:2] == ["amount,file,line", "3105000000,000_e5eefd47d6133f4f.txt,12"]
    data = json.loads(run("query", BUDGET_QUERY, "--format", "json", store=small_store).output)
    assert data["results"]["bindings"][0]["amount"]["value"] == "3105000000"
    tsv = run("query", BUDGET_QUERY, "--format", "tsv", store=small_store).output
    assert tsv.splitlines()[1].split("\t") == ["3105000000", "000_e5eefd47d6133f4f.txt", "12"]
    table = run("query", BUDGET_QUERY, store=small_store).output
    assert "3105000000" in table and "(1 row)" in table
    turtle = run("query", "CONSTRUCT { id:jst ?p ?o } WHERE { id:jst ?p ?o }", store=small_store).output
    assert len(list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE))) > 3


def test_query_from_file_and_errors(small_store: Path, tmp_path: Path) -> None:
    rq = tmp_path / "q.rq"
    rq.write_text(BUDGET_QUERY, encoding="utf-8")
    assert "3105000000" in run("query", "-f", str(rq), store=small_store).output
    bad = run("query", "SELECT ?x WHERE {", store=small_store)
    assert bad.exit_code == 1 and "SPARQL syntax error" in bad.output
    missing = run("query", "-f", str(tmp_path / "nope.rq"), store=small_store)
    assert missing.exit_code == 1 and "no such query file" in missing.output


def test_missing_store_is_a_user_error(tmp_path: Path) -> None:
    result = run("query", "ASK {}", store=tmp_path / "nothing")
    assert result.exit_code == 1 and "run `stigraph build`" in result.output


def test_rebuild_is_deterministic(tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        store = tmp_path / name
        assert run("build", "--registry", str(SMALL), "--no-derived", store=store).exit_code == 0
        out = tmp_path / f"{name}.nt"
        assert run("export", "--format", "nt", "-o", str(out), store=store).exit_code == 0
        outputs.append(sorted(out.read_text(encoding="utf-8").splitlines()))
    assert outputs[0] == outputs[1] and len(outputs[0]) > 100


def test_broken_registry_keeps_previous_store(small_store: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(SMALL, broken)
    sample = broken / "sample.yaml"
    sample.write_text(sample.read_text(encoding="utf-8").replace("to: jst, line: 15}", "to: no-such-agency, line: 15}", 1),
                      encoding="utf-8")
    result = run("build", "--registry", str(broken), "--no-derived", store=small_store)
    assert result.exit_code == 1
    assert "sample.yaml:" in result.output and "miraikan" in result.output and "no-such-agency" in result.output
    assert "Traceback" not in result.output
    # The previous graph still answers.
    assert StiGraph.open(small_store).select(BUDGET_QUERY)[0]["amount"] == 3105000000
    assert len([p for p in small_store.iterdir() if p.name.startswith("gen-") and p.is_dir()]) == 1


def test_store_env_var_is_honoured(small_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STIGRAPH_STORE", str(small_store))
    result = CliRunner().invoke(cli, ["show", "jst"])
    assert result.exit_code == 0 and "科学技術振興機構" in result.output


def test_show_entity_with_sources(small_store: Path) -> None:
    out = run("show", "未来共創推進事業", store=small_store).output
    assert "mirai-kyoso" in out and "administeredBy -> jst" in out
    assert "FY2021 Draft: 3,105,000,000 yen (previous year 3,005,000,000 yen)  (000_e5eefd47d6133f4f.txt:12)" in out
    data = json.loads(run("show", "JST", "--format", "json", store=small_store).output)
    assert data["id"] == "jst" and data["classes"] == ["Agency"]
    assert {"predicate": "underJurisdictionOf", "entity": "mext", "label": "文部科学省",
            "source": "curated: Act on the Japan Science and Technology Agency (Act No. 158 of 2002)"} in data["outgoing"]
    unknown = run("show", "no such thing", store=small_store)
    assert unknown.exit_code == 1 and "no entity" in unknown.output


def test_graphml_gexf_json_read_back_with_networkx(small_store: Path, tmp_path: Path) -> None:
    projection = to_networkx(StiGraph.open(small_store))
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"g.{fmt}"
        assert run("export", "--format", fmt, "-o", str(path), store=small_store).exit_code == 0
        back = reader(path)
        assert (back.number_of_nodes(), back.number_of_edges()) == (projection.number_of_nodes(), projection.number_of_edges())
    path = tmp_path / "g.json"
    run("export", "--format", "json", "-o", str(path), store=small_store)
    back = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
    assert back.number_of_edges() == projection.number_of_edges()


def test_turtle_and_ntriples_parse_with_same_count(small_store: Path, tmp_path: Path) -> None:
    counts = []
    for fmt, rdf_format in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES)):
        path = tmp_path / f"g.{fmt}"
        run("export", "--format", fmt, "-o", str(path), store=small_store)
        counts.append(len(set(ox.parse(path=str(path), format=rdf_format))))
    assert counts[0] == counts[1] > 100
    stdout = run("export", "--format", "nt", "-o", "-", store=small_store).output
    assert len(stdout.splitlines()) == counts[1]


def test_view_is_offline_and_escaped(small_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    result = run("view", "-o", str(out), store=small_store)
    assert result.exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?https?://", html)
    assert "<img src=x onerror=alert(1)>" not in html
    assert "</script><script>alert(1)</script>" not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html  # the label is kept, as data
    assert "vis.Network" in html


def test_every_command_has_help_with_an_example() -> None:
    for name, command in cli.commands.items():
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"`stigraph {name} --help` shows no example"


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "stigraph", "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "build" in result.stdout
