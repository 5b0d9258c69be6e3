"""The author loop: ``mkdocs serve --dirty`` renders only the saved page, and its checks are
still reported against the pages it did not render (hooks/cache.py)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from sites import FIXTURES, FixtureSite, page

from benchmarks.serve import free_port

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_until(condition, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise TimeoutError("condition not met")


@contextmanager
def serving(site: FixtureSite, ready_path: str, ready_text: str):
    port = free_port()
    log = site.root / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                                  cwd=site.root, env=ENV, stdout=output, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}/"
            wait_until(lambda: ready_text in fetch(base + ready_path))
            yield base, log
        finally:
            server.terminate()
            server.wait(timeout=30)


@pytest.fixture
def served(tmp_path):
    site = FixtureSite(tmp_path, {
        "index.md": page("# Home\n\nSee [the matrix](guide/escalation.md#escalation-matrix).\n"),
        "guide/escalation.md": page("# Escalation\n\n## Escalation Matrix {#escalation-matrix}\n\nText.\n", title="Escalation",
                                    search={"keywords": ["zebracrossing"]}),
        "guide/other.md": page("# Other\n\nBack to [home](../index.md).\n", title="Other"),
    })
    site.commit_all()
    with serving(site, "guide/escalation/", "Escalation Matrix") as (base, log):
        yield site, base, log


def rebuilds(log: Path) -> int:
    return log.read_text().count("Documentation built in")


def test_saved_page_is_served_with_its_link_checks_against_unrendered_pages(served):
    site, base, log = served
    before = rebuilds(log)
    (site.docs / "guide" / "other.md").write_text(page("""
        # Other

        Back to [home](../index.md), the [matrix](escalation.md#escalation-matrix),
        a [typo](escalation.md#escalation-matrx) and a [gone page](retired.md).

        Saved-marker-1.
        """, title="Other"))
    wait_until(lambda: "Saved-marker-1" in fetch(base + "guide/other/"))
    wait_until(lambda: rebuilds(log) > before)
    output = log.read_text()[-6000:]
    assert "docs/guide/other.md:13: broken link 'guide/escalation.md#escalation-matrx': anchor '#escalation-matrx' does not " \
           "exist in guide/escalation.md (did you mean '#escalation-matrix'?)" in output
    assert "docs/guide/other.md:13: broken link 'retired.md'" in output
    # The unrendered pages' ids and links were kept: nothing else is reported as broken.
    assert output.count("broken link") == 2, output
    # The search index keeps the pages the rebuild did not render and carries the saved page's text.
    manifest = json.loads(fetch(base + "search/search_index.json"))
    files = {doc["location"]: doc["file"] for doc in manifest["docs"]}
    assert {"", "guide/escalation/", "guide/other/"} <= set(files)
    assert "Saved-marker-1" in fetch(base + "search/" + files["guide/other/"])
    assert "Escalation Matrix" in fetch(base + "search/" + files["guide/escalation/"])
    # The page-status page is generated again on every rebuild, with the rows of the pages
    # not read this time kept from the build before.
    status = fetch(base + "page-status/")
    assert status.count("<td>SRE Team</td>") == 3 and "no review date" not in status
    # ... and what the pages not rendered again had besides their text: their search keywords.
    chunks = [fetch(base + "search/" + name) for _, name in manifest["config"]["portal"]["chunks"]]
    assert any('"zebracrossing"' in body for body in chunks)


def test_renamed_anchor_breaks_the_links_of_pages_not_rendered_again(served):
    site, base, log = served
    before = rebuilds(log)
    (site.docs / "guide" / "escalation.md").write_text(
        page("# Escalation\n\n## Escalation Table {#escalation-table}\n\nSaved-marker-2.\n", title="Escalation"))
    wait_until(lambda: "Saved-marker-2" in fetch(base + "guide/escalation/"))
    wait_until(lambda: rebuilds(log) > before)
    assert "docs/index.md:12: broken link 'guide/escalation.md#escalation-matrix'" in log.read_text()


def test_a_facts_change_rebuilds_every_page(tmp_path):
    site = FixtureSite(tmp_path, {"index.md": page("# Home\n\nNamespace {{ facts.k8s.namespace }}.\n"),
                                  "other.md": page("# Other\n\nAlso {{ facts.k8s.namespace }}.\n")})
    facts = tmp_path / "facts.yml"
    facts.write_text("k8s:\n  namespace: first\n")
    config = (tmp_path / "mkdocs.yml").read_text().replace(str(FIXTURES / "facts.yml"), str(facts))
    (tmp_path / "mkdocs.yml").write_text(config + "watch:\n  - facts.yml\n")
    site.commit_all()
    with serving(site, "", "Namespace first.") as (base, _):
        facts.write_text("k8s:\n  namespace: second\n")
        wait_until(lambda: "Namespace second." in fetch(base))
        wait_until(lambda: "Also second." in fetch(base + "other/"))


def test_a_rebuild_under_serve_reuses_compiled_templates_and_compiles_an_edited_one():
    import jinja2

    from hooks.cache import CompiledTemplates

    templates = CompiledTemplates()
    first = jinja2.Environment(loader=jinja2.DictLoader({"page.html": "Hello {{ name }}"}), bytecode_cache=templates)
    assert first.get_template("page.html").render(name="A") == "Hello A"

    again = jinja2.Environment(loader=jinja2.DictLoader({"page.html": "Hello {{ name }}"}), bytecode_cache=templates)

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")
    again.compile = no_compiling  # type: ignore[method-assign]
    assert again.get_template("page.html").render(name="B") == "Hello B"

    edited = jinja2.Environment(loader=jinja2.DictLoader({"page.html": "Bye {{ name }}"}), bytecode_cache=templates)
    assert edited.get_template("page.html").render(name="C") == "Bye C"
