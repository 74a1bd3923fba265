"""Document extractors: budget lines, strategy measures with ministry tags, and entity mentions.

>>> from stigraph.extract import extract_file, extraction_quads  # doctest: +SKIP
>>> result = extract_file("000_e5eefd47d6133f4f.txt", kind="budget")  # doctest: +SKIP
>>> [(b.name, str(b.amount)) for b in result.budgets][:1]  # doctest: +SKIP
[('戦略的創造研究推進事業(社会技術研究開発)', '1561000000')]
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from stigraph.errors import ExtractionError
from stigraph.extract.budget import BudgetEntry, Unread, extract_budgets
from stigraph.extract.budget_links import assign_parents, curated_index, link_curated
from stigraph.extract.mentions import (
    TOKENIZERS, Gazetteer, Mention, entities_in, find_mentions, registry_gazetteer, theme_automaton, themes_in,
)
from stigraph.extract.rdf import extraction_quads, graph_for
from stigraph.extract.reading import Document, read_document
from stigraph.extract.strategy import Legend, Measure, extract_measures, load_legend_data

__all__ = [
    "KINDS", "ExtractionResult", "BudgetEntry", "Measure", "Mention", "Unread", "extract_file",
    "extract_document", "extraction_quads", "graph_for", "read_document",
]

KINDS = ("budget", "measures", "mentions", "all")
LINK_CLASSES = {"Program", "Fund", "Agency", "Unit"}


@dataclass
class ExtractionResult:
    """What the extractors found in one document; `to_dict()` is JSON-serialisable."""

    file_name: str
    stem: str
    encoding: str
    line_count: int
    pages: int | None = None
    budgets: list[BudgetEntry] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    unresolved: dict[str, list[int]] = field(default_factory=dict)
    missing_ids: list[str] = field(default_factory=list)
    legend: Legend | None = None
    dropped_mentions: dict[str, int] = field(default_factory=dict)
    """Hits on generic labels (stigraph/data/generic_labels.yaml) left out: label -> count, document and measures."""

    def budget_links(self) -> dict[str, list[BudgetEntry]]:
        """Registry entity id -> the budget entries linked to it."""
        links: dict[str, list[BudgetEntry]] = {}
        for b in self.budgets:
            if b.entity:
                links.setdefault(b.entity, []).append(b)
        return links

    def candidate_names(self) -> dict[str, list[int]]:
        """Names of budget entries that match no registry entity (candidate new entities) -> their lines."""
        names: dict[str, list[int]] = {}
        for b in self.budgets:
            if b.is_candidate and b.line not in names.setdefault(b.name, []):
                names[b.name].append(b.line)
        return names

    def to_dict(self, with_text: bool = True) -> dict:
        """Plain data: amounts in yen as strings, lines as ints (measure text only if `with_text`)."""
        return {
            "file": self.file_name, "encoding": self.encoding, "lines": self.line_count, "pages": self.pages,
            "budget_summary": {
                "found": len(self.budgets), "unread": sum(u.kind == "budget" for u in self.unread),
                "links": {ident: [b.line for b in entries] for ident, entries in sorted(self.budget_links().items())},
                "candidates": self.candidate_names(),
            },
            "budgets": [b.to_dict() for b in self.budgets],
            "measures": [m.to_dict(with_text) for m in self.measures],
            "mentions": [m.to_dict() for m in self.mentions],
            "unread": [u.to_dict() for u in self.unread],
            "unresolved_abbreviations": self.unresolved,
            "missing_registry_ids": self.missing_ids,
            "dropped_mentions": self.dropped_mentions,
        }

    def to_records(self) -> list[dict]:
        """One flat record per finding (`record` = budget / measure / mention / unread), for CSV."""
        records: list[dict] = []
        for b in self.budgets:
            d = b.to_dict()
            records.append({"record": "budget", "file": self.file_name, "line": b.line, "line_end": b.line_end,
                            "page": b.page, "row": b.row, "name": b.name or "(total)", "entity": b.entity or "",
                            "amount_yen": d["amount_yen"], "fiscal_year": b.fiscal_year, "kind": b.kind,
                            "previous_yen": d["previous_yen"], "change_yen": d["change_yen"],
                            "project_id": b.project_id or "", "ministries": b.ministry or "",
                            "ministry_ids": b.ministry_id or "", "reader": b.reader,
                            "detail": " ".join(x for x in ("new" if b.is_new else "", b.marker or "",
                                                           f"agency={b.agency}" if b.agency else "",
                                                           "candidate" if b.is_candidate else "") if x)})
        for m in self.measures:
            records.append({"record": "measure", "file": self.file_name, "line": m.line, "line_end": m.line_end,
                            "name": m.label, "section": m.section, "column": m.column,
                            "ministries": "、".join(m.ministries), "ministry_ids": " ".join(m.ministry_ids),
                            "detail": ("再掲" + (f"->{m.repeats}" if m.repeats else "")) if m.relisted else ""})
        for men in self.mentions:
            records.append({"record": "mention", "file": self.file_name, "line": men.lines[0], "name": men.entity,
                            "count": men.count, "detail": " ".join(map(str, men.lines[:20]))})
        for u in self.unread:
            records.append({"record": "unread", "file": self.file_name, "line": u.line, "name": u.kind,
                            "detail": u.reason})
        return records


def extract_document(doc: Document, kind: str = "all", registry_dir: str | Path | None = None,
                     legend_path: Path | None = None, tokenizer: str = "rules") -> ExtractionResult:
    """Run the extractors of `kind` on a read document.

    `tokenizer` decides where an entity mention may start and end: "rules" (character classes,
    the default) or "sudachi" (SudachiPy mode-A tokens; the [ja] extra).
    """
    if kind not in KINDS:
        raise ExtractionError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    if tokenizer not in TOKENIZERS:
        raise ExtractionError(f"unknown tokenizer {tokenizer!r}; use one of {', '.join(TOKENIZERS)}")
    gazetteer, label_ids, themes = registry_gazetteer(str(registry_dir) if registry_dir else None)
    if tokenizer != gazetteer.tokenizer:
        gazetteer = dataclasses.replace(gazetteer, tokenizer=tokenizer)
    result = ExtractionResult(doc.name, doc.stem, doc.encoding, len(doc.lines),
                              pages=max(doc.pages) if doc.pages else None)
    dropped: Counter[str] = Counter()
    if kind in ("budget", "all"):
        result.budgets, unread = extract_budgets(doc, label_ids, gazetteer)
        result.unread += unread
        assign_parents(doc, result.budgets)
        link_curated(result.budgets, doc.name, curated_index(str(registry_dir) if registry_dir else None))
    if kind in ("measures", "all"):
        result.measures, unread, result.legend = extract_measures(doc, load_legend_data(legend_path), label_ids)
        result.unread += unread
        _link_measures(result.measures, gazetteer, themes, dropped)
        for m in result.measures:
            for token in m.unresolved:
                result.unresolved.setdefault(token, []).append(m.tag_line)
        known_ids = set(gazetteer.classes)
        if known_ids:
            used = {i for m in result.measures for i in m.ministry_ids + m.mentions}
            result.missing_ids = sorted(used - known_ids)
    if kind in ("mentions", "all"):
        result.mentions = find_mentions(doc.lines, gazetteer, dropped)
    result.dropped_mentions = dict(sorted(dropped.items()))
    result.unread.sort(key=lambda u: (u.line, u.kind))
    return result


def _link_measures(measures: list[Measure], gazetteer: Gazetteer, themes: dict[str, list[str]],
                   dropped: Counter[str]) -> None:
    automaton = theme_automaton(themes)
    for m in measures:
        m.mentions = entities_in(m.text, gazetteer, LINK_CLASSES, dropped)
        m.themes = themes_in(m.text, automaton)


def extract_file(path: str | Path, kind: str = "all", registry_dir: str | Path | None = None,
                 progress: Callable[[int, int], None] | None = None, tokenizer: str = "rules") -> ExtractionResult:
    """Read a text (UTF-8/CP932) or PDF file and extract budgets, measures and/or mentions.

    `kind` is one of budget, measures, mentions, all. Raises ExtractionError (a UserError) for an
    empty, binary, undecodable or truncated file, naming the file.
    """
    if kind not in KINDS:
        raise ExtractionError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    return extract_document(read_document(path, progress), kind, registry_dir, tokenizer=tokenizer)
