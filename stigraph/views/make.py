"""One entry point for every view variant (what `stigraph view` calls)."""
from __future__ import annotations

from pathlib import Path

from stigraph.errors import UserError
from stigraph.sparql.graph import StiGraph
from stigraph.views.analysis_views import ANALYSES, analysis_view
from stigraph.views.compose import ViewOptions, graph_view
from stigraph.views.page import ViewResult


def make_view(graph: StiGraph | str | Path | None = None, options: ViewOptions | None = None,
              analysis: str | None = None, entity: str | None = None, direction: str = "up") -> ViewResult:
    """The whole/filtered/ego view, or an analysis view (`deps` needs `entity`; `direction` up/down), of a graph or store.

    `graph` is a StiGraph, or a store path (None = the default store).

    >>> make_view(None, ViewOptions(focus="jst", depth=2)).write("jst.html")  # doctest: +SKIP
    PosixPath('jst.html')
    >>> make_view(None, analysis="deps", entity="moonshot").nodes  # doctest: +SKIP
    12
    """
    options = options or ViewOptions()
    if not isinstance(graph, StiGraph):
        graph = StiGraph.open(graph)
    if analysis is None:
        if entity:
            raise UserError(f"unexpected argument {entity!r}: an entity goes with --focus or --analysis deps")
        return graph_view(graph, options)
    if analysis not in ANALYSES:
        raise UserError(f"unknown analysis {analysis!r}; choose one of {', '.join(ANALYSES)}")
    if options.focus or options.classes or options.themes or options.years or options.orgs:
        raise UserError("--analysis views take no --focus/--class/--theme/--year/--org; "
                        "drop them, or use them without --analysis")
    if analysis != "deps" and entity:
        raise UserError(f"--analysis {analysis} takes no entity (got {entity!r}); only deps does")
    title = options.title if options.title != "stigraph" else None
    return analysis_view(graph, analysis, entity, title, direction=direction)
