"""What an entity depends on (up) and what depends on it (down), step by step with sources.

"A depends on B" when A is administered by, funded by, managed by, part of, based on, under the
jurisdiction of, overseen by, decided by or a sub-organization of B, or when B takes part in or
operates A. Walking "up" from a program reaches its agency, ministry, council, fund and policies;
walking "down" from a fund or agency reaches everything that would lose it.
"""
from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, field

import networkx as nx

from stigraph.errors import UserError
from stigraph.graph.analysis._common import GraphLike, as_networkx, label, no_gc, node_class, resolve_node

# predicate -> True when the edge u -> v means "u depends on v"; False when it means "v depends on u".
DEPENDENCY_PREDICATES: dict[str, bool] = {
    "administeredBy": True, "fundedBy": True, "managedBy": True, "partOf": True, "basedOn": True,
    "underJurisdictionOf": True, "overseenBy": True, "decidedBy": True, "subOrganizationOf": True,
    "participatesIn": False, "operates": False,
    # A review-sheet project depends on its ministry and on the organizations it pays to spend its money,
    # so `deps jst --direction down` lists the projects that fund JST.
    "responsibleOrganization": True, "pays": True,
}
DIRECTIONS = ("up", "down")


@dataclass
class DepStep:
    """One edge of the walk: `node` was reached from `parent` through the triple subject-predicate-object."""

    parent: str
    node: str
    predicate: str
    subject: str
    object: str
    source: str
    depth: int
    repeat: bool = False  # node already reached by an earlier step; shown, not walked again


@dataclass
class DepsResult:
    """The dependency walk from one entity: BFS order, each node once (plus repeat edges)."""

    root: str
    direction: str
    depth_limit: int | None
    nodes: dict[str, dict[str, str]]
    steps: list[DepStep] = field(default_factory=list)

    def reached(self) -> list[str]:
        """Ids reached by the walk (root excluded), in BFS order."""
        return [s.node for s in self.steps if not s.repeat]

    def as_dict(self) -> dict:
        return {"root": self.root, "direction": self.direction, "depth_limit": self.depth_limit,
                "reached": len(self.reached()), "nodes": self.nodes, "steps": [asdict(s) for s in self.steps]}


def _neighbours(nxg: nx.MultiDiGraph, node: str, direction: str) -> list[tuple[str, str, str, str, str]]:
    """(next node, predicate, subject, object, source) one dependency step away, sorted."""
    out: list[tuple[str, str, str, str, str]] = []
    for _, v, key, data in nxg.out_edges(node, keys=True, data=True):
        forward = DEPENDENCY_PREDICATES.get(key)
        if forward is not None and forward == (direction == "up"):
            out.append((v, key, node, v, data.get("source", "")))
    for u, _, key, data in nxg.in_edges(node, keys=True, data=True):
        forward = DEPENDENCY_PREDICATES.get(key)
        if forward is not None and forward != (direction == "up"):
            out.append((u, key, u, node, data.get("source", "")))
    return sorted(set(out), key=lambda t: (t[1], t[0], t[2]))


@no_gc()
def deps(graph: GraphLike, entity: str, direction: str = "up", depth: int | None = None) -> DepsResult:
    """Walk dependencies from `entity` (id or label): "up" = what it depends on, "down" = what depends on it.

    `depth` limits the number of steps (None = no limit). Each step carries the predicate and the
    source line of the edge; nodes reached again show up as `repeat` steps and are not expanded twice.

    >>> from pathlib import Path
    >>> from stigraph.builder.inputs import collect_quads
    >>> from stigraph.sparql.graph import StiGraph
    >>> g = StiGraph.from_nquads(collect_quads([Path("tests/fixtures/registry_analysis")], include_derived=False))
    >>> "jst" in deps(g, "moonshot", "up").reached()
    True
    """
    if direction not in DIRECTIONS:
        raise UserError(f"unknown direction {direction!r}; use up or down")
    if depth is not None and depth < 1:
        raise UserError(f"depth must be at least 1, got {depth}")
    nxg = as_networkx(graph)
    root = resolve_node(nxg, entity)
    result = DepsResult(root=root, direction=direction, depth_limit=depth, nodes={})
    seen_depth = {root: 0}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        level = seen_depth[node]
        if depth is not None and level >= depth:
            continue
        for nxt, predicate, subject, obj, source in _neighbours(nxg, node, direction):
            # A node reached before (a second path, a shortcut or a cycle) is listed, not walked again.
            repeat = nxt in seen_depth
            result.steps.append(DepStep(node, nxt, predicate, subject, obj, source, level + 1, repeat))
            if not repeat:
                seen_depth[nxt] = level + 1
                queue.append(nxt)
    for node in seen_depth:
        result.nodes[node] = {"label": label(nxg, node), "class": node_class(nxg, node)}
    return result


def format_tree(result: DepsResult) -> str:
    """The walk as an indented tree: `pred -> id` when the parent states the edge, `<- pred id` otherwise.

    >>> r = DepsResult("a", "up", None, {"a": {"label": "A", "class": "Program"}, "b": {"label": "B", "class": "Agency"}},
    ...                [DepStep("a", "b", "administeredBy", "a", "b", "x.txt:3", 1)])
    >>> print(format_tree(r))
    a  A [Program]  (depends on)
    └─ administeredBy → b  B [Agency]  (x.txt:3)
    """
    children: dict[str, list[DepStep]] = {}
    for step in result.steps:
        children.setdefault(step.parent, []).append(step)
    head = "depends on" if result.direction == "up" else "what depends on it"
    root_info = result.nodes[result.root]
    lines = [f"{result.root}  {root_info['label']} [{root_info['class']}]  ({head})"]

    def describe(step: DepStep) -> str:
        info = result.nodes.get(step.node, {"label": step.node, "class": ""})
        arrow = f"{step.predicate} →" if step.subject == step.parent else f"← {step.predicate}"
        tail = "  (listed elsewhere in this tree)" if step.repeat else ""
        source = f"  ({step.source})" if step.source else ""
        return f"{arrow} {step.node}  {info['label']} [{info['class']}]{source}{tail}"

    # Iterative pre-order walk keeps deep chains from hitting Python's recursion limit.
    stack: list[tuple[DepStep, str, bool]] = [(s, "", i == len(children.get(result.root, [])) - 1)
                                              for i, s in enumerate(children.get(result.root, []))][::-1]
    while stack:
        step, prefix, last = stack.pop()
        lines.append(f"{prefix}{'└─ ' if last else '├─ '}{describe(step)}")
        if step.repeat:
            continue
        kids = children.get(step.node, [])
        child_prefix = prefix + ("   " if last else "│  ")
        stack.extend([(s, child_prefix, i == len(kids) - 1) for i, s in enumerate(kids)][::-1])
    if not result.steps:
        lines.append("   (nothing: no dependency edges in this direction)")
    return "\n".join(lines)
