"""The knowledge base's articles, from their front matter: the index table and the nav entries.

An article is a page of the knowledge-base folder whose tags name its kind (``faq``,
``troubleshooting``, ``known-issues``; the first such tag wins). The index page shows them
as one table where it holds the marker ``<!-- portal/articles -->``, in nav order, and an
article missing from nav is added to the knowledge base's section after the last article,
so a new article needs no hand edit anywhere but its own page.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

MARKER = "<!-- portal/articles -->"
KINDS = {"faq": "FAQ", "troubleshooting": "Troubleshooting", "known-issues": "Known issues"}
KIND_ORDER = list(KINDS.values())


@dataclass(frozen=True)
class Article:
    src: str          # path under docs/
    title: str
    kind: str         # a value of KINDS
    description: str


def article(src: str, meta: dict[str, Any] | None) -> Article | None:
    """The article a page is, or None for a page that is not one (the tags page, say)."""
    if not meta:
        return None
    tags = meta.get("tags")
    kind = next((KINDS[t] for t in tags if t in KINDS), None) if isinstance(tags, list) else None
    if kind is None:
        return None
    return Article(src, str(meta.get("title") or posixpath.basename(src)), kind, str(meta.get("description") or ""))


def nav_paths(nav: Any) -> list[str]:
    """Every page path in a nav structure (as mkdocs.yml writes it), in order, fragments dropped."""
    found: list[str] = []
    if isinstance(nav, str):
        found.append(nav.split("#", 1)[0])
    elif isinstance(nav, list):
        for item in nav:
            found += nav_paths(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            found += nav_paths(value)
    return found


def _section_holding(nav: Any, path: str) -> list[Any] | None:
    """The nav list that has ``path`` as one of its own entries (``- path`` or ``- Title: path``)."""
    if not isinstance(nav, list):
        return None
    for item in nav:
        values = [item] if isinstance(item, str) else list(item.values()) if isinstance(item, dict) else []
        for value in values:
            if isinstance(value, str) and value.split("#", 1)[0] == path:
                return nav
            inner = _section_holding(value, path)
            if inner is not None:
                return inner
    return None


def add_to_nav(nav: list[Any], index: str, articles: list[Article]) -> list[Article]:
    """Put the articles nav lacks into the index's section, after its last article; return them."""
    section = _section_holding(nav, index)
    listed = set(nav_paths(nav))
    missing = sorted((a for a in articles if a.src not in listed), key=lambda a: (KIND_ORDER.index(a.kind), a.title))
    if section is None or not missing:
        return []
    known = {a.src for a in articles} | {index}
    positions = [i for i, item in enumerate(section) if set(nav_paths(item)) & known]
    at = positions[-1] + 1 if positions else len(section)
    section[at:at] = [a.src for a in missing]
    return missing


def in_nav_order(articles: list[Article], nav: Any) -> list[Article]:
    order = {path: i for i, path in enumerate(nav_paths(nav))}
    return sorted(articles, key=lambda a: (order.get(a.src, len(order)), KIND_ORDER.index(a.kind), a.title))


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def table(articles: list[Article], index: str) -> str:
    """The Markdown table of the articles, linked relative to the index page."""
    folder = posixpath.dirname(index)
    rows = ["| Article | Type | Answers |", "|---|---|---|"]
    for item in articles:
        link = posixpath.relpath(item.src, folder or ".")
        rows.append(f"| [{_cell(item.title)}]({link}) | {item.kind} | {_cell(item.description)} |")
    return "\n".join(rows)
