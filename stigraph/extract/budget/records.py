"""What the budget readers produce: `BudgetEntry` (one figure tied to a name) and `Unread` (a figure that was not)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from stigraph.loaders.money import UNIT_FACTORS, format_yen

from .notations import Bracket, compact_amount


@dataclass
class BudgetEntry:
    """One budget figure as printed, with exact yen amounts and the line(s) it stands on.

    `previous` is the previous fiscal year's figure only when the page says so (a 前年度予算額 label, a
    前年度 column, or brackets the page declares to hold the previous year); a bracketed increase goes
    to `change` instead. `reader` names the layout reader that produced the entry.
    """

    name: str | None
    amount: Decimal
    amount_text: str
    fiscal_year: int
    kind: str
    line: int
    line_end: int | None = None
    previous: Decimal | None = None
    previous_text: str | None = None
    previous_kind: str = "initial"
    is_new: bool = False
    included_in: bool = False
    marker: str | None = None
    role: str = "item"  # item | total
    entity: str | None = None  # registry id when the name is a registry label
    also_lines: list[int] = field(default_factory=list)
    reader: str = "seed_lines"
    page: int | None = None
    row: int | None = None  # row number in a list (NO) when several rows share one text line
    project_id: str | None = None  # 予算事業ID of the administrative review sheets
    item_number: str | None = None  # the list's own 事業番号 when it has no 予算事業ID
    ministry: str | None = None
    ministry_id: str | None = None
    agency: str | None = None  # 【JAMSTEC】 tag or 機関名 of the page
    agency_id: str | None = None
    parent: str | None = None  # the program or account the entry belongs to
    change: Decimal | None = None  # signed increase over the previous year, when printed instead of it
    change_text: str | None = None
    approximate: bool = False  # printed with 約
    notes: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)  # registry ids named inside the name (not links)
    # set by budget_links: the line of the entry of this document that contains this one, and the IRIs of
    # the curated figures this one (and its previous-year figure) restate
    part_of_line: int | None = None
    curated: str | None = None
    previous_curated: str | None = None

    @property
    def previous_fiscal_year(self) -> int | None:
        return self.fiscal_year - 1 if self.previous is not None else None

    @property
    def is_candidate(self) -> bool:
        """A named entry that matches no registry entity: a candidate new entity."""
        return bool(self.name) and self.entity is None

    def to_dict(self) -> dict:
        return {
            "name": self.name, "role": self.role, "entity": self.entity, "reader": self.reader,
            "amount_yen": str(self.amount), "amount_text": self.amount_text,
            "fiscal_year": self.fiscal_year, "kind": self.kind,
            "previous_yen": None if self.previous is None else str(self.previous),
            "previous_text": self.previous_text, "previous_fiscal_year": self.previous_fiscal_year,
            "previous_kind": self.previous_kind if self.previous is not None else None,
            "change_yen": None if self.change is None else str(self.change), "change_text": self.change_text,
            "new": self.is_new, "included_in": self.included_in, "marker": self.marker,
            "approximate": self.approximate, "project_id": self.project_id, "item_number": self.item_number,
            "ministry": self.ministry, "ministry_id": self.ministry_id, "agency": self.agency, "agency_id": self.agency_id,
            "parent": self.parent, "related": self.related, "notes": self.notes,
            "page": self.page, "row": self.row,
            "line": self.line, "line_end": self.line_end, "also_lines": self.also_lines,
            "part_of_line": self.part_of_line, "curated": self.curated,
        }


@dataclass
class Unread:
    """A line an extractor saw but could not read with confidence."""

    line: int
    reason: str
    kind: str = "budget"
    text: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "line": self.line, "reason": self.reason, "text": self.text}


def apply_bracket(entry: BudgetEntry, bracket: Bracket | None) -> str | None:
    """Put what a bracket after the entry's amount holds on the entry; a reason to report if it says nothing readable.

    >>> from .notations import read_bracket
    >>> e = BudgetEntry("x", Decimal(10), "10円", 2025, "request", 1)
    >>> apply_bracket(e, read_bracket("+2円")), e.change, e.previous
    (None, Decimal('2'), None)
    """
    if bracket is None:
        return None
    if bracket.kind == "previous":
        entry.previous, entry.previous_text = bracket.amount, compact_amount(bracket.text)
        entry.previous_kind = bracket.previous_kind if bracket.previous_kind != "initial" else entry.previous_kind
        if bracket.text.startswith("約"):
            entry.notes.append("previous-year figure is approximate")
    elif bracket.kind == "new":
        entry.is_new, entry.marker = True, bracket.marker or entry.marker
    elif bracket.kind == "change":
        entry.change, entry.change_text = bracket.amount, compact_amount(bracket.text)
        if bracket.amount is None:
            entry.notes.append(f"bracket {bracket.text} is a difference without a sign")
    elif bracket.kind in ("rate", "same"):
        entry.notes.append(f"bracket: {bracket.text}")
    else:
        return f"bracket after the amount not read ({bracket.text})"
    return None


def display_unit(amount_text: str) -> str:
    """The unit an amount was printed in ('億円' for '571億円'), used to show it back the same way.

    >>> display_unit("25,939,265千円"), display_unit("1兆1,820億円"), display_unit("3円")
    ('千円', '億円', '百万円')
    """
    for unit in sorted(UNIT_FACTORS, key=len, reverse=True):
        if unit != "円" and amount_text.endswith(unit):
            return unit
    return "百万円"


def describe(entry: BudgetEntry) -> str:
    """A one-line human description, e.g. 'FY2021 draft 1,561百万円 (FY2020: 1,516百万円)'.

    >>> describe(BudgetEntry("x", Decimal("57100000000"), "571億円", 2025, "request", 1, previous=Decimal("40800000000")))
    'FY2025 request 571億円 (FY2024: 408億円)'
    """
    unit = display_unit(entry.amount_text)
    text = f"FY{entry.fiscal_year} {entry.kind} {format_yen(entry.amount, unit)}"
    if entry.previous is not None:
        text += f" (FY{entry.fiscal_year - 1}: {format_yen(entry.previous, unit)})"
    elif entry.change is not None:
        sign = "+" if entry.change >= 0 else "-"
        text += f" ({sign}{format_yen(abs(entry.change), unit)} on FY{entry.fiscal_year - 1})"
    return text
