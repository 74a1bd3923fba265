"""Whole-graph, filtered and ego views: projection -> selection -> summary -> layout -> page."""
from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from stigraph.errors import UserError
from stigraph.sparql.graph import StiGraph
from stigraph.views.encode import encode_network, vis_options
from stigraph.views.focus import DEFAULT_LIMIT
from stigraph.views.layout import layout
from stigraph.views.page import ViewResult, render_page
from stigraph.views.select import apply_filters, describe_filters, ego
from stigraph.views.summary import MAX_NODES, summarize


@dataclass
class ViewOptions:
    """What a view shows and how; the CLI's `stigraph view` options map one to one onto these fields.

    >>> ViewOptions(focus="jst", depth=2).depth
    2
    """

    title: str = "stigraph"
    focus: str | None = None
    depth: int = 1
    classes: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    orgs: tuple[str, ...] = ()
    size_by: str = "auto"          # auto | budget | degree
    lang: str = "ja"               # ja | en: which label the nodes show (tooltips show both)
    max_nodes: int = MAX_NODES     # above this the view summarises
    summary: str = "community"     # community | class
    limit: int | None = DEFAULT_LIMIT  # focus views: neighbours shown before folding into count nodes (None/0: all)
    notes: list[str] = field(default_factory=list)


def network_view(nxg: nx.Graph, title: str = "stigraph", note: str = "", *, size_by: str = "auto", lang: str = "ja",
                 max_nodes: int = MAX_NODES, summary: str = "community", positions: dict | None = None,
                 notes: list[str] | tuple[str, ...] = (), size_note: str | None = None,
                 legend_extra: list[str] | tuple[str, ...] = (), largest: float = 40.0) -> ViewResult:
    """Render any networkx graph of stigraph entities as a self-contained page (summarised if too large).

    >>> g = nx.MultiDiGraph(); g.add_node("a", id="a", label_ja="<b>", **{"class": "Agency"})
    >>> r = network_view(g); (r.nodes, "&lt;b&gt;" in r.html)
    (1, True)
    """
    page_notes = [n for n in (*notes, note) if n]
    shown, summary_note = summarize(nxg, summary, max_nodes)
    if summary_note:
        page_notes.append(summary_note)
        positions, size_by, size_note = None, "value", "node size: members of the group"
    if positions is None:
        positions = layout(shown)
    nodes, edges, legend = encode_network(shown, positions, size_by=size_by, lang=lang, size_note=size_note,
                                          largest=largest)
    legend["extra"] = list(legend_extra) + legend["extra"]
    html = render_page(title, nodes, edges, vis_options(len(nodes)), legend, page_notes)
    return ViewResult(html=html, nodes=len(nodes), edges=len(edges), note=" ".join(page_notes), notes=page_notes)


def resolve_id(graph: StiGraph, key: str) -> str:
    """The node id (curated id) of an entity given by id, label or abbreviation."""
    from stigraph.sparql.entity import resolve
    from stigraph.graph.projection import node_id

    return node_id(resolve(graph, key))


def projection(graph: StiGraph) -> nx.MultiDiGraph:
    """The networkx projection with the details tooltips and the year filter need."""
    from stigraph.graph.projection import to_networkx
    from stigraph.views.enrich import add_details
    from stigraph.views.labels import add_captions

    return add_captions(add_details(graph, to_networkx(graph)))


def select(graph: StiGraph, nxg: nx.MultiDiGraph, options: ViewOptions) -> tuple[nx.MultiDiGraph, str | None]:
    """Apply the filters of `options` (and, with `limit=None`, the plain ego network); returns the subgraph and focus id."""
    focus = resolve_id(graph, options.focus) if options.focus else None
    if focus is not None and not options.limit:
        nxg = ego(nxg, focus, options.depth)
    orgs = tuple(resolve_id(graph, o) for o in options.orgs)
    selected = apply_filters(nxg, classes=options.classes, themes=options.themes, years=options.years, orgs=orgs,
                             always=[focus] if focus else [])
    if selected.number_of_nodes() == 0:
        raise UserError("no node passes these filters; loosen --class/--theme/--year/--org "
                        f"({describe_filters(options.classes, options.themes, options.years, orgs)})")
    return selected, focus


def graph_view(graph: StiGraph, options: ViewOptions | None = None) -> ViewResult:
    """The graph (or the part `options` selects) as an interactive page.

    With a focus, the page shows the `options.limit` most relevant neighbours and folds the rest
    into count nodes (`stigraph.views.focus`); `limit=None` gives the plain ego network.

    >>> from stigraph.builder.inputs import collect_quads  # doctest: +SKIP
    >>> graph_view(StiGraph.from_nquads(collect_quads()), ViewOptions(focus="jst", depth=2)).write("jst.html")  # doctest: +SKIP
    """
    from stigraph.views.focus_view import focus_view

    options = options or ViewOptions()
    nxg, focus = select(graph, projection(graph), options)
    described = describe_filters(options.classes, options.themes, options.years, options.orgs,
                                 focus if not options.limit else None, options.depth)
    if focus is not None and options.limit:
        return focus_view(nxg, focus, depth=options.depth, limit=options.limit, title=options.title,
                          notes=[*options.notes, described], size_by=options.size_by, lang=options.lang)
    if focus is not None:
        nxg.nodes[focus]["highlight"] = True
    return network_view(nxg, options.title, notes=[*options.notes, described], size_by=options.size_by,
                        lang=options.lang, max_nodes=options.max_nodes, summary=options.summary)
