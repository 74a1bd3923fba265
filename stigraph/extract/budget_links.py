"""Extracted budget figures relative to others: what contains them, and which curated figure they restate.

**Structure** (`assign_parents`), read from the layout of the document:
- an item whose line starts with うち (「うち施設整備費補助金 2億円（16億円）」) is part of the nearest figure
  above it of the same year and kind, a few lines up;
- an unnamed total (「令和3年度予算額(案) 76億円」) contains the numbered or bulleted items (「１．…」「(1)…」
  「■…」「○…」, the mark on the item's line or on its name line just above) of the same year and kind
  around it, each item going to the nearest such total (on the same page, for PDFs), provided the items
  do not add up to more than the total;
- a previous-year figure printed beside a part is part of the previous-year figure printed beside its whole.

**Curated figures** (`link_curated`): an extracted figure restates a curated one when both have the same
entity, fiscal year, kind and amount, or stand on the same line of the same file with the same year and
amount (the curated kind and owner win: the curator read the page). The extraction then adds its source to
the curated entry instead of making a second one.

>>> from pathlib import Path
>>> from stigraph.extract.budget import extract_budgets
>>> from stigraph.extract.reading import Document
>>> doc = Document(Path("x.txt"), "utf_8", [], ["1.試行事業 3百万円(2百万円)", "2.別事業 4百万円(4百万円)",
...                                              "令和3年度予算額(案) 10億円", "(前年度予算額 9億円)"])
>>> entries, _ = extract_budgets(doc)
>>> assign_parents(doc, entries)
>>> [(e.line, e.part_of_line) for e in entries]
[(1, 3), (2, 3), (3, None)]
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from stigraph.extract.budget import BudgetEntry
from stigraph.extract.budget.seed_lines import CANDIDATE
from stigraph.extract.reading import Document
from stigraph.loaders.registry.budgets import CuratedFigure, curated_figures

_OF_WHICH = re.compile(r"^(?:[■●◆□・•○◎-]\s*)?うち")
_ITEM_MARK = re.compile(r"^(?:\d{1,2}\s*[.．)）]|[(（]\d{1,2}[)）]|[■●◆□○◎・•]|[①-⑳])")
"""How a numbered or bulleted item of a total starts: 「１．」「(2)」「■」「○」「①」."""
OF_WHICH_LINES = 3
"""How far above an うち line its whole may stand."""


def _line(doc: Document, number: int) -> str:
    return doc.lines[number - 1].strip() if 0 < number <= len(doc.lines) else ""


def _is_item(doc: Document, entry: BudgetEntry) -> bool:
    """The entry's line, or the nearest non-empty line above it (a name over its amount), starts an item."""
    if _ITEM_MARK.match(_line(doc, entry.line)):
        return True
    above = next((n for n in range(entry.line - 1, max(0, entry.line - 3), -1) if _line(doc, n)), None)
    return above is not None and bool(_ITEM_MARK.match(_line(doc, above))) and not CANDIDATE.search(_line(doc, above))


def assign_parents(doc: Document, entries: list[BudgetEntry]) -> None:
    """Set `part_of_line` on entries that the document's layout puts inside another (see module docstring)."""
    by_line = sorted(entries, key=lambda e: e.line)
    for i, entry in enumerate(by_line):
        if entry.role == "item" and _OF_WHICH.match(_line(doc, entry.line)):
            whole = next((w for w in reversed(by_line[:i]) if entry.line - w.line <= OF_WHICH_LINES
                          and (w.fiscal_year, w.kind) == (entry.fiscal_year, entry.kind)
                          and not _OF_WHICH.match(_line(doc, w.line)) and w.amount >= entry.amount), None)
            if whole is not None:
                entry.part_of_line = whole.line
    totals = [e for e in by_line if e.role == "total" and not e.name]
    members: dict[int, list[BudgetEntry]] = defaultdict(list)
    for entry in by_line:
        if entry.role != "item" or entry.part_of_line or not _is_item(doc, entry):
            continue
        near = [t for t in totals if (t.fiscal_year, t.kind) == (entry.fiscal_year, entry.kind)
                and doc.page(t.line) == doc.page(entry.line)]
        if near:
            members[min(near, key=lambda t: (abs(t.line - entry.line), t.line)).line].append(entry)
    for total in totals:
        parts = members.get(total.line, [])
        if parts and sum(p.amount for p in parts) <= total.amount:
            for part in parts:
                part.part_of_line = total.line


@dataclass
class CuratedIndex:
    """Curated figures looked up by (entity, year, kind, amount) and by (file, line, year, amount)."""

    by_figure: dict[tuple, list[CuratedFigure]] = field(default_factory=lambda: defaultdict(list))
    by_line: dict[tuple, list[CuratedFigure]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, figures: Iterable[CuratedFigure]) -> CuratedIndex:
        index = cls()
        for f in figures:
            index.by_figure[(f.entity, f.fiscal_year, f.kind, f.amount)].append(f)
            if f.file and f.line:
                for line in range(f.line, (f.line_end or f.line) + 1):
                    index.by_line[(f.file, line, f.fiscal_year, f.amount)].append(f)
        return index

    def find(self, file_name: str, lines: Iterable[int], entity: str | None, fiscal_year: int, kind: str,
             amount) -> CuratedFigure | None:
        """The curated figure an extracted one restates, if any (one on the same line first)."""
        on_line = _unique(f for line in lines for f in self.by_line.get((file_name, line, fiscal_year, amount), ()))
        if on_line is not None:
            return on_line
        if entity:
            return _unique(self.by_figure.get((entity, fiscal_year, kind, amount), ()))
        return None


def _unique(found: Iterable[CuratedFigure]) -> CuratedFigure | None:
    distinct = {f.iri: f for f in found}
    return next(iter(distinct.values())) if len(distinct) == 1 else None


@lru_cache(maxsize=4)
def curated_index(registry_dir: str | None = None) -> CuratedIndex:
    """The curated figures of the registry the extractors use (cached; default: the bundled one)."""
    from stigraph.extract.mentions import extraction_registry

    return CuratedIndex.of(curated_figures(extraction_registry(registry_dir)))


def link_curated(entries: list[BudgetEntry], file_name: str, index: CuratedIndex) -> None:
    """Set `curated` / `previous_curated` (and the curated owner) on entries that restate curated figures."""
    for entry in entries:
        lines = [entry.line, *([entry.line_end] if entry.line_end else []), *entry.also_lines]
        found = index.find(file_name, lines, entry.entity, entry.fiscal_year, entry.kind, entry.amount)
        if found is not None:
            entry.curated, entry.entity = found.iri, found.entity
        if entry.previous is not None:
            before = index.find(file_name, lines, entry.entity, entry.fiscal_year - 1, entry.previous_kind,
                                entry.previous)
            if before is not None:
                entry.previous_curated = before.iri


__all__ = ["CuratedIndex", "assign_parents", "curated_index", "link_curated"]
