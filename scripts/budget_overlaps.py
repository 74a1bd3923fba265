"""List where budget totals of the bundled graph hold wholes that overlap, and where they might.

Run from the repository root:  python3 scripts/budget_overlaps.py [--store PATH]
(without --store: the bundled registry and derived data, built in memory).

Prints, from the budget rule (stigraph.sparql.budget.BudgetBook):
1. figures with several wholes (stig:budgetPartOf more than one figure);
2. totals (all figures; by ministry; landscape by organization and theme) that subtract shared money, or
   that are flagged because figures overlap by an amount the graph does not give, with the parts involved;
3. pairs of figures one total adds whose owners are related in the graph (same owner, partOf, administeredBy,
   fundedBy, managedBy, subOrganizationOf, overlapsWith, succeeds; one or two steps) although neither figure
   contains the other: candidates to read against the seeds (the rule cannot see them).
"""
from __future__ import annotations

import argparse
from collections import defaultdict
from itertools import combinations

from stigraph.builder.inputs import collect_quads
from stigraph.graph.analysis.budgets import budget_rollups
from stigraph.graph.projection import to_networkx
from stigraph.sparql.budget import BudgetBook, Total, yen
from stigraph.sparql.graph import StiGraph
from stigraph.sparql.library import select_named

RELATED = ("partOf", "administeredBy", "fundedBy", "managedBy", "subOrganizationOf", "overlapsWith", "succeeds")
BUDGET_ID = "https://w3id.org/stigraph/id/budget/"


def short(entry: str) -> str:
    return entry.removeprefix(BUDGET_ID)


def period(t: Total) -> str:
    return f"FY{t.fiscal_year}" + (f"-{t.fiscal_year_end}" if t.fiscal_year_end != t.fiscal_year else "")


def describe(t: Total) -> list[str]:
    out = [f"  {t.group} {t.kind} {period(t)}: {len(t.figures)} figures, {yen(t.gross):,} yen added, "
           f"{yen(t.overlap):,} shared subtracted -> {yen(t.amount):,}" + (" (overlap unknown)" if t.overlap_unknown else "")]
    for s in t.overlaps.shared:
        out.append(f"    shared {short(s.figure.entry)} {yen(s.figure.amount):,} in " + ", ".join(map(short, s.wholes)))
    for u in t.overlaps.unknown:
        what = f"entities {', '.join(u.entities)}" if u.entities else f"parts that do not nest: {', '.join(map(short, u.parts))}"
        out.append(f"    unknown between {', '.join(map(short, u.wholes))}: {what}")
    return out


def neighbours(graph: StiGraph) -> dict[str, set[str]]:
    """Entity -> entities one relation of RELATED away (either direction)."""
    values = " ".join(f"stig:{p}" for p in RELATED)
    near: dict[str, set[str]] = defaultdict(set)
    for r in graph.select(f"SELECT DISTINCT ?s ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}"):
        s, o = str(r["s"]).rsplit("/", 1)[-1], str(r["o"]).rsplit("/", 1)[-1]
        near[s].add(o)
        near[o].add(s)
    return near


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", help="a built store instead of the bundled data")
    args = parser.parse_args()
    graph = StiGraph.open(args.store) if args.store else StiGraph.from_nquads(collect_quads())
    book = BudgetBook.from_graph(graph)

    several = [f for f in book.figures() if len(f.part_of) > 1]
    print(f"1. figures with several wholes: {len(several)}")
    for f in several:
        print(f"  {short(f.entry)} {yen(f.amount):,} in " + ", ".join(map(short, f.part_of)))

    totals = book.totals()
    print("\n2. totals that share money or overlap by an unknown amount")
    print(" all figures (= stigraph query budget-totals):")
    for t in totals:
        if t.overlap or t.overlap_unknown:
            print("\n".join(describe(t)))
    print(" by ministry (= stigraph query budget-by-ministry):")
    for r in select_named(graph, "budget-by-ministry"):
        if r["overlap_yen"] or r["overlap_unknown"] == "yes":
            print(f"  {str(r['ministry']).rsplit('/', 1)[-1]} {str(r['kind']).rsplit('#', 1)[-1]} FY{r['fiscal_year']}: "
                  f"{r['total_yen']:,} after {r['overlap_yen']:,} shared, overlap unknown: {r['overlap_unknown']}")
    rollups = budget_rollups(graph, to_networkx(graph), book)
    for name, rows in (("organization", rollups.by_organization), ("theme", rollups.by_theme)):
        print(f" landscape by {name}:")
        for r in rows:
            if r["overlap_yen"] or r["overlap_unknown"]:
                print(f"  {r['group']} {r['kind']} FY{r['fiscal_year']}: {int(r['amount_yen']):,} after "
                      f"{int(r['overlap_yen']):,} shared" + (", overlap unknown" if r["overlap_unknown"] else ""))

    near = neighbours(graph)
    print("\n3. figures one total adds whose owners are related (one or two steps), neither inside the other")
    count = 0
    for t in totals:
        for a, b in combinations(t.figures, 2):
            if not a.owner or not b.owner:
                continue
            shared_parts = any({a.entry, b.entry} <= set(s.wholes) for s in t.overlaps.shared)
            one_step = b.owner in near[a.owner]
            two_steps = bool(near[a.owner] & near[b.owner])
            if a.owner == b.owner or one_step or two_steps:
                how = "same owner" if a.owner == b.owner else ("related" if one_step else
                                                               "both related to " + ", ".join(sorted(near[a.owner] & near[b.owner])[:4]))
                count += 1
                print(f"  {t.kind} {period(t)}: {short(a.entry)} ({yen(a.amount):,}) + {short(b.entry)} "
                      f"({yen(b.amount):,}): {how}" + ("; shared parts subtracted" if shared_parts else ""))
    print(f"  {count} pairs")


if __name__ == "__main__":
    main()
