"""Reader for the CSTI lists of science-and-technology budget projects (科学技術関係予算の判定結果一覧).

The header names the columns and, through the amount column, the fiscal year, kind and unit:

    NO 府省庁 予算事業ID 事業名 R8年度当初予算案 うち科技予算額(千円) 分類1 … 分類8
    1 内閣官房 000046 情報収集衛星の研究・開発 25,939,265 1_a_1 4_a3_1
    NO 府省庁 事業 番号 項・事項 事業名 令和8年度当初予算案 うち科技予算額 (千円)
    11 警察庁 5 (項)科学警察研究所 (大事項)科学警察研究所に必要な経費 … 1,177,724
    府省庁 事業名 令和7年度補正予算 うち科技予算額(千円)
    内閣府 戦略的イノベーション創造プログラム(…) 16,425,000

Rows are found in the text after a header whether it keeps one row per line or runs them all together
(PDF text extraction does both): a row starts at its NO followed by a ministry, and the NOs must run
in sequence, so a number inside a name never starts a row. The NO column may be headed NO, No. or 番号,
or not at all while the rows still start 「1 内閣府」: numbered rows are recognised by their numbers.
The figure is the last number before the category codes (decimals allowed in 百万円 lists); a header
whose amount column carries its own unit (「R7年度当初予算額(千円) うち科技予算額(千円)」) has two figures
per row, the project's budget and its S&T share. A row without a figure (the lists leave some blank),
a row cut off by the end of the text, a row with figures left inside its name, and (in lists without NO)
a row whose boundary is unclear are reported, not read.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from .context import columns
from .notations import scaled_value
from .records import Unread
from .sheet import Reading, Sheet, entry_at

NAME = "csti_lists"
MINISTRIES = (
    "国会", "裁判所", "会計検査院", "内閣官房", "内閣法制局", "内閣府", "宮内庁", "公正取引委員会", "国家公安委員会",
    "警察庁", "個人情報保護委員会", "カジノ管理委員会", "金融庁", "消費者庁", "こども家庭庁", "デジタル庁", "復興庁",
    "総務省", "消防庁", "法務省", "出入国在留管理庁", "公安調査庁", "外務省", "財務省", "国税庁", "文部科学省", "文化庁",
    "スポーツ庁", "厚生労働省", "農林水産省", "林野庁", "水産庁", "経済産業省", "資源エネルギー庁", "特許庁", "中小企業庁",
    "国土交通省", "観光庁", "気象庁", "海上保安庁", "環境省", "原子力規制委員会", "防衛省", "防衛装備庁",
)
_MINISTRY = "(?:" + "|".join(sorted(MINISTRIES, key=len, reverse=True)) + r")(?:\((?:" + \
    "|".join(sorted(MINISTRIES, key=len, reverse=True)) + r")\))?"
HEADER = re.compile(
    r"(?P<no>(?:NO|No|no|番号)\s*\.?\s+)?府省庁\s+(?P<id>予算事業\s*ID\s+)?(?P<num>事業\s*番号\s+)?(?P<item>項・事項\s+)?事業名\s+"
    r"(?P<col>\S*?年度\s*\S*?)\s*うち\s*科技予算額\s*\(\s*(?P<unit>千円|百万円|億円)\s*\)(?P<cats>(?:\s*分類\s*\d)*)")
FOOTER = re.compile(r"\d+\s*/\s*\d+\s*ページ")
_ROW_START = re.compile(rf"(?:(?<=\s)|^)(?P<no>\d{{1,4}})\s+(?P<ministry>{_MINISTRY})(?=\s)")
_MINISTRY_TOKEN = re.compile(rf"(?:(?<=\s)|^)(?P<ministry>{_MINISTRY})(?=\s)")
_CATEGORY = re.compile(r"^\d{1,2}_[0-9a-z]+(?:_[0-9a-z]+)*$")
_FIGURE = re.compile(r"^(?P<sign>[-−▲△])?\d{1,3}(?:,\d{3})*(?:\.\d+)?$")
_BIG_FIGURE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")  # a figure with thousands separators: never a word of a name
_OWN_UNIT = re.compile(r"額\s*\(\s*(?:千円|百万円|億円)\s*\)")
_PROJECT_ID = re.compile(r"^(?:\d{4,6}|新規|[-−－―ー])$")  # 「-」: a row without an ID
_ITEM_NUMBER = re.compile(r"^(?:\d{1,4}|新規|[-−－])$")
_ACCOUNT = re.compile(r"\(項\)\s*(?P<account>.+?)\s*(?=\((?:大事項|事項|中事項)\))")
MAX_SKIPPED_ROWS = 3
MAX_TAIL = 30


def tidy(text: str) -> str:
    """Drop the spaces a PDF line wrap leaves inside Japanese text; keep them between ASCII words.

    >>> tidy("戦略的イノベーション創造プログラム(エネルギー分野、次 世代インフラ分野)"), tidy("途上国等における STI for SDGs の推進")
    ('戦略的イノベーション創造プログラム(エネルギー分野、次世代インフラ分野)', '途上国等におけるSTI for SDGsの推進')
    """
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", text)


def _wrapped_tail(tokens: list[str]) -> list[str]:
    """Words after a row's category codes: the rest of a name the PDF wrapped below the figure's baseline.

    >>> _wrapped_tail("放送の高度化に向けた 410,000 1_a_1 研究開発".split()), _wrapped_tail(["名前", "410,000", "1_a_1"])
    (['研究開発'], [])
    """
    k = len(tokens)
    while k > 0 and not _CATEGORY.match(tokens[k - 1]) and not _FIGURE.match(tokens[k - 1]):
        k -= 1
    tail = tokens[k:]
    if not tail or k < 2 or not _CATEGORY.match(tokens[k - 1]) or len("".join(tail)) > MAX_TAIL \
            or re.search(r"。|※|^\(?注", " ".join(tail)):
        return []  # a footnote at the foot of a page is not the end of a name
    return tail


class _Stream:
    """Lines of a document joined by spaces, with a map from character offset back to the line."""

    def __init__(self, sheet: Sheet) -> None:
        self.starts: list[int] = []
        parts: list[str] = []
        pos = 0
        for i, line in enumerate(sheet.lines):
            self.starts.append(pos)
            parts.append(line if sheet.free(i) else "")
            pos += len(parts[-1]) + 1
        self.text = " ".join(parts)

    def line(self, offset: int) -> int:
        """0-based line of a character offset."""
        return bisect_right(self.starts, offset) - 1


def read(sheet: Sheet) -> Reading:
    """Read every CSTI list in the document."""
    reading = Reading()
    if "府省庁" not in "".join(sheet.lines):
        return reading
    stream = _Stream(sheet)
    headers = list(HEADER.finditer(stream.text))
    if not headers:
        return reading
    # The text before the first header is the list's title; PDF text repeats it before every page's header.
    body = stream.starts[sheet.body_start] if sheet.body_start < len(stream.starts) else 0
    title = tidy(stream.text[body:headers[0].start()])[-60:]
    used_lines: set[int] = set()
    next_no = 0
    for k, header in enumerate(headers):
        cols = [c for c in columns(header["col"], stream.line(header.start()) + 1) if c.role == "year"]
        if len(cols) != 1:
            reading.unread.append(Unread(stream.line(header.start()) + 1, "list header without a fiscal-year "
                                         f"amount column ({header['col']})"))
            continue
        end = headers[k + 1].start() if k + 1 < len(headers) else len(stream.text)
        body_start = header.end()
        body_end = _page_end(stream.text, body_start, end, title if k + 1 < len(headers) else "")
        cut_off = k + 1 == len(headers) and body_end == end
        segment = _Segment(sheet, stream, header, cols[0].context, body_start, body_end, cut_off=cut_off)
        next_no = segment.read(reading, next_no)
        used_lines.update(range(stream.line(header.start()), stream.line(max(body_start, end - 1)) + 1))
    sheet.claim(*used_lines)
    return reading


def _page_end(text: str, start: int, end: int, title: str) -> int:
    """Where a page's rows end: at its footer 「1 / 38 ページ」, or at the title repeated before the next header."""
    if (footer := FOOTER.search(text, start, end)):
        return footer.start()
    if title and len(title) >= 8:
        pattern = r"\s*".join(re.escape(ch) for ch in title if not ch.isspace())
        found = list(re.finditer(pattern, text[start:end]))
        if found and not text[start + found[-1].end():end].strip():
            return start + found[-1].start()
    return end


class _Segment:
    """The rows of one page of a list: between a header and the page footer (or the next header)."""

    def __init__(self, sheet, stream, header, ctx, start, end, cut_off):
        self.sheet, self.stream, self.header, self.ctx = sheet, stream, header, ctx
        self.start, self.end, self.cut_off = start, end, cut_off
        self.unit = header["unit"]
        # rows numbered 「1 内閣府 …」 under a header whose NO column is not recognised are numbered all the same
        body = stream.text[start:end]
        self.numbered = bool(header["no"]) or bool(_ROW_START.match(stream.text, start + len(body) - len(body.lstrip())))
        self.two_figures = bool(_OWN_UNIT.search(header["col"]))

    def read(self, reading: Reading, next_no: int) -> int:
        rows = self._numbered_rows(reading, next_no) if self.numbered else self._ministry_rows(reading, next_no)
        for n, (no, ministry, begin, finish) in enumerate(rows):
            last = n + 1 == len(rows)
            self._row(reading, no, ministry, begin, finish, cut_off=self.cut_off and last)
            next_no = no if no else next_no
        return next_no

    def _numbered_rows(self, reading: Reading, next_no: int) -> list[tuple[int, str, int, int]]:
        starts: list[tuple[int, str, int, int]] = []  # no, ministry, row start, body start
        expected = next_no + 1
        for m in _ROW_START.finditer(self.stream.text, self.start, self.end):
            no = int(m["no"])
            if next_no == 0 and not starts:
                expected = no  # the first row of the list: whatever number it has
            if expected <= no <= expected + MAX_SKIPPED_ROWS:
                for missing in range(expected, no):
                    reading.unread.append(Unread(self.stream.line(m.start()) + 1,
                                                 f"list row NO {missing} not found in the text"))
                starts.append((no, m["ministry"], m.start(), m.end()))
                expected = no + 1
        rows = []
        for n, (no, ministry, _, body) in enumerate(starts):
            finish = starts[n + 1][2] if n + 1 < len(starts) else self.end
            rows.append((no, ministry, body, finish))
        return rows

    def _ministry_rows(self, reading: Reading, count: int) -> list[tuple[int, str, int, int]]:
        """Rows of a list without NO: a ministry right after the previous row's figure starts a row.

        Rows are numbered in reading order (continuing over pages) so that each has its own `row`. A
        ministry standing alone before the row's figure starts the next row: the row before it has no
        figure (left blank in the list) and is reported.
        """
        text = self.stream.text
        rows = []
        pos = self.start
        while (m := _MINISTRY_TOKEN.search(text, pos, self.end)):
            figure_end = None
            for f in re.finditer(r"(?:(?<=\s)|^)([-−▲△]?\d{1,3}(?:,\d{3})*(?:\.\d+)?)(?=\s|$)", text[m.end():self.end]):
                after = m.end() + f.end()
                if _MINISTRY_TOKEN.match(text, after + 1) or not text[after:self.end].strip():
                    figure_end = after
                    break
            if figure_end is None:
                rows.append((count + 1, m["ministry"], m.end(), self.end))
                break
            inner = _MINISTRY_TOKEN.search(text, m.end(), figure_end)
            if inner is not None and inner.start() > m.end() + 1:
                count += 1
                reading.unread.append(Unread(self.stream.line(m.start()) + 1, f"list row {count} without a figure "
                                             "(left blank in the list)", text=text[m.start():inner.start()][:80]))
                pos = inner.start()
                continue
            count += 1
            rows.append((count, m["ministry"], m.end(), figure_end))
            pos = figure_end
        return rows

    def _row(self, reading: Reading, no: int, ministry: str, begin: int, finish: int, cut_off: bool) -> None:
        text = self.stream.text[begin:finish]
        line = self.stream.line(begin)
        tokens = text.split()
        tail = _wrapped_tail(tokens)  # the end of a wrapped name, printed after the figure and the categories
        if tail:
            del tokens[-len(tail):]
        categories = []
        while tokens and _CATEGORY.match(tokens[-1]):
            categories.insert(0, tokens.pop())
        label = f"row {no}" if no else "row"
        if cut_off and not categories:
            reading.unread.append(Unread(line + 1, f"list {label} cut off by the end of the text", text=text[:80]))
            return
        if not tokens or not _FIGURE.match(tokens[-1]):
            reading.unread.append(Unread(line + 1, f"list {label} without a figure (left blank in the list)",
                                         text=text[:80]))
            return
        figure = tokens.pop()
        if _FIGURE.match(figure)["sign"]:
            reading.unread.append(Unread(line + 1, f"list {label}: negative figure {figure} (a reduction) "
                                                   "not stored as a budget amount", text=text[:80]))
            return
        total = None
        if self.two_figures:
            if not tokens or not _FIGURE.match(tokens[-1]):
                reading.unread.append(Unread(line + 1, f"list {label} without the project's budget before its "
                                                       "S&T share", text=text[:80]))
                return
            total = tokens.pop()
        project_id = item_number = parent = None
        if self.header["id"] and tokens and _PROJECT_ID.match(tokens[0]):
            project_id = tokens.pop(0)
        if self.header["num"] and tokens and _ITEM_NUMBER.match(tokens[0]):
            item_number = tokens.pop(0)
        body = " ".join(tokens)
        if self.header["item"]:
            # 項・事項 + 事業名 as printed, without the (項)/(大事項) labels; the 項 is also kept as the parent
            if (account := _ACCOUNT.search(body)):
                parent = tidy(account["account"])
            body = re.sub(r"\((?:項|大事項|事項|中事項|目)\)", " ", body)
            body = re.sub(r"(?:(?<=\s)|^)[-−－](?=\s|$)", " ", body)
        elif not self.numbered and _MINISTRY_TOKEN.search(body):
            reading.unread.append(Unread(line + 1, "list row boundary unclear (a ministry inside the name; "
                                                   "a row without a figure before it?)", text=text[:80]))
            return
        name = tidy(" ".join([body, *tail]))
        if not name:
            reading.unread.append(Unread(line + 1, f"list {label} without a name", text=text[:80]))
            return
        if any(_BIG_FIGURE.match(t) or _CATEGORY.match(t) for t in body.split()):
            reading.unread.append(Unread(line + 1, f"list {label}: figures or category codes inside the name "
                                                   "(a column not in the header, or rows run together)", text=text[:80]))
            return
        last_line = self.stream.line(max(begin, finish - 1))
        entry = entry_at(self.sheet, line, name=name, amount=scaled_value(figure, self.unit),
                         amount_text=f"{figure}{self.unit}", fiscal_year=self.ctx.fiscal_year, kind=self.ctx.kind,
                         reader=NAME, row=no or None,
                         project_id=project_id if project_id and project_id[0].isdigit() else None,
                         item_number=item_number, ministry=ministry, parent=parent,
                         line_end=last_line + 1 if last_line > line else None)
        entry.is_new = project_id == "新規" or item_number == "新規"
        entry.notes.append("S&T share of the project (うち科技予算額)")
        if total is not None:
            entry.notes.append(f"project budget {total}{self.unit}")
        if categories:
            entry.notes.append("categories " + " ".join(categories))
        reading.entries.append(entry)
