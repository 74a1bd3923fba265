"""Reader for arrow figures: 「事業名 10億円 ⇒ 11億円 (+5.8%)」, previous year on the left, this year on the right.

The name is on the same line, or the title-like line right above an arrow line that has none. Either
figure may carry its year (「令和6年度 120億円 → 令和7年度 135億円」): the right one must be the page's
fiscal year and the left one the year before, else the line is reported. A bracket after the figures may
give the rate (kept as a note: the figures are rounded, so it is not recomputed) and the difference,
which must agree with the figures. A run of arrows (a series over several years) is reported.
"""
from __future__ import annotations

import re

from stigraph.loaders.era import fiscal_year

from .context import ERA
from .notations import AMOUNT, MARK, amount_value, compact_amount, read_bracket
from .records import BudgetEntry, Unread
from .seed_lines import clean_name
from .sheet import Reading, Sheet, clean_title, entry_at

NAME = "arrows"
_YEAR_WORDS = r"[^\d\s⇒→➡]{0,10}"  # 「予算額」「要求額」「(案)」 after a year beside a figure
ARROW_LINE = re.compile(
    rf"^(?P<name>.*?)\s*(?:(?P<pera>{ERA}){_YEAR_WORDS}\s*)?(?P<prev>{AMOUNT})\s*[⇒→➡]\s*"
    rf"(?:(?P<aera>{ERA}){_YEAR_WORDS}\s*)?(?P<amt>{AMOUNT})\s*(?P<mk>{MARK})"
    rf"\s*(?:\(\s*(?P<rate>[+\-−▲△]?\s*\d+(?:\.\d+)?)\s*%\s*\)|\(\s*(?P<diff>[^()]{{1,30}}?)\s*\))?\s*$")
_PARTS = re.compile(r"、|,\s*(?=[+＋▲△\-−対前増減])")


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
        if (problem := _years_problem(m, ctx.fiscal_year)):
            reading.unread.append(Unread(i + 1, problem, text=line))
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
        if m["diff"] and (problem := _difference(entry, m["diff"])):
            reading.unread.append(Unread(i + 1, problem, text=line))
            continue
        sheet.claim(*range(first, i + 1))
        reading.entries.append(entry)
    return reading


def _years_problem(m: re.Match, page_year: int) -> str | None:
    """Why the years printed beside the figures do not fit the page's fiscal year (None if they do or are absent)."""
    try:
        right = fiscal_year(re.sub(r"\s+", "", m["aera"])) if m["aera"] else page_year
        left = fiscal_year(re.sub(r"\s+", "", m["pera"])) if m["pera"] else right - 1
    except ValueError:
        return "arrow figure with an impossible year beside it"
    if right != page_year or left != right - 1:
        return f"arrow figures of FY{left} and FY{right} on a FY{page_year} page: not a previous-year comparison"
    return None


def _difference(entry: BudgetEntry, text: str) -> str | None:
    """Put a bracket such as 「(対前年度+40億円)」 or 「(+28億円、+0.2%)」 on the entry; the reason if it cannot be."""
    for part in (p for p in _PARTS.split(text) if p.strip()):
        bracket = read_bracket(part, "change")
        if bracket.kind == "rate":
            entry.notes.append(f"printed change {bracket.text}")
        elif bracket.kind == "change" and (bracket.amount is None or bracket.amount == entry.amount - entry.previous):
            entry.change, entry.change_text = bracket.amount, compact_amount(bracket.text)
        else:
            return f"arrow figure with a bracket that does not agree ({text})"
    return None
