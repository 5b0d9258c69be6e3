"""A page's prose cut into units a policy statement can live in: sentences of paragraphs,
list items and admonitions, and table cells read with their row and column headers.

Each unit keeps the line it starts on and the heading it sits under, so a statement such as
"escalate after 1 hour" under "### P0 — Critical" is read as being about P0. Code blocks,
HTML comments and raw HTML tags are not prose and are left out.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{[^}]*\})?\s*#*\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9`*\[\"(])")
LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?")
ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+\"([^\"]*)\")?\s*$")
TABS = re.compile(r"^\s*===\+?\s+\"([^\"]*)\"\s*$")
MARKUP = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|<[^>\n]+>")
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Unit:
    text: str
    line: int
    headings: tuple[str, ...]  # enclosing headings (and content tabs), outermost first
    paragraph: str = ""        # the whole paragraph or list item the sentence belongs to
    table: bool = False        # a table cell, written "first cell | column header | cell"


def _clean(text: str) -> str:
    text = LINK.sub(r"\1", text)
    text = MARKUP.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def _cells(row: str) -> list[str]:
    row = row.strip()
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)]


def units(markdown: str, line_offset: int = 0,
          keep: Callable[[str, tuple[str, ...]], bool] | None = None) -> list[Unit]:
    """The page's prose units; with ``keep``, only those whose raw text it accepts (headings are
    always followed, so a kept unit still knows where it sits)."""
    keep = keep or (lambda text, headings: True)
    lines = markdown.split("\n")
    found: list[Unit] = []
    headings: list[tuple[int, str]] = []
    paragraph: list[tuple[int, str]] = []
    table_header: list[str] | None = None
    in_comment = False

    def flush() -> None:
        if not paragraph:
            return
        start = paragraph[0][0]
        text = " ".join(part for _, part in paragraph)
        if not keep(text, tuple(h for _, h in headings)):
            paragraph.clear()
            return
        # Sentences keep the line they start on: find each one's first words in the block.
        offset_lines = [(number, part) for number, part in paragraph]
        for sentence in SENTENCE_END.split(text):
            cleaned = _clean(sentence)
            if not cleaned:
                continue
            probe = sentence.strip()[:20]
            line = next((number for number, part in offset_lines if probe and probe in part), start)
            found.append(Unit(cleaned, line, tuple(h for _, h in headings), _clean(text)))
        paragraph.clear()

    index = 0
    while index < len(lines):
        raw = lines[index]
        number = index + 1 + line_offset
        index += 1
        stripped = raw.strip()
        first = stripped[:1]
        # One test of the first character before any regex: most lines are prose.
        if first in ("`", "~"):
            opening = FENCE.match(raw)
            if opening:
                flush()
                table_header = None
                fence = opening.group(1)
                # Jump over the block: its lines are code, not prose.
                while index < len(lines):
                    closing = lines[index].strip()
                    index += 1
                    if closing.startswith(fence) and closing.strip(fence[0]) == "":
                        break
                continue
        if in_comment:
            if "-->" in raw:
                in_comment = False
            continue
        if first == "<" and stripped.startswith("<!--"):
            flush()
            in_comment = "-->" not in stripped
            continue
        if first == "#":
            heading = HEADING.match(raw)
            if heading:
                flush()
                table_header = None
                level = len(heading.group(1))
                headings[:] = [(lvl, text) for lvl, text in headings if lvl < level]
                headings.append((level, _clean(heading.group(2))))
                continue
        if not stripped:
            flush()
            table_header = None
            continue
        if first == "|" or (table_header is not None and "|" in stripped):
            flush()
            if TABLE_RULE.match(stripped):
                continue
            if table_header is None:
                table_header = [_clean(c) for c in _cells(stripped)]
                continue
            if not keep(stripped + " " + " ".join(table_header), tuple(h for _, h in headings)):
                continue
            cells = [_clean(c) for c in _cells(stripped)]
            first_cell = cells[0] if cells else ""
            for column, cell in enumerate(cells[1:], start=1):
                header = table_header[column] if column < len(table_header) else ""
                if cell and cell not in ("—", "-"):
                    found.append(Unit(f"{first_cell} | {header} | {cell}", number, tuple(h for _, h in headings), table=True))
            continue
        if first == "=":
            tab = TABS.match(raw)
            if tab:
                flush()
                headings[:] = [(lvl, text) for lvl, text in headings if lvl < 7]
                headings.append((7, _clean(tab.group(1))))
                continue
        if first in ("!", "?"):
            admonition = ADMONITION.match(raw)
            if admonition:
                flush()
                if admonition.group(1) and keep(admonition.group(1), tuple(h for _, h in headings)):
                    found.append(Unit(_clean(admonition.group(1)), number, tuple(h for _, h in headings)))
                continue
        if first in ("-", "*", "+") or first.isdigit():
            if LIST_MARK.match(raw):
                flush()
                paragraph.append((number, LIST_MARK.sub("", raw, count=1)))
                continue
        paragraph.append((number, stripped))
    flush()
    return found
