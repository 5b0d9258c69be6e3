"""The built portal in headless Chromium (Debian's), driven by Playwright."""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")


def build(target: Path, **env) -> Path:
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(target)],
                          cwd=ROOT, capture_output=True, text=True, env={**ENV, **env})
    assert done.returncode == 0, done.stdout + done.stderr
    return target


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    site = build(tmp_path_factory.mktemp("browser") / "site", SITE_URL="http://127.0.0.1/")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


def type_query(page, query: str) -> None:
    """Type a query as a reader would, and type again if it went in while Material was still
    building the index (it drops a query typed before its search worker is ready)."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    field = page.locator("input.md-search__input")
    field.fill(query)
    for _ in range(30):
        if page.locator(".md-search-result__item").count():
            return
        page.wait_for_timeout(1000)
        field.press("End")
        field.type(" ")
        field.press("Backspace")
    raise AssertionError(f"no search result for {query!r}: " + page.locator(".md-search-result__meta").inner_text())


def search(page, base: str, query: str) -> list[str]:
    page.goto(base)
    type_query(page, query)
    return [a.get_attribute("href") for a in page.locator(".md-search-result__item > a").all()]


def test_search_queue_depth_lands_on_the_runbook(page, server):
    hrefs = search(page, server, "queue depth")
    assert "runbooks/high-queue-depth/" in hrefs[0]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-result.png"))
    page.locator(".md-search-result__item > a").first.click()
    page.wait_for_url("**/runbooks/high-queue-depth/**")
    assert page.locator("h1").first.inner_text().startswith("High Queue Depth")


def test_search_finds_the_tenant_setting(page, server):
    hrefs = search(page, server, "app.current_tenant_id")
    assert hrefs, "no result for app.current_tenant_id"
    text = page.locator(".md-search-result").inner_text().lower()
    assert "tenant" in text


def test_last_updated_and_next_review_are_visible(page, server):
    page.goto(server + "runbooks/high-queue-depth/")
    last = page.locator('[data-portal="last-updated"]')
    assert last.is_visible()
    assert "Last Updated:" in last.inner_text()
    assert page.locator('[data-portal="next-review"]').is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "runbook.png"), full_page=False)


def test_home_page_and_tabs(page, server):
    page.goto(server)
    tabs = [t.strip() for t in page.locator(".md-tabs__link").all_inner_texts()]
    assert tabs[:5] == ["Home", "Support", "Runbooks", "Operations", "Metrics"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"))


def test_deep_link_lands_on_heading(page, server):
    page.goto(server + "support/incident-response-playbook/#escalation-matrix")
    heading = page.locator("#escalation-matrix")
    assert heading.is_visible()
    assert heading.evaluate("el => el.getBoundingClientRect().top") < 200


def test_mermaid_renders_as_svg_without_the_network(page, server):
    # Material renders each diagram into a closed shadow root; opening it lets the test see the SVG.
    page.add_init_script("""const attach = Element.prototype.attachShadow;
        Element.prototype.attachShadow = function (init) { return attach.call(this, {...init, mode: "open"}); };""")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + "runbooks/high-queue-depth/")
    page.wait_for_selector("div.mermaid svg", timeout=20000)
    assert page.locator("div.mermaid svg").first.bounding_box()["height"] > 50
    assert all(url.startswith(server) or url.startswith("data:") for url in requests), requests


def test_offline_build_searches_and_navigates_from_disk(browser, tmp_path):
    site = build(tmp_path / "offline", OFFLINE="true")
    context = browser.new_context()
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    type_query(page, "queue depth")
    first = page.locator(".md-search-result__item > a").first
    assert "high-queue-depth" in first.get_attribute("href")
    first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and "high-queue-depth" in page.url
    assert page.locator("h1").first.inner_text().startswith("High Queue Depth")
    context.close()
