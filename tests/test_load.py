"""The endpoint under load: 2,000 competency queries, 20 at a time, against `stigraph serve` on loopback.

Bounded (request count and time), loopback only. Prints p50/p95 and writes tests/_artifacts/load.json.
"""
from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from stigraph.sparql import library as querylib
from stigraph.builder.operations import build
from tests.servers.procs import children

REQUESTS = 2000
CONCURRENCY = 20
ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def competency_mix() -> list[str]:
    """Every SELECT of the query library with its documented example parameters, bound safely."""
    mix = []
    for query in querylib.list_queries():
        if "SELECT" not in query.text.split("WHERE")[0]:
            continue
        for params in query.example_params() or [{}]:
            mix.append(querylib.bind(query, params))
    return mix


def fetch(url: str, query: str, timeout: float = 30) -> tuple[int, float]:
    started = time.perf_counter()
    request = urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': query})}",
                                     headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            json.loads(response.read())
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (OSError, ValueError):
        status = -1
    return status, time.perf_counter() - started


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    store = tmp_path_factory.mktemp("load") / "store"
    build(store)  # the bundled graph, derived data included
    port = free_port()
    log = open(tmp_path_factory.mktemp("load-log") / "serve.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "stigraph", "serve", "--store", str(store), "--port", str(port),
                                "--timeout", "2"], stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.time() + 60
    while time.time() < deadline and fetch(url, "ASK {}", timeout=2)[0] != 200:
        time.sleep(0.2)
    yield url, process
    process.terminate()
    process.wait(timeout=30)
    log.close()


def run_load(url: str) -> dict:
    """REQUESTS competency queries, CONCURRENCY at a time; returns the report (errors, latencies, wall time)."""
    mix = competency_mix()
    assert len(mix) >= 20
    queries = [mix[i % len(mix)] for i in range(REQUESTS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        results = list(pool.map(lambda q: fetch(url, q), queries))
    wall = time.perf_counter() - started
    errors = [status for status, _ in results if status != 200]
    latencies = sorted(seconds for _, seconds in results)
    return {
        "requests": len(results), "concurrency": CONCURRENCY, "distinct_queries": len(mix), "errors": len(errors),
        "error_statuses": sorted(set(errors)),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(0.95 * len(latencies)) - 1] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1), "wall_s": round(wall, 2),
        "throughput_rps": round(len(results) / wall, 1),
    }


@pytest.mark.slow
def test_two_thousand_queries_twenty_at_a_time(server) -> None:
    url, process = server
    report = run_load(url)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print("load test:", report)
    assert report["errors"] == 0, f"{report['errors']} failed requests: {report['error_statuses']}"
    assert process.poll() is None


DEEP_QUERY = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000  # crashed oxigraph serve (stack overflow)
CONNECT_LINE = b"CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n"  # aborted oxigraph serve (panic)


def raw_status(port: int, request: bytes) -> int:
    """The status code the endpoint answers to raw request bytes (-1 if it answers nothing)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(request)
            line = sock.makefile("rb").readline()
        return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        return -1


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_load_holds_while_a_hostile_client_sends_deep_queries_and_connect_lines(server) -> None:
    url, process = server
    port = int(url.split(":")[2].split("/")[0])
    children_before = set(children(process.pid, 'oxigraph'))
    assert children_before, "no oxigraph child found"
    deep = (f"GET /query?{urllib.parse.urlencode({'query': DEEP_QUERY})} HTTP/1.1\r\n"
            "Host: 127.0.0.1\r\nConnection: close\r\n\r\n").encode()
    hostile: list[tuple[str, int]] = []
    stop = threading.Event()

    def attack() -> None:  # an over-deep query and a CONNECT line, each twice a second
        while not stop.is_set():
            hostile.append(("deep", raw_status(port, deep)))
            stop.wait(0.25)
            hostile.append(("connect", raw_status(port, CONNECT_LINE)))
            stop.wait(0.25)

    attacker = threading.Thread(target=attack)
    attacker.start()
    try:
        report = run_load(url)
    finally:
        stop.set()
        attacker.join(30)
    report["hostile_requests"] = len(hostile)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load-hostile.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print("load test under attack:", report)
    assert report["errors"] == 0, f"{report['errors']} failed requests: {report['error_statuses']}"
    assert len(hostile) >= 2 * int(report["wall_s"]), "the attacker did not keep up its rate"
    assert {status for _, status in hostile} == {400}, sorted(set(hostile))
    assert process.poll() is None
    assert set(children(process.pid, 'oxigraph')) == children_before, "the oxigraph child was restarted: it crashed"


@pytest.mark.slow
def test_slow_query_is_cut_at_the_timeout_and_the_server_stays_up(server) -> None:
    url, process = server
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    status, seconds = fetch(url, runaway, timeout=60)
    assert status == 503, f"expected 503 for a query cut at the timeout, got {status}"
    assert seconds < 10, f"the runaway query ran {seconds:.1f} s despite a 2 s timeout"
    ok, _ = fetch(url, "SELECT ?s WHERE { ?s a <https://w3id.org/stigraph/ontology#Program> } LIMIT 1")
    assert ok == 200 and process.poll() is None
