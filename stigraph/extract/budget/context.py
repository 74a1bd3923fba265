"""Fiscal year and budget kind from the page's own words, never from the file name.

Three sources, strongest first:
- label lines: 「令和7年度要求・要望額」, 「令和3年度予算額(案) 76億円」, 「■令和2年度当初予算額(令和元年度当初予算額)」;
- column headers of tables: 「平成19年度概算要求額」, 「H21年度予算額」, 「前年度予算額」, 「比較増減額」;
- a sentence near the top of a page: 「平成30年度文部科学省予算案における…」, 「令和7年度予算概算要求について」.
Kinds: 補正 -> supplementary, 要求 -> request, 案 -> draft, otherwise initial. Notes such as
「括弧内は平成29年度予算」 or 「()内は今年度予算に対する差額」 say what a page's brackets hold.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from stigraph.loaders.era import fiscal_year

from .notations import AMOUNT, MARK

ERA = r"(?:令和|平成|[RH])\s*(?:\d{1,2}|元)\s*年度"
_KIND_WORDS = r"(?:(?P<kw>当初|補正)?\s*予算(?P<draft2>案)?|(?P<req>概算要求|要求・要望|要求))\s*額?\s*(?P<draft>\(\s*案\s*\))?"
# 「令和7年度要求・要望額」, 「令和3年度予算額(案) 76億円」, 「令和6年度予算額(案):3,456,789千円(前年度予算額:3,210,000千円)」:
# the bracket after the amount (`after`) is read by the reader (previous year, increase, 新規 …)
LABEL = re.compile(
    rf"^(?P<name>.*?)\s*(?P<ctx>(?P<era>{ERA})\s*(?P<order>第\s*\d\s*次)?\s*{_KIND_WORDS})"
    rf"\s*(?:\((?P<prevctx>[^()]*)\))?\s*:?\s*(?:(?P<amt>{AMOUNT})\s*(?P<mk>{MARK})"
    rf"(?:\s*\(\s*(?P<after>[^()]{{1,40}}?)\s*\))?)?\s*$")
MAX_LABEL_NAME = 60
TOP_LINES = 20
# 「括弧内は平成29年度予算」「()内は…差額」「( )は対前年度増減額」「カッコ書きは前年度からの増減額」
_BRACKET_NOTE = re.compile(r"(?:括弧|カッコ|かっこ|\(\s*\)|\[\s*\])\s*(?:内|書き)?\s*(?:は|の金額は|の数字は|の数値は)"
                           r"\s*[、,]?(?P<what>[^。]{0,30})")
_SENTENCE = re.compile(rf"(?P<era>{ERA})(?=(?P<window>[^。、,]{{0,16}}))")  # windows may overlap the next era


@dataclass(frozen=True)
class Context:
    """The fiscal year and kind a figure belongs to, and the line that says so (1-based)."""

    fiscal_year: int
    kind: str
    previous_kind: str
    line: int


def kind_of(keyword: str | None, draft: bool) -> str:
    """Budget kind of a label's keyword: 補正 / 概算要求 (any 要求) / draft (案) / initial.

    >>> kind_of("補正", True), kind_of("要求・要望", False), kind_of(None, True), kind_of("当初", False)
    ('supplementary', 'request', 'draft', 'initial')
    """
    if keyword == "補正":
        return "supplementary"
    if keyword and "要求" in keyword:
        return "request"
    return "draft" if draft else "initial"


def label_context(match: re.Match, line: int) -> Context | None:
    """The context of a `LABEL` match on 1-based `line` (None if the era year is impossible)."""
    try:
        year = fiscal_year(re.sub(r"\s+", "", match["era"]))
    except ValueError:
        return None
    previous_kind = "supplementary" if "補正" in (match["prevctx"] or "") else "initial"
    draft = bool(match["draft"] or match["draft2"])
    return Context(year, kind_of(match["kw"] or match["req"], draft), previous_kind, line)


def label_lines(lines: list[str]) -> dict[int, tuple[re.Match, Context]]:
    """Label lines (0-based index -> match, context): a fiscal-year label, optionally after a short name.

    >>> ctx = label_lines(["令和7年度要求・要望額", "本文。", "令和3年度予算額(案) 76億円"])
    >>> [(i, c.fiscal_year, c.kind) for i, (_, c) in ctx.items()]
    [(0, 2025, 'request'), (2, 2021, 'draft')]
    """
    found: dict[int, tuple[re.Match, Context]] = {}
    for i, line in enumerate(lines):
        if "年度" in line and ("予算" in line or "要求" in line):
            match = LABEL.match(line)
            if match and len(match["name"]) <= MAX_LABEL_NAME and "。" not in match["name"]:
                ctx = label_context(match, i + 1)
                if ctx:
                    found[i] = (match, ctx)
    return found


def sentence_context(lines: list[str], start: int, end: int) -> Context | None:
    """The first statement of year and kind in the top lines of a page (0-based range [start, end)).

    Only a statement naming a kind (予算案, 概算要求, 補正, 当初) counts; a bare 「…年度…予算」 does not.
    A line that states two different years or kinds (「令和5年度補正予算及び令和6年度予算(案)の概要」)
    says nothing about which one a figure below belongs to: no context (None), never the first one.

    >>> sentence_context(["資料1 平成30年度量子関係予算について", "平成30年度本省予算案における内訳。"], 0, 2)
    Context(fiscal_year=2018, kind='draft', previous_kind='initial', line=2)
    >>> sentence_context(["令和5年度補正予算及び令和6年度予算(案)の概要"], 0, 1) is None
    True
    """
    seen = 0
    for i in range(start, end):
        if not lines[i].strip():
            continue
        seen += 1
        if seen > TOP_LINES:
            break
        stated = {c for match in _SENTENCE.finditer(lines[i]) if (c := _statement(match)) is not None}
        if len(stated) == 1:
            year, kind = stated.pop()
            return Context(year, kind, "initial", i + 1)
        if stated:
            return None
    return None


def _statement(match: re.Match) -> tuple[int, str] | None:
    """(year, kind) of an era year followed by words naming a kind, or None.

    The window stops at the next era year, so 「令和5年度補正予算及び令和6年度予算案」 gives two statements.
    """
    window = re.split(ERA, match["window"])[0]
    if "要求" in window:
        kind = "request"
    elif "補正" in window:
        kind = "supplementary"
    elif "予算案" in window or "(案)" in window:
        kind = "draft"
    elif "当初予算" in window:
        kind = "initial"
    else:
        return None
    try:
        return fiscal_year(re.sub(r"\s+", "", match["era"])), kind
    except ValueError:
        return None


def brackets_hold(lines: list[str], start: int, end: int) -> tuple[str, int] | None:
    """What a page says its brackets hold: ("previous" | "change", 1-based line of the note), or None.

    >>> brackets_hold(["※( )内は今年度予算に対する差額。"], 0, 1), brackets_hold(["括弧内は平成29年度予算。"], 0, 1)
    (('change', 1), ('previous', 1))
    """
    for i in range(start, end):
        for match in _BRACKET_NOTE.finditer(lines[i]):
            what = match["what"]
            if re.search(r"差額|増減|差|伸び|比較|対前年", what):
                return "change", i + 1
            if re.search(r"予算|年度", what):
                return "previous", i + 1
    return None


@dataclass(frozen=True)
class Column:
    """A table column header: a fiscal-year figure, the previous year's, the change, or not a figure."""

    role: str  # year | summed (「予算額(補正後)」: initial + 補正) | previous | change | rate | cumulative | text
    context: Context | None = None


_COLUMN = re.compile(
    rf"(?P<cumulative>[~〜～]\s*{ERA}\s*予算\s*総?額)"
    rf"|(?P<year>(?P<era>{ERA})\s*(?P<order>第\s*\d\s*次)?\s*{_KIND_WORDS}(?P<prevctx>)(?P<amt>)(?P<mk>)"
    r"(?P<summed>\s*\(?\s*補正後\s*\)?)?)"
    r"|(?P<previous>前年度\s*(?:当初)?\s*予算\s*額?)"
    r"|(?P<rate>\s*(?:増\s*[▲△]?\s*減|伸び)\s*率(?:\s*\(\s*%\s*\))?|対前年度比(?!\s*較))"
    r"|(?P<change>(?:比較|対前年度)?\s*増\s*[▲△]?\s*減\s*額?(?:\s*\(.{0,6}?\))?|対前年度比較)"
    r"|(?P<text>備\s*考)")


def columns(text: str, line: int) -> list[Column]:
    """The column headers named in a header line, left to right.

    >>> [c.role for c in columns("事項 前年度予算額 平成19年度概算要求額 比較増減額 備考", 1)]
    ['previous', 'year', 'change', 'text']
    >>> [c.role for c in columns("府省名 令和7年度概算要求額 令和6年度当初予算額 増減額 増減率", 1)]
    ['year', 'year', 'change', 'rate']
    >>> columns("H22年度概算要求", 3)[0].context
    Context(fiscal_year=2010, kind='request', previous_kind='initial', line=3)
    """
    found: list[Column] = []
    for match in _COLUMN.finditer(text):
        if match["year"]:
            found.append(Column("summed" if match["summed"] else "year", label_context(match, line)))
        elif match["cumulative"]:
            found.append(Column("cumulative"))
        elif match["previous"]:
            found.append(Column("previous"))
        elif match["change"]:
            found.append(Column("change"))
        elif match["rate"]:
            found.append(Column("rate"))
        else:
            found.append(Column("text"))
    return [c for c in found if c.role not in ("year", "summed") or c.context is not None]


_YEAR_PREVIOUS = re.compile(rf"^(?P<era>{ERA})\s*(?:当初)?\s*予算\s*額?\s*[:]?\s*(?P<amt>{AMOUNT})?$")


def previous_by_year(text: str, page_year: int) -> tuple[bool, str | None]:
    """(True, amount or None) if `text` labels the budget of the year before `page_year` by its year.

    >>> previous_by_year("令和6年度予算額 220億円", 2025), previous_by_year("令和5年度予算額", 2025)
    ((True, '220億円'), (False, None))
    """
    match = _YEAR_PREVIOUS.match(text.strip())
    if not match:
        return False, None
    try:
        year = fiscal_year(re.sub(r"\s+", "", match["era"]))
    except ValueError:
        return False, None
    return (True, match["amt"]) if year == page_year - 1 else (False, None)


def without_columns(text: str) -> str:
    """The text left after removing every column header from it.

    >>> without_columns("<令和2年度 概算要求額>")
    '<>'
    """
    return _COLUMN.sub("", text)
