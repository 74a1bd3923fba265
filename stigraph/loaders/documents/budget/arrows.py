"""Reader for arrow figures: 「事業名 10億円 ⇒ 11億円 (+5.8%)」, previous year on the left, this year on the right.

The name is on the same line, or the title-like line right above an arrow line that has none. The
printed rate is kept as a note (the figures are rounded, so it is not recomputed).
"""
from __future__ import annotations

import re

from .notations import AMOUNT, MARK, amount_value, compact_amount, read_bracket
from .records import Unread
from .seed_lines import clean_name
from .sheet import Reading, Sheet, clean_title, entry_at

NAME = "arrows"
ARROW_LINE = re.compile(
    rf"^(?P<name>.*?)\s*(?P<prev>{AMOUNT})\s*[⇒→➡]\s*(?P<amt>{AMOUNT})\s*(?P<mk>{MARK})"
    rf"\s*(?:\(\s*(?P<rate>[+\-−▲△]?\s*\d+(?:\.\d+)?)\s*%\s*\)|\(\s*(?P<diff>[^()]{{1,30}}?)\s*\))?\s*$")


def read(sheet: Sheet) -> Reading:
    """Read 'previous ⇒ current' figures."""
    reading = Reading()
    for i, line in enumerate(sheet.lines):
        if not sheet.free(i) or "⇒" not in line and "→" not in line and "➡" not in line:
            continue
        if not (m := ARROW_LINE.match(line)):
            continue
        name, is_new, marker = clean_name(m["name"])
        if re.search(rf"{AMOUNT}|[⇒→➡]", name):
            reading.unread.append(Unread(i + 1, "a run of arrows (a series over years): which figure is which "
                                                "year is not printed", text=line))
            sheet.claim(i)
            continue
        first = i
        if not name:
            above = sheet.previous_filled(i, limit=2)
            if above is None or not sheet.free(above) or not sheet.title_like(above):
                reading.unread.append(Unread(i + 1, "arrow figure without an item name", text=line))
                continue
            name, first = clean_title(sheet.lines[above]), above
        ctx = sheet.context_at(i)
        if ctx is None:
            reading.unread.append(Unread(i + 1, "arrow figure without a fiscal-year label on its page", text=line))
            continue
        amount, approximate = amount_value(m["amt"])
        entry = entry_at(sheet, first, name=name, amount=amount, amount_text=compact_amount(m["amt"]),
                         fiscal_year=ctx.fiscal_year, kind=ctx.kind, line_end=(i + 1) if first != i else None,
                         previous=amount_value(m["prev"])[0], previous_text=compact_amount(m["prev"]),
                         previous_kind=ctx.previous_kind, is_new=is_new, marker=marker or m["mk"] or None,
                         approximate=approximate, reader=NAME)
        if m["rate"]:
            rate = re.sub(r"\s+", "", m["rate"])
            entry.notes.append(f"printed change {rate}%")
        if m["diff"]:
            # 「(対前年度+40億円)」: a difference that must agree with the two figures; anything else is not read
            bracket = read_bracket(m["diff"], "change")
            if bracket.kind == "rate":
                entry.notes.append(f"printed change {bracket.text}")
            elif bracket.kind != "change" or (bracket.amount is not None
                                              and bracket.amount != entry.amount - entry.previous):
                reading.unread.append(Unread(i + 1, f"arrow figure with a bracket that does not agree ({m['diff']})",
                                             text=line))
                continue
            else:
                entry.change, entry.change_text = bracket.amount, compact_amount(bracket.text)
        sheet.claim(*range(first, i + 1))
        reading.entries.append(entry)
    return reading
