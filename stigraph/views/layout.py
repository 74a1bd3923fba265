"""Deterministic node positions, computed in Python so the page needs no physics run.

networkx's spring layout costs O(n²) per iteration: fine up to a few hundred nodes, seconds at
2,000 (measured: 13–25 s with 30–50 iterations on this 2-core machine). Each connected component
is laid out on its own and the components are packed in rows. Components above SPRING_LIMIT
nodes get a two-level layout: communities (fast label propagation, seeded) are laid out as
super-nodes with the spring layout, and each community's members are placed inside a disc
around it (spring layout for small communities, a sunflower spiral ordered by degree for large
ones). Every step is seeded and iterates in sorted order, so the same graph gives the same page.
"""
from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
import numpy as np

SEED = 7
SPRING_LIMIT = 250       # up to this many nodes: one spring layout of the whole graph
SMALL_COMMUNITY = 40     # communities up to this size get their own spring layout
SPACING = 90.0           # target distance between neighbouring nodes, in vis pixels
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
# Cross-cutting tags: in large graphs they pull everything into one hairball, so the layout of
# graphs above SPRING_LIMIT nodes ignores them (the edges are still drawn).
CROSS_CUTTING = frozenset({"hasTheme", "mentions"})


def simple_undirected(nxg: nx.Graph, skip: frozenset[str] = frozenset()) -> nx.Graph:
    """The graph as a simple undirected graph of str node ids, inserted in sorted order (for determinism).

    Edges whose `predicate` is in `skip` are left out.
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(str(n) for n in nxg.nodes))
    simple.add_edges_from(sorted({tuple(sorted((str(s), str(o)))) for s, o, p in nxg.edges(data="predicate")
                                  if s != o and p not in skip}))
    return simple


def _adjacency(nxg: nx.Graph, skip: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """str node -> sorted str neighbours (undirected, no self-loops, edges with a `skip` predicate left out)."""
    adjacency: dict[str, set[str]] = {str(n): set() for n in nxg.nodes}
    for s, o, p in nxg.edges(data="predicate"):
        if s != o and p not in skip:
            adjacency[str(s)].add(str(o))
            adjacency[str(o)].add(str(s))
    return {n: sorted(adjacency[n]) for n in sorted(adjacency)}


def _components(adjacency: dict[str, list[str]]) -> list[list[str]]:
    """Connected components, largest first, members sorted."""
    seen: set[str] = set()
    found = []
    for start in adjacency:
        if start in seen:
            continue
        seen.add(start)
        stack, members = [start], []
        while stack:
            node = stack.pop()
            members.append(node)
            for nxt in adjacency[node]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        found.append(sorted(members))
    return sorted(found, key=lambda c: (-len(c), c[0]))


def _local_edges(adjacency: dict[str, list[str]], members: list[str]) -> list[tuple[int, int, float]]:
    index = {n: i for i, n in enumerate(members)}
    return [(i, index[m], 1.0) for n, i in index.items() for m in adjacency[n] if index.get(m, -1) > i]


def layout(nxg: nx.Graph, seed: int = SEED) -> dict:
    """Node -> (x, y) in vis pixels: each connected component laid out on its own, then packed in rows.

    Components up to SPRING_LIMIT nodes get a spring layout (batched by size), larger ones the
    two-level community layout.

    >>> pos = layout(nx.path_graph(3)); sorted(pos) == [0, 1, 2]
    True
    """
    if nxg.number_of_nodes() == 0:
        return {}
    names = {str(n): n for n in nxg.nodes}
    full = _adjacency(nxg)
    adjacency = _adjacency(nxg, CROSS_CUTTING) if nxg.number_of_nodes() > SPRING_LIMIT else full
    # Nodes tied to the rest only by cross-cutting edges (themes) float at their neighbours' centroid.
    floating = [n for n in adjacency if not adjacency[n] and full[n]] if adjacency is not full else []
    if floating:
        adjacency = {n: nbrs for n, nbrs in adjacency.items() if n not in set(floating)}
    components = _components(adjacency)
    pieces: dict[int, dict] = {}
    small = [i for i, c in enumerate(components) if len(c) <= SPRING_LIMIT]
    for bucket in _size_buckets(small, components, (1, 4, 8, 16, SMALL_COMMUNITY, 100, SPRING_LIMIT)):
        batch = [(len(components[i]), _local_edges(adjacency, components[i])) for i in bucket]
        for i, coords in zip(bucket, batched_spring(batch, seed, iterations=60)):
            scale = SPACING * math.sqrt(len(components[i])) * 0.9
            pieces[i] = {n: (float(x) * scale, float(y) * scale) for n, (x, y) in zip(components[i], coords)}
    for i, component in enumerate(components):
        if i not in pieces:
            pieces[i] = community_layout({n: adjacency[n] for n in component}, seed)
    packed = pack([pieces[i] for i in range(len(components))]) if components else {}
    for k, n in enumerate(floating):
        anchors = [packed[m] for m in full[n] if m in packed] or [(0.0, 0.0)]
        offset = SPACING * 0.4 * math.sqrt(k + 1)  # spiral offsets keep several floating nodes apart
        packed[n] = (sum(a[0] for a in anchors) / len(anchors) + offset * math.cos(k * GOLDEN_ANGLE),
                     sum(a[1] for a in anchors) / len(anchors) + offset * math.sin(k * GOLDEN_ANGLE))
    return {names[n]: p for n, p in packed.items()}


def pack(pieces: list[dict]) -> dict:
    """Place laid-out pieces (largest first) left to right in rows of about the square root of their total area."""
    boxes = []
    for piece in pieces:
        xs = [p[0] for p in piece.values()]
        ys = [p[1] for p in piece.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + SPACING * 1.5, max(ys) - min(ys) + SPACING * 1.5))
    row_width = max(max(b[2] for b in boxes), math.sqrt(sum(b[2] * b[3] for b in boxes)) * 1.2)
    positions, x, y, row_height = {}, 0.0, 0.0, 0.0
    for piece, (left, top, width, height) in zip(pieces, boxes):
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for n, (px, py) in piece.items():
            positions[n] = (px - left + x, py - top + y)
        x += width
        row_height = max(row_height, height)
    cx = (min(p[0] for p in positions.values()) + max(p[0] for p in positions.values())) / 2
    cy = (min(p[1] for p in positions.values()) + max(p[1] for p in positions.values())) / 2
    return {n: (px - cx, py - cy) for n, (px, py) in positions.items()}


def batched_spring(graphs: list[tuple[int, list[tuple[int, int, float]]]], seed: int = SEED,
                   iterations: int = 50) -> np.ndarray:
    """Fruchterman-Reingold for many small graphs at once: array [graph, node, xy], each graph in [-1, 1].

    Each graph is (node count, [(i, j, weight)]). The same force model as `nx.spring_layout`,
    vectorised over a padded batch, so 200 small communities cost one numpy loop instead of 200
    (networkx's per-call overhead dominated).
    """
    size = max(count for count, _edges in graphs)
    batch = len(graphs)
    adjacency = np.zeros((batch, size, size))
    mask = np.zeros((batch, size))
    for b, (count, edges) in enumerate(graphs):
        mask[b, :count] = 1.0
        for i, j, w in edges:
            adjacency[b, i, j] = adjacency[b, j, i] = 1.0 + math.log(w)
    counts = mask.sum(axis=1)
    k = (1.6 / np.sqrt(np.maximum(counts, 1)))[:, None, None]
    pair_mask = mask[:, :, None] * mask[:, None, :]
    pos = np.random.default_rng(seed).random((batch, size, 2))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, :, None, :] - pos[:, None, :, :]
        dist = np.maximum(np.sqrt((delta ** 2).sum(axis=3)), 0.01)
        force = (k * k / dist ** 2 - adjacency * dist / k) * pair_mask
        displacement = np.einsum("bijx,bij->bix", delta, force)
        length = np.maximum(np.sqrt((displacement ** 2).sum(axis=2)), 0.01)
        pos += displacement * (temperature / length)[:, :, None] * mask[:, :, None]
        temperature -= cooling
    centre = (pos * mask[:, :, None]).sum(axis=1) / np.maximum(counts, 1)[:, None]
    pos = (pos - centre[:, None, :]) * mask[:, :, None]
    extent = np.abs(pos).max(axis=(1, 2))
    return pos / np.where(extent > 0, extent, 1.0)[:, None, None]


def communities(simple: nx.Graph, seed: int = SEED) -> list[list[str]]:
    """Deterministic communities (seeded fast label propagation), largest first, members sorted."""
    groups = nx.community.fast_label_propagation_communities(simple, seed=seed)
    return sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))


def community_layout(adjacency: dict[str, list[str]], seed: int = SEED) -> dict:
    """Two-level layout of one component: communities placed by a spring layout of the community graph, members in discs."""
    simple = nx.Graph()
    simple.add_nodes_from(adjacency)
    simple.add_edges_from((n, m) for n, nbrs in adjacency.items() for m in nbrs if n < m)
    groups = communities(simple, seed)
    member_of = {n: i for i, g in enumerate(groups) for n in g}
    weights: dict[tuple[int, int], int] = defaultdict(int)
    for n, nbrs in adjacency.items():
        for m in nbrs:
            a, b = member_of[n], member_of[m]
            if a < b:
                weights[(a, b)] += 1
    radii = np.array([SPACING * 0.55 * math.sqrt(len(g)) + SPACING * 0.5 for g in groups])
    centres = _place_discs((len(groups), [(a, b, float(w)) for (a, b), w in sorted(weights.items())]), radii, seed)
    positions = {}
    small = [i for i, g in enumerate(groups) if 1 < len(g) <= SMALL_COMMUNITY]
    local: dict[int, dict] = {}
    for bucket in _size_buckets(small, groups):  # similar sizes batch together: little padding
        batch = [(len(groups[i]), _local_edges(adjacency, groups[i])) for i in bucket]
        for i, coords in zip(bucket, batched_spring(batch, seed, iterations=40)):
            local[i] = {n: (float(x), float(y)) for n, (x, y) in zip(groups[i], coords)}
    for i, group in enumerate(groups):
        radius = radii[i] - SPACING * 0.5
        unit = local.get(i) or _sunflower(adjacency, group)
        cx, cy = centres[i]
        for n, (x, y) in unit.items():
            positions[n] = (cx + x * radius, cy + y * radius)
    return positions


def _place_discs(super_graph: tuple[int, list[tuple[int, int, float]]], radii: np.ndarray, seed: int) -> np.ndarray:
    """Disc centres: a spring layout of the community graph, scaled and pushed apart until discs barely overlap."""
    count = len(radii)
    if count == 1:
        return np.zeros((1, 2))
    if count <= 400:
        pos = batched_spring([super_graph], seed, iterations=60)[0][:count]
    else:  # a spiral by community size: O(c); the overlap removal below spreads it
        pos = np.array([[math.sqrt(i / count) * math.cos(i * GOLDEN_ANGLE), math.sqrt(i / count) * math.sin(i * GOLDEN_ANGLE)]
                        for i in range(count)])
    pos *= radii.sum() / 2.0
    need = radii[:, None] + radii[None, :]
    for _ in range(60):  # vectorised overlap removal; O(c²) per pass with c communities
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.sqrt((delta ** 2).sum(axis=2)) + np.eye(count)
        overlap = np.clip(need - dist, 0, None) * (1 - np.eye(count))
        if overlap.max() < 1.0:
            break
        push = (delta / dist[:, :, None] * overlap[:, :, None] * 0.5).sum(axis=1)
        pos += push
    return pos


def _size_buckets(indices: list[int], groups: list[list[str]],
                  bounds: tuple[int, ...] = (4, 8, 16, SMALL_COMMUNITY)) -> list[list[int]]:
    """Indices grouped by the size of their group, so a batch pads little."""
    buckets: list[list[int]] = [[] for _ in bounds]
    for i in indices:
        buckets[next(b for b, bound in enumerate(bounds) if len(groups[i]) <= bound)].append(i)
    return [b for b in buckets if b]


def _sunflower(adjacency: dict[str, list[str]], members: list[str]) -> dict:
    """Members spread evenly over the unit disc, hubs at the centre: O(n) and deterministic."""
    inside = set(members)
    degree = {n: sum(1 for m in adjacency[n] if m in inside) for n in members}
    ordered = sorted(members, key=lambda n: (-degree[n], n))
    count = len(ordered)
    return {n: (math.sqrt((k + 0.5) / count) * math.cos(k * GOLDEN_ANGLE),
                math.sqrt((k + 0.5) / count) * math.sin(k * GOLDEN_ANGLE)) for k, n in enumerate(ordered)}


def layered_layout(tree_edges: list[tuple[str, str]], root: str, horizontal: bool = True) -> dict:
    """Tree / DAG positions by breadth-first depth from `root` (for dependency trees): x = depth, y = order.

    >>> layered_layout([("a", "b"), ("a", "c")], "a")["a"]
    (0.0, 0.0)
    """
    children: dict[str, list[str]] = defaultdict(list)
    for parent, child in tree_edges:
        children[parent].append(child)
    depth = {root: 0}
    order = [root]
    for node in order:
        for child in sorted(children[node]):
            if child not in depth:
                depth[child] = depth[node] + 1
                order.append(child)
    by_depth: dict[int, list[str]] = defaultdict(list)
    for node in order:
        by_depth[depth[node]].append(node)
    positions = {}
    for level, nodes in by_depth.items():
        for k, node in enumerate(nodes):
            across = (k - (len(nodes) - 1) / 2) * SPACING  # a dot and its caption below it fit one step
            along = level * SPACING * 2.6
            positions[node] = (along, across) if horizontal else (across, along)
    return positions
