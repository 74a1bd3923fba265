"""The bundled registry: coverage counts, complete labels and sources, no entity defined twice."""
from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from stigraph.builder.inputs import collect_quads
from stigraph.sparql.graph import StiGraph
from stigraph.loaders.registry.schema import default_registry_dir, load_registry
from stigraph.loaders.text import compact

ORGANIZATIONS = {"Ministry", "Council", "Agency", "Unit", "Organization"}
POLICIES = {"Policy", "Plan", "Strategy", "Law", "Guideline"}
MINIMUM = {"entities": 350, "programs": 130, "organizations": 70, "funds_or_accounts": 12, "policies": 60,
           "relations": 700, "budget_entries": 90}


@pytest.fixture(scope="module")
def registry():
    return load_registry([default_registry_dir()])


@pytest.fixture(scope="module")
def bundled() -> StiGraph:
    return StiGraph.from_nquads(collect_quads(include_derived=False))


def registry_counts(registry) -> dict[str, int]:
    classes = Counter(e.cls for e in registry.entities.values())
    budgets = {(f.entity, b.fiscal_year, b.kind, b.item) for f in registry.facts for b in f.budgets}
    budgets |= {(f.entity, b.fiscal_year - 1, b.previous_kind, b.item) for f in registry.facts for b in f.budgets
                if b.previous is not None}
    relations = {(f.entity, r.predicate, r.target) for f in registry.facts for r in f.relations}
    relations |= {(f.entity, "hasTheme", t) for f in registry.facts for t, _ in f.themes}
    return {
        "entities": len(registry.entities),
        "programs": classes["Program"],
        "organizations": sum(classes[c] for c in ORGANIZATIONS),
        "funds_or_accounts": classes["Fund"] + classes["BudgetAccount"],
        "policies": sum(classes[c] for c in POLICIES),
        "relations": len(relations),
        "budget_entries": len(budgets),
    }


def test_coverage_counts(registry) -> None:
    counts = registry_counts(registry)
    print("registry counts:", counts)
    short = {k: (counts[k], v) for k, v in MINIMUM.items() if counts[k] < v}
    assert not short, f"below target (have, need): {short}"


def test_every_entity_has_labels_class_and_source(bundled: StiGraph) -> None:
    rows = bundled.select("""SELECT ?id WHERE { ?e stig:curatedId ?id ; a ?c .
        FILTER(?c NOT IN (stig:Theme, skos:Concept))
        FILTER(NOT EXISTS { ?e skos:prefLabel ?ja FILTER(LANG(?ja) = "ja") }
            || NOT EXISTS { ?e skos:prefLabel ?en FILTER(LANG(?en) = "en") }
            || NOT EXISTS { ?e stig:source/stig:line ?line }) }""")
    assert rows == []


def test_no_two_entities_share_a_name(registry) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for ident, entity in registry.entities.items():
        owners[compact(entity.ja).lower()].add(ident)
        owners[compact(entity.en).lower()].add(ident)
    for fact in registry.facts:
        for alt in fact.alt:
            owners[compact(alt).lower()].add(fact.entity)
    clashes = {name: sorted(ids) for name, ids in owners.items() if len(ids) > 1}
    assert clashes == {}, f"names used by several entities: {clashes}"


def test_curated_facts_are_countable_by_query(bundled: StiGraph) -> None:
    rows = bundled.select("""SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE {
        ?st a rdf:Statement ; stig:source ?loc . ?loc stig:provenanceKind stig:Curated ; dcterms:bibliographicCitation ?ref }""")
    curated = sum(1 for f in load_registry([default_registry_dir()]).facts for r in f.relations if r.source.curated)
    assert rows[0]["n"] == curated
