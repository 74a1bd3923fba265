"""Budget readers, one layout per fixture (own wording, in the layouts of real ministry pages and lists)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from stigraph.extract.budget import READERS, extract_budgets
from stigraph.extract.budget.notations import amount_value, read_bracket
from stigraph.extract.reading import Document, read_document

FIX = Path(__file__).resolve().parent / "fixtures" / "extract"


def records(name: str, labels: dict[str, str] | None = None):
    return extract_budgets(read_document(FIX / name), labels)


def summary(entries) -> set[tuple]:
    """(name, amount, previous, fiscal year, kind) of each entry, amounts as printed."""
    return {(e.name, e.amount_text, e.previous_text, e.fiscal_year, e.kind) for e in entries}


def test_every_layout_has_one_registered_reader():
    assert [name for name, _ in READERS] == [
        "csti_lists", "headline", "tables", "cell_tables", "bullets", "arrows", "seed_lines", "running_text"]


def test_headline_block_then_bullets_with_amounts_on_later_lines():
    entries, unread = records("budget_headline.txt")
    assert summary(entries) == {
        ("架空の深海探査基盤の整備", "128億円", "96億円", 2025, "request"),
        ("試験用探査機の開発", "3,210百万円", "2,980百万円", 2025, "request"),
        ("試験用探査機の運用高度化", "450百万円", None, 2025, "request"),
        ("長い名前の観測網の段階的な拡充", "1,005百万円", None, 2025, "request"),
    }
    by_name = {e.name: e for e in entries}
    headline = by_name["架空の深海探査基盤の整備"]
    assert (headline.reader, headline.line, headline.line_end, headline.also_lines) == ("headline", 3, 7, [1])
    assert headline.notes == ["※運営費交付金中の推計額含む"]
    assert by_name["試験用探査機の開発"].agency == "XAGENCY"
    assert by_name["試験用探査機の運用高度化"].is_new and by_name["試験用探査機の運用高度化"].marker == "※1"
    assert by_name["長い名前の観測網の段階的な拡充"].is_new
    assert unread == []  # bullets without an amount line under them are not budget lines


def test_title_below_the_block_with_the_parent_above():
    (entry,), _ = records("budget_headline_after.txt")
    assert (entry.name, entry.parent, entry.amount, entry.previous) == (
        "架空の情報基盤創出(XINFO)", "架空の研究推進事業", Decimal("3300000000"), Decimal("3000000000"))
    assert (entry.fiscal_year, entry.kind) == (2026, "request")


def test_labels_and_figures_out_of_reading_order_pair_by_the_closing_bracket():
    entries, _ = records("budget_headline_shuffled.txt")
    assert summary(entries) == {("架空の学術助成事業(架空助成)", "1,234億円", "1,200億円", 2025, "request")}


def test_brackets_declared_to_hold_differences_are_never_previous_years():
    entries, unread = records("budget_list_increase.txt")
    assert all(e.previous is None for e in entries)
    changes = {e.name: (e.change, e.change_text) for e in entries}
    assert changes["架空ロケットの開発"] == (Decimal("3000000000"), "30億円増")
    assert changes["架空衛星の改良"] == (Decimal("-200000000"), "2億円減")
    assert changes["架空の空港機能の強化(滑走路の見直し等)"] == (None, "5億円")  # a difference without a sign
    assert {(e.name, e.fiscal_year, e.kind, e.is_new) for e in entries} >= {
        ("架空探査機の試作", 2018, "request", True), ("架空データの公開及び利用環境の整備費", 2018, "request", True)}
    ministries = {e.name: e.ministry for e in entries}
    assert ministries["架空ロケットの開発"] == "テスト省" and ministries["架空データの公開及び利用環境の整備費"] == "架空省"
    assert [(u.line, u.reason) for u in unread] == [
        (13, "no previous-year figure and no fiscal-year context line next to it")]


def test_a_note_saying_brackets_hold_the_previous_year_and_a_sentence_giving_the_year():
    entries, _ = records("budget_list_previous.txt")
    assert summary(entries) == {
        ("架空フラッグシップ計画(X-LEAP)", "12億円", None, 2018, "draft"),
        ("架空大型施設の整備", "150億円", "148億円", 2018, "draft"),
        ("架空基盤技術の開発", "0.5億円", "3億円", 2018, "draft"),
    }


def test_arrows_and_kanji_numerals():
    entries, _ = records("budget_arrows.txt")
    assert summary(entries) == {
        ("架空の研究拠点事業", "11億円", "10億円", 2024, "draft"),
        ("架空の人材育成事業", "18億円", "20億円", 2024, "draft"),
        ("架空の大型事業", "二千三百七十九億円", "二千三百億円", 2024, "draft"),
    }
    big = next(e for e in entries if e.name == "架空の大型事業")
    assert big.amount == Decimal("237900000000") and big.previous == Decimal("230000000000") and big.approximate


def test_tables_with_header_line_or_label_lines_and_checks_on_the_columns():
    entries, unread = records("budget_tables.txt")
    assert summary(entries) == {
        ("運営費交付金部門", "13,000百万円", "12,300百万円", 2007, "request"),
        ("施設整備費部門", "1,500百万円", "2,000百万円", 2007, "request"),
        ("架空技術関係予算 (科学技術関係予算)", "1,500億円", "1,400億円", 2020, "request"),
        ("一般会計", "600億円", "550億円", 2020, "request"),
        ("特別会計", "900億円", "850億円", 2020, "request"),
    }
    by_name = {e.name: e for e in entries}
    assert by_name["運営費交付金部門"].agency == "国立研究開発法人架空研究機構"
    assert by_name["運営費交付金部門"].change == Decimal("700000000")
    assert by_name["施設整備費部門"].change == Decimal("-500000000")
    assert by_name["一般会計"].included_in and by_name["一般会計"].parent == "架空技術関係予算 (科学技術関係予算)"
    assert by_name["架空技術関係予算 (科学技術関係予算)"].agency is None  # the 機関名 line heads the other table
    assert [(u.line, u.reason) for u in unread] == [
        (12, "figures do not add up (current - previous != change column): columns misread?"),
        (13, "table row with 2 figures under 3 columns"),
    ]


def test_cell_per_line_tables():
    entries, unread = records("budget_cells.txt")
    assert summary(entries) == {
        ("設計費", "30億円", None, 2009, "initial"),
        ("建屋費", "25億円", "20億円", 2010, "request"),
        ("総額", "25億円", "50億円", 2010, "request"),
        ("本省経費", "4億円", "5億円", 2010, "request"),
    }
    assert {e.name: e.role for e in entries}["総額"] == "total"
    assert {e.name: e.marker for e in entries}["本省経費"] == "※2"
    assert unread == []


@pytest.mark.parametrize("fixture", ["budget_csti_flat.txt", "budget_csti_rows.txt"])
def test_csti_lists_flattened_or_one_row_per_line(fixture):
    entries, unread = records(fixture)
    found = {(e.row, e.project_id, e.ministry, e.name, e.amount) for e in entries}
    assert found == {
        (1, "001001", "内閣府", "架空の衛星研究開発", Decimal("1200000000")),
        (2, "001001", "内閣府", "架空の衛星研究開発", Decimal("35000000")),
        (3, "001002", "総務省", "架空の通信技術(Beyond 5G(6G))の基金事業", Decimal("2500000000")),
        (5, "001004", "復興庁(文部科学省)", "架空の人材育成事業", Decimal("84864000")),
        (6, None, "文部科学省", "架空の途上国等におけるSTI for SDGsの推進", Decimal("113240000")),
        (7, "001005", "経済産業省", "架空の産業技術2030計画", Decimal("5000000")),
    }
    assert {(e.fiscal_year, e.kind) for e in entries} == {(2026, "draft")}
    assert [u.reason for u in unread] == ["list row 4 without a figure (left blank in the list)",
                                          "list row 8 cut off by the end of the text"]


def test_csti_list_of_accounts_and_supplementary_list_without_numbers():
    entries, _ = records("budget_csti_items.txt")
    assert {(e.row, e.item_number, e.parent, e.name, e.amount) for e in entries} == {
        (1, "4", "架空衛星業務費", "架空衛星業務費架空衛星システム開発等に必要な経費", Decimal("3000000000")),
        (2, "5", "架空研究所", "架空研究所架空研究所に必要な経費架空研究所に必要な経費(人件費)", Decimal("120000000")),
        (3, "48", None, "架空政策研究所共通費・架空政策研究所に必要な経費", Decimal("2798175000")),
        (4, "新規", "架空学術会議", "架空学術会議架空学術会議の運営に必要な経費", Decimal("650644000")),
    }
    entries, unread = records("budget_csti_supplementary.txt")
    assert {(e.ministry, e.name, e.amount, e.fiscal_year, e.kind) for e in entries} == {
        ("内閣官房", "架空衛星の研究・開発", Decimal("32000000000"), 2025, "supplementary"),
        ("内閣府", "架空のイノベーション創造プログラム(エネルギー分野、次世代インフラ分野)", Decimal("16000000000"),
         2025, "supplementary"),
        ("文部科学省", "架空の観測事業", Decimal("500000000"), 2025, "supplementary"),
        ("総務省", "架空の量子暗号通信網", Decimal("1499803000"), 2025, "supplementary"),
    }
    assert [u.reason for u in unread] == [
        "list row 3: negative figure -1,591 (a reduction) not stored as a budget amount"]


def test_links_to_registry_entities_and_candidates():
    doc = Document(Path("x.txt"), "utf_8", [], [
        "令和7年度予算額(案)", "1.架空研究費助成事業(架空研究費) 100億円(90億円)", "2.まだない新事業 1億円(新規)"])
    labels = {"架空研究費助成事業": "xgrant", "架空研究費": "xgrant"}
    entries, _ = extract_budgets(doc, labels)
    assert [(e.name, e.entity, e.is_candidate) for e in entries] == [
        ("架空研究費助成事業(架空研究費)", "xgrant", False), ("まだない新事業", None, True)]


def test_notations():
    assert amount_value("約二千三百七十九億円") == (Decimal("237900000000"), True)
    assert amount_value("1.25兆円") == (Decimal("1250000000000"), False)
    assert amount_value("25,939,265千円") == (Decimal("25939265000"), False)
    with pytest.raises(ValueError):
        amount_value("百万円")  # a unit, not an amount
    assert read_bracket("-※1").kind == "new" and read_bracket("新 規").kind == "new"
    assert read_bracket("▲3億円").amount == Decimal("-300000000")
    assert read_bracket("13億円", brackets_hold="change").kind == "change"
