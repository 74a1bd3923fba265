"""Print the README's "The data" table from a fresh build of the bundled data (curated vs extracted).

    python scripts/data_counts.py          # builds into a temporary store, prints the table rows
"""
from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stigraph import api  # noqa: E402
from stigraph.ontology.vocabulary import RELATIONS  # noqa: E402
from stigraph.sparql.graph import StiGraph  # noqa: E402

STIG = "https://w3id.org/stigraph/ontology#"
REGISTRY = "https://w3id.org/stigraph/graph/registry/"
DERIVED = "https://w3id.org/stigraph/graph/doc/"  # the bundled findings: one graph per seed document
GROUPS = {"programs": ["Program"], "organizations": ["Ministry", "Council", "Agency", "Unit", "Organization"],
          "policies": ["Plan", "Strategy", "Law", "Guideline", "Policy"], "initiatives and events": ["Initiative"],
          "funds and budget accounts": ["Fund", "BudgetAccount"], "facilities and systems": ["Facility"],
          "documents": ["Document"]}


def counts(graph: StiGraph) -> dict:
    """Entities per class and relations per predicate, curated (registry graphs) and extracted (derived)."""
    classes: Counter[str] = Counter()
    for row in graph.select("SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a ?c ; "
                            f"<{STIG}curatedId> ?id }} FILTER(STRSTARTS(STR(?g), '{REGISTRY}')) }} GROUP BY ?c"):
        classes[str(row["c"]).rsplit("#", 1)[-1]] = int(row["n"])
    relations = {}
    for prefix in (REGISTRY, DERIVED):
        values = " ".join(f"<{iri}>" for iri in RELATIONS.values())
        rows = graph.select(f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} "
                            f"FILTER(STRSTARTS(STR(?g), '{prefix}')) }} GROUP BY ?p")
        relations[prefix] = {str(r["p"]).rsplit("#", 1)[-1]: int(r["n"]) for r in rows}
    measures = int(graph.select(f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ GRAPH ?g {{ ?m a <{STIG}Measure> }} "
                                f"FILTER(STRSTARTS(STR(?g), '{DERIVED}')) }}")[0]["n"])
    budgets = int(graph.select(f"SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE {{ ?b a <{STIG}BudgetEntry> }}")[0]["n"])
    return {"classes": classes, "relations": relations, "measures": measures, "budgets": budgets}


def table(found: dict) -> str:
    classes, curated, derived = found["classes"], found["relations"][REGISTRY], found["relations"][DERIVED]
    parts = []
    for group, members in GROUPS.items():
        total = sum(classes[c] for c in members)
        detail = ", ".join(f"{classes[c]} {c}" for c in members if classes[c]) if len(members) > 1 else ""
        parts.append(f"{total} {group}" + (f" ({detail})" if detail else ""))
    entities = sum(classes[c] for members in GROUPS.values() for c in members)
    return "\n".join([
        "| curated | count |", "|---|---|",
        f"| entities | {entities:,}: {', '.join(parts)}; {classes['Theme']} themes |",
        f"| relations | {sum(curated.values()):,} curated |",
        f"| budget entries | {found['budgets']} (yen, fiscal year, kind, previous-year amount, what each is part of) |",
        f"| extracted | {found['measures']:,} strategy measures with {derived.get('responsibleMinistry', 0):,} ministry "
        f"links; {derived.get('mentions', 0):,} mentions; {sum(derived.values()):,} relations in all |"])


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        api.build(Path(scratch) / "store")
        print(table(counts(StiGraph.open(Path(scratch) / "store"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
