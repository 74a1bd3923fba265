"""The landscape: central entities per class, communities with their themes, budget roll-ups.

- Centrality: degree (distinct neighbours) and PageRank on the relation graph (edges point from a
  program to what it depends on, so PageRank collects on agencies, funds and policies); betweenness
  exact up to 1,000 nodes, estimated from 200 seeded samples up to 20,000, skipped beyond unless a
  sample size is given.
- Communities: Louvain (seeded) on the undirected relation graph without theme nodes (themes would
  glue everything together); each community is described by its most frequent themes and its
  best-connected organizations. networkx's Louvain takes minutes beyond ~20k nodes (DESIGN §7), so
  larger graphs skip it unless `communities_max_nodes` is raised.
- Budgets: `stigraph.graph.analysis.budgets`, counted by the budget rule of `stigraph.sparql.budget`
  (needs the RDF graph, not just the projection).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from stigraph.graph.analysis._common import ORGANIZATION_CLASSES, GraphLike, as_networkx, label, no_gc, node_class
from stigraph.graph.analysis.budgets import BudgetRollups, budget_rollups
from stigraph.sparql.graph import StiGraph

DEFAULT_BETWEENNESS_SAMPLES = 200


@dataclass
class LandscapeResult:
    """Centrality per class, communities and budget roll-ups, plus notes on what was skipped."""

    centrality: dict[str, list[dict]] = field(default_factory=dict)
    communities: list[dict] = field(default_factory=list)
    budgets: BudgetRollups | None = None
    notes: list[str] = field(default_factory=list)
    parameters: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"parameters": self.parameters, "notes": self.notes, "centrality": self.centrality,
                "communities": self.communities, "budgets": self.budgets.as_dict() if self.budgets else None}


def _simple_graphs(nxg: nx.MultiDiGraph) -> tuple[nx.DiGraph, nx.Graph]:
    """The relation graph without parallel edges, nodes and edges added in sorted order (stable results)."""
    directed = nx.DiGraph()
    directed.add_nodes_from(sorted(nxg.nodes))
    directed.add_edges_from(sorted({(u, v) for u, v in nxg.edges() if u != v}))
    undirected = nx.Graph()
    undirected.add_nodes_from(directed.nodes)
    undirected.add_edges_from(sorted({tuple(sorted(e)) for e in directed.edges}))
    return directed, undirected


def _pagerank(directed: nx.DiGraph) -> dict[str, float]:
    if directed.number_of_nodes() == 0:
        return {}
    try:
        return nx.pagerank(directed, alpha=0.85, tol=1e-10)
    except ImportError:  # scipy missing: networkx's pure-Python power iteration gives the same numbers
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return _pagerank_python(directed, alpha=0.85, tol=1e-10)


def _betweenness(undirected: nx.Graph, exact_max_nodes: int, sampled_max_nodes: int, samples: int | None,
                 seed: int, notes: list[str]) -> dict[str, float] | None:
    """Exact on small graphs, estimated from `samples` (default 200) seeded sources on mid-size ones,
    skipped beyond `sampled_max_nodes` unless `samples` is given (exact is O(nodes x edges))."""
    n = undirected.number_of_nodes()
    if samples is None and n <= exact_max_nodes:
        return nx.betweenness_centrality(undirected)
    if samples is None and n > sampled_max_nodes:
        notes.append(f"betweenness skipped: {n} nodes; pass betweenness_samples for a seeded estimate")
        return None
    k = min(samples or DEFAULT_BETWEENNESS_SAMPLES, n)
    notes.append(f"betweenness estimated from {k} of {n} nodes (seed {seed})")
    return nx.betweenness_centrality(undirected, k=k, seed=seed)


def _communities(nxg: nx.MultiDiGraph, undirected: nx.Graph, seed: int, max_nodes: int, top: int,
                 notes: list[str]) -> list[dict]:
    core = undirected.subgraph(n for n in undirected.nodes if node_class(nxg, n) != "Theme")
    if core.number_of_nodes() > max_nodes:
        notes.append(f"communities skipped: {core.number_of_nodes()} nodes > {max_nodes} (networkx Louvain is slow)")
        return []
    if core.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(core, seed=seed)
    ordered = sorted((sorted(c) for c in found), key=lambda members: (-len(members), members[0]))
    out = []
    for index, members in enumerate(ordered, start=1):
        if len(members) < 2:
            continue
        member_set = set(members)
        themes = Counter(v for m in members for _, v, k in nxg.out_edges(m, keys=True) if k == "hasTheme")
        orgs = [m for m in members if node_class(nxg, m) in ORGANIZATION_CLASSES]
        org_rank = sorted(orgs, key=lambda o: (-sum(1 for x in core.neighbors(o) if x in member_set), o))
        classes = Counter(node_class(nxg, m) for m in members)
        out.append({
            "community": index, "size": len(members),
            "classes": dict(sorted(classes.items())),
            "themes": [{"theme": t, "label": label(nxg, t), "members": c}
                       for t, c in sorted(themes.items(), key=lambda t: (-t[1], t[0]))[:top]],
            "organizations": [{"id": o, "label": label(nxg, o)} for o in org_rank[:top]],
            "members": members})
    return out


@no_gc()
def landscape(graph: GraphLike, top: int = 10, seed: int = 42, betweenness_exact_max_nodes: int = 1000,
              betweenness_samples: int | None = None, betweenness_sampled_max_nodes: int = 20000,
              communities_max_nodes: int = 20000, budgets: bool = True) -> LandscapeResult:
    """Centrality by class, Louvain communities (seeded) and budget roll-ups of the graph.

    Budget roll-ups need a StiGraph (they read the budget entries with a SPARQL query); given only
    a networkx projection they are skipped with a note.

    >>> from pathlib import Path
    >>> from stigraph.builder.inputs import collect_quads
    >>> g = StiGraph.from_nquads(collect_quads([Path("tests/fixtures/registry_analysis")], include_derived=False))
    >>> landscape(g).centrality["Agency"][0]["id"]
    'jst'
    """
    nxg = as_networkx(graph)
    result = LandscapeResult(parameters={
        "top": top, "seed": seed, "betweenness_exact_max_nodes": betweenness_exact_max_nodes,
        "betweenness_samples": betweenness_samples, "betweenness_sampled_max_nodes": betweenness_sampled_max_nodes,
        "communities_max_nodes": communities_max_nodes})
    directed, undirected = _simple_graphs(nxg)
    rank = _pagerank(directed)
    between = _betweenness(undirected, betweenness_exact_max_nodes, betweenness_sampled_max_nodes,
                           betweenness_samples, seed, result.notes)
    by_class: dict[str, list[str]] = {}
    for node in sorted(nxg.nodes):
        by_class.setdefault(node_class(nxg, node) or "(none)", []).append(node)
    for cls in sorted(by_class):
        best = sorted(by_class[cls], key=lambda n: (-rank.get(n, 0.0), -undirected.degree(n), n))[:top]
        result.centrality[cls] = [
            {"id": n, "label": label(nxg, n), "degree": undirected.degree(n), "pagerank": round(rank.get(n, 0.0), 6),
             **({"betweenness": round(between.get(n, 0.0), 6)} if between is not None else {})}
            for n in best]
    result.communities = _communities(nxg, undirected, seed, communities_max_nodes, 3, result.notes)
    if budgets and isinstance(graph, StiGraph):
        result.budgets = budget_rollups(graph, nxg)
    elif budgets:
        result.notes.append("budget roll-ups skipped: they need the RDF graph (a StiGraph), not only its projection")
    return result


def format_landscape(result: LandscapeResult, top: int = 5) -> str:
    """Text tables: central entities per class, communities, budget roll-ups by year and organization."""
    from stigraph.graph.analysis.budgets import ROLLUP_HEADER, format_rollup
    from stigraph.sparql.run import format_table

    parts = []
    rows = [[cls, e["id"], e["label"], str(e["degree"]), f"{e['pagerank']:.4f}",
             f"{e['betweenness']:.4f}" if "betweenness" in e else "-"]
            for cls, entries in result.centrality.items() for e in entries[:top]]
    header = ["class", "id", "label", "degree", "pagerank", "betweenness"]
    parts.append("central entities by class\n" + format_table(header, rows))
    rows = [[str(c["community"]), str(c["size"]), ", ".join(t["label"] for t in c["themes"]),
             ", ".join(o["id"] for o in c["organizations"]), ", ".join(c["members"][:6]) + (" …" if c["size"] > 6 else "")]
            for c in result.communities]
    parts.append("communities (Louvain)\n" + format_table(["#", "size", "themes", "organizations", "members"], rows))
    if result.budgets:
        for title, rows in (("budget by fiscal year", result.budgets.by_year),
                            ("budget by organization", result.budgets.by_organization),
                            ("budget by theme", result.budgets.by_theme)):
            parts.append(f"{title}\n" + format_table(ROLLUP_HEADER, format_rollup(rows)))
        parts.append("budget notes: kinds are never added together; a figure inside another counted one "
                     "(stig:budgetPartOf) or 内数 is left out; money two counted figures share is subtracted "
                     "once ('overlap'); '?' marks figures that overlap by an amount the graph does not give; "
                     "the change compares only the entities with a figure in both years ('same entities')")
    if result.notes:
        parts.append("notes: " + "; ".join(result.notes))
    return "\n\n".join(parts)
