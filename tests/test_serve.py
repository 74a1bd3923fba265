"""`stigraph serve`: the SPARQL 1.1 Protocol through Oxigraph's server, read-only, swap-aware."""
from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from stigraph.sparql import library as ql
from stigraph.builder.operations import build
from stigraph.sparql.graph import StiGraph
from stigraph.interop.serve import exposure_warning, serving
from tests.servers.data import REGISTRY, canonical, rows_from_json, rows_from_ox
from tests.servers import procs
from tests.servers.oxigraph import oxigraph_path

pytestmark = pytest.mark.skipif(oxigraph_path() is None, reason="the `oxigraph` CLI (pip install oxigraph) is absent")

SELECT_CASES = [(q.name, p) for q in ql.list_queries() if "SELECT" in q.text.split("WHERE")[0]
                for p in (q.example_params() or [{}])]
CONSTRUCT_CASES = [(q.name, p) for q in ql.list_queries() if "CONSTRUCT" in q.text for p in q.example_params()]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """The interop registry plus two made-up review-sheet years (so that the rs-* queries answer too)."""
    from stigraph.builder.operations import import_files
    from tests.fixtures.rs.helpers import SHEET_2026, SHEET_2027

    path = tmp_path_factory.mktemp("serve") / "store"
    build(path, registry=[REGISTRY], include_derived=False)
    import_files(sorted(SHEET_2026.glob("*.csv")) + sorted(SHEET_2027.glob("*.csv")), path)
    return path


@pytest.fixture(scope="module")
def endpoint(store):
    with serving(store) as running:
        yield running


@pytest.fixture(scope="module")
def local(store):
    return StiGraph.open(store)


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def get(endpoint, query: str, accept: str) -> tuple[int, str, bytes]:
    return http("GET", f"{endpoint.url}?{urllib.parse.urlencode({'query': query})}", headers={"Accept": accept})


def local_rows(local, name, params):
    return rows_from_ox(local.store.query(ql.bind(ql.get_query(name), params), use_default_graph_as_union=True))


# --- the protocol ---------------------------------------------------------------------------------

def test_get_form_post_and_direct_post_agree(endpoint):
    query = "SELECT ?f WHERE { ?f a <https://w3id.org/stigraph/ontology#Fund> }"
    accept = {"Accept": "application/sparql-results+json"}
    by_get = get(endpoint, query, accept["Accept"])
    by_form = http("POST", endpoint.url, urllib.parse.urlencode({"query": query}).encode(),
                   {**accept, "Content-Type": "application/x-www-form-urlencoded"})
    by_direct = http("POST", endpoint.url, query.encode(), {**accept, "Content-Type": "application/sparql-query"})
    results = [rows_from_json(json.loads(r[2])) for r in (by_get, by_form, by_direct)]
    assert [r[0] for r in (by_get, by_form, by_direct)] == [200, 200, 200]
    assert results[0] == results[1] == results[2] and len(results[0]) == 4


@pytest.mark.parametrize(("accept", "content_type"), [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_select_result_formats(endpoint, accept, content_type):
    status, ctype, body = get(endpoint, COUNT, accept)
    assert status == 200 and ctype.startswith(content_type)
    assert b"1" in body


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", ox.RdfFormat.TURTLE),
                                              ("application/n-triples", ox.RdfFormat.N_TRIPLES)])
def test_construct_formats(endpoint, local, accept, fmt):
    query = ql.bind(ql.get_query("entity-neighbourhood"), {"entity": "jst"})
    status, ctype, body = get(endpoint, query, accept)
    assert status == 200 and ctype.startswith(accept)
    served = set(ox.parse(body, format=fmt))
    assert served == {ox.Quad(t.subject, t.predicate, t.object) for t in local.raw_query(query)}


def test_bad_query_is_400_and_bad_accept_is_406(endpoint):
    assert get(endpoint, "SELEC nothing", "application/sparql-results+json")[0] == 400
    assert get(endpoint, COUNT, "image/png")[0] == 406


def test_updates_are_refused_and_the_store_is_unchanged(endpoint, store):
    before = get(endpoint, COUNT, "text/csv")[2]
    insert = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"
    base = endpoint.url.rsplit("/", 1)[0]
    attempts = [
        http("POST", f"{base}/update", insert.encode(), {"Content-Type": "application/sparql-update"}),
        http("POST", f"{base}/update", urllib.parse.urlencode({"update": insert}).encode(),
             {"Content-Type": "application/x-www-form-urlencoded"}),
        http("POST", endpoint.url, urllib.parse.urlencode({"update": insert}).encode(),
             {"Content-Type": "application/x-www-form-urlencoded"}),
        http("PUT", f"{base}/store?graph=urn:x", b"<urn:a> <urn:b> <urn:c> .", {"Content-Type": "text/turtle"}),
        get(endpoint, insert, "application/sparql-results+json"),
    ]
    assert all(400 <= status < 500 for status, _, _ in attempts), [a[0] for a in attempts]
    assert get(endpoint, COUNT, "text/csv")[2] == before
    assert not bool(StiGraph.open(store).raw_query("ASK { <urn:a> ?p ?o }"))


def test_query_page_and_unknown_parameters(endpoint):
    base = endpoint.url.rsplit("/", 1)[0]
    status, ctype, body = http("GET", f"{base}/")
    assert status == 200 and ctype.startswith("text/html") and b"yasgui" in body.lower()
    # SPARQLWrapper adds format/output/results parameters unless told not to: they must be tolerated.
    url = f"{endpoint.url}?{urllib.parse.urlencode({'query': COUNT, 'format': 'json', 'output': 'json'})}"
    assert http("GET", url, headers={"Accept": "application/sparql-results+json"})[0] == 200


def test_exposure_warning():
    assert exposure_warning("127.0.0.1") is None and exposure_warning("::1") is None
    assert "anyone who can reach this machine" in exposure_warning("0.0.0.0")


# --- SPARQLWrapper and rdflib: the same rows as `stigraph query` --------------------------------------

def _cli_json_rows(store, name, params):
    from stigraph.cli.interop_cmd import query_command

    args = [name, "--format", "json"] + [f"--param={k}={v}" for k, vs in params.items() for v in vs]
    result = CliRunner().invoke(query_command, args, env={"STIGRAPH_STORE": str(store)}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return rows_from_json(json.loads(result.output))


@pytest.mark.parametrize(("name", "params"), SELECT_CASES, ids=[f"{n}-{p}" for n, p in SELECT_CASES])
def test_sparqlwrapper_json_matches_stigraph_query(endpoint, store, name, params):
    from SPARQLWrapper import JSON, SPARQLWrapper

    wrapper = SPARQLWrapper(endpoint.url)
    wrapper.setQuery(ql.bind(ql.get_query(name), params))
    wrapper.setReturnFormat(JSON)
    served = rows_from_json(wrapper.query().convert())
    assert served == _cli_json_rows(store, name, params)
    assert served, f"{name} {params} returned nothing"


def _xml_rows(document) -> list[tuple]:
    names = [v.getAttribute("name") for v in document.getElementsByTagName("variable")]
    rows = []
    for result in document.getElementsByTagName("result"):
        cells = {}
        for binding in result.getElementsByTagName("binding"):
            node = next(n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE)
            text = "".join(t.data for t in node.childNodes if t.nodeType == t.TEXT_NODE)
            kind = {"uri": "uri", "bnode": "bnode"}.get(node.tagName, "literal")
            cells[binding.getAttribute("name")] = canonical(kind, text, node.getAttribute("datatype") or None,
                                                            node.getAttribute("xml:lang") or None)
        rows.append(tuple(cells.get(n) for n in names))
    return sorted(rows, key=repr)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "params"), SELECT_CASES, ids=[f"{n}-{p}" for n, p in SELECT_CASES])
def test_sparqlwrapper_xml_csv_tsv_match_local(endpoint, local, name, params):
    from SPARQLWrapper import CSV, TSV, XML, SPARQLWrapper

    query = ql.bind(ql.get_query(name), params)
    wrapper = SPARQLWrapper(endpoint.url)
    wrapper.setQuery(query)
    wrapper.setReturnFormat(XML)
    assert _xml_rows(wrapper.query().convert()) == local_rows(local, name, params)
    for fmt, ox_fmt in ((CSV, ox.QueryResultsFormat.CSV), (TSV, ox.QueryResultsFormat.TSV)):
        wrapper.setReturnFormat(fmt)
        served = wrapper.query().convert().decode("utf-8").replace("\r\n", "\n").splitlines()
        mine = local.raw_query(query).serialize(format=ox_fmt).decode("utf-8").replace("\r\n", "\n").splitlines()
        assert served[0] == mine[0] and sorted(served[1:]) == sorted(mine[1:])


@pytest.mark.parametrize(("name", "params"), CONSTRUCT_CASES, ids=[n for n, _ in CONSTRUCT_CASES])
def test_sparqlwrapper_construct_turtle_matches_local(endpoint, local, name, params):
    from SPARQLWrapper import TURTLE, SPARQLWrapper

    query = ql.bind(ql.get_query(name), params)
    wrapper = SPARQLWrapper(endpoint.url)
    wrapper.setQuery(query)
    wrapper.setReturnFormat(TURTLE)
    served = set(ox.parse(wrapper.query().convert(), format=ox.RdfFormat.TURTLE))
    mine = {ox.Quad(t.subject, t.predicate, t.object) for t in local.raw_query(query)}
    assert served == mine and len(mine) > 5


def test_sparqlwrapper_ask(endpoint):
    from SPARQLWrapper import JSON, SPARQLWrapper

    wrapper = SPARQLWrapper(endpoint.url)
    wrapper.setQuery(ql.bind(ql.get_query("is-based-on"), {"subject": "moonshot", "policy": "basic-plan-6"}))
    wrapper.setReturnFormat(JSON)
    assert wrapper.query().convert()["boolean"] is True


def _rdflib_rows(result) -> list[tuple]:
    from rdflib import BNode, Literal, URIRef

    rows = []
    for row in result:
        cells = []
        for term in row:
            if term is None:
                cells.append(None)
            elif isinstance(term, URIRef):
                cells.append(canonical("uri", str(term)))
            elif isinstance(term, BNode):
                cells.append(canonical("bnode", str(term)))
            else:
                assert isinstance(term, Literal)
                cells.append(canonical("literal", str(term), str(term.datatype) if term.datatype else None,
                                       term.language))
        rows.append(tuple(cells))
    return sorted(rows, key=repr)


@pytest.mark.parametrize(("name", "params"), SELECT_CASES, ids=[f"{n}-{p}" for n, p in SELECT_CASES])
def test_rdflib_sparqlstore_matches_local(endpoint, local, name, params):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    # A Graph, not a Dataset: a Dataset sends default-graph-uri=urn:x-rdflib:default and sees nothing.
    remote = Graph(store=SPARQLStore(endpoint.url))
    assert _rdflib_rows(remote.query(ql.bind(ql.get_query(name), params))) == local_rows(local, name, params)


def test_rdflib_dataset_needs_default_union(endpoint):
    from rdflib import Dataset
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    query = "SELECT ?f WHERE { ?f a <https://w3id.org/stigraph/ontology#Fund> }"
    assert len(list(Dataset(store=SPARQLStore(endpoint.url), default_union=True).query(query))) == 4


# --- swaps, timeouts, CLI errors ------------------------------------------------------------------

@pytest.mark.slow
def test_serve_keeps_answering_during_a_build_and_sees_the_swap(tmp_path):
    store = tmp_path / "store"
    first = build(store, registry=[REGISTRY], include_derived=False)
    failures: list[str] = []
    counts: list[int] = []
    stop = threading.Event()
    with serving(store, poll_seconds=0.1) as running:
        def hammer() -> None:
            while not stop.is_set():
                status, _, body = get(running, COUNT, "text/csv")
                if status != 200:
                    failures.append(f"HTTP {status}")
                else:
                    counts.append(int(body.split()[-1]))

        worker = threading.Thread(target=hammer)
        worker.start()
        try:
            second = build(store, registry=[Path(__file__).parent / "fixtures" / "registry_small"],
                           include_derived=False)
            # Bounded wait for the watcher to notice the swap (not a timing assertion).
            for _ in range(200):
                if counts and counts[-1] == second.build.triples:
                    break
                stop.wait(0.05)
        finally:
            stop.set()
            worker.join(30)
        assert not failures
        assert counts[0] == first.build.triples and counts[-1] == second.build.triples
        assert running.swaps == 1


@pytest.mark.slow
def test_a_runaway_query_is_cut_off_and_the_server_goes_on(store):
    with serving(store, timeout_s=1) as running:
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        status, ctype, body = get(running, runaway, "application/sparql-results+json")
        # The relay holds results until they are complete: a cut query is a 503, never a broken 200.
        assert status == 503 and ctype.startswith("text/plain") and b"timeout" in body
        assert get(running, COUNT, "text/csv")[0] == 200


def test_serve_cli_without_a_store_is_a_user_error(tmp_path):
    from stigraph.cli.main import cli

    result = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "no graph built here yet" in result.output and "Traceback" not in result.output


def test_serve_cli_on_a_busy_port_is_a_user_error(store):
    from stigraph.cli.main import cli

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--store", str(store), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_serve_cli_warns_beyond_loopback(store, monkeypatch):
    from stigraph.cli.main import cli

    calls = []
    monkeypatch.setattr("stigraph.interop.serve.serve", lambda *a, **k: calls.append(k))
    result = CliRunner().invoke(cli, ["serve", "--store", str(store), "--host", "0.0.0.0"])
    assert result.exit_code == 0 and "warning: serving on 0.0.0.0" in result.output
    assert calls[0]["host"] == "0.0.0.0" and calls[0]["port"] == 7878


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_the_serve_command_answers_and_stops_its_server_on_sigterm(store):
    import signal
    import subprocess
    import sys

    from tests.servers.oxigraph import free_port, wait_for

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "stigraph", "serve", "--store", str(store), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", process)
        children = procs.children(process.pid)
        assert children, "the oxigraph child was not found"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert all(not Path(f"/proc/{pid}").exists() for pid in children)
    assert b"SPARQL endpoint http://127.0.0.1" in process.stderr.read()
