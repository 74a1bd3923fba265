"""Summaries for graphs too large to draw node by node (vis-network settles poorly beyond ~2k nodes).

A summary node stands for a class or for a community; a summary edge counts the relations
between two groups per predicate. The page says that it shows a summary and how to see nodes.
"""
from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from stigraph.views.layout import communities, simple_undirected

MAX_NODES = 2000
MEMBERS_IN_TOOLTIP = 8


def summarize_by_class(nxg: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """One node per class, edges counted per (class, predicate, class).

    >>> g = nx.MultiDiGraph(); g.add_node("p", **{"class": "Program"}); g.add_node("a", **{"class": "Agency"})
    >>> g.add_edge("p", "a", key="administeredBy", predicate="administeredBy")
    'administeredBy'
    >>> sorted(summarize_by_class(g).edges(keys=True))
    [('Program', 'Agency', 'administeredBy')]
    """
    groups = {n: str(d.get("class", "?")) for n, d in nxg.nodes(data=True)}
    sizes = Counter(groups.values())
    return _summarize(nxg, groups, {g: (f"{g} ({k:,})", g) for g, k in sizes.items()})


def summarize_by_community(nxg: nx.MultiDiGraph, seed: int = 7) -> nx.MultiDiGraph:
    """One node per community (seeded label propagation), named after its best-connected member."""
    members = communities(simple_undirected(nxg), seed)
    by_name = {str(n): n for n in nxg.nodes}
    degree = dict(nxg.degree())
    groups, labels = {}, {}
    for index, group in enumerate(members):
        hub = by_name[min(group, key=lambda n: (-degree[by_name[n]], n))]
        data = nxg.nodes[hub]
        name = data.get("label_ja") or data.get("label_en") or str(hub)
        key = f"community/{index + 1}"
        others = f" +{len(group) - 1}" if len(group) > 1 else ""
        labels[key] = (f"{name}{others}", str(data.get("class", "?")))
        for n in group:
            groups[by_name[n]] = key
    return _summarize(nxg, groups, labels)


def _summarize(nxg: nx.MultiDiGraph, groups: dict, labels: dict) -> nx.MultiDiGraph:
    out = nx.MultiDiGraph()
    members: dict[str, list] = defaultdict(list)
    for n, g in groups.items():
        members[g].append(n)
    for key in sorted(members):
        label, cls = labels[key]
        inside = sorted(members[key], key=str)
        classes = Counter(str(nxg.nodes[n].get("class", "?")) for n in inside)
        names = [nxg.nodes[n].get("label_ja") or nxg.nodes[n].get("label_en") or str(n) for n in inside]
        lines = [f"{len(inside)} nodes: " + ", ".join(f"{c} {k}" for c, k in sorted(classes.items()))]
        lines += [f"  {name}" for name in names[:MEMBERS_IN_TOOLTIP]]
        if len(names) > MEMBERS_IN_TOOLTIP:
            lines.append(f"  … and {len(names) - MEMBERS_IN_TOOLTIP} more")
        out.add_node(key, id=key, label_ja=label, label_en="", alt_labels="", size_value=len(inside),
                     extra_lines=lines, **{"class": cls})
    counts: Counter = Counter()
    for s, o, d in nxg.edges(data=True):
        counts[(groups[s], groups[o], str(d.get("predicate", "")))] += 1
    for (s, o, p), n in sorted(counts.items()):
        if s != o:  # relations inside one group are summarised by the group itself
            out.add_edge(s, o, key=p, predicate=f"{p} ×{n}", source="", width=1 + min(n, 50) ** 0.5)
    return out


def summarize(nxg: nx.MultiDiGraph, how: str = "community", max_nodes: int = MAX_NODES) -> tuple[nx.MultiDiGraph, str]:
    """The graph itself when it has at most `max_nodes` nodes, else a summary and the note saying so.

    >>> summarize(nx.MultiDiGraph(), "class")[1]
    ''
    """
    count = nxg.number_of_nodes()
    if count <= max_nodes:
        return nxg, ""
    hint = "Filter with --class, --theme, --year, --org or --focus to see individual nodes."
    if how == "community":
        summary = summarize_by_community(nxg)
        if summary.number_of_nodes() <= max_nodes:
            return summary, (f"The graph has {count:,} nodes (more than {max_nodes:,}): each node here is a community of "
                             f"related entities, named after its best-connected member; size = members. {hint}")
    return summarize_by_class(nxg), (f"The graph has {count:,} nodes (more than {max_nodes:,}): each node here is one "
                                     f"class; size = members; edge labels count relations. {hint}")
