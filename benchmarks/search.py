"""What a reader's browser pays for search: index size and time to the first result.

    python benchmarks/search.py [--pages 1000]

Builds the real tree and a generated tree, serves each on 127.0.0.1, and in Debian's headless
Chromium measures the search index the browser downloads (raw and gzip) and the time from
typing a query to the first result: cold (the first query after the page loads, which
includes fetching the index and building it in Material's search worker) and warm (later
queries). The building blocks (build, serve, launch, query) are shared with the browser tests.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
# Served from the root of a local port, so absolute URLs (404 page, sitemap) resolve there.
LOCAL_SITE_URL = "http://127.0.0.1/"


def build_site(target: Path, config: Path = ROOT / "mkdocs.yml", **env: str) -> Path:
    """A strict build of `config` into `target`; fails with MkDocs' output."""
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(target)],
                          cwd=config.parent, capture_output=True, text=True,
                          env={**ENV, "SITE_URL": LOCAL_SITE_URL, **env})
    if done.returncode != 0:
        raise RuntimeError(f"mkdocs build failed for {config}:\n{done.stdout}{done.stderr}")
    return target


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, and the site's own 404.html with status 404 like a real web server."""

    def log_message(self, *args) -> None:
        pass

    def send_error(self, code, message=None, explain=None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serve(site: Path, port: int = 0):
    """Serve `site` on 127.0.0.1, on ``port`` or a free one; yields the base URL, stops on exit.
    (Material's instant navigation only takes over links whose host and port match the
    sitemap's, so a site built for a given port is served on that port.)"""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(SiteHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextlib.contextmanager
def chromium():
    """Debian's Chromium, headless, through Playwright."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class ResultGroup:
    """One page in Material's result list: the page and the links to its matching sections."""
    page: str
    hrefs: list[str] = field(default_factory=list)

    @property
    def anchors(self) -> set[str]:
        return {urlsplit(href).fragment for href in self.hrefs if urlsplit(href).fragment}


def page_path(href: str, base: str) -> str:
    """'http://127.0.0.1:1234/runbooks/x/#y' -> 'runbooks/x/'."""
    path = urlsplit(href).path
    return path[len(urlsplit(base).path):] if path.startswith(urlsplit(base).path) else path.lstrip("/")


# Runs a query inside the page and resolves when Material has rendered its answer, with the
# time it took: measured in the browser, so Playwright's round trips are not counted.
RUN_QUERY = """async ([query, timeout]) => {
  const input = document.querySelector("input.md-search__input");
  const list = document.querySelector(".md-search-result__list");
  const meta = document.querySelector(".md-search-result__meta");
  list.replaceChildren();
  meta.textContent = "";
  const answered = () => list.children.length > 0 || meta.textContent.trim() !== "";
  const done = new Promise(resolve => {
    const observer = new MutationObserver(() => {
      if (answered()) { observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(list.parentElement, {childList: true, subtree: true, characterData: true});
  });
  const start = performance.now();
  input.value = query;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true}));
  const end = await Promise.race([done, new Promise(r => setTimeout(() => r(null), timeout))]);
  if (end === null) return null;
  const groups = [...list.querySelectorAll(":scope > li.md-search-result__item")].map(li =>
    [...li.querySelectorAll("a.md-search-result__link")].map(a => a.href));
  return {ms: end - start, groups, at: performance.timeOrigin + end};
}"""


def open_search(page, base: str) -> None:
    """Load the home page and open the search dialog."""
    page.goto(base)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.wait_for_selector("input.md-search__input", state="visible")


def wait_until_ready(page, base: str, attempts: int = 30) -> None:
    """Material drops a query typed while its worker still builds the index (the answer is
    "Initializing search"); ask alternating warm-up queries until one has results."""
    for attempt in range(attempts):
        answer = page.evaluate(RUN_QUERY, [("queue", "worker")[attempt % 2], 20000])
        if answer and answer["groups"]:
            return
        page.wait_for_timeout(1000)
    raise TimeoutError("Material's search never became ready")


def run_query(page, base: str, query: str, timeout_s: float = 20) -> tuple[float, list[ResultGroup]]:
    """Type `query` into the open search box; the ms to Material's answer and its page groups."""
    ms, groups, _ = answer_to(page, base, query, timeout_s)
    return ms, groups


def answer_to(page, base: str, query: str, timeout_s: float = 20) -> tuple[float, list[ResultGroup], float]:
    """As run_query, and when the answer came (ms since the epoch, the clock of request timings)."""
    answer = page.evaluate(RUN_QUERY, [query, timeout_s * 1000])
    if answer is None:
        raise TimeoutError(f"search gave no answer to {query!r} within {timeout_s} s")
    groups = [ResultGroup(page_path(hrefs[0], base), hrefs) for hrefs in answer["groups"] if hrefs]
    return answer["ms"], groups, answer["at"]


def index_size(site: Path) -> tuple[int, int]:
    """Bytes of search/search_index.json as stored and as a gzip-serving web server sends it."""
    raw = (site / "search" / "search_index.json").read_bytes()
    return len(raw), len(gzip.compress(raw, compresslevel=6))


def is_search_file(url: str) -> bool:
    path = urlsplit(url).path
    return "/search/" in path or "/javascripts/workers/" in path


def latency(browser, base: str, queries: list[str], rounds: int = 3) -> dict:
    """Cold (first query after a fresh page load) and warm (later queries) ms to the first
    result, and the search files fetched from the page load to the first answer: medians."""
    cold, warm, raw_bytes, gzip_bytes = [], [], [], []
    for round_ in range(rounds):
        context = browser.new_context()
        page = context.new_page()
        responses: list = []
        page.on("response", lambda r, responses=responses: responses.append(r) if is_search_file(r.url) else None)
        open_search(page, base)
        first = queries[round_ % len(queries)]
        ms, _, answered = answer_to(page, base, first, timeout_s=180)   # lunr at 1,000 long pages, busy machine
        cold.append(ms)
        # Only what was asked for before the answer: the worker prefetches after it.
        bodies = [r.body() for r in list(responses) if r.ok and r.request.timing["startTime"] <= answered]
        raw_bytes.append(sum(len(b) for b in bodies))
        gzip_bytes.append(sum(len(gzip.compress(b, compresslevel=6)) for b in bodies))
        for query in queries:
            if query == first:
                continue  # Material ignores a query equal to the one already shown
            page.wait_for_timeout(READING_MS)
            ms, groups = run_query(page, base, query, timeout_s=60)
            if groups:
                warm.append(ms)
        context.close()
    return {"cold_ms": statistics.median(cold), "warm_ms": statistics.median(warm),
            "first_query_raw": statistics.median(raw_bytes), "first_query_gzip": statistics.median(gzip_bytes)}


# A reader reads an answer before typing the next query; on a small site the portal's worker
# fetches the rest of the index in that time (Material's has it all from the start).
READING_MS = 1000
BENCH_QUERIES = ["queue depth", "webhook signature", "celery-worker", "HTTP 401", "rotate secret",
                 "P1 response time", "app.current_tenant_id", "OOMKilled"]
VARIANTS = {"material": False, "prebuilt": True}   # extra.portal.search_prebuilt


def variant_config(config: Path, prebuilt: bool) -> Path:
    """``config`` with the portal's prebuilt index on or off (off: Material's own lunr search)."""
    target = config.with_name(f"{config.stem}-search-{'prebuilt' if prebuilt else 'material'}.yml")
    target.write_text(f"INHERIT: {config.name}\nextra:\n  portal:\n    search_prebuilt: {str(prebuilt).lower()}\n")
    return target


def quality(site: Path, browser, canonical=None) -> dict | None:
    """Precision@1 and @3 of tests/search_queries.yml on ``site``, per set of questions."""
    from tests.test_search_quality import evaluate, load_queries, precision_by_set

    outcomes = evaluate(site, load_queries(), canonical, browser)
    return precision_by_set(outcomes)


def report(tree: str, variant: str, site: Path, browser, canonical=None, with_quality: bool = True) -> dict:
    raw, gz = index_size(site)
    with serve(site) as base:
        timing = latency(browser, base, BENCH_QUERIES)
    pages = sum(1 for _ in site.rglob("index.html"))
    precision = quality(site, browser, canonical) if with_quality else None
    result = {"tree": tree, "variant": variant, "pages": pages, "index_raw": raw, "index_gzip": gz,
              **timing, "precision": precision}
    shown = "" if not precision else "   " + "  ".join(
        f"{name} @1 {p1:.2f} @3 {p3:.2f}" for name, (p1, p3, _) in precision.items() if name != "all")
    print(f"{tree:<26} {variant:<9} {pages:>5} pages  search_index.json {raw / 1024:7.0f} KiB ({gz / 1024:5.0f} gzip)  "
          f"first query fetches {timing['first_query_raw'] / 1024:7.0f} KiB ({timing['first_query_gzip'] / 1024:5.0f} gzip)  "
          f"cold {timing['cold_ms']:6.0f} ms  warm {timing['warm_ms']:5.0f} ms{shown}", flush=True)
    return result


def markdown_table(results: list[dict]) -> str:
    lines = ["| Tree | Search | First query downloads (gzip) | First result, cold | Later queries (median) | Precision@1 / @3, tuned | Precision@1 / @3, new |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        p = r["precision"] or {}
        cell = lambda name, p=p: f"{p[name][0]:.2f} / {p[name][1]:.2f}" if name in p else "n/a"
        lines.append(f"| {r['tree']} ({r['pages']} pages) | {r['variant']} | {r['first_query_gzip'] / 1024:,.0f} KiB "
                     f"| {r['cold_ms'] / 1000:.2f} s | {r['warm_ms']:.0f} ms | {cell('tuned')} | {cell('new')} |")
    return "\n".join(lines)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate_copies, original_of
    from benchmarks.run import commit_tree, generated_site

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--trees", default="real,generated,copies", help="comma-separated: real, generated, copies")
    parser.add_argument("--variants", default="material,prebuilt", help="comma-separated: material, prebuilt")
    parser.add_argument("--quality", action="store_true",
                        help="only the question set on the real tree, with the table of every question (the tuning loop)")
    args = parser.parse_args()
    if args.quality:
        from tests.test_search_quality import evaluate, load_queries, table
        with tempfile.TemporaryDirectory() as tmp:
            print(table(evaluate(build_site(Path(tmp) / "site"), load_queries())))
        return
    trees, variants = args.trees.split(","), args.variants.split(",")
    results = []
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        work = Path(tmp)
        configs = {}
        if "real" in trees:
            configs["real tree"] = (ROOT / "mkdocs.yml", None, True)
        if "generated" in trees:
            configs[f"generated, {args.pages} pages"] = (generated_site(work, args.pages), None, False)
        if "copies" in trees:
            config = generated_site(work / "copies", 1, keep_redirects=True)   # the real pages link through them
            shutil.rmtree(config.parent / "docs")
            generate_copies(config.parent, ROOT / "docs", args.pages)
            commit_tree(config.parent)
            configs[f"copies of the real pages, {args.pages}"] = (config, original_of, True)
        for tree, (config, canonical, with_quality) in configs.items():
            # Alternate the variants tree by tree, so a change in machine load hits both alike.
            for variant in variants:
                variant_file = variant_config(config, VARIANTS[variant])
                try:   # next to the config, which INHERIT and its relative paths need; never left behind
                    site = build_site(work / f"site-{len(results)}", variant_file)
                finally:
                    variant_file.unlink()
                results.append(report(tree, variant, site, browser, canonical, with_quality))
                shutil.rmtree(site)
    print()
    print(markdown_table(results))


if __name__ == "__main__":
    main()
