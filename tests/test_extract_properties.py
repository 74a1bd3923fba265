"""Property-based tests: the budget-line and tag extractors never crash on arbitrary text."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from stigraph.extract.budget import extract_budgets
from stigraph.extract.reading import Document
from stigraph.extract.strategy import extract_measures, split_tag
from stigraph.loaders.text import normalize

# Text made mostly of the pieces these documents are built from, so the extractors' branches run.
PIECES = st.sampled_from([
    "令和3年度予算額(案)", "(前年度予算額", "1,561百万円", "（1,516百万円）", "76億円", "５．", "※", "★", "（新規）",
    "総事業費", "補正予算額", "概算要求", "〇", "○", "・", "【科技、文、経】", "【文", "、経】", "(再掲)", "関係府省",
    "事業", "推進", "\n", " ", "1", "①", "基本計画における記載", "内数",
])
DOCUMENT_TEXT = st.one_of(st.text(max_size=400), st.lists(PIECES | st.text(max_size=5), max_size=120).map("".join))


def document(text: str) -> Document:
    raw = text.split("\n")
    return Document(path=Path("generated.txt"), encoding="utf-8", raw=raw, lines=[normalize(line) for line in raw])


@settings(max_examples=200, deadline=None)
@given(DOCUMENT_TEXT)
def test_budget_extractor_never_crashes(text: str) -> None:
    entries, unread = extract_budgets(document(text))
    for entry in entries:
        assert entry.amount >= 0 and 1 <= entry.line <= text.count("\n") + 1
    assert all(1 <= u.line <= text.count("\n") + 1 for u in unread)


@settings(max_examples=200, deadline=None)
@given(DOCUMENT_TEXT)
def test_measure_extractor_never_crashes(text: str) -> None:
    measures, unread, _legend = extract_measures(document(text), {"科技": ("cao-sti", 1), "文": ("mext", 2), "経": ("meti", 3)})
    for measure in measures:
        assert measure.line <= measure.line_end


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_tag_splitter_never_crashes(inner: str) -> None:
    tokens, unknown, repairs = split_tag(inner, {"科技", "文", "経", "厚", "農", "国"})
    assert isinstance(tokens, list) and isinstance(unknown, list) and isinstance(repairs, list)
