"""Reader for bullet items whose amount stands on a later line.

    ○基幹ロケットの開発・高度化          <- bullet with the item name (may continue on the next line)
    【JAXA】                             <- optional agency tag (also at the end of the name line)
                                         <- blank lines
    14,504百万円(5,372百万円)            <- amount, bracket: previous year, 新規, 「-※1」 (new), or an increase

Only an amount-only line within three lines of the bullet is taken; bullets followed by prose or by
other bullets are left alone. An amount line followed by another amount line is part of a column of
figures printed apart from the column of names: which figure goes with which name is not on the page
(the order of a flattened column is not proof), so the figures are reported, not paired. A line that
ends like a sentence (in kana: 「…拠点をつくる」) describes the item and is not joined to its name.
"""
from __future__ import annotations

import re

from .notations import ANY_AMOUNT, MARK, amount_value, compact_amount, read_bracket
from .records import Unread
from .seed_lines import clean_name
from .sheet import LIST_MARKS, Reading, Sheet, entry_at, is_heading, read_tag

NAME = "bullets"
BULLET = re.compile(rf"^[{LIST_MARKS}]\s*(?:【(?P<lead>[^【】]{{1,20}})】)?\s*(?P<name>.+?)\s*"
                    r"(?:【(?P<tag>[^【】]{1,20})】)?$")
_ENDS_IN_KANA = re.compile(r"[\u3041-\u3093]$")
AMOUNT_ONLY = re.compile(
    rf"^(?P<amt>{ANY_AMOUNT})\s*(?P<mk1>{MARK})\s*(?:\(\s*(?P<br>[^()]{{0,30}})\s*\))?\s*(?P<mk2>{MARK})"
    r"\s*(?:【(?P<tag>[^【】]{1,20})】)?$")
TAG_LINE = re.compile(r"^【(?P<tag>[^【】]{1,20})】$")
NEW_LINE = re.compile(r"^\(?\s*新\s*規\s*\)?$")
_ANY = re.compile(ANY_AMOUNT)


def read(sheet: Sheet) -> Reading:
    """Read bullet items followed by an amount-only line."""
    reading = Reading()
    lines = sheet.lines
    for i, line in enumerate(lines):
        if not sheet.free(i) or not (m := BULLET.match(line)) or _ANY.search(line) or "。" in line:
            continue
        name, tag, is_new = m["name"], None, False
        for found in (m["lead"], m["tag"]):
            agency, tagged_new = read_tag(found)
            tag, is_new = tag or agency, is_new or tagged_new
        used = [i]
        j = sheet.next_filled(i, limit=3)
        if j == i + 1 and _continues(sheet, j):
            name += lines[j]
            used.append(j)
            j = sheet.next_filled(j, limit=3)
        while j is not None and sheet.free(j) and (TAG_LINE.match(lines[j]) or NEW_LINE.match(lines[j])):
            if (t := TAG_LINE.match(lines[j])):
                agency, tagged_new = read_tag(t["tag"])
                tag, is_new = agency or tag, is_new or tagged_new
            else:
                is_new = True
            used.append(j)
            j = sheet.next_filled(j, limit=3)
        if j is None or not sheet.free(j) or not (a := AMOUNT_ONLY.match(lines[j])):
            continue
        if (after := sheet.next_filled(j, limit=2)) is not None and AMOUNT_ONLY.match(lines[after]):
            run = _figure_run(sheet, j)
            for k in run:
                reading.unread.append(Unread(k + 1, "a column of figures printed apart from the names: "
                                                    "not paired with the names", text=lines[k]))
            sheet.claim(*run)
            continue
        ctx = sheet.context_at(i)
        if ctx is None:
            reading.unread.append(Unread(j + 1, "bullet item amount without a fiscal-year label on its page",
                                         text=lines[j]))
            continue
        amount, approximate = amount_value(a["amt"])
        name, named_new, _ = clean_name(name)
        after_agency, tagged_new = read_tag(a["tag"])
        tag, is_new = tag or after_agency, is_new or named_new or tagged_new
        entry = entry_at(sheet, i, name=name, amount=amount, amount_text=compact_amount(a["amt"]),
                         fiscal_year=ctx.fiscal_year, kind=ctx.kind, line_end=j + 1, agency=tag, is_new=is_new,
                         previous_kind=ctx.previous_kind, approximate=approximate, reader=NAME,
                         marker=(a["mk1"] or a["mk2"] or None))
        if a["br"] is not None:
            bracket = read_bracket(a["br"], sheet.brackets_hold(j))
            if bracket.kind == "previous":
                entry.previous, entry.previous_text = bracket.amount, compact_amount(bracket.text)
            elif bracket.kind == "new":
                entry.is_new, entry.marker = True, bracket.marker or entry.marker
            elif bracket.kind == "change":
                entry.change, entry.change_text = bracket.amount, compact_amount(bracket.text)
            else:
                reading.unread.append(Unread(j + 1, f"bracket after the amount not read ({bracket.text})",
                                             text=lines[j]))
        used.append(j)
        sheet.claim(*used)
        reading.entries.append(entry)
    return reading


def _continues(sheet: Sheet, j: int) -> bool:
    """True if line j continues a bullet's name (short, no amount, no bullet, heading or sentence end)."""
    line = sheet.lines[j]
    return (sheet.free(j) and len(line) <= 40 and not BULLET.match(line) and not _ANY.search(line)
            and "。" not in line and not _ENDS_IN_KANA.search(line) and not is_heading(line)
            and not TAG_LINE.match(line) and j not in sheet.labels and not NEW_LINE.match(line))


def _figure_run(sheet: Sheet, j: int) -> list[int]:
    """Line j and the amount-only lines that follow it (a column of figures)."""
    run = [j]
    while (k := sheet.next_filled(run[-1], limit=2)) is not None and sheet.free(k) and AMOUNT_ONLY.match(sheet.lines[k]):
        run.append(k)
    return run
