"""Every fact of the bundled registry stands on the seed line it cites (when ../shared/seeds is present)."""
from __future__ import annotations

from functools import lru_cache

import pytest

from stigraph.loaders.registry.schema import Source, default_registry_dir, load_registry
from stigraph.loaders.text import compact

from .conftest import SEEDS, needs_seeds

WINDOW = 3  # the label must stand within this many lines of the cited one


@lru_cache(maxsize=None)
def seed_lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").split("\n")


def window(source: Source) -> str:
    lines = seed_lines(source.file)  # type: ignore[arg-type]
    assert source.line <= len(lines), f"{source.file} has {len(lines)} lines, cited {source.line}"
    last = source.line_end or source.line
    return compact("".join(lines[max(0, source.line - 1 - WINDOW): last + WINDOW]))


REGISTRY = load_registry([default_registry_dir()])


def _entity_sources():
    names: dict[str, list[str]] = {}
    for ident, entity in REGISTRY.entities.items():
        names[ident] = [entity.ja, entity.en]
    for fact in REGISTRY.facts:
        names[fact.entity] += fact.alt
    for fact in REGISTRY.facts:
        for source in fact.sources:
            yield pytest.param(fact.entity, source, names[fact.entity], id=f"{fact.entity}@{source.file}:{source.line}")


@needs_seeds
@pytest.mark.seeds
@pytest.mark.parametrize("ident,source,names", list(_entity_sources()))
def test_entity_label_stands_on_cited_line(ident: str, source: Source, names: list[str]) -> None:
    text = window(source)
    assert any(compact(n) in text for n in names), f"{ident}: none of {names} near {source.file}:{source.line}"


def _budget_sources():
    for fact in REGISTRY.facts:
        for budget in fact.budgets:
            yield pytest.param(fact.entity, budget, id=f"{fact.entity}-{budget.fiscal_year}-{budget.kind}@{budget.source.line}")


@needs_seeds
@pytest.mark.seeds
@pytest.mark.parametrize("ident,budget", list(_budget_sources()))
def test_budget_figure_stands_on_cited_line(ident, budget) -> None:
    text = window(budget.source)
    assert compact(budget.amount_text) in text, f"{ident}: {budget.amount_text} not near {budget.source.file}:{budget.source.line}"
    if budget.previous_text:
        assert compact(budget.previous_text) in text, f"{ident}: previous {budget.previous_text} not near line {budget.source.line}"


@needs_seeds
@pytest.mark.seeds
def test_every_cited_seed_line_exists() -> None:
    for fact in REGISTRY.facts:
        cited = list(fact.sources) + [r.source for r in fact.relations] + [b.source for b in fact.budgets]
        for source in cited:
            if source.curated:
                continue
            assert (SEEDS / source.file).exists(), f"{fact.where}: unknown seed file {source.file}"
            assert source.line <= len(seed_lines(source.file)), f"{fact.where}: line {source.line} past end of {source.file}"
