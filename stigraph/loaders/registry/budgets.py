"""What each curated budget figure is part of: the `part_of:` key, its default, and the checks on it.

Every budget figure of the registry says which figures contain it (`Budget.parents`), so that totals never
add a figure to one that includes it. A budget states them with `part_of:`, or the loader infers one:

- `part_of: ENTITY[/FY][/KIND][/ITEM]` names the containing figure: the figure of ENTITY with the given
  fiscal year, kind and item; year and kind default to the budget's own, the item to none. The figure may
  be a previous-year figure printed beside another one.
  `part_of: [A, B]` names several wholes: the same money sits in two figures that overlap without one
  containing the other (a program's line in a ministry's chapter and in an agency's area budget); totals
  subtract it once (stigraph.sparql.budget).
  `part_of: none` says the figure is contained in no other figure of the registry.
- without `part_of:`, a figure with an `item:` is part of the item-less figure of the same entity, year
  and kind (the item is a breakdown of it); else a figure is part of the figure of the same year and
  kind of the nearest entity it is `partOf` (transitively). Nothing is inferred when that figure is
  smaller than the part, and two candidates at the same distance are an error (say which one).

A previous-year figure printed beside a figure (`previous:`) is part of the previous-year figures of the
figure's wholes, when those are printed too; `previous_part_of:` (same syntax, year and kind defaulting to
the previous figure's) names its wholes instead.

Checks (RegistryError, naming file and line): each named figure exists, is not the figure itself, covers
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


@dataclass(frozen=True)
class _Stated:
    """A curated figure as the checks need it: amount, period and where it is stated."""

    amount: Decimal
    start: int
    end: int
    where: str


def _stated_figures(owners: list[tuple[str, Budget]]) -> dict[BudgetKey, _Stated]:
    """Every curated figure, the previous-year figures printed beside them included (first statement wins)."""
    out: dict[BudgetKey, _Stated] = {}
    for entity, budget in owners:
        out.setdefault(budget_key(entity, budget), _Stated(budget.amount, *_span(budget), budget.where))
    for entity, budget in owners:
        key = previous_key(entity, budget)
        if key is not None and budget.previous is not None:
            out.setdefault(key, _Stated(budget.previous, key[1], key[1], budget.where))
    return out


def _parse_wholes(texts: tuple[str, ...], fiscal_year: int, kind: str, where: str) -> tuple[BudgetKey, ...]:
    """The keys a `part_of:` (or `previous_part_of:`) list names; `none` only on its own, no repeats."""
    keys = [parse_part_of(text, fiscal_year, kind, where) for text in texts]
    if None in keys and len(keys) > 1:
        raise RegistryError(f"{where}: part_of 'none' cannot be listed with other figures")
    found = tuple(k for k in keys if k is not None)
    if len(set(found)) != len(found):
        raise RegistryError(f"{where}: part_of names the same figure twice")
    return found


def resolve_parents(registry: Registry) -> None:
    """Set `parents` and `previous_parents` on every curated budget (see the module docstring); check them."""
    own: dict[BudgetKey, Budget] = {}
    owners: list[tuple[str, Budget]] = []
    for fact in registry.facts:
        for budget in fact.budgets:
            own.setdefault(budget_key(fact.entity, budget), budget)
            owners.append((fact.entity, budget))
    stated = _stated_figures(owners)
    ancestors = _part_of_ancestors(registry)
    for entity, budget in owners:
        if budget.part_of_text is None:
            inferred = _inferred(entity, budget, own, ancestors)
            budget.parents = (inferred,) if inferred else ()
        else:
            budget.parents = _parse_wholes(budget.part_of_text, budget.fiscal_year, budget.kind, budget.where)
        for parent in budget.parents:
            _check_parent(budget_key(entity, budget), budget.amount, _span(budget), parent, stated, budget.where)
    first_stated: dict[BudgetKey, Budget] = {}
    for entity, budget in owners:
        first = first_stated.setdefault(budget_key(entity, budget), budget)
        if set(first.parents) != set(budget.parents):
            named = ", ".join(_describe(k) for k in first.parents) or "none"
            raise RegistryError(f"{budget.where}: the same figure is stated at {first.where} with a different "
                                f"part_of ({named})")
    for entity, budget in owners:
        previous = previous_key(entity, budget)
        if previous is None or budget.previous is None:
            continue
        if budget.previous_part_of_text is not None:
            budget.previous_parents = _parse_wholes(budget.previous_part_of_text, previous[1], previous[2],
                                                    budget.where)
            for parent in budget.previous_parents:
                _check_parent(previous, budget.previous, (previous[1], previous[1]), parent, stated, budget.where)
        else:
            budget.previous_parents = tuple(
                key for parent in budget.parents if (whole := own.get(parent)) is not None
                and (key := previous_key(parent[0], whole)) is not None and whole.previous is not None)
    edges = _containment(owners)
    _check_no_cycles(edges)
    _check_parts_fit(edges, stated)


def _check_parent(key: BudgetKey, amount: Decimal, span: tuple[int, int], parent_key: BudgetKey,
                  stated: dict[BudgetKey, _Stated], where: str) -> None:
    if parent_key == key:
        raise RegistryError(f"{where}: part_of names the figure itself")
    parent = stated.get(parent_key)
    if parent is None:
        raise RegistryError(f"{where}: part_of: no curated figure {_describe(parent_key)}")
    (start, end) = span
    if not (parent.start <= start and end <= parent.end):
        raise RegistryError(f"{where}: part_of {_describe(parent_key)} does not cover FY{start}"
                            + (f"-FY{end}" if end != start else ""))
    if parent.amount < amount:
        raise RegistryError(f"{where}: {amount} yen cannot be part of {_describe(parent_key)} "
                            f"({parent.amount} yen at {parent.where})")


def _containment(owners: list[tuple[str, Budget]]) -> dict[BudgetKey, tuple[tuple[BudgetKey, Decimal], ...]]:
    """Figure -> its wholes, for the curated figures and the previous-year figures printed beside them."""
    edges: dict[BudgetKey, set[BudgetKey]] = defaultdict(set)
    amounts: dict[BudgetKey, Decimal] = {}
    for entity, budget in owners:
        key = budget_key(entity, budget)
        edges[key].update(budget.parents)
        amounts.setdefault(key, budget.amount)
        previous = previous_key(entity, budget)
        if previous is not None and budget.previous is not None:
            edges[previous].update(budget.previous_parents)
            amounts.setdefault(previous, budget.previous)
    return {k: tuple((p, amounts[k]) for p in sorted(v, key=str)) for k, v in edges.items()}


def _check_no_cycles(edges: dict[BudgetKey, tuple[tuple[BudgetKey, Decimal], ...]]) -> None:
    done: set[BudgetKey] = set()

    def visit(key: BudgetKey, path: list[BudgetKey]) -> None:
        if key in done:
            return
        for parent, _ in edges.get(key, ()):
            if parent in path:
                raise RegistryError(f"part_of chain of {_describe(path[0])} comes back to {_describe(parent)}")
            visit(parent, [*path, parent])
        done.add(key)

    for start in sorted(edges, key=str):
        visit(start, [start])


def _check_parts_fit(edges: dict[BudgetKey, tuple[tuple[BudgetKey, Decimal], ...]],
                     stated: dict[BudgetKey, _Stated]) -> None:
    """The parts of one kind inside a whole do not add up to more than the whole."""
    parts: dict[BudgetKey, dict[BudgetKey, Decimal]] = defaultdict(dict)
    for key, wholes in edges.items():
        for parent, amount in wholes:
            if parent[2] == key[2]:
                parts[parent][key] = amount
    for parent_key, amounts in sorted(parts.items(), key=lambda kv: str(kv[0])):
        whole = stated[parent_key]
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
