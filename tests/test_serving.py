"""The built portal behind Debian's real nginx, configured by deploy/nginx/ exactly as in the image.

The server block is deploy/nginx/nginx.conf with three values moved for a test run: the listen
address (127.0.0.1 and a free port instead of 8080), the document root (a fresh build instead of
/usr/share/nginx/html) and /tmp (a private temp folder). deploy/nginx/portal.conf, which holds the
caching, compression, 404 and security headers, is used unchanged. The site is prepared as the
Dockerfile prepares it: strict build (the one test_scaffold.py makes of a copy of the repository),
deploy/csp.py, deploy/precompress.sh.
"""
from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from test_scaffold import scaffolded_portal

pytestmark = pytest.mark.nginx

ROOT = Path(__file__).resolve().parent.parent
NGINX_DIR = ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
RUNBOOK_WITH_MERMAID = "/runbooks/high-queue-depth/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_config(port: int, site: Path, tmp: Path) -> str:
    """deploy/nginx/nginx.conf with only listen, root and /tmp changed; fails if any is not found once."""
    text = (NGINX_DIR / "nginx.conf").read_text()
    for pattern, replacement in ((r"listen 8080;", f"listen 127.0.0.1:{port};"),
                                 (r"root /usr/share/nginx/html;", f"root {site};")):
        text, count = re.subn(re.escape(pattern), replacement, text)
        assert count == 1, f"deploy/nginx/nginx.conf no longer has exactly one '{pattern}'"
    text, count = re.subn(r"(?m)^(\s*(?:pid|\w+_temp_path)\s+)/tmp/", rf"\g<1>{tmp}/", text)
    assert count == 6, "deploy/nginx/nginx.conf should keep its pid and five temp paths under /tmp"
    return text


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    # A fresh --strict build of a copy of the repository, shared with test_scaffold.py (which adds
    # three scaffolded pages to it) so the suite pays for one full build, not two. Whether the pages
    # pass the checks is that test's and test_real_tree's question; this one is how nginx serves
    # what the build wrote, so a content problem does not hide a serving one.
    site = scaffolded_portal(tmp_path_factory.getbasetemp()).site
    assert (site / "index.html").exists(), "the build wrote no site"
    subprocess.run(["sh", str(ROOT / "deploy/precompress.sh"), str(site)], check=True)
    return site


@pytest.fixture(scope="module")
def server(site, tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("nginx not found: apt-get install -y nginx")
    prefix = tmp_path_factory.mktemp("nginx")
    port = free_port()
    shutil.copy("/etc/nginx/mime.types", prefix / "mime.types")
    shutil.copy(NGINX_DIR / "portal.conf", prefix / "portal.conf")
    hashes = subprocess.run([sys.executable, "-m", "deploy.csp", str(site)], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    (prefix / "csp-script-hashes.conf").write_text(hashes)
    (prefix / "nginx.conf").write_text(nginx_config(port, site, prefix))
    # As root, nginx would hand requests to workers running as 'nobody', which cannot read
    # pytest's private temp folder; the image runs as uid 101 and owns its files.
    directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    log = (prefix / "nginx.log").open("w")
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", "stderr",
                                "-g", directives], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("nginx did not start:\n" + (prefix / "nginx.log").read_text())
            time.sleep(0.05)
    yield f"127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)
    log.close()


def get(server: str, path: str, **headers) -> http.client.HTTPResponse:
    """One request, no redirect following and no decompression, so the test sees what nginx sent."""
    host, port = server.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def hashed_assets(site: Path) -> list[str]:
    names = [*site.glob("assets/javascripts/bundle.*.min.js"), *site.glob("assets/stylesheets/main.*.min.css"),
             *site.glob("assets/stylesheets/palette.*.min.css"), *site.glob("assets/javascripts/workers/search.*.min.js")]
    assert len(names) == 4, names
    return ["/" + p.relative_to(site).as_posix() for p in names]


def test_home_page_and_a_deep_link_are_served(server):
    home = get(server, "/")
    assert home.status == 200
    assert home.getheader("Content-Type") == "text/html; charset=utf-8"
    playbook = get(server, "/support/incident-response-playbook/")
    assert playbook.status == 200
    assert b'id="escalation-matrix"' in playbook.body


def test_a_folder_without_slash_redirects_without_leaking_the_port(server):
    response = get(server, "/runbooks/high-queue-depth")
    assert response.status == 301
    assert response.getheader("Location") == "/runbooks/high-queue-depth/"


def test_the_old_webhook_runbook_address_leads_to_the_runbook(server):
    response = get(server, "/runbooks/webhook-troubleshooting/")
    assert response.status == 200
    target = re.search(rb'http-equiv="refresh" content="0; url=([^"]+)"', response.body)[1].decode()
    assert target == "../WEBHOOK_TROUBLESHOOTING_RUNBOOK/"
    runbook = get(server, "/runbooks/WEBHOOK_TROUBLESHOOTING_RUNBOOK/")
    assert runbook.status == 200
    assert b"<h1" in runbook.body and b"Webhook" in runbook.body


def test_a_missing_page_gets_the_portal_404_page(server):
    response = get(server, "/runbooks/no-such-runbook/")
    assert response.status == 404
    assert b"Alert runbooks" in response.body  # the 404 page's list of useful links (mkdocs.yml extra)
    assert response.getheader("Cache-Control") == "no-cache"
    assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")


def test_fingerprinted_assets_are_cached_for_a_year(server, site):
    for path in hashed_assets(site):
        response = get(server, path)
        assert response.status == 200, path
        assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable", path


@pytest.mark.parametrize("path", ["/", RUNBOOK_WITH_MERMAID, "/search/search_index.json", "/sitemap.xml"])
def test_pages_and_the_search_index_are_revalidated(server, path):
    response = get(server, path)
    assert response.status == 200
    assert response.getheader("Cache-Control") == "no-cache"
    assert response.getheader("ETag")


def test_assets_without_a_hash_are_cached_briefly(server):
    response = get(server, "/assets/vendor/mermaid/mermaid.min.js")
    assert response.status == 200
    assert response.getheader("Cache-Control") == "public, max-age=3600"


@pytest.mark.parametrize("path", ["/", "/assets/vendor/mermaid/mermaid.min.js", "/search/search_index.json"])
def test_text_is_sent_gzipped_to_clients_that_accept_it(server, site, path):
    original = (site / path.lstrip("/")).read_bytes() if not path.endswith("/") else (site / "index.html").read_bytes()
    zipped = get(server, path, **{"Accept-Encoding": "gzip"})
    assert zipped.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in zipped.getheader("Vary", "")
    assert gzip.decompress(zipped.body) == original
    assert len(zipped.body) < len(original) / 2
    plain = get(server, path)
    assert plain.getheader("Content-Encoding") is None
    assert plain.body == original


@pytest.mark.parametrize("path", ["/", "/assets/vendor/mermaid/mermaid.min.js", "/healthz"])
def test_security_headers_are_on_every_response(server, path):
    headers = get(server, path)
    csp = headers.getheader("Content-Security-Policy")
    policy = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert "'unsafe-inline'" not in policy["script-src"] and "unsafe-eval" not in policy["script-src"]
    assert "'sha256-" in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert headers.getheader("X-Content-Type-Options") == "nosniff"
    assert headers.getheader("Referrer-Policy") == "same-origin"
    assert headers.getheader("Server") == "nginx"  # no version


def test_kubernetes_probe_paths_answer(server):
    deployment = yaml.safe_load((ROOT / "deploy/k8s/deployment.yaml").read_text())
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        response = get(server, container[probe]["httpGet"]["path"])
        assert response.status == 200, probe


# Headless Chromium with the CSP active: the pages must run without a single violation.

@pytest.fixture
def tab(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15000)
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.errors.append(f"exception: {e}"))
    # Violations are also events in the page; the listener runs before any page script. Mermaid
    # draws into closed shadow roots: opening them lets the test see the SVG.
    page.add_init_script("""
        window.__violations = [];
        document.addEventListener("securitypolicyviolation",
            e => window.__violations.push(e.violatedDirective + " " + e.blockedURI), true);
        const attach = Element.prototype.attachShadow;
        Element.prototype.attachShadow = function (init) { return attach.call(this, {...init, mode: "open"}); };
    """)
    yield page
    context.close()


def assert_clean(tab):
    violations = tab.evaluate("window.__violations")
    assert violations == [], violations
    assert tab.errors == [], tab.errors


def test_home_page_runs_and_searches_under_the_csp(tab, server):
    tab.goto(f"http://{server}/")
    tab.locator("label.md-search__icon, .md-search__input").first.click()
    # Typed, not filled: Material reads the field on keyup (and once when its worker is ready).
    tab.locator("input.md-search__input").press_sequentially("queue depth")
    tab.wait_for_selector(".md-search-result__item", timeout=20000)  # the search worker ran
    assert_clean(tab)


def test_runbook_draws_its_mermaid_diagram_under_the_csp(tab, server):
    tab.goto(f"http://{server}{RUNBOOK_WITH_MERMAID}")
    tab.wait_for_selector("div.mermaid svg", timeout=20000)
    assert tab.locator("div.mermaid svg").first.bounding_box()["height"] > 50
    assert_clean(tab)


def test_redirect_keeps_the_anchor_under_the_csp(tab, server):
    # Only the redirect page's inline script carries the #fragment over; the meta refresh drops it.
    tab.goto(f"http://{server}/runbooks/webhook-troubleshooting/#escalation")
    tab.wait_for_url("**/runbooks/WEBHOOK_TROUBLESHOOTING_RUNBOOK/#escalation")
    assert_clean(tab)


def test_review_banner_is_decided_in_the_browser_under_the_csp(tab, server):
    # The portal's scripts are files of the site ('self'), not inline scripts needing a hash.
    tab.clock.set_fixed_time("2100-01-01T09:00:00")
    tab.goto(f"http://{server}{RUNBOOK_WITH_MERMAID}")
    tab.wait_for_function("() => document.querySelector('.portal-review-overdue').dataset.portalState === 'overdue'")
    assert tab.locator(".portal-review-overdue").is_visible()
    tab.wait_for_selector("div.mermaid svg", timeout=20000)
    assert_clean(tab)
