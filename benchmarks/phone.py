"""Every page on a phone: DOM-ready, copy buttons and search at 4x CPU on a 390 px screen.

    python benchmarks/phone.py [--before REF] [--rounds 3] [--only production-support-guide ...]

Builds this checkout ("after") and, with ``--before``, the same repository at another commit
("before", from a shared clone, so its pages keep their git dates). Serves each on 127.0.0.1
and opens every page of the sitemap in Debian's headless Chromium as a phone: a 390x844
viewport at device scale 3, touch, and the renderer slowed 4x with the DevTools protocol's
``Emulation.setCPUThrottlingRate``. The network is loopback and not throttled: this measures
what the phone's CPU pays for a page, not the radio.

Per page and variant, medians over the rounds (variants alternate, so machine load hits both):

- fresh: a new browser context (empty cache) loads the page.
  ``dom`` is the navigation's ``domContentLoadedEventEnd``, which includes Material mounting the
  page (copy buttons, tables, tabs) in its DOMContentLoaded handler;
  ``copy`` is when every code block shown on the first screen has its copy button;
  ``search`` is when Material's search worker has its index (the result pane stops saying
  "Initializing search"), the moment a typed query gets an answer.
- click: on the page before it in the navigation (its footer's "Previous" link; the last page
  for the home page), loaded and settled, a link to the page is clicked; Material's instant
  navigation fetches and swaps the page in. ``dom`` is the time
  from the click until the new page is in place and mounted; ``copy`` as above.

Targets (issue 17): fresh dom, copy and search <= 3 s; click dom and copy <= 2 s.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.search import build_site, chromium, serve  # noqa: E402
from benchmarks.serve import free_port  # noqa: E402

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
CPU_SLOWDOWN = 4
FRESH_TARGET_MS, CLICK_TARGET_MS = 3000, 2000

# Installed before any page script: from DOMContentLoaded on, checks between tasks when the
# first screen's copy buttons and the search index are there. Nothing runs while the parser
# works, so the probe does not add layout work to the load it measures.
PROBE = """(() => {
  const marks = window.__phone = {};
  // The code blocks shown on the first screen (not in a closed <details> or another tab), from
  // an IntersectionObserver's first report: asking each block for its box would force layout
  // of every block the page keeps unrendered (content-visibility), seconds on a long page.
  window.__phoneFirstScreen = (root) => new Promise(resolve => {
    const codes = [...root.querySelectorAll("article pre:not(.mermaid) > code")];
    if (!codes.length) return resolve([]);
    const seen = new IntersectionObserver(entries => {
      seen.disconnect();
      resolve(entries.filter(entry => entry.isIntersecting).map(entry => entry.target));
    });
    codes.forEach(code => seen.observe(code));
  });
  window.__phoneHaveButtons = (blocks) => blocks.every(code => code.parentElement.querySelector(
    'button[data-md-type="copy"], button.md-clipboard'));
  let blocks = null;
  const check = () => {
    const now = performance.now();
    if (blocks && !("copy" in marks) && window.__phoneHaveButtons(blocks)) marks.copy = now;
    const meta = document.querySelector(".md-search-result__meta");
    if (!("search" in marks) && meta && !/initializ/i.test(meta.textContent)) marks.search = now;
    if (!("copy" in marks && "search" in marks)) setTimeout(check, 20);
  };
  document.addEventListener("DOMContentLoaded", () => {
    window.__phoneFirstScreen(document).then(found => { blocks = found; });
    setTimeout(check, 0);
  }, {once: true});
})()"""

FRESH_RESULT = """async () => {
  const deadline = performance.now() + 30000;
  while (!("copy" in window.__phone && "search" in window.__phone) && performance.now() < deadline)
    await new Promise(r => setTimeout(r, 50));
  const nav = performance.getEntriesByType("navigation")[0];
  return {dom: nav.domContentLoadedEventEnd, copy: window.__phone.copy ?? null,
          search: window.__phone.search ?? null,
          elements: document.getElementsByTagName("*").length};
}"""

CLICK = """async (target) => {
  const before = document.querySelector("[data-md-component=container]");
  const link = document.createElement("a");
  link.href = target;
  link.textContent = "next";
  document.querySelector("article").append(link);
  const start = performance.now();
  link.click();
  const path = new URL(target).pathname;
  let dom = null, blocks = null;
  while (performance.now() - start < 30000) {
    const container = document.querySelector("[data-md-component=container]");
    if (container !== before && location.pathname === path) {
      dom ??= performance.now() - start;
      blocks ??= await window.__phoneFirstScreen(container);
      if (window.__phoneHaveButtons(blocks)) return {dom, copy: performance.now() - start};
    }
    await new Promise(r => setTimeout(r, 10));
  }
  return {dom, copy: null};
}"""


def sitemap_paths(site: Path) -> list[str]:
    """Every page's path, '' for the home page."""
    locs = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    return [urlsplit(loc).path.lstrip("/") for loc in locs]


def previous_page(site: Path, path: str, paths: list[str]) -> str:
    """The page a reader comes from by "Next": the footer's previous link, else the last page."""
    html = (site / path / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<a href="([^"]*)" class="md-footer__link md-footer__link--prev"', html)
    if not link:
        return paths[-1]
    return urlsplit(urljoin(f"http://site/{path}", link.group(1))).path.lstrip("/")



def phone_page(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(60000)
    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.add_init_script(PROBE)
    return context, page


def fresh(browser, url: str) -> dict:
    context, page = phone_page(browser)
    try:
        page.goto(url, wait_until="domcontentloaded")
        return page.evaluate(FRESH_RESULT)
    finally:
        context.close()


def click(browser, source: str, target: str) -> dict:
    context, page = phone_page(browser)
    try:
        page.goto(source, wait_until="load")
        page.evaluate(FRESH_RESULT)  # settled: mounted, search ready
        page.wait_for_load_state("networkidle")  # the sitemap instant navigation needs
        return page.evaluate(CLICK, target)
    finally:
        context.close()


def median(values: list) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if len(known) == len(values) and known else None


def shared_clone(ref: str, work: Path) -> Path:
    """The repository at ``ref``, with its history (pages' dates come from git)."""
    target = work / "before-tree"
    subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", str(ROOT), str(target)], check=True)
    subprocess.run(["git", "-C", str(target), "checkout", "-q", "--detach", ref], check=True)
    return target


def run(args) -> dict:
    results: dict = {"rounds": args.rounds, "cpu_slowdown": CPU_SLOWDOWN, "load_before": os.getloadavg(), "pages": {}}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        work = Path(tmp)
        ports = {"after": free_port()}
        sites = {"after": build_site(work / "site-after", SITE_URL=f"http://127.0.0.1:{ports['after']}/")}
        if args.before:
            ports["before"] = free_port()
            config = shared_clone(args.before, work) / "mkdocs.yml"
            before = build_site(work / "site-before", config, SITE_URL=f"http://127.0.0.1:{ports['before']}/")
            sites = {"before": before, **sites}
        bases = {name: stack.enter_context(serve(site, ports[name])) for name, site in sites.items()}
        browser = stack.enter_context(chromium())
        paths = sitemap_paths(sites["after"])
        if "before" in sites:
            paths = [p for p in paths if p in set(sitemap_paths(sites["before"]))]
        chosen = [p for p in paths if not args.only or any(o in p for o in args.only)]
        samples: dict = {p: {v: {"fresh": [], "click": []} for v in sites} for p in chosen}
        for round_ in range(args.rounds):
            for path in chosen:
                order = list(sites) if round_ % 2 == 0 else list(reversed(sites))
                for name in order:
                    samples[path][name]["fresh"].append(fresh(browser, bases[name] + path))
                    source = previous_page(sites[name], path, paths)
                    samples[path][name]["click"].append(click(browser, bases[name] + source, bases[name] + path))
                print(f"round {round_ + 1}/{args.rounds} /{path}", file=sys.stderr, flush=True)
        for path in chosen:
            results["pages"][path] = {name: summarise(samples[path][name]) for name in sites}
    results["load_after"] = os.getloadavg()
    return results


def summarise(runs: dict) -> dict:
    return {"elements": runs["fresh"][0]["elements"],
            "fresh": {k: median([r[k] for r in runs["fresh"]]) for k in ("dom", "copy", "search")},
            "click": {k: median([r[k] for r in runs["click"]]) for k in ("dom", "copy")}}


def fmt(ms: float | None, target: int) -> str:
    if ms is None:
        return "   --  "
    return f"{ms / 1000:5.2f}{'*' if ms > target else ' '}"


def report(results: dict) -> str:
    lines = [f"4x CPU, 390 px; medians of {results['rounds']} round(s), seconds; * = over target "
             f"(fresh {FRESH_TARGET_MS / 1000:.0f} s, click {CLICK_TARGET_MS / 1000:.0f} s); "
             f"load average {results['load_before'][0]:.1f} -> {results['load_after'][0]:.1f}",
             f"{'page':<52} {'variant':<7} {'elems':>6}  {'fresh dom':>9} {'copy':>6} {'search':>6}  "
             f"{'click dom':>9} {'copy':>6}"]
    worst: dict = {}
    for path, variants in results["pages"].items():
        for name, r in variants.items():
            f, c = r["fresh"], r["click"]
            lines.append(f"/{path:<51} {name:<7} {r['elements']:>6}  {fmt(f['dom'], FRESH_TARGET_MS):>9} "
                         f"{fmt(f['copy'], FRESH_TARGET_MS):>6} {fmt(f['search'], FRESH_TARGET_MS):>6}  "
                         f"{fmt(c['dom'], CLICK_TARGET_MS):>9} {fmt(c['copy'], CLICK_TARGET_MS):>6}")
            w = worst.setdefault(name, {"fresh": 0.0, "click": 0.0})
            w["fresh"] = max(w["fresh"], *(v or float("inf") for v in f.values()))
            w["click"] = max(w["click"], *(v or float("inf") for v in c.values()))
    for name, w in worst.items():
        lines.append(f"{name}: slowest fresh {w['fresh'] / 1000:.2f} s (target {FRESH_TARGET_MS / 1000:.0f}), "
                     f"slowest click {w['click'] / 1000:.2f} s (target {CLICK_TARGET_MS / 1000:.0f})")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="a commit or branch to measure side by side with this checkout")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=[], help="page paths containing any of these")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    start = time.perf_counter()
    results = run(args)
    print(report(results))
    print(f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
