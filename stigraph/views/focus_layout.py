"""Positions for focus views: the focus in the middle, neighbours in labelled columns on two sides.

Left: what the focus points to (its agency, ministry, policy basis, the program it is part of);
right: what points to it (its programs, units, measures). Second-step neighbours sit one column
further out on their anchor's side. Within a column, neighbours are grouped by relation and
ranked; the number of rows per column is chosen so that the whole block fits
that window's network area at the largest scale (AREA), and every other column is shifted by half a row so
that long captions of neighbouring columns do not meet. The spacing is chosen for captions of
about 12 CJK characters at 14 px, so a view of ~60 nodes fits a 1400x900 window at a scale near 1.

The members of a count node get positions too (a block beyond the outermost column of its side),
used when the page expands the count node on click.
"""
from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

from stigraph.views.focus import FocusSelection, score

COLUMN_WIDTH = 210.0
ROW_HEIGHT = 50.0
AREA = (1060.0, 740.0)  # the network area of a 1400x900 window (header and details panel aside), in px


def rows_for(bucket_sizes: dict[int, list[int]]) -> int:
    """Rows per column (8 to 20) that make the column block of both sides fit AREA at the largest scale.

    `bucket_sizes` maps a side (-1 left, 1 right) to the node counts of its columns groups (distance 1, 2).

    >>> rows_for({-1: [2], 1: [40]})
    14
    >>> rows_for({-1: [3], 1: [8]})
    13
    """
    def scale(rows: int) -> float:
        columns = sum(math.ceil(n / rows) for sizes in bucket_sizes.values() for n in sizes if n)
        return min(AREA[0] / ((columns + 1) * COLUMN_WIDTH), AREA[1] / ((rows + 1) * ROW_HEIGHT))

    # vis never zooms in past 1 on the first fit: among layouts that fit at 1, fewer columns (straighter edges) win.
    return max(range(8, 21), key=lambda rows: (round(min(scale(rows), 1.0), 3), rows))


def _column_blocks(items: list[str], first_column: int, side: int, rows_max: int) -> tuple[dict, int]:
    """Place `items` top-down in columns of at most `rows_max` from column `first_column` outward; returns positions, columns used."""
    positions = {}
    columns = max(1, math.ceil(len(items) / rows_max))
    per_column = math.ceil(len(items) / columns) if items else 0
    for index, node in enumerate(items):
        column, row = divmod(index, per_column)
        count = min(per_column, len(items) - column * per_column)
        stagger = ROW_HEIGHT / 2 if (first_column + column) % 2 else 0.0
        x = side * (first_column + column) * COLUMN_WIDTH
        y = (row - (count - 1) / 2) * ROW_HEIGHT + stagger
        positions[node] = (x, y)
    return positions, (columns if items else 0)


def focus_positions(drawn: nx.MultiDiGraph, selection: FocusSelection, full: nx.MultiDiGraph) -> tuple[dict, dict]:
    """(positions of the drawn nodes, positions of each count group's members by group key).

    `drawn` is `focus_graph(...)`; `full` is the graph the selection was made from (for ranking).

    >>> from stigraph.views.focus import focus_graph, select_focus
    >>> g = nx.MultiDiGraph([("p", "a", {"predicate": "administeredBy"})])
    >>> positions, _members = focus_positions(focus_graph(g, select_focus(g, "a")), select_focus(g, "a"), g)
    >>> positions["a"], positions["p"][0] > 0   # the focus in the middle, what points to it on the right
    ((0.0, 0.0), True)
    """
    focus = selection.focus
    side_of: dict[str, int] = {}
    buckets: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for node, link in selection.shown.items():
        if link.distance == 1:
            side = -1 if link.outgoing else 1
        else:
            anchor_link = selection.shown.get(link.anchor)
            side = side_of.get(link.anchor) or (-1 if anchor_link and anchor_link.outgoing else 1)
        side_of[node] = side
        buckets[(side, link.distance)].append((0, link.predicate, -score(full, link), str(node), node))
    for group in selection.groups:
        if group.anchor == focus:
            side, distance = (-1 if group.outgoing else 1), 1
        else:
            side, distance = side_of.get(group.anchor, 1), 2
        side_of[group.key] = side
        buckets[(side, distance)].append((1, group.predicate, -len(group.members), group.key, group.key))
    positions: dict = {focus: (0.0, 0.0)}
    rows_max = rows_for({side: [len(buckets.get((side, d), [])) for d in (1, 2)] for side in (-1, 1)})
    outermost = {-1: 0, 1: 0}
    for side in (-1, 1):
        column = 1
        for distance in (1, 2):
            items = [entry[-1] for entry in sorted(buckets.get((side, distance), []), key=lambda e: e[:4])]
            placed, used = _column_blocks(items, column, side, rows_max)
            positions.update(placed)
            column += used
        outermost[side] = column
    members: dict[str, dict] = {}
    for group in selection.groups:
        side = side_of[group.key]
        columns = max(1, math.ceil(math.sqrt(len(group.members) * ROW_HEIGHT / COLUMN_WIDTH)))
        rows = math.ceil(len(group.members) / columns)
        block = {}
        for index, node in enumerate(group.members):
            column, row = divmod(index, rows)
            x = side * (outermost[side] + column) * COLUMN_WIDTH
            y = (row - (rows - 1) / 2) * ROW_HEIGHT + (ROW_HEIGHT / 2 if column % 2 else 0.0)
            block[node] = (x, y)
        members[group.key] = block
        outermost[side] += columns + 1
    return positions, members
