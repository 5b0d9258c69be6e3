"""What other pages say about a page when they link to it.

The knowledge base's symptom table, the alert tables and every "Related" list pair a link with
the words a reader would use for its target ("Slow every morning around 8" -> KI-2025-003).
Web search engines index such anchor text with the target; here the text of the table row or
list item around a link is indexed as a field of the section it points to. It is written by
people for people looking for that section, and it does not change when the target's prose does.
"""
from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
ITEM = re.compile(r"<li[^>]*>(.*?)(?=<li[\s>]|</li>|</ul>|</ol>)", re.S)
LINK = re.compile(r"""<a\s[^>]*?href=["']([^"']+)["']""")
TAG = re.compile(r"<[^>]+>")
MAX_TEXT = 300              # a row or item longer than this is prose, not a label
BASE = "http://site.invalid/"


def target(href: str, page_url: str) -> str | None:
    """The search location ('path/#anchor') a link on ``page_url`` points to, if it is internal."""
    resolved = urlsplit(urljoin(BASE + page_url, html.unescape(href)))
    if f"{resolved.scheme}://{resolved.netloc}/" != BASE:
        return None
    path = resolved.path[1:]
    if path.endswith("index.html"):
        path = path[:-len("index.html")]
    return f"{path}#{resolved.fragment}" if resolved.fragment else path


def anchor_texts(page_html: str, page_url: str) -> list[tuple[str, str]]:
    """(target location, text) for every internal link in a table row or list item."""
    found = []
    for pattern in (ROW, ITEM):
        for match in pattern.finditer(page_html):
            inner = match.group(1)
            links = LINK.findall(inner)
            if not links:
                continue
            text = " ".join(html.unescape(TAG.sub(" ", inner)).split())
            if not text or len(text) > MAX_TEXT:
                continue
            for href in dict.fromkeys(links):
                location = target(href, page_url)
                if location is not None and location != page_url:
                    found.append((location, text))
    return found
