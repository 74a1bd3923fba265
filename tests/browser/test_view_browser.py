"""Real-browser checks of `stigraph view` pages: headless system Chromium driven by Playwright, offline.

Needs the Debian package `chromium` and the PyPI package `playwright` (no `playwright install`:
the system browser is used through `executable_path`). Skipped when either is missing, except in
CI (CI=true), where a missing browser is a failure.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from stigraph.builder.operations import build
from tests.browser.viewkit import LEGIBILITY_JS, REGISTRY, XSS_LABELS, cli_group

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = os.environ.get("STIGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "_artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWS = {
    "whole": [],
    "focus": ["--focus", "JST", "--depth", "2"],
    "filtered": ["--class", "Program", "--theme", "ai", "--year", "2021"],
    "summary": ["--max-nodes", "6"],
    "deps": ["--analysis", "deps", "moonshot-goal-3"],
    "overlaps": ["--analysis", "overlaps"],
    "ministries": ["--analysis", "ministries"],
    "chokepoints": ["--analysis", "chokepoints"],
    "focus-mext": ["--focus", "MEXT"],
}
CHARTS = {
    "budget": ["--budget", "moonshot"],
    "flows": ["--flows", "mext", "--year", "2021"],
}


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A persistent context in a new empty profile (so --user-data-dir is fresh), network emulated offline."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists():
        _unavailable("no system chromium (apt-get install -y chromium)")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, args=FLAGS, headless=True,
            offline=True, viewport={"width": 1400, "height": 900}, device_scale_factor=1)
        yield context
        context.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Each view variant written by the CLI, with the node count the CLI reported."""
    folder = tmp_path_factory.mktemp("views")
    store = folder / "store"
    build(store, registry=[REGISTRY], include_derived=False)
    written = {}
    for name, args in VIEWS.items():
        out = folder / f"{name}.html"
        result = CliRunner().invoke(cli_group(), ["view", "--store", str(store), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        written[name] = (out, int(re.match(r"wrote .+: (\d+) nodes", result.output).group(1)))
    for name, args in CHARTS.items():
        out = folder / f"{name}.html"
        result = CliRunner().invoke(cli_group(), ["view", "--store", str(store), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        written[name] = (out, int(re.search(r"(\d+) (?:nodes|series)", result.output).group(1)))
    return written


def open_page(browser, path: Path):
    """Open a file:// page; every non-file request is aborted and recorded, as are console errors and dialogs."""
    page = browser.new_page()
    events = {"errors": [], "dialogs": [], "requests": []}
    page.on("console", lambda m: events["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: events["errors"].append(str(e)))
    page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.route(re.compile(r"^(?!file:|data:|about:).*"), lambda route: route.abort())
    page.goto(path.as_uri())
    page.wait_for_function("window.stigraph && window.stigraph.rendered === true", timeout=30_000)
    return page, events


def clean_and_shot(page, events: dict, png: str) -> None:
    """No console error, no dialog, no request outside the file; then a screenshot into tests/_artifacts."""
    assert events["errors"] == [] and events["dialogs"] == []
    assert [u for u in events["requests"] if not u.startswith(("file:", "data:"))] == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / png))


PAINTED_PIXELS = """() => {
  const canvas = document.querySelector('#network canvas');
  const ctx = canvas.getContext('2d');
  const {data} = ctx.getImageData(0, 0, canvas.width, canvas.height);
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) painted++; }
  return painted;
}"""


@pytest.mark.parametrize("name", list(VIEWS))
def test_page_renders_offline_with_the_reported_nodes_and_no_error(browser, pages, name):
    path, reported = pages[name]
    page, events = open_page(browser, path)
    try:
        assert page.evaluate("window.stigraph.nodes.length") == reported
        assert page.evaluate(PAINTED_PIXELS) > 500                     # the network was drawn on the canvas
        clean_and_shot(page, events, f"view-{name}.png")
    finally:
        page.close()


def test_xss_labels_stay_text_in_canvas_tooltip_search_and_details(browser, pages):
    page, events = open_page(browser, pages["whole"][0])
    try:
        injected = "document.querySelectorAll('img, svg, iframe, object, embed').length"
        scripts_before = page.evaluate("document.scripts.length")
        # Hover the probe node: vis shows its title as a tooltip (innerText, so it stays text).
        point = page.evaluate("""() => {
          const net = window.stigraph.network; const p = net.getPositions(['xss-probe'])['xss-probe'];
          const dom = net.canvasToDOM(p); const box = document.querySelector('#network').getBoundingClientRect();
          return {x: box.left + dom.x, y: box.top + dom.y};
        }""")
        page.mouse.move(point["x"], point["y"])
        page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
        tooltip = page.inner_text("div.vis-tooltip")
        assert XSS_LABELS[0] in tooltip and XSS_LABELS[1] in tooltip
        # The search box finds it by its label and pins the details as text.
        page.fill("#search", XSS_LABELS[0])
        page.press("#search", "Enter")
        assert page.evaluate("window.stigraph.network.getSelectedNodes()") == ["xss-probe"]
        assert XSS_LABELS[1] in page.inner_text("#details")
        assert page.evaluate("document.querySelectorAll('#node-names option').length") == pages["whole"][1]
        page.wait_for_timeout(300)
        assert page.evaluate(injected) == 0 and page.evaluate("document.scripts.length") == scripts_before == 3
        assert events["dialogs"] == [] and events["errors"] == []
    finally:
        page.close()


def test_search_focuses_a_node_by_abbreviation(browser, pages):
    page, _events = open_page(browser, pages["whole"][0])
    try:
        page.fill("#search", "JST")
        page.press("#search", "Enter")
        assert page.evaluate("window.stigraph.network.getSelectedNodes()") == ["jst"]
        assert "科学技術振興機構" in page.inner_text("#details")
        page.fill("#search", "zzz-not-there")
        page.press("#search", "Enter")
        assert page.inner_text("#search-status") == "no match"
    finally:
        page.close()


def test_summary_page_says_it_is_a_summary(browser, pages):
    page, _events = open_page(browser, pages["summary"][0])
    try:
        assert "more than 6" in page.inner_text("#notes")
    finally:
        page.close()


CHART_DRAWN = """() => document.querySelectorAll('#chart svg.main-svg').length > 0 &&
  document.querySelectorAll('#chart .sankey-link, #chart .bars .point').length"""


@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_page_renders_offline_with_no_error(browser, pages, name):
    path, reported = pages[name]
    page, events = open_page(browser, path)
    try:
        assert page.evaluate(CHART_DRAWN) >= 1                            # bars or Sankey links were drawn
        assert page.evaluate("window.stigraph.nodes.length") == reported > 0
        if name == "flows":
            assert page.evaluate(CHART_DRAWN) == page.evaluate("window.stigraph.edges.length") == 6
        clean_and_shot(page, events, f"view-{name}.png")
    finally:
        page.close()


def test_xss_labels_stay_text_in_the_sankey_and_its_hover(browser, pages):
    page, events = open_page(browser, pages["flows"][0])
    try:
        labels = page.evaluate("Array.from(document.querySelectorAll('#chart .node-label')).map(t => t.textContent)")
        assert any(label.startswith("<img src=x onerror=") for label in labels)   # shown as written
        box = page.evaluate("""() => { const r = Array.from(document.querySelectorAll('#chart .node-label'))
          .find(t => t.textContent.startsWith('<img')).closest('.sankey-node').querySelector('.node-rect')
          .getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; }""")
        page.mouse.move(box["x"], box["y"])
        page.wait_for_selector("#chart .hoverlayer .hovertext", timeout=5_000)
        hover = page.evaluate("document.querySelector('#chart .hoverlayer').textContent")
        assert "<img src=x onerror=alert(2)>" in hover
        page.mouse.click(box["x"], box["y"])
        page.wait_for_timeout(300)
        assert "<img src=x onerror=alert(2)>" in page.inner_text("#details")
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
        assert page.evaluate("document.querySelectorAll('[onerror], [onload]').length") == 0
        assert events["dialogs"] == [] and events["errors"] == []
    finally:
        page.close()


def test_xss_labels_stay_text_in_the_overlap_list(browser, pages):
    page, events = open_page(browser, pages["overlaps"][0])
    try:
        listed = page.inner_text("#pairs")
        assert "<img src=x onerror=alert(2)>事業" in listed
        page.click("#pairs li[data-rank]")
        assert "score" in page.inner_text("#details")
        page.select_option("#f-kind", "stated")
        assert page.inner_text("#pair-count").endswith("pairs")
        assert page.evaluate("document.querySelectorAll('img, svg, iframe').length") == 0
        assert events["dialogs"] == [] and events["errors"] == []
    finally:
        page.close()


def test_a_count_node_expands_on_click(browser, pages):
    page, events = open_page(browser, pages["focus-mext"][0])
    try:
        before = page.evaluate("window.stigraph.nodes.length")
        group = page.evaluate("window.stigraph.nodes.get().find(n => n.group_key)")
        assert group and group["label"] == "4 measures"
        point = page.evaluate("""(id) => { const net = window.stigraph.network; const p = net.getPositions([id])[id];
          const d = net.canvasToDOM(p); const box = document.querySelector('#network').getBoundingClientRect();
          return {x: box.left + d.x, y: box.top + d.y}; }""", group["id"])
        page.mouse.click(point["x"], point["y"])
        page.wait_for_function(f"window.stigraph.nodes.length === {before - 1 + 4}", timeout=5_000)
        assert page.evaluate(f"window.stigraph.nodes.get('{group['id']}')") is None
        assert events["errors"] == []
    finally:
        page.close()


BUNDLED_NETWORKS = {"default": [], "overlaps": ["--analysis", "overlaps"], "focus-jst": ["--focus", "jst"],
                    "ministries": ["--analysis", "ministries"]}
BUNDLED_CHARTS = {"budget-kakenhi": ["--budget", "kakenhi"], "flows-mext": ["--flows", "mext"]}
LEGIBLE_SHARE = 0.8


@pytest.fixture(scope="module")
def bundled_pages(tmp_path_factory):
    """The bundled graph's views, written by the CLI (skipped while the registry does not load)."""
    folder = tmp_path_factory.mktemp("bundled")
    try:
        build(folder / "store", include_derived=True)
    except Exception as exc:  # noqa: BLE001 - the bundled registry is curated concurrently
        pytest.skip(f"the bundled graph does not build yet: {exc}")
    written = {}
    for name, args in {**BUNDLED_NETWORKS, **BUNDLED_CHARTS}.items():
        out = folder / f"{name}.html"
        result = CliRunner().invoke(cli_group(), ["view", "--store", str(folder / "store"), "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        written[name] = (out, int(re.search(r"(\d+) (?:nodes|series)", result.output).group(1)))
    return written


@pytest.mark.parametrize("name", list(BUNDLED_NETWORKS))
def test_bundled_graph_views_render(browser, bundled_pages, name):
    """Also writes the README screenshots' sources: tests/_artifacts/bundled-*.png (copied to docs/img/)."""
    path, reported = bundled_pages[name]
    page, events = open_page(browser, path)
    try:
        assert page.evaluate("window.stigraph.nodes.length") == reported
        assert page.evaluate(PAINTED_PIXELS) > 500
        clean_and_shot(page, events, f"bundled-{name}.png")
    finally:
        page.close()


@pytest.mark.parametrize("name", ["focus-jst", "overlaps", "ministries"])
def test_bundled_views_are_legible_at_first_fit(browser, bundled_pages, name):
    """At 1400x900, at least 80% of the nodes' labels are drawn at 9 px or more after the page's first fit."""
    page, _events = open_page(browser, bundled_pages[name][0])
    try:
        page.wait_for_timeout(200)
        measured = page.evaluate(LEGIBILITY_JS)
        assert measured["total"] >= 10
        assert measured["legible"] >= LEGIBLE_SHARE * measured["total"], measured
    finally:
        page.close()


@pytest.mark.parametrize("name", list(BUNDLED_CHARTS))
def test_bundled_money_pages_render(browser, bundled_pages, name):
    path, reported = bundled_pages[name]
    page, events = open_page(browser, path)
    try:
        assert page.evaluate(CHART_DRAWN) >= 1
        assert events["errors"] == [] and events["dialogs"] == []
        assert [u for u in events["requests"] if not u.startswith(("file:", "data:"))] == []
        if name.startswith("flows"):
            # Every flow ends at labelled nodes, and every node label carries its amount.
            labels = page.evaluate("Array.from(document.querySelectorAll('#chart .node-label')).map(t => t.textContent)")
            links = page.evaluate("document.querySelectorAll('#chart .sankey-link').length")
            assert labels and all(label.endswith("億円") for label in labels)
            assert links == page.evaluate("window.stigraph.edges.length") >= 10
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"bundled-{name}.png"))
    finally:
        page.close()
