"""Extraction results -> RDF quads in one named graph per document, provenance like the registry's.

Facts only: measures are labelled by document, section and position ("003 §2.1(1)① item 12"), never
by their text. Every fact carries a stig:SourceLocator with stig:provenanceKind stig:Extracted.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from stigraph.loaders.registry.rdf import SOURCES_GRAPH, Quad, sourced_triple, budget_iri, document_iri, entity_iri, theme_iri
from stigraph.loaders.registry.schema import BUDGET_KINDS
from stigraph.ontology.namespaces import GRAPH, ID, STIG

if TYPE_CHECKING:  # pragma: no cover
    from stigraph.loaders.documents import ExtractionResult
    from stigraph.loaders.documents.budget import BudgetEntry


def graph_for(stem: str) -> URIRef:
    """The named graph of one extracted document.

    >>> str(graph_for("003_x"))
    'https://w3id.org/stigraph/graph/doc/003_x'
    """
    return GRAPH[f"doc/{stem}"]


def measure_iri(stem: str, ident: str) -> URIRef:
    return ID[f"measure/{stem}/{ident}"]


def extracted_locator(file_name: str, line: int, line_end: int | None, graph: URIRef,
                      page: int | None = None, row: int | None = None) -> tuple[URIRef, list[Quad]]:
    """A locator node for lines found by an extractor (provenance kind stig:Extracted).

    `page` is the PDF page of the line; `row` the row number of a list whose rows share one text line.
    """
    stem = file_name.rsplit(".", 1)[0]
    span = f"L{line}" + (f"-L{line_end}" if line_end and line_end != line else "") + (f"-r{row}" if row else "")
    loc = ID[f"src/extracted/{stem}/{span}"]
    doc = document_iri(file_name)
    quads: list[Quad] = [
        (loc, RDF.type, STIG.SourceLocator, graph),
        (loc, STIG.provenanceKind, STIG.Extracted, graph),
        (loc, STIG.document, doc, graph),
        (loc, STIG.line, Literal(line), graph),
    ]
    if line_end and line_end != line:
        quads.append((loc, STIG.lineEnd, Literal(line_end), graph))
    if page:
        quads.append((loc, STIG.page, Literal(page), graph))
    if row:
        quads.append((loc, STIG.row, Literal(row), graph))
    return loc, quads


def _statement(subject: URIRef, predicate: URIRef, obj: URIRef, loc: URIRef, graph: URIRef) -> list[Quad]:
    return sourced_triple(subject, predicate, obj, loc, graph)


def _budget_quads(entry: BudgetEntry, file_name: str, stem: str, graph: URIRef) -> list[Quad]:
    prefix = stem.split("_")[0]
    owner = entry.entity or f"doc/{stem}"
    item = f"x{prefix}-l{entry.line}" + (f"-r{entry.row}" if entry.row else "")
    node = budget_iri(owner, entry.fiscal_year, entry.kind, item)
    loc, quads = extracted_locator(file_name, entry.line, entry.line_end, graph, entry.page, entry.row)
    quads += [
        (node, RDF.type, STIG.BudgetEntry, graph),
        (node, STIG.amount, Literal(entry.amount, datatype=XSD.decimal), graph),
        (node, STIG.fiscalYear, Literal(str(entry.fiscal_year), datatype=XSD.gYear), graph),
        (node, STIG.budgetKind, STIG[BUDGET_KINDS[entry.kind]], graph),
        (node, STIG.source, loc, graph),
        (node, DCTERMS.source, document_iri(file_name), graph),
    ]
    if entry.name:
        quads.append((node, SKOS.prefLabel, Literal(entry.name, lang="ja"), graph))
    if entry.project_id:
        quads.append((node, DCTERMS.identifier, Literal(entry.project_id), graph))  # 予算事業ID
    if entry.entity:
        subject = entity_iri(entry.entity)
        quads += [(subject, STIG.hasBudget, node, graph), (node, STIG.budgetOf, subject, graph)]
    if entry.is_new:
        quads.append((node, STIG.isNew, Literal(True), graph))
    if entry.marker:
        quads.append((node, STIG.marker, Literal(entry.marker), graph))
    for extra in entry.also_lines:
        other, more = extracted_locator(file_name, extra, None, graph, entry.page)
        quads += more + [(node, STIG.source, other, graph)]
    if entry.previous is not None:
        prev = budget_iri(owner, entry.fiscal_year - 1, entry.previous_kind, item + "-previous")
        quads += [
            (node, STIG.previousAmount, Literal(entry.previous, datatype=XSD.decimal), graph),
            (node, STIG.previousEntry, prev, graph),
            (prev, RDF.type, STIG.BudgetEntry, graph),
            (prev, STIG.amount, Literal(entry.previous, datatype=XSD.decimal), graph),
            (prev, STIG.fiscalYear, Literal(str(entry.fiscal_year - 1), datatype=XSD.gYear), graph),
            (prev, STIG.budgetKind, STIG[BUDGET_KINDS[entry.previous_kind]], graph),
            (prev, STIG.source, loc, graph),
        ]
        if entry.name:
            quads.append((prev, SKOS.prefLabel, Literal(entry.name, lang="ja"), graph))
        if entry.entity:
            subject = entity_iri(entry.entity)
            quads += [(subject, STIG.hasBudget, prev, graph), (prev, STIG.budgetOf, subject, graph)]
    return quads


def extraction_quads(result: ExtractionResult, with_mentions: bool = True) -> Iterator[Quad]:
    """Yield the quads of one extraction result, all in GRAPH["doc/<stem>"].

    Measures become stig:Measure nodes (label = document, section, position; no text) with
    stig:responsibleMinistry, stig:overlapsWith (再掲), stig:mentions and stig:hasTheme; budget entries
    become stig:BudgetEntry nodes like the registry's; document mentions become stig:mentions.
    """
    file_name = result.file_name
    stem = result.stem
    graph = graph_for(stem)
    doc = document_iri(file_name)
    yield (doc, RDF.type, STIG.Document, SOURCES_GRAPH)
    yield (doc, STIG.fileName, Literal(file_name), SOURCES_GRAPH)
    ids = {m.id for m in result.measures}
    for m in result.measures:
        node = measure_iri(stem, m.id)
        loc, quads = extracted_locator(file_name, m.line, m.line_end, graph)
        yield from quads
        yield (node, RDF.type, STIG.Measure, graph)
        yield (node, SKOS.prefLabel, Literal(m.label, lang="en"), graph)
        yield (node, STIG.section, Literal(m.section), graph)
        yield (node, STIG.column, Literal(m.column), graph)
        yield (node, STIG.source, loc, graph)
        yield (node, DCTERMS.isPartOf, doc, graph)
        tag_loc, tag_quads = extracted_locator(file_name, m.tag_line, m.line_end, graph)
        yield from tag_quads
        for ident in m.ministry_ids:
            yield from _statement(node, STIG.responsibleMinistry, entity_iri(ident), tag_loc, graph)
        if m.repeats and m.repeats in ids:
            yield from _statement(node, STIG.overlapsWith, measure_iri(stem, m.repeats), loc, graph)
        for ident in m.mentions:
            yield from _statement(node, STIG.mentions, entity_iri(ident), loc, graph)
        for theme in m.themes:
            yield (node, STIG.hasTheme, theme_iri(theme), graph)
    for entry in result.budgets:
        yield from _budget_quads(entry, file_name, stem, graph)
    if with_mentions:
        for mention in result.mentions:
            loc, quads = extracted_locator(file_name, mention.lines[0], None, graph)
            yield from quads
            yield from _statement(doc, STIG.mentions, entity_iri(mention.entity), loc, graph)
