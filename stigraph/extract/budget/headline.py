"""Reader for the headline block of a budget page: a title, then labels and amounts on separate lines.

    宇宙活動を支える総合的基盤の強化(1/2)        <- title (the page part 「(1/2)」 and 「(新規)」 are dropped)
    令和7年度要求・要望額                         <- label: fiscal year and kind
    571億円                                       <- amount
    (前年度予算額                                 <- previous-year label ...
    408億円)                                      <- ... and its amount, closed by the bracket
    ※運営費交付金中の推計額含む                   <- note
    令和6年度補正予算額 30億円                     <- optional: a 補正 figure of the same program

Labels and amounts need not alternate (「(前年度予算額」「事業概要」「2,492億円」「2,377億円)」): the amount that
closes a bracket belongs to the previous-year label, the other one to the label. The label may carry its
amount and a bracket (「令和6年度予算額(案):3,456千円(前年度予算額:3,210千円)」), and the previous-year line
may stand right above the label. The title is the line just above the block (skipping a 「(担当:…課)」
line), or the line just below it when a section heading (背景・課題 …) follows that line; then the line
above, if title-like, is the parent program. A block whose figures do not pair up is left to the other
readers; a block without a title gives an unnamed total, never a guessed name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .context import previous_by_year
from .notations import ANY_AMOUNT, MARK, PREVIOUS_WORDS, Bracket, amount_value, compact_amount, read_bracket
from .records import Unread, apply_bracket
from .sheet import META, Reading, Sheet, clean_title, entry_at, is_heading

NAME = "headline"
AMOUNT_LINE = re.compile(rf"^(?P<amt>{ANY_AMOUNT})\s*(?P<mk>{MARK})\s*(?P<close>\))?$")
PREVIOUS_OPEN = re.compile(rf"^\(?\s*{PREVIOUS_WORDS}\s*[:]?\s*(?:(?P<amt>{ANY_AMOUNT})\s*\)?)?$")
# a part of the amount printed inside the block: 「(うち要望額 30億円)」 (kept as a note)
_PART_LINE = re.compile(rf"^\(?\s*うち\s*[^()\d]{{1,12}}?\s*[:]?\s*{ANY_AMOUNT}\s*\)?$")
_NEW_IN_TITLE = re.compile(r"\s*(?:\(\s*新\s*規\s*\)|【\s*新\s*規\s*】|<\s*新\s*規\s*>)\s*")
MAX_BLOCK = 6
_UNFINISHED = re.compile(r"[\u3041-\u3093・、]$")  # a line ending in kana or a connector does not end a title


@dataclass
class Block:
    """The lines of one headline block and the figures read from them."""

    used: list[int]
    amount: str
    marker: str
    previous: tuple[str, str] | None = None  # (amount text, kind)
    bracket: Bracket | None = None  # a bracket printed after the label's own amount
    notes: list[str] = field(default_factory=list)

    @property
    def first(self) -> int:
        return min(self.used)


def read(sheet: Sheet) -> Reading:
    """Read headline blocks that start at a bare label line or a label line with its amount."""
    reading = Reading()
    titled: dict[int, tuple[str, str | None, bool]] = {}  # last line of a titled block -> its title
    for i in sorted(sheet.labels):
        match, ctx = sheet.labels[i]
        if not sheet.free(i) or match["name"] or "年度" in (match["prevctx"] or "") or i in sheet.secondary:
            continue  # 「■令和2年度当初予算額(令和元年度当初予算額)」 heads a list; it is not a block
        block = _block(sheet, i)
        if block is None:
            continue
        title, parent, title_lines, is_new = _title(sheet, block.first, max(block.used))
        above = sheet.previous_filled(block.first, limit=1)
        if title is None and above in titled:
            title, parent, is_new = titled[above]  # a label stacked under another block's label: same program
        if title is None and match["amt"]:
            continue  # a label with its amount on one line and no title: the one-line reader's total
        amount, approximate = amount_value(block.amount)
        entry = entry_at(sheet, i, name=title, amount=amount, amount_text=compact_amount(block.amount),
                         fiscal_year=ctx.fiscal_year, kind=ctx.kind, line_end=max(block.used) + 1, parent=parent,
                         approximate=approximate, notes=block.notes, reader=NAME, marker=block.marker or None,
                         is_new=is_new, role="item" if title else "total")
        if block.first < i:
            entry.also_lines.append(block.first + 1)
        entry.also_lines += [k + 1 for k in title_lines]
        if block.previous is not None:
            prev_text, prev_kind = block.previous
            entry.previous = amount_value(prev_text)[0]
            entry.previous_text = compact_amount(prev_text)
            entry.previous_kind = prev_kind
        if (problem := apply_bracket(entry, block.bracket)):
            reading.unread.append(Unread(i + 1, problem, text=sheet.lines[i]))
        sheet.claim(*block.used, *title_lines)
        reading.entries.append(entry)
        if title:
            titled[max(block.used)] = (title, parent, is_new)
        if title and (extra := _supplementary_after(sheet, max(block.used), title, parent)):
            reading.entries.append(extra)
    return reading


def _block(sheet: Sheet, i: int) -> Block | None:
    """The block that starts at label line i (or at the previous-year line right above it).

    Amounts pair with labels in one of two ways: a bracket opened by 「(前年度予算額」 is closed by the
    previous year's amount, wherever it stands in the block; an unbracketed previous-year label
    (「前年度予算額」, 「令和6年度予算額」 under 「令和7年度要求額」) takes the amount right after it.
    """
    match, ctx = sheet.labels[i]
    lines = sheet.lines
    used = [i]
    amounts: list[tuple[int, str, str, bool]] = []  # line, amount, marker, closes a bracket
    if match["amt"]:
        amounts.append((i, match["amt"], match["mk"] or "", False))
    previous_label: tuple[int, str] | None = None
    previous_inline: str | None = None
    bare_previous: int | None = None  # line of an unbracketed previous-year label waiting for its amount
    notes: list[str] = []
    j = i
    while (j := sheet.next_filled(j, limit=3)) is not None and len(used) < MAX_BLOCK + 1:
        line = lines[j]
        if not sheet.free(j):
            break
        label = _previous_label(sheet, j, ctx.fiscal_year)
        if j in sheet.labels and label is None:
            break
        if (m := AMOUNT_LINE.match(line)):
            if bare_previous is not None and previous_inline is None and not m["close"]:
                previous_inline = m["amt"]  # the amount right after 「前年度予算額」
            else:
                amounts.append((j, m["amt"], m["mk"], bool(m["close"])))
            bare_previous = None
        elif label is not None and previous_label is None:
            previous_label, previous_inline, bracketed = (j, label[0]), label[1], label[2]
            bare_previous = j if not bracketed and label[1] is None else None
        elif line.startswith("※") and len(line) <= 40 and amounts:
            notes.append(line)
            used.append(j)
            break
        elif _PART_LINE.match(line) and amounts:
            notes.append(line)
        elif is_heading(line) and len(amounts) < 1 + (previous_label is not None) and bare_previous is None:
            pass  # a section heading printed between the labels and the figures
        else:
            break
        used.append(j)
    if bare_previous is not None:
        return None  # 「前年度予算額」 without its amount
    bracket = read_bracket(match["after"], sheet.brackets_hold(i)) if match["after"] else None
    if match["after"] and (by_year := previous_by_year(match["after"], ctx.fiscal_year))[1]:
        bracket = Bracket("previous", amount_value(by_year[1])[0], text=by_year[1])  # 「(令和6年度予算額 220億円)」
    if bracket is not None and bracket.kind == "previous":
        if previous_label is not None:
            return None  # two previous-year figures
        previous_label, previous_inline = (i, bracket.previous_kind), bracket.text
        bracket = None
    if previous_label is None and (above := sheet.previous_filled(i, limit=2)) is not None and sheet.free(above) \
            and (label := _previous_label(sheet, above, ctx.fiscal_year)) and label[1]:
        previous_label, previous_inline = (above, label[0]), label[1]
        used.append(above)  # 「(前年度予算額 48億円)」 printed above 「令和7年度予算額(案) 52億円」
    if not amounts:
        return None
    own = [a for a in amounts if not a[3]]
    closing = [a for a in amounts if a[3]]
    if len(own) != 1:
        return None
    block = Block(used, own[0][1], own[0][2], bracket=bracket, notes=notes)
    if previous_label is None:
        return None if closing else block
    if previous_inline is not None:
        if closing:
            return None
        block.previous = (previous_inline, previous_label[1])
        return block
    if len(closing) != 1:
        return None
    block.previous = (closing[0][1], previous_label[1])
    return block


def _previous_label(sheet: Sheet, j: int, fiscal_year: int) -> tuple[str, str | None, bool] | None:
    """(kind, inline amount, bracketed) if line j labels the previous year's figure of a `fiscal_year` block.

    「(前年度予算額」, 「(前年度予算額 408億円)」, 「前年度予算額」, 「前年度予算額 40億円」, and the same with the
    year instead of 前年度 (「(令和6年度予算額 20億円)」, 「令和6年度予算額」) when it is the year before.
    """
    line = sheet.lines[j]
    if (m := PREVIOUS_OPEN.match(line)):
        return ("supplementary" if m["pkw"] == "補正" else "initial"), m["amt"], line.startswith("(")
    bracketed = line.startswith("(")
    inner = line[1:] if bracketed else line
    inner = inner[:-1] if bracketed and inner.endswith(")") else inner
    found, amount = previous_by_year(inner, fiscal_year)
    if found and (amount or not line.endswith(")")):
        return "initial", amount, bracketed
    return None


def _title(sheet: Sheet, first: int, last: int) -> tuple[str | None, str | None, list[int], bool]:
    """(title, parent, 0-based title lines, 新規 in the title) for a block spanning lines first..last."""
    before = sheet.previous_filled(first, limit=3)
    if before is not None and sheet.free(before) and META.search(sheet.lines[before]):
        before = sheet.previous_filled(before, limit=2)  # a 「(担当:…課)」 line between the title and the block
    after = sheet.next_filled(last, limit=3)
    before_ok = before is not None and sheet.free(before) and sheet.title_like(before)
    if after is not None and sheet.free(after) and sheet.title_like(after):
        following = sheet.next_filled(after, limit=3)
        if following is not None and is_heading(sheet.lines[following]):
            parent = _name(sheet.lines[before])[0] if before_ok else None
            name, is_new = _name(sheet.lines[after])
            return name, parent, [after], is_new
    if before_ok:
        name, is_new = _name(sheet.lines[before])
        upper = before - 1  # a title wrapped after a word that cannot end it: 「次世代の半導体を支える」
        if upper >= 0 and sheet.free(upper) and sheet.title_like(upper) and _UNFINISHED.search(sheet.lines[upper]):
            return _name(sheet.lines[upper])[0] + name, None, [upper, before], is_new
        return name, None, [before], is_new
    return None, None, [], False


def _name(line: str) -> tuple[str, bool]:
    """A title without its page part and 新規 mark: (name, is new)."""
    text = clean_title(line)
    cleaned = _NEW_IN_TITLE.sub("", text).strip()
    return cleaned, cleaned != text


def _supplementary_after(sheet: Sheet, last: int, title: str, parent: str | None):
    """The 補正 label with its figure printed right under a block (「令和6年度補正予算額 30億円」), as an entry."""
    j = sheet.next_filled(last, limit=2)
    if j is None or j not in sheet.secondary or not sheet.free(j):
        return None
    match, ctx = sheet.labels[j]
    amount, approximate = amount_value(match["amt"])
    entry = entry_at(sheet, j, name=title, amount=amount, amount_text=compact_amount(match["amt"]),
                     fiscal_year=ctx.fiscal_year, kind=ctx.kind, parent=parent, approximate=approximate,
                     reader=NAME, marker=match["mk"] or None)
    sheet.claim(j)
    return entry
