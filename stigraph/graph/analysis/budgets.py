"""Budget roll-ups by organization, theme and fiscal year, with the change from the year before.

Amounts are exact yen (Decimal from xsd:decimal). Figures of different kinds are never added up:
initial, draft and request figures form the "annual" family (per entity and year the most final
one counts: initial, else draft, else request); supplementary, fund size, total cost, target and
actual each form their own family. Within one entity, year and family the largest figure counts
(a breakdown item is never larger than its whole); figures marked 内数 (included in another figure)
are left out, and so are the figures of plans, strategies, laws and guidelines (investment targets
and national totals, not spending lines).

Nothing is counted twice: a figure is skipped in a group when one of its containers already has a
figure of the same year and family in that group. The containers of a program are the programs it
is part of (partOf, transitively) and the organizations that run it; those of a unit, its agency.
So an agency's own budget line stands for its programs in the agency's row and in the yearly total.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import networkx as nx

from stigraph.graph.analysis._common import ORGANIZATION_CLASSES, POLICY_CLASSES, GraphIndex, PartOfAncestors, label, runners
from stigraph.sparql.graph import StiGraph
from stigraph.graph.projection import node_id
from stigraph.sparql.run import read_query_file

QUERY = Path(__file__).resolve().parent / "queries" / "budget_entries.rq"
FAMILIES = {"Initial": "annual", "Draft": "annual", "Request": "annual", "Supplementary": "supplementary",
            "FundSize": "fund_size", "TotalCost": "total_cost", "Target": "target", "Actual": "actual"}
ANNUAL_PRIORITY = ("Initial", "Draft", "Request")
UNATTRIBUTED = "(unattributed)"
NO_THEME = "(no theme)"


@dataclass
class BudgetRollups:
    """Rows {group, label, family, fiscal_year, amount_yen, entities, previous_yen, change_yen, change_pct}."""

    by_organization: list[dict] = field(default_factory=list)
    by_theme: list[dict] = field(default_factory=list)
    by_year: list[dict] = field(default_factory=list)
    figures: int = 0
    left_out_included_in: int = 0
    left_out_policy_level: int = 0

    def as_dict(self) -> dict:
        return {"figures": self.figures, "left_out_included_in": self.left_out_included_in,
                "left_out_policy_level": self.left_out_policy_level,
                "by_organization": self.by_organization, "by_theme": self.by_theme, "by_year": self.by_year}


def budget_figures(graph: StiGraph) -> tuple[dict[tuple[str, str, int], Decimal], int]:
    """(entity, family, fiscal year) -> the amount that counts, and how many 内数 figures were left out."""
    rows = graph.select(read_query_file(QUERY))
    by_kind: dict[tuple[str, str, int], dict[str, Decimal]] = defaultdict(dict)
    left_out = 0
    for row in rows:
        if row["included"] is True:
            left_out += 1
            continue
        kind = str(row["kind"]).rsplit("#", 1)[-1]
        family = FAMILIES.get(kind)
        if family is None:
            continue
        key = (node_id(str(row["entity"])), family, int(str(row["fy"])[:4]))
        amount = Decimal(row["amount"])
        by_kind[key][kind] = max(amount, by_kind[key].get(kind, amount))
    figures: dict[tuple[str, str, int], Decimal] = {}
    for key, kinds in by_kind.items():
        if key[1] == "annual":
            figures[key] = next(kinds[k] for k in ANNUAL_PRIORITY if k in kinds)
        else:
            figures[key] = max(kinds.values())
    return figures, left_out


def _yen(amount: Decimal) -> int | str:
    return int(amount) if amount == amount.to_integral_value() else str(amount)


def _groups_by_organization(index: GraphIndex) -> dict[str, frozenset[str]]:
    run = runners(index)
    groups = {n: frozenset({n}) for n, c in index.cls.items() if c in ORGANIZATION_CLASSES}
    for node, orgs in run.items():
        groups.setdefault(node, orgs)
    return groups


def _groups_by_theme(index: GraphIndex, ancestors: PartOfAncestors) -> dict[str, frozenset[str]]:
    own: dict[str, set[str]] = defaultdict(set)
    for u, v in index.edges("hasTheme"):
        own[u].add(v)
    groups = {}
    for node in index.cls:
        themes = own.get(node) or set().union(*(own.get(a, set()) for a in ancestors(node)))
        if themes:
            groups[node] = frozenset(themes)
    return groups


def _containers(index: GraphIndex, ancestors: PartOfAncestors) -> dict[str, frozenset[str]]:
    """Entity -> what its budget lines are part of: programs above it, bodies that run it, a unit's agency."""
    run = runners(index)
    above = index.parents("subOrganizationOf")
    found: dict[str, frozenset[str]] = {}
    for node, cls in index.cls.items():
        if cls in ORGANIZATION_CLASSES:
            found[node] = frozenset(above.get(node, ()))
        else:
            found[node] = ancestors(node) | run.get(node, frozenset())
    return found


def _roll_up(nxg: nx.MultiDiGraph, figures: dict[tuple[str, str, int], Decimal], groups: dict[str, frozenset[str]],
             containers: dict[str, frozenset[str]], fallback: str) -> list[dict]:
    totals: dict[tuple[str, str, int], Decimal] = defaultdict(Decimal)
    entities: dict[tuple[str, str, int], int] = defaultdict(int)
    for (entity, family, year), amount in figures.items():
        mine = groups.get(entity) or frozenset({fallback})
        for group in mine:
            nested = any((c, family, year) in figures and group in (groups.get(c) or frozenset({fallback}))
                         for c in containers.get(entity, ()))
            if not nested:
                totals[(group, family, year)] += amount
                entities[(group, family, year)] += 1
    rows = []
    for (group, family, year), amount in sorted(totals.items()):
        previous = totals.get((group, family, year - 1))
        change = amount - previous if previous is not None else None
        rows.append({
            "group": group, "label": label(nxg, group) if group in nxg else group, "family": family,
            "fiscal_year": year, "amount_yen": _yen(amount), "entities": entities[(group, family, year)],
            "previous_yen": _yen(previous) if previous is not None else None,
            "change_yen": _yen(change) if change is not None else None,
            "change_pct": round(float(change / previous * 100), 1) if change is not None and previous else None})
    return rows


def budget_rollups(graph: StiGraph, nxg: nx.MultiDiGraph) -> BudgetRollups:
    """Roll the graph's budget figures up by organization, theme and fiscal year (see module docstring).

    >>> from pathlib import Path
    >>> from stigraph.builder.inputs import collect_quads
    >>> from stigraph.graph.projection import to_networkx
    >>> g = StiGraph.from_nquads(collect_quads([Path("tests/fixtures/registry_analysis")], include_derived=False))
    >>> [r["amount_yen"] for r in budget_rollups(g, to_networkx(g)).by_year if r["family"] == "annual"]
    [13236000000, 15540000000]
    """
    all_figures, left_out = budget_figures(graph)
    index = GraphIndex(nxg)
    figures = {k: v for k, v in all_figures.items() if index.cls.get(k[0]) not in POLICY_CLASSES}
    ancestors = PartOfAncestors(index)
    containers = _containers(index, ancestors)
    everything = {entity: frozenset({"all"}) for entity, _, _ in figures}
    return BudgetRollups(
        by_organization=_roll_up(nxg, figures, _groups_by_organization(index), containers, UNATTRIBUTED),
        by_theme=_roll_up(nxg, figures, _groups_by_theme(index, ancestors), containers, NO_THEME),
        by_year=_roll_up(nxg, figures, everything, containers, "all"),
        figures=len(figures), left_out_included_in=left_out, left_out_policy_level=len(all_figures) - len(figures))


def format_rollup(rows: list[dict]) -> list[list[str]]:
    """Table cells for roll-up rows (amounts with thousands separators)."""
    def yen(value) -> str:
        return "" if value is None else f"{int(Decimal(value)):,}"

    return [[r["group"], r["label"], r["family"], str(r["fiscal_year"]), yen(r["amount_yen"]), yen(r["previous_yen"]),
             yen(r["change_yen"]), "" if r["change_pct"] is None else f"{r['change_pct']:+.1f}%"] for r in rows]
