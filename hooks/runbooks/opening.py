"""Does a runbook open with action? "First five minutes" first, at most ``LIMIT`` words
(tables and admonitions included) before the first shell command, then the triage decision.

Pure functions over a page's Markdown: a runbook page is checked from its title, an alert
section from its heading (the section an alert's runbook_url points at).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

LIMIT = 150
FIRST_FIVE = re.compile(r"^first\s+five\s+minutes\b", re.I)
TRIAGE = re.compile(r"^(?:#{3,6}\s+|\*\*|\s*[-*]\s+\*\*)?\s*(?:triage|decide|decision|which\s+branch|is\s+it)\b", re.I | re.M)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{([^}]*)\})?\s*$")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*\{?\.?([\w-]*)")
SHELL = {"bash", "sh", "shell", "console"}
WORD = re.compile(r"[A-Za-z0-9][\w'’./:-]*")


@dataclass(frozen=True)
class Opening:
    problems: list[tuple[int, str, str]]  # (line, message, hint)


@dataclass(frozen=True)
class Section:
    line: int          # line of the heading that opens it (0: the page's title)
    level: int
    title: str
    lines: list[tuple[int, str]]  # the section's own lines, with their numbers


def _anchor(attrs: str | None) -> str | None:
    if not attrs:
        return None
    match = re.search(r"#([\w:.-]+)", attrs)
    return match.group(1) if match else None


def _words(text: str) -> int:
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"\]\([^)]*\)", "]", text)       # a link counts by its text, not its target
    text = re.sub(r"^\s*(?:!!!|\?\?\?\+?)\s+[\w-]+", " ", text, flags=re.M)  # admonition markers
    text = re.sub(r"^\s*\|?[\s:|-]+\|?\s*$", " ", text, flags=re.M)           # table rules
    return len(WORD.findall(text))


def section(lines: list[str], start: int, level: int, offset: int) -> list[tuple[int, str]]:
    """The lines after ``start`` up to the next heading of ``level`` or higher."""
    body: list[tuple[int, str]] = []
    fence: str | None = None
    for index in range(start + 1, len(lines)):
        line = lines[index]
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(2)[0]
        elif fence is not None and line.strip().startswith(fence * 3) and line.strip().strip(fence) == "":
            fence = None
        elif fence is None:
            heading = HEADING.match(line)
            if heading and len(heading.group(1)) <= level:
                break
        body.append((index + 1 + offset, line))
    return body


def _outside_fences(lines: list[tuple[int, str]]) -> list[tuple[int, str, str | None]]:
    """Each line with the language of the code block it opens (None for prose and block bodies)."""
    marked: list[tuple[int, str, str | None]] = []
    fence: str | None = None
    for number, line in lines:
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(2)[0]
            marked.append((number, line, opening.group(3).lower() or "text"))
            continue
        if fence is not None:
            if line.strip().startswith(fence * 3) and line.strip().strip(fence) == "":
                fence = None
            marked.append((number, "", None))  # a block's body is neither prose nor a heading
            continue
        marked.append((number, line, None))
    return marked


def check_opening(lines: list[tuple[int, str]], where: str, heading_line: int) -> list[tuple[int, str, str]]:
    """Problems with how the lines of a runbook (or alert section) open."""
    problems: list[tuple[int, str, str]] = []
    marked = _outside_fences(lines)
    headings = [(n, HEADING.match(l)) for n, l, block in marked if block is None and HEADING.match(l)]
    first_sub = headings[0] if headings else None
    opens_right = first_sub is not None and FIRST_FIVE.match(first_sub[1].group(2)) is not None
    if not opens_right:
        found = f"'{first_sub[1].group(2)}'" if first_sub else "no sub-heading"
        problems.append((first_sub[0] if first_sub else heading_line,
                         f"{where} must open with a 'First five minutes' section (its first sub-heading is {found})",
                         "start with '## First five minutes' (or '### First five minutes' in an alert section): "
                         "the first commands, then the triage decision; explanation comes after"))
    before: list[str] = []
    first_command = None
    for number, line, block in marked:
        if block in SHELL:
            first_command = number
            break
        if block is None:
            before.append(line)
    words = _words("\n".join(before))
    if first_command is None:
        problems.append((heading_line, f"{where} has no shell command", "give the first command an on-call engineer runs"))
    elif words > LIMIT:
        problems.append((first_command, f"{where}: {words} words before the first shell command (at most {LIMIT})",
                         "move explanation below the first commands; keep the opening to what to run and why"))
    if opens_right and first_sub is not None:
        level = len(first_sub[1].group(1))
        inside: list[str] = []
        started = False
        for number, line, block in marked:
            if number == first_sub[0]:
                started = True
                continue
            if not started or block is not None:
                continue
            heading = HEADING.match(line)
            if heading and len(heading.group(1)) <= level:
                break
            inside.append(line)
        if not TRIAGE.search("\n".join(inside)):
            problems.append((first_sub[0], f"{where}: 'First five minutes' has no triage decision",
                             "end it with a 'Triage' step or table that says which section to go to next"))
    return problems


def runbook_problems(markdown: str, offset: int) -> list[tuple[int, str, str]]:
    """A runbook page: from its title to the first command."""
    lines = markdown.split("\n")
    title = next((i for i, l in enumerate(lines) if HEADING.match(l) and len(HEADING.match(l).group(1)) == 1), None)
    start = title if title is not None else -1
    body = section(lines, start, 0, offset) if start >= 0 else [(i + 1 + offset, l) for i, l in enumerate(lines)]
    return check_opening(body, "runbook", (start + 1 + offset) if start >= 0 else 1 + offset)


def alert_section_problems(markdown: str, offset: int, anchors: dict[str, str]) -> list[tuple[int, str, str]]:
    """Each section whose id an alert's runbook_url names: ``anchors`` maps id -> alert."""
    lines = markdown.split("\n")
    problems: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    fence: str | None = None
    for index, line in enumerate(lines):
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening.group(2)[0]
            continue
        if fence is not None:
            if line.strip().startswith(fence * 3) and line.strip().strip(fence) == "":
                fence = None
            continue
        heading = HEADING.match(line)
        if not heading:
            continue
        anchor = _anchor(heading.group(3)) or _slug(heading.group(2))
        if anchor in anchors:
            seen.add(anchor)
            body = section(lines, index, len(heading.group(1)), offset)
            problems += check_opening(body, f"alert section {anchors[anchor]}", index + 1 + offset)
    return problems


def _slug(title: str) -> str:
    return re.sub(r"[^\w\s-]", "", title).strip().lower().replace(" ", "-")
