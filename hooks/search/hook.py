"""MkDocs events for search: Material's search box and results, answered from an index built here.

Material's search plugin still parses every page into sections and renders the search box.
In a whole build, the text of each page's sections goes to the worker process beside the build
as the page is rendered (``index.analyse_beside``, hooks/background.py), and once the last page
is written the same worker scores them and writes the index (``index.build_beside``) while
MkDocs finishes. Under ``mkdocs serve`` there is no worker: the index is built here after the
build (``index.build``), analysing only the texts the rebuild before had not (hooks/cache.py).
Either way Material's ``search/search_index.json`` is replaced by a small manifest of chunks
and page files, and every page's ``__config`` points at ``worker.js``, which speaks Material's
worker messages. Material documents the worker URL as the place for a custom search implementation.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from mkdocs.structure.files import InclusionLevel

from hooks import cache
from hooks.background import Background, Later
from hooks.offline.hook import offline_enabled
from hooks.report import Problem, Report, line_of, log, source_path
from hooks.search.anchors import anchor_texts
from hooks.search.index import PageExtras, Texts, analyse_beside, build, build_beside, page_field_texts, pages_from_material, separator_of, write

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


def toc_ancestors(toc: Iterable[Any]) -> tuple[dict[str, list[str]], set[str]]:
    """anchor -> titles of the headings that enclose it (below the page title), and all ids."""
    ancestors: dict[str, list[str]] = {}
    ids: set[str] = set()

    def walk(items: Iterable[Any], trail: list[str]) -> None:
        for item in items:
            ids.add(item.id)
            ancestors[item.id] = trail
            walk(item.children, trail + [item.title] if item.level > 1 else trail)

    walk(toc, [])
    return ancestors, ids


def material_search(config: Any) -> Any:
    """Material's search plugin, if the site has it on."""
    plugins = config["plugins"]
    plugin = plugins.get("material/search") or plugins.get("search")
    return plugin if plugin is not None and hasattr(plugin, "search_index") else None


def anchors_from(links: dict[str, list[tuple[str, str]]], pages: set[str]) -> dict[str, list[str]]:
    """Target location -> what the links of ``pages`` to it say, in page order."""
    anchors: dict[str, list[str]] = {}
    for url in sorted(links):
        if url in pages:
            for location, text in links[url]:
                anchors.setdefault(location, []).append(text)
    return anchors


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
        self.pending: list[Later[None]] = []           # each page's analysis in the worker
        self._sections_seen = 0
        self._signature: tuple[Any, ...] | None = None
        self._pages_to_render = -1     # known for a whole build whose analysis runs beside it
        self._pages_rendered = 0
        self._index_beside: Later[dict[str, Any]] | None = None
        self.worker_source = WORKER_SOURCE.read_bytes()
        self.worker = worker_name(self.worker_source)
        for problem in synonym_problems(synonyms_file):
            report.add(Problem(os.path.relpath(str(synonyms_file)), None, f"search synonyms file {problem}",
                               "write groups such as: - [rollback, roll back, revert]"))

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        # A whole build renders every included page once: after the last of them the index can
        # be built beside MkDocs' remaining work (redirects, sitemap, other plugins). Counted here,
        # after every plugin's on_files and on_nav, so that a page another plugin adds counts too.
        # Under `mkdocs serve` (no worker) the index is built in this process from what the
        # build before analysed (cache.STATE.search).
        if self.enabled and self.background.enabled and not cache.STATE.serving:
            self._pages_to_render = len(files.documentation_pages(inclusion=InclusionLevel.is_included))
        return env

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        meta: dict[str, Any] = page.meta["search"] if isinstance(page.meta.get("search"), dict) else {}
        ancestors, ids = toc_ancestors(page.toc)
        sections: dict[str, Any] = meta["sections"] if isinstance(meta.get("sections"), dict) else {}
        for anchor in sections:
            if anchor not in ids:
                path = source_path(config, page.file.src_uri)
                close = sorted(ids, key=lambda i: (not i.startswith(str(anchor)[:4]), i))[:3]
                self.report.add(Problem(path, line_of(page.file.content_string, f"{anchor}:"),
                                        f"search keywords for section '#{anchor}', which the page does not have",
                                        f"use a heading id of the page, such as {', '.join(close)}"))
        self.links[page.url] = anchor_texts(html, page.url)
        keywords: list[Any] = meta["keywords"] if isinstance(meta.get("keywords"), list) else []
        self.extras[page.url] = PageExtras(
            description=str(page.meta.get("description") or ""),
            keywords=[str(k) for k in keywords],
            section_keywords={str(a): [str(k) for k in v] for a, v in sections.items() if isinstance(v, list)},
            ancestors=ancestors)
        return html

    def _point_at_worker(self, output: str) -> str:
        # The config is at the end of the page; a regex over the whole page (navigation and all)
        # would cost more than the rest of this concern's page work.
        start = output.rfind('id="__config"')
        if start < 0:
            return output
        return output[:start] + MATERIAL_WORKER.sub(lambda m: f'{m.group(1)}{self.worker}"', output[start:], count=1)

    def _signature_of(self, plugin: Any) -> tuple[Any, ...]:
        """What the analysis depends on besides the text: the separator and the synonyms."""
        if self._signature is None:
            self._signature = (separator_of(plugin.config), tuple(tuple(group) for group in self.synonyms))
        return self._signature

    def _analyse_new_sections(self, config: Any) -> None:
        """Hand the sections Material added for the page just rendered to the worker."""
        plugin = material_search(config)
        if plugin is None or self._pages_to_render < 0:
            return
        entries = plugin.search_index.entries
        new, self._sections_seen = entries[self._sections_seen:], len(entries)
        if not new:
            return
        separator, groups = self._signature_of(plugin)
        sections = [texts for page in pages_from_material(new)
                    for texts in page_field_texts(page, self.extras.get(page.location, PageExtras()))]
        # and what this page's links say about the sections they point to (their anchors field)
        linked: list[Texts] = [(text,) for url in {entry["location"].partition("#")[0] for entry in new}
                               for _, text in self.links.get(url, [])]
        texts = list(dict.fromkeys(sections + linked))
        self.pending.append(self.background.later(analyse_beside, separator, groups, texts))

    def _start_index_beside(self, config: Any) -> None:
        plugin = material_search(config)
        if plugin is None or self._signature is None:
            return
        material_json = plugin.search_index.generate_search_index(None)   # what Material will write
        pages = {entry["location"].partition("#")[0] for entry in plugin.search_index.entries}
        self._index_beside = self.background.later(
            build_beside, material_json, self.extras, self._signature[1], script_wrapper(config),
            anchors_from(self.links, pages), str(Path(config["site_dir"]) / "search"))

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        if not self.enabled:
            return output
        self._analyse_new_sections(config)
        self._pages_rendered += 1
        if self._pages_rendered == self._pages_to_render:
            self._start_index_beside(config)
        return self._point_at_worker(output)

    def on_post_template(self, output: str, *, template_name: str, config: Any) -> str:
        return self._point_at_worker(output) if self.enabled else output

    def _build_here(self, config: Any, material_index: dict[str, Any]) -> dict[str, Any]:
        """The index built in this process: under ``mkdocs serve`` (from what the rebuild before
        kept), or where the pages were not all rendered."""
        kept = cache.STATE.search
        plugin = material_search(config)
        signature = self._signature_of(plugin) if plugin is not None else ()
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
        if self._index_beside is not None:
            for analysed in self.pending:   # done before the index; waited for so that an error shows
                analysed.get()
            index = self._index_beside.get()
        else:
            index = self._build_here(config, json.loads(index_file.read_text(encoding="utf-8")))
        index_file.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
        worker = site / WORKERS_DIR / self.worker
        worker.parent.mkdir(parents=True, exist_ok=True)
        worker.write_bytes(self.worker_source)
        where = "in the worker beside the build" if self._index_beside is not None else "in the build process"
        log.debug(f"search: index of {len(index['docs'])} pages in {len(index['config']['portal']['chunks'])} chunks, "
                  f"built {where}")
