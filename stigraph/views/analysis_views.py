"""Views of analysis results: dependency tree, overlap network, ministries' co-responsibility, choke points.

Each view takes plain inputs: the results of `stigraph.graph.analysis` (DepsResult, OverlapsResult,
MinistriesResult, ChokepointsResult) or any items carrying the named fields (as attributes, dict
keys or tuple positions):
- deps:        steps (parent, predicate, child, source) from the root outward
- overlaps:    pairs (a, b, score, reasons)
- ministries:  pairs (a, b, count, measures) — or a {(a, b): count} dict
- chokepoints: ranking (node, score, reason), best first
`analysis_view` runs the analysis (importing `stigraph.graph.analysis` lazily) and picks the view.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx

from stigraph.errors import UserError
from stigraph.views.coerce import as_texts, field_of, items_of, plain_id
from stigraph.views.compose import network_view
from stigraph.views.labels import caption
from stigraph.views.labelled_layout import rings_layout
from stigraph.views.layout import layered_layout
from stigraph.views.overlaps_view import OverlapPair, as_overlap_pairs, overlaps_view  # noqa: F401 - re-exported
from stigraph.views.page import ViewResult

ANALYSES = ("deps", "overlaps", "ministries", "chokepoints")
TOP_CHOKEPOINTS = 20
STRONGEST_TIES = 3


@dataclass(frozen=True)
class DepStep:
    """One step of a dependency walk: from `parent` to `child` through `predicate` (stated at `source`).

    `reverse` is True when the relation itself points from `child` to `parent` (a downward walk).
    """

    parent: str
    predicate: str
    child: str
    source: str = ""
    reverse: bool = False


@dataclass(frozen=True)
class MinistryPair:
    """Two ministries responsible together for `count` measures."""

    a: str
    b: str
    count: int
    measures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chokepoint:
    """A node whose removal would cut many dependencies, with its score and why."""

    node: str
    score: float
    reason: str = ""


def as_dep_steps(result) -> list[DepStep]:
    """Dependency steps from tuples, dicts, objects, a result with `.steps`/`.edges`, or a networkx DiGraph.

    >>> as_dep_steps([("moonshot", "administeredBy", "jst", "a.txt:3")])
    [DepStep(parent='moonshot', predicate='administeredBy', child='jst', source='a.txt:3', reverse=False)]
    """
    if isinstance(result, nx.DiGraph):
        return [DepStep(plain_id(s), str(d.get("predicate", "")), plain_id(o), str(d.get("source", "")))
                for s, o, d in result.edges(data=True)]
    steps = []
    for item in items_of(result, ("steps", "edges", "tree")):
        parent = plain_id(field_of(item, ("parent", "from_id", "s", "subject"), 0))
        child = plain_id(field_of(item, ("child", "node", "to_id", "o", "object"), 2))
        subject = field_of(item, ("subject",), None)  # analysis.DepStep names the triple's own direction
        steps.append(DepStep(parent, str(field_of(item, ("predicate", "relation", "p"), 1, "")), child,
                             str(field_of(item, ("source", "locator", "where"), 3, "") or ""),
                             reverse=subject is not None and plain_id(subject) == child and child != parent))
    return steps


def as_ministry_pairs(result) -> list[MinistryPair]:
    """Ministry pairs from a {(a, b): count} dict, tuples (a, b, count, measures), dicts, objects or `.pairs`.

    >>> as_ministry_pairs({("mext", "meti"): 3})
    [MinistryPair(a='mext', b='meti', count=3, measures=())]
    """
    items = items_of(result, ("pairs", "co_responsibility"))
    if isinstance(items, dict):
        return [MinistryPair(plain_id(a), plain_id(b), int(n)) for (a, b), n in items.items()]
    # analysis.ministries gives {"a", "b", "measures": count, "measure_ids": [...]}.
    return [MinistryPair(plain_id(field_of(i, ("a", "left", "ministry_a", "u"), 0)), plain_id(field_of(i, ("b", "right", "ministry_b", "v"), 1)),
                         int(field_of(i, ("count", "weight", "n", "measures"), 2, 0, kind=(int, float)) or 0),
                         as_texts(field_of(i, ("measure_ids", "measures", "shared"), 3, kind=(list, tuple))))
            for i in items]


def ministry_totals(result) -> dict[str, int]:
    """Measures per ministry from a result's `shares` ({"ministry", "measures"}), else {}."""
    shares = result.get("shares") if isinstance(result, dict) else getattr(result, "shares", None)
    return {plain_id(s["ministry"]): int(s["measures"]) for s in shares or () if "ministry" in s and "measures" in s}


def as_chokepoints(result) -> list[Chokepoint]:
    """A choke-point ranking (best first) from tuples (node, score, reason), dicts, objects or `.ranking`.

    >>> as_chokepoints([("jst", 12)])
    [Chokepoint(node='jst', score=12.0, reason='')]
    """
    return [Chokepoint(plain_id(field_of(i, ("node", "id", "entity"), 0)),
                       float(field_of(i, ("score", "value", "programs_cut"), 1, 0.0, kind=(int, float)) or 0.0),
                       str(field_of(i, ("reason", "why", "metric"), 2, "") or _chokepoint_reason(i)))
            for i in items_of(result, ("ranking", "chokepoints", "items"))]


def _chokepoint_reason(item) -> str:
    """analysis.ChokePoint's evidence in words: programs cut per layer, articulation point."""
    if isinstance(item, (tuple, list)):
        return ""
    layers = field_of(item, ("by_layer",), None, {}, kind=dict)
    parts = [f"cuts {field_of(item, ('programs_cut',), None, 0, kind=int)} program(s)"] if field_of(
        item, ("programs_cut",), None, kind=int) is not None else []
    parts += [f"{layer} {n}" for layer, n in sorted(layers.items()) if n]
    if field_of(item, ("articulation_point",), None, False, kind=bool):
        parts.append("articulation point")
    return "; ".join(parts)


def _entity_graph(nxg: nx.MultiDiGraph, ids) -> nx.MultiDiGraph:
    """A new graph with the given nodes and their projection attributes (unknown ids get a bare node)."""
    out = nx.MultiDiGraph()
    for nid in ids:
        attrs = dict(nxg.nodes[nid]) if nid in nxg else {"id": nid, "class": "?", "label_ja": "", "label_en": ""}
        attrs.pop("highlight", None)
        out.add_node(nid, **attrs)
    return out


def deps_view(nxg: nx.MultiDiGraph, root: str, steps, title: str = "dependencies", notes=()) -> ViewResult:
    """The dependency tree of `root`, laid out left to right by depth (root on the left, highlighted).

    >>> g = nx.MultiDiGraph(); g.add_node("p", id="p", **{"class": "Program"})
    >>> deps_view(g, "p", [("p", "administeredBy", "jst", "")]).nodes
    2
    """
    steps = as_dep_steps(steps)
    tree = _entity_graph(nxg, dict.fromkeys([root, *(x for s in steps for x in (s.parent, s.child))]))
    for s in steps:
        start, end = (s.child, s.parent) if s.reverse else (s.parent, s.child)
        tree.add_edge(start, end, key=s.predicate, predicate=s.predicate, source=s.source)
    tree.nodes[root]["highlight"] = True
    positions = layered_layout([(s.parent, s.child) for s in steps], root)
    for start, end, data in tree.edges(data=True):
        if start in positions and end in positions and positions[start][0] == positions[end][0]:
            data["curved"] = True  # within one column: an arc beside the captions, not through them
    note = (f"Dependency walk from {root}: {len(steps)} relation(s), one column per step; "
            "arrows keep each relation's own direction.")
    return network_view(tree, title, note, positions=positions, max_nodes=10**9, notes=notes, largest=14.0)


def strongest_ties(pairs: list[MinistryPair], per_node: int = STRONGEST_TIES) -> list[MinistryPair]:
    """The pairs that are among the `per_node` largest of at least one of their two ministries.

    >>> ties = strongest_ties([MinistryPair("a", "b", 9), MinistryPair("a", "c", 5), MinistryPair("b", "c", 1)], 1)
    >>> [(t.a, t.b) for t in ties]
    [('a', 'b'), ('a', 'c')]
    """
    ranked: dict[str, list[MinistryPair]] = {}
    for p in sorted(pairs, key=lambda p: (-p.count, p.a, p.b)):
        for end in (p.a, p.b):
            ranked.setdefault(end, []).append(p)
    keep = {id(p) for ties in ranked.values() for p in ties[:per_node]}
    return [p for p in pairs if id(p) in keep]


def ministries_view(nxg: nx.MultiDiGraph, pairs, title: str = "ministries", totals: dict | None = None,
                    notes=(), per_node: int = STRONGEST_TIES) -> ViewResult:
    """Ministries joined by how many measures they share responsibility for (edge label and width).

    Dense: 42 ministries share measures in 245 pairs. The network draws each ministry's `per_node`
    strongest ties (edge label = shared measures); every tie is listed in the ministry's tooltip.
    """
    pairs = [p for p in as_ministry_pairs(pairs) if p.count > 0]
    weights: dict[str, int] = dict(totals or {})
    if not totals:
        for p in pairs:
            weights[p.a] = weights.get(p.a, 0) + p.count
            weights[p.b] = weights.get(p.b, 0) + p.count
    out = _entity_graph(nxg, sorted({x for p in pairs for x in (p.a, p.b)} | set(weights)))
    partners: dict[str, list[tuple[int, str]]] = {n: [] for n in out}
    for p in pairs:
        partners[p.a].append((p.count, p.b))
        partners[p.b].append((p.count, p.a))
    for nid in out:
        out.nodes[nid]["size_value"] = weights.get(nid, 0)
        ties = sorted(partners[nid], key=lambda t: (-t[0], t[1]))
        names = [f"{caption(out.nodes[m], 'ja')} {n}" for n, m in ties[:10]]
        out.nodes[nid]["extra_lines"] = [f"measures shared with {len(ties)} other(s): " + ", ".join(names)
                                         + (" …" if len(ties) > 10 else "")] if ties else []
    drawn = strongest_ties(pairs, per_node) if per_node else pairs
    for p in drawn:
        names = [caption(nxg.nodes[m], "ja") if m in nxg else m for m in p.measures]
        shown = names[:5] + ([f"… and {len(names) - 5} more"] if len(names) > 5 else [])
        out.add_edge(p.a, p.b, key="coResponsible", predicate="coResponsible", label=str(p.count),
                     width=1 + 1.2 * math.sqrt(p.count), source="",
                     extra_lines=[f"shared measures: {p.count}", *(f"  {m}" for m in shown)])
    what = "measures the ministry is responsible for" if totals else "shared measures, summed over its pairs"
    note = f"{len(pairs)} ministry pair(s) sharing responsibility" + (
        f"; drawn: each ministry's {per_node} strongest ties ({len(drawn)} pairs), all ties in the tooltips."
        if len(drawn) < len(pairs) else ".")
    ties = nx.Graph()
    ties.add_nodes_from(out)
    ties.add_edges_from((p.a, p.b, {"count": p.count}) for p in drawn)
    return network_view(out, title, note, size_by="value", notes=notes, positions=rings_layout(ties, weights),
                        size_note=f"node size: {what}", legend_extra=["edge width and label: number of shared measures"],
                        largest=24.0)


def chokepoints_view(nxg: nx.MultiDiGraph, ranking, title: str = "choke points", top: int = TOP_CHOKEPOINTS,
                     notes=()) -> ViewResult:
    """The top choke points (black ring, rank in the tooltip) with their direct neighbours."""
    ranked = [c for c in as_chokepoints(ranking) if c.node in nxg][:top]
    if not ranked:
        raise UserError("the choke-point ranking is empty: the graph has no node whose removal cuts it")
    keep = {c.node for c in ranked}
    keep |= {m for c in ranked for m in nx.all_neighbors(nxg, c.node)}
    out = nxg.subgraph(keep).copy()
    for rank, c in enumerate(ranked, 1):
        out.nodes[c.node]["highlight"] = True
        out.nodes[c.node]["extra_lines"] = [f"choke point #{rank}: score {c.score:.3g}" + (f" ({c.reason})" if c.reason else "")]
    note = f"Top {len(ranked)} choke point(s), ringed in black, with their direct neighbours."
    return network_view(out, title, note, notes=notes,
                        legend_extra=["black ring: choke point (rank and score in the tooltip)"])


def analysis_view(graph, name: str, entity: str | None = None, title: str | None = None,
                  direction: str = "up") -> ViewResult:
    """Run one `stigraph.graph.analysis` function on a StiGraph and render its view (`deps` needs `entity`).

    >>> analysis_view(stigraph.open(), "deps", "moonshot").write("deps.html")  # doctest: +SKIP
    """
    from stigraph.graph import analysis  # imported here: the analysis package is heavier than a plain view
    from stigraph.views.compose import projection, resolve_id

    if name not in ANALYSES:
        raise UserError(f"unknown analysis {name!r}; choose one of {', '.join(ANALYSES)}")
    nxg = projection(graph)  # projected once; the analyses accept the MultiDiGraph
    if name == "deps":
        if not entity:
            raise UserError("--analysis deps needs an entity: stigraph view --analysis deps ENTITY -o deps.html")
        root = resolve_id(graph, entity)
        what = "depends on" if direction == "up" else "depends on it"
        return deps_view(nxg, root, analysis.deps(nxg, root, direction), title or f"{root}: what {what}")
    if name == "overlaps":
        return overlaps_view(nxg, analysis.overlaps(nxg), title or "overlaps")
    if name == "ministries":
        result = analysis.ministries(nxg)
        return ministries_view(nxg, result, title or "ministries' co-responsibility", totals=ministry_totals(result) or None)
    return chokepoints_view(nxg, analysis.chokepoints(nxg), title or "choke points")
