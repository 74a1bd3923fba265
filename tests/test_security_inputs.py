"""Hostile inputs on the command line and the library (issue 18, items 1, 5, 6, 7, 8, 10, 12): each gives
one clear `error:` line and exit 1, writes nothing where it should not, and leaves the store unchanged."""
from __future__ import annotations

import csv
import io
import os
import resource
import socket
import stat
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from stigraph import limits
from stigraph.builder.operations import build
from stigraph.cli.main import cli
from stigraph.errors import QueryError
from stigraph.sparql.guard import SERVICE_REFUSED, check_query
from stigraph.sparql import library as querylib
from tests.servers.data import REGISTRY
from tests.servers.listener import Listener

REPO = Path(__file__).resolve().parent.parent
# Labels an attacker (or an unlucky document) puts into the graph: formulas and XML-forbidden controls.
HOSTILE_NODES = ('id,class,label_ja,label_en,alt_labels\n'
                 'evil-org,Agency,"=HYPERLINK(""http://evil.example"")","+1+cmd|calc","@SUM(A1); \tTAB; -5"\n'
                 'control-org,Agency,制御\x01文字\x08,Control\x0bchars\x1f,\x0cfeed\n')


def run(args: list[str], env: dict[str, str] | None = None):
    result = CliRunner().invoke(cli, args, env=env)
    errors = [line for line in result.output.splitlines() if line.startswith(("error:", "Error:"))]
    return result, errors


def store_state(store: Path) -> tuple[str, list[str]]:
    """What answers (the current generation) and every entry of the store folder."""
    return os.readlink(store / "current"), sorted(p.name for p in store.iterdir())


def assert_user_error(result, errors, fragment: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and len(errors) == 1, result.output
    assert fragment in errors[0], errors[0]


@pytest.fixture(scope="module")
def clean_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("clean") / "store"
    build(path, registry=[REGISTRY], include_derived=False)
    return path


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    """The fixture registry plus two organisations whose labels hold formulas and control characters."""
    folder = tmp_path_factory.mktemp("hostile")
    nodes = folder / "hostile.csv"
    nodes.write_text(HOSTILE_NODES, encoding="utf-8")
    store = folder / "store"
    build(store, registry=[REGISTRY], include_derived=False)
    result, _ = run(["import", str(nodes), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


# --- item 1: SERVICE from the command line and the library ----------------------------------------

def evasions(url: str) -> dict[str, str]:
    base = url.rsplit("/", 1)[0] + "/"
    escaped = url.replace(":", "\\u003A", 1)
    return {
        "lower case": f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "comments between keywords": f"SELECT * WHERE {{ SERVICE #a\n SILENT #b\n <{url}> {{ ?s ?p ?o }} }}",
        "variable": f"SELECT * WHERE {{ BIND(<{url}> AS ?x) SERVICE SILENT ?x {{ ?s ?p ?o }} }}",
        "prefixed name": f"PREFIX e: <{base}> SELECT * WHERE {{ SERVICE SILENT e:sparql {{ ?s ?p ?o }} }}",
        "relative IRI": f"BASE <{base}> SELECT * WHERE {{ SERVICE SILENT <sparql> {{ ?s ?p ?o }} }}",
        "escape in the IRI": f"SELECT * WHERE {{ SERVICE SILENT <{escaped}> {{ ?s ?p ?o }} }}",
        "no spaces": f"SELECT*WHERE{{SERVICE SILENT<{url}>{{?s ?p ?o}}}}",
        "after a quote escape": f"SELECT * WHERE {{ BIND('a\\'b' AS ?q) SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "prefixed name redeclared": (f"PREFIX e: <http://allowed.example/> PREFIX e: <{base}> "
                                     "SELECT * WHERE { SERVICE SILENT e:sparql { ?s ?p ?o } }"),
    }


def test_every_evasion_really_calls_out_when_run_unguarded():
    """The forms below are real SERVICE calls to pyoxigraph: unguarded, each one reaches the listener.

    (`SERVICE ?x` is the exception: pyoxigraph 0.5 evaluates it before ?x is bound, so it never calls
    out today; it is refused all the same, since nothing before running can tell where it would go.)"""
    listener = Listener()
    try:
        for name, query in evasions(listener.url).items():
            if name == "variable":
                continue
            before = listener.hits
            list(ox.Store().query(query))
            assert listener.hits > before, name
    finally:
        listener.close()


def test_cli_refuses_every_evasion_with_one_message_and_contacts_nothing(clean_store):
    listener = Listener()
    try:
        for name, query in evasions(listener.url).items():
            result, errors = run(["query", query, "--store", str(clean_store)])
            assert_user_error(result, errors, SERVICE_REFUSED)
        escaped_keyword = f"SELECT * WHERE {{ \\u0053ERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
        assert_user_error(*run(["query", escaped_keyword, "--store", str(clean_store)]), SERVICE_REFUSED)
    finally:
        listener.close()
    assert listener.hits == 0


def test_allow_service_opt_in_reaches_only_allowed_prefixes(clean_store):
    listener = Listener()
    try:
        allowed = listener.url.rsplit("/", 1)[0] + "/"
        query = f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}"
        result, _ = run(["query", query, "--allow-service", allowed, "--store", str(clean_store)])
        assert result.exit_code == 0 and listener.hits == 1, result.output
        other = "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:1/> { ?s ?p ?o } }"
        assert_user_error(*run(["query", other, "--allow-service", allowed, "--store", str(clean_store)]),
                          SERVICE_REFUSED)
    finally:
        listener.close()


@pytest.mark.parametrize(("target", "allowed"), [
    ("https://query.wikidata.org/sparql", True),
    ("https://query.wikidata.org.evil.net/sparql", False),
    ("https://query.wikidata.org@evil.net/sparql", False),
    ("http://query.wikidata.org/sparql", False),
])
def test_allow_list_matches_at_url_boundaries(target, allowed):
    query = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
    if allowed:
        check_query(query, ["https://query.wikidata.org"])
    else:
        with pytest.raises(QueryError, match="SERVICE is refused"):
            check_query(query, ["https://query.wikidata.org"])


def test_no_library_query_trips_the_guard():
    for query in querylib.list_queries():
        shape = check_query(query.text)
        assert shape.services == [] and shape.depth <= 10, query.name


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service ?p ?o }",
    "PREFIX service: <urn:x:> SELECT * WHERE { ?s service:p ?o }",
    "SELECT * WHERE { ?s ?p \"SERVICE <http://127.0.0.1/> {}\" }",
    "SELECT * WHERE { ?s ?p '''multi\nSERVICE <http://127.0.0.1/> { }''' }",
    "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } # SERVICE <http://127.0.0.1/> {}",
    "PREFIX e: <urn:x:> SELECT * WHERE { ?s e:a\\#SERVICE ?o }",
])
def test_words_that_only_look_like_service_pass(query):
    assert check_query(query).services == []


# --- item 7: over-deep or over-long queries never reach the engine ----------------------------------

def test_deep_query_file_is_refused_without_a_crash(clean_store, tmp_path):
    deep = tmp_path / "deep.rq"
    deep.write_text("SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000, encoding="utf-8")
    # A subprocess: if the guard failed, the engine's stack overflow must not take the test run down.
    done = subprocess.run([sys.executable, "-m", "stigraph", "query", "-f", str(deep), "--store", str(clean_store)],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 1, (done.returncode, done.stderr[-500:])
    assert done.stderr.strip().splitlines() == [
        "error: query refused: { ( [ nested 5,000 deep; the limit is 64; set STIGRAPH_MAX_QUERY_DEPTH to change it"]


@pytest.mark.parametrize(("query", "fragment"), [
    ("SELECT * WHERE { ?s ?p ?o FILTER(" + "+".join(["1"] * 8000) + ") }", "STIGRAPH_MAX_QUERY_OPERATORS"),
    ("SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 5000) + " }", "STIGRAPH_MAX_QUERY_OPERATORS"),
    ("SELECT * WHERE { BIND(" + "CONCAT(" * 1000 + "'a'" + ")" * 1000 + " AS ?x) }", "STIGRAPH_MAX_QUERY_DEPTH"),
])
def test_long_chains_are_refused(clean_store, query, fragment):
    assert_user_error(*run(["query", query, "--store", str(clean_store)]), fragment)


def test_limits_are_overridden_by_environment_variables(clean_store):
    query = "SELECT * WHERE { { { ?s ?p ?o } } } LIMIT 1"
    assert run(["query", query, "--store", str(clean_store)])[0].exit_code == 0
    assert_user_error(*run(["query", query, "--store", str(clean_store)], env={"STIGRAPH_MAX_QUERY_DEPTH": "2"}),
                      "nested 3 deep; the limit is 2")
    assert_user_error(*run(["query", query, "--store", str(clean_store)], env={"STIGRAPH_MAX_QUERY_DEPTH": "lots"}),
                      "STIGRAPH_MAX_QUERY_DEPTH='lots': give a positive whole number")


def test_values_data_does_not_count_as_operators():
    rows = " ".join(f"(<urn:x{i}> {i})" for i in range(5000))
    assert check_query(f"SELECT * WHERE {{ VALUES (?x ?n) {{ {rows} }} }}").operators < 20


def test_every_limit_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for limit in limits.LIMITS.values():
        assert limit.env in readme and f"{limit.default:,}" in readme, limit.env


# --- item 5: outputs go to regular files only -----------------------------------------------------

@pytest.fixture()
def targets(tmp_path) -> dict[str, Path]:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    links = {"symlink to a device": "/dev/null", "symlink to a FIFO": fifo, "symlink to a folder": folder,
             "symlink to nothing": tmp_path / "missing"}
    paths = {"FIFO": fifo, "folder": folder}
    for name, target in links.items():
        link = tmp_path / name.replace(" ", "-")
        link.symlink_to(target)
        paths[name] = link
    return paths


def _listing(folder: Path) -> list[tuple[str, int]]:
    return sorted((p.name, stat.S_IFMT(p.lstat().st_mode)) for p in folder.iterdir())


@pytest.mark.parametrize("kind", ["FIFO", "folder", "symlink to a device", "symlink to a FIFO", "symlink to a folder",
                                  "symlink to nothing"])
@pytest.mark.parametrize("command", [["export", "--format", "nt"], ["export", "--format", "graphml"], ["view"]])
def test_outputs_refuse_anything_but_a_regular_file(clean_store, targets, kind, command):
    before = _listing(targets["folder"].parent)
    result, errors = run([*command, "-o", str(targets[kind]), "--store", str(clean_store)])
    expected = {"FIFO": "is a FIFO", "folder": "is a folder", "symlink to a device": "is a character device",
                "symlink to a FIFO": "is a FIFO", "symlink to a folder": "is a folder",
                "symlink to nothing": "which does not exist"}[kind]
    assert_user_error(result, errors, expected)
    assert _listing(targets["folder"].parent) == before and not any(targets["folder"].iterdir())


def test_extract_output_refuses_a_fifo(targets):
    fixture = REPO / "tests" / "fixtures" / "extract" / "budget_utf8.txt"
    assert_user_error(*run(["extract", str(fixture), "-o", str(targets["FIFO"])]), "is a FIFO")


def test_dash_is_standard_output_and_a_symlink_to_a_file_is_followed(clean_store, tmp_path):
    result, _ = run(["export", "--format", "nt", "-o", "-", "--store", str(clean_store)])
    assert result.exit_code == 0 and result.output.count(" .\n") > 100
    result, _ = run(["view", "-o", "-", "--store", str(clean_store)])
    assert result.exit_code == 0 and result.output.startswith("<!DOCTYPE html>")
    real = tmp_path / "real.nt"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.nt"
    link.symlink_to(real)
    assert run(["export", "--format", "nt", "-o", str(link), "--store", str(clean_store)])[0].exit_code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").count(" .\n") > 100


# --- item 6: CSV cells cannot start a formula -----------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _cells(text: str, delimiter: str = ",") -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def _assert_no_formula(cells: list[str]) -> None:
    import re

    live = [c for c in cells if c.startswith(FORMULA_START) and not re.fullmatch(r"[+-]?[0-9.]+(e[+-]?[0-9]+)?", c)]
    assert live == []


def test_export_csv_neutralises_formulas(hostile_store, tmp_path):
    result, _ = run(["export", "--format", "csv", "-o", str(tmp_path / "g.csv"), "--store", str(hostile_store)])
    assert result.exit_code == 0, result.output
    cells = _cells((tmp_path / "g-nodes.csv").read_text(encoding="utf-8"))
    _assert_no_formula(cells)
    assert "'=HYPERLINK(\"http://evil.example\")" in cells and "'+1+cmd|calc" in cells
    assert "'-5; @SUM(A1); TAB" in cells  # alt labels, joined: the cell starts with "-" and is no number


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_query_csv_and_tsv_neutralise_formulas_but_keep_numbers(clean_store, fmt):
    query = "SELECT ?f ?n ?m WHERE { VALUES (?f ?n ?m) { (\"=1+1\" -5 \"-2+3+cmd|' /C calc'!A0\") } }"
    result, _ = run(["query", query, "--format", fmt, "--store", str(clean_store)])
    assert result.exit_code == 0, result.output
    cells = _cells(result.output, "," if fmt == "csv" else "\t")
    assert cells[3:] == ["'=1+1", "-5", "'-2+3+cmd|' /C calc'!A0"]


def test_extract_csv_neutralises_formulas(tmp_path):
    doc = tmp_path / "budget.txt"
    doc.write_text("概要\n試験用の予算資料。\n\n１．=HYPERLINK(\"http://evil.example\")事業 1,234百万円（1,200百万円）\n"
                   "２．@SUM(A1)推進事業 567百万円（500百万円）\n\n令和5年度予算額(案) 39億円\n", encoding="utf-8")
    result, _ = run(["extract", str(doc), "--format", "csv"])
    assert result.exit_code == 0, result.output
    cells = _cells(result.output)
    _assert_no_formula(cells)
    assert "'=HYPERLINK(\"http://evil.example\")事業" in cells and "1234000000" in cells


# --- item 10: XML exports stay well-formed --------------------------------------------------------

@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_control_characters_do_not_break_graphml_or_gexf(hostile_store, tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    assert run(["export", "--format", fmt, "-o", str(out), "--store", str(hostile_store)])[0].exit_code == 0
    root = ET.parse(out).getroot()  # raises on characters XML 1.0 forbids
    texts = [el.text or "" for el in root.iter()] + [v for el in root.iter() for v in el.attrib.values()]
    assert any("制御\ufffd文字\ufffd" in t for t in texts)
    assert not any(ch in t for t in texts for ch in "\x01\x08\x0b\x0c\x1f")


# --- item 8: resource bounds on imported files ----------------------------------------------------

def billion_laughs(levels: int = 10) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
            f'  <rdf:Description rdf:about="http://example.org/a"><ex:p>&lol{levels - 1};</ex:p></rdf:Description>\n'
            "</rdf:RDF>\n")


RDF_HEAD = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="&ex;">\n'
FLAT = ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY ex "http://example.org/"> ]>\n' + RDF_HEAD +
        '  <rdf:Description rdf:about="&ex;a"><ex:p rdf:resource="&ex;b"/></rdf:Description>\n</rdf:RDF>\n')


@pytest.mark.parametrize(("name", "text", "fragment", "env"), [
    ("laughs.rdf", billion_laughs(), "nested entities are not read", {}),
    ("external.rdf", FLAT.replace('<!ENTITY ex "http://example.org/">', '<!ENTITY ex SYSTEM "file:///etc/passwd">'),
     "external, parameter or malformed entity", {}),
    ("parameter.rdf", FLAT.replace('<!ENTITY ex "http://example.org/">', '<!ENTITY % ex "x"> <!ENTITY ex "y">'),
     "external, parameter or malformed entity", {}),
    ("wide.rdf", FLAT.replace('"http://example.org/"', '"' + "x" * 1000 + '"').replace(
        "</rdf:RDF>", "<rdf:Description rdf:about='urn:z'><ex:q>" + "&ex;" * 2000 + "</ex:q></rdf:Description></rdf:RDF>"),
     "expand to 2,003,000 characters", {}),
    ("empty.rdf", "", "no statements found", {}),
    ("only-root.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n', "no statements found", {}),
    ("long-literal.rdf", FLAT.replace('<ex:p rdf:resource="&ex;b"/>', "<ex:p>" + "x" * 200 + "</ex:p>"),
     "a literal of 200 characters", {"STIGRAPH_MAX_LITERAL_CHARS": "100"}),
    ("big.rdf", FLAT.replace("</rdf:RDF>", "<!--" + "x" * 2000 + "--></rdf:RDF>"), "bytes; the limit is 1,000",
     {"STIGRAPH_MAX_INPUT_BYTES": "1000"}),
    ("cell.csv", "id,label_ja\nok,fine\nbig," + "あ" * 200_000 + "\n", "cell.csv:3: a cell is over", {}),
    ("cell-mid.csv", "id,label_ja\nbig," + "x" * 120_000 + "\n", "cell-mid.csv:2: the label_ja cell has 120,000 characters", {}),
])
def test_hostile_import_is_refused_and_the_store_is_unchanged(clean_store, tmp_path, name, text, fragment, env):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = store_state(clean_store)
    result, errors = run(["import", str(path), "--store", str(clean_store)], env=env)
    assert_user_error(result, errors, fragment)
    assert store_state(clean_store) == before


def test_entities_that_only_shorten_names_are_read(tmp_path):
    from stigraph.loaders.files import rdf_triples

    path = tmp_path / "flat.rdf"
    path.write_text(FLAT, encoding="utf-8")
    assert [str(t) for t in rdf_triples(path)] == ["<http://example.org/a> <http://example.org/p> <http://example.org/b>"]


def test_billion_laughs_import_stays_far_below_a_gigabyte(clean_store, tmp_path):
    path = tmp_path / "laughs.rdf"
    path.write_text(billion_laughs(), encoding="utf-8")
    assert path.stat().st_size < 1100
    done = subprocess.run([sys.executable, "-m", "stigraph", "import", str(path), "--store", str(clean_store)],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far (Linux: KiB)
    assert done.returncode == 1 and "nested entities" in done.stderr
    assert peak_kib < 1024 * 1024, f"peak RSS {peak_kib / 1024:.0f} MiB"


# --- item 12: push, --graph, a missing store --------------------------------------------------------

@pytest.fixture()
def silent_port():
    """A loopback port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(5)
    for conn in accepted:
        conn.close()
    server.close()


@pytest.mark.parametrize("auth", [["--auth", "dba:s3cret-pw"], []])
def test_push_to_a_silent_store_times_out_without_showing_credentials(clean_store, silent_port, auth):
    endpoint = f"http://dba:s3cret-pw@127.0.0.1:{silent_port}/update" if not auth else \
        f"http://127.0.0.1:{silent_port}/update"
    started = time.monotonic()
    result, errors = run(["push", "--endpoint", endpoint, *auth, "--timeout", "1", "--store", str(clean_store)])
    assert_user_error(result, errors, "no answer within 1 s (timeout)")
    assert time.monotonic() - started < 30
    assert "s3cret-pw" not in result.output


@pytest.mark.parametrize("endpoint", ["http://dba:s3cret-pw@127.0.0.1:1/update", "http://dba:s3cret-pw@[::1/update",
                                      "http://dba:s3cret-pw@127.0.0.1:99999/update"])
def test_push_errors_never_show_credentials(clean_store, endpoint):
    result, errors = run(["push", "--endpoint", endpoint, "--auth", "dba:s3cret-pw", "--store", str(clean_store)])
    assert result.exit_code == 1 and len(errors) == 1, result.output
    assert "s3cret-pw" not in result.output and "***@" in errors[0]


@pytest.mark.parametrize("command", [["export", "--format", "ttl", "-o", "-"], ["push", "--endpoint", "http://127.0.0.1:1/u"]])
def test_graph_option_with_query_syntax_is_a_user_error(clean_store, command):
    before = store_state(clean_store)
    result, errors = run([*command, "--graph", "x> } UNION { ?s ?p ?o }…", "--store", str(clean_store)])
    assert_user_error(result, errors, "x> } UNION")
    assert store_state(clean_store) == before


def test_failed_import_into_a_missing_store_creates_no_folders(tmp_path):
    empty = tmp_path / "empty.rdf"
    empty.write_text("", encoding="utf-8")
    store = tmp_path / "no" / "such" / "store"
    assert_user_error(*run(["import", str(empty), "--store", str(store)]), "no graph built here yet")
    assert not (tmp_path / "no").exists()
