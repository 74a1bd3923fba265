"""Analysis views from plain inputs, the adapters' accepted shapes, and the stand-in analyses."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

import networkx as nx
import pytest

from stigraph.errors import UserError
from stigraph.views import (
    Chokepoint, DepStep, MinistryPair, OverlapPair, analysis_view, chokepoints_view, deps_view, ministries_view,
    overlaps_view,
)
from stigraph.views.analysis_views import (
    as_chokepoints, as_dep_steps, as_ministry_pairs, as_overlap_pairs, ministry_totals,
)
from stigraph.views.compose import projection
from tests.browser.viewkit import XSS_LABELS, fixture_graph


def _data(html: str) -> dict:
    return json.loads(re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', html, re.S).group(1))


@pytest.fixture(scope="module")
def nxg():
    return projection(fixture_graph())


@dataclass
class Step:  # the shape an analysis package might return
    subject: str
    predicate: str
    object: str
    source: str


def test_adapters_accept_tuples_dicts_objects_and_containers():
    expected = [DepStep("p", "administeredBy", "jst", "f:1")]
    assert as_dep_steps([("p", "administeredBy", "jst", "f:1")]) == expected
    assert as_dep_steps({"steps": [{"parent": "p", "predicate": "administeredBy", "child": "jst", "source": "f:1"}]}) == expected
    assert as_dep_steps([Step("https://w3id.org/stigraph/id/p", "administeredBy", "jst", "f:1")]) == expected
    tree = nx.DiGraph()
    tree.add_edge("p", "jst", predicate="administeredBy", source="f:1")
    assert as_dep_steps(tree) == expected
    assert as_overlap_pairs([("a", "b", 0.5, ["x", "y"])]) == [OverlapPair("a", "b", 0.5, ("x", "y"))]
    assert as_ministry_pairs([{"a": "mext", "b": "meti", "count": 2}]) == [MinistryPair("mext", "meti", 2)]
    assert as_chokepoints(type("R", (), {"ranking": [{"node": "jst", "score": 3}]})()) == [Chokepoint("jst", 3.0)]


def test_deps_view_lays_the_tree_out_by_depth(nxg):
    steps = [("moonshot-goal-3", "partOf", "moonshot", "a:1"), ("moonshot", "administeredBy", "jst", "a:2"),
             ("jst", "underJurisdictionOf", "mext", "a:3")]
    result = deps_view(nxg, "moonshot-goal-3", steps, "deps")
    nodes = {n["id"]: n for n in _data(result.html)["nodes"]}
    assert (result.nodes, result.edges) == (4, 3)
    assert nodes["moonshot-goal-3"]["x"] < nodes["moonshot"]["x"] < nodes["jst"]["x"] < nodes["mext"]["x"]
    assert nodes["moonshot-goal-3"]["borderWidth"] == 4     # the root is highlighted
    assert "Dependency walk from moonshot-goal-3" in result.html


def test_overlaps_view_puts_scores_on_edges_and_reasons_in_tooltips(nxg):
    result = overlaps_view(nxg, [("moonshot-goal-3", "ai-robot-program", 0.75, ["same theme ai", XSS_LABELS[1]])])
    edge = _data(result.html)["edges"][0]
    assert edge["width"] == 4.75 and "why: same theme ai" in edge["title"] and "score 0.750" in edge["title"]
    assert XSS_LABELS[1] not in result.html
    assert overlaps_view(nxg, [("a", "b", 0.2, [])], min_score=0.5).nodes == 0


def test_ministries_view_weights_edges_by_shared_measures(nxg):
    result = ministries_view(nxg, {("mext", "mhlw"): 4, ("mext", "meti"): 1})
    data = _data(result.html)
    assert sorted(e["label"] for e in data["edges"]) == ["1", "4"]
    sizes = {n["id"]: n["size"] for n in data["nodes"]}
    assert sizes["mext"] > sizes["mhlw"] > sizes["meti"]
    assert "node size: shared measures" in result.html


def test_chokepoints_view_rings_the_top_nodes_and_keeps_their_neighbours(nxg):
    result = chokepoints_view(nxg, [("jst", 0.4, "cut vertex"), ("unknown-node", 0.3), ("csti", 0.1)], top=2)
    nodes = {n["id"]: n for n in _data(result.html)["nodes"]}
    assert nodes["jst"]["borderWidth"] == 4 and "choke point #1: score 0.4 (cut vertex)" in nodes["jst"]["title"]
    assert "csti" in nodes and "crds" in nodes and "hydrogen-program" not in nodes
    with pytest.raises(UserError, match="ranking is empty"):
        chokepoints_view(nxg, [])


def test_adapters_read_the_analysis_package_results(nxg):
    from stigraph.graph import analysis

    down = as_dep_steps(analysis.deps(nxg, "jst", "down"))
    step = next(x for x in down if x.child == "moonshot" and x.predicate == "administeredBy")
    assert (step.parent, step.reverse) == ("jst", True)   # moonshot administeredBy jst, walked downwards
    up = as_dep_steps(analysis.deps(nxg, "moonshot", "up"))
    assert DepStep("moonshot", "administeredBy", "jst", "000_e5eefd47d6133f4f.txt:12") in up
    pairs = as_overlap_pairs(analysis.overlaps(nxg))
    stated = next(p for p in pairs if {p.a, p.b} == {"ai-robot-program", "moonshot-goal-3"})
    assert stated.kind == "stated" and stated.reasons
    result = analysis.ministries(nxg)
    assert MinistryPair("mext", "mhlw", 2, ("measure-ai-health", "measure-health-data")) in as_ministry_pairs(result)
    assert ministry_totals(result)["mext"] == 4
    ranking = as_chokepoints(analysis.chokepoints(nxg))
    assert ranking and ranking[0].score > 0 and "program" in ranking[0].reason


def test_deps_view_draws_downward_walks_with_the_relations_own_direction(nxg):
    from stigraph.graph import analysis

    result = deps_view(nxg, "jst", analysis.deps(nxg, "jst", "down", depth=1))
    edge = next(e for e in _data(result.html)["edges"] if e["pred"] == "administeredBy" and "moonshot" in (e["from"], e["to"]))
    assert (edge["from"], edge["to"]) == ("moonshot", "jst")


@pytest.mark.parametrize("name, entity", [("deps", "moonshot"), ("overlaps", None), ("ministries", None),
                                          ("chokepoints", None)])
def test_analysis_view_end_to_end(name, entity):
    result = analysis_view(fixture_graph(), name, entity)
    assert result.nodes > 0 and result.nodes == len(_data(result.html)["nodes"])


def test_analysis_view_errors():
    with pytest.raises(UserError, match="needs an entity"):
        analysis_view(fixture_graph(), "deps")
    with pytest.raises(UserError, match="unknown analysis"):
        analysis_view(fixture_graph(), "magic")
