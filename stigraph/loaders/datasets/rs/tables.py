"""Which RS table a CSV is, told by its header row (never by its file name), and its sheet year.

Header names are compared after NFKC, so the published odd spellings (`当初予算（合計）` with full-width
brackets, `翌年度への繰越し(合計）` with mixed ones) and normalised copies with half-width brackets both
match. The long-vowel mark in `実施方法ー補助` is not a hyphen and NFKC keeps it.

>>> spec_for(["シート種別", "事業年度", "予算事業ID", "事業名", "予算年度", "当初予算(合計)", "計(歳出予算現額合計)",
...           "執行額(合計)", "会計区分"]).table
'2-1'
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from stigraph.errors import DatasetError
from stigraph.loaders.datasets.rs.files import CsvSource
from stigraph.loaders.era import fiscal_year

BASE_COLUMNS = ("シート種別", "事業年度", "予算事業ID", "事業名")
ORG_COLUMNS = ("府省庁", "局・庁", "部", "課", "室", "班", "係")
"""The organisation columns every table repeats: ministry, then bureau down to the smallest unit."""


@lru_cache(maxsize=4096)
def column_key(name: str) -> str:
    """The form a header name is compared in: NFKC, no BOM, no surrounding space."""
    return unicodedata.normalize("NFKC", name.replace("\ufeff", "")).strip()


@dataclass(frozen=True)
class TableSpec:
    """One RS table: its id, the columns that tell it apart, and the columns the loader cannot do without."""

    table: str
    title: str
    signature: tuple[str, ...]
    required: tuple[str, ...]


SPECS = (
    TableSpec("1-1", "基本情報_組織情報",
              ("建制順", "所管府省庁", "作成責任者", "その他担当組織_作成責任者_no", "府省庁（その他担当組織）"),
              ("事業年度", "予算事業ID", "事業名", "府省庁")),
    TableSpec("1-2", "基本情報_事業概要等",
              ("事業の目的", "現状・課題", "事業の概要", "事業区分", "事業開始年度", "主要経費", "実施方法ー直接実施",
               "旧事業番号"),
              ("事業年度", "予算事業ID", "事業名")),
    TableSpec("2-1", "予算・執行_サマリ",
              ("予算年度", "当初予算（合計）", "補正予算（合計）", "計（歳出予算現額合計）", "執行額（合計）", "執行率",
               "会計区分", "歳出予算現額"),
              ("事業年度", "予算事業ID", "予算年度", "当初予算（合計）", "計（歳出予算現額合計）", "執行額（合計）",
               "会計区分")),
    TableSpec("5-1", "支出先_支出情報",
              ("支出先ブロック番号", "支出先ブロック名", "事業を行う上での役割", "ブロックの合計支出額", "支出先名", "法人番号",
               "支出先の合計支出額", "金額", "契約概要"),
              ("事業年度", "予算事業ID", "支出先ブロック番号", "支出先名", "支出先の合計支出額", "金額")),
    TableSpec("5-2", "支出先_支出ブロックのつながり",
              ("支出元の支出先ブロック", "支出元の支出先ブロック名", "担当組織からの支出", "支出先の支出先ブロック",
               "資金の流れの補足情報", "国自らが支出する間接経費"),
              ("事業年度", "予算事業ID", "支出元の支出先ブロック", "担当組織からの支出", "支出先の支出先ブロック")),
)
SPEC_BY_TABLE = {spec.table: spec for spec in SPECS}
OTHER = TableSpec("other", "another RS table (not loaded)", (), ("事業年度", "予算事業ID"))


def is_rs_header(header: list[str]) -> bool:
    """True when a header row has the key columns every RS table starts with."""
    keys = {column_key(h) for h in header}
    return "予算事業ID" in keys and len(keys & set(BASE_COLUMNS)) >= 3


def spec_for(header: list[str]) -> TableSpec | None:
    """The table a header row belongs to (OTHER for RS tables the loader does not read), None if not RS."""
    if not is_rs_header(header):
        return None
    keys = {column_key(h) for h in header}
    scored = [(sum(column_key(c) in keys for c in spec.signature) / len(spec.signature), spec) for spec in SPECS]
    score, best = max(scored, key=lambda pair: pair[0])
    return best if score >= 0.5 else OTHER


class Columns:
    """Cell access by column name for one table's rows (lists of cells), with cells stripped.

    >>> cols = Columns(["事業年度", "予算事業ID"])
    >>> cols.get(["2025", " 42 "], "予算事業ID"), cols.get(["2025"], "予算事業ID"), cols.get(["2025"], "部")
    ('42', '', '')
    """

    def __init__(self, header: list[str]) -> None:
        self.index: dict[str, int] = {}
        for i, name in enumerate(header):
            self.index.setdefault(column_key(name), i)

    def __contains__(self, name: str) -> bool:
        return column_key(name) in self.index

    def get(self, cells: list[str], name: str) -> str:
        i = self.index.get(name)
        if i is None:
            i = self.index.get(column_key(name))
            if i is None:
                return ""
        return cells[i].strip() if i < len(cells) else ""


@dataclass
class TableFile:
    """A recognised RS table: where it is, which table, its columns and its sheet year (事業年度)."""

    source: CsvSource
    spec: TableSpec
    columns: Columns
    sheet_year: int

    @property
    def table(self) -> str:
        return self.spec.table


_YEAR_IN_NAME = re.compile(r"_RS_(\d{4})_")


def recognise(source: CsvSource) -> TableFile | None:
    """Read a CSV's header (and first data row, for the sheet year); None if it is not an RS table.

    DatasetError when it is an RS table that lacks a required column (naming the column and file), or
    whose sheet year cannot be read.
    """
    rows = source.rows()
    try:
        header = next(rows, None)
        if header is None:
            return None
        spec = spec_for(header[2])
        if spec is None:
            return None
        columns = Columns(header[2])
        for name in spec.required:
            if name not in columns:
                raise DatasetError(f"{source.where}: missing column {name!r} (the {spec.table} {spec.title} table "
                                   f"needs {', '.join(spec.required)})")
        for row, _, cells in rows:
            text = columns.get(cells, "事業年度")
            if text:
                try:
                    return TableFile(source, spec, columns, fiscal_year(text))
                except ValueError:
                    raise DatasetError(f"{source.where}:{row}: 事業年度 {text!r} is not a year") from None
    finally:
        rows.close()
    match = _YEAR_IN_NAME.search(source.display)
    if match:  # a table with a header and no rows: its year can only come from the published file name
        return TableFile(source, spec, columns, int(match[1]))
    raise DatasetError(f"{source.where}: the {spec.table} table has no rows, so its sheet year (事業年度) is unknown")


__all__ = ["BASE_COLUMNS", "ORG_COLUMNS", "Columns", "OTHER", "SPECS", "SPEC_BY_TABLE", "TableFile", "TableSpec",
           "column_key", "is_rs_header", "recognise", "spec_for"]
