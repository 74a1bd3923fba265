"""Budget roll-ups by organization, theme and fiscal year, with the change from the year before.

The counting is the budget rule of `stigraph.sparql.budget` (one rule for every number stigraph prints):
kinds are never mixed, a multi-year figure stays in its own period, a figure inside another figure of the
same group, kind and period (stig:budgetPartOf) is left out, and so is a 内数 figure; money two added
figures share (a figure part of both) is subtracted once per extra whole (`overlap_yen`), and a group whose
figures overlap by an amount the graph does not give is flagged (`overlap_unknown`). This module only says
which groups a figure belongs to:

- by organization: the organizations that run its entity (administeredBy, inherited down partOf), or the
  organization itself for an organization's own figures; "(unattributed)" otherwise;
- by theme: its entity's themes, or those of the nearest programs it is part of; "(no theme)" otherwise;
- by year: one group, "all" (these rows equal `stigraph query budget-totals`).

The change from the year before compares the same entities in both years (those with a counted figure of
the group and kind in each, their overlap subtracted), and says how many (`compared_entities`); there is
no change where no entity has a figure in both years.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import networkx as nx

from stigraph.graph.analysis._common import ORGANIZATION_CLASSES, GraphIndex, PartOfAncestors, label, runners
from stigraph.sparql.budget import ALL, BudgetBook, Figure, Total, yen
from stigraph.sparql.graph import StiGraph

UNATTRIBUTED = "(unattributed)"
NO_THEME = "(no theme)"


@dataclass
class BudgetRollups:
    """Rows {group, label, kind, fiscal_year, fiscal_year_end, amount_yen, entities, figures, left_out,
    overlap_yen, overlap_unknown, compared_entities, compared_yen, compared_previous_yen, change_yen,
    change_pct, change_overlap_unknown}."""

    by_organization: list[dict] = field(default_factory=list)
    by_theme: list[dict] = field(default_factory=list)
    by_year: list[dict] = field(default_factory=list)
    figures: int = 0
    left_out_included_in: int = 0

    def as_dict(self) -> dict:
        return {"figures": self.figures, "left_out_included_in": self.left_out_included_in,
                "by_organization": self.by_organization, "by_theme": self.by_theme, "by_year": self.by_year}


def _organization_groups(index: GraphIndex) -> dict[str, frozenset[str]]:
    groups = {n: frozenset({n}) for n, c in index.cls.items() if c in ORGANIZATION_CLASSES}
    for node, orgs in runners(index).items():
        groups.setdefault(node, orgs)
    return groups


def _theme_groups(index: GraphIndex, ancestors: PartOfAncestors) -> dict[str, frozenset[str]]:
    own: dict[str, set[str]] = defaultdict(set)
    for u, v in index.edges("hasTheme"):
        own[u].add(v)
    groups = {}
    for node in index.cls:
        themes = own.get(node) or set().union(*(own.get(a, set()) for a in ancestors(node)))
        if themes:
            groups[node] = frozenset(themes)
    return groups


def _rows(nxg: nx.MultiDiGraph, totals: list[Total]) -> list[dict]:
    changes = BudgetBook.year_over_year(totals)
    rows = []
    for t in totals:
        change = changes.get((t.group, t.kind, t.fiscal_year)) if t.fiscal_year == t.fiscal_year_end else None
        rows.append({
            "group": t.group, "label": label(nxg, t.group) if t.group in nxg else t.group, "kind": t.kind,
            "fiscal_year": t.fiscal_year, "fiscal_year_end": t.fiscal_year_end, "amount_yen": yen(t.amount),
            "entities": t.entities, "figures": len(t.figures), "left_out": t.left_out,
            "overlap_yen": yen(t.overlap), "overlap_unknown": t.overlap_unknown,
            "compared_entities": change.entities if change else 0,
            "compared_yen": yen(change.amount) if change else None,
            "compared_previous_yen": yen(change.previous) if change else None,
            "change_yen": yen(change.change) if change else None,
            "change_pct": change.percent if change else None,
            "change_overlap_unknown": change.overlap_unknown if change else False})
    return rows


def budget_rollups(graph: StiGraph, nxg: nx.MultiDiGraph, book: BudgetBook | None = None) -> BudgetRollups:
    """Roll the graph's budget figures up by organization, theme and fiscal year (see module docstring).

    >>> from pathlib import Path
    >>> from stigraph.builder.inputs import collect_quads
    >>> from stigraph.graph.projection import to_networkx
    >>> g = StiGraph.from_nquads(collect_quads([Path("tests/fixtures/registry_analysis")], include_derived=False))
    >>> [(r["fiscal_year"], r["amount_yen"]) for r in budget_rollups(g, to_networkx(g)).by_year if r["kind"] == "draft"]
    [(2021, 15540000000)]
    """
    book = book or BudgetBook.from_graph(graph)
    index = GraphIndex(nxg)
    ancestors = PartOfAncestors(index)

    def by(groups: dict[str, frozenset[str]], fallback: str):
        return lambda f: groups.get(f.owner or "") or (fallback,)

    figures: list[Figure] = book.figures()
    return BudgetRollups(
        by_organization=_rows(nxg, book.totals(by(_organization_groups(index), UNATTRIBUTED))),
        by_theme=_rows(nxg, book.totals(by(_theme_groups(index, ancestors), NO_THEME))),
        by_year=_rows(nxg, book.totals(lambda f: (ALL,))),
        figures=len(figures), left_out_included_in=sum(1 for f in figures if book.inside_included(f)))


def _period(row: dict) -> str:
    start, end = row["fiscal_year"], row.get("fiscal_year_end") or row["fiscal_year"]
    return str(start) if start == end else f"{start}-{end}"


def format_rollup(rows: list[dict]) -> list[list[str]]:
    """Table cells for roll-up rows (amounts with thousands separators; the change over the same entities).

    "?" after an amount or a change: figures in it overlap by an amount the graph does not give.
    """
    def money(value) -> str:
        return "" if value is None else f"{int(Decimal(value)):,}"

    def change(r: dict) -> str:
        return "" if r["change_pct"] is None else f"{r['change_pct']:+.1f}%" + ("?" if r["change_overlap_unknown"] else "")

    return [[r["group"], r["label"], r["kind"], _period(r), money(r["amount_yen"]) + ("?" if r["overlap_unknown"] else ""),
             str(r["figures"]), money(r["overlap_yen"]) if r["overlap_yen"] else "",
             str(r["compared_entities"] or ""), money(r["compared_previous_yen"]), money(r["compared_yen"]), change(r)]
            for r in rows]


ROLLUP_HEADER = ["group", "label", "kind", "FY", "yen", "figures", "overlap", "same entities", "their previous FY",
                 "their FY", "change %"]
"""Column names of `format_rollup`."""
