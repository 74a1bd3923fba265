"""`stigraph push`: load the graph into real SPARQL 1.1 stores (Oxigraph, Virtuoso), idempotently."""
from __future__ import annotations

import json
import secrets
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from stigraph.errors import UserError
from stigraph.sparql import library as ql
from stigraph.builder.operations import build
from stigraph.sparql.graph import StiGraph
from stigraph.interop.push import _batches, parse_auth, push, source_graphs
from tests.servers.data import REGISTRY, interop_graph, rows_from_json, rows_from_ox
from tests.servers.oxigraph import free_port, oxigraph_path, oxigraph_server
from tests.servers.virtuoso import PACKAGE, virtuoso_available, virtuoso_server

needs_oxigraph = pytest.mark.skipif(oxigraph_path() is None, reason="the `oxigraph` CLI (pip install oxigraph) is absent")
needs_virtuoso = pytest.mark.skipif(not virtuoso_available(),
                                    reason=f"Virtuoso is absent: apt-get install -y {PACKAGE}")

# Competency queries compared between the local store and the server after a push. named-graphs
# is left out: it counts per named graph, which depends on how the push grouped the triples.
CASES = [(q.name, p) for q in ql.list_queries() if "SELECT" in q.text.split("WHERE")[0] and q.name != "named-graphs"
         for p in (q.example_params() or [{}])]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"


@pytest.fixture(scope="module")
def graph() -> StiGraph:
    return interop_graph()


@pytest.fixture(scope="module")
def triple_count(graph) -> int:
    return int(graph.select(COUNT)[0]["n"])


def remote_json(url: str, query: str) -> dict:
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=body, headers={"Accept": "application/sparql-results+json",
                                                              "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def remote_count(url: str, graph_iri: str | None = None) -> int:
    inner = f"GRAPH <{graph_iri}> {{ ?s ?p ?o }}" if graph_iri else "?s ?p ?o"
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {inner} }} }}"
    return int(remote_json(url, query)["results"]["bindings"][0]["n"]["value"])


def stigraph_count(url: str) -> int:
    """Triples on the server that stigraph put there (servers keep graphs of their own, e.g. Virtuoso)."""
    query = ("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
             "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/stigraph/') || STRSTARTS(STR(?g), 'urn:test:')) } }")
    return int(remote_json(url, query)["results"]["bindings"][0]["n"]["value"])


def assert_same_rows(graph: StiGraph, query_url: str, cases=CASES, as_sets: bool = False) -> None:
    mismatches = []
    for name, params in cases:
        text = ql.bind(ql.get_query(name), params)
        mine = rows_from_ox(graph.store.query(text, use_default_graph_as_union=True))
        theirs = rows_from_json(remote_json(query_url, text))
        if (set(mine) != set(theirs)) if as_sets else (mine != theirs):
            mismatches.append((name, params, set(mine) ^ set(theirs)))
    assert not mismatches, mismatches[:3]


# --- units ----------------------------------------------------------------------------------------

def test_parse_auth():
    assert parse_auth("dba:pa:ss") == ("dba", "pa:ss")
    assert parse_auth(None) is None
    with pytest.raises(UserError, match="USER:PASSWORD"):
        parse_auth("nocolon")


def test_blank_nodes_travel_in_one_batch():
    blank = ox.BlankNode()
    triples = [ox.Triple(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i))) for i in range(7)]
    triples += [ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), blank),
                ox.Triple(blank, ox.NamedNode("urn:p"), ox.Literal("x"))]
    batches = list(_batches(triples, 3))
    assert [len(b) for b in batches] == [3, 3, 1, 2]
    assert all(any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in b)
               for b in batches[-1:])


def test_source_graphs_keep_named_graphs_or_merge(graph, triple_count):
    kept = source_graphs(graph)
    assert {name for name, _ in kept} == {g.value for g in graph.store.named_graphs()}
    merged = source_graphs(graph, "urn:test:all")
    assert merged[0][0] == "urn:test:all" and len(merged[0][1]) == triple_count


def test_unreachable_store_is_a_user_error(graph):
    url = f"http://127.0.0.1:{free_port()}/update"
    with pytest.raises(UserError, match="cannot connect"):
        push(graph, url)


@pytest.mark.parametrize(("args", "message"), [
    (["--endpoint", "ftp://x/update"], "give the store's http(s) URL"),
    (["--endpoint", "http://127.0.0.1:9/update", "--graph", "not an iri"], "is not an IRI"),
    (["--endpoint", "http://127.0.0.1:9/update", "--auth", "nocolon"], "--auth must be USER:PASSWORD"),
])
def test_cli_errors(tmp_path, args, message):
    from stigraph.cli.main import cli

    store = tmp_path / "store"
    build(store, registry=[REGISTRY], include_derived=False)
    result = CliRunner().invoke(cli, ["push", "--store", str(store), *args])
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output


# --- Oxigraph (`oxigraph serve`, PyPI) --------------------------------------------------------------

@pytest.mark.slow
@needs_oxigraph
@pytest.mark.parametrize("protocol", ["update", "gsp"])
def test_push_to_oxigraph_is_idempotent_and_answers_the_same(graph, triple_count, protocol):
    with oxigraph_server() as server:
        url = server.update_url if protocol == "update" else server.store_url
        first = push(graph, url, protocol=protocol, batch_size=200)
        assert first.triples == len(graph.store)
        assert remote_count(server.query_url) == triple_count
        again = push(graph, url, protocol=protocol, batch_size=200)
        assert again.triples == first.triples
        assert remote_count(server.query_url) == triple_count  # replaced, not duplicated
        assert_same_rows(graph, server.query_url)
        named = {r["graph"] for r in graph.select("SELECT DISTINCT ?graph WHERE { GRAPH ?graph { ?s ?p ?o } }")}
        served = remote_json(server.query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert {b["g"]["value"] for b in served["results"]["bindings"]} == named


@pytest.mark.slow
@needs_oxigraph
def test_push_into_one_graph_replaces_only_that_graph(graph, triple_count):
    with oxigraph_server(union_default_graph=False) as server:
        push(graph, server.update_url, graph_iri="urn:test:stigraph")
        push(graph, server.update_url, graph_iri="urn:test:stigraph")
        assert remote_count(server.query_url, "urn:test:stigraph") == triple_count
        # Without a union default graph, the competency queries run against that graph by protocol.
        url = f"{server.query_url}?{urllib.parse.urlencode({'default-graph-uri': 'urn:test:stigraph'})}"
        assert_same_rows(graph, url, [c for c in CASES if c[0] in ("programs-of-agency", "budget-history",
                                                                      "policy-basis-chain", "funds-and-managers")])


@pytest.mark.slow
@needs_oxigraph
def test_cli_push_to_oxigraph(tmp_path, triple_count):
    from stigraph.cli.main import cli

    store = tmp_path / "store"
    build(store, registry=[REGISTRY], include_derived=False)
    with oxigraph_server() as server:
        result = CliRunner().invoke(cli, ["push", "--store", str(store), "--endpoint", server.update_url,
                                          "--format", "json"])
        assert result.exit_code == 0, result.output
        summary = json.loads(result.output)
        assert summary["triples"] >= triple_count and summary["protocol"] == "update"
        assert remote_count(server.query_url) == triple_count
        wrong = CliRunner().invoke(cli, ["push", "--store", str(store), "--endpoint", server.query_url])
        assert wrong.exit_code == 1 and "HTTP 4" in wrong.output


# --- Virtuoso Open Source 7 (Debian virtuoso-opensource-7-bin) ---------------------------------------

@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    if not virtuoso_available():
        pytest.skip(f"Virtuoso is absent: apt-get install -y {PACKAGE}")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso"), password=secrets.token_hex(8)) as server:
        yield server


def _clear(virtuoso) -> None:
    graphs = remote_json(virtuoso.sparql_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                              "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/stigraph/')) }")
    for binding in graphs["results"]["bindings"]:
        virtuoso.isql(f"SPARQL CLEAR GRAPH <{binding['g']['value']}>;\n")


@pytest.mark.slow
@needs_virtuoso
@pytest.mark.parametrize("mode", ["anonymous-update", "digest-update", "digest-gsp"])
def test_push_to_virtuoso_is_idempotent_and_answers_the_same(virtuoso, graph, triple_count, mode):
    _clear(virtuoso)
    if mode == "anonymous-update":
        kwargs = {"endpoint": virtuoso.sparql_url}
    elif mode == "digest-update":
        kwargs = {"endpoint": virtuoso.sparql_auth_url, "auth": f"dba:{virtuoso.password}"}
    else:
        kwargs = {"endpoint": f"{virtuoso.base}/sparql-graph-crud-auth", "auth": f"dba:{virtuoso.password}",
                  "protocol": "gsp"}
    push(graph, **kwargs)
    push(graph, **kwargs)
    assert stigraph_count(virtuoso.sparql_url) == triple_count
    # Virtuoso's default graph is the union of all graphs: the queries run unchanged. Compared as
    # sets: Virtuoso 7.2 can let duplicate rows through SELECT DISTINCT with sibling OPTIONALs over
    # triples stated in several graphs (measured; the library nests its OPTIONALs to avoid it).
    assert_same_rows(graph, virtuoso.sparql_url, as_sets=True)


@pytest.mark.slow
@needs_virtuoso
def test_virtuoso_refuses_wrong_credentials(virtuoso, graph):
    with pytest.raises(UserError, match="HTTP 401"):
        push(graph, virtuoso.sparql_auth_url, auth="dba:wrong-password")
