"""Ids and link targets in rendered HTML, found with regular expressions.

A full HTML parse of every page costs as much as Material's search plugin (about 40 % of a
build). The attributes needed here are well-formed output of Python-Markdown and of authors'
raw HTML, so a scan of the attribute text is enough, and an order of magnitude cheaper.
Code blocks are escaped (``&lt;a href=...``), so links shown in code are not taken for links.
"""
from __future__ import annotations

import html
import re

ID_ATTR = re.compile(r"""<[a-zA-Z][^<>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
HREF_ATTR = re.compile(r"""<(?:a|area|link)\s[^<>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
SRC_ATTR = re.compile(r"""<(?:img|script|source|iframe)\s[^<>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
NAME_ON_NON_ANCHOR = re.compile(r"<(?:input|meta|param|select|textarea|button|form|iframe|map|object)\b", re.IGNORECASE)


COMMENT = re.compile(r"<!--.*?-->", re.S)


def _without_comments(page_html: str) -> str:
    """An HTML comment shows nothing: a link or id written inside one is not on the page."""
    return COMMENT.sub("", page_html) if "<!--" in page_html else page_html


def ids(page_html: str) -> list[str]:
    """Every id (and ``<a name>``) in the order it appears; duplicates kept."""
    page_html = _without_comments(page_html)
    found = []
    for match in ID_ATTR.finditer(page_html):
        tag_text = match.group(0)
        if " name" in tag_text and NAME_ON_NON_ANCHOR.match(tag_text) and " id" not in tag_text:
            continue
        found.append(html.unescape(match.group(1) if match.group(1) is not None else match.group(2)))
    return found


def links(page_html: str) -> list[str]:
    """Every href and src, unescaped, in document order."""
    page_html = _without_comments(page_html)
    targets = []
    for pattern in (HREF_ATTR, SRC_ATTR):
        for match in pattern.finditer(page_html):
            targets.append((match.start(), html.unescape(match.group(1) if match.group(1) is not None else match.group(2))))
    return [target for _, target in sorted(targets)]
