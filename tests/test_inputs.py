"""The store remembers its inputs: documents, imports and findings survive every later change, and
`remove` takes exactly one input's graphs away (issue 13's acceptance, through the CLI as a user runs it)."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from stigraph.cli.main import cli
from stigraph.sparql.graph import StiGraph
from tests.servers.data import REGISTRY

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DOC = FIXTURES / "extract" / "budget_utf8.txt"
G = "https://w3id.org/stigraph/graph/"


def run(store: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--store", str(store)])
    assert result.exit_code == 0, result.output
    return result.output


def graphs(store: Path) -> dict[str, int]:
    db = StiGraph.open(store).store
    return {g.value: sum(1 for _ in db.quads_for_pattern(None, None, None, g)) for g in db.named_graphs()}


def names(store: Path) -> list[str]:
    return [line.split()[0] for line in run(store, "inputs").splitlines()[1:]]


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    run(path, "build", "--registry", str(REGISTRY), "--no-derived")
    return path


@pytest.mark.slow
def test_documents_imports_and_findings_survive_and_remove_takes_each_away(store, tmp_path):
    data = tmp_path / "mine.nt"
    data.write_text('<http://example.org/a> <http://example.org/p> "mine" .\n', encoding="utf-8")
    run(store, "build", "--docs", str(DOC))
    run(store, "import", str(data))
    run(store, "analyze", "overlaps", "--write-back")
    run(store, "build")
    before = graphs(store)
    doc_graph, import_graph, findings_graph = f"{G}doc/budget_utf8", f"{G}import/mine", f"{G}derived/overlaps"
    for graph in (doc_graph, import_graph, findings_graph):
        assert before.get(graph, 0) > 0, graph
    assert names(store) == ["ontology", "registry", "doc/budget_utf8", "import/mine", "findings/overlaps"]
    for name, graph in (("doc/budget_utf8", doc_graph), ("import/mine", import_graph),
                        ("findings/overlaps", findings_graph)):
        run(store, "remove", name)
        after = graphs(store)
        assert graph not in after
        # Exactly that graph went away: every other named graph has the same quads as before
        # (the shared sources graph loses just what only the removed input stated).
        for other, count in before.items():
            if other not in (graph, f"{G}sources"):
                assert after.get(other) == count, other
        before = {g: n for g, n in after.items()}
        assert name not in names(store)


@pytest.mark.slow
def test_a_custom_registry_stays_in_use_after_an_import(store, tmp_path):
    data = tmp_path / "extra.ttl"
    data.write_text('<http://example.org/a> <http://example.org/p> "x" .\n', encoding="utf-8")
    run(store, "import", str(data))
    registry_graphs = {g for g in graphs(store) if g.startswith(f"{G}registry/")}
    assert registry_graphs == {f"{G}registry/{p.stem}" for p in REGISTRY.glob("*.yaml")}
    # The bundled registry's files never came in.
    assert f"{G}registry/001_jst" not in graphs(store)
    out = run(store, "inputs", "--format", "json")
    assert str(REGISTRY.resolve()) in out


@pytest.mark.slow
def test_documents_resolve_mentions_against_the_stores_registry(store, tmp_path):
    doc = tmp_path / "note.txt"
    # 科学技術振興機構 is in the store's (custom) registry; 日本医療研究開発機構 (AMED) only in the bundled one.
    doc.write_text("科学技術振興機構と日本医療研究開発機構が連携する。\n", encoding="utf-8")
    run(store, "build", "--docs", str(doc))
    rows = StiGraph.open(store).select(
        "SELECT DISTINCT ?e WHERE { GRAPH <https://w3id.org/stigraph/graph/doc/note> { ?d stig:mentions ?e } }")
    assert {r["e"] for r in rows} == {"https://w3id.org/stigraph/id/jst"}


def test_removing_an_unknown_input_names_the_inputs(store):
    result = CliRunner().invoke(cli, ["remove", "import/nope", "--store", str(store)])
    assert result.exit_code == 1
    assert "no input named 'import/nope'" in result.output and "registry" in result.output


def test_an_update_of_a_store_whose_parent_is_missing_creates_nothing(tmp_path):
    target = tmp_path / "missing" / "store"
    result = CliRunner().invoke(cli, ["build", "--store", str(target)])
    assert result.exit_code == 1 and "cannot create the store" in result.output
    assert not (tmp_path / "missing").exists()
