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
from stigraph.views.compose import network_view
from stigraph.views.layout import layered_layout
from stigraph.views.page import ViewResult

ANALYSES = ("deps", "overlaps", "ministries", "chokepoints")
TOP_CHOKEPOINTS = 20


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
class OverlapPair:
    """Two entities that overlap, how much (0–1), why, and which kind of overlap (stated, look-alike …)."""

    a: str
    b: str
    score: float
    reasons: tuple[str, ...] = ()
    kind: str = ""


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


def _field(item, names: tuple[str, ...], position: int | None, default=None, kind: type | tuple = object):
    """A field by any of `names` (attribute or dict key, first one of type `kind`) or by tuple `position`."""
    if isinstance(item, (tuple, list)):
        return item[position] if position is not None and position < len(item) else default
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        # bool is an int subclass: a flag must not pass for a count, nor a count for a flag.
        if value is not None and isinstance(value, kind) and (isinstance(value, bool) == (kind is bool)):
            return value
    return default


def _items(result, containers: tuple[str, ...]):
    """The list inside a result object/dict (e.g. `.steps`, `["pairs"]`), or the result itself."""
    for name in containers:
        inner = result.get(name) if isinstance(result, dict) else getattr(result, name, None)
        if inner is not None and not callable(inner):
            return inner
    return result


def _ids(value) -> str:
    return str(value[len("https://w3id.org/stigraph/id/"):] if str(value).startswith("https://w3id.org/stigraph/id/") else value)


def _reasons(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def as_dep_steps(result) -> list[DepStep]:
    """Dependency steps from tuples, dicts, objects, a result with `.steps`/`.edges`, or a networkx DiGraph.

    >>> as_dep_steps([("moonshot", "administeredBy", "jst", "a.txt:3")])
    [DepStep(parent='moonshot', predicate='administeredBy', child='jst', source='a.txt:3', reverse=False)]
    """
    if isinstance(result, nx.DiGraph):
        return [DepStep(_ids(s), str(d.get("predicate", "")), _ids(o), str(d.get("source", "")))
                for s, o, d in result.edges(data=True)]
    steps = []
    for item in _items(result, ("steps", "edges", "tree")):
        parent = _ids(_field(item, ("parent", "from_id", "s", "subject"), 0))
        child = _ids(_field(item, ("child", "node", "to_id", "o", "object"), 2))
        subject = _field(item, ("subject",), None)  # analysis.DepStep names the triple's own direction
        steps.append(DepStep(parent, str(_field(item, ("predicate", "relation", "p"), 1, "")), child,
                             str(_field(item, ("source", "locator", "where"), 3, "") or ""),
                             reverse=subject is not None and _ids(subject) == child and child != parent))
    return steps


def as_overlap_pairs(result) -> list[OverlapPair]:
    """Overlap pairs from tuples (a, b, score, reasons), dicts, objects or a result with `.pairs`.

    >>> as_overlap_pairs([{"a": "x", "b": "y", "score": 0.5, "reasons": "same theme"}])[0].reasons
    ('same theme',)
    """
    return [OverlapPair(_ids(_field(i, ("a", "left", "first", "u"), 0)),
                        _ids(_field(i, ("b", "right", "second", "v"), 1)),
                        float(_field(i, ("score", "weight", "similarity"), 2, 0.0) or 0.0),
                        _reasons(_field(i, ("reasons", "reason", "why", "shared"), 3)),
                        str(_field(i, ("kind",), None, "") or ""))
            for i in _items(result, ("pairs", "overlaps"))]


def as_ministry_pairs(result) -> list[MinistryPair]:
    """Ministry pairs from a {(a, b): count} dict, tuples (a, b, count, measures), dicts, objects or `.pairs`.

    >>> as_ministry_pairs({("mext", "meti"): 3})
    [MinistryPair(a='mext', b='meti', count=3, measures=())]
    """
    items = _items(result, ("pairs", "co_responsibility"))
    if isinstance(items, dict):
        return [MinistryPair(_ids(a), _ids(b), int(n)) for (a, b), n in items.items()]
    # analysis.ministries gives {"a", "b", "measures": count, "measure_ids": [...]}.
    return [MinistryPair(_ids(_field(i, ("a", "left", "ministry_a", "u"), 0)), _ids(_field(i, ("b", "right", "ministry_b", "v"), 1)),
                         int(_field(i, ("count", "weight", "n", "measures"), 2, 0, kind=(int, float)) or 0),
                         _reasons(_field(i, ("measure_ids", "measures", "shared"), 3, kind=(list, tuple))))
            for i in items]


def ministry_totals(result) -> dict[str, int]:
    """Measures per ministry from a result's `shares` ({"ministry", "measures"}), else {}."""
    shares = result.get("shares") if isinstance(result, dict) else getattr(result, "shares", None)
    return {_ids(s["ministry"]): int(s["measures"]) for s in shares or () if "ministry" in s and "measures" in s}


def as_chokepoints(result) -> list[Chokepoint]:
    """A choke-point ranking (best first) from tuples (node, score, reason), dicts, objects or `.ranking`.

    >>> as_chokepoints([("jst", 12)])
    [Chokepoint(node='jst', score=12.0, reason='')]
    """
    return [Chokepoint(_ids(_field(i, ("node", "id", "entity"), 0)),
                       float(_field(i, ("score", "value", "programs_cut"), 1, 0.0, kind=(int, float)) or 0.0),
                       str(_field(i, ("reason", "why", "metric"), 2, "") or _chokepoint_reason(i)))
            for i in _items(result, ("ranking", "chokepoints", "items"))]


def _chokepoint_reason(item) -> str:
    """analysis.ChokePoint's evidence in words: programs cut per layer, articulation point."""
    if isinstance(item, (tuple, list)):
        return ""
    layers = _field(item, ("by_layer",), None, {}, kind=dict)
    parts = [f"cuts {_field(item, ('programs_cut',), None, 0, kind=int)} program(s)"] if _field(
        item, ("programs_cut",), None, kind=int) is not None else []
    parts += [f"{layer} {n}" for layer, n in sorted(layers.items()) if n]
    if _field(item, ("articulation_point",), None, False, kind=bool):
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
    note = (f"Dependency walk from {root}: {len(steps)} relation(s), one column per step; "
            "arrows keep each relation's own direction.")
    return network_view(tree, title, note, positions=positions, max_nodes=10**9, notes=notes)


def overlaps_view(nxg: nx.MultiDiGraph, pairs, title: str = "overlaps", min_score: float = 0.0, notes=()) -> ViewResult:
    """The overlap network: entities joined by their overlap score (edge label and width), reasons in tooltips."""
    pairs = [p for p in as_overlap_pairs(pairs) if p.score >= min_score]
    out = _entity_graph(nxg, sorted({x for p in pairs for x in (p.a, p.b)}))
    for p in pairs:
        out.add_edge(p.a, p.b, key="overlapsWith", predicate="overlapsWith", label=f"{p.score:.2f}",
                     width=1 + 6 * max(0.0, min(p.score, 1.0)), source="",
                     extra_lines=[f"score: {p.score:.3f}", *([f"kind: {p.kind}"] if p.kind else []),
                                  *(f"reason: {r}" for r in p.reasons)])
    note = f"{len(pairs)} overlapping pair(s)" + (f" with score ≥ {min_score}" if min_score else "") + "; edge label = score."
    return network_view(out, title, note, notes=notes, legend_extra=["edge width and label: overlap score (0–1)"])


def ministries_view(nxg: nx.MultiDiGraph, pairs, title: str = "ministries", totals: dict | None = None,
                    notes=()) -> ViewResult:
    """Ministries joined by how many measures they share responsibility for (edge label and width)."""
    pairs = [p for p in as_ministry_pairs(pairs) if p.count > 0]
    weights: dict[str, int] = dict(totals or {})
    if not totals:
        for p in pairs:
            weights[p.a] = weights.get(p.a, 0) + p.count
            weights[p.b] = weights.get(p.b, 0) + p.count
    out = _entity_graph(nxg, sorted({x for p in pairs for x in (p.a, p.b)} | set(weights)))
    for nid in out:
        out.nodes[nid]["size_value"] = weights.get(nid, 0)
    for p in pairs:
        names = [nxg.nodes[m].get("label_ja") or m if m in nxg else m for m in p.measures]
        shown = names[:5] + ([f"… and {len(names) - 5} more"] if len(names) > 5 else [])
        out.add_edge(p.a, p.b, key="coResponsible", predicate="coResponsible", label=str(p.count),
                     width=1 + 2 * math.sqrt(p.count), source="",
                     extra_lines=[f"shared measures: {p.count}", *(f"  {m}" for m in shown)])
    what = "measures the ministry is responsible for" if totals else "shared measures, summed over its pairs"
    return network_view(out, title, f"{len(pairs)} ministry pair(s) sharing responsibility.", size_by="value", notes=notes,
                        size_note=f"node size: {what}", legend_extra=["edge width and label: number of shared measures"])


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
