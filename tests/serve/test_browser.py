"""The browser view of `vnkg serve` in headless Chromium (Debian's, driven by Playwright).

Usage: python3 tests/serve/test_browser.py BIN OUTDIR
  BIN: the vnkg binary; OUTDIR: where the screenshots go (serve-query.png, serve-entity.png).
The store is built from examples/. The page may reach nothing but the server: any other
request is refused and fails the test. Checks that picking a canned query and pressing Run
fills the table with the rows the endpoint gives for that query, and that an entity page,
reached through the search box, shows its facts with the mention highlighted and draws its
neighbourhood graph.
"""

import json
import os
import sys
import tempfile
import urllib.parse
import urllib.request

from playwright.sync_api import sync_playwright

sys.path.insert(0, os.path.dirname(__file__))
from server import Server, build_store  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def check(cond, message):
    if not cond:
        raise AssertionError(message)
    print(f"ok: {message}")


def endpoint_rows(server, query_text):
    """The rows the endpoint itself gives, as lists of plain values."""
    body = urllib.parse.urlencode({"query": query_text}).encode()
    req = urllib.request.Request(server.endpoint, data=body, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        js = json.loads(r.read())
    names = js["head"]["vars"]
    return [[b.get(v, {}).get("value", "") for v in names] for b in js["results"]["bindings"]]


def main(binary, outdir):
    os.makedirs(outdir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = build_store(binary, [os.path.join(ROOT, "examples")], os.path.join(tmp, "store"))
        with Server(binary, store) as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            outside = []

            def only_the_server(route):
                if route.request.url.startswith(server.url + "/"):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", only_the_server)
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))

            # the query editor: pick a canned query, run it
            page.goto(server.url + "/")
            page.wait_for_selector("#canned option[value='officials.rq']", state="attached")
            page.select_option("#canned", "officials.rq")
            with open(os.path.join(ROOT, "queries", "officials.rq"), encoding="utf-8") as f:
                officials = f.read()
            check(page.input_value("#query") == officials, "picking officials.rq puts its text in the editor")
            page.click("#run")
            page.wait_for_selector("table.results")
            cells = page.eval_on_selector_all(
                "table.results tbody tr", "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent))")
            expected = endpoint_rows(server, officials)
            check(len(cells) == len(expected) and len(cells) >= 12,
                  f"the table holds the {len(expected)} rows the endpoint gives ({len(cells)} shown)")
            check([c[:3] for c in cells] == [e[:3] for e in expected], "row by row, the same persons, titles and bodies")
            check(any(c[:3] == ["Phạm Văn Lộc", "Thứ trưởng", "Bộ Y tế"] for c in cells),
                  "the deputy minister's row is there")
            status = page.text_content("#status")
            check(f"{len(expected)} rows" in status, f"the status line counts the rows: {status!r}")
            href = page.get_attribute("#dl-1", "href")
            check(href.startswith("/sparql?query=") and href.endswith("&format=csv"), "the CSV download link asks the endpoint for CSV")
            page.screenshot(path=os.path.join(outdir, "serve-query.png"), full_page=True)

            # an entity page, through the search box
            page.fill("header .search input", "Phạm Văn Lộc")
            page.press("header .search input", "Enter")
            page.wait_for_selector("h1")
            check(page.text_content("h1") == "Phạm Văn Lộc", "the search box leads to the person's page")
            marks = page.eval_on_selector_all("blockquote.sentence mark", "ms => ms.map(m => m.textContent)")
            check(len(marks) > 0 and all("Lộc" in m for m in marks), f"the sentences highlight the mention: {marks[:3]}")
            page.wait_for_function(
                "() => { const g = document.querySelector('#graph'); return g && (g.getAttribute('data-vnkg-ready') || g.textContent.startsWith('no graph')); }",
                timeout=15000)
            nodes = page.get_attribute("#graph", "data-vnkg-nodes")
            check(nodes is not None and int(nodes) >= 2, f"the neighbourhood graph is drawn ({nodes} nodes)")
            page.screenshot(path=os.path.join(outdir, "serve-entity.png"), full_page=True)

            check(not outside, f"the pages asked for nothing outside the server {outside}")
            check(not errors, f"no JavaScript errors {errors}")
            browser.close()
    print(f"screenshots in {outdir}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]))
