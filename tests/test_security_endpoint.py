"""Hostile requests to `stigraph serve` (issue 18, items 1, 7, 9, 11): SERVICE refused with one message
whatever the target, CONNECT and over-deep queries answered 400 without touching the engine, a
timed-out query answered 503 with a plain-text body in every result format, and `kill -9` of the
server leaving no oxigraph child behind."""
from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from stigraph.builder.operations import build
from stigraph.interop import http_gate
from stigraph.interop.serve import serving
from stigraph.sparql.guard import SERVICE_REFUSED
from tests.servers.data import REGISTRY
from tests.servers.listener import Listener
from tests.servers.oxigraph import free_port, oxigraph_path, wait_for
from tests.servers.procs import children, state

pytestmark = pytest.mark.skipif(oxigraph_path() is None, reason="the `oxigraph` CLI (pip install oxigraph) is absent")

DEEP = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000
CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # streams results for minutes
CROSS_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # no byte until it is done
RESULT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "store"
    build(path, registry=[REGISTRY], include_derived=False)
    return path


@pytest.fixture(scope="module")
def endpoint(store):
    with serving(store, timeout_s=2) as running:
        yield running


def exchange(port: int, request: bytes, wait: float = 30) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes, read until the server closes; (status, headers, body) of the first answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def get(port: int, query: str, accept: str = "application/sparql-results+json") -> tuple[int, dict[str, str], bytes]:
    return exchange(port, (f"GET /query?{urllib.parse.urlencode({'query': query})} HTTP/1.1\r\nHost: x\r\n"
                           f"Accept: {accept}\r\nConnection: close\r\n\r\n").encode())


def post(port: int, body: str, content_type: str) -> tuple[int, dict[str, str], bytes]:
    data = body.encode()
    return exchange(port, (f"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n"
                           f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n").encode() + data)


# --- item 1: SERVICE ------------------------------------------------------------------------------

SERVICE_FORMS = {
    "plain": "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "lower case": "select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
    "mixed case": "SELECT * WHERE {{ SeRvIcE <{url}> {{ ?s ?p ?o }} }}",
    "comment between keywords": "SELECT * WHERE {{ SERVICE # here\n SILENT #there\n <{url}> {{ ?s ?p ?o }} }}",
    "silent": "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "variable": "SELECT * WHERE {{ BIND(<{url}> AS ?x) SERVICE ?x {{ ?s ?p ?o }} }}",
    "prefixed name": "PREFIX e: <{base}> SELECT * WHERE {{ SERVICE e:sparql {{ ?s ?p ?o }} }}",
    "empty prefix": "PREFIX : <{base}> SELECT * WHERE {{ SERVICE :sparql {{ ?s ?p ?o }} }}",
    "relative to BASE": "BASE <{base}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
    "escaped IRI": "SELECT * WHERE {{ SERVICE <{escaped}> {{ ?s ?p ?o }} }}",
    "escaped keyword": "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "no spaces": "SELECT * WHERE {{SERVICE<{url}>{{?s ?p ?o}}}}",
    "inside EXISTS": "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "in a subquery": "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "after a string with a quote escape": "SELECT * WHERE {{ ?s ?p 'it\\'s' . SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "after a prefixed name with a quote escape": "PREFIX e: <urn:x:> SELECT * WHERE {{ ?s e:a\\' ?o . SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "ask": "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "construct": "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
}


def service_queries(url: str) -> dict[str, str]:
    base = url.rsplit("/", 1)[0] + "/"
    escaped = url.replace(":", "\\u003A", 1)
    return {name: form.format(url=url, base=base, escaped=escaped) for name, form in SERVICE_FORMS.items()}


def test_service_is_refused_in_every_form_and_nothing_is_contacted(endpoint):
    listener = Listener()
    try:
        answers = {}
        for name, query in service_queries(listener.url).items():
            answers[name] = get(endpoint.port, query)
            answers[name + " (form POST)"] = post(endpoint.port, urllib.parse.urlencode({"query": query}),
                                                  "application/x-www-form-urlencoded")
            answers[name + " (direct POST)"] = post(endpoint.port, query, "application/sparql-query")
    finally:
        listener.close()
    assert {name: status for name, (status, _, _) in answers.items() if status != 400} == {}
    assert listener.hits == 0
    assert {body for _, _, body in answers.values()} == {(SERVICE_REFUSED + "\n").encode()}


def test_service_message_does_not_depend_on_the_target(endpoint):
    open_port = endpoint.port  # something listens here
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]  # nothing listens here
    targets = [f"http://127.0.0.1:{open_port}/query", f"http://127.0.0.1:{closed_port}/", "http://10.255.255.1/",
               "http://no-such-host.invalid/sparql", "file:///etc/passwd"]
    answers = {get(endpoint.port, f"SELECT * WHERE {{ SERVICE <{t}> {{ ?s ?p ?o }} }}")[::2] for t in targets}
    assert answers == {(400, (SERVICE_REFUSED + "\n").encode())}


def test_words_that_only_look_like_service_are_answered(endpoint):
    for query in ["SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
                  "PREFIX service: <urn:x:> SELECT * WHERE { ?s service:p ?o } LIMIT 1",
                  "SELECT * WHERE { ?s ?p 'SERVICE <http://127.0.0.1/> {}' } LIMIT 1",
                  "SELECT * WHERE { ?s <urn:SERVICE> ?o # SERVICE <http://127.0.0.1/>\n } LIMIT 1"]:
        assert get(endpoint.port, query)[0] == 200, query


def test_allowed_service_prefix_reaches_only_that_endpoint(store):
    listener = Listener()
    try:
        with serving(store, timeout_s=5, allow_service=[listener.url.rsplit("/", 1)[0] + "/"]) as running:
            allowed = get(running.port, f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}")
            other = get(running.port, "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:1/> { ?s ?p ?o } }")
            variable = get(running.port, "SELECT * WHERE { BIND(<http://127.0.0.1:1/> AS ?x) SERVICE ?x { ?s ?p ?o } }")
    finally:
        listener.close()
    assert allowed[0] == 200 and listener.hits >= 1
    assert other[0] == 400 and variable[0] == 400


# --- item 7: requests that used to bring the engine down --------------------------------------------

def test_over_deep_query_and_connect_get_400_and_the_engine_stays_up(endpoint):
    child = endpoint.backend.process
    assert get(endpoint.port, DEEP)[0] == 400
    assert post(endpoint.port, DEEP, "application/sparql-query")[0] == 400
    status, headers, body = exchange(endpoint.port, b"CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n")
    assert status == 400 and b"not a proxy" in body and headers["connection"] == "close"
    assert get(endpoint.port, "ASK {}")[0] == 200
    assert endpoint.backend.process is child and child.poll() is None


@pytest.mark.parametrize(("name", "request_bytes", "status"), [
    ("absolute-form target", b"GET http://evil.example/query?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    ("TLS handshake bytes", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400),
    ("smuggling framing", b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    ("PUT", b"PUT /store?graph=urn:x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 405),
    ("DELETE", b"DELETE /store?graph=urn:x HTTP/1.1\r\nHost: x\r\n\r\n", 405),
    ("unknown media type", b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nASK{}", 415),
    ("folded header", b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n  folded\r\n\r\n", 400),
    ("HTTP/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
    ("not UTF-8 query", b"GET /query?query=%ff%fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400),
])
def test_malformed_requests_are_answered_by_the_relay(endpoint, name, request_bytes, status):
    assert exchange(endpoint.port, request_bytes)[0] == status
    assert get(endpoint.port, "ASK {}")[0] == 200


def test_huge_request_is_refused_before_it_is_read(endpoint, monkeypatch):
    monkeypatch.setenv("STIGRAPH_MAX_QUERY_BYTES", "1000")
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 20_000
    status, _, body = post(endpoint.port, query, "application/sparql-query")
    assert status == 413 and b"STIGRAPH_MAX_QUERY_BYTES" in body


# --- item 11: a cut query is a 503 in every format ---------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("accept", RESULT_TYPES)
@pytest.mark.parametrize("query", [CROSS, CROSS_COUNT], ids=["streaming", "aggregate"])
def test_timed_out_query_is_503_with_a_plain_text_body(endpoint, accept, query):
    started = time.monotonic()
    status, headers, body = get(endpoint.port, query, accept)
    assert status == 503 and headers["content-type"].startswith("text/plain")
    assert body == b"query cut off after the 2 s timeout; narrow it or add a LIMIT\n"
    assert int(headers["content-length"]) == len(body)
    assert time.monotonic() - started < 15


@pytest.mark.parametrize(("content_type", "tail", "complete"), [
    ("text/csv; charset=utf-8", b"s\r\nhttp://x\r\nThe SPARQL operation has been cancelled", False),
    ("text/tab-separated-values", b"?s\n<http://x>\nThe SPARQL operation has been cancelled", False),
    ("application/sparql-results+json", b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":The SPARQL operation has been cancelled', False),
    ("application/sparql-results+xml", b"<result><binding name='s'>The SPARQL operation has been cancelled", False),
    ("text/csv; charset=utf-8", b"s\r\nhttp://x\r\n", True),
    ("application/sparql-results+json", b'{"head":{"vars":[]},"results":{"bindings":[]}}', True),
    ("application/sparql-results+xml", b"</results></sparql>", True),
    ("text/turtle", b"", True),
])
def test_a_result_ending_in_an_error_is_never_passed_on(content_type, tail, complete):
    assert http_gate.result_is_complete(content_type, tail) is complete


# --- item 9: kill -9 leaves no child serving ---------------------------------------------------------

@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def listening_ports() -> set[int]:
    """Local TCP ports in the LISTEN state (0A), IPv4 and IPv6, from /proc/net."""
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def test_kill_9_of_serve_leaves_no_oxigraph_serving(store):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "stigraph", "serve", "--store", str(store), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", process)
        kids = children(process.pid)
        child_ports = []
        for pid in kids:
            args = Path(f"/proc/{pid}/cmdline").read_text().split("\0")
            if "--bind" in args:
                child_ports.append(int(args[args.index("--bind") + 1].rsplit(":", 1)[1]))
        assert kids and child_ports, "no oxigraph child found"
        assert set(child_ports) <= listening_ports()  # the way of looking sees the child while it serves
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    deadline = time.monotonic() + 10
    # A killed multi-threaded process shows "Z" while its other threads still tear down, and its sockets close
    # only with the last of them: wait for both (a real leak still fails after the deadline).
    while time.monotonic() < deadline and (any(state(pid) not in (None, "Z") for pid in kids)
                                           or set(child_ports) & listening_ports()):
        time.sleep(0.1)
    assert [pid for pid in kids if state(pid) not in (None, "Z")] == [], "an oxigraph child outlived kill -9"
    # Read the kernel's table of listening sockets: a connect() probe can connect to itself on Linux when
    # the port is free and in the ephemeral range (TCP simultaneous open), which made this test flaky.
    assert not set(child_ports) & listening_ports(), "a port of the killed oxigraph child is still listening"
