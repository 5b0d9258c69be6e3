"""Placeholders such as ``<TENANT_ID>`` stay on one line wherever the text wraps: narrow
table cells, printed code, wrapped destructive commands. A reader who copies ``<TENANT_I``
from one line and ``D>`` from the next has a broken command."""
from __future__ import annotations

import re

from hooks.codeblocks.placeholders import NAME
from hooks.reading.markup import in_text, opaque_ranges

PLACEHOLDER = re.compile(rf"&lt;{NAME}&gt;")   # the code blocks' placeholders, as HTML shows them
WHOLE = '<span class="portal-placeholder">{}</span>'


def keep_placeholders_whole(html: str) -> str:
    """Each placeholder in the text wrapped once; those in attributes, scripts and diagram
    sources are left as they are."""
    matches = [m for m in PLACEHOLDER.finditer(html)]
    if not matches:
        return html
    opaque = opaque_ranges(html)
    out, last = [], 0
    for match in matches:
        if in_text(html, match.start(), opaque):
            out += [html[last:match.start()], WHOLE.format(match.group())]
            last = match.end()
    return "".join(out) + html[last:]
