"""The line a YAML syntax error is really on, for every message that names a YAML file.

libyaml and PyYAML report where the parser gave up, which is often the line after the
mistake: a key without its ':' is only noticed at the next key, a quote or a plain value that
runs on is only noticed where it finally clashes. The tokens scanned before that point say
where the mistake began, so the error is moved back to it.
"""
from __future__ import annotations

import yaml


def error_line(text: str, error: yaml.YAMLError) -> int | None:
    """0-based line of ``text`` where the mistake behind ``error`` is, or None if unknown."""
    mark = getattr(error, "problem_mark", None)
    if mark is None:
        return None
    context = getattr(error, "context", None) or ""
    context_mark = getattr(error, "context_mark", None)
    if context_mark is not None and context.startswith(("while scanning a quoted scalar", "while scanning a simple key")):
        return int(context_mark.line)  # the quote never closed, the key whose ':' is missing
    before = _tokens_before(text, mark.index)
    if not before:
        return int(mark.line)
    previous = before[-1]
    start, end = previous.start_mark, previous.end_mark
    if isinstance(previous, yaml.ScalarToken) and start.line < end.line and end.line >= mark.line:
        return int(start.line)  # a value that runs on over the following lines
    opener = _unclosed_bracket(before)
    if isinstance(error, yaml.parser.ParserError) and opener is not None:
        return int(opener.start_mark.line)
    if isinstance(error, yaml.parser.ParserError) and _first_on_its_line(text, mark.index) \
            and end.line < mark.line and _indent(text, end.line) == mark.column and _is_bare_value(before):
        return int(end.line)  # a key without its ':', noticed only at the next key
    return int(mark.line)


def message(error: yaml.YAMLError) -> str:
    return str(getattr(error, "problem", None) or error)


def _tokens_before(text: str, index: int) -> list[yaml.Token]:
    tokens: list[yaml.Token] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= index:
                break
            if not isinstance(token, (yaml.BlockEndToken, yaml.StreamEndToken)):
                tokens.append(token)
    except yaml.YAMLError:
        pass  # the scanner stops at the same mistake; the tokens before it are all that is needed
    return tokens


def _unclosed_bracket(tokens: list[yaml.Token]) -> yaml.Token | None:
    """The '[' or '{' still open at the point of the error."""
    open_brackets: list[yaml.Token] = []
    for token in tokens:
        if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
            open_brackets.append(token)
        elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) and open_brackets:
            open_brackets.pop()
    return open_brackets[-1] if open_brackets else None


def _is_bare_value(tokens: list[yaml.Token]) -> bool:
    """Whether the last token is a value alone on its line: a key that lost its ':'."""
    last, before = tokens[-1], tokens[-2] if len(tokens) > 1 else None
    introduced = before is not None and before.end_mark.line == last.start_mark.line and isinstance(
        before, (yaml.ValueToken, yaml.BlockEntryToken, yaml.KeyToken, yaml.AnchorToken, yaml.TagToken))
    return isinstance(last, yaml.ScalarToken) and not introduced


def _first_on_its_line(text: str, index: int) -> bool:
    return text[text.rfind("\n", 0, index) + 1:index].strip() == ""


def _indent(text: str, line: int) -> int:
    row = text.split("\n")[line]
    return len(row) - len(row.lstrip(" "))
