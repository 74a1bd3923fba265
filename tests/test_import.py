"""`stigraph import`: the user's RDF or CSV as inputs of the store, each in its own named graph, through the
one update path (incremental: the other inputs are not reloaded)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from stigraph.errors import UserError
from stigraph.builder import operations
from stigraph.sparql import library as querylib
from stigraph.builder.operations import build
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
    build(path, registry=[REGISTRY], include_derived=False)
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
    return operations.import_files(paths, store, **kwargs)


def graph_triples(store: Path, graph_iri: str) -> set[tuple]:
    db = StiGraph.open(store).store
    return {(q.subject, q.predicate, q.object) for q in db.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))}


def input_names(store: Path) -> list[str]:
    return [r.name for r in operations.list_inputs(store)]


BASE = "https://w3id.org/stigraph/graph/import/"


def test_each_rdf_format_lands_in_its_own_graph(store, tmp_path):
    files = [write(tmp_path, "my data.ttl", TTL), write(tmp_path, "quads.nq", NQ),
             write(tmp_path, "doc.jsonld", JSONLD), write(tmp_path, "doc2.rdf", RDFXML)]
    summary = do_import(files, store)
    assert summary.added == ["import/my-data", "import/quads", "import/doc", "import/doc2"]
    sizes = {name: len(graph_triples(store, BASE + name)) for name in ("my-data", "quads", "doc", "doc2")}
    assert sizes == {"my-data": 4, "quads": 2, "doc": 1, "doc2": 1}
    ttl = graph_triples(store, f"{BASE}my-data")
    assert any(s.value == (tmp_path / "thing").as_uri() for s, _, _ in ttl)  # relative IRI resolved
    assert any(isinstance(o, ox.BlankNode) for _, _, o in ttl)
    # Named graphs of an N-Quads file are merged into the import's graph.
    assert {o.value for _, _, o in graph_triples(store, f"{BASE}quads")} == {"in a named graph", "in the default graph"}
    assert not StiGraph.open(store).store.contains_named_graph(ox.NamedNode(f"{EX}g1"))
    # The registry graphs are still there: the import is added to what the store had.
    assert StiGraph.open(store).select("SELECT ?s WHERE { ?s stig:curatedId 'jst' }")


def test_one_graph_for_all_files_by_iri_or_name(store, tmp_path):
    files = [write(tmp_path, "a.ttl", TTL), write(tmp_path, "b.jsonld", JSONLD)]
    assert do_import(files, store, graph=f"{EX}mine").added == [f"import/{EX.replace(':', '%3A').replace('/', '%2F')}mine"]
    assert do_import(files, store, graph="mine").added == ["import/mine"]
    assert len(graph_triples(store, f"{EX}mine")) == 5
    assert len(graph_triples(store, f"{BASE}mine")) == 5


def test_importing_the_same_file_again_replaces_it(store, tmp_path):
    path = write(tmp_path, "data.nq", NQ)
    do_import([path], store)
    path.write_text(f'<{EX}z> <{EX}p> "only this" .\n', encoding="utf-8")
    summary = do_import([path], store)
    assert summary.replaced == ["import/data"]
    assert {o.value for _, _, o in graph_triples(store, f"{BASE}data")} == {"only this"}
    assert input_names(store).count("import/data") == 1


def test_files_with_the_same_name_from_elsewhere_do_not_overwrite_each_other(store, tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    do_import([write(tmp_path / "one", "data.ttl", TTL)], store)
    summary = do_import([write(tmp_path / "two", "data.ttl", f'<{EX}x> <{EX}p> "second" .')], store)
    assert summary.added == ["import/data-2"]
    assert len(graph_triples(store, f"{BASE}data")) == 4 and len(graph_triples(store, f"{BASE}data-2")) == 1


def test_non_ascii_file_names_stay_distinct(store, tmp_path):
    do_import([write(tmp_path, "日本語.ttl", f'<{EX}a> <{EX}p> "ja" .')], store)
    do_import([write(tmp_path, "中文.ttl", f'<{EX}b> <{EX}p> "zh" .')], store)
    names = [n for n in input_names(store) if n.startswith("import/")]
    assert len(names) == 2 and len(set(names)) == 2
    values = {o.value for q in StiGraph.open(store).store for o in [q.object] if isinstance(o, ox.Literal)}
    assert {"ja", "zh"} <= values


def test_imports_survive_later_builds(store, tmp_path):
    do_import([write(tmp_path, "keep.ttl", TTL)], store)
    build(store)
    assert len(graph_triples(store, f"{BASE}keep")) == 4
    build(store, full=True)
    assert len(graph_triples(store, f"{BASE}keep")) == 4
    # The imported file can be gone: the store keeps its own copy.
    (tmp_path / "keep.ttl").unlink()
    build(store, full=True)
    assert len(graph_triples(store, f"{BASE}keep")) == 4


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
    cached = sorted(p.name for p in (store / "inputs").iterdir())
    with pytest.raises(UserError, match=message):
        do_import([write(tmp_path, "nodes.csv", text)], store)
    assert len(StiGraph.open(store).store) == before
    assert sorted(p.name for p in (store / "inputs").iterdir()) == cached


def test_a_graph_the_shapes_refuse_rolls_the_import_back(store, tmp_path):
    do_import([write(tmp_path, "first.ttl", TTL)], store)
    kept = input_names(store)
    bad = write(tmp_path, "bad.csv", "id,class,label_ja\nlonely,Agency,一つだけ\n")  # no English label
    with pytest.raises(UserError, match="SHACL"):
        do_import([bad], store)
    assert input_names(store) == kept
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


def test_progress_is_reported(store, tmp_path):
    path = write(tmp_path, "big.nt", "".join(f'<{EX}s{i}> <{EX}p> "{i}" .\n' for i in range(2000)))
    seen: list[str] = []
    do_import([path], store, progress=seen.append)
    assert any("import/big" in line for line in seen) and any("validating" in line for line in seen)


def test_remove_an_import(store, tmp_path):
    do_import([write(tmp_path, "gone.ttl", TTL)], store)
    operations.remove_inputs(["import/gone"], store)
    assert not graph_triples(store, f"{BASE}gone")
    assert "import/gone" not in input_names(store)
    with pytest.raises(UserError, match="no input named 'import/gone'"):
        operations.remove_inputs(["import/gone"], store)


@pytest.mark.slow
def test_an_export_imported_into_an_empty_store_gives_the_same_triples(store, tmp_path):
    from stigraph.interop.export import export

    original = StiGraph.open(store)
    empty = tmp_path / "empty"
    build(empty, registry=[EMPTY_REGISTRY], include_derived=False)
    for fmt in ("ttl", "nt", "nq", "trig", "jsonld"):
        export(original, fmt, tmp_path / f"all.{fmt}")
        operations.import_files([tmp_path / f"all.{fmt}"], empty, graph=f"copy-{fmt}")
        copy = graph_triples(empty, f"https://w3id.org/stigraph/graph/import/copy-{fmt}")
        assert copy == {(q.subject, q.predicate, q.object) for q in original.store}, fmt


# --- CLI ------------------------------------------------------------------------------------------

def cli_run(*args):
    from stigraph.cli.main import cli

    return CliRunner().invoke(cli, list(args))


def test_cli_import_inputs_remove(store, tmp_path):
    path = write(tmp_path, "mine.ttl", TTL)
    result = cli_run("import", str(path), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert "added import/mine" in result.output
    listed = cli_run("inputs", "--store", str(store))
    assert "import/mine" in listed.output and "mine.ttl" in listed.output
    removed = cli_run("remove", "import/mine", "--store", str(store))
    assert removed.exit_code == 0 and "removed import/mine" in removed.output


def test_cli_errors_are_one_line(store, tmp_path):
    bad = write(tmp_path, "bad.csv", "name\nx\n")
    result = cli_run("import", str(bad), "--store", str(store))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("error: ") and "bad.csv:1" in result.output
    assert "Traceback" not in result.output
    nothing = cli_run("import", "--store", str(store))
    assert nothing.exit_code == 1 and "Missing argument" in nothing.output


def test_a_triple_that_breaks_an_existing_entity_is_refused(store, tmp_path):
    # A second Japanese label on JST breaks the uniqueLang shape of an entity stated by the registry.
    bad = write(tmp_path, "label.ttl", '<https://w3id.org/stigraph/id/jst> '
                '<http://www.w3.org/2004/02/skos/core#prefLabel> "別の名前"@ja .')
    with pytest.raises(UserError, match="SHACL.*jst"):
        do_import([bad], store)
    assert "import/label" not in input_names(store)


def test_removing_an_input_that_another_one_needs_is_refused(store, tmp_path):
    skos, entity = "http://www.w3.org/2004/02/skos/core#", "https://w3id.org/stigraph/id/my-lab"
    japanese = write(tmp_path, "only-ja.csv", "id,class,label_ja\nmy-lab,Organization,私の研究室\n")
    english = write(tmp_path, "english.ttl", f'<{entity}> <{skos}prefLabel> "My laboratory"@en .')
    with pytest.raises(UserError, match="SHACL.*my-lab"):  # an Organization needs labels in both languages
        do_import([japanese], store)
    do_import([japanese, english], store)  # two inputs, one change: together they are valid
    assert {"import/english", "import/only-ja"} <= set(input_names(store))
    with pytest.raises(UserError, match="SHACL.*my-lab"):
        operations.remove_inputs(["import/english"], store)
    assert "import/english" in input_names(store)
    assert StiGraph.open(store).select(f"SELECT ?l WHERE {{ <{entity}> <{skos}prefLabel> ?l FILTER(LANG(?l) = 'en') }}")


def test_plain_rdf_in_its_own_vocabulary_needs_no_shape_check(store, tmp_path):
    from stigraph.validation.incremental import can_change_results, shape_predicates

    assert "http://www.w3.org/2004/02/skos/core#prefLabel" in shape_predicates()
    assert not can_change_results({f"{EX}p"}, StiGraph.open(store).store, [])
    assert can_change_results({f"{EX}p", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}, StiGraph.open(store).store, [])


LIMIT_CASES = [
    ("empty.ttl", "", "no statements in this file"),
    ("long.nt", '<http://example.org/a> <http://example.org/p> "' + "x" * 100_001 + '" .\n',
     "a literal of more than 100,000 characters"),
]


@pytest.mark.parametrize(("name", "text", "message"), LIMIT_CASES)
@pytest.mark.parametrize("checked", ["in memory", "in parts", "unchecked"])
def test_rdf_loaded_as_given_is_held_to_the_same_limits(store, tmp_path, monkeypatch, name, text, message, checked):
    """The literal limit is found by the check's own reading of the file, or asked of the store when unchecked."""
    from stigraph.builder import inputs
    from stigraph.builder.update import update

    if checked == "in parts":
        monkeypatch.setattr("stigraph.builder.update.LARGE_CHANGE", 0)
    before = input_names(store)
    path = write(tmp_path, name, text)
    spec = inputs.import_input([path], *inputs.import_name(path))
    with pytest.raises(UserError, match=message):
        update(store, add=[spec], validate=checked != "unchecked")
    assert input_names(store) == before


def test_an_oversized_rdf_file_is_refused_before_reading(store, tmp_path, monkeypatch):
    monkeypatch.setenv("STIGRAPH_MAX_INPUT_BYTES", "100")
    with pytest.raises(UserError, match="STIGRAPH_MAX_INPUT_BYTES"):
        do_import([write(tmp_path, "big.nt", "".join(f'<{EX}s{i}> <{EX}p> "{i}" .\n' for i in range(100)))], store)


@pytest.fixture(params=["in memory", "in parts"])
def check_mode(request, monkeypatch):
    """Both ways a change is checked: small changes wholly in memory, large ones split by subject into parts
    checked one at a time (forced here by the limits: every change is large, and a part holds about one quad)."""
    if request.param == "in parts":
        monkeypatch.setattr("stigraph.builder.update.LARGE_CHANGE", 0)
        monkeypatch.setattr("stigraph.validation.chunked.CHUNK_QUADS", 1)
    return request.param


def test_both_ways_of_checking_refuse_the_same_changes(store, tmp_path, check_mode):
    skos, entity = "http://www.w3.org/2004/02/skos/core#", "https://w3id.org/stigraph/id/my-lab"
    label = write(tmp_path, "label.ttl", f'<https://w3id.org/stigraph/id/jst> <{skos}prefLabel> "別の名前"@ja .')
    with pytest.raises(UserError, match="SHACL.*jst"):
        do_import([label], store)
    japanese = write(tmp_path, "only-ja.csv", "id,class,label_ja\nmy-lab,Organization,私の研究室\n")
    english = write(tmp_path, "english.ttl", f'<{entity}> <{skos}prefLabel> "My laboratory"@en .')
    with pytest.raises(UserError, match="SHACL.*my-lab"):
        do_import([japanese], store)
    do_import([japanese, english], store)
    with pytest.raises(UserError, match="SHACL.*my-lab"):
        operations.remove_inputs(["import/english"], store)
    operations.remove_inputs(["import/english", "import/only-ja"], store)
    assert not StiGraph.open(store).select(f"SELECT ?l WHERE {{ <{entity}> ?p ?l }}")


def test_a_full_build_checks_every_node_and_refuses_a_violation(store, tmp_path):
    skos, entity = "http://www.w3.org/2004/02/skos/core#", "https://w3id.org/stigraph/id/my-lab"
    japanese = write(tmp_path, "only-ja.csv", "id,class,label_ja\nmy-lab,Organization,私の研究室\n")
    english = write(tmp_path, "english.ttl", f'<{entity}> <{skos}prefLabel> "My laboratory"@en .')
    do_import([japanese, english], store)
    assert operations.build(store, full=True).full
    # The English name now goes to another node: my-lab lacks one, and only a check of every node sees it.
    english.write_text(f'<{entity}-2> <{skos}prefLabel> "My laboratory"@en .', encoding="utf-8")
    with pytest.raises(UserError, match="SHACL.*my-lab"):
        operations.build(store, full=True)
    assert StiGraph.open(store).select(f'SELECT ?l WHERE {{ <{entity}> <{skos}prefLabel> ?l FILTER(lang(?l) = "en") }}')
