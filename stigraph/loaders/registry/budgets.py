"""What each curated budget figure is part of: the `part_of:` key, its default, and the checks on it.

Every budget figure of the registry says which figure contains it (`Budget.parent`), so that totals never
add a figure to one that includes it. A budget states it with `part_of:`, or the loader infers it:

- `part_of: ENTITY[/FY][/KIND][/ITEM]` names the containing figure: the figure of ENTITY with the given
  fiscal year, kind and item; year and kind default to the budget's own, the item to none.
  `part_of: none` says the figure is contained in no other figure of the registry.
- without `part_of:`, a figure with an `item:` is part of the item-less figure of the same entity, year
  and kind (the item is a breakdown of it); else a figure is part of the figure of the same year and
  kind of the nearest entity it is `partOf` (transitively). Nothing is inferred when that figure is
  smaller than the part, and two candidates at the same distance are an error (say which one).

A previous-year figure printed beside a figure (`previous:`) is part of the containing figure's
previous-year figure when that one is printed too.

Checks (RegistryError, naming file and line): the named figure exists, is not the figure itself, covers
the part's fiscal year(s), is not smaller than the part, the parts of one kind do not add up to more
than their whole, and no figure contains itself through a chain.

>>> parse_part_of("university-fund/starting-principal", 2021, "fund_size", "x.yaml:3")
('university-fund', 2021, 'fund_size', 'starting-principal')
>>> parse_part_of("jst/total_cost", 2020, "initial", "x.yaml:3")
('jst', 2020, 'total_cost', None)
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from stigraph.errors import RegistryError
from stigraph.loaders.registry.records import Budget, BudgetKey, Registry
from stigraph.ontology.vocabulary import BUDGET_KINDS, budget_iri

NO_PARENT = "none"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def parse_part_of(text: str, fiscal_year: int, kind: str, where: str) -> BudgetKey | None:
    """The key of the figure a `part_of:` value names (None for `none`); RegistryError if malformed."""
    text = str(text).strip()
    if text == NO_PARENT:
        return None
    entity, *rest = text.split("/")
    year, item = fiscal_year, None
    seen: set[str] = set()
    for token in rest:
        if re.fullmatch(r"\d{4}", token) and "year" not in seen:
            year, what = int(token), "year"
        elif token in BUDGET_KINDS and "kind" not in seen:
            kind, what = token, "kind"
        elif _SLUG.match(token) and "item" not in seen:
            item, what = token, "item"
        else:
            raise RegistryError(f"{where}: part_of {text!r} must be ENTITY[/FY][/KIND][/ITEM] "
                                f"(e.g. jst/total_cost or university-fund/starting-principal) or 'none'")
        seen.add(what)
    if not _SLUG.match(entity):
        raise RegistryError(f"{where}: part_of {text!r} must start with an entity id")
    return entity, year, kind, item


def budget_key(entity: str, budget: Budget) -> BudgetKey:
    """The key of a curated figure."""
    return entity, budget.fiscal_year, budget.kind, budget.item


def previous_key(entity: str, budget: Budget) -> BudgetKey | None:
    """The key of the previous-year figure printed beside a curated figure, if any."""
    if budget.previous is None:
        return None
    return entity, budget.fiscal_year - 1, budget.previous_kind, budget.item


def _describe(key: BudgetKey) -> str:
    entity, year, kind, item = key
    return f"{entity} FY{year} {kind}" + (f" ({item})" if item else "")


def _span(budget: Budget) -> tuple[int, int]:
    return budget.fiscal_year, budget.fiscal_year_end or budget.fiscal_year


def _part_of_ancestors(registry: Registry) -> dict[str, list[list[str]]]:
    """Entity -> its partOf ancestors, nearest first, grouped by distance."""
    parents: dict[str, set[str]] = defaultdict(set)
    for fact in registry.facts:
        for rel in fact.relations:
            if rel.predicate == "partOf":
                parents[fact.entity].add(rel.target)
    levels: dict[str, list[list[str]]] = {}
    for entity in list(parents):
        seen, frontier, found = {entity}, sorted(parents[entity]), []
        while frontier:
            found.append(frontier)
            seen.update(frontier)
            frontier = sorted({p for e in frontier for p in parents.get(e, ()) if p not in seen})
        levels[entity] = found
    return levels


def _inferred(entity: str, budget: Budget, figures: dict[BudgetKey, Budget],
              ancestors: dict[str, list[list[str]]]) -> BudgetKey | None:
    if budget.item:
        whole = (entity, budget.fiscal_year, budget.kind, None)
        if whole in figures and figures[whole].amount >= budget.amount:
            return whole
        return None
    for level in ancestors.get(entity, []):
        candidates = [(a, budget.fiscal_year, budget.kind, None) for a in level]
        candidates = [k for k in candidates if k in figures and _span(figures[k]) == _span(budget)]
        if len(candidates) > 1:
            raise RegistryError(f"{budget.where}: the FY{budget.fiscal_year} {budget.kind} figure of {entity} may be "
                                f"part of {' or '.join(_describe(k) for k in candidates)}; say which with "
                                f"part_of: (or part_of: none)")
        if candidates:
            parent = candidates[0]
            return parent if figures[parent].amount >= budget.amount else None
    return None


def resolve_parents(registry: Registry) -> None:
    """Set `parent` and `previous_parent` on every curated budget (see the module docstring); check them."""
    figures: dict[BudgetKey, Budget] = {}
    owners: list[tuple[str, Budget]] = []
    for fact in registry.facts:
        for budget in fact.budgets:
            figures.setdefault(budget_key(fact.entity, budget), budget)
            owners.append((fact.entity, budget))
    ancestors = _part_of_ancestors(registry)
    for entity, budget in owners:
        if budget.part_of_text is None:
            budget.parent = _inferred(entity, budget, figures, ancestors)
        else:
            budget.parent = parse_part_of(budget.part_of_text, budget.fiscal_year, budget.kind, budget.where)
            _check_parent(entity, budget, figures)
    stated: dict[BudgetKey, Budget] = {}
    for entity, budget in owners:
        first = stated.setdefault(budget_key(entity, budget), budget)
        if first.parent != budget.parent:
            raise RegistryError(f"{budget.where}: the same figure is stated at {first.where} with a different "
                                f"part_of ({_describe(first.parent) if first.parent else 'none'})")
    for entity, budget in owners:
        parent = figures.get(budget.parent) if budget.parent else None
        if parent is not None and budget.previous is not None and parent.previous is not None:
            budget.previous_parent = previous_key(budget.parent[0], parent)
    _check_no_cycles(owners)
    _check_parts_fit(owners, figures)


def _check_parent(entity: str, budget: Budget, figures: dict[BudgetKey, Budget]) -> None:
    key, parent_key = budget_key(entity, budget), budget.parent
    if parent_key is None:
        return
    if parent_key == key:
        raise RegistryError(f"{budget.where}: part_of names the figure itself")
    parent = figures.get(parent_key)
    if parent is None:
        raise RegistryError(f"{budget.where}: part_of: no curated figure {_describe(parent_key)}")
    (start, end), (p_start, p_end) = _span(budget), _span(parent)
    if not (p_start <= start and end <= p_end):
        raise RegistryError(f"{budget.where}: part_of {_describe(parent_key)} does not cover FY{start}"
                            + (f"-FY{end}" if end != start else ""))
    if parent.amount < budget.amount:
        raise RegistryError(f"{budget.where}: {budget.amount} yen cannot be part of {_describe(parent_key)} "
                            f"({parent.amount} yen at {parent.where})")


def _check_no_cycles(owners: list[tuple[str, Budget]]) -> None:
    parent_of = {budget_key(e, b): b.parent for e, b in owners}
    for start in parent_of:
        seen, key = {start}, parent_of[start]
        while key is not None:
            if key in seen:
                raise RegistryError(f"part_of chain of {_describe(start)} comes back to {_describe(key)}")
            seen.add(key)
            key = parent_of.get(key)


def _check_parts_fit(owners: list[tuple[str, Budget]], figures: dict[BudgetKey, Budget]) -> None:
    parts: dict[BudgetKey, dict[BudgetKey, Decimal]] = defaultdict(dict)
    for entity, budget in owners:
        if budget.parent and budget.parent[2] == budget.kind:
            parts[budget.parent][budget_key(entity, budget)] = budget.amount
    for parent_key, amounts in parts.items():
        whole = figures[parent_key]
        if sum(amounts.values()) > whole.amount:
            raise RegistryError(f"{whole.where}: the parts of {_describe(parent_key)} add up to "
                                f"{sum(amounts.values())} yen, more than its {whole.amount} yen: "
                                f"{', '.join(_describe(k) for k in sorted(amounts, key=str))}")




@dataclass(frozen=True)
class CuratedFigure:
    """A curated figure as an extractor may meet it again: IRI, owner, year, kind, amount and seed line(s)."""

    iri: str
    entity: str
    fiscal_year: int
    kind: str
    amount: Decimal
    file: str | None
    line: int | None
    line_end: int | None


def curated_figures(registry: Registry) -> list[CuratedFigure]:
    """Every curated figure, and the previous-year figure printed beside it, with the line it stands on."""
    out = []
    for fact in registry.facts:
        for budget in fact.budgets:
            src = budget.source
            keys = [(budget_key(fact.entity, budget), budget.amount)]
            if budget.previous is not None:
                keys.append((previous_key(fact.entity, budget), budget.previous))
            for key, amount in keys:
                out.append(CuratedFigure(budget_iri(*key), fact.entity, key[1], key[2], amount,
                                         src.file, src.line, src.line_end))
    return out


__all__ = ["BudgetKey", "CuratedFigure", "NO_PARENT", "budget_key", "curated_figures", "parse_part_of", "previous_key",
           "resolve_parents"]
