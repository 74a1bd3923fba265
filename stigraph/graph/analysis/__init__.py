"""Analyses over the networkx projection: dependencies, choke points, overlaps, ministries, landscape.

Every function takes a `StiGraph` or the MultiDiGraph from `stigraph.graph.projection.to_networkx`
(project once, run many), returns plain data (dataclasses with `as_dict()`), sorts its output and
seeds its randomised algorithms, so a given graph always gives the same answer.
`derived_quads(result)` turns any result into N-Quads of inferred findings (GRAPH["derived/<name>"]);
`stigraph.api.write_back(results)` adds them to the store as one input per analysis (through the update path).

>>> from pathlib import Path
>>> from stigraph.builder.inputs import collect_quads
>>> from stigraph.sparql.graph import StiGraph
>>> from stigraph.graph.projection import to_networkx
>>> g = to_networkx(StiGraph.from_nquads(collect_quads([Path("tests/fixtures/registry_analysis")], include_derived=False)))
>>> deps(g, "university-fund", "down").reached()
['doctoral-support', 'intl-research-universities']
"""
from stigraph.graph.analysis.budgets import BudgetRollups, budget_rollups
from stigraph.graph.analysis.chokepoints import ChokePoint, ChokepointsResult, chokepoints
from stigraph.graph.analysis.deps import DepsResult, DepStep, deps
from stigraph.graph.analysis.derived import analysis_name, derived_graph_iri, derived_quads
from stigraph.graph.analysis.landscape import LandscapeResult, landscape
from stigraph.graph.analysis.ministries import MinistriesResult, ministries
from stigraph.graph.analysis.overlaps import KINDS as OVERLAP_KINDS
from stigraph.graph.analysis.overlaps import Overlap, OverlapsResult, overlaps


def format_result(result: object) -> str:
    """The text report of any analysis result (what `stigraph deps` and `stigraph analyze ...` print)."""
    from stigraph.graph.analysis.chokepoints import format_chokepoints
    from stigraph.graph.analysis.deps import format_tree
    from stigraph.graph.analysis.landscape import format_landscape
    from stigraph.graph.analysis.ministries import format_ministries
    from stigraph.graph.analysis.overlaps import format_overlaps

    formatters = {DepsResult: format_tree, ChokepointsResult: format_chokepoints, OverlapsResult: format_overlaps,
                  MinistriesResult: format_ministries, LandscapeResult: format_landscape}
    for cls, formatter in formatters.items():
        if isinstance(result, cls):
            return formatter(result)
    raise TypeError(f"not an analysis result: {type(result).__name__}")


__all__ = ["BudgetRollups", "ChokePoint", "ChokepointsResult", "DepStep", "DepsResult", "LandscapeResult",
           "MinistriesResult", "Overlap", "OverlapsResult", "budget_rollups", "chokepoints", "deps",
           "OVERLAP_KINDS", "analysis_name", "derived_graph_iri", "derived_quads", "format_result", "landscape",
           "ministries", "overlaps"]
