"""Self-contained interactive HTML views of the graph (compatibility front of `stigraph.views`).

The work happens in `stigraph.views`: our own Jinja template with autoescape, pyvis's
bundled vis-network inlined, nodes and edges filled in one pass, precomputed positions.
"""
from __future__ import annotations

from stigraph.sparql.graph import StiGraph
from stigraph.views import ViewOptions, ViewResult, graph_view, network_view
from stigraph.views.encode import CLASS_COLORS
from stigraph.views.summary import MAX_NODES, summarize_by_class

__all__ = ["CLASS_COLORS", "MAX_NODES", "ViewOptions", "ViewResult", "network_view", "summarize_by_class", "view"]


def view(graph: StiGraph, title: str = "stigraph", options: ViewOptions | None = None) -> ViewResult:
    """The whole graph (or what `options` selects) as an interactive page; large graphs are summarised.

    >>> from stigraph.builder.inputs import collect_quads  # doctest: +SKIP
    >>> view(StiGraph.from_nquads(collect_quads())).nodes > 0  # doctest: +SKIP
    True
    """
    if options is None:
        options = ViewOptions(title=title)
    return graph_view(graph, options)
