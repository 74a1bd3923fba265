"""Reader for the headline block of a budget page: a title, then labels and amounts on separate lines.

    宇宙活動を支える総合的基盤の強化(1/2)        <- title (the page part 「(1/2)」 is dropped)
    令和7年度要求・要望額                         <- label: fiscal year and kind
    571億円                                       <- amount
    (前年度予算額                                 <- previous-year label ...
    408億円)                                      <- ... and its amount, closed by the bracket
    ※運営費交付金中の推計額含む                   <- note

Labels and amounts need not alternate (「(前年度予算額」「事業概要」「2,492億円」「2,377億円)」): the amount that
closes a bracket belongs to the previous-year label, the other one to the label. The title is the line
just above the block, or the line just below it when a section heading (背景・課題 …) follows that line;
then the line above, if title-like, is the parent program. A block whose figures do not pair up, or that
has no title, is left to the other readers or reported, never guessed.
"""
from __future__ import annotations

import re

from .notations import ANY_AMOUNT, MARK, amount_value, compact_amount
from .records import Unread
from .sheet import Reading, Sheet, clean_title, entry_at, is_heading

NAME = "headline"
AMOUNT_LINE = re.compile(rf"^(?P<amt>{ANY_AMOUNT})\s*(?P<mk>{MARK})\s*(?P<close>\))?$")
PREVIOUS_OPEN = re.compile(rf"^\(\s*前年度\s*(?P<kw>当初|補正)?\s*予算\s*額?\s*[:]?\s*(?:(?P<amt>{ANY_AMOUNT})\s*\))?$")
MAX_BLOCK = 6


def read(sheet: Sheet) -> Reading:
    """Read headline blocks that start at a bare label line or a label line with its amount."""
    reading = Reading()
    for i in sorted(sheet.labels):
        match, ctx = sheet.labels[i]
        if not sheet.free(i) or match["name"] or match["prevctx"]:
            continue
        block = _block(sheet, i)
        if block is None:
            continue
        used, current, previous, notes = block
        split = match["amt"] is None
        title, parent, title_line = _title(sheet, i, max(used))
        if title is None:
            if split:
                reading.unread.append(Unread(i + 1, "budget figure in a headline block without a program title",
                                             text=sheet.lines[i]))
                sheet.claim(*used)
            continue  # a label with its amount on one line and no title: the one-line reader's total
        amount_text, marker = current
        amount, approximate = amount_value(amount_text)
        entry = entry_at(sheet, i, name=title, amount=amount, amount_text=compact_amount(amount_text),
                         fiscal_year=ctx.fiscal_year, kind=ctx.kind, line_end=max(used) + 1, parent=parent,
                         approximate=approximate, notes=notes, reader=NAME, marker=marker or None)
        entry.also_lines = [title_line + 1]
        if previous is not None:
            prev_text, prev_kind = previous
            entry.previous = amount_value(prev_text)[0]
            entry.previous_text = compact_amount(prev_text)
            entry.previous_kind = prev_kind
        sheet.claim(*used, title_line)
        reading.entries.append(entry)
    return reading


def _block(sheet: Sheet, i: int):
    """Lines of the block from label line i: (used lines, (amount, marker), (previous, kind) | None, notes)."""
    match, _ = sheet.labels[i]
    lines = sheet.lines
    used = [i]
    amounts: list[tuple[int, str, str, bool]] = []  # line, amount, marker, closes a bracket
    if match["amt"]:
        amounts.append((i, match["amt"], match["mk"] or "", False))
    previous_label: tuple[int, str] | None = None
    previous_inline: str | None = None
    notes: list[str] = []
    j = i
    while (j := sheet.next_filled(j, limit=3)) is not None and len(used) < MAX_BLOCK + 1:
        line = lines[j]
        if not sheet.free(j) or j in sheet.labels:
            break
        if (m := AMOUNT_LINE.match(line)):
            amounts.append((j, m["amt"], m["mk"], bool(m["close"])))
        elif (m := PREVIOUS_OPEN.match(line)) and previous_label is None:
            previous_label = (j, "supplementary" if m["kw"] == "補正" else "initial")
            previous_inline = m["amt"]
        elif line.startswith("※") and len(line) <= 40 and amounts:
            notes.append(line)
            used.append(j)
            break
        elif is_heading(line) and len(amounts) < 1 + (previous_label is not None):
            pass  # a section heading printed between the labels and the figures
        else:
            break
        used.append(j)
    if not amounts and previous_inline is None:
        return None
    own = [a for a in amounts if not a[3]]
    closing = [a for a in amounts if a[3]]
    if len(own) != 1:
        return None
    if previous_label is None:
        if closing:
            return None
        return used, (own[0][1], own[0][2]), None, notes
    if previous_inline is not None:
        if closing:
            return None
        return used, (own[0][1], own[0][2]), (previous_inline, previous_label[1]), notes
    if len(closing) != 1:
        return None
    return used, (own[0][1], own[0][2]), (closing[0][1], previous_label[1]), notes


def _title(sheet: Sheet, first: int, last: int) -> tuple[str | None, str | None, int]:
    """(title, parent, 0-based title line) for a block spanning lines first..last."""
    before = sheet.previous_filled(first, limit=3)
    after = sheet.next_filled(last, limit=3)
    before_ok = before is not None and sheet.free(before) and sheet.title_like(before)
    if after is not None and sheet.free(after) and sheet.title_like(after):
        following = sheet.next_filled(after, limit=3)
        if following is not None and is_heading(sheet.lines[following]):
            parent = clean_title(sheet.lines[before]) if before_ok else None
            return clean_title(sheet.lines[after]), parent, after
    if before_ok:
        return clean_title(sheet.lines[before]), None, before
    return None, None, -1
