"""Diagrams that can be enlarged on a small screen.

Mermaid scales each diagram down to the column's width; on a 390 px phone a wide one ends
up with text a few pixels high. Each diagram gets a frame with an "Enlarge" button: the
enlarged diagram is drawn at up to its natural width and scrolls sideways
(overrides/assets/javascripts/portal/diagrams.js, reading.css).
"""
from __future__ import annotations

import re

DIAGRAM = re.compile(r'<pre class="mermaid">.*?</pre>', re.S)
FRAME = ('<div class="portal-diagram">'
         '<button type="button" class="portal-diagram__enlarge" aria-pressed="false" hidden data-search-exclude>'
         'Enlarge diagram</button>{}</div>')


def frame_diagrams(html: str) -> str:
    if 'class="mermaid"' not in html:
        return html
    return DIAGRAM.sub(lambda match: FRAME.format(match.group()), html)
