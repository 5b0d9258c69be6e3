"""Fenced code blocks of a Markdown page, with their language, line and surroundings.

Understands what the portal's pages use: fences of three or more backticks or tildes,
indented inside list items, admonitions (``!!!``/``???``) and content tabs (``===``).
For each block it records the admonition it sits in, or the one right before it, so a
check can ask "is this destructive command under a warning?".
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")
ADMONITION = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)(?P<rest>.*)$")
WARNING_KINDS = {"warning", "danger", "caution", "attention", "error", "failure", "bug"}


@dataclass(frozen=True)
class Block:
    language: str          # lower-case first word of the info string ('' when none)
    line: int              # 1-based line of the opening fence in the text given
    code: str              # the block's content, dedented to the fence
    info: str              # the whole info string (``bash title="..."``)
    admonition: str | None  # kind of the enclosing or directly preceding admonition
    admonition_title: str  # its title text, if any
    closed: bool = True    # False when the page ends before the closing fence

    @property
    def first_line(self) -> str:
        return next((l for l in self.code.splitlines() if l.strip()), "")

    @property
    def under_warning(self) -> bool:
        return self.admonition in WARNING_KINDS


def _indent_width(text: str) -> int:
    if "\t" in text:
        text = text.expandtabs(4)
    return len(text) - len(text.lstrip(" "))


def blocks(markdown: str, line_offset: int = 0) -> list[Block]:
    lines = markdown.split("\n")
    found: list[Block] = []
    # Open admonitions as (indent width of their body, kind, title); and the last one closed.
    stack: list[tuple[int, str, str]] = []
    recent: tuple[int, str, str] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        width = _indent_width(line)
        if stripped:
            while stack and width < stack[-1][0]:
                recent = stack.pop()
        # Cheap first-character tests before any regex: most lines are prose.
        first = stripped[:1]
        admonition = ADMONITION.match(line) if first in ("!", "?") else None
        if admonition:
            title = re.search(r'"([^"]*)"', admonition.group("rest"))
            stack.append((width + 4, admonition.group("kind").lower(), title.group(1) if title else ""))
            recent = None
            index += 1
            continue
        opening = FENCE_OPEN.match(line) if first in ("`", "~") else None
        if opening:
            fence, indent = opening.group("fence"), opening.group("indent")
            info = opening.group("info").strip()
            start = index
            body: list[str] = []
            index += 1
            closed = False
            while index < len(lines):
                candidate = lines[index]
                if candidate.strip().startswith(fence[0] * len(fence)) and candidate.strip().strip(fence[0]) == "" \
                        and _indent_width(candidate) <= _indent_width(indent) + 3:
                    closed = True
                    break
                body.append(candidate)
                index += 1
            code = textwrap.dedent("\n".join(l[len(indent):] if l.startswith(indent) else l for l in body))
            context = stack[-1] if stack else recent
            language = info.split()[0].lstrip(".").lower() if info else ""
            language = language.split("{")[0]
            found.append(Block(language, line_offset + start + 1, code, info, context[1] if context else None,
                               context[2] if context else "", closed))
            index += 1
            continue
        if stripped and not stack:
            # A paragraph between an admonition and a block ends the "directly after" relation.
            if recent is not None and not stripped.startswith(("```", "~~~")):
                recent = None
        index += 1
    return found
