"""Plotly figures of the money: an entity's budget by fiscal year and kind, and a Sankey of its flows.

No figure is summed here except the flows into and out of a Sankey node (what a Sankey is), and
those rows never contain one another (`stigraph.views.money.flows`). Kinds of one family (initial,
draft and request: the annual budget, compared year on year in the documents themselves) share a
panel, each bar saying its kind; supplementary budgets, fund sizes, total project costs, targets
and actual figures get panels of their own.
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx

from stigraph.views.labels import caption
from stigraph.views.money.figures import Figure, exact_yen, oku
from stigraph.views.money.flows import JOINT, OTHER_PAYEES, OTHERS, SELF, UNRECORDED, FlowPicture, members_of
from stigraph.views.money.page import plain

# Kinds that share a panel: the annual budget's stages, compared year on year in the documents themselves.
FAMILIES = {"initial": "annual", "draft": "annual", "request": "annual", "supplementary": "supplementary",
            "fund_size": "fund_size", "total_cost": "total_cost", "target": "target", "actual": "actual"}
FAMILY_TITLES = {"annual": "年度予算 annual budget (当初 initial · 案 draft · 要求 request)",
                 "supplementary": "補正予算 supplementary budget", "fund_size": "基金規模 fund size",
                 "total_cost": "総事業費 total project cost", "target": "目標額 target", "actual": "実績 actual"}
KIND_SHORT = {"initial": "当初", "draft": "案", "request": "要求", "supplementary": "補正", "fund_size": "基金",
              "total_cost": "総額", "target": "目標", "actual": "実績", "current": "現額", "executed": "執行"}
SERIES_COLORS = ("#1f4e79", "#2ca02c", "#ff7f0e", "#9467bd", "#17becf", "#d62728", "#8c564b", "#e377c2", "#bcbd22",
                 "#7f7f7f")
STAGE_COLORS = {"payer": "#d62728", "line": "#2ca02c", "payee": "#1f77b4", "joint": "#9467bd", OTHERS: "#bbbbbb"}


def _name(nxg: nx.MultiDiGraph, node: str) -> tuple[str, str]:
    """(caption, full ja / en name) of an entity, a joint node, the others band or a runner placeholder."""
    if node == OTHERS:
        return "その他 (others)", "smaller budget lines, summed"
    if node == OTHER_PAYEES:
        return "その他の支出先 (other payees)", "the smaller payees of the review-sheet projects, summed"
    if node == UNRECORDED:
        return "実施主体の記録なし (no runner recorded)", "the graph records no body that runs these lines"
    if node.startswith(SELF):
        short, full = _name(nxg, node[len(SELF):])
        return f"{short} (runs it itself)", f"run by the ministry itself: {full}"
    if node.startswith(JOINT):
        parts = [_name(nxg, m) for m in members_of(node)]
        return "・".join(p[0] for p in parts) + " (joint)", "jointly: " + "; ".join(p[1] for p in parts)
    data = nxg.nodes[node] if node in nxg else {"id": node}
    full = " / ".join(str(x) for x in (data.get("label_ja"), data.get("label_en")) if x) or node
    return caption(data, "ja"), f"{full} [{node}]"


def _hover(lines: list[str]) -> list[str]:
    """customdata for one item: [hover text for plotly (escaped, <br> between lines), plain text]."""
    return ["<br>".join(plain(line) for line in lines), "\n".join(lines)]


def _figure_lines(label: str, figure: Figure) -> list[str]:
    lines = [label, f"{figure.period} {figure.kind_name}: {exact_yen(figure.amount)} ({oku(figure.amount)})"]
    if len(figure.entries) > 1:
        lines.append(f"the sum of {len(figure.entries)} entries: "
                     + ", ".join(f"{exact_yen(e.amount)} ({e.entry.rsplit('/id/', 1)[-1]})" for e in figure.entries[:4]))
    else:
        lines.append(f"entry: {figure.entries[0].entry.rsplit('/id/', 1)[-1]}")
    lines += [f"source: {s}" for s in figure.sources[:4]] or ["source: not recorded"]
    if figure.included:
        lines.append("内数: included in another budget line (never added to a total)")
    for part in figure.parts[:4]:
        lines.append(f"of which (a breakdown item, not added): {exact_yen(part.amount)} "
                     f"({part.entry.rsplit('/id/', 1)[-1]}; {'; '.join(part.sources[:1])})")
    if len(figure.parts) > 4:
        lines.append(f"… and {len(figure.parts) - 4} more breakdown items")
    return lines


def budget_figure(nxg: nx.MultiDiGraph, entity: str, series: list[tuple[str, list[Figure]]]):
    """Bars by fiscal year: one panel per kind family, one colour per series (the entity, then its parts).

    `series` is [(entity id, its figures)], the entity first. Bars of a year stand side by side, never stacked.

    >>> from decimal import Decimal
    >>> from stigraph.sparql.budget import Figure as Entry
    >>> e = Entry("budget/p/2024", "p", 2024, 2024, "initial", Decimal("2500000000"), sources=("a.txt:3",))
    >>> f = Figure("p", 2024, 2024, "initial", e.amount, [e])
    >>> budget_figure(nx.MultiDiGraph(), "p", [("p", [f])]).data[0].y
    (25.0,)
    """
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    families = sorted({FAMILIES.get(f.kind, f.kind) for _n, figs in series for f in figs},
                      key=lambda fam: list(FAMILY_TITLES).index(fam) if fam in FAMILY_TITLES else 99)
    years = sorted({f.fiscal_year for _n, figs in series for f in figs})
    # The annual panel (the comparable series) gets most of the height; each other kind a smaller panel.
    weights = [3.0 if fam == "annual" else 1.5 for fam in families]
    fig = make_subplots(rows=len(families), cols=1, shared_xaxes=True, vertical_spacing=0.12 / max(len(families), 1),
                        row_heights=[w / sum(weights) for w in weights],
                        subplot_titles=[plain(FAMILY_TITLES.get(fam, fam)) for fam in families])
    slot = 0.8 / max(len(series), 1)  # every series keeps its own slot in every panel: bars line up by colour
    for index, (node, figures) in enumerate(series):
        short, full = _name(nxg, node)
        color = SERIES_COLORS[index % len(SERIES_COLORS)]
        for row, family in enumerate(families, 1):
            mine = [f for f in figures if FAMILIES.get(f.kind, f.kind) == family]
            if not mine:
                continue
            fig.add_trace(go.Bar(
                x=[f.fiscal_year for f in mine], y=[float(f.amount) / 1e8 for f in mine],
                name=plain(short + (" (this entity)" if index == 0 else " (part)")), legendgroup=node,
                showlegend=row == min(r for r, fam in enumerate(families, 1)
                                      if any(FAMILIES.get(f.kind, f.kind) == fam for f in figures)),
                marker={"color": color, "opacity": [0.55 if f.included else 1.0 for f in mine]},
                width=slot * 0.9, offset=-0.4 + index * slot,
                text=[plain(f"{float(f.amount) / 1e8:,.1f} {KIND_SHORT.get(f.kind, f.kind)}"
                            + (f" ({f.period})" if f.fiscal_year_end != f.fiscal_year else "")) for f in mine],
                textposition="outside", cliponaxis=False,
                customdata=[_hover(_figure_lines(f"{short} — {full}", f)) for f in mine],
                hovertemplate="%{customdata[0]}<extra></extra>"), row=row, col=1)
    for row in range(1, len(families) + 1):
        fig.update_yaxes(title_text="億円", rangemode="tozero", row=row, col=1)
        fig.update_xaxes(tickmode="array", tickvals=years, ticktext=[f"FY{y}" for y in years], row=row, col=1)
    fig.update_layout(barmode="overlay", margin={"l": 70, "r": 20, "t": 40, "b": 40},
                      legend={"orientation": "h", "y": -0.08}, hoverlabel={"align": "left"},
                      uniformtext={"minsize": 10, "mode": "hide"})
    return fig


def _stage_of(node: str, picture: FlowPicture) -> str:
    if node == OTHERS:
        return OTHERS
    if node == UNRECORDED or node.startswith(SELF):
        return "payee"
    if node.startswith(JOINT):
        return "joint"
    if any(r.stage == 1 and r.source == node for r in picture.rows):
        return "payer"
    if any(r.stage == 2 and r.target == node for r in picture.rows):
        return "payee"
    return "line"


def flows_figure(nxg: nx.MultiDiGraph, picture: FlowPicture):
    """A Sankey: payer -> budget line -> body that runs it; every node labelled with its amount in 億円.

    >>> from decimal import Decimal
    >>> from stigraph.views.money.flows import FlowRow
    >>> rows = [FlowRow("m", "p", Decimal(10**9), 2024, "initial", 1), FlowRow("p", "a", Decimal(10**9), 2024, "initial", 2)]
    >>> fig, nodes = flows_figure(nx.MultiDiGraph(), FlowPicture("m", 2024, "initial", rows, 1))
    >>> nodes, fig.data[0].node.label[0]
    (['m', 'p', 'a'], 'm  10.0億円')
    """
    import plotly.graph_objects as go

    nodes: list[str] = []
    for r in picture.rows:
        for end in (r.source, r.target):
            if end not in nodes:
                nodes.append(end)
    inflow: dict[str, float] = defaultdict(float)
    outflow: dict[str, float] = defaultdict(float)
    for r in picture.rows:
        outflow[r.source] += float(r.amount)
        inflow[r.target] += float(r.amount)
    labels, node_data, colors = [], [], []
    for node in nodes:
        short, full = _name(nxg, node)
        total = max(inflow[node], outflow[node])
        labels.append(plain(f"{short}  {total / 1e8:,.1f}億円"))
        lines = [full, f"FY{picture.year} {picture.kind_name}: {int(total):,}円 ({oku(total)})"]
        if inflow[node] and outflow[node] and abs(inflow[node] - outflow[node]) > 0.5:
            lines.append(f"in {oku(inflow[node])}, out {oku(outflow[node])} (the rest is not itemised)")
        node_data.append(_hover(lines))
        colors.append(STAGE_COLORS[_stage_of(node, picture)])
    index = {n: i for i, n in enumerate(nodes)}
    link_data = []
    for r in picture.rows:
        what = "pays for" if r.stage == 1 else "run by"
        lines = [f"{_name(nxg, r.source)[0]} → {_name(nxg, r.target)[0]} ({what})",
                 f"FY{r.year} {picture.kind_name}: {int(r.amount):,}円 ({oku(r.amount)})",
                 f"source: {r.provenance or 'not recorded'}"]
        if r.entries:
            lines.append("entry: " + ", ".join(e.rsplit("/id/", 1)[-1] for e in r.entries[:4])
                         + (f"; found via {r.how}" if r.how else ""))
        if r.stage == 2 and r.entries:
            lines.append("amount = the line's budget figure (not a payment record)")
        link_data.append(_hover(lines))
    fig = go.Figure(go.Sankey(
        arrangement="fixed", valueformat=",.0f",
        node={"label": labels, "color": colors, "pad": 14, "thickness": 16, "customdata": node_data,
              "hovertemplate": "%{customdata[0]}<extra></extra>", "line": {"width": 0}},
        link={"source": [index[r.source] for r in picture.rows], "target": [index[r.target] for r in picture.rows],
              "value": [float(r.amount) for r in picture.rows], "customdata": link_data,
              "hovertemplate": "%{customdata[0]}<extra></extra>",
              "color": ["rgba(120,120,120,0.25)" if OTHERS in (r.source, r.target) else "rgba(31,119,180,0.30)"
                        for r in picture.rows]}))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, font={"size": 13}, hoverlabel={"align": "left"})
    return fig, nodes
