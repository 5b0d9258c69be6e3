"""MkDocs events for links: collect ids and links as pages render, check them all at once.

Checks every internal link in Markdown and raw HTML, every nav entry (with or without a
``#fragment``) and every redirect target against the ids the pages really have. Runs at any
verbosity (MkDocs' own anchor check is off under ``-v``: mkdocs issue 3991).
"""
from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation
from mkdocs.structure.pages import Page

from hooks import cache
from hooks.cache import PageLinks
from hooks.links import extract
from hooks.links.check import Site, duplicate_ids, is_external, normalise_url
from hooks.links.locate import Locator
from hooks.report import Problem, Report, config_path, line_of, source_path
from hooks.sources.hook import Sources


def redirect_map(config: MkDocsConfig) -> dict[str, str]:
    plugin = config["plugins"].get("redirects")
    return dict(plugin.config.get("redirect_maps", {})) if plugin else {}


def redirect_page_url(old: str) -> str:
    """Where mkdocs-redirects writes the redirect page for ``old`` (with directory URLs)."""
    stem = old[:-3] if old.endswith(".md") else old.removesuffix(".html")
    if posixpath.basename(stem) in ("index", "README"):
        stem = posixpath.dirname(stem)
    return (stem + "/") if stem else ""


def _walk(items: Iterable[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        if getattr(item, "children", None):
            yield from _walk(item.children)


class Links:
    def __init__(self, report: Report, sources: Sources) -> None:
        self.report = report
        self.sources = sources
        self._rendered: dict[str, tuple[Any, list[str], list[str], int]] = {}  # src_uri -> (page, ids, links, HTML length)
        self._nav_links: list[tuple[str, str]] = []                            # (nav entry as written, site href)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        # MkDocs treats "page.md#fragment" in nav as a missing file and renders a dead link
        # (mkdocs issue 4026). Point such entries at the page's URL, and check the fragment later.
        for item in _walk(nav.items):
            if isinstance(item, Link) and not is_external(item.url):
                path, _, fragment = item.url.partition("#")
                page_file = files.get_file_from_path(path)
                if page_file is not None and page_file.is_documentation_page():
                    self._nav_links.append((item.url, page_file.url + ("#" + fragment if fragment else "")))
                    item.url = page_file.url + ("#" + fragment if fragment else "")
                else:
                    self._nav_links.append((item.url, item.url))
        return nav

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self._rendered[page.file.src_uri] = (page, extract.ids(html), extract.links(html), len(html))
        return html

    def _after_plugins(self) -> None:
        """Ids that plugins add after on_page_content: Material's tags plugin writes its listings
        (``tags.md#tag:celery``) into the page in its on_env, which runs before this one."""
        for src_uri, (page, _, _, length) in list(self._rendered.items()):
            if length >= 0 and page.content is not None and len(page.content) != length:
                content = page.content
                self._rendered[src_uri] = (page, extract.ids(content), extract.links(content), len(content))

    def build_site(self, files: Files, redirect_sources: set[str]) -> Site:
        site = Site()
        for src_uri, (page, ids, _, _) in self._rendered.items():
            site.add_page(page.url, ids, src_uri)
        for file in files:
            if not file.is_documentation_page():
                site.files.add(normalise_url(file.url))
        site.files.update(redirect_sources)
        return site

    def _pages_not_rendered(self, files: Files) -> None:
        """Under ``mkdocs serve --dirty`` only the changed pages render: the others' ids and
        links come from the build before, so links into and out of them are still checked."""
        if not cache.STATE.dirty:
            return
        for src_uri, kept in cache.STATE.pages.items():
            file = files.get_file_from_path(src_uri)
            if src_uri not in self._rendered and file is not None and file.page is not None:
                self._rendered[src_uri] = (file.page, kept.ids, kept.links, -1)
        cache.STATE.pages = {src_uri: PageLinks(ids, links)
                             for src_uri, (page, ids, links, _) in self._rendered.items()}

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        self._after_plugins()
        self._pages_not_rendered(files)
        redirects = redirect_map(config)
        site = self.build_site(files, {redirect_page_url(old) for old in redirects})
        site.moved = {old: new.partition("#")[0] for old, new in redirects.items() if not is_external(new)}
        for src_uri, (page, ids, hrefs, _) in sorted(self._rendered.items()):
            path = source_path(config, src_uri)
            locator = Locator(self.sources.text(page))
            for href in hrefs:
                broken = site.check(href, page.url)
                if broken:
                    self.report.add(Problem(path, locator.line(href), f"broken link '{broken.shown}': {broken.message}",
                                            broken.suggestion or ""))
            for duplicate in duplicate_ids(ids):
                self.report.add(Problem(path, locator.line_of_id(duplicate), f"id '{duplicate}' is used more than once on the page",
                                        "links to it reach only the first; give each heading or element its own id"))
        self._check_nav(config, site)
        self._check_redirects(config, files, site, redirects)
        return env

    def _check_nav(self, config: MkDocsConfig, site: Site) -> None:
        yml = Path(config["config_file_path"]).read_text(encoding="utf-8")
        for written, href in self._nav_links:
            if is_external(href):
                continue
            broken = site.check(href if not href.endswith(".md") else written, "")
            if broken:
                self.report.add(Problem(config_path(config), line_of(yml, written), f"nav entry '{written}': {broken.message}",
                                        broken.suggestion or ""))

    def _check_redirects(self, config: MkDocsConfig, files: Files, site: Site, redirects: dict[str, str]) -> None:
        yml = Path(config["config_file_path"]).read_text(encoding="utf-8")
        for old, new in sorted(redirects.items()):
            line = line_of(yml, old)
            existing = files.get_file_from_path(old)
            if existing is not None and existing.is_documentation_page():
                self.report.add(Problem(config_path(config), line, f"redirect from '{old}' would overwrite an existing page",
                                        "remove the redirect or the page"))
            if is_external(new):
                continue
            path, _, fragment = new.partition("#")
            target = files.get_file_from_path(path)
            if target is None or not target.is_documentation_page():
                guess = [src for src in sorted(self._rendered) if posixpath.basename(src) == posixpath.basename(path)]
                self.report.add(Problem(config_path(config), line, f"redirect '{old}' -> '{new}': target page does not exist",
                                        f"did you mean '{guess[0]}'?" if guess else ""))
                continue
            broken = site.check(target.url + ("#" + fragment if fragment else ""), "")
            if broken:
                self.report.add(Problem(config_path(config), line, f"redirect '{old}' -> '{new}': {broken.message}",
                                        broken.suggestion or ""))
