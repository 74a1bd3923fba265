"""The competency query library: headers, listing, safe parameter binding, and `stigraph query NAME`."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from stigraph.errors import QueryError, UnknownEntityError, UserError
from stigraph.sparql import library as ql
from stigraph.builder.operations import build
from tests.servers.data import REGISTRY, interop_graph, rows_from_ox

QUERIES = ql.list_queries()
BY_NAME = {q.name: q for q in QUERIES}


@pytest.fixture(scope="module")
def graph():
    """The interop fixture registry plus the made-up RS review sheets (for the rs-* queries' examples)."""
    from tests.fixtures.rs.helpers import SHEET_2026, part_quads

    graph = interop_graph()
    graph.store.bulk_load(part_quads([SHEET_2026])[0], format=ox.RdfFormat.N_QUADS)
    return graph


def test_library_has_at_least_thirty_documented_queries():
    assert len(QUERIES) >= 30
    for query in QUERIES:
        assert query.title and query.answers, query.name
        assert ql.NAME_PATTERN.match(query.name)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_each_query_runs_anywhere_without_predeclared_prefixes(query):
    # A bare store with no prefixes: what a foreign endpoint sees.
    ox.Store().query(query.text)


@pytest.mark.parametrize("query", [q for q in QUERIES if q.parameters], ids=lambda q: q.name)
def test_each_parameter_is_a_result_column_and_has_an_example(query):
    head = query.text[: ql.where_body_offset(query.text)]
    for param in query.parameters:
        if "SELECT" in head.upper():
            assert re.search(rf"\?{param.name}\b", head), f"{query.name}: ?{param.name} is not projected"
    assert query.examples, f"{query.name} has parameters but no '# example:' line"
    for example in query.example_params():
        assert set(example) <= {p.name for p in query.parameters}


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_examples_give_answers_on_the_fixture_graph(graph, query):
    for params in query.example_params() or [{}]:
        result = ql.run_named(graph, query.name, params)
        if isinstance(result, ox.QueryBoolean):
            assert bool(result) is True
        else:
            assert list(result), f"{query.name} {params} returned nothing"


@pytest.mark.parametrize("query", [q for q in QUERIES if q.parameters and "SELECT" in q.text], ids=lambda q: q.name)
def test_values_binding_matches_engine_substitution(graph, query):
    """The VALUES text path gives the same rows as pyoxigraph's own variable substitution."""
    for params in query.example_params():
        if any(len(v) > 1 for v in params.values()):
            continue
        bound = rows_from_ox(graph.store.query(ql.bind(query, params), use_default_graph_as_union=True))
        substitutions = {ox.Variable(k): ql.term_for(query.parameter(k), v[0]) for k, v in params.items()}
        engine = rows_from_ox(graph.store.query(query.text, use_default_graph_as_union=True,
                                                substitutions=substitutions))
        assert bound == engine


@pytest.mark.parametrize("query", [q for q in QUERIES if q.parameters and "SELECT" in q.text], ids=lambda q: q.name)
def test_bound_rows_carry_the_bound_value(graph, query):
    for params in query.example_params():
        result = ql.run_named(graph, query.name, params)
        names = [v.value for v in result.variables]
        rows = list(result)
        for key, values in params.items():
            wanted = {str(ql.term_for(query.parameter(key), v)) for v in values}
            if key in names:
                assert {str(row[key]) for row in rows} <= wanted


def test_programs_of_agency_counts_units_and_direct(graph):
    rows = ql.select_named(graph, "programs-of-agency", {"agency": "jst"})
    programs = {r["program"].rsplit("/", 1)[1] for r in rows}
    assert programs == {"mirai-kyoso", "sosei", "moonshot", "moonshot-goal-6"}


def test_multiple_values_for_one_parameter(graph):
    one = ql.select_named(graph, "measures-of-ministry-by-theme", {"ministry": "mext", "theme": ["ai"]})
    two = ql.select_named(graph, "measures-of-ministry-by-theme", {"ministry": "mext", "theme": ["ai", "quantum"]})
    assert len(one) == 1 and len(two) == 2


HOSTILE = ['x" } ; DROP ALL #', "x' } } INSERT DATA { <a:b> <a:c> <a:d> } #", 'a\\" }', "{ ?s ?p ?o }", "# }\n}"]


@pytest.mark.parametrize("value", HOSTILE)
def test_string_values_cannot_change_the_query(graph, value):
    query = BY_NAME["find-entity"]
    text = ql.bind(query, {"text": value})
    # The bound text differs from the original only by one VALUES line holding one literal.
    original = ql.strip_header(query.text)
    offset = ql.where_body_offset(original)
    inserted = text[offset:len(text) - (len(original) - offset)]
    assert inserted.startswith("\n  VALUES ?text { \"") and inserted.endswith("}")
    parsed = list(ox.parse(f"<a:s> <a:p> {inserted.strip()[len('VALUES ?text { '):-2]} .".encode(),
                           format=ox.RdfFormat.N_TRIPLES))
    assert parsed[0].object.value == value
    rows = ql.select_named(graph, "find-entity", {"text": value})
    assert all(r["text"] == value for r in rows)


def test_a_hostile_value_is_matched_as_plain_text(graph):
    rows = ql.select_named(graph, "find-entity", {"text": 'x" } ; DROP ALL #'})
    assert [r["entity"].rsplit("/", 1)[1] for r in rows] == ["quote-probe"]
    assert len(graph.store) > 0


@pytest.mark.parametrize("value", ["jst> } DROP ALL #", "j st", "http://a b", "http://a>", '"jst"', "jst}"])
def test_entity_values_that_are_not_ids_or_iris_are_refused(value):
    with pytest.raises(QueryError):
        ql.bind(BY_NAME["programs-of-agency"], {"agency": value})


def test_entity_labels_resolve_with_a_graph(graph):
    rows = ql.select_named(graph, "programs-of-agency", {"agency": "JST"})
    assert rows and {r["agency"] for r in rows} == {"https://w3id.org/stigraph/id/jst"}
    with pytest.raises(UnknownEntityError):
        ql.select_named(graph, "programs-of-agency", {"agency": "no such body"})


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("year", "令和3年度", '"2021"^^<http://www.w3.org/2001/XMLSchema#gYear>'),
    ("integer", "42", '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    ("theme", "ai", "<https://w3id.org/stigraph/id/theme/ai>"),
    ("class", "Agency", "<https://w3id.org/stigraph/ontology#Agency>"),
    ("relation", "subOrganizationOf", "<http://www.w3.org/ns/org#subOrganizationOf>"),
    ("budget-kind", "fund_size", "<https://w3id.org/stigraph/ontology#FundSize>"),
    ("iri", "https://ror.org/00097mb19", "<https://ror.org/00097mb19>"),
])
def test_parameter_kinds(kind, value, expected):
    assert str(ql.term_for(ql.Parameter("x", kind, False, ""), value)) == expected


@pytest.mark.parametrize(("kind", "value"), [("year", "soon"), ("integer", "4.2"), ("theme", "A I"),
                                              ("class", "agency; DROP"), ("relation", "likes"),
                                              ("budget-kind", "huge"), ("iri", "jst"), ("string", "  ")])
def test_bad_parameter_values(kind, value):
    with pytest.raises(QueryError, match="--param x="):
        ql.term_for(ql.Parameter("x", kind, False, ""), value)


def test_missing_required_and_unknown_parameters():
    with pytest.raises(QueryError, match="needs --param subject=VALUE"):
        ql.bind(BY_NAME["policy-basis-chain"], {})
    with pytest.raises(QueryError, match="has no parameter 'agencyy'; its parameters: agency"):
        ql.bind(BY_NAME["programs-of-agency"], {"agencyy": "jst"})
    with pytest.raises(QueryError, match="did you mean programs-of-agency"):
        ql.get_query("programs-of")


@pytest.mark.parametrize(("text", "marker"), [
    ("SELECT * WHERE { ?s ?p ?o }", "?s"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "?s ?p ?o }"),
    ("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } } }", "{ SELECT"),
    ('# SELECT * WHERE { ?a }\nSELECT ?x WHERE { FILTER("WHERE {" != ?x) }', "FILTER"),
    ("PREFIX e: <http://e/where#>\nSELECT ?where WHERE {\n ?where e:p ?o }", "?where e:p"),
])
def test_where_body_offset_finds_the_top_level_group(text, marker):
    offset = ql.where_body_offset(text)
    assert text[offset:].lstrip().startswith(marker)


def test_bound_text_leaves_the_header_out_unless_asked():
    query = BY_NAME["programs-of-agency"]
    assert not ql.bind(query, {"agency": "jst"}).startswith("#")
    assert ql.bind(query, {"agency": "jst"}, header=True).startswith("# title: Programs of an agency")


def test_sparqlwrapper_reads_every_bound_query_as_a_query():
    """SPARQLWrapper guesses the query form from the text; header words like "load" must not reach it."""
    from SPARQLWrapper import SPARQLWrapper

    wrapper = SPARQLWrapper("http://127.0.0.1:9/query")
    for query in QUERIES:
        params = (query.example_params() or [{}])[0]
        wrapper.setQuery(ql.bind(query, params))
        assert wrapper.queryType in ("SELECT", "CONSTRUCT", "ASK"), query.name
        assert wrapper.queryType in query.text, query.name


def test_where_body_offset_needs_a_where():
    with pytest.raises(QueryError):
        ql.where_body_offset("SELECT * { ?s ?p ?o }")


def test_header_problems_name_the_file(tmp_path):
    (tmp_path / "bad.rq").write_text("# title: x\n# answers: y?\n# colour: red\nSELECT * WHERE {}\n")
    with pytest.raises(QueryError, match=r"bad.rq:3: unknown header key 'colour'"):
        ql.list_queries(tmp_path)
    (tmp_path / "bad.rq").write_text("# title: x\n# answers: y?\n# param: who person\nSELECT ?who WHERE {}\n")
    with pytest.raises(QueryError, match="bad '# param: who person'"):
        ql.list_queries(tmp_path)
    (tmp_path / "bad.rq").write_text("# title: x\n# answers: y?\n# param: who entity\nSELECT ?x WHERE {}\n")
    with pytest.raises(QueryError, match="parameter 'who' is not a variable"):
        ql.list_queries(tmp_path)


# --- the replacement `stigraph query` command -----------------------------------------------------

@pytest.fixture(scope="module")
def query_cli():
    """A fresh group holding only the new query command (the shared group keeps main.py's until swapped)."""
    from stigraph.cli.interop_cmd import query_command
    from stigraph.cli.main import StigraphGroup

    group = StigraphGroup(name="stigraph")
    group.add_command(query_command)
    return group


@pytest.fixture(scope="module")
def built_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("querylib") / "store"
    build(path, registry=[REGISTRY], include_derived=False)
    return path


def run(cli, *args, store: Path | None = None):
    env = {"STIGRAPH_STORE": str(store)} if store else {}
    return CliRunner().invoke(cli, ["query", *args], env=env, catch_exceptions=False)


def test_cli_list(query_cli):
    result = run(query_cli, "--list")
    assert result.exit_code == 0
    assert "programs-of-agency" in result.output and "agency?" in result.output
    listed = run(query_cli, "--list", "--format", "json")
    assert '"name": "budget-history"' in listed.output


def test_cli_named_query_with_params(query_cli, built_store):
    result = run(query_cli, "programs-of-agency", "--param", "agency=jst", "--format", "csv", store=built_store)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("agency,program") and len(lines) == 5


def test_cli_named_construct_prints_turtle(query_cli, built_store):
    result = run(query_cli, "entity-neighbourhood", "-p", "entity=jst", store=built_store)
    assert result.exit_code == 0 and "科学技術振興機構" in result.output
    graph = list(ox.parse(result.output.encode(), format=ox.RdfFormat.TURTLE))
    assert len(graph) > 5


def test_cli_show_prints_bound_text(query_cli):
    result = run(query_cli, "find-entity", "--show", "-p", 'text=a"b')
    assert result.exit_code == 0
    assert 'VALUES ?text { "a\\"b" }' in result.output


def test_cli_string_and_file_still_work(query_cli, built_store, tmp_path):
    result = run(query_cli, "ASK { id:jst a stig:Agency }", store=built_store)
    assert result.output.strip() == "true"
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a stig:Fund }")
    result = run(query_cli, "-f", str(rq), "--format", "csv", store=built_store)
    assert result.output.split() == ["n", "4"]


@pytest.mark.parametrize(("args", "message"), [
    (["no-such-query"], "no named query 'no-such-query'"),
    (["programs-of-agency", "-p", "agency"], "write --param NAME=VALUE"),
    (["policy-basis-chain"], "needs --param subject=VALUE"),
    (["SELECT * WHERE {}", "-p", "a=b"], "--param and --show go with a named query"),
    (["programs-of-agency", "-p", "agency=jst> }"], "--param agency="),
])
def test_cli_errors_are_one_line_and_exit_1(query_cli, built_store, args, message):
    result = CliRunner().invoke(query_cli, ["query", *args], env={"STIGRAPH_STORE": str(built_store)})
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


# --- the bundled graph ----------------------------------------------------------------------------

@pytest.fixture(scope="session")
def bundled():
    from stigraph.builder.inputs import collect_quads
    from stigraph.sparql.graph import StiGraph

    try:
        return StiGraph.from_nquads(collect_quads())
    except UserError as exc:
        pytest.skip(f"the bundled registry does not load yet: {exc}")


@pytest.mark.slow
def test_every_query_runs_on_the_bundled_graph(bundled):
    answered = 0
    # The rs-* queries answer once review sheets are imported (tests/test_rs_mapping.py runs each on them).
    bundled_queries = [q for q in QUERIES if not q.name.startswith("rs-")]
    for query in bundled_queries:
        for params in query.example_params() or [{}]:
            result = ql.run_named(bundled, query.name, params)
            answered += bool(result) if isinstance(result, ox.QueryBoolean) else bool(list(result))
    assert answered >= 0.8 * sum(len(q.examples) or 1 for q in bundled_queries)
    assert {r["program"].rsplit("/", 1)[1] for r in ql.select_named(bundled, "programs-of-agency", {"agency": "jst"})} \
        >= {"moonshot"}


def test_the_interop_guide_names_real_queries_and_parameters():
    guide = (Path(__file__).resolve().parent.parent / "docs" / "interop.md").read_text(encoding="utf-8")
    found = re.findall(r"stigraph query ([a-z][a-z0-9-]+)((?: (?:-p|--param) [^\s`]+)*)", guide)
    assert len(found) >= 8
    for line in found:
        query = ql.get_query(line[0])
        params = ql.parse_params(re.findall(r"(?:-p|--param) ([^\s`]+)", line[1]))
        ql.bind(query, params)
