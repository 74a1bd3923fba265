"""Chart pages: a plotly figure in one self-contained HTML file (plotly.js inlined from the Python package).

Texts from documents reach plotly only through `plain`: plotly reads a small HTML subset in every
label and hover text (<b>, <br>, <a href>), so `<` `>` `&` `"` are written as entities, which plotly
shows as the characters themselves. The figure goes into the page as JSON through Jinja's `tojson`
(which escapes < > & '), so no label can end the <script> element it sits in.
"""
from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path

from stigraph.views.page import CJK_FONTS, ViewResult, environment

# Plotly's "config": no link to plotly's cloud, no logo; the download button saves a PNG locally.
PLOTLY_CONFIG = {"displaylogo": False, "showLink": False, "showSendToCloud": False, "showEditInChartStudio": False,
                 "responsive": True, "toImageButtonOptions": {"format": "png", "scale": 2}}


def plain(text: object) -> str:
    """Text for a plotly label or hover text: shown as written, never read as markup.

    >>> plain('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(str(text), quote=True)


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.js as shipped in the plotly Python package (read once per process).

    >>> "Plotly" in plotly_js()[:2000]
    True
    """
    import plotly

    path = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
    code = path.read_text(encoding="utf-8")
    if "</script" in code.lower() or "<!--" in code:
        raise RuntimeError(f"{path} cannot be inlined in a <script> element")
    return code


def render_chart_page(title: str, figure, notes: list[str], nodes: list, edges: list,
                      details: str = "") -> ViewResult:
    """A page showing `figure` (a plotly Figure); `nodes`/`edges` summarise it for `window.stigraph`.

    >>> import plotly.graph_objects as go
    >>> page = render_chart_page("<t>", go.Figure(go.Bar(x=[1], y=[2])), ["a note"], ["n"], [])
    >>> "&lt;t&gt;" in page.html and page.nodes == 1
    True
    """
    figure.update_layout(font={"family": CJK_FONTS.replace('"', "")}, autosize=True)
    spec = json.loads(figure.to_json())
    html_page = environment().get_template("chart.html.j2").render(
        title=title, notes=notes, fonts=CJK_FONTS, details=details,
        data={"figure": {"data": spec["data"], "layout": spec["layout"]}, "config": PLOTLY_CONFIG,
              "nodes": nodes, "edges": edges},
        plotly_js=plotly_js())
    return ViewResult(html=html_page, nodes=len(nodes), edges=len(edges), note=" ".join(notes), notes=list(notes))
