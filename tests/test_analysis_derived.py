"""Writing results back: inferred findings in their own named graph, never mixed with sourced facts."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pytest

from stigraph.api import write_back
from stigraph.graph.analysis import chokepoints, deps, derived_quads, landscape, ministries, overlaps
from stigraph.graph.analysis.derived import derived_graph_iri
from stigraph.builder.inputs import collect_quads
from stigraph.sparql.graph import StiGraph
from stigraph.graph.projection import to_networkx

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "registry_analysis"
STIG = "https://w3id.org/stigraph/ontology#"


@lru_cache(maxsize=1)
def base_chunks() -> tuple[bytes, ...]:
    return tuple(collect_quads([FIXTURE], include_derived=False))


@lru_cache(maxsize=1)
def fixture_stigraph() -> StiGraph:
    return StiGraph.from_nquads(base_chunks())


RESULTS = {
    "deps": lambda g: deps(g, "moonshot", "up"),
    "chokepoints": lambda g: chokepoints(g, top=5),
    "overlaps": lambda g: overlaps(g),
    "ministries": lambda g: ministries(g),
    "landscape": lambda g: landscape(g, top=3),
}


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_every_analysis_writes_findings_into_its_own_graph(name):
    data = derived_quads(RESULTS[name](fixture_stigraph()))
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    assert quads and {q.graph_name.value for q in quads} == {derived_graph_iri(name)}
    findings = {q.subject.value for q in quads if q.predicate.value.endswith("#type") and q.object.value == STIG + "Finding"}
    assert findings
    sources = {q.subject.value: q.object.value for q in quads if q.predicate.value == STIG + "source"}
    assert set(sources) == findings and len(set(sources.values())) == 1
    kinds = {q.object.value for q in quads if q.predicate.value == STIG + "provenanceKind"}
    assert kinds == {STIG + "Inferred"}
    assert data == derived_quads(RESULTS[name](fixture_stigraph()))     # same graph, same bytes


def test_overlap_findings_carry_score_evidence_and_both_entities():
    graph = StiGraph.from_nquads(list(base_chunks()) + [derived_quads(overlaps(fixture_stigraph()))])
    rows = graph.select(f"""SELECT ?kind ?score ?a ?b WHERE {{ GRAPH <{derived_graph_iri("overlaps")}> {{
        ?f stig:findingKind ?kind ; stig:score ?score ; stig:findingSubject ?a ; stig:findingObject ?b ;
           stig:evidence ?e . FILTER(CONTAINS(?e, "000_e5eefd47d6133f4f.txt:24")) }} }}""")
    assert {(r["kind"], r["a"].rsplit("/", 1)[-1], r["b"].rsplit("/", 1)[-1]) for r in rows} == {
        ("stated", "mext-health-rd", "research-misconduct-response")}
    count = graph.select(f"SELECT (COUNT(?f) AS ?n) WHERE {{ GRAPH <{derived_graph_iri('overlaps')}> {{ ?f a stig:Finding }} }}")
    assert count[0]["n"] == len(overlaps(fixture_stigraph()).overlaps)


def test_derived_facts_never_become_sourced_relations():
    combined = StiGraph.from_nquads(list(base_chunks()) + [derived_quads(r(fixture_stigraph())) for r in RESULTS.values()])
    before, after = to_networkx(fixture_stigraph()), to_networkx(combined)
    assert sorted(before.edges(keys=True)) == sorted(after.edges(keys=True))
    assert overlaps(combined).as_dict() == overlaps(fixture_stigraph()).as_dict()
    stated = combined.select("SELECT ?a ?b WHERE { ?a stig:overlapsWith ?b }")
    assert len(stated) == 2     # the two stated in the fixture, nothing inferred


def test_budget_rollups_are_written_with_exact_amounts():
    data = derived_quads(landscape(fixture_stigraph())).decode("utf-8")
    assert '"15540000000"^^<http://www.w3.org/2001/XMLSchema#decimal>' in data


def test_not_a_result_is_a_type_error():
    with pytest.raises(TypeError):
        derived_quads({"overlaps": []})


@pytest.mark.slow
def test_write_back_adds_an_input_per_analysis_and_keeps_the_custom_registry(tmp_path):
    from stigraph.builder.operations import build

    store = tmp_path / "store"
    build(store, registry=[FIXTURE], include_derived=False)
    write_back([overlaps(StiGraph.open(store))], store=store)
    write_back([ministries(StiGraph.open(store))], store=store)
    rows = StiGraph.open(store).select(
        "SELECT ?g (COUNT(?f) AS ?n) WHERE { GRAPH ?g { ?f a stig:Finding } } GROUP BY ?g ORDER BY ?g")
    assert [(r["g"].rsplit("/", 1)[-1], r["n"]) for r in rows] == [("ministries", 8), ("overlaps", 13)]
    # A second write-back of the same analysis replaces its graph instead of adding to it.
    write_back([overlaps(StiGraph.open(store), min_score=0.8)], store=store)
    overlaps_graph = derived_graph_iri("overlaps")
    rows = StiGraph.open(store).select(f"SELECT (COUNT(?f) AS ?n) WHERE {{ GRAPH <{overlaps_graph}> {{ ?f a stig:Finding }} }}")
    assert rows[0]["n"] == 8
    # The registry given to the first build is still the one in use, and nothing else was reloaded.
    from stigraph.api import inputs

    registry = next(i for i in inputs(store) if i.name == "registry")
    assert registry.sources == [str(FIXTURE.resolve())] and not registry.options["bundled"]
    assert [i.name for i in inputs(store)] == ["ontology", "registry", "findings/overlaps", "findings/ministries"]
