"""Row models of the five RS tables: what one row of 1-1, 1-2, 2-1, 5-1 or 5-2 says, read from its cells.

Each reader takes the table's `Columns` and one row's cells and raises `BadValue` (naming the column)
for a cell it cannot read: the caller leaves that row out and reports it; nothing is guessed.

>>> from stigraph.loaders.datasets.rs.tables import Columns
>>> cols = Columns(["事業年度", "予算事業ID", "事業名", "府省庁", "局・庁", "予算年度", "当初予算（合計）", "会計区分"])
>>> budget_row(cols, ["2025", "7", "試験事業", "文部科学省", "研究局", "2024", "1,000", ""]).initial
Decimal('1000')
>>> budget_row(cols, ["2025", "7", "試験事業", "文部科学省", "研究局", "2024", "1,000", "一般会計"]) is None
True
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from stigraph.loaders.datasets.rs import values
from stigraph.loaders.datasets.rs.tables import ORG_COLUMNS, Columns
from stigraph.loaders.datasets.rs.values import BadValue


def _cell(cols: Columns, cells: list[str], column: str, parse):
    """One cell through a parser; BadValue names the column."""
    try:
        return parse(cols.get(cells, column))
    except BadValue as exc:
        raise BadValue(f"column {column!r}: {exc}") from None


@dataclass(frozen=True)
class Common:
    """The key and organisation columns every table starts with."""

    sheet_kind: str
    sheet_year: int | None
    project_id: str
    name: str
    organization: tuple[str, ...]
    """府省庁, 局・庁, 部, 課, 室, 班, 係 as written (empty cells dropped from the end)."""


def common(cols: Columns, cells: list[str], org_columns: tuple[str, ...] = ORG_COLUMNS) -> Common:
    org = [cols.get(cells, c) for c in org_columns]
    while org and not org[-1]:
        org.pop()
    return Common(cols.get(cells, "シート種別"), _cell(cols, cells, "事業年度", values.year),
                  cols.get(cells, "予算事業ID"), cols.get(cells, "事業名"), tuple(org))


OTHER_ORG_COLUMNS = tuple(f"{c}（その他担当組織）" for c in ORG_COLUMNS)
"""1-1's columns for another organization that shares the project."""

METHODS = {"実施方法ー直接実施": "直接実施", "実施方法ー補助": "補助", "実施方法ー負担": "負担", "実施方法ー交付": "交付",
           "実施方法ー分担金・拠出金": "分担金・拠出金", "実施方法ーその他": "その他"}
"""1-2's implementation-method columns (1 when the method applies) -> the method's name."""


@dataclass(frozen=True)
class Overview:
    """What 1-2 says about a project in its sheet year."""

    category: str
    start: int | None
    start_unknown: bool | None
    end: int | None
    no_planned_end: bool | None
    main_expense: str
    methods: tuple[str, ...]


def overview(cols: Columns, cells: list[str]) -> Overview:
    methods = tuple(name for column, name in METHODS.items() if _cell(cols, cells, column, values.flag))
    return Overview(cols.get(cells, "事業区分"), _cell(cols, cells, "事業開始年度", values.year),
                    _cell(cols, cells, "開始年度不明", values.flag), _cell(cols, cells, "事業終了（予定）年度", values.year),
                    _cell(cols, cells, "終了予定なし", values.flag), cols.get(cells, "主要経費"), methods)


SUMMARY_AMOUNTS = {
    "initial": "当初予算（合計）", "supplementary": "補正予算（合計）", "carried_over": "前年度からの繰越し（合計）",
    "reserve": "予備費等（合計）", "current": "計（歳出予算現額合計）", "executed": "執行額（合計）",
    "request": "翌年度要求額（合計）",
}
ACCOUNT_COLUMNS = ("会計区分", "会計", "勘定")


@dataclass(frozen=True)
class BudgetSummary:
    """A 2-1 summary row: one project's totals for one 予算年度 (the request is for the year after)."""

    fiscal_year: int
    initial: Decimal | None
    supplementary: Decimal | None
    carried_over: Decimal | None
    reserve: Decimal | None
    current: Decimal | None
    executed: Decimal | None
    request: Decimal | None

    def amounts(self) -> dict[str, Decimal]:
        """The stated amounts by key of SUMMARY_AMOUNTS (empty cells left out)."""
        return {k: getattr(self, k) for k in SUMMARY_AMOUNTS if getattr(self, k) is not None}


def budget_row(cols: Columns, cells: list[str]) -> BudgetSummary | None:
    """A summary row, or None for an account row (会計区分/会計/勘定 set: its totals are in the summary row)."""
    if any(cols.get(cells, c) for c in ACCOUNT_COLUMNS):
        return None
    fiscal_year = _cell(cols, cells, "予算年度", values.year)
    if fiscal_year is None:
        raise BadValue("column '予算年度' is empty")
    amounts = {k: _cell(cols, cells, column, values.amount) for k, column in SUMMARY_AMOUNTS.items()}
    return BudgetSummary(fiscal_year, **amounts)


@dataclass(frozen=True)
class Link:
    """A 5-2 row: money going from a block (or, for a root link, the responsible organization) to a block."""

    source_block: str
    source_name: str
    from_responsible: bool | None
    target_block: str
    target_name: str
    note: str
    indirect_cost: bool

    @property
    def reference_only(self) -> bool:
        """A flow the sheet shows for reference (参考): not money of this project; may form cycles."""
        return "参考" in self.note


def link_row(cols: Columns, cells: list[str]) -> Link:
    indirect = bool(cols.get(cells, "国自らが支出する間接経費") or cols.get(cells, "国自らが支出する間接経費の金額"))
    return Link(cols.get(cells, "支出元の支出先ブロック"), cols.get(cells, "支出元の支出先ブロック名"),
                _cell(cols, cells, "担当組織からの支出", values.flag), cols.get(cells, "支出先の支出先ブロック"),
                cols.get(cells, "支出先の支出先ブロック名"), cols.get(cells, "資金の流れの補足情報"), indirect)


@dataclass(frozen=True)
class PayeeRow:
    """A 5-1 row: a block header, a payee's total, one contract of a payee, or a payee named without amounts."""

    kind: str
    block: str
    block_name: str = ""
    payee_count: int | None = None
    role: str = ""
    block_total: Decimal | None = None
    payee: str = ""
    corporate_number: str = ""
    other: bool = False
    amount: Decimal | None = None


def payee_row(cols: Columns, cells: list[str]) -> PayeeRow:
    """kind: "header" (支出先名 empty), "total" (支出先の合計支出額 set, 金額 empty), "contract" (金額 set),
    "bare" (a name and no amount at all) or "empty" (no block and no payee)."""
    block, payee = cols.get(cells, "支出先ブロック番号"), cols.get(cells, "支出先名")
    if not payee:
        if not (block or cols.get(cells, "支出先ブロック名") or cols.get(cells, "ブロックの合計支出額")):
            return PayeeRow("empty", block)
        count = _cell(cols, cells, "支出先の数", values.amount)
        return PayeeRow("header", block, cols.get(cells, "支出先ブロック名"), int(count) if count is not None else None,
                        cols.get(cells, "事業を行う上での役割"), _cell(cols, cells, "ブロックの合計支出額", values.amount))
    other = bool(_cell(cols, cells, "その他支出先", values.flag))
    number = cols.get(cells, "法人番号")
    contract = _cell(cols, cells, "金額", values.amount)
    if contract is not None:
        return PayeeRow("contract", block, payee=payee, corporate_number=number, other=other, amount=contract)
    total = _cell(cols, cells, "支出先の合計支出額", values.amount)
    if total is not None:
        return PayeeRow("total", block, payee=payee, corporate_number=number, other=other, amount=total)
    return PayeeRow("bare", block, payee=payee, corporate_number=number, other=other)


__all__ = ["BudgetSummary", "Common", "Link", "METHODS", "OTHER_ORG_COLUMNS", "Overview", "PayeeRow",
           "SUMMARY_AMOUNTS", "budget_row", "common", "link_row", "overview", "payee_row"]
