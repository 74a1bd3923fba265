#!/usr/bin/env python3
"""A tour of stigraph's Python API, as an analyst would use it in a notebook.

    python docs/tour.py [STORE_DIR] [OUTPUT_DIR]

Builds the bundled graph, answers five competency questions as pandas DataFrames, runs the
dependency and overlap analyses and the ministries' network, and writes an HTML view. CI runs it
(tests/test_docs.py) and checks what it prints, so this page cannot rot.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import stigraph


def tour(store: Path, out: Path) -> dict:
    summary = stigraph.build(store).build
    print(f"built {summary.triples:,} triples; {summary.entities['Program']} programs, "
          f"{summary.entities['Agency']} agencies, {summary.budget_entries} budget entries")
    graph = stigraph.open(store)  # open once, pass the graph to every call

    # 1. Which programs does JST run? (a named query of the library)
    jst_programs = stigraph.run_df("programs-of-agency", graph, agency="jst")
    print(f"\n1. JST runs {len(jst_programs)} programs, e.g.:\n{jst_programs.head(3).to_string(index=False)}")

    # 2. What did 未来共創推進事業 get, year by year, and where does each figure stand?
    history = stigraph.run_df("budget-history", graph, entity="未来共創推進事業")
    print(f"\n2. budget history of 未来共創推進事業:\n{history.to_string(index=False)}")

    # 3. Which funds exist and who manages them? (plain SPARQL, a variable bound safely)
    funds = stigraph.query_df("""SELECT DISTINCT ?fund ?label WHERE {
        ?fund a stig:Fund ; stig:managedBy ?manager ; skos:prefLabel ?label FILTER(LANG(?label) = "en") }
        ORDER BY ?fund""", graph, manager="id:jst")
    print(f"\n3. funds managed by JST:\n{funds.to_string(index=False)}")

    # 4. Which agencies fall under MEXT?
    agencies = stigraph.run_df("agencies-of-ministry", graph, ministry="mext")
    print(f"\n4. {len(agencies)} bodies under MEXT's jurisdiction")

    # 5. What were the Basic Plans' investment targets?
    targets = stigraph.query_df("""SELECT DISTINCT ?plan (MIN(?amount) AS ?target_yen) WHERE {
        ?plan a stig:Plan ; stig:hasBudget ?b . ?b stig:budgetKind stig:Target ; stig:amount ?amount .
        FILTER(STRSTARTS(STR(?plan), "https://w3id.org/stigraph/id/basic-plan-")) } GROUP BY ?plan ORDER BY ?plan""", graph)
    print(f"\n5. Basic Plan investment targets:\n{targets.to_string(index=False)}")

    # What does Moonshot depend on?
    moonshot = stigraph.deps("moonshot", store=graph)
    print(f"\nMoonshot depends on {len(moonshot.reached())} entities: "
          + ", ".join(sorted({s.node for s in moonshot.steps if s.depth == 1})))

    # Where do efforts overlap? (stated overlaps come first)
    found = stigraph.overlaps(store=graph)
    top = found.overlaps[0]
    print(f"\noverlaps: {found.counts}; first: {top.kind} {top.a} / {top.b}")

    # Which ministries share the strategy's measures?
    network = stigraph.ministries(store=graph)
    pair = network.pairs[0]
    print(f"top ministry pair: {pair['a']} + {pair['b']} share {pair['measures']} measures")

    page = stigraph.view(store=store, focus="moonshot", depth=2, title="Moonshot").write(out / "moonshot.html")
    print(f"\nwrote {page}")
    return {
        "jst_programs": len(jst_programs), "history_rows": len(history), "jst_funds": sorted(funds["fund"]),
        "mext_agencies": len(agencies), "plan_targets": len(targets), "moonshot_direct": sorted(
            {s.node for s in moonshot.steps if s.depth == 1}), "top_overlap": (top.kind, top.a, top.b),
        "top_ministry_pair": (pair["a"], pair["b"], pair["measures"]), "view": str(page),
    }


if __name__ == "__main__":
    store_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "store"
    out_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(".")
    tour(store_dir, out_dir)
