"""Which nodes a view shows: ego networks and the class/theme/year/org filters."""
from __future__ import annotations

import pytest

from stigraph.errors import UserError
from stigraph.views.compose import ViewOptions, projection, select
from stigraph.views.select import active_in, apply_filters, ego
from tests.browser.viewkit import fixture_graph


@pytest.fixture(scope="module")
def nxg():
    return projection(fixture_graph())


def _select(**kwargs) -> set:
    graph = fixture_graph()
    return set(select(graph, projection(graph), ViewOptions(**kwargs))[0])


def test_plain_ego_network_by_label_and_depth():
    """limit=None: the whole ego network, nothing ranked or folded (stigraph view --focus X --limit 0)."""
    assert _select(focus="科学技術振興機構", depth=0, limit=None) == {"jst"}
    first = _select(focus="JST", depth=1, limit=None)
    assert {"jst", "mext", "crds", "moonshot", "mirai-kyoso"} <= first and "meti" not in first
    assert first < _select(focus="JST", depth=2, limit=None)


def test_class_filter_is_case_insensitive_and_rejects_unknown_classes(nxg):
    assert {nxg.nodes[n]["class"] for n in apply_filters(nxg, classes=["agency"])} == {"Agency"}
    with pytest.raises(UserError, match="no node of class spaceship"):
        apply_filters(nxg, classes=["Spaceship"])


def test_theme_filter_keeps_tagged_entities_their_theme_and_context(nxg):
    kept = set(apply_filters(nxg, themes=["ai"]))
    assert {"moonshot", "moonshot-goal-3", "ai-robot-program", "medical-ai", "theme/ai"} <= kept
    assert {"jst", "amed"} <= kept                          # administering agencies give context
    assert "hydrogen-program" not in kept and "theme/health" not in kept
    with pytest.raises(UserError, match="unknown theme 'quantum'"):
        apply_filters(nxg, themes=["quantum"])


def test_year_filter_uses_budgets_periods_and_decisions(nxg):
    kept = set(apply_filters(nxg, years=[2021]))
    assert {"ai-robot-program", "medical-ai", "mirai-kyoso", "moonshot", "gi-fund", "basic-plan-6"} <= kept
    assert "hydrogen-program" not in kept                   # starts in FY2022
    assert "jst" in kept                                    # undated, next to an active program
    assert "hydrogen-program" in set(apply_filters(nxg, years=[2022]))
    assert "basic-plan-6" not in set(apply_filters(nxg, years=[2020]))
    assert active_in({"period_start": 2021, "period_end": 2023}, 2024) is False


def test_org_filter_follows_the_portfolio_towards_the_org(nxg):
    kept = set(apply_filters(nxg, orgs=["mext"]))
    assert {"mext", "jst", "amed", "crds", "moonshot", "medical-ai", "hydrogen-program"} <= kept
    assert "nedo" not in kept and "meti" not in kept
    with pytest.raises(UserError, match="--org 'nope'"):
        apply_filters(nxg, orgs=["nope"])


def test_filters_combine_with_and():
    # moonshot-goal-3 has no date of its own: kept as context of the active moonshot; xss-budget-line (a 2021
    # program) as context of ai-robot-program, which it overlaps; moonshot-goal-1 has only a 2022 figure: out.
    assert _select(classes=("Program",), themes=("ai",), years=(2021,)) == {
        "moonshot", "moonshot-goal-3", "ai-robot-program", "medical-ai", "xss-budget-line"}
    assert _select(classes=("Program",), themes=("energy-gx",), years=(2022,)) == {"hydrogen-program"}
    with pytest.raises(UserError, match="no node passes"):
        _select(classes=("Program",), themes=("energy-gx",), years=(2021,))


def test_focus_node_survives_filters_that_would_drop_it():
    assert "jst" in _select(focus="jst", depth=1, classes=("Program",))


def test_empty_selection_and_unknown_focus_are_user_errors(nxg):
    with pytest.raises(UserError, match="no node passes these filters"):
        _select(classes=("Unit",), themes=("health",))
    with pytest.raises(UserError, match="no entity with id or label"):
        _select(focus="no-such-thing")
    with pytest.raises(UserError, match="not a node"):
        ego(nxg, "no-such-thing")
