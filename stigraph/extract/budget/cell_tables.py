"""Reader for tables dumped one cell per line (HTML tables as text: each cell ends with 「|」).

    事 項 |                     <- row-header cell
    ~H20年度予算総額 |          <- column cells: cumulative (kept as a note), ...
    H21年度予算額 |             <- ... fiscal-year figures
    H22年度概算要求 |
    建屋建設費 |                <- row: a label cell and one cell per column
    103億円 |
    61億円 |
    29億円 |
    |                           <- an empty cell separates groups of rows

A row is read only if its label is followed by exactly as many figure cells as there are columns;
from the first row that breaks the pattern on, the rest of the table is reported. Bare figures (「45 |」)
take the unit of a 「(単位:億円)」 line above the table.
"""
from __future__ import annotations

import re

from .context import columns
from .records import Unread
from .sheet import Reading, Sheet
from .tables import FIGURE_ROLES, Cell, figure_cell, read_row, unit_near

NAME = "cell_tables"
CELL = re.compile(r"^(?P<text>.*?)\s*\|$")


def read(sheet: Sheet) -> Reading:
    """Read runs of cell lines that start with a header row."""
    reading = Reading()
    lines = sheet.lines
    i = 0
    while i < len(lines):
        if not sheet.free(i) or not CELL.match(lines[i]):
            i += 1
            continue
        run = []
        while i < len(lines) and sheet.free(i) and (m := CELL.match(lines[i])):
            run.append((i, m["text"].strip()))
            i += 1
        _table(sheet, run, reading)
    return reading


def _table(sheet: Sheet, run: list[tuple[int, str]], reading: Reading) -> None:
    if len(run) < 3:
        return
    cols = []
    k = 1
    while k < len(run) and (found := columns(run[k][1], run[k][0] + 1)) and len(found) == 1:
        cols.append(found[0])
        k += 1
    figure_cols = [c for c in cols if c.role in FIGURE_ROLES]
    if len(figure_cols) != len(cols) or not any(c.role == "year" for c in cols):
        return
    sheet.claim(*(line for line, _ in run[:k]))
    header_lines = [line for line, _ in run[:k]]
    unit = unit_near(sheet, run[0][0])
    n = len(cols)
    while k < len(run):
        line, label = run[k]
        if not label:
            sheet.claim(line)
            k += 1
            continue
        cells_text = [text for _, text in run[k + 1:k + 1 + n]]
        try:
            if len(cells_text) != n or any(not t for t in cells_text):
                raise ValueError("short row")
            cells: list[Cell] = [figure_cell(t, unit) for t in cells_text]
        except ValueError:
            reading.unread.append(Unread(line + 1, f"cell table row without {n} figure cells after its label; "
                                                   "rest of the table not read", text=label))
            sheet.claim(*(ln for ln, _ in run[k:]))
            return
        for entry in read_row(sheet, line, label, list(zip(cols, cells)), reading, NAME, label):
            entry.line_end = run[k + n][0] + 1
            entry.also_lines = header_lines
            reading.entries.append(entry)
        sheet.claim(*(ln for ln, _ in run[k:k + 1 + n]))
        k += 1 + n
