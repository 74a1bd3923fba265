"""Ministries: shares of the strategy's measures, co-responsible pairs, cross-ministry mentions."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import networkx as nx

from stigraph.graph.analysis import ministries
from stigraph.graph.analysis.ministries import format_ministries
from stigraph.builder.inputs import collect_quads
from stigraph.sparql.graph import StiGraph
from stigraph.graph.projection import to_networkx

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "registry_analysis"


@lru_cache(maxsize=1)
def fixture_graph() -> nx.MultiDiGraph:
    return to_networkx(StiGraph.from_nquads(collect_quads([FIXTURE], include_derived=False)))


def test_each_ministrys_share_of_the_measures():
    result = ministries(fixture_graph())
    assert result.measures_total == 8
    assert [(s["ministry"], s["measures"], s["share"], s["sole"]) for s in result.shares] == [
        ("mext", 5, 0.625, 1), ("cao-sti", 4, 0.5, 1), ("meti", 3, 0.375, 1), ("mhlw", 1, 0.125, 1)]


def test_generic_responsibility_tags_are_counted_apart_from_ministries():
    result = ministries(fixture_graph())
    assert result.other_responsible == [{"id": "all-relevant-ministries", "label": "関係府省", "class": "Organization",
                                         "measures": 1}]
    assert "all-relevant-ministries" not in {p["a"] for p in result.pairs} | {p["b"] for p in result.pairs}


def test_pairs_count_shared_measures_and_name_their_themes():
    result = ministries(fixture_graph())
    assert [(p["a"], p["b"], p["measures"]) for p in result.pairs] == [
        ("cao-sti", "mext", 3), ("meti", "mext", 2), ("cao-sti", "meti", 1)]
    top = result.pairs[0]
    assert top["measure_ids"] == ["measure-0001", "measure-0002", "measure-0006"]
    assert top["themes"][0] == {"theme": "theme/research-integrity", "label": "研究公正・研究セキュリティ", "measures": 2}
    assert top["jaccard"] == 0.5


def test_measures_naming_a_program_run_under_another_ministry():
    [cross] = ministries(fixture_graph()).cross_mentions
    assert cross == {
        "measure": "measure-0005", "measure_label": "AIの研究開発の加速", "measure_ministries": ["meti"],
        "program": "moonshot-goal-1", "program_label": "ムーンショット目標1", "run_by": ["jst"],
        "run_by_ministries": ["mext"], "source": "003_1fe72c798f52d037.txt:1040"}


def test_a_ministry_counts_as_itself_and_its_parents():
    # measure-0004 (MHLW) names Moonshot goal 7, run by AMED under the Cabinet Office and MHLW: not a cross mention.
    assert "measure-0004" not in {c["measure"] for c in ministries(fixture_graph()).cross_mentions}


def test_a_graph_without_measures_gives_empty_results():
    result = ministries(nx.MultiDiGraph())
    assert (result.measures_total, result.shares, result.pairs, result.cross_mentions) == (0, [], [], [])


def test_text_output():
    text = format_ministries(ministries(fixture_graph()))
    assert text.startswith("8 measures with responsible ministries\n(also named as responsible: all-relevant-ministries 1)")
    assert "co-responsible pairs (3)" in text and "measures naming another ministry's program (1)" in text
