"""Strategy tables -> Measures: tags across lines, page breaks, side-by-side rows, repairs, (再掲), legend."""
from __future__ import annotations

from pathlib import Path

import pytest

from stigraph.extract.reading import read_document
from stigraph.extract.strategy import extract_measures, split_tag

FIX = Path(__file__).resolve().parent / "fixtures" / "extract"
LEGEND = {"文": ("mext", 1), "経": ("meti", 2), "科技": ("cao-sti", 3), "国": ("mlit", 4), "IT": ("it-office", 5)}


@pytest.fixture(scope="module", params=["strategy_utf8.txt", "strategy_cp932.txt"])
def extracted(request):
    return extract_measures(read_document(FIX / request.param), legend_data=LEGEND, label_ids={})


def by_line(measures):
    return {m.id: m for m in measures}


def test_every_tag_is_attached(extracted):
    measures, unread, _ = extracted
    assert unread == []
    assert [(m.id, m.column, m.ministry_ids) for m in measures] == [
        ("L10", "plan", ["cao-sti", "mext"]),
        ("L15", "action", ["cao-sti", "meti"]),      # tag broken inside an abbreviation (【科\n技、経】)
        ("L19", "plan", ["mext", "all-relevant-ministries"]),  # continued after a page break and a footnote
        ("L24", "action", ["meti", "mlit"]),          # right column continued after the page break
        ("L37", "plan", ["mlit"]),                    # three column starts on one line
        ("L37-2", "action", ["meti"]),
        ("L47", "action", ["cao-sti", "meti"]),
        ("L50", "action", ["it-office"]),
        ("L52", "action", ["cao-sti", "mext", "meti"]),
        ("L54", "action", ["mext"]),
    ]


def test_sections_lines_and_labels(extracted):
    m = by_line(extracted[0])
    assert m["L19"].section == "2.1(1)①" and (m["L19"].line, m["L19"].line_end) == (19, 30)
    assert m["L47"].section == "2.1(1)②"
    assert m["L47"].label == "strategy §2.1(1)② item 3"
    assert m["L19"].text.endswith("2025年度までに完了する。") or "2025" in m["L19"].text


def test_repairs_and_unresolved(extracted):
    m = by_line(extracted[0])
    assert m["L24"].repairs == ["・ as separator"]
    assert m["L50"].repairs == ["footnote digits: IT37"]
    assert m["L52"].repairs == ["missing separator: 文経"]
    assert m["L52"].unresolved == ["謎庁"]  # in a tag but in neither legend


def test_relisted_items_link_to_the_original(extracted):
    m = by_line(extracted[0])
    assert m["L47"].relisted and m["L47"].repeats == "L15"
    assert not m["L15"].relisted


def test_document_legend_is_parsed(extracted):
    legend = extracted[2]
    assert legend.document["科技"] == ("科学技術・イノベーション推進事務局", 60)
    assert legend.document["IT"][1] == 59


def test_legend_rows_resolve_through_registry_labels_without_data_file():
    doc = read_document(FIX / "strategy_utf8.txt")
    measures, _, _ = extract_measures(doc, legend_data={}, label_ids={"文部科学省": "mext"})
    assert by_line(measures)["L54"].ministry_ids == ["mext"]
    assert by_line(measures)["L15"].unresolved == ["科技", "経"]


@pytest.mark.parametrize("inner, tokens, repairs", [
    ("科技、文、経", ["科技", "文", "経"], []),
    ("デジ、総、", ["デジ", "総"], ["trailing separator"]),
    ("経・国・環", ["経", "国", "環"], ["・ as separator"]),
    ("科技、健医、別の列の文章が入る。宇宙、総", ["科技", "健医", "宇宙", "総"], ["text from another column inside the tag"]),
])
def test_split_tag(inner, tokens, repairs):
    known = {"科技", "文", "経", "デジ", "総", "国", "環", "健医", "宇宙"}
    assert split_tag(inner, known)[0] == tokens
    assert split_tag(inner, known)[2] == repairs
