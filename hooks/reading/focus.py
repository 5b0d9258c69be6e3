"""Code blocks a keyboard can reach before Material mounts them.

A code block wider than the screen scrolls, and a keyboard user can only scroll it once it
takes focus. Material makes a scrolling block focusable when it mounts the block, and with
``content.lazy`` (mkdocs.yml) that happens only when the block comes into view: until then a
block is focusable from the start, and Material drops the tabindex once it finds the block
does not scroll (axe-core: scrollable-region-focusable).
"""
from __future__ import annotations

OPEN = "<pre><code>"


def focusable_code(html: str) -> str:
    return html.replace(OPEN, '<pre><code tabindex="0">')
