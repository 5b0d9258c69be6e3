"""MkDocs events for search: Material's search box and results, answered from an index built here.

Material's search plugin still renders the search box. In a whole build, each page's HTML goes
to the worker process beside the build as soon as it is converted, where Material's own code
divides it into sections and they are analysed (hooks/search/beside.py); once the last page is
converted the same worker scores them and writes the index while MkDocs renders. Under
``mkdocs serve`` there is no worker: Material's plugin reads the pages as usual and the index is
built here after the build (``index.build``), analysing only the texts the rebuild before had
not (hooks/cache.py).
Either way Material's ``search/search_index.json`` is replaced by a small manifest of chunks
and page files, and every page's ``__config`` points at ``worker.js``, which speaks Material's
worker messages. Material documents the worker URL as the place for a custom search implementation.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from material.plugins.search.plugin import SearchIndex  # type: ignore[import-untyped]
from mkdocs.structure.files import InclusionLevel

from hooks import cache
from hooks.background import Background, Later
from hooks.offline.hook import offline_enabled
from hooks.report import Problem, Report, line_of, log, source_path
from hooks.search.anchors import anchor_texts
from hooks.search.beside import build_beside, extras_of, forget, read_key, read_page, sent_page, toc_ancestors
from hooks.search.index import PageExtras, anchors_from, build, separator_of, write

WORKER_SOURCE = Path(__file__).with_name("worker.js")
WORKERS_DIR = "assets/javascripts/workers"
# The worker URL in the `__config` JSON of every page Material renders (base.html).
MATERIAL_WORKER = re.compile(r'("search":\s*"[^"]*?)search\.[0-9a-f]{8}\.min\.js"')
SCRIPT_WRAPPER = "__portalSearch"


def worker_name(source: bytes) -> str:
    # Named like Material's fingerprinted assets so deploy/nginx caches it as immutable: a new
    # worker gets a new name, never a stale copy next to new chunks.
    return f"portal-search.{hashlib.sha256(source).hexdigest()[:8]}.min.js"


def load_synonyms(path: str | None) -> list[list[str]]:
    """Groups of equivalent expressions from the synonyms file; call after ``synonym_problems``."""
    if not path:
        return []
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    return [[str(item) for item in group] for group in data if isinstance(group, list)]


def synonym_problems(path: str | None) -> list[str]:
    if not path:
        return []
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        return [f"is not UTF-8: byte {error.object[error.start]:#04x} cannot be read (re-save it as UTF-8)"]
    except OSError as error:
        return [f"cannot be read: {error.strerror}"]
    except yaml.YAMLError as error:
        return [f"is not valid YAML: {error}"]
    if data is None:
        return []
    if not isinstance(data, list):
        return ["must be a list of groups, each a list of expressions"]
    return [f"group {n} must be a list of at least two expressions, not {group!r}"
            for n, group in enumerate(data, 1)
            if not isinstance(group, list) or len(group) < 2 or not all(isinstance(x, (str, int)) for x in group)]


def material_search(config: Any) -> Any:
    """Material's search plugin, if the site has it on."""
    plugins = config["plugins"]
    plugin = plugins.get("material/search") or plugins.get("search")
    return plugin if plugin is not None and hasattr(plugin, "search_index") else None


def script_wrapper(config: Any) -> str | None:
    """Pages opened from disk (the offline build) load the index as scripts, not fetched JSON."""
    return SCRIPT_WRAPPER if offline_enabled(config) else None


class Search:
    def __init__(self, report: Report, synonyms_file: str | None, background: Background, enabled: bool = True) -> None:
        self.report = report
        self.enabled = enabled
        self.synonyms_file = synonyms_file
        self.synonyms = load_synonyms(synonyms_file) if not synonym_problems(synonyms_file) else []
        self.background = background
        self.extras: dict[str, PageExtras] = {}
        self.links: dict[str, list[tuple[str, str]]] = {}   # page url -> (target, text) of its links
        self._signature: tuple[Any, ...] | None = None
        # A whole build with a worker reads pages there (hooks/search/beside.py): ``_sent`` holds
        # what each page was last sent with, by source file; the index is started once every page has been
        # converted, in the order Material's plugin will meet them (``_expected``), and made again
        # after the last page only if a page changed after that or came in another order.
        self._beside = False
        self._sent: dict[str, tuple[str, tuple[Any, ...]]] = {}   # source file -> (HTML, read_key)
        self._expected: list[str] = []
        self._met: list[str] = []
        self._changed_late = False
        self._config: Any = None
        self._index_beside: Later[dict[str, Any]] | None = None
        self.worker_source = WORKER_SOURCE.read_bytes()
        self.worker = worker_name(self.worker_source)
        for problem in synonym_problems(synonyms_file):
            report.add(Problem(os.path.relpath(str(synonyms_file)), None, f"search synonyms file {problem}",
                               "write groups such as: - [rollback, roll back, revert]"))

    def on_config(self, config: Any) -> Any:
        # Material's plugin made its index in its own on_config, before this one. In a whole
        # build with a worker, its place is taken by one that leaves the reading to the worker.
        self._config = config
        forget()
        plugin = material_search(config)
        self._beside = (self.enabled and plugin is not None and self.background.enabled
                        and not cache.STATE.serving)
        if self._beside:
            plugin.search_index = ReadBeside(self._material_reads, **plugin.search_index.config)
        return config

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        # After every plugin's on_files, on_nav and page conversion, and after Material's tags
        # plugin has written its listings into their pages (its on_env runs first): the pages
        # Material's search plugin will read are known, in order, with the HTML it will read.
        if self._beside:
            pages = [file.page for file in files.documentation_pages(inclusion=InclusionLevel.is_included)
                     if file.page is not None and file.page.content is not None]
            for page in pages:
                self._send_again_if_changed(page, config)
            self._expected = [page.file.src_uri for page in pages]
            self._index_beside = self._start_index(config, self._expected)
        return env

    def _send(self, page: Any, html: str, config: Any, first: bool) -> None:
        self._sent[page.file.src_uri] = (html, read_key(page))
        self.background.later(read_page, material_search(config).search_index.config, *self._signature_of(config),
                              page.file.src_uri, sent_page(page, html), first)

    def _send_again_if_changed(self, page: Any, config: Any) -> bool:
        content, key = self._sent.get(page.file.src_uri, (None, None))
        if page.content is content and read_key(page) == key:
            return False
        self._send(page, page.content, config, first=content is None)
        return True

    def _start_index(self, config: Any, order: list[str]) -> Later[dict[str, Any]]:
        return self.background.later(build_beside, material_search(config).search_index.config, order,
                                     self._signature_of(config)[1], script_wrapper(config),
                                     str(Path(config["site_dir"]) / "search"))

    def _check_section_keywords(self, page: Any, config: Any) -> None:
        meta: dict[str, Any] = page.meta["search"] if isinstance(page.meta.get("search"), dict) else {}
        sections: dict[str, Any] = meta["sections"] if isinstance(meta.get("sections"), dict) else {}
        if not sections:
            return
        ids = set(toc_ancestors(page.toc))
        for anchor in sections:
            if anchor not in ids:
                path = source_path(config, page.file.src_uri)
                close = sorted(ids, key=lambda i: (not i.startswith(str(anchor)[:4]), i))[:3]
                self.report.add(Problem(path, line_of(page.file.content_string, f"{anchor}:"),
                                        f"search keywords for section '#{anchor}', which the page does not have",
                                        f"use a heading id of the page, such as {', '.join(close)}"))

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        self._check_section_keywords(page, config)
        if not self.enabled:
            return html
        if self._beside:
            self._send(page, html, config, first=True)
            return html
        self.links[page.url] = anchor_texts(html, page.url)
        self.extras[page.url] = extras_of(sent_page(page, html))
        return html

    def _material_reads(self, page: Any) -> None:
        """Material's plugin reads ``page`` now, in its on_page_context, whatever ran before it."""
        self._met.append(page.file.src_uri)
        if self._send_again_if_changed(page, self._config):   # changed after on_env
            self._changed_late = True

    def _point_at_worker(self, output: str) -> str:
        # The config is at the end of the page; a regex over the whole page (navigation and all)
        # would cost more than the rest of this concern's page work.
        start = output.rfind('id="__config"')
        if start < 0:
            return output
        return output[:start] + MATERIAL_WORKER.sub(lambda m: f'{m.group(1)}{self.worker}"', output[start:], count=1)

    def _signature_of(self, config: Any) -> tuple[str, tuple[tuple[str, ...], ...]]:
        """What the analysis depends on besides the text: the separator and the synonyms."""
        if self._signature is None:
            plugin = material_search(config)
            self._signature = (separator_of(plugin.config if plugin is not None else {}),
                               tuple(tuple(group) for group in self.synonyms))
        return self._signature

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        return self._point_at_worker(output) if self.enabled else output

    def on_post_template(self, output: str, *, template_name: str, config: Any) -> str:
        return self._point_at_worker(output) if self.enabled else output

    def _build_here(self, config: Any, material_index: dict[str, Any]) -> dict[str, Any]:
        """The index built in this process: under ``mkdocs serve`` (from what the rebuild before
        kept), or where there is no worker."""
        kept = cache.STATE.search
        signature = self._signature_of(config)
        known = kept.terms if kept.signature == signature else {}
        extras, links = self.extras, self.links
        if cache.STATE.dirty:   # pages not rendered this time keep what they had
            extras, links = {**kept.extras, **extras}, {**kept.links, **links}
        pages = {str(doc.get("location", "")).partition("#")[0] for doc in material_index.get("docs") or []}
        built = build(material_index, extras, self.synonyms, script_wrapper(config), anchors_from(links, pages), known)
        if cache.STATE.serving:
            cache.STATE.search = cache.SearchKept(signature, built.terms, extras, links)
        write(Path(config["site_dir"]) / "search", built.files)
        return built.index

    def on_post_build(self, *, config: Any) -> None:
        if not self.enabled:
            return
        site = Path(config["site_dir"])
        index_file = site / "search" / "search_index.json"
        if not index_file.is_file():
            return   # Material's search plugin is off: no search box to serve
        again = False
        if self._beside:
            started = self._index_beside
            again = started is None or self._changed_late or self._met != self._expected
            if started is None or again:
                started = self._start_index(config, self._met)   # the pages as Material met them
            index = started.get()
        else:
            index = self._build_here(config, json.loads(index_file.read_text(encoding="utf-8")))
        index_file.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
        worker = site / WORKERS_DIR / self.worker
        worker.parent.mkdir(parents=True, exist_ok=True)
        worker.write_bytes(self.worker_source)
        where = "in the worker beside the build" if self._beside else "in the build process"
        if self._beside and again:
            where += ", made again after the last page: a page changed after every page was converted"
        log.debug(f"search: index of {len(index['docs'])} pages in {len(index['config']['portal']['chunks'])} chunks, "
                  f"built {where}")


class ReadBeside(SearchIndex):  # type: ignore[misc]
    """Material's search index, less its reading of pages: in a whole build with a worker, the
    worker reads them (hooks/search/beside.py) and this index stays empty. Material's plugin
    still writes it, and ``Search.on_post_build`` then writes the real one in its place. Each
    page Material would have read is announced to ``reads``, at the moment it would have read
    it, so that HTML changed by any plugin before then is what the worker reads."""

    def __init__(self, reads: Callable[[Any], None], **config: Any) -> None:
        super().__init__(**config)
        self._reads = reads

    def add_entry_from_context(self, page: Any) -> None:
        self._reads(page)
