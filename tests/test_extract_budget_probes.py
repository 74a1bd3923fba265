"""The budget readers on the probe pages (tests/fixtures/extract/probes): real layouts, own wording and figures.

Scored by scripts/probe_budget_pages.py (rerun it to see every record). `expected.csv` lists, written by
hand, every record a careful reader takes from each probe. The acceptance here: no record is wrong (a
wrong amount, previous-year figure, year/kind or name), no expected record outside `KNOWN_MISSING` is
missing, coverage stays at or above `COVERAGE_FLOOR`, and every missing figure is reported as unread.
Three probes are also drawn as PDFs (reportlab's CID font, as tests/test_extract_pdf.py does) and must
give the same records as their text.
"""
from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from stigraph.extract import extract_file
from stigraph.extract.budget.tables import split_row
from tests import test_extract_pdf as pdf

REPO = Path(__file__).resolve().parents[1]
PROBES = REPO / "tests" / "fixtures" / "extract" / "probes"
COVERAGE_FLOOR = 0.88
"""Share of expected probe records found right (91.0% when set: 152 of 167)."""

# Expected records a reader may not find, each for a stated reason (probe, name, fiscal year, amount as printed).
KNOWN_MISSING = {
    # figures printed in a column apart from the names: the pairing is not on the page (reported unread)
    ("bullets_column_of_figures", "防災科学の研究推進", 2024, "82億円"),
    ("bullets_column_of_figures", "火山観測網の整備", 2024, "12億円"),
    ("bullets_column_of_figures", "地震調査研究の推進", 2024, "35億円"),
    # a description line between the bullet and its amount: the amount line is reported without a name
    ("bullets_description_line", "AI研究拠点の形成", 2025, "95億円"),
    # a 補正 total restating the one item under it: kept as a line of that item
    ("bullets_r2_two_contexts_page", "", 2024, "20億円"),
    # a 補正 figure inside a ※ note of a headline block: kept as the block's note
    ("headline_gannen", "宇宙科学・探査の推進", 2019, "30億円"),
    # 「令和5年度補正予算及び令和6年度予算(案)の概要」: which year the items belong to is not stated
    ("lines_two_contexts_title", "研究DXの推進", 2024, "45億円"),
    ("lines_two_contexts_title", "研究設備の更新", 2024, "18億円"),
    # a figure in a sentence
    ("prose_figures", "研究基盤の強化", 2025, "120億円"),
    # columns flattened one after another: row order of the figures is not on the page
    ("tables_columns_one_after_another", "基礎研究の推進", 2025, "430億円"),
    ("tables_columns_one_after_another", "研究基盤の整備", 2025, "140億円"),
    ("tables_columns_one_after_another", "合計", 2025, "570億円"),
    # a header whose year and kind stand on two lines (「令和7年度」 over 「予算額(案)」): not recognised
    ("tables_r2_two_line_header", "運営費交付金", 2025, "33,000百万円"),
    # 要求額 and 要望額 columns beside their sum: the row has more figures than recognised columns (reported)
    ("tables_split_request", "基礎研究", 2025, "440億円"),
    ("tables_split_request", "応用研究", 2025, "245億円"),
}
# Probes whose missing figure is kept on another record (a note or an also-line), so nothing is unread
MISSING_KEPT_ELSEWHERE = {"bullets_r2_two_contexts_page", "headline_gannen", "tables_r2_two_line_header"}


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture(scope="module")
def probing():
    return _load("probe_budget_pages")


@pytest.fixture(scope="module")
def scores(probing):
    return probing.score_all()


def _key(e) -> tuple:
    from stigraph.extract.budget.records import display_unit
    from stigraph.loaders.money import format_yen

    return e.probe, e.name, e.fiscal_year, format_yen(e.amount, display_unit(_printed(e)))


def _printed(e) -> str:
    return e.text.split(" ")[-1].split("(")[0]


def test_every_probe_has_expected_records_and_every_record_is_scored(scores):
    assert len(scores) >= 62
    for s in scores:
        assert s.expected, s.probe
        assert len(s.right) + len(s.unnamed) + len(s.wrong) == len(s.records), s.probe


def test_no_probe_record_is_wrong(scores, capsys):
    wrong = [(s.probe, r.line, r.name, r.amount_text, r.previous_text, f"FY{r.fiscal_year} {r.kind}", why, msg)
             for s in scores for r, why, msg in s.wrong]
    with capsys.disabled():
        for row in wrong:
            print("\n  WRONG", *row)
    assert wrong == []
    assert [(s.probe, r.line, problem) for s in scores for r, problem in s.provenance] == []


def test_every_expected_record_is_found_unless_known_missing(scores):
    missing = {_key(e) for s in scores for e in s.missing}
    assert missing <= KNOWN_MISSING, sorted(missing - KNOWN_MISSING)
    right = sum(len(s.right) for s in scores)
    expected = sum(len(s.expected) for s in scores)
    assert right / expected >= COVERAGE_FLOOR, f"{right}/{expected}"


def test_known_missing_entries_are_still_expected(scores):
    """KNOWN_MISSING names only records that expected.csv lists (a stale entry would hide nothing)."""
    listed = {_key(e) for s in scores for e in s.expected}
    assert KNOWN_MISSING <= listed, sorted(KNOWN_MISSING - listed)


def test_missing_figures_are_reported_unread(scores):
    for s in scores:
        if s.missing and s.probe not in MISSING_KEPT_ELSEWHERE:
            assert s.unread > 0, f"{s.probe}: a figure is missing and nothing was reported unread"


def test_the_probe_scoring_can_fail(probing, monkeypatch):
    """A swapped previous-year figure, a figure under another name and a wrong year are all caught."""
    real = probing.extract_file

    def tampered(path, kind="all"):
        result = real(path, kind=kind)
        if Path(path).stem == "headline_heisei_supplementary":
            items = {e.name: e for e in result.budgets if e.kind == "draft"}
            items["日本実験棟の運用・利用"].previous = items["補給機の開発"].previous
            items["補給機の開発"].name = "補給機の改良"
            items["国際宇宙ステーションの運用"].fiscal_year = 2017
        return result

    monkeypatch.setattr(probing, "extract_file", tampered)
    (score,) = probing.score_all(pattern="headline_heisei_supplementary")
    assert sorted(why for _, why, _ in score.wrong) == ["name", "previous", "year/kind"]


def test_brackets_holding_increases_never_become_previous_years(scores):
    """The probes whose brackets hold differences: no record there has a previous-year figure."""
    for s in scores:
        if s.probe in ("bullets_increase_note", "lines_increase_note_variants"):
            assert s.records and all(r.previous is None for r in s.records), s.probe
            assert any(r.change is not None for r in s.records), s.probe


# -- the same probes as PDF pages ---------------------------------------------------------------------

def _lines(name: str) -> list[str]:
    return (PROBES / f"{name}.txt").read_text(encoding="utf-8").split("\n")


def _records(path: Path) -> set[tuple]:
    result = extract_file(path, kind="budget")
    return {(e.name, e.amount_text, e.previous_text, e.fiscal_year, e.kind, e.is_new, e.agency)
            for e in result.budgets}


def test_headline_slide_with_figure_box_as_pdf(tmp_path):
    """Title top left, the figure box (label, amount, previous, 補正 line) top right, a sentence across the
    page under both, then the items with their amounts indented under them."""
    lines = _lines("headline_heisei_supplementary")
    page = [(40, 40, lines[0], 14)] + pdf.column(lines[1:4], 330, 30, step=13) + [(40, 90, lines[5], 10)]
    for k, (item, amount) in enumerate(zip(lines[7::2], lines[8::2])):
        page += [(40, 120 + 30 * k, item.strip(), 10), (60, 134 + 30 * k, amount.strip(), 10)]
    path = pdf.draw(tmp_path / "headline.pdf", [page])
    from_text = _records(PROBES / "headline_heisei_supplementary.txt")
    assert _records(path) == from_text
    assert len(from_text) == 4


def test_table_with_a_row_cut_by_the_page_break_as_pdf(tmp_path):
    """Two pages; the label of a row at the foot of page 1, its figures under the repeated header of page 2."""
    lines = [line for line in _lines("tables_page_cut") if line.strip()]
    xs = [40, 220, 320, 430]

    def rows(block: list[str], y: float) -> list[tuple]:
        out = [(40, y, block[0], 9)]  # the header as one line of text, the rows cell by cell
        for k, line in enumerate(block[1:], 1):
            label, figures = split_row(line)
            cells = ([label] if label else []) + figures
            start = 0 if label else 1
            for n, cell in enumerate(cells):
                out.append((xs[min(start + n, 3)], y + 16 * k, cell, 9))
        return out

    first = [(40, 40, lines[0], 9)] + rows(lines[1:4], 60) + [(280, 780, lines[4], 9)]
    second = [(40, 40, lines[5], 9)] + rows(lines[6:], 60)
    path = pdf.draw(tmp_path / "cut.pdf", [first, second])
    from_text = _records(PROBES / "tables_page_cut.txt")
    assert _records(path) == from_text
    assert {name for name, *_ in from_text} == {"研究開発の推進", "国際協力の推進", "人材育成"}
    pages = {e.name: e.page for e in extract_file(path, kind="budget").budgets}
    assert pages == {"研究開発の推進": 1, "国際協力の推進": 2, "人材育成": 2}


def test_csti_list_over_two_pages_with_a_wrapped_name_as_pdf(tmp_path):
    lines = [line for line in _lines("csti_r7_rows_wrapped") if line.strip()]
    first, second = lines[:7], lines[7:]
    path = pdf.draw(tmp_path / "list.pdf", [pdf.column(first, 30, 40, size=8), pdf.column(second, 30, 40, size=8)])
    from_text = _records(PROBES / "csti_r7_rows_wrapped.txt")
    assert _records(path) == from_text
    amounts = {name: amount for name, amount, *_ in from_text}
    assert amounts["宇宙の利用を広げるための調査研究"] == "310,000千円"
    result = extract_file(path, kind="budget")
    assert {e.name: e.page for e in result.budgets}["次世代蓄電池の開発"] == 2
    assert sum(e.amount for e in result.budgets) == Decimal("27280620000")
