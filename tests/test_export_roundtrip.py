"""Every export format read back by an independent reader gives the same graph (pyoxigraph for RDF,
networkx for GraphML/GEXF/node-link JSON, the csv module for CSV)."""
from __future__ import annotations

import csv
import io
import json
import re

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from stigraph.builder.operations import build
from stigraph.sparql.graph import StiGraph
from stigraph.interop.export import csv_tables, export, export_text
from stigraph.graph.projection import to_networkx
from tests.servers.data import REGISTRY, interop_graph

RDF = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
       "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
ONE_GRAPH = "registry/020_programs"
ONE_GRAPH_IRI = f"https://w3id.org/stigraph/graph/{ONE_GRAPH}"


@pytest.fixture(scope="module")
def graph() -> StiGraph:
    return interop_graph()


@pytest.fixture(scope="module")
def projection(graph) -> nx.MultiDiGraph:
    return to_networkx(graph)


def store_triples(graph: StiGraph, graph_iri: str | None = None) -> set[ox.Triple]:
    name = ox.NamedNode(graph_iri) if graph_iri else None
    return {ox.Triple(q.subject, q.predicate, q.object) for q in graph.store.quads_for_pattern(None, None, None, name)}


def parse(text: str, fmt: str) -> list[ox.Quad]:
    return list(ox.parse(text.encode("utf-8"), format=RDF[fmt]))


@pytest.mark.parametrize("fmt", list(RDF))
def test_rdf_formats_give_back_the_same_triples(graph, fmt):
    parsed = parse(export_text(graph, fmt), fmt)
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in parsed} == store_triples(graph)


@pytest.mark.parametrize("fmt", ["nq", "trig"])
def test_quad_formats_keep_the_named_graphs(graph, fmt):
    parsed = set(parse(export_text(graph, fmt), fmt))
    assert parsed == set(graph.store)
    assert {q.graph_name for q in parsed} == set(graph.store.named_graphs())


@pytest.mark.parametrize("fmt", list(RDF))
def test_one_named_graph(graph, fmt):
    parsed = parse(export_text(graph, fmt, graph_name=ONE_GRAPH), fmt)
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in parsed} == store_triples(graph, ONE_GRAPH_IRI)
    if fmt in ("nq", "trig"):
        assert {q.graph_name.value for q in parsed} == {ONE_GRAPH_IRI}


def test_jsonld_is_compacted_with_a_context(graph):
    document = json.loads(export_text(graph, "jsonld"))
    context = document["@context"]
    assert context["stig"] == "https://w3id.org/stigraph/ontology#" and context["skos"].endswith("/core#")
    text = json.dumps(document, ensure_ascii=False)
    assert '"skos:prefLabel"' in text and "https://w3id.org/stigraph/ontology#administeredBy" not in text


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back_with_networkx(graph, projection, fmt):
    text = export_text(graph, fmt)
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    back = reader(io.BytesIO(text.encode("utf-8")))
    assert back.number_of_nodes() == projection.number_of_nodes()
    assert back.number_of_edges() == projection.number_of_edges()
    assert set(back.nodes) == set(projection.nodes)
    assert back.nodes["quote-probe"]["label_ja"] == projection.nodes["quote-probe"]["label_ja"]
    assert back.nodes["university-fund"]["budget_latest_yen"] == 10_000_000_000_000


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_attributes_are_gephi_safe_scalars(graph, fmt):
    text = export_text(graph, fmt)
    if fmt == "graphml":
        types = set(re.findall(r'attr\.type="(\w+)"', text))
    else:
        types = set(re.findall(r'<attribute id="\d+" title="\w+" type="(\w+)"', text))
    # 32-bit "int"/"integer" would overflow in Gephi on yen amounts (10 trillion yen here).
    assert types <= {"string", "long", "double", "boolean"}, types
    assert "None" not in re.findall(r'(?:value|>)="?(None)"?<', text)


def test_node_link_json_reads_back(graph, projection):
    data = json.loads(export_text(graph, "json"))
    back = nx.node_link_graph(data, edges="edges")
    assert back.is_multigraph() and back.is_directed()
    assert back.number_of_nodes() == projection.number_of_nodes()
    assert back.number_of_edges() == projection.number_of_edges()
    # node-link JSON keys nodes by "id", so the node attribute of that name becomes the key itself.
    assert dict(back.nodes["jst"]) == {k: v for k, v in projection.nodes["jst"].items() if k != "id"}


def test_csv_nodes_and_edges_read_back(graph, projection, tmp_path):
    written = export(graph, "csv", tmp_path / "g.csv")
    assert [p.name for p in written] == ["g-nodes.csv", "g-edges.csv"]
    with open(written[0], newline="", encoding="utf-8") as handle:
        nodes = list(csv.DictReader(handle))
    with open(written[1], newline="", encoding="utf-8") as handle:
        edges = list(csv.DictReader(handle))
    assert len(nodes) == projection.number_of_nodes() and len(edges) == projection.number_of_edges()
    assert {n["id"] for n in nodes} == set(projection.nodes)
    assert {(e["source"], e["target"], e["predicate"]) for e in edges} == \
        {(s, o, k) for s, o, k in projection.edges(keys=True)}
    probe = next(n for n in nodes if n["id"] == "quote-probe")
    assert probe["label_ja"] == 'テスト "引用" {括弧} #井桁'
    assert csv_tables(graph) == (written[0].read_text(encoding="utf-8"), written[1].read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["ttl", "nq", "jsonld", "graphml", "gexf", "json"])
def test_exports_are_deterministic(graph, fmt):
    assert export_text(graph, fmt) == export_text(interop_graph(), fmt)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_graph_formats_refuse_one_named_graph(graph, fmt):
    from stigraph.errors import UserError

    with pytest.raises(UserError, match="--graph works with the RDF formats"):
        export_text(graph, fmt, graph_name="registry/030_policy")


def test_unknown_graph_is_a_user_error(graph):
    from stigraph.errors import UserError

    with pytest.raises(UserError, match="no named graph 'registry/nope'"):
        export_text(graph, "ttl", graph_name="registry/nope")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "store"
    build(path, registry=[REGISTRY], include_derived=False)
    return path


@pytest.mark.parametrize("fmt", ["ttl", "nq", "graphml", "gexf", "json", "jsonld"])
def test_cli_export_writes_readable_files(store, tmp_path, fmt):
    from stigraph.cli.main import cli

    out = tmp_path / f"graph.{fmt}"
    result = CliRunner().invoke(cli, ["export", "--store", str(store), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if fmt in RDF:
        assert {ox.Triple(q.subject, q.predicate, q.object) for q in parse(text, fmt)} == \
            store_triples(StiGraph.open(store))
    else:
        reader = {"graphml": nx.read_graphml, "gexf": nx.read_gexf}.get(fmt)
        back = reader(io.BytesIO(text.encode())) if reader else nx.node_link_graph(json.loads(text), edges="edges")
        assert back.number_of_nodes() == to_networkx(StiGraph.open(store)).number_of_nodes()
