"""Text lines of a PDF page in reading order, from word positions (pdfplumber words, ruled tables).

Plain text extraction reads a page top to bottom across its whole width, which interleaves two
columns and splits a slide's title box from its figure box. Here a page is cut recursively at its
widest empty band (recursive XY-cut): a vertical gutter splits columns and boxes (left before right),
a horizontal gap splits rows of blocks (top before bottom). A vertical cut is refused where it would
split a table: the two sides share baselines and one side is made of figures, so a row stays one
line ("名称 12,300 13,000 700"). Ruled tables found by pdfplumber become one line per row, cells
separated by two spaces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

_FIGURE_LINE = re.compile(r"^[\s\d,.()%▲△+\-−ー―約兆億千百万円※]+$")
MIN_GUTTER = 1.2  # a vertical cut needs a gap of at least this many line heights
ALIGNED = 0.5  # baselines within half a line height are the same row
TABLE_ALIGNED_SHARE = 0.6
TABLE_FIGURE_SHARE = 0.6


@dataclass
class Box:
    """A word, or a ruled table with its rows already joined into lines."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str = ""
    size: float = 10.0
    rows: list[str] | None = None  # a ruled table

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class _Line:
    boxes: list[Box] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(b.top for b in self.boxes)

    @property
    def bottom(self) -> float:
        return max(b.bottom for b in self.boxes)


def page_lines(page) -> list[str]:
    """The text lines of one pdfplumber page in reading order."""
    boxes: list[Box] = []
    tables = []
    if page.lines or page.rects:
        tables = [t for t in page.find_tables() if len(t.rows) >= 2 and len(t.columns) >= 2]
    for table in tables:
        rows = ["  ".join(" ".join((cell or "").split()) for cell in row).strip() for row in table.extract()]
        x0, top, x1, bottom = table.bbox
        boxes.append(Box(x0, x1, top, bottom, rows=[r for r in rows if r]))
    for word in page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False, extra_attrs=["size"]):
        box = Box(word["x0"], word["x1"], word["top"], word["bottom"], word["text"], word.get("size", 10.0))
        if not any(_inside(box, t) for t in tables):
            boxes.append(box)
    return layout_lines(boxes)


def _inside(box: Box, table) -> bool:
    x0, top, x1, bottom = table.bbox
    cx, cy = (box.x0 + box.x1) / 2, (box.top + box.bottom) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def layout_lines(boxes: list[Box]) -> list[str]:
    """Lines of a set of boxes in reading order (recursive XY-cut).

    >>> title = [Box(50, 150, 40, 52, "架空事業")]
    >>> figures = [Box(300, 400, 40, 50, "令和7年度要求額"), Box(300, 350, 55, 65, "12億円")]
    >>> body = [Box(50, 400, 90, 100, "本文")]
    >>> layout_lines(title + figures + body)
    ['架空事業', '令和7年度要求額', '12億円', '本文']
    """
    words = [b for b in boxes if b.rows is None]
    unit = median([b.height for b in words]) if words else 10.0
    out: list[str] = []
    _cut(boxes, unit, out)
    return out


def _gaps(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Empty bands (start, end) between the union of intervals, in order."""
    gaps = []
    spans = sorted(intervals)
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start > reach:
            gaps.append((reach, start))
        reach = max(reach, end)
    return gaps


def _cut(boxes: list[Box], unit: float, out: list[str]) -> None:
    if not boxes:
        return
    x_gaps = _gaps([(b.x0, b.x1) for b in boxes])
    y_gaps = _gaps([(b.top, b.bottom) for b in boxes])
    widest_x = max(x_gaps, key=lambda g: g[1] - g[0], default=None)
    widest_y = max(y_gaps, key=lambda g: g[1] - g[0], default=None)
    x_width = widest_x[1] - widest_x[0] if widest_x else 0.0
    y_width = widest_y[1] - widest_y[0] if widest_y else 0.0
    if widest_x and x_width >= MIN_GUTTER * unit and x_width >= y_width:
        left = [b for b in boxes if b.x1 <= widest_x[0]]
        right = [b for b in boxes if b.x0 >= widest_x[1]]
        if not _table_split(left, right, unit):
            _cut(left, unit, out)
            _cut(right, unit, out)
            return
    if widest_y and y_width > 0:
        upper = [b for b in boxes if b.bottom <= widest_y[0]]
        lower = [b for b in boxes if b.top >= widest_y[1]]
        _cut(upper, unit, out)
        _cut(lower, unit, out)
        return
    _emit(boxes, unit, out)


def _rows(boxes: list[Box], unit: float) -> list[_Line]:
    """Words grouped into lines by shared baselines, top to bottom."""
    lines: list[_Line] = []
    for box in sorted(boxes, key=lambda b: (b.top, b.x0)):
        for line in lines:
            if abs(line.bottom - box.bottom) <= ALIGNED * unit or abs(line.top - box.top) <= ALIGNED * unit:
                line.boxes.append(box)
                break
        else:
            lines.append(_Line([box]))
    return sorted(lines, key=lambda line: line.top)


def _join(line: _Line) -> str:
    """Words of one line left to right; a space where the gap is wider than a fifth of the font size."""
    text = ""
    last: Box | None = None
    for box in sorted(line.boxes, key=lambda b: b.x0):
        if last is not None and box.x0 - last.x1 > 0.2 * min(box.size, last.size):
            text += " "
        text += box.text
        last = box
    return text


def _table_split(left: list[Box], right: list[Box], unit: float) -> bool:
    """True if cutting here would split the columns of a table (shared baselines, one side figures)."""
    left_lines, right_lines = _rows(left, unit), _rows(right, unit)
    if not left_lines or not right_lines:
        return False
    smaller, larger = sorted((left_lines, right_lines), key=len)
    aligned = sum(any(abs(a.bottom - b.bottom) <= ALIGNED * unit for b in larger) for a in smaller)
    if aligned < TABLE_ALIGNED_SHARE * len(smaller):
        return False
    for side in (left_lines, right_lines):
        figures = sum(bool(_FIGURE_LINE.match(_join(line))) for line in side)
        if figures >= TABLE_FIGURE_SHARE * len(side):
            return True
    return False


def _emit(boxes: list[Box], unit: float, out: list[str]) -> None:
    tables = [b for b in boxes if b.rows is not None]
    for table in tables:
        out.extend(table.rows or [])
    words = [b for b in boxes if b.rows is None]
    for line in _rows(words, unit):
        out.append(_join(line))
