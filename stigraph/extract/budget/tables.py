"""Reader for budget tables flattened to text, one row per line, with the columns named above the rows.

    (単位:百万円)
    事項 前年度予算額 平成19年度概算要求額 比較増減額 備考       <- one header line, or
    令和2年度 概算要求                                           <- one label line per column
    平成31年度 当初予算
    産業技術関係予算 (科学技術関係予算) 7,799億円 6,918億円      <- a row: label + one figure per column
    うち一般会計 2,004億円 1,560億円                             <- a part of the row above

The header gives each figure column a fiscal year and kind (「平成19年度概算要求額」), or makes it the
previous year's (「前年度予算額」, or an initial-budget column one year earlier), the change (「比較増減額」)
or a rate (「増減率」, kept as a note). A 補正 column is never the previous year's budget: its figure is an
entry of its own. Bare figures take the unit of a 「(単位:百万円)」 line or of the header (「前年度予算額(百万円)」).
A row whose figure count differs from the header's, or whose change column does not equal current minus
previous, is reported, not read. A row cut by a page break (its label at the foot of one page, its
figures under the same header repeated on the next) is joined.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .context import Column, columns, without_columns
from .notations import AMOUNT, BARE_NUMBER, PLACEHOLDER, UNIT_LINE, amount_value, compact_amount, scaled_value
from .records import BudgetEntry, Unread
from .sheet import Reading, Sheet, entry_at

NAME = "tables"
SIGN = r"[▲△\-−]"
PERCENT = rf"{SIGN}?\+?\d+(?:\.\d+)?%"
FIGURE = rf"(?:{SIGN}?\s*(?:{AMOUNT}|{BARE_NUMBER})|{PLACEHOLDER}|{PERCENT})"
_FIGURE_RUN = re.compile(rf"(?:(?<=\s)|^)(?P<fig>{FIGURE})(?=\s|$)")
_ROW_LABEL_WORDS = r"事\s*項|区\s*分|所\s*管|事業名|項\s*目|府省名|府省庁|機関名|名\s*称"
_ORGANIZATION = re.compile(r"機関名\s*[:：]\s*(?P<org>\S.{0,40}?)\s*$")
_TOTAL = re.compile(r"^(?:総\s*額|合\s*計|計|総\s*計)$")
_MARKER = re.compile(r"\s*(?P<mk>※\s*\d*\)?|[★☆])\s*$")
FIGURE_ROLES = ("year", "summed", "previous", "change", "rate", "cumulative")
_HEADER_UNIT = re.compile(r"\(\s*(兆円|億円|百万円|千円)\s*\)")
MAX_CARRIED_LABEL = 40
_NOTE = re.compile(r"。|^(?:※|\(?注|出典|資料|単位)")  # a note at the foot of a page, never a row label
MAX_GAP = 3


@dataclass
class Cell:
    """One figure of a row: its text and yen value (None for a placeholder such as ー)."""

    text: str
    value: Decimal | None


def read(sheet: Sheet) -> Reading:
    """Read tables whose header is a line of column names or a group of column-label lines."""
    reading = Reading()
    lines = sheet.lines
    i = 0
    carried: tuple[int, str] | None = None
    previous_columns: list[Column] | None = None
    while i < len(lines):
        header = _header_at(sheet, i)
        if header is None:
            i += 1
            continue
        cols, header_lines = header
        same_header = previous_columns is not None and _same_columns(previous_columns, cols)
        carried = _rows(sheet, header_lines, cols, reading, carried if same_header else None)
        previous_columns = cols
        i = max(header_lines) + 1
    return reading


def _same_columns(a: list[Column], b: list[Column]) -> bool:
    """True if two headers name the same columns (a header repeated on the next page)."""
    def key(cols):
        return [(c.role, c.context.fiscal_year if c.context else None, c.context.kind if c.context else None)
                for c in cols]
    return key(a) == key(b)


def _label_only(sheet: Sheet, i: int) -> list[Column]:
    """The columns of a line that is nothing but column labels (「令和2年度 概算要求」).

    A label in angle or lenticular brackets (「<令和2年度 概算要求額>」) is a caption, not a column.
    """
    line = sheet.lines[i]
    if not line or not sheet.free(i) or re.search(AMOUNT, line) or re.match(r"^[<〈【\[].*[>〉】\]]$", line):
        return []
    found = columns(line, i + 1)
    rest = re.sub(r"[<>〈〉()\s]", "", without_columns(line))
    return found if found and not rest else []


def _header_at(sheet: Sheet, i: int) -> tuple[list[Column], list[int]] | None:
    """A header starting at line i: (columns, header lines) if i starts one, else None."""
    line = sheet.lines[i]
    if not line or not sheet.free(i) or re.search(AMOUNT, line):
        return None
    cols = columns(line, i + 1)
    figures = [c for c in cols if c.role in FIGURE_ROLES]
    if len(figures) >= 2 and any(c.role == "year" for c in cols) and re.match(rf"^(?:{_ROW_LABEL_WORDS})", line):
        return cols, [i]
    if not _label_only(sheet, i):
        return None
    if (above := sheet.previous_filled(i, limit=MAX_GAP)) is not None and _label_only(sheet, above):
        return None  # i continues a header group that starts above
    group = [i]
    j = i
    while (j := sheet.next_filled(j, limit=MAX_GAP)) is not None and _label_only(sheet, j):
        group.append(j)
    cols = [c for k in group for c in _label_only(sheet, k)]
    if sum(c.role in FIGURE_ROLES for c in cols) < 2 or not any(c.role == "year" for c in cols):
        return None
    return cols, group


def unit_near(sheet: Sheet, first: int, header_lines: list[int] = ()) -> str | None:
    """The unit of a table's bare figures: a 「(単位:百万円)」 line just above it, or one unit named in its header."""
    start, _ = sheet.page_bounds(first)
    for j in range(first, max(start - 1, first - 5), -1):
        if (m := UNIT_LINE.search(sheet.lines[j])):
            return m["unit"]
    units = {u for k in header_lines for u in _HEADER_UNIT.findall(sheet.lines[k])}
    return units.pop() if len(units) == 1 else None


def _organization_above(sheet: Sheet, first: int) -> str | None:
    """The 「機関名:…」 line heading this table (at most a few lines above its header)."""
    start, _ = sheet.page_bounds(first)
    for j in range(first, max(start - 1, first - 8), -1):
        if (m := _ORGANIZATION.search(sheet.lines[j])):
            return m["org"].strip()
    return None


def split_row(line: str) -> tuple[str, list[str]]:
    """(label, figures) of a row: the figures are the run of amounts/numbers/placeholders at its end.

    >>> split_row("【運営費交付金部門】 36,834 45,566 8,732")
    ('【運営費交付金部門】', ['36,834', '45,566', '8,732'])
    >>> split_row("うち一般会計 2,004億円 1,560億円")
    ('うち一般会計', ['2,004億円', '1,560億円'])
    """
    tokens = re.split(r"\s+", line.strip())
    figures: list[str] = []
    while tokens and re.fullmatch(FIGURE, tokens[-1]):
        figures.insert(0, tokens.pop())
    # an amount split by a space before its unit (「7,799 億円」) is one figure
    return " ".join(tokens), figures


def _rows(sheet: Sheet, header_lines: list[int], cols: list[Column], reading: Reading,
          carried: tuple[int, str] | None = None) -> tuple[int, str] | None:
    """Read the rows under a header; return the label line left without figures at the table's end, if any."""
    figure_cols = [c for c in cols if c.role in FIGURE_ROLES]
    last = max(header_lines)
    group_size = len(figure_cols)
    unit = unit_near(sheet, min(header_lines), header_lines)
    organization = _organization_above(sheet, min(header_lines))
    parent: str | None = None
    gap = 0
    j = last
    claimed_header = False
    dangling: tuple[int, str] | None = None  # a row label whose figures have not come (yet)
    reported = len(reading.unread)
    first_row = True
    while (j := sheet.next_filled(j, limit=MAX_GAP)) is not None:
        line = sheet.lines[j]
        if not sheet.free(j) or j in sheet.labels or _header_at(sheet, j) is not None:
            break
        label, figures = split_row(line)
        also: list[int] = []
        if figures and not label:
            if not (first_row and carried):
                break  # figures without a row label: not this table's layout
            (k, label), also = carried, [carried[0] + 1]  # the rest of a row cut by the page break
            sheet.claim(k)
        first_row = False
        if not figures:
            gap += 1
            dangling = (j, label) if len(label) <= MAX_CARRIED_LABEL and not _NOTE.search(label) else None
            if gap > MAX_GAP:
                break
            continue
        gap, dangling = 0, None
        if len(figures) > group_size and len(header_lines) > 1:
            break
        if len(figures) != group_size:
            reading.unread.append(Unread(j + 1, f"table row with {len(figures)} figures under {group_size} columns",
                                         text=line))
            sheet.claim(j)
            continue
        try:
            cells = [figure_cell(text, unit) for text in figures]
        except ValueError:
            reading.unread.append(Unread(j + 1, "table figures without a unit (no 単位 line above the table)",
                                         text=line))
            sheet.claim(j)
            continue
        for entry in read_row(sheet, j, label, list(zip(figure_cols, cells)), reading, NAME, line):
            entry.agency = entry.agency or organization
            if entry.included_in:
                entry.parent = parent
            else:
                parent = entry.name
            entry.also_lines = sorted(set(header_lines) | set(also))
            reading.entries.append(entry)
        sheet.claim(j)
        if not claimed_header:
            sheet.claim(*header_lines)
            claimed_header = True
    if not claimed_header and len(reading.unread) == reported:
        reading.unread.append(Unread(min(header_lines) + 1, "column headers without rows that could be read under "
                                     "them (columns printed one after another?)", text=sheet.lines[min(header_lines)]))
    return dangling


def figure_cell(text: str, unit: str | None) -> Cell:
    """A figure of a table: printed with its unit, or bare with the table's unit; ▲/△/- make it negative."""
    if re.fullmatch(PLACEHOLDER, text) or re.fullmatch(PERCENT, text):
        return Cell(text, None)
    sign = -1 if re.match(SIGN, text) else 1
    body = re.sub(rf"^{SIGN}\s*", "", text)
    if re.fullmatch(AMOUNT, body):
        return Cell(compact_amount(text), sign * amount_value(body)[0])
    if unit is None:
        raise ValueError(f"no unit for {text!r}")
    return Cell(text + unit, sign * scaled_value(body, unit))


def read_row(sheet: Sheet, i: int, label: str, row: list[tuple[Column, Cell]], reading: Reading, reader: str,
             text: str) -> list[BudgetEntry]:
    """The entries of one row, tagged with the reader; a row that cannot be read goes to `reading.unread`."""
    entries, problem = row_entries(sheet, i, label, row)
    if problem:
        reading.unread.append(Unread(i + 1, problem, text=text))
    for entry in entries:
        entry.reader = reader
    return entries


def row_entries(sheet: Sheet, i: int, label: str, row: list[tuple[Column, Cell]]) -> tuple[list[BudgetEntry], str | None]:
    """The entries of one table row: the latest fiscal-year figure with the previous year's beside it.

    Returns (entries, problem): a problem (figures that do not add up, no fiscal-year column with a
    figure) means nothing was read from the row.
    """
    name, marker, included, role = _row_label(label)
    years = [(c, cell) for c, cell in row if c.role == "year" and cell.value is not None]
    if not years:
        return [], None
    years.sort(key=lambda pair: pair[0].context.fiscal_year)
    current_col, current = years[-1]
    ctx = current_col.context
    if any(cell.value < 0 for c, cell in years) or any(c.role == "previous" and cell.value is not None
                                                       and cell.value < 0 for c, cell in row):
        return [], "negative figure in a fiscal-year column"
    previous: tuple[Cell, str] | None = None
    for c, cell in row:
        if c.role == "previous" and cell.value is not None:
            previous = (cell, "initial")
    for c, cell in years[:-1]:
        if c.context.fiscal_year == ctx.fiscal_year - 1 and c.context.kind == "initial":
            previous = (cell, c.context.kind)
    entry = entry_at(sheet, i, name=name, amount=current.value, amount_text=current.text,
                     fiscal_year=ctx.fiscal_year, kind=ctx.kind, marker=marker, included_in=included, role=role)
    # a 補正 column beside the current one: a figure of its own, never the previous year's budget
    extra = [entry_at(sheet, i, name=name, amount=cell.value, amount_text=cell.text,
                      fiscal_year=c.context.fiscal_year, kind="supplementary", marker=marker, included_in=included,
                      role=role, notes=["補正 column of the table"])
             for c, cell in years[:-1] if c.context.kind == "supplementary"]
    if previous is not None:
        entry.previous, entry.previous_text, entry.previous_kind = previous[0].value, previous[0].text, previous[1]
    for c, cell in row:
        if c.role == "change" and cell.value is not None:
            if entry.previous is None:
                return [], "change column without a previous-year figure in the row"
            tolerance = _one_unit(cell.text)
            if abs(entry.amount - entry.previous - cell.value) > tolerance \
                    and abs(entry.amount - entry.previous + cell.value) > tolerance:
                return [], "figures do not add up (current - previous != change column): columns misread?"
            entry.change = entry.amount - entry.previous
            entry.change_text = cell.text
        elif c.role == "cumulative" and cell.value is not None:
            entry.notes.append(f"cumulative column: {cell.text}")
        elif c.role == "rate" and not re.fullmatch(PLACEHOLDER, cell.text):
            entry.notes.append(f"printed change {cell.text}")
    return [entry, *extra], None


def _one_unit(text: str) -> Decimal:
    """One unit of the printed figure (rounding tolerance): 1億円 for '8,732億円'."""
    from stigraph.loaders.money import UNIT_FACTORS

    for unit in sorted(UNIT_FACTORS, key=len, reverse=True):
        if text.endswith(unit):
            return UNIT_FACTORS[unit]
    return Decimal(1)


def _row_label(label: str) -> tuple[str, str | None, bool, str]:
    """(name, marker, is a part 'うち…', role) of a row label."""
    text = label.strip()
    marker = None
    if (m := _MARKER.search(text)):
        marker = re.sub(r"\s+", "", m["mk"]).rstrip(")")
        text = text[:m.start()]
    text = re.sub(r"^[【〔\[](.*)[】〕\]]$", r"\1", text.strip()).strip()
    included = bool(re.match(r"^うち\s*", text))
    text = re.sub(r"^うち\s*", "", text)
    role = "total" if _TOTAL.match(text) else "item"
    return text, marker, included, role
