"""Budget lines -> BudgetEntry (fixture in the format of the MEXT budget chapters, own wording)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from stigraph.extract.budget import extract_budgets
from stigraph.extract.reading import Document, read_document

FIX = Path(__file__).resolve().parent / "fixtures" / "extract"


def budgets():
    return extract_budgets(read_document(FIX / "budget_utf8.txt"))


def test_items_totals_and_supplementary_lines():
    entries, _ = budgets()
    found = {(e.name, e.amount, e.previous, e.fiscal_year, e.kind) for e in entries}
    assert found == {
        ("架空の試験研究推進事業(仮称)", Decimal("1234000000"), Decimal("1200000000"), 2023, "draft"),
        ("サンプル基盤整備プログラム", Decimal("567000000"), Decimal("500000000"), 2023, "draft"),
        ("模擬データ連携事業", Decimal("80000000"), None, 2023, "draft"),
        ("長い名前の研究開発拠点形成事業", Decimal("2000000000"), Decimal("1900000000"), 2023, "draft"),
        ("小数点の試験事業", Decimal("150000000"), Decimal("120000000"), 2023, "draft"),
        (None, Decimal("3900000000"), Decimal("3650000000"), 2023, "draft"),
        (None, Decimal("300000000"), None, 2022, "supplementary"),
    }


def test_markers_new_items_broken_names_and_restatements():
    entries = {e.name: e for e in budgets()[0]}
    assert entries["サンプル基盤整備プログラム"].marker == "※"
    assert entries["サンプル基盤整備プログラム"].also_lines == [19]  # the page figure repeats the item
    assert entries["小数点の試験事業"].marker == "★"
    assert entries["模擬データ連携事業"].is_new
    broken = entries["長い名前の研究開発拠点形成事業"]
    assert (broken.line, broken.line_end) == (10, 11)
    assert entries["架空の試験研究推進事業(仮称)"].previous_fiscal_year == 2022


def test_lines_it_cannot_read_are_reported_not_guessed():
    _, unread = budgets()
    assert [(u.line, u.reason) for u in unread] == [
        (22, "amount without an item name on its line"),
        (23, "no previous-year figure and no fiscal-year context line next to it"),
    ]


def test_kinds_from_context_lines():
    def kinds(context: str) -> tuple[int, str]:
        doc = Document(Path("x.txt"), "utf_8", [], [context, "1.架空事業 10百万円(9百万円)"])
        entry = extract_budgets(doc)[0][0]
        return entry.fiscal_year, entry.kind
    assert kinds("■令和2年度当初予算額(令和元年度当初予算額)") == (2020, "initial")
    assert kinds("令和6年度概算要求額") == (2024, "request")
    assert kinds("令和3年度予算額(案)") == (2021, "draft")
    assert kinds("令和4年度補正予算額") == (2022, "supplementary")


def test_no_context_means_unread():
    doc = Document(Path("x.txt"), "utf_8", [], ["総額336億円( 247億円)", "174億円(163億円)"])
    entries, unread = extract_budgets(doc)
    assert entries == []
    assert [u.line for u in unread] == [1, 2]
