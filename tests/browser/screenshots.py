"""Write the README's view screenshots and print what the browser measures on each page.

    python3 -m tests.browser.screenshots                 # bundled graph -> docs/img/view-*.png
    python3 -m tests.browser.screenshots --out /tmp/img  # somewhere else

Each view is written by the CLI into a fresh store of the bundled graph, opened in headless system
Chromium at 1400x900 with every non-file request aborted, and after the first fit it prints: nodes,
labels legible (font size x scale >= 9 px), console errors and network requests.
"""
from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from click.testing import CliRunner

from stigraph.builder.operations import build
from tests.browser.test_view_browser import CHROMIUM, FLAGS
from tests.browser.viewkit import LEGIBILITY_JS, cli_group

ROOT = Path(__file__).resolve().parents[2]
SHOTS = {
    "view-focus-jst": ["--focus", "jst"],
    "view-overlaps": ["--analysis", "overlaps"],
    "view-ministries": ["--analysis", "ministries"],
    "view-deps-moonshot": ["--analysis", "deps", "moonshot"],
    "view-budget": ["--budget", "mext-fy2021-sti-with-society"],
    "view-flows-mext": ["--flows", "mext"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        store = Path(tmp) / "store"
        build(store, include_derived=True)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        for name, view_args in SHOTS.items():
            html = Path(tmp) / f"{name}.html"
            result = CliRunner().invoke(cli_group(), ["view", "--store", str(store), "-o", str(html), *view_args])
            if result.exit_code:
                raise SystemExit(result.output)
            page = browser.new_page(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
            errors, requests = [], []
            page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
            page.on("request", lambda r, requests=requests: requests.append(r.url))
            page.route(re.compile(r"^(?!file:|data:|about:).*"), lambda route: route.abort())
            page.goto(html.as_uri())
            page.wait_for_function("window.stigraph && window.stigraph.rendered === true", timeout=30_000)
            page.wait_for_timeout(400)
            network = page.evaluate("window.stigraph.network !== null")
            measured = page.evaluate(LEGIBILITY_JS) if network else None
            outside = [u for u in requests if not u.startswith(("file:", "data:"))]
            what = (f"{measured['legible']}/{measured['total']} labels legible (scale {measured['scale']:.2f})"
                    if measured else f"chart: {page.evaluate('window.stigraph.nodes.length')} nodes, "
                                     f"{page.evaluate('window.stigraph.edges.length')} flows")
            print(f"{name:22s} {' '.join(view_args):45s} {what}; console errors {len(errors)}; "
                  f"network requests {len(outside)}")
            page.screenshot(path=str(args.out / f"{name}.png"))
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
