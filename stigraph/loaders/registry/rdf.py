"""Map a checked registry to RDF quads: one named graph per registry file, a locator per source."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from stigraph.loaders.registry.schema import BUDGET_KINDS, Budget, Registry, Source
from stigraph.ontology.namespaces import GRAPH, ID, ORG, STIG

Quad = tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal, URIRef]

PREDICATE_IRIS = {p: STIG[p] for p in (
    "administeredBy", "underJurisdictionOf", "fundedBy", "managedBy", "basedOn", "partOf", "succeeds",
    "overseenBy", "decidedBy", "responsibleMinistry", "collaboratesWith", "overlapsWith",
    "participatesIn", "operates", "mentions", "hasTheme")}
PREDICATE_IRIS["subOrganizationOf"] = ORG.subOrganizationOf


def entity_iri(ident: str) -> URIRef:
    """The IRI of a curated entity; it depends on the id only, never on labels.

    >>> str(entity_iri("jst"))
    'https://w3id.org/stigraph/id/jst'
    """
    return ID[ident]


def theme_iri(ident: str) -> URIRef:
    """The IRI of a theme concept."""
    return ID[f"theme/{ident}"]


def document_iri(file_name: str) -> URIRef:
    """The IRI of a source document, from its file name without extension."""
    return ID[f"doc/{Path(file_name).stem}"]


def graph_iri_for(path: Path) -> URIRef:
    """The named graph that holds what one registry file states."""
    return GRAPH[f"registry/{path.stem}"]


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


SOURCES_GRAPH = GRAPH["sources"]
"""Locators, documents and statement skeletons, stated once for all registry files.

Oxigraph's union default graph keeps a triple once per named graph it occurs in; describing a
shared locator in every file's graph would repeat every joined row in plain SPARQL queries.
"""


def locator_quads(source: Source, graph: URIRef = SOURCES_GRAPH) -> tuple[URIRef, list[Quad]]:
    """The locator node for a source and the quads that describe it (document, line, kind).

    The description goes to the shared sources graph whatever `graph` is given.
    """
    graph = SOURCES_GRAPH
    if source.curated:
        loc = ID[f"src/curated/{_digest(source.curated)}"]
        return loc, [
            (loc, RDF.type, STIG.SourceLocator, graph),
            (loc, STIG.provenanceKind, STIG.Curated, graph),
            (loc, DCTERMS.bibliographicCitation, Literal(source.curated), graph),
        ]
    assert source.file and source.line
    span = f"L{source.line}" + (f"-L{source.line_end}" if source.line_end else "")
    doc = document_iri(source.file)
    # An inferred reading of a line gets its own locator: the same line also states other facts.
    loc = ID[f"src/{Path(source.file).stem}/{span}" + ("/inferred" if source.inferred else "")]
    quads: list[Quad] = [
        (loc, RDF.type, STIG.SourceLocator, graph),
        (loc, STIG.provenanceKind, STIG.Inferred if source.inferred else STIG.SeedLine, graph),
        (loc, STIG.document, doc, graph),
        (loc, STIG.line, Literal(source.line), graph),
        (doc, RDF.type, STIG.Document, graph),
        (doc, STIG.fileName, Literal(source.file), graph),
    ]
    if source.line_end:
        quads.append((loc, STIG.lineEnd, Literal(source.line_end), graph))
    return loc, quads


def statement_quads(subject: URIRef, predicate: URIRef, obj: URIRef, source: Source, graph: URIRef) -> list[Quad]:
    """The triple itself plus an rdf:Statement node carrying its source, so SPARQL can find the line."""
    loc, quads = locator_quads(source)
    return sourced_triple(subject, predicate, obj, loc, graph) + quads


def sourced_triple(subject: URIRef, predicate: URIRef, obj: URIRef, loc: URIRef, graph: URIRef) -> list[Quad]:
    """The triple in `graph` and its statement node pointing at the locator `loc`.

    The statement skeleton goes to the shared sources graph: one copy whoever states the triple.
    """
    stmt = ID[f"stmt/{_digest(str(subject), str(predicate), str(obj))}"]
    return [
        (subject, predicate, obj, graph),
        (stmt, RDF.type, RDF.Statement, SOURCES_GRAPH),
        (stmt, RDF.subject, subject, SOURCES_GRAPH),
        (stmt, RDF.predicate, predicate, SOURCES_GRAPH),
        (stmt, RDF.object, obj, SOURCES_GRAPH),
        (stmt, STIG.source, loc, graph),
    ]


def budget_iri(ident: str, fiscal_year: int, kind: str, item: str | None) -> URIRef:
    """The IRI of one budget figure: entity, fiscal year, kind and optional item slug."""
    return ID[f"budget/{ident}/{fiscal_year}-{kind}" + (f"-{item}" if item else "")]


def _budget_quads(ident: str, budget: Budget, graph: URIRef) -> list[Quad]:
    subject = entity_iri(ident)
    node = budget_iri(ident, budget.fiscal_year, budget.kind, budget.item)
    loc, quads = locator_quads(budget.source, graph)
    quads += [
        (subject, STIG.hasBudget, node, graph),
        (node, RDF.type, STIG.BudgetEntry, graph),
        (node, STIG.budgetOf, subject, graph),
        (node, STIG.amount, Literal(budget.amount, datatype=XSD.decimal), graph),
        (node, STIG.fiscalYear, Literal(str(budget.fiscal_year), datatype=XSD.gYear), graph),
        (node, STIG.budgetKind, STIG[BUDGET_KINDS[budget.kind]], graph),
        (node, STIG.source, loc, graph),
    ]
    if budget.fiscal_year_end:
        quads.append((node, STIG.fiscalYearEnd, Literal(str(budget.fiscal_year_end), datatype=XSD.gYear), graph))
    if budget.is_new:
        quads.append((node, STIG.isNew, Literal(True), graph))
    if budget.included_in:
        quads.append((node, STIG.includedIn, Literal(True), graph))
    if budget.marker:
        quads.append((node, STIG.marker, Literal(budget.marker), graph))
    if budget.previous is not None:
        prev = budget_iri(ident, budget.fiscal_year - 1, budget.previous_kind, budget.item)
        quads += [
            (node, STIG.previousAmount, Literal(budget.previous, datatype=XSD.decimal), graph),
            (node, STIG.previousEntry, prev, graph),
            (subject, STIG.hasBudget, prev, graph),
            (prev, RDF.type, STIG.BudgetEntry, graph),
            (prev, STIG.budgetOf, subject, graph),
            (prev, STIG.amount, Literal(budget.previous, datatype=XSD.decimal), graph),
            (prev, STIG.fiscalYear, Literal(str(budget.fiscal_year - 1), datatype=XSD.gYear), graph),
            (prev, STIG.budgetKind, STIG[BUDGET_KINDS[budget.previous_kind]], graph),
            (prev, STIG.source, loc, graph),
        ]
    return quads


def registry_quads(registry: Registry) -> Iterator[Quad]:
    """Yield every quad the registry states, with provenance, in a deterministic order.

    >>> from stigraph.loaders.registry.schema import load_registry, default_registry_dir
    >>> quads = list(registry_quads(load_registry([default_registry_dir()])))
    >>> any(q[1] == STIG.amount for q in quads)
    True
    """
    themes_graph = GRAPH["registry/themes"]
    for theme in registry.themes.values():
        node = theme_iri(theme.id)
        yield (node, RDF.type, STIG.Theme, themes_graph)
        yield (node, RDF.type, SKOS.Concept, themes_graph)
        yield (node, SKOS.inScheme, STIG.Themes, themes_graph)
        yield (node, SKOS.prefLabel, Literal(theme.ja, lang="ja"), themes_graph)
        yield (node, SKOS.prefLabel, Literal(theme.en, lang="en"), themes_graph)
        yield (node, STIG.curatedId, Literal(theme.id), themes_graph)
    for entity in registry.entities.values():
        graph = graph_iri_for(entity.file)
        node = entity_iri(entity.id)
        yield (node, RDF.type, STIG[entity.cls], graph)
        yield (node, SKOS.prefLabel, Literal(entity.ja, lang="ja"), graph)
        yield (node, SKOS.prefLabel, Literal(entity.en, lang="en"), graph)
        yield (node, STIG.curatedId, Literal(entity.id), graph)
        if entity.en_source:
            loc, quads = locator_quads(entity.en_source, graph)
            yield from quads
            yield (node, STIG.englishLabelSource, loc, graph)
    for fact in registry.facts:
        graph = graph_iri_for(fact.file)
        node = entity_iri(fact.entity)
        for source in fact.sources:
            loc, quads = locator_quads(source, graph)
            yield from quads
            yield (node, STIG.source, loc, graph)
        for alt in fact.alt:
            yield (node, SKOS.altLabel, Literal(alt), graph)
        for uri in fact.exact_match:
            yield (node, SKOS.exactMatch, URIRef(uri), graph)
        for theme, _ in fact.themes:
            yield (node, STIG.hasTheme, theme_iri(theme), graph)
        if fact.period:
            start, end, source = fact.period
            loc, quads = locator_quads(source, graph)
            yield from quads
            if start:
                yield (node, STIG.periodStart, Literal(str(start), datatype=XSD.gYear), graph)
            if end:
                yield (node, STIG.periodEnd, Literal(str(end), datatype=XSD.gYear), graph)
            yield (node, STIG.periodSource, loc, graph)
        if fact.decided:
            date, source = fact.decided
            loc, quads = locator_quads(source, graph)
            yield from quads
            datatype = XSD.date if len(date) == 10 else (XSD.gYearMonth if len(date) == 7 else XSD.gYear)
            yield (node, STIG.dateDecided, Literal(date, datatype=datatype), graph)
            yield (node, STIG.dateSource, loc, graph)
        for rel in fact.relations:
            yield from statement_quads(node, PREDICATE_IRIS[rel.predicate], entity_iri(rel.target), rel.source, graph)
        for budget in fact.budgets:
            yield from _budget_quads(fact.entity, budget, graph)


