"""Choke points: dominators per support layer, articulation points, exact top-k ranking."""
from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

import networkx as nx
import pytest

from stigraph.errors import UserError
from stigraph.graph.analysis import chokepoints
from stigraph.graph.analysis._algorithms import articulation_points, immediate_dominators
from stigraph.graph.analysis.chokepoints import format_chokepoints
from stigraph.builder.inputs import collect_quads
from stigraph.sparql.graph import StiGraph
from stigraph.graph.projection import to_networkx

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "registry_analysis"


@lru_cache(maxsize=1)
def fixture_graph() -> nx.MultiDiGraph:
    return to_networkx(StiGraph.from_nquads(collect_quads([FIXTURE], include_derived=False)))


def by_id(result):
    return {c.id: c for c in result.chokepoints}


def test_ranking_of_the_fixture():
    result = chokepoints(fixture_graph(), top=5)
    assert [(c.id, c.programs_cut) for c in result.chokepoints] == [
        ("mext", 14), ("jst", 10), ("misconduct-guideline", 5), ("csti", 4), ("moonshot-fund", 4)]
    assert result.programs_total == 17
    assert [c.rank for c in result.chokepoints] == [1, 2, 3, 4, 5]


def test_a_fund_cuts_exactly_the_programs_it_alone_pays_for():
    fund = by_id(chokepoints(fixture_graph(), top=30))["university-fund"]
    assert fund.by_layer == {"administration": 0, "funding": 2, "policy": 0}
    assert [(p["id"], p["layers"]) for p in fund.programs] == [
        ("doctoral-support", ["funding"]), ("intl-research-universities", ["funding"])]


def test_an_agency_cuts_programs_in_several_layers_but_counts_each_once():
    jst = by_id(chokepoints(fixture_graph(), top=30))["jst"]
    assert jst.by_layer["administration"] == 9 and jst.by_layer["funding"] == 7
    assert jst.programs_cut == 10 == len(jst.programs)
    moonshot = next(p for p in jst.programs if p["id"] == "moonshot")
    assert moonshot["layers"] == ["administration", "funding"]    # runs it, and manages its fund


def test_a_program_with_another_path_is_not_cut_in_that_layer():
    cut = {p["id"]: p["layers"] for p in by_id(chokepoints(fixture_graph(), top=30))["jst"].programs}
    # research-integrity-promotion is run by JST together with JSPS and AMED (and sits under a MEXT line)
    assert "research-integrity-promotion" not in cut
    # Goal 7 is administered by AMED, but its money still comes only through JST's Moonshot fund.
    assert cut["moonshot-goal-7"] == ["funding"]


def test_articulation_points_are_flagged():
    result = chokepoints(fixture_graph(), top=30)
    assert result.articulation_points == ["amed", "cao", "jst", "nedo", "strategy-2023"]
    assert by_id(result)["jst"].articulation_point and not by_id(result)["mext"].articulation_point


def test_layers_can_be_chosen_and_unknown_ones_are_user_errors():
    result = chokepoints(fixture_graph(), top=3, layers=("funding",))
    assert [c.id for c in result.chokepoints] == ["jst", "moonshot-fund", "jst-operating-grant"]
    with pytest.raises(UserError, match="unknown layer 'money'"):
        chokepoints(fixture_graph(), layers=("money",))


def test_cycles_without_a_way_in_still_get_dominators():
    g = nx.MultiDiGraph()
    for node, cls in (("p1", "Program"), ("p2", "Program"), ("org", "Agency")):
        g.add_node(node, **{"class": cls}, label_ja=node)
    g.add_edge("p1", "p2", key="partOf")
    g.add_edge("p2", "p1", key="partOf")
    g.add_edge("p1", "org", key="administeredBy")
    result = chokepoints(g, top=5, layers=("administration",))
    assert [(c.id, c.programs_cut) for c in result.chokepoints] == [("org", 2)]


def test_table_and_dict_output():
    result = chokepoints(fixture_graph(), top=2)
    text = format_chokepoints(result)
    assert "mext" in text and "(2 choke points; 17 programs in the graph)" in text
    data = result.as_dict()
    assert data["chokepoints"][0]["class"] == "Ministry" and data["layers"]["funding"] == ["fundedBy", "managedBy", "partOf"]


def _random_digraph(seed: int, n: int = 40, m: int = 90) -> list[list[int]]:
    rng = random.Random(seed)
    succ = [[] for _ in range(n)]
    for _ in range(m):
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            succ[a].append(b)
    return succ


@pytest.mark.parametrize("seed", range(25))
def test_dominators_match_networkx(seed):
    succ = _random_digraph(seed)
    g = nx.DiGraph()
    g.add_nodes_from(range(len(succ)))
    g.add_edges_from((a, b) for a, targets in enumerate(succ) for b in targets)
    expected = {v: d for v, d in nx.immediate_dominators(g, 0).items() if v != 0}  # networkx 3.6 drops the root
    ours = immediate_dominators(succ, 0)
    assert ours[0] == 0
    assert {v: d for v, d in enumerate(ours) if d != -1 and v != 0} == expected


@pytest.mark.parametrize("seed", range(25))
def test_articulation_points_match_networkx(seed):
    succ = _random_digraph(seed, n=30, m=40)
    g = nx.Graph()
    g.add_nodes_from(range(len(succ)))
    g.add_edges_from((a, b) for a, targets in enumerate(succ) for b in targets)
    adjacency = [list(g.neighbors(v)) for v in range(len(succ))]
    assert articulation_points(adjacency) == set(nx.articulation_points(g))


def test_top_k_is_exact_and_stable_on_a_random_graph():
    rng = random.Random(7)
    g = nx.MultiDiGraph()
    orgs = [f"org-{i}" for i in range(8)]
    for o in orgs:
        g.add_node(o, **{"class": "Agency"}, label_ja=o)
    for i in range(60):
        p = f"p-{i:02d}"
        g.add_node(p, **{"class": "Program"}, label_ja=p)
        for o in rng.sample(orgs, rng.choice((1, 1, 2))):
            g.add_edge(p, o, key="administeredBy")
    full = chokepoints(g, top=len(orgs))
    top3 = chokepoints(g, top=3)
    assert [c.id for c in top3.chokepoints] == [c.id for c in full.chokepoints[:3]]
    sizes = [c.programs_cut for c in full.chokepoints]
    assert sizes == sorted(sizes, reverse=True)
    for c in full.chokepoints:   # each program cut has only this org as administrator
        for p in c.programs:
            assert [v for _, v in g.out_edges(p["id"])] == [c.id]
