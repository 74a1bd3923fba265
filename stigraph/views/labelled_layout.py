"""Layouts for small labelled networks that must read at first sight (overlaps, ministries, up to ~100 nodes).

Unlike `stigraph.views.layout` (thousands of nodes, speed first), these place every caption: a
caption of ~12 CJK characters at 14 px is ~170 px wide, so neighbours are spread to leave room for
it and the block is shaped like the page's network area, whose first fit then draws the captions at
a readable size. Everything iterates in sorted order: the same graph gives the same page.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

LABEL_GAP = 150.0        # `spread`: room for a caption of ~12 CJK characters at 14 px between neighbours


def spread(positions: dict, gap: float = LABEL_GAP) -> dict:
    """Positions scaled so that the median distance from a node to its nearest other node is `gap`.

    For small labelled networks: the caption under each dot (about 12 CJK characters) needs room,
    and the page's first fit then shows the labels at a readable size.

    >>> spread({"a": (0.0, 0.0), "b": (10.0, 0.0)}, gap=100.0)["b"]
    (100.0, 0.0)
    """
    if len(positions) < 2:
        return dict(positions)
    names = list(positions)
    xy = np.array([positions[n] for n in names], dtype=float)
    distance = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)) + np.eye(len(names)) * 1e12
    nearest = float(np.median(distance.min(axis=1)))
    factor = gap / nearest if nearest > 0 else 1.0
    return {n: (float(x * factor), float(y * factor)) for n, (x, y) in zip(names, xy)}


PAIR_GAP = 90.0          # vertical distance of the two ends of a lone pair (caption below each dot)
CELL_MARGIN = (190.0, 70.0)   # room around a laid-out piece: a caption's width, a caption's height


def labelled_layout(network: nx.Graph, gap: float = 130.0, area: tuple[float, float] = (1060.0, 740.0)) -> dict:
    """Positions for small labelled networks (up to ~100 nodes) read at first sight: each component on its own
    (a lone pair upright, larger ones Kamada-Kawai, spread to `gap` between neighbours), packed in rows
    that fit `area` (the page's network area, px) best. Kamada-Kawai is O(n²) per component: not for large graphs.

    >>> g = nx.MultiDiGraph([("a", "b"), ("c", "d")])
    >>> pos = labelled_layout(g); pos["b"][0] == pos["a"][0] and pos["b"][1] - pos["a"][1] == PAIR_GAP
    True
    """
    simple = nx.Graph()
    simple.add_nodes_from(network)
    simple.add_edges_from((s, o) for s, o in network.edges() if s != o)
    pieces = []
    for members in sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c)))):
        ordered = sorted(members, key=str)
        if len(ordered) <= 2:
            pieces.append({n: (0.0, i * PAIR_GAP) for i, n in enumerate(ordered)})
        else:
            sub = nx.Graph()  # built in sorted order: a subgraph view would follow set order, which varies by run
            sub.add_nodes_from(ordered)
            sub.add_edges_from(sorted(tuple(sorted(e, key=str)) for e in simple.subgraph(ordered).edges()))
            # Kamada-Kawai spaces nodes evenly (a spring layout flings leaves far out); deterministic.
            coords = nx.kamada_kawai_layout(sub)
            pieces.append(spread({n: tuple(coords[n]) for n in ordered}, gap=gap))
    return _pack_rows(pieces, area)


def _pack_rows(pieces: list[dict], area: tuple[float, float]) -> dict:
    """Pieces packed bottom-left into a strip; the strip width is the one (among the widths the pieces allow)
    that lets the whole block fit `area` at the largest scale."""
    boxes = []
    for piece in pieces:
        xs, ys = [p[0] for p in piece.values()], [p[1] for p in piece.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + CELL_MARGIN[0], max(ys) - min(ys) + CELL_MARGIN[1]))

    def place(row_width: float) -> tuple[dict, float, float]:
        # Bottom-left skyline packing: each piece goes where it rests highest, so small pieces fill the room
        # beside a tall one instead of starting a new row below it.
        skyline = [(0.0, row_width, 0.0)]  # (x from, x to, filled height)
        positions, widest, deepest = {}, 0.0, 0.0
        for piece, (left, top, width, height) in zip(pieces, boxes):
            spots = []
            for start, _end, _h in skyline:
                if start + width <= row_width + 1e-6:
                    rest = max(h for a, b, h in skyline if a < start + width and b > start)
                    spots.append((rest, start))
            y, x = min(spots) if spots else (max(h for _a, _b, h in skyline), 0.0)
            for n, (px, py) in piece.items():
                positions[n] = (px - left + x, py - top + y)
            cut = [(a, b, h) for a, b, h in skyline if b <= x or a >= x + width]
            cut += [(a, x, h) for a, b, h in skyline if a < x < b] + [(x + width, b, h) for a, b, h in skyline
                                                                      if a < x + width < b]
            skyline = sorted(cut + [(x, x + width, y + height)])
            widest, deepest = max(widest, x + width), max(deepest, y + height)
        return positions, widest, deepest

    if not boxes:
        return {}
    widest_piece = max(b[2] for b in boxes)
    candidates = sorted({widest_piece, *(sum(b[2] for b in boxes[i:j]) for i in range(len(boxes))
                                         for j in range(i + 1, min(len(boxes), i + 12) + 1))})
    best = max((c for c in candidates if c >= widest_piece),
               key=lambda c: (round(min(area[0] / place(c)[1], area[1] / place(c)[2]), 4), -c))
    return place(best)[0]


def rings_layout(graph: nx.Graph, weight: dict, inner: int = 12, radii: tuple[float, float] = (230.0, 430.0)) -> dict:
    """Two rings for a dense labelled network: the `inner` heaviest nodes inside, the rest outside, each
    outer node at the angle of its strongest inner partner (edge attribute `count`), alternate outer
    nodes pushed 70 px further out so that neighbouring captions do not meet.

    >>> g = nx.Graph([("a", "b", {"count": 3}), ("a", "c", {"count": 1})])
    >>> sorted(rings_layout(g, {"a": 9, "b": 2, "c": 1}, inner=1))
    ['a', 'b', 'c']
    """
    order = sorted(graph, key=lambda n: (-weight.get(n, 0), str(n)))
    hubs, rest = order[:inner], order[inner:]
    positions, angle = {}, {}
    for k, node in enumerate(hubs):
        angle[node] = 2 * math.pi * k / max(len(hubs), 1) - math.pi / 2
        radius = radii[0] if len(hubs) > 1 else 0.0
        positions[node] = (radius * math.cos(angle[node]), radius * math.sin(angle[node]))

    def anchor_angle(node) -> float:
        ties = [(graph.edges[node, m].get("count", 1), str(m)) for m in graph[node] if m in angle]
        return angle[max(ties)[1]] if ties else math.pi  # unattached nodes gather on the left

    ranked = sorted(rest, key=lambda n: (anchor_angle(n) % (2 * math.pi), str(n)))
    for k, node in enumerate(ranked):
        theta = 2 * math.pi * k / max(len(ranked), 1) - math.pi / 2
        radius = radii[1] + (70.0 if k % 2 else 0.0)
        positions[node] = (radius * math.cos(theta), radius * math.sin(theta))
    return positions
