"""Accessibility of the built portal.

Static checks over every built page (one h1, images with alt text, every Mermaid diagram
introduced by a sentence and carrying its flowchart text in the page source), and axe-core
(the copy shipped in the axe-playwright-python wheel) with its full rule set in headless
Chromium on every page, in the light and dark palettes: no critical or serious violation
anywhere, Material's own parts included (they are fixed through overrides/ and CSS).
"""
from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.search import build_site, chromium, serve  # noqa: E402

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")



@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("a11y") / "site")


def pages(site: Path) -> list[Path]:
    found = [p for p in site.rglob("index.html")
             if "assets" not in p.parts and "http-equiv=\"refresh\"" not in p.read_text(encoding="utf-8")[:2000]]
    return sorted(found) + [site / "404.html"]


def article(page_html: str) -> str:
    start = page_html.find('<article class="md-content__inner')
    return page_html[start:page_html.find("</article>", start)] if start >= 0 else ""


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_every_page_has_exactly_one_h1(site):
    wrong = {}
    for page in pages(site):
        count = len(re.findall(r"<h1[\s>]", page.read_text(encoding="utf-8")))
        if count != 1:
            wrong[str(page.relative_to(site))] = count
    assert not wrong, f"pages without exactly one h1: {wrong}"


def test_images_have_text_alternatives(site):
    missing = []
    for page in pages(site):
        for img in re.findall(r"<img\b[^>]*>", article(page.read_text(encoding="utf-8"))):
            alt = re.search(r'\balt="([^"]*)"', img)
            if not alt or not alt.group(1).strip():
                missing.append(f"{page.relative_to(site)}: {img[:120]}")
    assert not missing, "images without alt text:\n" + "\n".join(missing)


def test_every_mermaid_diagram_is_introduced_and_its_text_is_in_the_page(site):
    """Material renders diagrams into a closed shadow root that assistive technology cannot
    read; what a screen-reader user gets is the sentence before the diagram and the flowchart
    source, which stays in the page as text."""
    problems, diagrams = [], 0
    for page in pages(site):
        body = article(page.read_text(encoding="utf-8"))
        for match in re.finditer(r'<pre class="mermaid"><code>(.*?)</code></pre>', body, re.S):
            diagrams += 1
            where = f"{page.relative_to(site)} diagram at {match.start()}"
            source = text_of(match.group(1))
            if len(re.findall(r"[A-Za-z]{3,}", source)) < 5:
                problems.append(f"{where}: no readable diagram text")
            # The diagram's own section (from its heading on) must say in prose what it shows.
            section = re.split(r"<h[1-6][\s>]", body[:match.start()])[-1]
            sentences = [text_of(p) for p in re.findall(r"<p>(.*?)</p>", section, re.S)]
            if not any(len(s.split()) >= 6 for s in sentences):
                problems.append(f"{where}: no sentence in its section introduces it")
    assert diagrams > 0, "no Mermaid diagram found: the check would prove nothing"
    assert not problems, "\n".join(problems)


def site_pages() -> list[str]:
    """Every page's path in the built site: one per Markdown file, the generated page status, the 404 page."""
    docs = ROOT / "docs"
    paths = []
    for source in sorted(docs.rglob("*.md")):
        relative = source.relative_to(docs).with_suffix("")
        folder = relative.parent if relative.name in ("index", "README") else relative
        paths.append("" if str(folder) == "." else f"{folder.as_posix()}/")
    return paths + ["page-status/", "404.html"]


# axe-core can only judge what is laid out; the portal skips layout of blocks off screen
# (content-visibility), so the check lays out the whole page first. Colours and structure are
# the same either way.
LAY_OUT_EVERYTHING = "* { content-visibility: visible !important; }"
BLOCKING = ("critical", "serious")
# Switching the palette changes colours only (Material sets attributes on <body>), so in the
# dark palette the rules that read colours run again; the page's structure was checked in light.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def axe_violations(page, rules: list[str] | None = None) -> list[str]:
    """Critical and serious violations of axe-core's rules (all of them by default), one line per element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"))
    options = {"resultTypes": ["violations"], **({"runOnly": {"type": "rule", "values": rules}} if rules else {})}
    result = page.evaluate("options => axe.run(document, options)", options)
    return [f"{violation['id']} ({violation['impact']}) {node['target']}: "
            + node.get("failureSummary", "").replace("\n", " ")[:200]
            for violation in result["violations"] if violation["impact"] in BLOCKING
            for node in violation["nodes"]]


@pytest.fixture(scope="module")
def axe_server(site):
    pytest.importorskip("axe_playwright_python")
    with chromium() as browser, serve(site) as base:
        yield browser, base


@pytest.mark.parametrize("path", site_pages())
def test_axe_full_rule_set_finds_nothing_critical_or_serious_light_and_dark(axe_server, path):
    """Every page, content and theme alike (header, tabs, search dialog, progress bar, footer),
    in the light palette and after the reader switches to dark."""
    browser, base = axe_server
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.set_default_timeout(60000)
    page.goto(base + path, wait_until="load")
    page.add_style_tag(content=LAY_OUT_EVERYTHING)
    found = [f"light: {line}" for line in axe_violations(page)]
    # Clicked without moving the pointer there: under the pointer the toggle's tooltip fades in,
    # and half-faded its colours are neither palette's.
    page.locator('label[for="__palette_1"]').dispatch_event("click")
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    found += [f"dark: {line}" for line in axe_violations(page, COLOUR_RULES)]
    context.close()
    assert not found, f"/{path}:\n" + "\n".join(found)
