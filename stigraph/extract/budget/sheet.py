"""The view every budget reader works on: a document's lines by page, which lines are taken, and the contexts.

Readers run one after another on the same `Sheet`; a line a reader used is `claim`ed so later readers
skip it. Contexts (label lines, a page's opening sentence, what its brackets hold) are computed once.
A list number in a circle (①, ❷) is written (1), (2): NFKC turns ① into a bare 1 that would stick to
the item's name.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

from stigraph.extract.reading import Document
from stigraph.loaders.text import compact

from . import context as ctx_mod
from .context import Context
from .records import BudgetEntry, Unread

# Section headings of budget slides: never a program title.
HEADINGS = {
    "背景・課題", "背景", "課題", "現状・課題", "事業概要", "事業の概要", "事業内容", "事業の内容", "概要",
    "事業目的", "事業の目的", "目的", "目的・目標", "事業目標", "政策目標", "主な制度改善", "主な取組",
    "主な取組内容", "主な内容", "取組内容", "具体的な取組", "実施内容", "支援内容", "予算額の推移", "主なプロジェクト",
    "期待される効果", "期待される成果", "成果", "事業スキーム", "スキーム", "アウトプット", "アウトカム", "対象",
    "事業期間", "実施体制", "参考", "補足", "内訳", "概算要求のポイント", "ポイント",
}
# Marks that start a list item (slides also use ➢ ▶ ◦ ✓), and everything a title cannot start with.
LIST_MARKS = "○●◯◎◆◇■□▪◼・•➢➤▶►▸◦❖✓✔"
BULLETS = LIST_MARKS + "-–※*"
# A status printed with an item, not an agency: 「【新規】」「(拡充)」「<一部新規>」
STATUS = r"(?:新\s*規|拡\s*充|一部新規|継\s*続|充\s*実|新規・拡充|拡充・新規)"
STATUS_TAG = re.compile(rf"[(【<〈]\s*(?P<status>{STATUS})\s*[)】>〉]")
META = re.compile(r"https?://|^(?:出典|公開元|出所|資料\s*\d|参考資料)|《|》|^\d+\s*/\s*\d+\s*ページ|^-?\d+-?$"
                   r"|担\s*当\s*[:課室局]|^\([^()]*\)$|^[-−]\s*\d+\s*[-−]$")  # also 「(担当:…課)」 and page numbers
# Lines of a headline block between a label and a 補正 label under it: amounts, 「(前年度予算額 …)」, ※ notes.
_BLOCK_LINE = re.compile(r"^(?:\(?\s*前年度|※|(?:約\s*)?[\d,.\s]+(?:兆|億|千万|百万|万|千)?[\d,.\s]*円\s*\)?$)")
_CIRCLED = re.compile("^[\u2460-\u2473\u2776-\u2793\u24eb-\u24fe]")
_AMOUNT_ANYWHERE = re.compile(r"\d\s*(?:兆|億|千万|百万|万|千)?\s*円")
_PAGE_PART = re.compile(r"\s*\(\s*\d+\s*/\s*\d+\s*\)\s*$")
# Lines that describe rather than name: a quote or tag first, a year, or an ending such as 内容 / 例 / 等.
_NOT_A_NAME = re.compile(r"^[「『【〈<\[]|年度|(?:内容|例|等|について|とは|まで|より|ため|の場合)$")


@dataclass
class Reading:
    """What one reader found."""

    entries: list[BudgetEntry] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)


@dataclass
class Sheet:
    """Normalised, stripped lines of a document with page bounds, claims and contexts."""

    doc: Document
    lines: list[str]
    claimed: set[int] = field(default_factory=set)
    labels: dict[int, tuple[re.Match, Context]] = field(default_factory=dict)
    page_starts: list[int] = field(default_factory=list)
    body_start: int = 0
    _label_index: list[int] = field(default_factory=list)
    _page_cache: dict[tuple[str, int], object] = field(default_factory=dict)
    secondary: set[int] = field(default_factory=set)
    """補正 label lines with their own figure inside another label's headline block (「令和5年度補正予算額 12億円」
    under 「令和6年度予算額(案) 385億円」): a figure of the block, not the context of the lines below it."""

    @classmethod
    def of(cls, doc: Document) -> Sheet:
        lines = [_circled_number(doc.raw[i] if i < len(doc.raw) else line, line.strip())
                 for i, line in enumerate(doc.lines)]
        starts = [0]
        if doc.pages:
            starts = [i for i, page in enumerate(doc.pages) if i == 0 or page != doc.pages[i - 1]]
        body = 0
        while body < len(lines) and lines[body].startswith("#"):
            body += 1  # a leading '# key: value' header names where a text came from; it is not the page
        labels = ctx_mod.label_lines(lines)
        sheet = cls(doc, lines, set(), labels, starts, body)
        sheet.secondary = {i for i in labels if sheet._inside_block(i)}
        sheet._label_index = sorted(set(labels) - sheet.secondary)
        return sheet

    def _inside_block(self, i: int) -> bool:
        """True for a 補正 label with its figure that follows another kind's label, only block lines between."""
        match, ctx = self.labels[i]
        if ctx.kind != "supplementary" or not match["amt"]:
            return False
        j = i
        for _ in range(4):
            j = self.previous_filled(j, limit=2)
            if j is None:
                return False
            if j in self.labels:
                return self.labels[j][1].kind != "supplementary"
            if not _BLOCK_LINE.match(self.lines[j]):
                return False
        return False

    # -- pages ---------------------------------------------------------------------------------------
    def page_bounds(self, i: int) -> tuple[int, int]:
        """[start, end) of the page holding 0-based line i."""
        k = bisect_right(self.page_starts, i) - 1
        start = max(self.page_starts[k], self.body_start)
        end = self.page_starts[k + 1] if k + 1 < len(self.page_starts) else len(self.lines)
        return start, end

    def page(self, i: int) -> int | None:
        return self.doc.pages[i] if self.doc.pages else None

    def same_page(self, i: int, j: int) -> bool:
        return self.page_bounds(i) == self.page_bounds(j)

    # -- neighbours ----------------------------------------------------------------------------------
    def next_filled(self, i: int, limit: int = 3) -> int | None:
        """The next non-blank line after i on the same page, at most `limit` lines on."""
        start, end = self.page_bounds(i)
        for j in range(i + 1, min(end, i + 1 + limit)):
            if self.lines[j]:
                return j
        return None

    def previous_filled(self, i: int, limit: int = 3) -> int | None:
        start, _ = self.page_bounds(i)
        for j in range(i - 1, max(start - 1, i - 1 - limit), -1):
            if self.lines[j]:
                return j
        return None

    # -- contexts ------------------------------------------------------------------------------------
    def context_at(self, i: int) -> Context | None:
        """The nearest label above line i on its page, else the page's opening sentence, else the
        document's prevailing label (the most frequent non-supplementary one)."""
        start, end = self.page_bounds(i)
        k = bisect_right(self._label_index, i) - 1
        if k >= 0 and self._label_index[k] >= start:
            return self.labels[self._label_index[k]][1]
        key = ("sentence", start)
        if key not in self._page_cache:
            self._page_cache[key] = ctx_mod.sentence_context(self.lines, start, end)
        return self._page_cache[key] or self.prevailing()  # type: ignore[return-value]

    def context_label(self, i: int) -> Context | None:
        """The context of line i if it is a label that heads the lines below it (not a 補正 figure of a block)."""
        return self.labels[i][1] if i in self.labels and i not in self.secondary else None

    def prevailing(self) -> Context | None:
        if ("prevailing", 0) in self._page_cache:
            return self._page_cache[("prevailing", 0)]  # type: ignore[return-value]
        self._page_cache[("prevailing", 0)] = found = self._prevailing()
        return found

    def _prevailing(self) -> Context | None:
        counts: dict[tuple[int, str], list[Context]] = {}
        for _, ctx in self.labels.values():
            if ctx.kind != "supplementary":
                counts.setdefault((ctx.fiscal_year, ctx.kind), []).append(ctx)
        if not counts:
            return None
        best = max(counts.values(), key=len)  # ties: the first seen (dicts keep insertion order)
        return best[0]

    def brackets_hold(self, i: int) -> str:
        """"change" if the page says its brackets hold differences, else "previous"."""
        start, end = self.page_bounds(i)
        key = ("brackets", start)
        if key not in self._page_cache:
            self._page_cache[key] = ctx_mod.brackets_hold(self.lines, start, end)
        note = self._page_cache[key]
        return note[0] if note else "previous"  # type: ignore[index]

    # -- helpers for readers -------------------------------------------------------------------------
    def claim(self, *indexes: int) -> None:
        self.claimed.update(indexes)

    def free(self, i: int) -> bool:
        return i not in self.claimed

    def title_like(self, i: int) -> bool:
        """A line that can be a program title: short, no sentence end, no amount, no bullet or heading."""
        line = self.lines[i]
        text = clean_title(line)
        if not text or len(text) > 60 or "。" in line or _AMOUNT_ANYWHERE.search(line):
            return False
        if line[0] in BULLETS or META.search(line) or is_heading(line) or i in self.labels \
                or _NOT_A_NAME.search(text):
            return False
        return bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fffA-Za-z]{2}", text))


def _circled_number(raw: str, line: str) -> str:
    """`line` with a leading circled list number written (n): 「①科学研究費」 -> 「(1)科学研究費」.

    >>> _circled_number("①科学研究費", "1科学研究費"), _circled_number("❷創発", "❷創発"), _circled_number("5G", "5G")
    ('(1)科学研究費', '(2)創発', '5G')
    """
    head = raw.lstrip()[:1]
    if not head or not _CIRCLED.match(head):
        return line
    printed = unicodedata.normalize("NFKC", head)
    if not line.startswith(printed):
        return line
    return f"({int(unicodedata.numeric(head))})" + line[len(printed):].lstrip()


def read_tag(tag: str | None) -> tuple[str | None, bool]:
    """(agency, is new) of the text of a 【…】 tag: 【JAXA】 is an agency, 【新規】 / 【拡充】 a status.

    >>> read_tag("JAXA"), read_tag("新規"), read_tag("拡充"), read_tag(None)
    (('JAXA', False), (None, True), (None, False), (None, False))
    """
    if tag is None:
        return None, False
    if re.fullmatch(STATUS, tag.strip()):
        return None, re.sub(r"\s+", "", tag) == "新規"
    return tag, False


def is_heading(line: str) -> bool:
    """A section heading of a budget slide (「背景・課題」, 「【主なプロジェクト】」)."""
    text = compact(line).strip("【】[]<>〈〉()")
    return text in HEADINGS or bool(re.fullmatch(r"【[^】]*】", compact(line)))


def clean_title(line: str) -> str:
    """A title line without a page-part suffix such as 「(1/2)」.

    >>> clean_title("宇宙活動を支える総合的基盤の強化(1/2)")
    '宇宙活動を支える総合的基盤の強化'
    """
    return _PAGE_PART.sub("", line).strip()


def entry_at(sheet: Sheet, i: int, **fields) -> BudgetEntry:
    """A `BudgetEntry` on 0-based line i with its page filled in."""
    return BudgetEntry(line=i + 1, page=sheet.page(i), **fields)
