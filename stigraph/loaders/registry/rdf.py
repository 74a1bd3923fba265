"""Map a checked registry to N-Quads through the provenance writer: one named graph per registry file.

Locator descriptions of the whole registry go to one graph (`graph/sources/registry`), so a line cited
by several files is described once.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from stigraph.loaders.provenance import TYPE, QuadWriter, gyear, iri, literal, p
from stigraph.loaders.registry.budgets import budget_key, previous_key
from stigraph.loaders.registry.records import Budget, Registry, Source
from stigraph.ontology.vocabulary import (
    RELATIONS, budget_iri, class_iri, entity_iri, graph_iri, theme_iri,
)

REGISTRY_SOURCES_GRAPH = graph_iri("sources/registry")
THEMES_GRAPH = graph_iri("registry/themes")
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_XSD = "http://www.w3.org/2001/XMLSchema#"


def graph_iri_for(path: Path) -> str:
    """The named graph that holds what one registry file states.

    >>> graph_iri_for(Path("agencies.yaml"))
    'https://w3id.org/stigraph/graph/registry/agencies'
    """
    return graph_iri(f"registry/{path.stem}")


def _locator(w: QuadWriter, source: Source) -> str:
    if source.curated:
        return w.cited_locator(source.curated, kind="Curated")
    assert source.file and source.line
    # A relation read from a line that only suggests it: same line, its own locator of kind Inferred.
    return w.line_locator(source.file, source.line, source.line_end, kind="Inferred" if source.inferred else "SeedLine")


def _budget(w: QuadWriter, ident: str, budget: Budget) -> None:
    owner = entity_iri(ident)
    node = budget_iri(*budget_key(ident, budget))
    loc = _locator(w, budget.source)
    first, *more = [budget_iri(*key) for key in budget.parents] or [None]
    w.budget_entry(node, amount=budget.amount, fiscal_year=budget.fiscal_year, kind=budget.kind, loc=loc,
                   owner=owner, fiscal_year_end=budget.fiscal_year_end, is_new=budget.is_new,
                   included_in=budget.included_in, marker=budget.marker, part_of=first)
    _more_wholes(w, node, more)
    previous = previous_key(ident, budget)
    if previous is not None:
        first, *more = [budget_iri(*key) for key in budget.previous_parents] or [None]
        w.budget_entry(budget_iri(*previous), amount=budget.previous, fiscal_year=budget.fiscal_year - 1,
                       kind=budget.previous_kind, loc=loc, owner=owner, part_of=first)
        _more_wholes(w, budget_iri(*previous), more)
        w.previous_year(node, budget_iri(*previous), budget.previous)


def _more_wholes(w: QuadWriter, node: str, wholes: list[str]) -> None:
    """The further figures a figure is part of (stig:budgetPartOf is not functional: wholes may overlap)."""
    for whole in wholes:
        w.quad(iri(node), p("budgetPartOf"), iri(whole))


def registry_quads(registry: Registry) -> Iterator[str]:
    """Yield every quad the registry states, with provenance, as N-Quads lines in a deterministic order.

    >>> from stigraph.loaders.registry.schema import load_registry, default_registry_dir
    >>> lines = list(registry_quads(load_registry([default_registry_dir()])))
    >>> any("ontology#amount>" in line for line in lines)
    True
    """
    lines: list[str] = []
    w = QuadWriter(lines.append, THEMES_GRAPH, sources_graph=REGISTRY_SOURCES_GRAPH)

    def flush() -> Iterator[str]:
        yield from lines
        lines.clear()

    skos = lambda local: iri(f"{_SKOS}{local}")  # noqa: E731
    for theme in registry.themes.values():
        node = iri(theme_iri(theme.id))
        w.quad(node, TYPE, p("Theme"))
        w.quad(node, TYPE, skos("Concept"))
        w.quad(node, skos("inScheme"), p("Themes"))
        w.labels(theme_iri(theme.id), ja=theme.ja, en=theme.en)
        w.quad(node, p("curatedId"), literal(theme.id))
    yield from flush()
    for entity in registry.entities.values():
        w.use_graph(graph_iri_for(entity.file))
        node = entity_iri(entity.id)
        w.quad(iri(node), TYPE, iri(class_iri(entity.cls)))
        w.labels(node, ja=entity.ja, en=entity.en)
        w.quad(iri(node), p("curatedId"), literal(entity.id))
        if entity.en_source:
            w.quad(iri(node), p("englishLabelSource"), iri(_locator(w, entity.en_source)))
        yield from flush()
    for fact in registry.facts:
        w.use_graph(graph_iri_for(fact.file))
        node = entity_iri(fact.entity)
        for source in fact.sources:
            w.sourced(node, _locator(w, source))
        w.labels(node, alt=tuple(fact.alt))
        for uri in fact.exact_match:
            w.quad(iri(node), skos("exactMatch"), iri(uri))
        for theme, _ in fact.themes:
            w.quad(iri(node), p("hasTheme"), iri(theme_iri(theme)))
        if fact.period:
            start, end, source = fact.period
            loc = _locator(w, source)
            if start:
                w.quad(iri(node), p("periodStart"), gyear(start))
            if end:
                w.quad(iri(node), p("periodEnd"), gyear(end))
            w.quad(iri(node), p("periodSource"), iri(loc))
        if fact.decided:
            date, source = fact.decided
            loc = _locator(w, source)
            datatype = "date" if len(date) == 10 else ("gYearMonth" if len(date) == 7 else "gYear")
            w.quad(iri(node), p("dateDecided"), literal(date, datatype=f"{_XSD}{datatype}"))
            w.quad(iri(node), p("dateSource"), iri(loc))
        for rel in fact.relations:
            w.relation(node, RELATIONS[rel.predicate], entity_iri(rel.target), _locator(w, rel.source))
        for budget in fact.budgets:
            _budget(w, fact.entity, budget)
        if fact.corporate_number:
            number, source = fact.corporate_number
            w.quad(iri(node), p("corporateNumber"), literal(number))
            w.quad(iri(node), p("corporateNumberSource"), iri(_locator(w, source)))
        yield from flush()


__all__ = ["REGISTRY_SOURCES_GRAPH", "graph_iri_for", "registry_quads"]
