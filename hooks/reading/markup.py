"""Reading the HTML Python-Markdown and Pygments produce: text positions and code blocks.

Their output is regular (attributes quoted, text escaped, one element per code block), so
regular expressions over it are enough; nothing here has to parse arbitrary HTML.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape

CODE_BLOCK = re.compile(
    r'<div class="(?:language-(?P<language>[\w+-]+) )?highlight">(?P<title><span class="filename">.*?</span>)?'
    r"<pre>(?P<empty><span></span>)?<code(?P<attrs>[^>]*)>(?P<code>.*?)</code></pre></div>", re.S)
TAG = re.compile(r"<[^>]*>")


# Text inside these is not prose: scripts, styles and Mermaid sources are read by programs.
OPAQUE_RANGE = re.compile(r"<(script|style)\b.*?</\1\s*>|<pre class=\"mermaid\">.*?</pre>", re.S | re.I)


def in_text(html: str, start: int, opaque: list[tuple[int, int]]) -> bool:
    """Whether position ``start`` of ``html`` is in text: not inside a tag, nor in a script,
    style or diagram source (``opaque``: their spans, in order)."""
    if html.rfind("<", 0, start) > html.rfind(">", 0, start):
        return False
    return not any(begin <= start < end for begin, end in opaque)


def opaque_ranges(html: str) -> list[tuple[int, int]]:
    return [match.span() for match in OPAQUE_RANGE.finditer(html)]


@dataclass(frozen=True)
class CodeBlock:
    language: str     # "" without pymdownx.highlight's pygments_lang_class
    title: str        # Material's title bar (``title="..."`` on the fence), or ""
    code: str         # the highlighted HTML inside <code>
    attrs: str = ""   # attributes of <code>, as written

    def text_lines(self) -> list[str]:
        """The code as the reader copies it, one string per line (Pygments' spans never hold a
        line break: it closes them at each line's end)."""
        return plain_text(self.code).split("\n")


def code_blocks(html: str, change: Callable[[CodeBlock], str | None]) -> str:
    """``html`` with each highlighted code block replaced by ``change(block)`` (None keeps it)."""
    def replace(match: re.Match[str]) -> str:
        block = CodeBlock(match["language"] or "", match["title"] or "", match["code"], match["attrs"])
        replacement = change(block)
        return match.group() if replacement is None else replacement
    return CODE_BLOCK.sub(replace, html)


def render_code_block(block: CodeBlock, *, classes: str = "", before_pre: str = "") -> str:
    names = " ".join(filter(None, [f"language-{block.language}" if block.language else "", "highlight", classes]))
    return (f'<div class="{names}">{block.title}{before_pre}'
            f"<pre><code{block.attrs}>{block.code}</code></pre></div>")


def plain_text(fragment: str) -> str:
    return unescape(TAG.sub("", fragment))


def balanced(fragment: str) -> bool:
    """Whether every span opened in ``fragment`` is closed in it (Pygments closes its spans at
    each line end, so a line of its output can be wrapped in an element of its own)."""
    return fragment.count("<span") == fragment.count("</span>")
