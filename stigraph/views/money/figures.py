"""The budget figures the money views draw: one per entity, period and kind, by the project's budget rule.

The rule lives in `stigraph.sparql.budget` (BudgetBook): an entity's figures are its entries that are
not part of another figure of the same entity; its figure for a period and kind is their sum; kinds are
never mixed; 内数 figures (included in another budget line) are never added to a total. This module
only shapes that for the charts: per entity, period and kind, the amount, the entries it sums, and the
entity's breakdown items inside them (listed in tooltips, never added).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from stigraph.sparql.budget import BudgetBook
from stigraph.sparql.budget import Figure as Entry
from stigraph.sparql.graph import StiGraph

KIND_NAMES = {"initial": ("当初予算", "initial"), "draft": ("予算案", "draft"), "request": ("概算要求", "request"),
              "supplementary": ("補正予算", "supplementary"), "fund_size": ("基金規模", "fund size"),
              "total_cost": ("総事業費", "total project cost"), "target": ("目標額", "target"),
              "actual": ("実績", "actual"), "current": ("歳出予算現額", "current budget"),
              "executed": ("執行額", "executed")}


def kind_name(kind: str) -> str:
    """「当初予算 (initial)」 for a budget kind key.

    >>> kind_name("draft")
    '予算案 (draft)'
    """
    ja, en = KIND_NAMES.get(kind, (kind, kind))
    return f"{ja} ({en})"


@dataclass
class Figure:
    """An entity's figure for one period and kind: the sum of its own entries there (the budget rule)."""

    entity: str
    fiscal_year: int
    fiscal_year_end: int
    kind: str
    amount: Decimal
    entries: list[Entry]
    included: bool = False                              # every entry is 内数: part of another budget line
    parts: list[Entry] = field(default_factory=list)    # the entity's breakdown items inside them (not added)

    @property
    def kind_name(self) -> str:
        return kind_name(self.kind)

    @property
    def period(self) -> str:
        """「FY2021」 or 「FY2016–2020」 for a multi-year figure."""
        return f"FY{self.fiscal_year}" + (f"–{self.fiscal_year_end}" if self.fiscal_year_end != self.fiscal_year else "")

    @property
    def sources(self) -> list[str]:
        return sorted({s for e in self.entries for s in e.sources})


def entity_figures(graph: StiGraph | BudgetBook, entity: str | None = None) -> dict[str, list[Figure]]:
    """Entity id -> its figures (one per period and kind), oldest first; `entity` limits it to one entity.

    >>> from stigraph.sparql.budget import Figure as E
    >>> book = BudgetBook([E("b/1", "p", 2024, 2024, "initial", Decimal(5)), E("b/2", "p", 2024, 2024, "initial", Decimal(2), ("b/1",))])
    >>> [(f.kind, f.amount, len(f.parts)) for f in entity_figures(book)["p"]]
    [('initial', Decimal('5'), 1)]
    """
    book = graph if isinstance(graph, BudgetBook) else BudgetBook.from_graph(graph)
    out: dict[str, list[Figure]] = {}
    for owner in ([entity] if entity else book.owners()):
        own = book.entity_figures(owner)
        own_entries = {f.entry for f in own}
        by_period: dict[tuple[int, int, str], list[Entry]] = defaultdict(list)
        for entry in own:
            by_period[(entry.fiscal_year, entry.fiscal_year_end, entry.kind)].append(entry)
        figures = []
        for (year, end, kind), entries in sorted(by_period.items()):
            tops = {e.entry for e in entries}
            parts = [f for f in book.of(owner) if f.entry not in own_entries and book.above(f) & tops]
            figures.append(Figure(owner, year, end, kind, sum((e.amount for e in entries), Decimal(0)),
                                  sorted(entries, key=lambda e: e.entry),
                                  all(book.inside_included(e) for e in entries), parts))
        if figures:
            out[owner] = figures
    return out


def oku(yen: Decimal | int | float) -> str:
    """Yen as 億円 with one decimal (what budget documents print), e.g. 「2,377.0億円」.

    >>> oku(237_700_000_000), oku(51_000_000)
    ('2,377.0億円', '0.5億円')
    """
    return f"{float(yen) / 1e8:,.1f}億円"


def exact_yen(yen: Decimal | int) -> str:
    """「237,700,000,000円」.

    >>> exact_yen(Decimal("1500000"))
    '1,500,000円'
    """
    return f"{int(yen):,}円"
