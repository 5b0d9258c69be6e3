"""Does a runbook open with action? "First five minutes" first, at most ``LIMIT`` words
(tables and admonitions included) before the first shell command, then the triage decision.

Pure functions over a page's Markdown: a runbook page is checked from its title, an alert
section from its heading (the section an alert's runbook_url points at). Line numbers are
1-based lines of the text given, plus ``offset``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

LIMIT = 150
FIRST_FIVE = re.compile(r"^first\s+five\s+minutes\b", re.I)
TRIAGE = re.compile(r"^\s*(?:#{3,6}\s+|\*\*|(?:[-*+]|\d+[.)])\s+\*\*|\|\s*(?:\*\*)?)?\s*"
                    r"(?:triage|decide|decision|which\s+branch|is\s+it)\b", re.I | re.M)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{([^}]*)\})?\s*#*\s*$")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*\{?\.?([\w-]*)")
SHELL = {"bash", "sh", "shell", "zsh"}
CONSOLE = {"console"}  # a session: a command only where a line carries the "$ " prompt
WORD = re.compile(r"[A-Za-z0-9][\w'’./:-]*")


@dataclass(frozen=True)
class Line:
    number: int
    text: str             # "" for the body and closing line of a code block: neither prose nor a heading
    language: str | None  # on a block's opening line: its language ("text" if none)
    command: bool = False  # on a block's opening line: the block holds a command to run


def _anchor(attrs: str | None) -> str | None:
    match = re.search(r"#([\w:.-]+)", attrs or "")
    return match.group(1) if match else None


def _words(text: str) -> int:
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"<[^>\n]+>", " ", text)                                   # raw HTML tags (anchors) are not read
    text = re.sub(r"\]\([^)]*\)", "]", text)                                 # a link counts by its text, not its target
    text = re.sub(r"\{[#.][^}\n]*\}", " ", text)                             # attr_list ids and classes
    text = re.sub(r"^\s*(?:!!!|\?\?\?\+?)\s+[\w-]+", " ", text, flags=re.M)  # admonition markers
    text = re.sub(r"^\s*\|?[\s:|-]+\|?\s*$", " ", text, flags=re.M)          # table rules
    return len(WORD.findall(text))


def _is_command(language: str, body: list[str]) -> bool:
    code = [line.strip() for line in body if line.strip()]
    if language in SHELL:
        return any(not line.startswith("#") for line in code)
    if language in CONSOLE:
        return any(line.startswith("$ ") for line in code)
    return False


def classify(lines: list[tuple[int, str]]) -> list[Line]:
    """Each line as prose, a block's opening (with its language) or a block's body."""
    marked: list[Line] = []
    index = 0
    while index < len(lines):
        number, text = lines[index]
        opening = FENCE.match(text)
        if not opening:
            marked.append(Line(number, text, None))
            index += 1
            continue
        fence = opening.group(2)
        end = index + 1
        while end < len(lines) and not _closes(lines[end][1], fence):
            end += 1
        language = opening.group(3).lower() or "text"
        body = [t for _, t in lines[index + 1:end]]
        marked.append(Line(number, text, language, _is_command(language, body)))
        marked.extend(Line(n, "", None) for n, _ in lines[index + 1:end + 1])
        index = end + 1
    return marked


def _closes(text: str, fence: str) -> bool:
    stripped = text.strip()
    return stripped.startswith(fence) and stripped.strip(fence[0]) == ""


def section(lines: list[str], start: int, level: int, offset: int) -> list[tuple[int, str]]:
    """The lines after ``start`` up to the next heading of ``level`` or higher (never inside a block)."""
    numbered = [(index + 1 + offset, line) for index, line in enumerate(lines)][start + 1:]
    body: list[tuple[int, str]] = []
    for line in classify(numbered):
        heading = HEADING.match(line.text) if line.language is None else None
        if heading and len(heading.group(1)) <= level:
            break
        body.append((line.number, lines[line.number - 1 - offset]))
    return body


def check_opening(lines: list[tuple[int, str]], where: str, heading_line: int) -> list[tuple[int, str, str]]:
    """Problems with how the lines of a runbook (or alert section) open."""
    problems: list[tuple[int, str, str]] = []
    marked = classify(lines)
    headings = [(line.number, match) for line in marked
                if line.language is None and (match := HEADING.match(line.text)) is not None]
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
    for line in marked:
        if line.command:
            first_command = line.number
            break
        if line.language is None:
            before.append(line.text)
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
        for line in marked:
            if line.number == first_sub[0]:
                started = True
                continue
            if not started or line.language is not None or not line.text:
                continue
            heading = HEADING.match(line.text)
            if heading and len(heading.group(1)) <= level:
                break
            inside.append(line.text)
        if not TRIAGE.search("\n".join(inside)):
            problems.append((first_sub[0], f"{where}: 'First five minutes' has no triage decision",
                             "end it with a 'Triage' step or table that says which section to go to next"))
    return problems


def runbook_problems(markdown: str, offset: int) -> list[tuple[int, str, str]]:
    """A runbook page: from its title to the first command."""
    lines = markdown.split("\n")
    titles = [l.number - 1 - offset for l in classify([(i + 1 + offset, t) for i, t in enumerate(lines)])
              if l.language is None and (h := HEADING.match(l.text)) and len(h.group(1)) == 1]
    if titles:
        return check_opening(section(lines, titles[0], 0, offset), "runbook", titles[0] + 1 + offset)
    return check_opening([(i + 1 + offset, l) for i, l in enumerate(lines)], "runbook", 1 + offset)


def alert_section_problems(markdown: str, offset: int, anchors: dict[str, str]) -> list[tuple[int, str, str]]:
    """Each section whose id an alert's runbook_url names: ``anchors`` maps id -> alert."""
    lines = markdown.split("\n")
    problems: list[tuple[int, str, str]] = []
    for line in classify([(i + 1 + offset, t) for i, t in enumerate(lines)]):
        heading = HEADING.match(line.text) if line.language is None else None
        if not heading:
            continue
        anchor = _anchor(heading.group(3)) or _slug(heading.group(2))
        if anchor in anchors:
            index = line.number - 1 - offset
            body = section(lines, index, len(heading.group(1)), offset)
            problems += check_opening(body, f"alert section {anchors[anchor]}", line.number)
    return problems


def _slug(title: str) -> str:
    return re.sub(r"[^\w\s-]", "", title).strip().lower().replace(" ", "-")
