"""Money as a picture: an entity's budget by fiscal year and kind, and a Sankey of the money flows through it.

>>> budget_view(None, "kakenhi").write("kakenhi-budget.html")  # doctest: +SKIP
>>> flows_view(None, "mext", year=2024).write("mext-flows.html")  # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path

from stigraph.errors import UserError
from stigraph.sparql.graph import StiGraph
from stigraph.ontology.vocabulary import BUDGET_KINDS
from stigraph.sparql.budget import BudgetBook
from stigraph.views.money.figures import entity_figures, kind_name
from stigraph.views.page import ViewResult

MAX_PARTS = 8
KIND_OPTIONS = tuple(BUDGET_KINDS)  # initial, draft, request, supplementary, fund_size, total_cost, target, actual


def _graph(graph: StiGraph | str | Path | None) -> StiGraph:
    return graph if isinstance(graph, StiGraph) else StiGraph.open(graph)


def budget_view(graph: StiGraph | str | Path | None, entity: str, title: str | None = None) -> ViewResult:
    """Bars of `entity`'s budget figures by fiscal year and kind, with those of its parts (stig:partOf) beside them.

    `graph` is a StiGraph or a store path (None: the default store); `entity` an id, label or abbreviation.

    >>> budget_view(None, "科研費").nodes  # doctest: +SKIP
    1
    """
    from stigraph.views.compose import projection, resolve_id
    from stigraph.views.money.charts import budget_figure
    from stigraph.views.money.page import render_chart_page

    graph = _graph(graph)
    node = resolve_id(graph, entity)
    nxg = projection(graph)
    figures = entity_figures(graph)
    parts = sorted({s for s, _o, p in nxg.in_edges(node, data="predicate") if p == "partOf" and s in figures},
                   key=lambda n: (-max(f.fiscal_year for f in figures[n]), -max(float(f.amount) for f in figures[n]), n))
    if node not in figures and not parts:
        raise UserError(f"{entity!r} ({node}) has no budget figure, nor has any of its parts; "
                        "`stigraph query budget-history` lists the entities that have one")
    series = ([(node, figures[node])] if node in figures else []) + [(p, figures[p]) for p in parts[:MAX_PARTS]]
    notes = ["One bar per fiscal year and kind; the parts of the entity (stig:partOf) stand beside it, never stacked "
             "or added. Amounts in 億円 (hover for exact yen and the source lines); lighter bars are 内数 (included in "
             "another budget line). A bar is the entity's figure by the project's budget rule: the sum of its own "
             "entries for that year and kind; breakdown items inside them are listed in the tooltip, not added."]
    if node not in figures:
        notes.append(f"{node} itself has no figure: only its parts are shown.")
    if len(parts) > MAX_PARTS:
        notes.append(f"{len(parts) - MAX_PARTS} more part(s) with figures are not drawn: "
                     + ", ".join(parts[MAX_PARTS:MAX_PARTS + 6]) + ("…" if len(parts) > MAX_PARTS + 6 else ""))
    name = nxg.nodes[node].get("label_ja") or node
    summary = [{"id": n, "figures": [[f.fiscal_year, f.kind, str(f.amount)] for f in figs]} for n, figs in series]
    return render_chart_page(title or f"{name}: budget by fiscal year", budget_figure(nxg, node, series), notes,
                             summary, [], details="Click a bar to pin its figure and source here.")


def flows_view(graph: StiGraph | str | Path | None, entity: str, year: int | None = None, kind: str | None = None,
               title: str | None = None) -> ViewResult:
    """A Sankey of the money flowing through `entity` (ministry -> budget line -> body that runs it) in one year and kind.

    `kind` is one of KIND_OPTIONS (initial, draft, request …); by default the year and kind with the most lines.

    >>> flows_view(None, "MEXT", year=2024, kind="initial").edges  # doctest: +SKIP
    14
    """
    from stigraph.views.compose import projection, resolve_id
    from stigraph.views.money.charts import flows_figure
    from stigraph.views.money.flows import PAYMENT, flow_picture, flow_rows
    from stigraph.views.money.page import render_chart_page

    if kind is not None and kind not in KIND_OPTIONS:
        raise UserError(f"unknown budget kind {kind!r}; use one of {', '.join(KIND_OPTIONS)}")
    graph = _graph(graph)
    node = resolve_id(graph, entity)
    nxg = projection(graph)
    book = BudgetBook.from_graph(graph)
    picture = flow_picture(flow_rows(graph, book), nxg, node, year, kind, book=book)
    _label_outside_nodes(graph, nxg, {n for r in picture.rows for n in (r.source, r.target)})
    figure, nodes = flows_figure(nxg, picture)
    others = ", ".join(f"FY{y} {kind_name(k)} ({n})" for (y, k), n in picture.available.items()
                       if (y, k) != (picture.year, picture.kind))
    notes = [f"FY{picture.year} {picture.kind_name}: {picture.lines} budget line(s) through {node}, "
             f"{len(picture.rows)} flow(s). Left: who pays (the ministry with jurisdiction over the body that runs "
             "the line); middle: the budget line; right: the body that runs it (the amount is the line's figure, "
             "not a payment record). Each line counts once; a line inside another line with a figure is left out."]
    if any(r.how == PAYMENT for r in picture.rows):
        notes.append("Review-sheet projects: the right-hand bodies are the organizations a project paid directly "
                     "(its payment records; money passed on by them is inside those payments and not drawn again)"
                     + (f"; {picture.other_payees} smaller payees are summed in 「その他の支出先」." if picture.other_payees
                        else "."))
    if picture.others:
        notes.append(f"The {picture.others} smallest line(s) are summed in 「その他 (others)」.")
    if picture.contained:
        notes.append(f"{picture.contained} line(s) are inside a larger line of the picture and not drawn again.")
    if others:
        notes.append(f"Other years and kinds (lines): {others} — choose with --year / --kind.")
    name = nxg.nodes[node].get("label_ja") or node
    edges = [{"from": r.source, "to": r.target, "amount": str(r.amount), "stage": r.stage} for r in picture.rows]
    return render_chart_page(title or f"{name}: money flows, FY{picture.year} {picture.kind_name}",
                             figure, notes, [{"id": n} for n in nodes], edges,
                             details="Click a flow or a node to pin its amount and source here.")


def _label_outside_nodes(graph: StiGraph, nxg, nodes: set[str]) -> None:
    """Give the picture's nodes that are not entities of the projection (review-sheet payees) their labels."""
    from stigraph.ontology.vocabulary import entity_iri
    from stigraph.sparql.internal import internal_query

    for node in sorted(n for n in nodes if n not in nxg and "/" in n and ":" not in n):
        labels = graph.select(internal_query("entity-labels"), entity=entity_iri(node))
        ja = next((str(r["l"]) for r in labels if r["lang"] in ("ja", None, "")), None)
        en = next((str(r["l"]) for r in labels if r["lang"] == "en"), None)
        if ja or en:
            nxg.add_node(node, label_ja=ja or en, label_en=en, **{"class": "Organization"})
