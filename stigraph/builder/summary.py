"""What a store holds after a build or update: entities per class, relations, budget entries, size."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from stigraph.ontology.vocabulary import ENTITY_CLASSES, RELATIONS, relation_name, short_class
from stigraph.sparql.internal import internal_query

TRIPLE_COUNT_LIMIT = 500_000
"""Distinct triples are counted only below this many quads (the count scans and sorts the whole graph)."""


@dataclass
class BuildSummary:
    """What the store holds: counts by class and relation, quads, named graphs, distinct triples."""

    store: Path
    quads: int
    graphs: int
    triples: int | None = None
    seconds: float = 0.0
    entities: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    budget_entries: int = 0

    def as_dict(self) -> dict:
        return {"store": str(self.store), "triples": self.triples, "quads": self.quads, "graphs": self.graphs,
                "seconds": round(self.seconds, 3), "entities": self.entities, "relations": self.relations,
                "budget_entries": self.budget_entries}


def summarize(db: ox.Store, path: Path) -> BuildSummary:
    """Count entities per class, relations per predicate, budget entries, quads and graphs of a store."""
    def rows(query: str) -> list:
        return list(db.query(query, use_default_graph_as_union=True))

    classes: Counter[str] = Counter()
    for row in rows(internal_query("entity-counts")):
        name = short_class(row["class"].value)
        if name in ENTITY_CLASSES or name == "BudgetEntry":
            classes[name] = int(row["n"].value)
    relations: Counter[str] = Counter()
    query = internal_query("relation-counts", ("p",), [(iri,) for iri in RELATIONS.values()])
    for row in rows(query):
        relations[relation_name(row["p"].value) or row["p"].value] = int(row["n"].value)
    quads = len(db)
    triples = None
    if quads <= TRIPLE_COUNT_LIMIT:
        triples = int(rows(internal_query("triple-count"))[0]["n"].value)
    budgets = classes.pop("BudgetEntry", 0)
    return BuildSummary(store=path, quads=quads, graphs=sum(1 for _ in db.named_graphs()), triples=triples,
                        entities=dict(sorted(classes.items())), relations=dict(sorted(relations.items())),
                        budget_entries=budgets)
