"""The budget rule, written once: an entity's figures, the figure that stands for it, and totals that never count twice.

Everything that reports money goes through this module or through the budget named queries that mirror
it in SPARQL (`queries/budget-*.rq`, `largest-budgets.rq`; `tests/test_budget_rule.py` checks they agree):
the projection's node sizes, the CSV export's budget columns, `analyze landscape`'s roll-ups, views.

The rule:

1. **One figure, one entry.** A figure stated by several sources (the registry and an extractor, two
   lines of a document) is one `stig:BudgetEntry` with several `stig:source` (the loaders make it so).
2. **What may be added together**: figures of the same kind (initial, draft, request, supplementary,
   fund size, total cost, target, actual are never mixed) and the same period. A multi-year figure
   (`stig:fiscalYearEnd`, e.g. FY2016-2020) is added only to figures of the same period, never to one year's.
3. **A total adds only figures that do not contain one another**: a figure whose `stig:budgetPartOf`
   chain reaches another figure of the same kind and period in the same total is left out (its container
   stands for it), and so is a 内数 figure (`stig:includedIn`: included in a figure that may not be in
   the graph) together with every figure inside it.
   **and never adds the same money twice**: a figure may be part of several wholes (a programme's line in
   a ministry's chapter and in an agency's area budget); when two added figures share parts, the total
   subtracts the outermost shared parts once per extra whole, says how much (`Total.overlap`), and flags
   the overlaps the graph cannot quantify (`Total.overlap_unknown`; see `stigraph.sparql.budget_overlaps`).
4. **The figures of an entity** are its entries that are not part of another figure of the same entity
   (a per-agency split, an item of its own total); its figure for a year and kind is their sum.
   **Its latest figure** (node sizes, CSV) is that of its latest single fiscal year, the kind chosen in
   the order initial, draft, request, supplementary, fund_size, total_cost, actual, target.
5. **Year over year** compares a group's figures of one kind for the entities that have a counted figure
   in both years (their overlap subtracted), and says how many those are.

>>> from decimal import Decimal as D
>>> whole = Figure("e/total", "chapter", 2021, 2021, "draft", D(76), (), False)
>>> item = Figure("e/item", "scirex", 2021, 2021, "draft", D(6), ("e/total",), False)
>>> book = BudgetBook([whole, item])
>>> [t.amount for t in book.totals()]
[Decimal('76')]
>>> book.latest("scirex").amount
Decimal('6')
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from stigraph.ontology.vocabulary import BUDGET_KINDS, STIG, node_id
from stigraph.sparql.budget_overlaps import EntityNesting, Overlaps, find_overlaps

QUERY = Path(__file__).resolve().parent / "queries" / "budget-entries.rq"
ENTITY_PARTS_QUERY = "entity-part-of"
LATEST_KIND_ORDER = ("initial", "draft", "request", "supplementary", "current", "executed", "fund_size", "total_cost",
                     "actual", "target")
"""Which kind stands for an entity's latest year when it has several (most final one-year budget first)."""
_KIND_BY_IRI = {str(STIG[local]): key for key, local in BUDGET_KINDS.items()}
ALL = "all"


@dataclass(frozen=True)
class Figure:
    """One budget entry: owner id (None if unattached), period, kind key, exact yen, containers, 内数 flag."""

    entry: str
    owner: str | None
    fiscal_year: int
    fiscal_year_end: int
    kind: str
    amount: Decimal
    part_of: tuple[str, ...] = ()
    included_in: bool = False
    sources: tuple[str, ...] = ()

    @property
    def multi_year(self) -> bool:
        """True for a figure over several fiscal years (a plan period's target or actual)."""
        return self.fiscal_year_end != self.fiscal_year

    @property
    def addable(self) -> tuple[str, int, int]:
        """(kind, first year, last year): only figures with the same value may be added together."""
        return self.kind, self.fiscal_year, self.fiscal_year_end


@dataclass
class Total:
    """The sum of the figures of one group, kind and period that do not contain one another, their
    shared parts subtracted once per extra whole (`amount` = gross − overlap)."""

    group: str
    kind: str
    fiscal_year: int
    fiscal_year_end: int
    amount: Decimal
    figures: list[Figure] = field(default_factory=list)
    left_out: int = 0
    """Figures of the group, kind and period not added: inside another added one, or 内数."""
    overlaps: Overlaps = field(default_factory=Overlaps)

    @property
    def entities(self) -> int:
        return len({f.owner for f in self.figures if f.owner})

    @property
    def gross(self) -> Decimal:
        """The added figures' sum before the overlap is subtracted."""
        return sum((f.amount for f in self.figures), Decimal(0))

    @property
    def overlap(self) -> Decimal:
        """Money two or more added figures share (their outermost shared parts), subtracted from the sum."""
        return self.overlaps.amount

    @property
    def overlap_unknown(self) -> bool:
        """True when added figures overlap by an amount the graph does not give: the total may be too high."""
        return bool(self.overlaps.unknown)

    def amount_of(self, entities: set[str]) -> Decimal:
        """The net amount of the figures of some owners (their overlap among themselves subtracted)."""
        mine = [f for f in self.figures if f.owner in entities]
        return sum((f.amount for f in mine), Decimal(0)) - self.overlaps.among({f.entry for f in mine})

    def unknown_among(self, entities: set[str]) -> bool:
        """True when two figures of these owners overlap by an amount the graph does not give."""
        owners = {f.entry: f.owner for f in self.figures}
        return any(sum(owners.get(w) in entities for w in u.wholes) > 1 for u in self.overlaps.unknown)

    def by_entity(self) -> dict[str, Decimal]:
        """Amount added per owner (figures without an owner are not attributed)."""
        out: dict[str, Decimal] = defaultdict(Decimal)
        for f in self.figures:
            if f.owner:
                out[f.owner] += f.amount
        return dict(out)


@dataclass(frozen=True)
class Change:
    """A total compared with the previous year's over the same entities."""

    entities: int
    amount: Decimal
    previous: Decimal
    overlap_unknown: bool = False
    """Some of the compared figures overlap by an amount the graph does not give (in either year)."""

    @property
    def change(self) -> Decimal:
        return self.amount - self.previous

    @property
    def percent(self) -> float | None:
        return round(float(self.change / self.previous * 100), 1) if self.previous else None


@dataclass(frozen=True)
class Latest:
    """The figure that stands for an entity: its latest single fiscal year, one kind."""

    fiscal_year: int
    kind: str
    amount: Decimal
    figures: tuple[Figure, ...]


def _kind_key(iri: str) -> str:
    return _KIND_BY_IRI.get(iri, iri.rsplit("#", 1)[-1])


def figures_from_rows(rows: Iterable[dict]) -> list[Figure]:
    """Figures from rows of `budget-entries.rq` (values as `StiGraph.select` returns them)."""
    out = []
    for row in rows:
        year = int(str(row["fiscal_year"])[:4])
        end = int(str(row["fiscal_year_end"])[:4]) if row.get("fiscal_year_end") is not None else year
        out.append(Figure(
            entry=str(row["entry"]), owner=node_id(str(row["owner"])) if row.get("owner") else None,
            fiscal_year=year, fiscal_year_end=end, kind=_kind_key(str(row["kind"])), amount=Decimal(row["amount"]),
            part_of=tuple(sorted(str(row.get("part_of") or "").split())), included_in=row.get("included_in") is True,
            sources=tuple(s for s in str(row.get("sources") or "").split("; ") if s)))
    return out


class BudgetBook:
    """Every budget figure of a graph, with the rule's questions about them (see the module docstring)."""

    def __init__(self, figures: Iterable[Figure], entity_parts: Mapping[str, Iterable[str]] | None = None) -> None:
        """`entity_parts`: entity id -> the entities it is stig:partOf (to find overlaps the figures do not give)."""
        self._nesting = EntityNesting(entity_parts)
        self._by_entry: dict[str, Figure] = {}
        for figure in figures:
            self._by_entry.setdefault(figure.entry, figure)
        self._by_owner: dict[str, list[Figure]] = defaultdict(list)
        for figure in self._by_entry.values():
            if figure.owner:
                self._by_owner[figure.owner].append(figure)
        self._above: dict[str, frozenset[str]] = {}
        self._branching = [f for f in self.figures() if len(set(f.part_of)) > 1]

    @classmethod
    def from_graph(cls, graph, with_sources: bool = True) -> BudgetBook:
        """Read every figure of a `StiGraph` (`budget-entries.rq`) and the entities' partOf links.

        `with_sources=False` leaves out the lines of the query marked `#sources` (the figures' source lines):
        the same figures, several times faster on a large graph (3M quads: 14 s instead of 80 s).
        """
        from stigraph.sparql.internal import internal_query
        from stigraph.sparql.run import read_query_file

        parts: dict[str, set[str]] = defaultdict(set)
        for row in graph.select(internal_query(ENTITY_PARTS_QUERY)):
            parts[node_id(str(row["part"]))].add(node_id(str(row["whole"])))
        query = read_query_file(QUERY)
        if not with_sources:
            query = "\n".join(line for line in query.splitlines() if not line.rstrip().endswith("#sources"))
        return cls(figures_from_rows(graph.select(query)), parts)

    # -- the figures ---------------------------------------------------------------------------------------
    def figures(self) -> list[Figure]:
        """Every figure once, ordered by owner, year, kind and entry."""
        return sorted(self._by_entry.values(), key=lambda f: (f.owner or "", f.fiscal_year, f.kind, f.entry))

    def get(self, entry: str) -> Figure | None:
        return self._by_entry.get(entry)

    def of(self, entity: str) -> list[Figure]:
        """Every figure attached to an entity (its own breakdowns included), newest first."""
        return sorted(self._by_owner.get(entity, ()), key=lambda f: (-f.fiscal_year, f.kind, -f.amount, f.entry))

    def above(self, figure: Figure) -> frozenset[str]:
        """Entries that contain this figure, following stig:budgetPartOf to the top (cycles stop)."""
        if figure.entry not in self._above:
            found: set[str] = set()
            stack = list(figure.part_of)
            while stack:
                entry = stack.pop()
                if entry in found or entry == figure.entry:
                    continue
                found.add(entry)
                parent = self._by_entry.get(entry)
                if parent is not None:
                    stack.extend(parent.part_of)
            self._above[figure.entry] = frozenset(found)
        return self._above[figure.entry]

    def inside_included(self, figure: Figure) -> bool:
        """True for a 内数 figure and for every figure inside one: never added to a total."""
        if figure.included_in:
            return True
        return any((up := self._by_entry.get(e)) is not None and up.included_in for e in self.above(figure))

    # -- rule 3: totals --------------------------------------------------------------------------------
    def counted(self, figures: Iterable[Figure]) -> list[Figure]:
        """The figures of a set that a total adds: not 内数, and not inside another figure of the set that
        may be added with it (same kind and period)."""
        pool = [f for f in figures if not self.inside_included(f)]
        members = {(f.entry, f.addable) for f in pool}
        return [f for f in pool
                if not any((e, f.addable) in members for e in self.above(f))]

    def totals(self, groups: Callable[[Figure], Iterable[str]] | None = None,
               figures: Iterable[Figure] | None = None) -> list[Total]:
        """Totals per group, kind and period; `groups` maps a figure to its groups (default: one group, "all").

        Containment is judged inside each group: a figure is left out of a group's total only when a
        figure containing it is added to that same total. Shared parts are looked for among every figure
        of the kind and period (a part outside the group inside two of its figures is still counted twice).
        """
        buckets: dict[tuple[str, str, int, int], list[Figure]] = defaultdict(list)
        for figure in (self._by_entry.values() if figures is None else figures):
            for group in (groups(figure) if groups else (ALL,)):
                buckets[(group, *figure.addable)].append(figure)
        by_addable: dict[tuple[str, int, int], list[Figure]] = defaultdict(list)
        for figure in self._by_entry.values():
            by_addable[figure.addable].append(figure)
        out = []
        for (group, kind, year, end), members in sorted(buckets.items()):
            added = sorted(self.counted(members), key=lambda f: f.entry)
            if added:
                overlaps = find_overlaps(added, by_addable[(kind, year, end)], self.above, self.get, self._nesting,
                                         self._branching)
                gross = sum((f.amount for f in added), Decimal(0))
                out.append(Total(group, kind, year, end, gross - overlaps.amount, added,
                                 len(members) - len(added), overlaps))
        return out

    @staticmethod
    def year_over_year(totals: list[Total]) -> dict[tuple[str, str, int], Change]:
        """(group, kind, year) -> the comparison with year - 1 over the entities counted in both years.

        Only single-year totals are compared; no entry when no entity has a counted figure in both years.
        """
        single = {(t.group, t.kind, t.fiscal_year): t for t in totals if t.fiscal_year == t.fiscal_year_end}
        out = {}
        for (group, kind, year), now in single.items():
            before = single.get((group, kind, year - 1))
            if before is None:
                continue
            same = set(now.by_entity()) & set(before.by_entity())
            if same:
                out[(group, kind, year)] = Change(len(same), now.amount_of(same), before.amount_of(same),
                                                  now.unknown_among(same) or before.unknown_among(same))
        return out

    # -- rule 4: the figures of an entity -------------------------------------------------------------
    def entity_figures(self, entity: str) -> list[Figure]:
        """The entity's figures that are not part of another figure of the same entity, newest first."""
        own = {f.entry for f in self._by_owner.get(entity, ())}
        return [f for f in self.of(entity) if not (self.above(f) & own)]

    def figure_of(self, entity: str, fiscal_year: int, kind: str, fiscal_year_end: int | None = None) -> Decimal | None:
        """The entity's figure for one period and kind (the sum of its own figures there), None if none."""
        addable = (kind, fiscal_year, fiscal_year_end or fiscal_year)
        amounts = [f.amount for f in self.entity_figures(entity) if f.addable == addable]
        return sum(amounts, Decimal(0)) if amounts else None

    def latest(self, entity: str) -> Latest | None:
        """The figure that stands for the entity: latest single fiscal year, kind by LATEST_KIND_ORDER."""
        single = [f for f in self.entity_figures(entity) if not f.multi_year]
        if not single:
            return None
        year = max(f.fiscal_year for f in single)
        that_year = [f for f in single if f.fiscal_year == year]
        order = {k: i for i, k in enumerate(LATEST_KIND_ORDER)}
        kind = min((f.kind for f in that_year), key=lambda k: order.get(k, len(order)))
        chosen = tuple(f for f in that_year if f.kind == kind)
        return Latest(year, kind, sum((f.amount for f in chosen), Decimal(0)), chosen)

    def owners(self) -> list[str]:
        """Every entity with at least one figure."""
        return sorted(self._by_owner)


def yen(amount: Decimal) -> int | str:
    """Exact yen for JSON/CSV: an int when whole, else the decimal text."""
    return int(amount) if amount == amount.to_integral_value() else str(amount)


__all__ = ["BudgetBook", "Change", "Figure", "LATEST_KIND_ORDER", "Latest", "Total", "figures_from_rows", "yen"]
