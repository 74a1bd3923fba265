"""Landscape: centrality per class, seeded communities, budget roll-ups with year-over-year change."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from stigraph.graph.analysis import landscape
from stigraph.graph.analysis.budgets import budget_rollups
from stigraph.graph.analysis.landscape import format_landscape
from stigraph.builder.inputs import collect_quads
from stigraph.sparql.graph import StiGraph
from stigraph.graph.projection import to_networkx

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "registry_analysis"


@lru_cache(maxsize=1)
def fixture_stigraph() -> StiGraph:
    return StiGraph.from_nquads(collect_quads([FIXTURE], include_derived=False))


def test_centrality_by_class():
    result = landscape(fixture_stigraph(), top=3)
    assert [e["id"] for e in result.centrality["Agency"]] == ["jst", "amed", "nedo"]
    jst = result.centrality["Agency"][0]
    assert jst["degree"] == 13 and 0 < jst["pagerank"] < 1 and "betweenness" in jst
    assert result.centrality["Ministry"][0]["id"] == "mext"
    assert all(len(v) <= 3 for v in result.centrality.values())


def test_betweenness_is_exact_then_estimated_then_skipped_as_graphs_grow():
    assert not landscape(fixture_stigraph()).notes                       # small: exact
    estimated = landscape(fixture_stigraph(), betweenness_exact_max_nodes=10)
    assert "betweenness" in estimated.centrality["Agency"][0]
    assert any("betweenness estimated from" in n and "(seed 42)" in n for n in estimated.notes)
    skipped = landscape(fixture_stigraph(), betweenness_exact_max_nodes=10, betweenness_sampled_max_nodes=20)
    assert "betweenness" not in skipped.centrality["Agency"][0]
    assert any("betweenness skipped" in n for n in skipped.notes)
    sampled = landscape(fixture_stigraph(), betweenness_exact_max_nodes=10, betweenness_samples=20, seed=3)
    assert "betweenness" in sampled.centrality["Agency"][0]
    assert sampled.as_dict() == landscape(fixture_stigraph(), betweenness_exact_max_nodes=10,
                                          betweenness_samples=20, seed=3).as_dict()


def test_communities_are_seeded_and_described():
    first = landscape(fixture_stigraph(), seed=42).communities
    assert first == landscape(fixture_stigraph(), seed=42).communities
    graph = to_networkx(fixture_stigraph())
    non_themes = sum(1 for _, d in graph.nodes(data=True) if d["class"] != "Theme")
    assert sum(c["size"] for c in first) <= non_themes and all(c["size"] >= 2 for c in first)
    assert not any(m.startswith("theme/") for c in first for m in c["members"])   # themes describe, not join
    jst_community = next(c for c in first if "jst" in c["members"])
    assert jst_community["organizations"][0]["id"] == "jst"
    assert jst_community["themes"]


def test_budget_rollups_by_year_never_mix_kinds():
    # Updated for issue 17: kinds are no longer merged into an "annual" family, so the FY2021 draft total is
    # not compared with the FY2020 initial one (year-over-year compares one kind; see test_budget_rule.py).
    rollups = budget_rollups(fixture_stigraph(), to_networkx(fixture_stigraph()))
    rows = {(r["kind"], r["fiscal_year"]): r for r in rollups.by_year}
    # fixture programs.yaml: draft lines 44 (Moonshot 100億), 55 (3,105百万), 57 (737百万), 59 (1,561百万), 19 (137百万);
    # goal 1 (45) and goal 7 (47) are inside Moonshot, the JSPS/AMED shares (70, 71) inside line 19.
    assert rows[("draft", 2021)]["amount_yen"] == 15_540_000_000 and rows[("draft", 2021)]["figures"] == 5
    # their previous-year figures: 80億 + 3,005 + 595 + 1,516 + 120 百万円
    assert rows[("initial", 2020)]["amount_yen"] == 13_236_000_000
    assert all(r["change_pct"] is None and r["compared_entities"] == 0 for r in rows.values() if r["kind"] != "fund_size")
    assert rollups.left_out_included_in == 1       # the 内数 figure is not added on top


def test_budget_rollups_do_not_count_nested_lines_twice():
    rollups = budget_rollups(fixture_stigraph(), to_networkx(fixture_stigraph()))
    jst_2021 = next(r for r in rollups.by_organization if (r["group"], r["kind"], r["fiscal_year"]) == ("jst", "draft", 2021))
    # Moonshot 100億 + 未来共創 3,105百万; goal 1 (30億) is inside Moonshot, CRDS and RISTEX lines belong to their units.
    assert jst_2021["amount_yen"] == 13_105_000_000 and jst_2021["entities"] == 2
    amed = [r for r in rollups.by_organization if r["group"] == "amed"]
    assert [(r["fiscal_year"], r["amount_yen"]) for r in amed] == [(2021, 1_000_000_000)]   # goal 7: AMED's own


def test_budget_rollups_by_theme_and_fund_sizes():
    rollups = budget_rollups(fixture_stigraph(), to_networkx(fixture_stigraph()))
    themes = {(r["group"], r["kind"], r["fiscal_year"]): r for r in rollups.by_theme}
    assert themes[("theme/society", "draft", 2021)]["amount_yen"] == 5_403_000_000
    # the fiscal loan (4兆円) is part of the starting principal (4.5兆円): the whole, not the sum
    assert themes[("theme/universities", "fund_size", 2021)]["amount_yen"] == 4_500_000_000_000
    # 5,000億円 (FY2020) -> 4.5兆円 (FY2021), the same one entity in both years
    assert themes[("theme/universities", "fund_size", 2021)]["compared_entities"] == 1
    assert themes[("theme/universities", "fund_size", 2021)]["change_pct"] == 800.0


def test_a_projection_alone_skips_budgets_with_a_note():
    result = landscape(to_networkx(fixture_stigraph()))
    assert result.budgets is None and any("budget roll-ups skipped" in n for n in result.notes)


def test_text_output():
    text = format_landscape(landscape(fixture_stigraph(), top=2))
    for heading in ("central entities by class", "communities (Louvain)", "budget by fiscal year",
                    "budget by organization", "budget by theme"):
        assert heading in text
    assert "15,540,000,000" in text and "same entities" in text and "+800.0%" in text
