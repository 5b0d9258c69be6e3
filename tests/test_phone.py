"""The portal on a phone, on paper and for the lead who keeps it current, in headless Chromium:
review status decided by the browser's own clock, the page-status page, runbook header
cards, destructive commands, wide tables, placeholders, diagrams, print and feedback.

One strict build of the real tree, served on the port its site_url names so Material's
instant navigation takes over in-site links as it does in production. Timings are
benchmarks/phone.py's business, never asserted here.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.phone import PHONE  # noqa: E402
from benchmarks.search import build_site, serve  # noqa: E402
from benchmarks.serve import free_port  # noqa: E402

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

RUNBOOK = "runbooks/high-queue-depth/"
LONG_COMMAND_PAGE = "runbooks/worker-failures/"
WITHOUT_DIAGRAM = "support/knowledge-base/faq-webhook-setup/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, int]:
    port = free_port()
    return build_site(tmp_path_factory.mktemp("phone") / "site", SITE_URL=f"http://127.0.0.1:{port}/"), port


@pytest.fixture(scope="module")
def base(site):
    path, port = site
    with serve(path, port) as url:
        yield url


def open_page(browser, *, phone: bool = True, today: dt.date | None = None, **options):
    context = browser.new_context(**(PHONE if phone else {}), **options)
    page = context.new_page()
    page.set_default_timeout(20000)
    if today is not None:
        page.clock.set_fixed_time(dt.datetime.combine(today, dt.time(9, 30)))
    return context, page


def due_date(page) -> dt.date:
    return dt.date.fromisoformat(page.locator(".portal-review-overdue").get_attribute("data-portal-due"))


def settled(page) -> None:
    """Material has mounted the page and the portal's scripts have run on it."""
    page.wait_for_function("() => document.querySelector('[data-portal-printed]')?.textContent.startsWith('Printed')")


def rendered(locator) -> None:
    """Blocks off screen are not laid out (content-visibility); wait for the frame that draws
    one the test has scrolled to."""
    locator.evaluate("el => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def test_overdue_banner_follows_the_readers_clock_not_the_build(browser, base):
    context, page = open_page(browser)
    page.goto(base + RUNBOOK)
    settled(page)
    due = due_date(page)
    context.close()

    # The day before the review date (not the real clock: the page falls due one day in CI's
    # daily build too, and the test must not turn red then).
    context, page = open_page(browser, today=due - dt.timedelta(days=1))
    page.goto(base + RUNBOOK)
    settled(page)
    assert page.locator(".portal-review-overdue").is_hidden(), "the day before the review date"
    context.close()

    context, page = open_page(browser, today=due + dt.timedelta(days=3))
    page.goto(base + RUNBOOK)
    settled(page)
    banner = page.locator(".portal-review-overdue")
    assert banner.is_visible()
    assert "(3 days ago)" in " ".join(banner.inner_text().split())
    assert page.locator('[data-portal="next-review"] .portal-when-overdue').is_visible()
    assert page.locator(".portal-card .portal-when-overdue").is_visible()
    # Reached by instant navigation (Material swaps the page in; no reload), decided again.
    page.goto(base)
    settled(page)
    page.evaluate("window.__sameDocument = true")
    link = page.locator("article a[href$='runbooks/high-queue-depth/']").first
    # Scrolled to and drawn first: blocks above it take their real height as they are laid out,
    # which could move the link between Playwright's aim and its click.
    link.scroll_into_view_if_needed()
    rendered(link)
    link.click()
    page.wait_for_url(re.compile(re.escape(RUNBOOK) + "(#.*)?$"))
    page.wait_for_function("() => document.querySelector('.portal-review-overdue')?.dataset.portalState === 'overdue'")
    assert page.evaluate("window.__sameDocument === true"), "the click reloaded the page"
    context.close()


def test_due_today_is_not_overdue(browser, base):
    context, page = open_page(browser)
    page.goto(base + RUNBOOK)
    due = due_date(page)
    context.close()
    context, page = open_page(browser, today=due)
    page.goto(base + RUNBOOK)
    settled(page)
    assert page.locator(".portal-review-overdue").get_attribute("data-portal-state") == "today"
    assert page.locator(".portal-review-overdue").is_hidden()
    context.close()


def test_page_status_lists_every_page_overdue_first_for_the_readers_day(browser, base, site):
    built = site[0]
    pages = {p.parent.relative_to(built).as_posix() for p in built.rglob("index.html")
             if "assets" not in p.parts and 'http-equiv="refresh"' not in p.read_text()[:3000]}
    pages -= {"page-status", "."}
    context, page = open_page(browser, phone=False)
    page.goto(base + "page-status/")
    rows = page.locator("article tbody tr")
    dues = rows.evaluate_all("rows => rows.map(r => r.dataset.portalDue)")
    assert dues == sorted(dues), "rows are not in review-date order"
    listed = {urlsplit(href).path.strip("/") for href in rows.locator("td:first-child a").evaluate_all(
        "links => links.map(a => a.href)")}
    assert listed == {p for p in pages if p} | {""}, sorted(listed ^ ({p for p in pages if p} | {""}))
    context.close()

    # A day after the second-earliest review date: exactly the pages due before then are overdue.
    reader_day = dt.date.fromisoformat(sorted(set(dues))[1]) + dt.timedelta(days=1)
    expected = ["overdue" if day < reader_day else "today" if day == reader_day else "current"
                for day in map(dt.date.fromisoformat, dues)]
    context, page = open_page(browser, phone=False, today=reader_day)
    page.goto(base + "page-status/")
    settled(page)
    states = page.locator("article tbody tr").evaluate_all("rows => rows.map(r => r.dataset.portalState)")
    assert states == expected and states[0] == "overdue"
    assert page.locator("[data-portal-overdue-count]").inner_text() == str(expected.count("overdue"))
    first = page.locator("article tbody tr").first
    days = (reader_day - dt.date.fromisoformat(dues[0])).days
    assert f"Overdue by {days} days" in first.inner_text()
    context.close()


def test_home_page_links_to_the_page_status(browser, base):
    context, page = open_page(browser)
    page.goto(base)
    link = page.locator("article a", has_text="Page Status")
    link.scroll_into_view_if_needed()
    rendered(link)
    link.click()
    page.wait_for_url(re.compile(r"/page-status/(#.*)?$"))
    page.wait_for_function("() => document.querySelector('article h1')?.textContent.startsWith('Page Status')")
    context.close()


def test_runbook_card_is_on_the_first_screen_of_a_phone(browser, base):
    context, page = open_page(browser)
    page.goto(base + RUNBOOK)
    card = page.locator("article > .portal-card").first
    assert card.evaluate("el => el.getBoundingClientRect().bottom") <= PHONE["viewport"]["height"]
    text = " ".join(card.inner_text().split())
    for expected in ("Severity P2", "Owner SRE Team", "Last updated", "Next review", "HighQueueDepth", "RedisDown",
                     "Grafana:", "PagerDuty:"):
        assert expected in text, (expected, text)
    assert card.locator("a").count() == 0, "the deployment has set no tool URL, so nothing may be a link"
    page.goto(base + "operations/alert-runbooks/#redisdown")
    section = page.locator("#redisdown + .portal-card")
    assert "RedisDown (P0, critical)" in " ".join(section.inner_text().split())
    assert section.is_visible()
    context.close()


def test_destructive_command_is_marked_in_its_block_and_fits_the_screen(browser, base):
    context, page = open_page(browser)
    page.goto(base + RUNBOOK)
    block = page.locator(".portal-destructive", has_text="purge").first
    block.scroll_into_view_if_needed()
    rendered(block)
    assert "Destructive: celery purge" in block.locator(".portal-destructive__title").inner_text()
    line = block.locator(".portal-destructive__line")
    assert "purge -Q enhancements -f" in line.inner_text()
    box = line.evaluate("""el => { const code = el.closest('code'), box = el.getBoundingClientRect();
        return {inside: box.right <= code.getBoundingClientRect().right + 1, overflow: el.scrollWidth - el.clientWidth,
                lines: box.height / parseFloat(getComputedStyle(el).lineHeight)}; }""")
    assert box["inside"] and box["overflow"] <= 1, f"the destructive line runs past the visible edge: {box}"
    assert box["lines"] > 1.5, "a command this long only fits a phone by wrapping"
    context.close()


def test_wide_table_keeps_its_first_column_and_says_more_columns_follow(browser, base):
    context, page = open_page(browser)
    page.goto(base + "operations/alert-runbooks/")
    wrap = page.locator("article .md-typeset__scrollwrap").first
    wrap.scroll_into_view_if_needed()
    rendered(wrap)
    page.wait_for_function("el => el.classList.contains('portal-scroll--more')", arg=wrap.element_handle())
    cue = wrap.evaluate("el => getComputedStyle(el, '::before').content")
    assert "more columns" in cue
    first_cell = wrap.locator("tbody tr:first-child td:first-child")
    left = first_cell.evaluate("el => el.getBoundingClientRect().left")
    wrap.evaluate("el => { el.scrollLeft = el.scrollWidth; el.dispatchEvent(new Event('scroll')); }")
    after = first_cell.evaluate("el => el.getBoundingClientRect().left")
    assert 0 <= after <= left, f"the key column scrolled away (left edge {left} -> {after})"
    page.wait_for_function("el => !el.classList.contains('portal-scroll--more')", arg=wrap.element_handle())
    context.close()


@pytest.mark.parametrize("path", ["support/client-support-procedures/", "operations/tenant-troubleshooting-guide/"])
def test_placeholders_never_break_across_lines(browser, base, path):
    context, page = open_page(browser)
    page.goto(base + path)
    page.add_style_tag(content="* { content-visibility: visible !important }")
    broken = page.locator(".portal-placeholder").evaluate_all(
        "els => els.filter(el => el.getClientRects().length > 1).map(el => el.textContent)")
    assert page.locator(".portal-placeholder").count() > 5
    assert broken == []
    context.close()


def test_mermaid_is_fetched_only_by_pages_with_a_diagram(browser, base):
    context, page = open_page(browser)
    fetched = []
    page.on("request", lambda r: fetched.append(r.url))
    page.goto(base + WITHOUT_DIAGRAM, wait_until="load")
    settled(page)
    assert page.locator("pre.mermaid, div.mermaid").count() == 0
    assert not [u for u in fetched if "vendor/mermaid" in u], fetched
    # Instant navigation to a page with a diagram: Material asks for Mermaid, the site's own copy.
    page.evaluate("url => { const a = document.createElement('a'); a.href = url; a.textContent = 'go';"
                  " document.querySelector('article').append(a); a.click(); }", base + RUNBOOK)
    page.wait_for_url(re.compile(re.escape(RUNBOOK) + "(#.*)?$"))
    page.wait_for_function("() => document.querySelector('div.mermaid')")
    mermaid = [u for u in fetched if "vendor/mermaid" in u]
    assert mermaid == [base + "assets/vendor/mermaid/mermaid.min.js"], mermaid
    assert all(u.startswith(base) for u in fetched), [u for u in fetched if not u.startswith(base)]
    context.close()


def test_enlarged_diagram_is_wider_than_the_phone(browser, base):
    context, page = open_page(browser)
    page.goto(base + "support/incident-response-playbook/")
    page.wait_for_selector(".portal-diagram div.mermaid", state="attached")
    frame = page.locator(".portal-diagram", has=page.locator("div.mermaid")).first
    frame.scroll_into_view_if_needed()
    page.wait_for_function("el => el.querySelector('div.mermaid')", arg=frame.element_handle())
    fitted = frame.locator("div.mermaid").evaluate("el => el.getBoundingClientRect().width")
    button = frame.locator(".portal-diagram__enlarge")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert frame.locator("div.mermaid").evaluate("el => el.getBoundingClientRect().width") > 2 * fitted
    assert frame.evaluate("el => el.scrollWidth > el.clientWidth")
    context.close()


def test_printed_page_keeps_the_long_command_and_names_url_date_and_owner(browser, base):
    pypdf = pytest.importorskip("pypdf")
    context, page = open_page(browser, phone=False)
    page.goto(base + LONG_COMMAND_PAGE)
    settled(page)
    command = next(text for text in page.locator("article pre code").all_text_contents() if "restartCount" in text)
    longest = max(command.splitlines(), key=len)
    assert len(longest) > 150, "the test needs a line far wider than A4"
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    printed = " ".join(p.extract_text() or "" for p in pdf.pages)
    squashed = re.sub(r"\s+", "", printed)
    assert re.sub(r"\s+", "", longest) in squashed, "the long command is cut on A4"
    facts = page.locator(".portal-print-header").evaluate("el => el.textContent")
    for part in (base + LONG_COMMAND_PAGE, "Owner: SRE Team", "Last updated:", "Next review:",
                 "Printed " + dt.date.today().isoformat()):
        assert part in facts
        assert re.sub(r"\s+", "", part) in squashed, f"{part!r} is not printed"
    assert re.findall(r"<[A-Z][A-Z0-9_]*>", printed), "no placeholder on the printed page to check"
    broken = re.findall(r"<[A-Z][A-Z0-9_]*\n[A-Z0-9_]+>", "\n".join(p.extract_text() or "" for p in pdf.pages))
    assert broken == [], "placeholders broken across printed lines"
    context.close()


@pytest.mark.parametrize("path", ["operations/alert-runbooks/", "support/production-support-guide/"])
def test_printed_tables_fit_a4(browser, base, path):
    """Laid out for print at A4's printable width (190 mm at 96 dpi): no table runs past the
    page or is clipped by a scrolling wrapper. (A PDF's text keeps clipped glyphs, so this is
    measured on the layout, not read back from the PDF.)"""
    context, page = open_page(browser, phone=False, viewport={"width": 718, "height": 1000})
    page.goto(base + path)
    settled(page)
    page.emulate_media(media="print")
    page.add_style_tag(content="* { content-visibility: visible !important }")
    overflowing = page.evaluate("""() => {
        const page = document.querySelector('article').getBoundingClientRect();
        return [...document.querySelectorAll('article table')].flatMap((table, n) => {
            const cut = [];
            if (table.getBoundingClientRect().right > page.right + 1) cut.push(`table ${n + 1} runs past the page`);
            for (let el = table.parentElement; el.tagName !== 'ARTICLE'; el = el.parentElement)
                if (getComputedStyle(el).overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1)
                    cut.push(`table ${n + 1} is clipped by ${el.className}`);
            return cut;
        });
    }""")
    assert page.locator("article table").count() >= 10
    assert overflowing == []
    context.close()


def test_report_a_problem_opens_a_prefilled_issue_in_the_portals_repository(browser, base):
    repo_url = re.search(r"^repo_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M).group(1)
    context, page = open_page(browser)
    page.goto(base + RUNBOOK)
    link = page.locator("a.portal-feedback__report")
    link.scroll_into_view_if_needed()
    rendered(link)
    assert link.inner_text() == "Report a problem with this page"
    href = link.get_attribute("href")
    assert href.startswith(repo_url.rstrip("/") + "/issues/new?")
    query = parse_qs(urlsplit(href).query)
    assert query["title"] == ["Problem with the page: High Queue Depth Runbook"]
    assert base + RUNBOOK in query["body"][0] and "High Queue Depth Runbook" in query["body"][0]
    assert "#support-docs-feedback" in page.locator(".portal-feedback").inner_text()
    context.close()


def test_offline_copy_decides_overdue_from_disk(browser, tmp_path):
    site = build_site(tmp_path / "offline", OFFLINE="true")
    runbook = site / "runbooks/high-queue-depth.html"  # the offline build has no directory URLs
    due = dt.date.fromisoformat(re.search(r'data-portal-due="([\d-]+)"', runbook.read_text()).group(1))
    context, page = open_page(browser, today=due + dt.timedelta(days=40))
    page.goto(runbook.as_uri())
    settled(page)
    assert page.locator(".portal-review-overdue").is_visible()
    assert "(40 days ago)" in " ".join(page.locator(".portal-review-overdue").inner_text().split())
    context.close()
