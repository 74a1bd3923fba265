"""Measure the interop facts DESIGN §7 quotes: SPARQLWrapper, rdflib's SPARQL stores, Oxigraph's server, Virtuoso.

Run from the repository root:  python3 -m tests.servers.measure_interop [--bundled]
(--bundled pushes the bundled graph instead of the small interop fixture). Needs the `oxigraph` CLI;
the Virtuoso part runs when `virtuoso-t` is installed (Debian virtuoso-opensource-7-bin).
"""
from __future__ import annotations

import argparse
import json
import secrets
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from pathlib import Path

from stigraph.sparql import library as ql
from stigraph.builder.inputs import collect_quads
from stigraph.builder.operations import build
from stigraph.sparql.graph import StiGraph
from stigraph.interop.push import push
from stigraph.interop.serve import serving
from tests.servers.data import REGISTRY, rows_from_json
from tests.servers.oxigraph import oxigraph_server
from tests.servers.virtuoso import virtuoso_available, virtuoso_server

FUNDS = "SELECT ?f WHERE { ?f a <https://w3id.org/stigraph/ontology#Fund> }"


def post_query(url: str, query: str) -> dict:
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=body, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def report(title: str, value) -> None:
    print(f"- {title}: {value}")


def sparqlwrapper_notes(url: str) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    wrapper = SPARQLWrapper(url)
    wrapper.setQuery(FUNDS)
    wrapper.setReturnFormat(JSON)
    result = wrapper.query()
    report("SPARQLWrapper GET URL parameters", sorted(urllib.parse.parse_qs(urllib.parse.urlparse(
        result.response.geturl()).query)))
    header_query = "# title: t\n# answers: what can we load?\n# param: x string\n" + FUNDS
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wrapper.setQuery(header_query)
    report("SPARQLWrapper query type of a SELECT with 'load' in its 2nd comment line", wrapper.queryType)
    started = time.perf_counter()
    for query in ql.list_queries():
        for params in query.example_params() or [{}]:
            wrapper.setQuery(ql.bind(query, params))
            wrapper.setReturnFormat(JSON)
            wrapper.query().convert()
    report("SPARQLWrapper: every library query once, JSON, through stigraph serve (s)",
           round(time.perf_counter() - started, 2))


def rdflib_store_notes(url: str) -> None:
    from rdflib import Dataset, Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    report("rdflib Graph(SPARQLStore) rows", len(list(Graph(store=SPARQLStore(url)).query(FUNDS))))
    report("rdflib Dataset(SPARQLStore) rows (sends default-graph-uri=urn:x-rdflib:default)",
           len(list(Dataset(store=SPARQLStore(url)).query(FUNDS))))
    report("rdflib Dataset(SPARQLStore, default_union=True) rows",
           len(list(Dataset(store=SPARQLStore(url), default_union=True).query(FUNDS))))


def update_store_notes() -> None:
    from rdflib import Graph, Literal, URIRef
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    triples = [(URIRef(f"urn:s{i}"), URIRef("urn:p"), Literal(i)) for i in range(300)]
    for autocommit in (True, False):
        with oxigraph_server() as server:
            store = SPARQLUpdateStore(server.query_url, server.update_url, autocommit=autocommit)
            calls = []
            original = store._update  # every HTTP update request goes through here
            store._update = lambda update, _o=original, _c=calls: (_c.append(1), _o(update))[1]  # type: ignore
            graph = Graph(store=store, identifier=URIRef("urn:g"))
            started = time.perf_counter()
            for triple in triples:
                graph.add(triple)
            if not autocommit:
                store.commit()
            seconds = time.perf_counter() - started
            report(f"SPARQLUpdateStore autocommit={autocommit}: 300 triples", f"{len(calls)} update requests, {seconds:.2f} s")


def oxigraph_notes(graph: StiGraph) -> None:
    with oxigraph_server() as server:
        for protocol, url in (("update", server.update_url), ("gsp", server.store_url)):
            summary = push(graph, url, protocol=protocol)
            again = push(graph, url, protocol=protocol)
            count = post_query(server.query_url, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
            report(f"oxigraph serve, push --protocol {protocol}",
                   f"{summary.triples} triples, {summary.requests} requests, {summary.seconds:.2f} s "
                   f"(re-push {again.seconds:.2f} s); quads on server {count['results']['bindings'][0]['n']['value']}")
        union = post_query(server.query_url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        distinct = post_query(server.query_url,
                              "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
        report("oxigraph --union-default-graph COUNT(*) vs COUNT of DISTINCT triples",
               f"{union['results']['bindings'][0]['n']['value']} vs {distinct['results']['bindings'][0]['n']['value']}")
    import pyoxigraph as ox

    twice = ox.Store()
    for name in ("urn:g1", "urn:g2"):
        twice.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"), ox.NamedNode(name)))
    rows = list(twice.query("SELECT ?s WHERE { ?s ?p ?o }", use_default_graph_as_union=True))
    report("Oxigraph union default graph: rows for one triple stated in two named graphs", len(rows))


def virtuoso_notes(graph: StiGraph) -> None:
    if not virtuoso_available():
        report("Virtuoso", "not installed (apt-get install -y virtuoso-opensource-7-bin)")
        return
    started = time.perf_counter()
    with virtuoso_server(Path(tempfile.mkdtemp()), secrets.token_hex(8)) as server:
        report("Virtuoso 7.2 fresh database to answering /sparql (s, incl. password + grant)",
               round(time.perf_counter() - started, 1))
        for label, kwargs in (("anonymous /sparql (after GRANT SPARQL_UPDATE)", {"endpoint": server.sparql_url}),
                              ("Digest /sparql-auth", {"endpoint": server.sparql_auth_url,
                                                       "auth": f"dba:{server.password}"}),
                              ("Digest GSP /sparql-graph-crud-auth", {"endpoint": f"{server.base}/sparql-graph-crud-auth",
                                                                      "auth": f"dba:{server.password}",
                                                                      "protocol": "gsp"})):
            summary = push(graph, **kwargs)
            report(f"Virtuoso push, {label}", f"{summary.triples} triples, {summary.requests} requests, "
                                              f"{summary.seconds:.2f} s")
        request = urllib.request.Request(server.sparql_auth_url, data=b"ASK {}", method="POST", headers={
            "Content-Type": "application/sparql-query", "Authorization": "Basic ZGJhOng="})
        try:
            urllib.request.urlopen(request, timeout=30)
            report("Virtuoso /sparql-auth with Basic", "accepted")
        except urllib.error.HTTPError as exc:
            report("Virtuoso /sparql-auth with Basic credentials", f"HTTP {exc.code} (Digest only)")
        exists = post_query(server.sparql_url, "SELECT (EXISTS { ?s ?p ?o } AS ?e) WHERE {}")
        report("Virtuoso EXISTS as a value", exists["results"]["bindings"][0]["e"])
        try:
            post_query(server.sparql_url, "SELECT * WHERE { VALUES ?a { <https://w3id.org/stigraph/id/sip-3> } "
                                          "?a <https://w3id.org/stigraph/ontology#succeeds>+ ?b }")
            report("Virtuoso transitive path bound only by VALUES", "accepted")
        except urllib.error.HTTPError as exc:
            report("Virtuoso transitive path bound only by VALUES", f"HTTP {exc.code}: "
                   + exc.read().decode("utf-8", "replace").split("\n")[0][:120])
        mismatches = 0
        for query in ql.list_queries():
            if "SELECT" not in query.text.split("WHERE")[0] or query.name == "named-graphs":
                continue
            for params in query.example_params() or [{}]:
                text = ql.bind(query, params)
                from tests.servers.data import rows_from_ox

                mine = rows_from_ox(graph.store.query(text, use_default_graph_as_union=True))
                mismatches += mine != rows_from_json(post_query(server.sparql_url, text))
        report("Virtuoso: library SELECT queries with rows different from the local store", mismatches)


def serve_swap_notes() -> None:
    folder = Path(tempfile.mkdtemp())
    first = build(folder / "store", registry=[REGISTRY], include_derived=False)
    with serving(folder / "store", poll_seconds=1.0) as endpoint:
        second = build(folder / "store", registry=[Path("tests/fixtures/registry_small")], include_derived=False)
        swapped = time.perf_counter()
        count = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
        while int(post_query(endpoint.url, count)["results"]["bindings"][0]["n"]["value"]) != second.build.triples:
            time.sleep(0.02)
        report("stigraph serve: swap seen by new connections after (s, poll 1 s)",
               round(time.perf_counter() - swapped, 2))
        report("triples before / after the swap", f"{first.build.triples} / {second.build.triples}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bundled", action="store_true", help="push the bundled graph instead of the fixture")
    args = parser.parse_args()
    graph = StiGraph.from_nquads(collect_quads(None if args.bundled else [REGISTRY], include_derived=args.bundled))
    report("graph", f"{len(graph.store)} quads in {len(list(graph.store.named_graphs()))} named graphs")
    folder = Path(tempfile.mkdtemp())
    build(folder / "store", registry=[REGISTRY], include_derived=False)
    with serving(folder / "store") as endpoint:
        sparqlwrapper_notes(endpoint.url)
        rdflib_store_notes(endpoint.url)
    update_store_notes()
    oxigraph_notes(graph)
    serve_swap_notes()
    virtuoso_notes(graph)


if __name__ == "__main__":
    main()
