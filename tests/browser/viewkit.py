"""Shared helpers of the view tests: the view fixture registry, a CLI group with the new `view`, HTML checks."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from functools import lru_cache
from pathlib import Path

REGISTRY = Path(__file__).resolve().parent / "registry_view"
XSS_LABELS = ("<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", '"><svg onload=alert(1)>')
# Places where a page makes the browser load something: attributes, CSS url()/@import, JS import,
# fetch/XHR/WebSocket/EventSource/Worker, source maps. A target is external when it has an authority
# (`scheme://host` or `//host`).
_REFERENCE = re.compile(
    r"""(?:\b(?:src|href|action|poster|srcset|data|xlink:href)\s*[=:]\s*["']?|url\(\s*["']?|@import\s+["']?|"""
    r"""\bimport\s*\(?\s*["']|\b(?:fetch|WebSocket|EventSource|Worker|sendBeacon)\s*\(\s*["']|"""
    r"""\.open\(\s*["'][A-Z]+["']\s*,\s*["']|sourceMappingURL=)(?P<target>[^"'\s)>]*)""", re.I)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


@lru_cache(maxsize=1)
def fixture_graph():
    from stigraph.builder.inputs import collect_quads
    from stigraph.sparql.graph import StiGraph

    return StiGraph.from_nquads(list(collect_quads([REGISTRY], include_derived=False)))


def cli_group():
    """The stigraph CLI group with this package's `view` command (before and after the lead registers it)."""
    from stigraph.cli.main import StigraphGroup, cli
    from stigraph.cli.view_cmd import view_command

    return StigraphGroup(name="stigraph", commands={**cli.commands, "view": view_command})


def external_references(html: str) -> list[str]:
    """Targets of src/href/url()/import/fetch/sourceMappingURL references that point outside the file."""
    return [m.group("target") for m in _REFERENCE.finditer(html) if _EXTERNAL.match(m.group("target").strip())]


def loading_attributes(html: str) -> list[tuple[str, str, str]]:
    """(tag, attribute, value) of every attribute that makes a browser load something (src, href, url() in style …)."""
    found: list[tuple[str, str, str]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if name in ("src", "href", "srcset", "action", "poster", "data", "xlink:href", "background") or (
                        name == "style" and "url(" in (value or "")):
                    found.append((tag, name, value or ""))

    Collector().feed(html)
    return found


def urls_outside_namespaces(html: str) -> list[str]:
    """Every http(s) URL in the file except the SVG namespace (an identifier the browser never fetches)."""
    return [u for u in re.findall(r"https?://[^\s\"'<>)]+", html) if u != SVG_NAMESPACE]


# A label is legible when its font size times the network's scale (after the first fit) is at least 9 px:
# the measure issue 16 sets. Hidden nodes (filtered out) do not count; a node without a label is not legible.
LEGIBILITY_JS = """() => {
  const net = window.stigraph.network; const scale = net.getScale();
  let total = 0, legible = 0;
  for (const id of window.stigraph.nodes.getIds()) {
    const node = net.body.nodes[id];
    if (!node || node.options.hidden) { continue; }
    total += 1;
    if (node.options.label && node.options.font.size * scale >= 9) { legible += 1; }
  }
  return {total: total, legible: legible, scale: scale};
}"""
MIN_LEGIBLE_PX = 9
