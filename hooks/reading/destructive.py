"""Destructive commands marked inside their code block, where the reader copies them.

A danger admonition above a block is not enough on a phone: the destructive part of a long
line can sit beyond the visible edge, under the copy button. The block gets a title bar
naming what it destroys, and each destructive command (with its continuation lines) is
highlighted and wraps, so it is visible without scrolling sideways.

Which commands are destructive is the code-block checks' knowledge (hooks/codeblocks/safety);
it is asked, never repeated here.
"""
from __future__ import annotations

from collections.abc import Callable
from html import escape

from hooks.reading.markup import CodeBlock, balanced, code_blocks, render_code_block

Finder = Callable[[str], list[tuple[int, str]]]

LINE = '<span class="hll portal-destructive__line">{}</span>'


def destructive_lines(lines: list[str], found: list[tuple[int, str]]) -> set[int]:
    """1-based lines to mark: each command's line, and the lines a trailing backslash joins to it."""
    marked: set[int] = set()
    for line, _ in found:
        first = line
        while first > 1 and lines[first - 2].rstrip().endswith("\\"):
            first -= 1
        last = line
        while last < len(lines) and lines[last - 1].rstrip().endswith("\\"):
            last += 1
        marked.update(range(first, last + 1))
    return marked


def title(found: list[tuple[int, str]]) -> str:
    kinds = ", ".join(dict.fromkeys(what for _, what in found))
    lines = list(dict.fromkeys(str(line) for line, _ in found))
    where = f"line {lines[0]}" if len(lines) == 1 else f"lines {', '.join(lines)}"
    return f'<span class="filename portal-destructive__title">Destructive: {escape(kinds)} ({where})</span>'


def mark_block(block: CodeBlock, find: Finder, skip_languages: set[str]) -> str | None:
    if block.language in skip_languages:
        return None
    lines = block.text_lines()
    found = find("\n".join(lines))
    if not found:
        return None
    marked = destructive_lines(lines, found)
    html_lines = block.code.split("\n")
    code = block.code
    if all(balanced(html_lines[n - 1]) for n in marked):
        # Each marked line keeps its "\n" inside the highlight, as Material's own line
        # highlighting (.hll) does, so the block shows no extra blank line.
        ends = ["\n"] * (len(html_lines) - 1) + [""]
        code = "".join(LINE.format(text + end) if n in marked else text + end
                       for n, (text, end) in enumerate(zip(html_lines, ends, strict=True), start=1))
    return render_code_block(CodeBlock(block.language, block.title, code, block.attrs), classes="portal-destructive",
                             before_pre=title(found))


def mark_destructive(html: str, find: Finder, skip_languages: set[str]) -> str:
    if "highlight" not in html:
        return html
    return code_blocks(html, lambda block: mark_block(block, find, skip_languages))
