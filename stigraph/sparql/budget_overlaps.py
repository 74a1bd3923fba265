"""Overlapping wholes in a budget total: the money two added figures share, subtracted once, or flagged.

A total adds figures that do not contain one another (stigraph.sparql.budget). Two of them may still
overlap without either containing the other: a programme's line sits both in a ministry's budget chapter
and in an agency's area budget. The graph says so when one figure is `stig:budgetPartOf` both wholes
(a figure may have several wholes). The rule, mirrored in the budget queries' SPARQL:

- **shared part**: a figure of the total's kind and period that lies inside (budgetPartOf+) two or more
  of the figures the total adds; it is counted once per whole. A shared part inside another shared part
  is covered by it; the *outermost* shared parts are subtracted, each `amount × (wholes - 1)` times.
- **flagged when shared parts may not nest**: subtracting the outermost shared parts counts every shared
  part's money once unless a figure with several wholes lies inside another figure with several wholes
  inside an added one (only then can a part inside a shared part have other wholes, or lie inside two
  shared parts); such a total is flagged, not fixed.
- **overlap the graph cannot quantify**: an entity inside (`stig:partOf*`) the owners of two or more added
  figures sits in all of them; its money is known only when one figure of the total's kind and period,
  of the entity or of an entity it is partOf, lies inside an added figure of every one of those owners.
  Otherwise the amount is not in the graph and the total is flagged (`UnknownOverlap`): e.g. a ministry
  line whose agency share is printed for one year only, while the agency's area budget holds that share.

>>> from decimal import Decimal as D
>>> from stigraph.sparql.budget import BudgetBook, Figure
>>> chapter = Figure("chapter", "ministry-chapter", 2020, 2020, "initial", D(72), ())
>>> area = Figure("area", "agency-area", 2020, 2020, "initial", D(13))
>>> line = Figure("crds", "crds-program", 2020, 2020, "initial", D(6), ("area", "chapter"))
>>> [(t.amount, t.overlap, len(t.figures)) for t in BudgetBook([chapter, area, line]).totals()]
[(Decimal('79'), Decimal('6'), 2)]
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from stigraph.sparql.budget import Figure


@dataclass(frozen=True)
class SharedPart:
    """An outermost figure inside several added figures (`wholes`): its money is subtracted wholes - 1 times."""

    figure: Figure
    wholes: tuple[str, ...]

    @property
    def subtracted(self) -> Decimal:
        return self.figure.amount * (len(self.wholes) - 1)


@dataclass(frozen=True)
class UnknownOverlap:
    """Added figures (`wholes`, entry IRIs) that overlap by an amount the graph does not give.

    Either `entities`: the outermost part entities of both owners with no figure inside both wholes; or
    `parts`: a shared part whose wholes the outermost shared parts do not cover exactly (the shared parts
    do not nest), so the subtraction may be off.
    """

    wholes: tuple[str, ...]
    entities: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Overlaps:
    """What a total subtracts (`shared`) and what it cannot (`unknown`)."""

    shared: tuple[SharedPart, ...] = ()
    unknown: tuple[UnknownOverlap, ...] = ()

    @property
    def amount(self) -> Decimal:
        return sum((s.subtracted for s in self.shared), Decimal(0))

    def among(self, entries: set[str]) -> Decimal:
        """The overlap among a subset of the added figures (the shared parts' wholes restricted to them)."""
        return sum((s.figure.amount * max(len(set(s.wholes) & entries) - 1, 0) for s in self.shared), Decimal(0))


class EntityNesting:
    """The entities' stig:partOf graph: what lies inside an entity, and what an entity lies inside."""

    def __init__(self, part_of: Mapping[str, Iterable[str]] | None = None) -> None:
        self._up: dict[str, set[str]] = defaultdict(set)
        self._down: dict[str, set[str]] = defaultdict(set)
        for part, wholes in (part_of or {}).items():
            for whole in wholes:
                if whole != part:
                    self._up[part].add(whole)
                    self._down[whole].add(part)
        self._closure: dict[tuple[str, bool], frozenset[str]] = {}

    def _reach(self, entity: str, down: bool) -> frozenset[str]:
        """The entity and every entity partOf+ it (down) or that it is partOf+ (up); cycles stop."""
        key = (entity, down)
        if key not in self._closure:
            edges = self._down if down else self._up
            found, stack = {entity}, [entity]
            while stack:
                for nxt in edges.get(stack.pop(), ()):
                    if nxt not in found:
                        found.add(nxt)
                        stack.append(nxt)
            self._closure[key] = frozenset(found)
        return self._closure[key]

    def inside(self, entity: str) -> frozenset[str]:
        return self._reach(entity, True)

    def around(self, entity: str) -> frozenset[str]:
        return self._reach(entity, False)


def find_overlaps(added: list[Figure], candidates: Iterable[Figure], above: Callable[[Figure], frozenset[str]],
                  get: Callable[[str], Figure | None], nesting: EntityNesting,
                  branching: Iterable[Figure] = ()) -> Overlaps:
    """The shared parts and unknown overlaps of one total (see the module docstring).

    `added`: the figures the total adds; `candidates`: every figure of the total's kind and period (any
    group); `above(f)`: the entries f is budgetPartOf+; `get(entry)`: the figure of an entry;
    `branching`: every figure with several wholes.
    """
    added_entries = {f.entry for f in added}
    holding: dict[str, frozenset[str]] = {}   # figure inside (or equal to) added figures -> those figures
    figure_of: dict[str, Figure] = {}
    for figure in candidates:
        wholes = (above(figure) | {figure.entry}) & added_entries
        if wholes:
            holding[figure.entry], figure_of[figure.entry] = frozenset(wholes), figure
    wholes_of = {e: tuple(sorted(w)) for e, w in holding.items() if len(w) > 1 and e not in added_entries}
    outermost = sorted(e for e in wholes_of if not any(q in wholes_of for q in above(figure_of[e])))
    shared = tuple(SharedPart(figure_of[e], wholes_of[e]) for e in outermost)
    unknown = _nested_branches(added_entries, branching, above, get)
    unknown += _unquantified(added, figure_of, holding, nesting)
    return Overlaps(shared, tuple(unknown))


def _several_wholes(figure: Figure | None) -> bool:
    return figure is not None and len(set(figure.part_of)) > 1


def _nested_branches(added_entries: set[str], branching: Iterable[Figure], above: Callable[[Figure], frozenset[str]],
                     get: Callable[[str], Figure | None]) -> list[UnknownOverlap]:
    """A figure with several wholes inside another with several wholes inside an added figure: only then can
    the shared parts fail to nest (and subtracting the outermost ones be off), so the total is flagged."""
    out = []
    for r in branching:
        for x in sorted(above(r)):
            x_figure = get(x)
            wholes = above(x_figure) & added_entries if _several_wholes(x_figure) else set()
            if wholes:
                out.append(UnknownOverlap(tuple(sorted(wholes)), parts=(r.entry, x)))
    return out


def _unquantified(added: list[Figure], figure_of: dict[str, Figure], holding: dict[str, frozenset[str]],
                  nesting: EntityNesting) -> list[UnknownOverlap]:
    """Entities inside the owners of two added figures whose money no figure inside them gives."""
    holders: dict[str, set[str]] = defaultdict(set)      # entity -> owners of added figures that hold it
    holding_figures: dict[str, set[str]] = defaultdict(set)
    for w in added:
        if w.owner:
            for entity in nesting.inside(w.owner):
                holders[entity].add(w.owner)
                holding_figures[entity].add(w.entry)
    owner_of = {w.entry: w.owner for w in added}
    open_: dict[str, tuple[str, ...]] = {}
    for entity, owners in holders.items():
        if len(owners) < 2:
            continue
        best = max((len({owner_of[w] for w in holding[e] & holding_figures[entity]})
                    for e, c in figure_of.items()
                    if c.owner and c.owner in nesting.around(entity) and holding[e] - {e}), default=0)
        if best < len(owners):
            open_[entity] = tuple(sorted(holding_figures[entity]))
    out: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for entity, wholes in sorted(open_.items()):
        if not (nesting.around(entity) - {entity}) & set(open_):   # the outermost such entities
            out[wholes].append(entity)
    return [UnknownOverlap(wholes, entities=tuple(entities)) for wholes, entities in sorted(out.items())]


__all__ = ["EntityNesting", "Overlaps", "SharedPart", "UnknownOverlap", "find_overlaps"]
