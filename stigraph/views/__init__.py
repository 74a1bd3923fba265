"""Interactive HTML network views: whole graph, ego networks, filters, summaries, analysis views.

Python use (notebooks): every view returns a `ViewResult`; Jupyter shows it inline, `.write(path)`
saves it, `.html` is the page.

>>> from stigraph.views import ViewOptions, make_view  # doctest: +SKIP
>>> make_view(None, ViewOptions(focus="jst", depth=2))          # in Jupyter: shown inline  # doctest: +SKIP
>>> make_view(None, analysis="overlaps").write("overlaps.html")  # doctest: +SKIP
"""
from __future__ import annotations

from stigraph.views.analysis_views import (
    ANALYSES, Chokepoint, DepStep, MinistryPair, OverlapPair, analysis_view, chokepoints_view, deps_view,
    ministries_view, overlaps_view,
)
from stigraph.views.compose import ViewOptions, graph_view, network_view
from stigraph.views.make import make_view
from stigraph.views.page import ViewResult, iframe_html

__all__ = [
    "ANALYSES", "Chokepoint", "DepStep", "MinistryPair", "OverlapPair", "ViewOptions", "ViewResult", "analysis_view",
    "chokepoints_view", "deps_view", "graph_view", "iframe_html", "make_view", "ministries_view", "network_view",
    "overlaps_view",
]
