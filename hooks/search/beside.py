"""The search index, made in the worker process beside the build (hooks/background.py).

In a whole build, each page's HTML goes to the worker as soon as MkDocs has converted it
(``read_page``). There, Material's own ``SearchIndex`` divides it into sections, exactly as
Material's search plugin would have in the build process, and each section's fields are
analysed; nothing comes back. Once the last page is written, ``build_beside`` scores the
sections in page order and writes the index's files. The build process only hands over text:
Material's parsing of every page, the slowest part of its search plugin, no longer runs there.

The worker is a new process for every build, so nothing here outlives the build.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from material.plugins.search.plugin import SearchIndex  # type: ignore[import-untyped]

from hooks.search.anchors import anchor_texts
from hooks.search.index import PageExtras, Texts, analyse, analysed, anchors_from, build, page_field_texts, pages_from_material, separator_of, write

# The keys of page.meta that Material's SearchIndex or the index's extra fields read.
META_READ = ("title", "tags", "search", "description")


@dataclass
class SentPage:
    """What Material's ``SearchIndex.add_entry_from_context`` reads of a page, and the extras."""
    url: str
    title: str
    meta: dict[str, Any]
    toc: list[Any]
    content: str


def sent_page(page: Any, content: str) -> SentPage:
    return SentPage(page.url, str(page.title or ""), {k: page.meta[k] for k in META_READ if k in page.meta},
                    list(page.toc), content)


def toc_ancestors(toc: list[Any]) -> dict[str, list[str]]:
    """anchor -> titles of the headings that enclose it (below the page title)."""
    ancestors: dict[str, list[str]] = {}

    def walk(items: list[Any], trail: list[str]) -> None:
        for item in items:
            ancestors[item.id] = trail
            walk(item.children, trail + [item.title] if item.level > 1 else trail)

    walk(toc, [])
    return ancestors


def extras_of(page: SentPage) -> PageExtras:
    meta: dict[str, Any] = page.meta["search"] if isinstance(page.meta.get("search"), dict) else {}
    keywords: list[Any] = meta["keywords"] if isinstance(meta.get("keywords"), list) else []
    sections: dict[str, Any] = meta["sections"] if isinstance(meta.get("sections"), dict) else {}
    return PageExtras(description=str(page.meta.get("description") or ""),
                      keywords=[str(k) for k in keywords],
                      section_keywords={str(a): [str(k) for k in v] for a, v in sections.items() if isinstance(v, list)},
                      ancestors=toc_ancestors(page.toc))


@dataclass
class _Pages:
    """What the worker has read of this build's pages, by URL."""
    entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    extras: dict[str, PageExtras] = field(default_factory=dict)
    links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


_PAGES = _Pages()


def sections_of(material_config: dict[str, Any], page: SentPage) -> list[dict[str, Any]]:
    """Material's search entries for one page, as its search_index.json would hold them."""
    index = SearchIndex(**material_config)
    index.add_entry_from_context(page)
    # Material writes its index with json.dumps(default=str): read back what it would have written.
    return list(json.loads(json.dumps(index.entries, default=str)))


def read_page(material_config: dict[str, Any], separator: str, synonyms_groups: tuple[tuple[str, ...], ...],
              page: SentPage, links_too: bool = True) -> None:
    """A job of the worker: a page's sections, extras and links, its field texts analysed.
    ``links_too`` is false when a page is read again because a plugin changed its HTML after
    it was converted (Material's tags listings): its links were taken from the converted HTML."""
    entries = _PAGES.entries[page.url] = sections_of(material_config, page)
    extras = _PAGES.extras[page.url] = extras_of(page)
    texts: list[Texts] = [texts for grouped in pages_from_material(entries) for texts in page_field_texts(grouped, extras)]
    if links_too:
        links = _PAGES.links[page.url] = anchor_texts(page.content, page.url)
        texts += [(text,) for _, text in links]
    analyse(separator, synonyms_groups, list(dict.fromkeys(texts)))


def build_beside(material_config: dict[str, Any], page_order: list[str], synonyms_groups: tuple[tuple[str, ...], ...],
                 script_wrapper: str | None, search_dir: str) -> dict[str, Any]:
    """A job of the worker, after the last page: score every page's sections in the order
    Material would have listed them, write the index's files, and return ``search_index.json``."""
    config = json.loads(json.dumps({key: material_config[key] for key in ("lang", "separator", "pipeline", "fields")}))
    docs = [entry for url in page_order for entry in _PAGES.entries.get(url, [])]   # each read back already
    pages = {str(doc.get("location", "")).partition("#")[0] for doc in docs}
    built = build({"config": config, "docs": docs}, _PAGES.extras, synonyms_groups, script_wrapper,
                  anchors_from(_PAGES.links, pages), analysed(separator_of(config), synonyms_groups))
    write(Path(search_dir), built.files)
    return built.index
