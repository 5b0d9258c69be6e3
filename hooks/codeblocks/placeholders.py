"""Placeholders such as ``<TENANT_ID>`` in commands and queries, made safe for parsers.

A placeholder is ``<`` + upper-case letters, digits and underscores + ``>``. Readers replace
it before running the command; parsers see a stand-in of the right kind instead, so the
placeholder never reads as a shell redirection or a SQL operator.
"""
from __future__ import annotations

import re

NAME = r"[A-Z][A-Z0-9_]*"     # a placeholder's name; hooks/reading finds the same names in HTML
PLACEHOLDER = re.compile(rf"<({NAME})>")


def for_shell(code: str) -> str:
    return PLACEHOLDER.sub(lambda m: f"PLACEHOLDER_{m.group(1)}", code)


def for_sql(code: str) -> str:
    """Inside quotes a placeholder is already text; elsewhere it stands for a value."""
    out, quoted = [], False
    last = 0
    for match in re.finditer(r"'|" + PLACEHOLDER.pattern, code):
        if match.group(0) == "'":
            quoted = not quoted
            continue
        out.append(code[last:match.start()])
        out.append(match.group(0) if quoted else "NULL")
        last = match.end()
    out.append(code[last:])
    return "".join(out)


def for_promql(code: str) -> str:
    return PLACEHOLDER.sub(lambda m: f"placeholder_{m.group(1).lower()}", code)


def for_data(code: str) -> str:
    """JSON and YAML: a bare placeholder becomes a string; a quoted one already is."""
    return re.sub(r'(?<!["\'\w])' + PLACEHOLDER.pattern + r'(?!["\'\w])', lambda m: f'"<{m.group(1)}>"', code)
