"""Reader for one-line budget items: 「2.事業名 1,561百万円(1,516百万円)」 and label lines with an amount.

The format of the MEXT budget chapters in the seeds:
- item lines with a bracket after the amount: the previous year's figure, 新規, or an increase
  (「H3ロケット 340億円(149億円増)」, or any bracket on a page that says its brackets hold differences);
  a name broken over two lines is joined when the line above starts the numbered item or the line
  itself only continues it (「(羽田空港の…等) 191億円」, 「及び…事業費 13億円」);
- label lines with an amount: 「令和3年度予算額(案) 76億円」 + 「(前年度予算額 72億円)」 on the next line,
  「令和2年度第3次補正予算額(案) 2億円」, 「研究活動の不正行為への対応 令和3年度予算額(案) 137百万円」;
- name + amount lines right under a label line (「■令和2年度当初予算額(令和元年度当初予算額)」).
The fiscal year/kind of an item is the nearest label line above (within a few lines), else the
document's prevailing label, else the page's opening sentence; an item with no bracket needs a label
line right above it.
"""
from __future__ import annotations

import re

from .notations import MARK, PREVIOUS_WORDS, PRINTED, amount_value, compact_amount, read_bracket
from .records import BudgetEntry, Unread, apply_bracket
from .sheet import BULLETS, LIST_MARKS, STATUS_TAG, Reading, Sheet, entry_at, read_tag

NAME = "seed_lines"
AMOUNT = PRINTED  # digits or kanji numerals; a 約 before it is read from the end of the name
# a bracket after the amount, of any content: `read_bracket` says what it holds (previous, change, 新規 …)
_BRACKET = r"\(\s*(?P<br>[^()]{1,40}?)\s*\)"
_AFTER_TAG = r"(?:\s*【(?P<tag2>[^【】]{1,20})】)?"  # 「62億円(50億円)【JAXA】」
# name + amount [markers] [(bracket)] [markers] [【tag】] at the end of a line
ITEM = re.compile(rf"^(?P<name>.*?)\s*(?P<amt>{AMOUNT})\s*(?P<mk1>{MARK})\s*(?:{_BRACKET})?\s*(?P<mk2>{MARK})"
                  rf"{_AFTER_TAG}\s*$")
# any line that ends in an amount (optionally bracketed / followed by a marker): a candidate budget line
CANDIDATE = re.compile(rf"(?:{AMOUNT})\s*{MARK}\s*(?:{_BRACKET.replace('?P<br>', '?:')})?\s*{MARK}\s*\)?"
                       rf"{_AFTER_TAG.replace('?P<tag2>', '?:')}\s*$")
PREVIOUS_LINE = re.compile(rf"^\(\s*{PREVIOUS_WORDS}\s*[:]?\s*(?P<amt>{AMOUNT})\s*\)$")
NUMBERED = re.compile(rf"^(?:\d{{1,2}}\s*[.．]|[{LIST_MARKS}]|\(\d{{1,2}}\))\s*")
_CONTINUATION = re.compile(r"^(?:\([^()]*\)|及び|並びに|等の)")
_TAG = re.compile(r"\s*【(?P<tag>[^【】]{1,20})】\s*$")
LOCAL_CONTEXT_LINES = 3
# A name that is only a budget term (「うち要望額」「要求額」「前年度予算額」): the figure is a part of a total
BUDGET_TERM = re.compile(r"^(?:前年度|当初|補正|概算)?\s*(?:要求・要望|要求|要望|予算)\s*額?\s*(?:計|合計)?$")


def clean_name(name: str) -> tuple[str, bool, str | None]:
    """Strip numbering, list bullets, 新規 and markers from an item name: (name, is_new, marker).

    >>> clean_name("５．模擬データ連携事業(新規)"), clean_name("➢【新規】次の通信衛星"), clean_name("○AI研究(拡充)")
    (('模擬データ連携事業', True, None), ('次の通信衛星', True, None), ('AI研究', False, None))
    """
    is_new = False
    marker = None
    name = name.strip()
    for status in STATUS_TAG.finditer(name):
        is_new = is_new or re.sub(r"\s+", "", status["status"]) == "新規"
    name = STATUS_TAG.sub("", name)
    marks = re.findall(r"[※★☆]", name)
    if marks and re.search(r"[※★☆]\s*$", name):
        marker = marks[-1]
        name = re.sub(r"\s*[※★☆]+\s*$", "", name)
    name = NUMBERED.sub("", name.strip())
    name = re.sub(r"^うち\s*[、,]?\s*", "", name)
    return name.strip(" :・"), is_new, marker


def read(sheet: Sheet) -> Reading:
    """Read one-line items and label lines with amounts on the lines no earlier reader took."""
    lines = sheet.lines
    reading = Reading()
    items: list[BudgetEntry] = []
    totals: list[BudgetEntry] = []
    prevailing = sheet.prevailing()

    def local_context(i: int):
        for j in range(i - 1, max(-1, i - 1 - LOCAL_CONTEXT_LINES), -1):
            if (found := sheet.context_label(j)) is not None:
                return found
        return None

    for i, line in enumerate(lines):
        if not sheet.free(i) or not line:
            continue
        if i in sheet.labels:
            match, ctx = sheet.labels[i]
            if match["amt"]:
                totals.append(_label_figure(sheet, i, match, ctx))
            continue
        if not CANDIDATE.search(line):
            continue
        match = ITEM.match(line)
        if not match:
            reading.unread.append(Unread(i + 1, "amount not at the end of a 'name amount (previous)' line", text=line))
            continue
        raw_name, start = _joined_name(sheet, i, match["name"])
        approximate = raw_name.rstrip().endswith("約")
        name, is_new, marker = clean_name(raw_name[:-1] if approximate else raw_name)
        agency = None
        if (tag := _TAG.search(name)):
            name = name[:tag.start()].strip()
            agency, tagged_new = read_tag(tag["tag"])
            is_new = is_new or tagged_new
        if match["tag2"]:
            after_agency, tagged_new = read_tag(match["tag2"])
            agency, is_new = agency or after_agency, is_new or tagged_new
        bracket = read_bracket(match["br"], sheet.brackets_hold(i)) if match["br"] else None
        if bracket is not None and bracket.kind == "other":
            reading.unread.append(Unread(i + 1, f"bracket after the amount not read ({bracket.text})", text=line))
            continue
        is_new = is_new or (bracket is not None and bracket.kind == "new")
        marker = marker or (bracket.marker if bracket else None) or (match["mk1"] or match["mk2"] or None)
        if not re.sub(r"[約\d,.~〜\s()+-]", "", name):
            reading.unread.append(Unread(i + 1, "amount without an item name on its line", text=line))
            continue
        if re.search(AMOUNT, name):
            reading.unread.append(Unread(i + 1, "several amounts on one line (a table row without headers)", text=line))
            continue
        if BUDGET_TERM.match(name):
            reading.unread.append(Unread(i + 1, f"figure labelled {name!r}: a part of a total, not a program", text=line))
            continue
        if "。" in name or len(name) > 80 or re.search(r"[、,]$", name):
            reading.unread.append(Unread(i + 1, "amount inside running text, not a budget line", text=line))
            continue
        ctx = local_context(start)
        if ctx is None:
            if bracket is None and not is_new:
                reading.unread.append(Unread(i + 1, "no previous-year figure and no fiscal-year context line next to it",
                                             text=line))
                continue
            ctx = prevailing or sheet.context_at(i)
        if ctx is None:
            reading.unread.append(Unread(i + 1, "no fiscal-year context line (令和N年度予算額 ...) in the document",
                                         text=line))
            continue
        amount = amount_value(match["amt"])[0]
        entry = entry_at(sheet, start, name=name, amount=amount, amount_text=compact_amount(match["amt"]),
                         fiscal_year=ctx.fiscal_year, kind=ctx.kind, line_end=(i + 1) if start != i else None,
                         is_new=is_new, marker=marker, previous_kind=ctx.previous_kind, agency=agency,
                         approximate=approximate, reader=NAME)
        apply_bracket(entry, bracket)
        sheet.claim(*range(start, i + 1))
        items.append(entry)

    # A label figure restating an item (same amount and previous, or same name) is one more line of it.
    for total in totals:
        same = [e for e in items if e.amount == total.amount and e.fiscal_year == total.fiscal_year
                and e.kind == total.kind and e.previous == total.previous
                and (total.name is None or total.name == e.name)]
        if same:
            same[0].also_lines.append(total.line)
        else:
            reading.entries.append(total)
    reading.entries.extend(items)
    return reading


def _label_figure(sheet: Sheet, i: int, match: re.Match, ctx) -> BudgetEntry:
    """A label line with its amount, and the 「(前年度予算額 …)」 line under it if there is one."""
    amount, approximate = amount_value(match["amt"])
    entry = entry_at(sheet, i, name=clean_name(match["name"])[0] or None, amount=amount,
                     amount_text=compact_amount(match["amt"]), fiscal_year=ctx.fiscal_year, kind=ctx.kind,
                     marker=(match["mk"] or None), role="total", approximate=approximate, reader=NAME)
    sheet.claim(i)
    if match["after"]:
        apply_bracket(entry, read_bracket(match["after"], sheet.brackets_hold(i)))
    nxt = i + 1
    while nxt < len(sheet.lines) and not sheet.lines[nxt]:
        nxt += 1
    if entry.previous is None and nxt < len(sheet.lines) and sheet.free(nxt) \
            and (prev := PREVIOUS_LINE.match(sheet.lines[nxt])):
        entry.previous = amount_value(prev["amt"])[0]
        entry.previous_text = compact_amount(prev["amt"])
        entry.previous_kind = "supplementary" if prev["pkw"] == "補正" else "initial"
        entry.line_end = nxt + 1
        sheet.claim(nxt)
    if entry.name:
        entry.role = "item"
    return entry


def _joined_name(sheet: Sheet, i: int, raw_name: str) -> tuple[str, int]:
    """The item name, joined with the line above when the name is broken over two lines."""
    if i == 0 or not raw_name:
        return raw_name, i
    above = sheet.lines[i - 1]
    if not above or not sheet.free(i - 1) or (i - 1) in sheet.labels or CANDIDATE.search(above) or "。" in above:
        return raw_name, i
    if not NUMBERED.match(raw_name) and NUMBERED.match(above):
        return above + raw_name, i - 1
    if _CONTINUATION.match(raw_name) and len(above) <= 40 and above[0] not in BULLETS \
            and not re.search(AMOUNT, above) and not above.endswith((")", "】")) and "：" not in above:
        return above + raw_name, i - 1
    return raw_name, i
