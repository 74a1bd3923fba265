"""Dependencies (stigraph deps): walking up and down with predicates and source lines."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import networkx as nx
import pytest

from stigraph.errors import UnknownEntityError, UserError
from stigraph.graph.analysis import deps
from stigraph.graph.analysis.deps import format_tree
from stigraph.builder.inputs import collect_quads
from stigraph.sparql.graph import StiGraph
from stigraph.graph.projection import to_networkx

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "registry_analysis"


@lru_cache(maxsize=1)
def fixture_graph() -> nx.MultiDiGraph:
    return to_networkx(StiGraph.from_nquads(collect_quads([FIXTURE], include_derived=False)))


def test_up_from_moonshot_reaches_its_agency_council_cabinet_office_fund_and_policy():
    result = deps(fixture_graph(), "moonshot", "up")
    reached = result.reached()
    assert {"jst", "csti", "cao", "moonshot-fund", "moonshot-decision", "mext"} <= set(reached)
    first = {s.node: s for s in result.steps if not s.repeat}
    assert (first["jst"].predicate, first["jst"].depth) == ("administeredBy", 1)
    assert first["jst"].source == "000_e5eefd47d6133f4f.txt:40"
    assert (first["cao"].parent, first["cao"].predicate) == ("csti", "subOrganizationOf")
    assert first["cao"].source.startswith("curated: Act for Establishment of the Cabinet Office")


def test_down_from_jst_lists_its_units_and_programs_first():
    result = deps(fixture_graph(), "jst", "down", depth=1)
    depth_one = {s.node: s.predicate for s in result.steps if s.depth == 1}
    assert {u: depth_one[u] for u in ("crds", "ristex", "fund-dept")} == dict.fromkeys(("crds", "ristex", "fund-dept"),
                                                                                     "subOrganizationOf")
    for program in ("moonshot", "mirai-kyoso", "doctoral-support", "jst-integrity-portal", "jst-startup-program"):
        assert depth_one[program] == "administeredBy"
    assert depth_one["research-integrity-promotion"] == "participatesIn"   # JST takes part: the program leans on it
    assert max(s.depth for s in result.steps) == 1


def test_down_without_limit_goes_through_units_funds_and_sub_programs():
    reached = set(deps(fixture_graph(), "jst", "down").reached())
    assert {"crds-program", "ristex-program", "university-fund", "intl-research-universities",
            "moonshot-goal-1", "moonshot-goal-7"} <= reached
    assert "mext" not in reached and "nedo-startup-program" not in reached


def test_down_from_the_university_fund_reaches_what_it_pays_for():
    result = deps(fixture_graph(), "大学ファンド", "down")       # resolved by its Japanese label
    assert result.root == "university-fund"
    assert result.reached() == ["doctoral-support", "intl-research-universities"]
    assert {s.predicate for s in result.steps} == {"fundedBy"}


def test_repeated_nodes_are_listed_once_and_marked_as_repeats():
    result = deps(fixture_graph(), "moonshot", "up")
    assert len(result.reached()) == len(set(result.reached()))
    repeats = [s for s in result.steps if s.repeat]
    assert ("moonshot-fund", "jst", "managedBy") in {(s.parent, s.node, s.predicate) for s in repeats}


def test_tree_text_shows_predicates_directions_and_sources():
    text = format_tree(deps(fixture_graph(), "jst", "down", depth=2))
    assert text.splitlines()[0] == "jst  科学技術振興機構 [Agency]  (what depends on it)"
    assert "├─ ← administeredBy doctoral-support  博士後期課程学生支援 [Program]  (000_e5eefd47d6133f4f.txt:53)" in text
    assert "participatesIn → research-integrity-promotion" in text
    assert "(listed elsewhere in this tree)" in text


def test_as_dict_is_plain_json_data():
    import json

    data = deps(fixture_graph(), "university-fund", "down").as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["reached"] == 2 and data["steps"][0]["predicate"] == "fundedBy"


def test_results_are_deterministic():
    assert deps(fixture_graph(), "jst", "down").as_dict() == deps(fixture_graph(), "jst", "down").as_dict()


def test_a_stigraph_and_its_projection_give_the_same_walk():
    graph = StiGraph.from_nquads(collect_quads([FIXTURE], include_derived=False))
    assert deps(graph, "moonshot").as_dict() == deps(fixture_graph(), "moonshot").as_dict()


def test_an_entity_without_dependencies_gives_an_empty_walk():
    result = deps(fixture_graph(), "cabinet", "up")
    assert result.reached() == []
    assert "nothing" in format_tree(result)


@pytest.mark.parametrize("kwargs, message", [
    ({"entity": "nosuch"}, "no entity with id or label 'nosuch'"),
    ({"entity": "moonshot", "direction": "sideways"}, "unknown direction"),
    ({"entity": "moonshot", "depth": 0}, "depth must be at least 1"),
])
def test_bad_requests_are_user_errors(kwargs, message):
    with pytest.raises(UserError, match=message):
        deps(fixture_graph(), **kwargs)


def test_labels_that_match_several_entities_are_ambiguous():
    g = nx.MultiDiGraph()
    g.add_node("a", label_ja="同名", alt_labels="")
    g.add_node("b", label_ja="同名", alt_labels="")
    with pytest.raises(UnknownEntityError, match="ambiguous: a, b"):
        deps(g, "同名")
