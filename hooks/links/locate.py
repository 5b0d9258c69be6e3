"""Find the source line of a link found in rendered HTML.

The HTML holds the link as MkDocs rewrote it (``../page/#anchor``), the Markdown as the
author wrote it (``page.md#anchor``). The fragment, the literal href, or the last path
segment is searched for, and repeated links map to successive lines.
"""
from __future__ import annotations

import posixpath
from collections import defaultdict
from urllib.parse import urlsplit


class Locator:
    def __init__(self, source: str) -> None:
        self.source = source
        self._next: dict[str, int] = defaultdict(int)  # needle -> where to search from

    def _find(self, needle: str) -> int | None:
        start = self._next[needle]
        index = self.source.find(needle, start)
        if index < 0 and start:
            index = self.source.find(needle)
        if index < 0:
            return None
        self._next[needle] = index + len(needle)
        return self.source.count("\n", 0, index) + 1

    def line(self, href: str) -> int | None:
        parts = urlsplit(href)
        needles = [f"({href})", f'"{href}"', href]
        if parts.fragment:
            needles.append("#" + parts.fragment)
        stem = posixpath.basename(parts.path.rstrip("/"))
        if stem:
            needles.append(stem)
        for needle in needles:
            line = self._find(needle)
            if line:
                return line
        return None

    def line_of_id(self, element_id: str) -> int | None:
        for needle in (f"#{element_id}", f'id="{element_id}"', f"id='{element_id}'"):
            first = self.source.find(needle)
            if first >= 0:
                second = self.source.find(needle, first + len(needle))
                index = second if second >= 0 else first
                return self.source.count("\n", 0, index) + 1
        return None
