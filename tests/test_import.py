"""`stigraph import`: the user's RDF or CSV into its own named graph, through the atomic build."""
from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from stigraph.errors import UserError
from stigraph.builder import imports as importing
from stigraph.sparql import library as querylib
from stigraph.builder.full import build
from stigraph.sparql.graph import StiGraph
from tests.servers.data import EMPTY_REGISTRY, REGISTRY

EX = "http://example.org/"
TTL = f"""@prefix ex: <{EX}> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<thing> ex:label "相対 IRI" .
ex:lab ex:partOf <https://w3id.org/stigraph/id/jst> ; ex:has [ ex:name "blank" ] .
"""
NQ = f"""<{EX}a> <{EX}p> "in a named graph" <{EX}g1> .
<{EX}b> <{EX}p> "in the default graph" .
"""
JSONLD = f"""{{"@context": {{"ex": "{EX}"}}, "@id": "ex:c", "ex:p": "from JSON-LD"}}"""
RDFXML = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="{EX}">
  <rdf:Description rdf:about="{EX}d"><ex:p>from RDF/XML</ex:p></rdf:Description>
</rdf:RDF>
"""
NODES = """id,class,label_ja,label_en,alt_labels,http://example.org/homepage
my-lab,Organization,私の研究室,My laboratory,ML; Lab,https://lab.example.org
"""
EDGES = """source,target,predicate,provenance
my-lab,jst,collaboratesWith,ignored
my-lab,https://w3id.org/stigraph/id/mext,http://example.org/reportsTo,
"""


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("import") / "store"
    build(path, registry_paths=[REGISTRY], include_derived=False)
    return path


@pytest.fixture()
def store(built_once, tmp_path) -> Path:
    """A fresh copy of the fixture store (the `current` link is relative, so it survives the copy)."""
    path = tmp_path / "store"
    shutil.copytree(built_once, path, symlinks=True)
    return path


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def do_import(paths, store, **kwargs):
    return importing.import_files(paths, store, registry_paths=[REGISTRY], include_derived=False, **kwargs)


def graph_triples(store: Path, graph_iri: str) -> set[tuple]:
    db = StiGraph.open(store).store
    return {(q.subject, q.predicate, q.object) for q in db.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))}


def test_each_rdf_format_lands_in_its_own_graph(store, tmp_path):
    files = [write(tmp_path, "my data.ttl", TTL), write(tmp_path, "quads.nq", NQ),
             write(tmp_path, "doc.jsonld", JSONLD), write(tmp_path, "doc2.rdf", RDFXML)]
    summary = do_import(files, store)
    base = "https://w3id.org/stigraph/graph/import/"
    assert summary.graphs == {f"{base}my-data": 4, f"{base}quads": 2, f"{base}doc": 1, f"{base}doc2": 1}
    ttl = graph_triples(store, f"{base}my-data")
    assert any(s.value == (tmp_path / "thing").as_uri() for s, _, _ in ttl)  # relative IRI resolved
    assert any(isinstance(o, ox.BlankNode) for _, _, o in ttl)
    # Named graphs of an N-Quads file are merged into the import's graph.
    assert {o.value for _, _, o in graph_triples(store, f"{base}quads")} == {"in a named graph", "in the default graph"}
    assert not StiGraph.open(store).store.contains_named_graph(ox.NamedNode(f"{EX}g1"))
    # The registry graphs are still there: the import is added to the build.
    assert StiGraph.open(store).select("SELECT ?s WHERE { ?s stig:curatedId 'jst' }")


def test_one_graph_for_all_files_by_iri_or_name(store, tmp_path):
    files = [write(tmp_path, "a.ttl", TTL), write(tmp_path, "b.jsonld", JSONLD)]
    assert list(do_import(files, store, graph=f"{EX}mine").graphs) == [f"{EX}mine"]
    assert list(do_import(files, store, graph="mine").graphs) == ["https://w3id.org/stigraph/graph/import/mine"]
    assert len(graph_triples(store, f"{EX}mine")) == 5
    assert set(importing.list_imports(store)) == {f"{EX}mine", "https://w3id.org/stigraph/graph/import/mine"}


def test_importing_again_replaces_the_graph(store, tmp_path):
    path = write(tmp_path, "data.nq", NQ)
    do_import([path], store)
    path.write_text(f'<{EX}z> <{EX}p> "only this" .\n', encoding="utf-8")
    do_import([path], store)
    values = {o.value for _, _, o in graph_triples(store, "https://w3id.org/stigraph/graph/import/data")}
    assert values == {"only this"}
    assert len(list((store / "imports").glob("*.nq"))) == 1


def test_imports_are_kept_in_the_store_for_later_builds(store, tmp_path):
    do_import([write(tmp_path, "keep.ttl", TTL)], store)
    chunks = importing.imported_chunks(store)
    assert len(chunks) == 1 and chunks[0].startswith(b"# graph: <https://w3id.org/stigraph/graph/import/keep>")
    # The same chunks, passed by hand to a build that leaves the stored imports out, give the same graph.
    build(store, registry_paths=[REGISTRY], include_derived=False, extra_chunks=chunks, keep_imports=False)
    assert len(graph_triples(store, "https://w3id.org/stigraph/graph/import/keep")) == 4


def test_a_plain_build_keeps_imported_graphs(store, tmp_path):
    do_import([write(tmp_path, "keep.ttl", TTL)], store)
    build(store, registry_paths=[REGISTRY], include_derived=False)
    assert len(graph_triples(store, "https://w3id.org/stigraph/graph/import/keep")) == 4


def test_csv_nodes_and_edges_with_row_sources(store, tmp_path):
    files = [write(tmp_path, "nodes.csv", NODES), write(tmp_path, "edges.csv", EDGES)]
    do_import(files, store, graph="network")
    graph = StiGraph.open(store)
    rows = graph.select("SELECT ?l WHERE { id:my-lab skos:prefLabel ?l }")
    assert {r["l"] for r in rows} == {"私の研究室", "My laboratory"}
    assert graph.select("SELECT ?h WHERE { id:my-lab <http://example.org/homepage> ?h }")[0]["h"] == "https://lab.example.org"
    assert {r["a"] for r in graph.select("SELECT ?a WHERE { id:my-lab skos:altLabel ?a }")} == {"ML", "Lab"}
    sources = querylib.select_named(graph, "sources-of-fact", {"subject": "my-lab", "predicate": "collaboratesWith"})
    assert [(r["file"], r["line"]) for r in sources] == [("edges.csv", 2)]
    assert querylib.select_named(graph, "collaborations", {"entity": "jst"})


@pytest.mark.parametrize(("text", "message"), [
    ("name,colour\nx,red\n", "nodes.csv:1: unknown CSV layout"),
    ("id,colour\nx,red\n", "nodes.csv:1: unknown column 'colour'"),
    ("id,label_ja\nx,y\nNot An Id,z\n", "nodes.csv:3: id 'Not An Id' is neither an id"),
    ("id,class\nx,agency\n", "nodes.csv:2: class 'agency' must be a class name"),
    ("source,target,predicate\nx,,administeredBy\n", "nodes.csv:2: source, target and predicate must all be given"),
    ("source,target,predicate\nx,y,likes\n", "nodes.csv:2: unknown predicate 'likes'"),
    ("source,target,predicate\nx,http://bad iri,administeredBy\n", "nodes.csv:2: target 'http://bad iri' is not a valid IRI"),
])
def test_csv_errors_name_file_and_line_and_leave_the_store_alone(store, tmp_path, text, message):
    before = len(StiGraph.open(store).store)
    with pytest.raises(UserError, match=message):
        do_import([write(tmp_path, "nodes.csv", text)], store)
    assert len(StiGraph.open(store).store) == before
    assert not list((store / "imports").glob("*"))


def test_a_graph_the_shapes_refuse_rolls_the_import_back(store, tmp_path):
    do_import([write(tmp_path, "first.ttl", TTL)], store)
    kept = importing.imported_chunks(store)
    bad = write(tmp_path, "bad.csv", "id,class,label_ja\nlonely,Agency,一つだけ\n")  # no English label
    with pytest.raises(UserError, match="SHACL"):
        do_import([bad], store)
    assert importing.imported_chunks(store) == kept
    assert not StiGraph.open(store).select("SELECT ?s WHERE { ?s stig:curatedId 'lonely' }")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.ttl", "<a> <b> .", "bad.ttl: not valid"),
    ("bad.csv", b"\xff\xfe\x00id", "not UTF-8"),
    ("data.xlsx", "x", "unknown file type '.xlsx'"),
])
def test_bad_files(store, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(UserError, match=message):
        do_import([path], store)


def test_missing_file_and_bad_graph(store, tmp_path):
    with pytest.raises(UserError, match="no such file"):
        do_import([tmp_path / "nope.ttl"], store)
    with pytest.raises(UserError, match="not a valid IRI"):
        do_import([write(tmp_path, "a.ttl", TTL)], store, graph="http://bad iri")


def test_progress_reports_every_byte(store, tmp_path):
    path = write(tmp_path, "big.nt", "".join(f'<{EX}s{i}> <{EX}p> "{i}" .\n' for i in range(20000)))
    seen: list[int] = []
    do_import([path], store, progress=seen.append)
    assert sum(seen) == path.stat().st_size


def test_remove_import(store, tmp_path):
    do_import([write(tmp_path, "gone.ttl", TTL)], store)
    importing.remove_import("gone", store, registry_paths=[REGISTRY], include_derived=False)
    assert not graph_triples(store, "https://w3id.org/stigraph/graph/import/gone")
    assert importing.list_imports(store) == {}
    with pytest.raises(UserError, match="no imported graph 'gone'"):
        importing.remove_import("gone", store, registry_paths=[REGISTRY], include_derived=False)


@pytest.mark.slow
def test_an_export_imported_into_an_empty_store_gives_the_same_triples(store, tmp_path):
    from stigraph.interop.export import export

    original = StiGraph.open(store)
    empty = tmp_path / "empty"
    for fmt in ("ttl", "nt", "nq", "trig", "jsonld"):
        export(original, fmt, tmp_path / f"all.{fmt}")
        importing.import_files([tmp_path / f"all.{fmt}"], empty, graph=f"copy-{fmt}",
                               registry_paths=[EMPTY_REGISTRY], include_derived=False)
        copy = graph_triples(empty, f"https://w3id.org/stigraph/graph/import/copy-{fmt}")
        assert copy == {(q.subject, q.predicate, q.object) for q in original.store}, fmt


# --- CLI ------------------------------------------------------------------------------------------

def cli_run(*args):
    from stigraph.cli.main import cli

    return CliRunner().invoke(cli, ["import", *args])


def test_cli_import_list_remove(store, tmp_path):
    path = write(tmp_path, "mine.ttl", TTL)
    common = ["--store", str(store), "--registry", str(REGISTRY), "--no-derived"]
    result = cli_run(str(path), *common)
    assert result.exit_code == 0, result.output
    assert "imported 4 statements into https://w3id.org/stigraph/graph/import/mine" in result.output
    listed = cli_run("--list", "--store", str(store))
    assert "https://w3id.org/stigraph/graph/import/mine" in listed.output
    removed = cli_run("--remove", "mine", *common)
    assert removed.exit_code == 0 and "removed mine" in removed.output


def test_cli_errors_are_one_line(store, tmp_path):
    bad = write(tmp_path, "bad.csv", "name\nx\n")
    result = cli_run(str(bad), "--store", str(store), "--registry", str(REGISTRY), "--no-derived")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("error: ") and "bad.csv:1" in result.output
    assert "Traceback" not in result.output
    nothing = cli_run("--store", str(store))
    assert nothing.exit_code == 1 and "give one or more files" in nothing.output
