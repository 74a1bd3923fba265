"""Extraction results -> N-Quads in one named graph per document, through the provenance writer.

Facts only: measures are labelled by document, section and position ("003 §2.1(1)① item 12"), never
by their text. Every fact carries a locator with provenance kind stig:Extracted.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from stigraph.loaders.provenance import TYPE, QuadWriter, iri, literal, p
from stigraph.ontology.vocabulary import (
    RELATIONS, budget_iri, document_iri, entity_iri, graph_iri, measure_iri, theme_iri,
)

if TYPE_CHECKING:  # pragma: no cover
    from stigraph.extract import ExtractionResult
    from stigraph.extract.budget import BudgetEntry

_DCTERMS = "http://purl.org/dc/terms/"


def graph_for(stem: str) -> str:
    """The named graph of one extracted document.

    >>> graph_for("003_x")
    'https://w3id.org/stigraph/graph/doc/003_x'
    """
    return graph_iri(f"doc/{stem}")


def _item(entry: BudgetEntry, stem: str) -> str:
    """The item slug of an extracted figure: document number, line, and list row where rows share a line."""
    return f"x{stem.split('_')[0]}-l{entry.line}" + (f"-r{entry.row}" if entry.row else "")


def _entry_iri(entry: BudgetEntry, stem: str) -> str:
    if entry.curated:
        return entry.curated
    return budget_iri(entry.entity or f"doc/{stem}", entry.fiscal_year, entry.kind, _item(entry, stem))


def _previous_iri(entry: BudgetEntry, stem: str) -> str:
    if entry.previous_curated:
        return entry.previous_curated
    return budget_iri(entry.entity or f"doc/{stem}", entry.fiscal_year - 1, entry.previous_kind,
                      _item(entry, stem) + "-previous")


def _budgets(w: QuadWriter, entries: list[BudgetEntry], file_name: str, stem: str) -> None:
    """Budget entries; a figure that restates a curated one only adds its source(s) to the curated entry."""
    by_line = {e.line: e for e in entries}
    for entry in entries:
        node = _entry_iri(entry, stem)
        loc = w.line_locator(file_name, entry.line, entry.line_end, kind="Extracted", page=entry.page, row=entry.row)
        whole = by_line.get(entry.part_of_line) if entry.part_of_line else None
        if entry.curated:
            w.sourced(node, loc)
        else:
            w.budget_entry(node, amount=entry.amount, fiscal_year=entry.fiscal_year, kind=entry.kind, loc=loc,
                           owner=entity_iri(entry.entity) if entry.entity else None, label=entry.name,
                           is_new=entry.is_new, marker=entry.marker, document=document_iri(file_name),
                           part_of=_entry_iri(whole, stem) if whole else None)
            if entry.project_id:  # 予算事業ID
                w.quad(iri(node), iri(f"{_DCTERMS}identifier"), literal(entry.project_id))
        for extra in entry.also_lines:
            w.sourced(node, w.line_locator(file_name, extra, None, kind="Extracted", page=entry.page))
        if entry.previous is None:
            continue
        previous = _previous_iri(entry, stem)
        if entry.previous_curated:
            w.sourced(previous, loc)
        else:
            whole_before = _previous_iri(whole, stem) if whole is not None and whole.previous is not None else None
            w.budget_entry(previous, amount=entry.previous, fiscal_year=entry.fiscal_year - 1,
                           kind=entry.previous_kind, loc=loc, owner=entity_iri(entry.entity) if entry.entity else None,
                           label=entry.name, part_of=whole_before)
        if not entry.curated:
            w.previous_year(node, previous, entry.previous)


def extraction_quads(result: ExtractionResult, with_mentions: bool = True) -> Iterator[str]:
    """Yield the N-Quads lines of one extraction result, all in GRAPH["doc/<stem>"].

    Measures become stig:Measure nodes (label = document, section, position; no text) with
    stig:responsibleMinistry, stig:overlapsWith (再掲), stig:mentions and stig:hasTheme; budget entries
    become stig:BudgetEntry nodes like the registry's; document mentions become stig:mentions.
    """
    lines: list[str] = []
    w = QuadWriter(lines.append, graph_for(result.stem))
    file_name, stem = result.file_name, result.stem
    doc = w.document(file_name)
    ids = {m.id for m in result.measures}
    for m in result.measures:
        node = measure_iri(stem, m.id)
        loc = w.line_locator(file_name, m.line, m.line_end, kind="Extracted")
        w.quad(iri(node), TYPE, p("Measure"))
        w.labels(node, en=m.label)
        w.quad(iri(node), p("section"), literal(m.section))
        w.quad(iri(node), p("column"), literal(m.column))
        w.sourced(node, loc)
        w.quad(iri(node), iri(f"{_DCTERMS}isPartOf"), iri(doc))
        tag_loc = w.line_locator(file_name, m.tag_line, m.line_end, kind="Extracted")
        for ident in m.ministry_ids:
            w.relation(node, RELATIONS["responsibleMinistry"], entity_iri(ident), tag_loc)
        if m.repeats and m.repeats in ids:
            w.relation(node, RELATIONS["overlapsWith"], measure_iri(stem, m.repeats), loc)
        for ident in m.mentions:
            w.relation(node, RELATIONS["mentions"], entity_iri(ident), loc)
        for theme in m.themes:
            w.quad(iri(node), p("hasTheme"), iri(theme_iri(theme)))
        yield from lines
        lines.clear()
    _budgets(w, result.budgets, file_name, stem)
    if with_mentions:
        for mention in result.mentions:
            loc = w.line_locator(file_name, mention.lines[0], None, kind="Extracted")
            w.relation(doc, RELATIONS["mentions"], entity_iri(mention.entity), loc)
    yield from lines
