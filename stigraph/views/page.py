"""The HTML page: our Jinja template (autoescape on) with pyvis's bundled vis-network inlined.

pyvis's own templates load bootstrap and vis from CDNs and write some fields unescaped
(DESIGN §7), so the page is ours. The only thing taken from pyvis is its bundled
`vis-network.min.js`, inlined after removing the URLs that are not functional (licence
comment, core-js metadata strings, an error message, the source-map comment); the SVG namespace stays because
`document.createElementNS` needs it and the browser never fetches it.
"""
from __future__ import annotations

import html as html_mod
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
import pyvis

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
VIS_JS_PATH = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
# XML namespace names are identifiers, not resources: the browser never fetches them.
XML_NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink", "http://www.w3.org/1999/xhtml")
VIS_NOTICE = ("/* vis-network 9.1.2 (bundled with pyvis 0.3.2). (c) 2011-2017 Almende B.V., (c) 2017-2019 visjs "
              "contributors. Dual licensed under Apache-2.0 and MIT. stigraph removed the URLs of the licence "
              "comment and of non-functional strings when inlining it. */\n")
# Japanese-capable font families first (Debian/Ubuntu: fonts-noto-cjk; macOS: Hiragino; Windows: Yu Gothic,
# Meiryo): without one, every Japanese label is a row of boxes. Used by the page CSS and the canvas labels.
CJK_FONTS = ('"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Yu Gothic", '
             '"Meiryo", sans-serif')
_URL = re.compile(r"https?://[^\s\"'`)<>]*")


@dataclass
class ViewResult:
    """A rendered view: the HTML page and how many nodes/edges its network shows.

    >>> ViewResult(html="<html></html>", nodes=0, edges=0).nodes
    0
    """

    html: str
    nodes: int
    edges: int
    note: str = ""
    notes: list[str] = field(default_factory=list)

    def _repr_html_(self) -> str:
        """Jupyter shows the page inline in a sandboxed iframe (scripts only, no same-origin access)."""
        return iframe_html(self.html)

    def write(self, path: str | Path) -> Path:
        """Write the page as UTF-8 (atomically) and return the path."""
        from stigraph.outputs import write_atomic

        write_atomic(Path(path), self.html)
        return Path(path)

    def iframe(self, height: int = 640):
        """An `IPython.display.HTML` object showing the page in a sandboxed iframe (for notebooks)."""
        from IPython.display import HTML  # optional dependency: only notebooks need it

        return HTML(iframe_html(self.html, height))


def iframe_html(page: str, height: int = 640) -> str:
    """The page wrapped in `<iframe srcdoc=...>` with scripts allowed and no same-origin access.

    >>> iframe_html("<p>x</p>", 300).startswith('<iframe srcdoc="&lt;p&gt;x&lt;/p&gt;"')
    True
    """
    return (f'<iframe srcdoc="{html_mod.escape(page, quote=True)}" style="width:100%;height:{int(height)}px;border:0" '
            'sandbox="allow-scripts"></iframe>')


def strip_nonfunctional_urls(js: str) -> str:
    """vis-network's code without its leading licence comment and with every non-namespace URL unlinked.

    The leading comment is replaced by a short notice naming the copyright holders and licences;
    other URLs (core-js metadata, an error message) lose their scheme, which changes no behaviour.

    >>> strip_nonfunctional_urls('/** see https://x.org */ a("http://www.w3.org/2000/svg","https://e.org/y")')
    'a("http://www.w3.org/2000/svg","e.org/y")'
    """
    body = js.lstrip()
    if body.startswith("/*"):
        body = body[body.index("*/") + 2:].lstrip()
    # A source-map comment makes developer tools request a file that is not there.
    body = re.sub(r"\n?//# sourceMappingURL=\S*\s*$", "\n", body)
    return _URL.sub(lambda m: m.group(0) if m.group(0) in XML_NAMESPACES else m.group(0).split("://", 1)[1], body)


@lru_cache(maxsize=1)
def vis_js() -> str:
    """The inlined vis-network code (read once per process)."""
    code = strip_nonfunctional_urls(VIS_JS_PATH.read_text(encoding="utf-8"))
    if "</script" in code.lower() or "<!--" in code:
        raise RuntimeError(f"{VIS_JS_PATH} cannot be inlined in a <script> element")
    return VIS_NOTICE + code


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The page templates' Jinja environment: autoescape on, `tojson` safe inside <script> elements."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)), autoescape=True,
                             keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    # tojson escapes < > & ' as \u00XX, so no label can close the <script> element it sits in.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
    return env


def render_page(title: str, nodes: list[dict], edges: list[dict], options: dict, legend: dict,
                notes: list[str], template: str = "network.html.j2", groups: dict | None = None,
                **extra) -> str:
    """Fill a page template; every text goes through autoescape or `tojson`.

    `groups` maps a count node's id to the vis nodes and edges it expands to; `extra` goes to the
    template as is (e.g. the overlap list of the overlap page, always rendered through `tojson`).

    >>> "&lt;b&gt;" in render_page("<b>", [], [], {}, {"classes": [], "predicates": [], "size": "", "extra": []}, [])
    True
    """
    data = {"nodes": nodes, "edges": edges, "options": options}
    if groups:
        data["groups"] = groups
    return environment().get_template(template).render(
        title=title, node_count=len(nodes), edge_count=len(edges), notes=notes, legend=legend, fonts=CJK_FONTS,
        search=[{"id": n["id"], "label": str(n.get("title") or n["label"]).split("\n", 1)[0]} for n in nodes],
        data=data, vis_js=vis_js(), **extra)
