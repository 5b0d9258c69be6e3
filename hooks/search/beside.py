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

import copy
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from material.plugins.search.plugin import SearchIndex  # type: ignore[import-untyped]
from mkdocs.exceptions import PluginError

from hooks.search.anchors import anchor_texts
from hooks.search.index import (
    PageExtras,
    Texts,
    analyse,
    analysed,
    anchors_from,
    build,
    forget_analyses,
    page_field_texts,
    pages_from_material,
    separator_of,
    write,
)

# The keys of page.meta that Material's SearchIndex or the index's extra fields read.
META_READ = ("title", "tags", "search", "description")


@dataclass
class SentPage:
    """What Material's ``SearchIndex.add_entry_from_context`` reads of a page, and the extras."""
    url: str
    title: str | None
    meta: dict[str, Any]
    toc: list[Any]
    content: str


def sent_page(page: Any, content: str) -> SentPage:
    return SentPage(page.url, page.title, meta_read(page), list(page.toc), content)


def meta_read(page: Any) -> dict[str, Any]:
    return {k: page.meta[k] for k in META_READ if k in page.meta}


def toc_key(toc: Any) -> tuple[Any, ...]:
    """The table of contents as a value: its items are objects without an equality of their own."""
    return tuple((item.id, item.title, item.level, toc_key(item.children)) for item in toc)


def read_key(page: Any) -> tuple[Any, ...]:
    """All Material's search plugin reads of a page but its HTML (compared by identity, as a
    changed page is a new string): a page whose key or HTML changed is read again."""
    # a copy: a plugin may change a value in place (append to tags), which must show as a change
    return (page.url, page.title, copy.deepcopy(meta_read(page)), toc_key(page.toc))


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
    """What the worker has read of this build's pages: Material's entries by source file (two
    files can have one URL, and Material lists both), extras and links by URL, as the build
    process keeps them when Material reads the pages there (hooks/search/hook.py)."""
    entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    extras: dict[str, PageExtras] = field(default_factory=dict)
    links: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


_PAGES = _Pages()


def forget() -> None:
    """A new build: nothing read by an earlier one in this process counts (the worker forked
    from this process inherits the empty state)."""
    global _PAGES
    _PAGES = _Pages()
    forget_analyses()


CODE_BLOCK = re.compile(r"(<pre\b[^>]*>\s*(?:<span></span>)?<code\b[^>]*>)(.*?)(</code>\s*</pre>)", re.S)
PLAIN_SPAN = re.compile(r'<span(?: class="[^"<>]*")?>')
PLAIN_SPAN_OR_END = re.compile(r'<span(?: class="[^"<>]*")?>|</span>')


def without_code_spans(html: str) -> str:
    """The HTML with the token spans of highlighted code blocks taken out, for Material's parser.

    Pygments wraps every token of a code block in ``<span class="...">``; they are most of the
    tags of a runbook, and Material's pure-Python parser spends its time on tags. Inside
    ``<pre>`` it keeps every piece of text as it comes and nothing of a span (not a tag it
    keeps, and whitespace is not collapsed there), so the sections it makes are the same
    without them (tests/test_real_tree.py checks this on every page of the real tree). Only a
    block whose code holds nothing but balanced plain spans and text is touched: any other tag
    inside (a heading, a link, a comment, a span with other attributes) leaves it as it is."""
    if "<pre" not in html:
        return html

    def plain(block: re.Match[str]) -> str:
        code = block.group(2)
        if "<" not in code:
            return block.group(0)
        text = PLAIN_SPAN_OR_END.sub("", code)
        if "<" in text or len(PLAIN_SPAN.findall(code)) != code.count("</span>"):
            return block.group(0)
        return block.group(1) + text + block.group(3)

    return CODE_BLOCK.sub(plain, html)


def sections_of(material_config: dict[str, Any], page: SentPage) -> list[dict[str, Any]]:
    """Material's search entries for one page, as its search_index.json would hold them."""
    index = SearchIndex(**material_config)
    index.add_entry_from_context(replace(page, content=without_code_spans(page.content)))
    # Material writes its index with json.dumps(default=str): read back what it would have written.
    return list(json.loads(json.dumps(index.entries, default=str)))


def read_page(material_config: dict[str, Any], separator: str, synonyms_groups: tuple[tuple[str, ...], ...],
              src_uri: str, page: SentPage, first: bool = True) -> None:
    """A job of the worker: a page's sections, extras and links, its field texts analysed.
    ``first`` is false when a page is read again because something Material reads changed after
    it was converted (the tags plugin's listings): its extras and links stay those of the page as
    converted, which is when the build process takes them."""
    try:
        entries = _PAGES.entries[src_uri] = sections_of(material_config, page)
    except Exception as error:
        raise PluginError(f"search: Material's search plugin cannot read {src_uri}: {type(error).__name__}: {error}"
                          " (check the page's 'search' front matter)") from None
    if first:
        _PAGES.extras[page.url] = extras_of(page)
        _PAGES.links[page.url] = anchor_texts(page.content, page.url)
    extras = _PAGES.extras.get(page.url, PageExtras())
    texts: list[Texts] = [texts for grouped in pages_from_material(entries) for texts in page_field_texts(grouped, extras)]
    texts += [(text,) for _, text in _PAGES.links.get(page.url, [])] if first else []
    analyse(separator, synonyms_groups, list(dict.fromkeys(texts)))


def build_beside(material_config: dict[str, Any], page_order: list[str], synonyms_groups: tuple[tuple[str, ...], ...],
                 script_wrapper: str | None, search_dir: str) -> dict[str, Any]:
    """A job of the worker, once every page is read: score every page's sections in the order
    Material would have listed them (``page_order``: source files), write the index's files, and
    return ``search_index.json``."""
    config = json.loads(json.dumps({key: material_config[key] for key in ("lang", "separator", "pipeline", "fields")}))
    docs = [entry for src_uri in page_order for entry in _PAGES.entries.get(src_uri, [])]   # each read back already
    pages = {str(doc.get("location", "")).partition("#")[0] for doc in docs}
    built = build({"config": config, "docs": docs}, _PAGES.extras, synonyms_groups, script_wrapper,
                  anchors_from(_PAGES.links, pages), analysed(separator_of(config), synonyms_groups))
    write(Path(search_dir), built.files)
    return built.index
