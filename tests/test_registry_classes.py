"""Classes and labels of the bundled registry are consistent across the seeds (issue 17)."""
from __future__ import annotations

import re

from stigraph.loaders.registry.schema import default_registry_dir, load_registry

REGISTRY = load_registry([default_registry_dir()])


def test_budget_lines_are_never_measures() -> None:
    """A line of a budget document is a Program (or a fund or account) in every seed, not a Measure."""
    with_budget = {f.entity for f in REGISTRY.facts if f.budgets}
    measures = sorted(i for i in with_budget if REGISTRY.entities[i].cls == "Measure")
    assert measures == []


def test_events_and_initiatives_have_their_own_class() -> None:
    for ident in ("rd20", "icef", "green-innovation-summit", "zero-emission-initiatives", "cop26", "g7", "tcfd-summit"):
        assert REGISTRY.entities[ident].cls == "Initiative", ident


def test_moonshot_goals_are_labelled_by_their_titles() -> None:
    goals = {i: e for i, e in REGISTRY.entities.items() if re.fullmatch(r"moonshot-goal-\d+", i)}
    assert goals
    for ident, entity in goals.items():
        assert not re.fullmatch(r"目標\s*\d+", entity.ja), f"{ident}: ja label is a number, not the goal's title"
        assert len(entity.ja) > 10 and entity.en.startswith(f"Moonshot Goal {ident.rsplit('-', 1)[1]}:")
