"""Helpers every analysis shares: graph coercion, entity lookup, who runs a program, org hierarchy.

The analyses work on the networkx projection (`stigraph.graph.projection.to_networkx`): nodes carry
`class`, `label_ja`, `label_en`, `alt_labels`; an edge u -> v with key = predicate name carries the
source locators ("file:line; ...").
"""
from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

import networkx as nx

from stigraph.sparql.entity import choose_entity
from stigraph.sparql.graph import StiGraph

GraphLike = StiGraph | nx.MultiDiGraph

ORGANIZATION_CLASSES = frozenset({"Organization", "Ministry", "Council", "Agency", "Unit"})
POLICY_CLASSES = frozenset({"Policy", "Plan", "Strategy", "Law", "Guideline"})
FUNDING_CLASSES = frozenset({"Fund", "BudgetAccount"})
# Organizations that count as a "home" of their own; a Unit (or a plain Organization inside one)
# belongs to the body it is a sub-organization of.
HOME_CLASSES = frozenset({"Ministry", "Council", "Agency"})

# Who runs a program: (predicate, True when the edge points program -> organization).
RUNNER_EDGES = (("administeredBy", True), ("responsibleMinistry", True), ("managedBy", True),
                ("participatesIn", False), ("operates", False))


def as_networkx(graph: GraphLike) -> nx.MultiDiGraph:
    """The networkx projection of a StiGraph, or the given MultiDiGraph unchanged.

    >>> as_networkx(nx.MultiDiGraph()).number_of_nodes()
    0
    """
    if isinstance(graph, nx.MultiDiGraph):
        return graph
    if isinstance(graph, StiGraph):
        from stigraph.graph.projection import to_networkx

        return to_networkx(graph)
    raise TypeError(f"expected a StiGraph or a networkx MultiDiGraph, got {type(graph).__name__}")


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while an analysis runs.

    The analyses allocate millions of small acyclic objects; with a 500k-edge graph alive, every
    full collection walks the whole graph again, which doubled the time of `chokepoints` at 100k
    nodes. Reference counting still frees everything; the collector is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def node_class(nxg: nx.MultiDiGraph, node: str) -> str:
    """The stigraph class of a node ("" when unknown)."""
    return nxg.nodes[node].get("class", "") if node in nxg else ""


def label(nxg: nx.MultiDiGraph, node: str) -> str:
    """The Japanese label of a node, else the English one, else its id."""
    data = nxg.nodes[node] if node in nxg else {}
    return data.get("label_ja") or data.get("label_en") or node


def resolve_node(nxg: nx.MultiDiGraph, key: str) -> str:
    """The node whose id, label or altLabel is `key`, by the one rule of `stigraph.sparql.entity.choose_entity`.

    >>> g = nx.MultiDiGraph(); g.add_node("jst", label_ja="科学技術振興機構", alt_labels="JST")
    >>> resolve_node(g, "jst"), resolve_node(g, "ＪＳＴ")
    ('jst', 'jst')
    """
    if key in nxg:
        return key

    def candidates():
        for node, data in nxg.nodes(data=True):
            labels = [data.get("label_ja") or "", data.get("label_en") or ""]
            labels += [a for a in (data.get("alt_labels") or "").split("; ") if a]
            yield str(node), node, labels

    return choose_entity(key, candidates())


class GraphIndex:
    """Node classes and edges grouped by predicate, read in one pass over the projection.

    Iterating a 500k-edge MultiDiGraph costs about a second, so each analysis reads it once and the
    helpers below (runners, homes, ministries, partOf ancestors) work from this index.
    """

    def __init__(self, nxg: nx.MultiDiGraph) -> None:
        self.nxg = nxg
        self.cls: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        for n, d in nxg.nodes(data=True):
            self.cls[n] = d.get("class", "")
            self.labels[n] = d.get("label_ja") or d.get("label_en") or n
        by_predicate: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for u, v, key in nxg.edges(keys=True):
            by_predicate[key].append((u, v))
        self.by_predicate = by_predicate
        self._parents: dict[tuple[str, ...], dict[str, list[str]]] = {}

    def edges(self, *predicates: str) -> Iterator[tuple[str, str]]:
        """(subject, object) of every edge with one of these predicates."""
        for predicate in predicates:
            yield from self.by_predicate.get(predicate, ())

    def source(self, subject: str, obj: str, predicate: str) -> str:
        """The source locators of one edge ("" when it has none)."""
        return edge_source(self.nxg, subject, obj, predicate)

    def parents(self, *predicates: str) -> dict[str, list[str]]:
        """Subject -> objects over edges with these predicates (in edge order: sort before showing).

        Cached per predicate set; callers must not modify the lists.
        """
        if predicates not in self._parents:
            found: dict[str, list[str]] = defaultdict(list)
            for u, v in self.edges(*predicates):
                found[u].append(v)
            self._parents[predicates] = dict(found)
        return self._parents[predicates]


def edge_source(nxg: nx.MultiDiGraph, subject: str, obj: str, predicate: str) -> str:
    """The source locators of one edge ("" when the edge has none)."""
    data = nxg.get_edge_data(subject, obj, key=predicate) or {}
    return data.get("source", "")


def direct_runners(index: GraphIndex) -> dict[str, set[str]]:
    """Entity -> the organizations stated to run it (administer, manage, be responsible, take part)."""
    found: dict[str, set[str]] = defaultdict(set)
    cls = index.cls
    for predicate, forward in RUNNER_EDGES:
        for u, v in index.edges(predicate):
            entity, org = (u, v) if forward else (v, u)
            if cls.get(org) in ORGANIZATION_CLASSES and cls.get(entity) not in ORGANIZATION_CLASSES:
                found[entity].add(org)
    return found


def runners(index: GraphIndex) -> dict[str, frozenset[str]]:
    """Entity -> organizations that run it; a sub-program without its own inherits its parent's (partOf).

    Computed for every non-organization node in one pass (memoised walk up partOf).
    """
    direct = direct_runners(index)
    parents = index.parents("partOf")
    resolved: dict[str, frozenset[str]] = {}

    def walk(start: str) -> frozenset[str]:
        # Iterative: climb partOf until a node with stated runners (or a resolved one), then fill back.
        path, node, seen = [], start, set()
        result: frozenset[str] = frozenset()
        while True:
            if node in resolved:
                result = resolved[node]
                break
            if direct.get(node):
                result = frozenset(direct[node])
                resolved[node] = result
                break
            if node in seen:
                break
            seen.add(node)
            path.append(node)
            ups = parents.get(node, ())
            if not ups:
                break
            if len(ups) > 1:  # several parents: union of what each one inherits
                result = frozenset().union(*(walk(p) for p in ups))
                break
            node = ups[0]
        for step in path:
            resolved[step] = result
        return result

    for node, cls in index.cls.items():
        if cls not in ORGANIZATION_CLASSES:
            walk(node)
    return {n: r for n, r in resolved.items() if r}


def _climb(parents: dict[str, list[str]], start: str, keep) -> frozenset[str]:
    found, stack, seen = set(), [start], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        done = keep(current, found)
        if not done:
            stack.extend(parents.get(current, ()))
    return frozenset(found)


def org_homes(index: GraphIndex) -> dict[str, frozenset[str]]:
    """Organization -> the bodies it belongs to: itself for ministries, councils and agencies; for a
    unit, the agency (or ministry) above it through subOrganizationOf.
    """
    parents = index.parents("subOrganizationOf")

    def keep(node: str, found: set[str]) -> bool:
        if index.cls.get(node) in HOME_CLASSES or not parents.get(node):
            found.add(node)
            return True
        return False

    return {n: _climb(parents, n, keep) for n, c in index.cls.items() if c in ORGANIZATION_CLASSES}


def ministries_of(index: GraphIndex) -> dict[str, frozenset[str]]:
    """Organization -> the ministries above it (itself if a Ministry), through subOrganizationOf and
    underJurisdictionOf; a ministry's own parents (a CAO secretariat's Cabinet Office) are included.
    """
    parents = index.parents("subOrganizationOf", "underJurisdictionOf")

    def keep(node: str, found: set[str]) -> bool:
        if index.cls.get(node) == "Ministry":
            found.add(node)
        return False

    return {n: _climb(parents, n, keep) for n, c in index.cls.items() if c in ORGANIZATION_CLASSES}


class PartOfAncestors:
    """Questions about the partOf hierarchy: `ancestors(node)` (memoised) and `is_above(a, b)`."""

    def __init__(self, index: GraphIndex) -> None:
        self._parents = index.parents("partOf")
        self._memo: dict[str, frozenset[str]] = {}

    def __call__(self, node: str) -> frozenset[str]:
        if node not in self._memo:
            found, stack = set(), list(self._parents.get(node, ()))
            while stack:
                current = stack.pop()
                if current in found or current == node:
                    continue
                found.add(current)
                stack.extend(self._parents.get(current, ()))
            self._memo[node] = frozenset(found)
        return self._memo[node]

    def is_above(self, upper: str, node: str, max_levels: int = 3) -> bool:
        """True when `upper` is reached from `node` by following partOf at most `max_levels` times.

        Program nesting is a few levels deep (program, sub-program, project); the bound
        keeps the check cheap on odd graphs where partOf forms long chains or a dense DAG.
        """
        parents = self._parents
        frontier, seen = parents.get(node, ()), set()
        for _ in range(max_levels):
            if not frontier:
                return False
            following = []
            for current in frontier:
                if current == upper:
                    return True
                if current not in seen:
                    seen.add(current)
                    following.extend(parents.get(current, ()))
            frontier = following
        return False
