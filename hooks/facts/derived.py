"""Files derived from data/facts.yml: the alert rules and their promtool unit tests.

Each ``*.j2`` file in the alert rules' folder (and below it) renders to the same path without
``.j2``: ``alerts.yml.j2`` to ``alerts.yml``, ``tests/high-queue-depth.yml.j2`` to
``tests/high-queue-depth.yml``. The rendered files are committed, so Prometheus, promtool and
reviewers see plain rules and tests; ``python -m scripts.render_rules`` writes them, and the
build reports a rendered file that no longer matches its template and the facts.

Templates are Jinja with square brackets (``[[ facts.thresholds.queue_depth_scale ]]``,
``[% set t = ... %]``): the rules hold Prometheus' own ``{{ $value }}`` templates, which must
reach Prometheus untouched. Numbers are Decimals, so ``0.05 * 60`` is exactly 3 and a test
input "exactly at the threshold" is exactly at it.
"""
from __future__ import annotations

import difflib
import math
import os
import re
import sys
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import jinja2

from hooks.facts.values import flatten

SUFFIX = ".j2"
COMMAND = "python -m scripts.render_rules"


class TemplateError(ValueError):
    """A template that cannot be rendered, located in the template."""

    def __init__(self, path: str, line: int | None, detail: str) -> None:
        self.path, self.line, self.detail = path, line, detail
        super().__init__(f"{path}:{line}: {detail}" if line else f"{path}: {detail}")


@dataclass(frozen=True)
class Stale:
    """A rendered file that differs from what its template and the facts give now."""

    path: Path
    line: int | None      # first line that differs; None when the file is missing
    found: str
    expected: str


def number(value: Any) -> Decimal:
    """A fact as a number: ``50`` -> 50, ``"95%"`` -> 0.95, ``0.05`` -> 0.05."""
    text = str(value).strip()
    try:
        if text.endswith("%"):
            return Decimal(text[:-1].strip()) / 100
        return Decimal(repr(value) if isinstance(value, float) else text)
    except InvalidOperation:
        raise ValueError(f"'{value}' is not a number (write 50, 0.05 or '95%')") from None


def percent(value: Any) -> Decimal:
    """A ratio fact in per cent: ``"95%"`` -> 95, ``0.05`` -> 5."""
    return number(value) * 100


def floor(value: Any) -> Decimal:
    return Decimal(math.floor(value))


def plain(value: Any) -> str:
    """How a value is written into YAML: Decimals without exponent or trailing zeros."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def go_value(value: Any) -> str:
    """``{{ $value }}`` as Prometheus prints it: Go's %v of a float64, the shortest digits that
    read back as the same float, in %e form below 1e-4 and from 1e6 (strconv's 'g' decides
    with precision 6 when the precision is the shortest)."""
    number_ = float(value)
    if number_ == 0:
        return "0"
    digits = Decimal(repr(number_))
    exponent = digits.adjusted()
    if exponent < -4 or exponent >= 6:
        mantissa = format(digits.scaleb(-exponent).normalize(), "f")
        return f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    return format(digits.normalize(), "f")


def humanize_percentage(value: Any) -> str:
    """Prometheus' humanizePercentage: ``%.4g%%`` of the ratio times 100."""
    return "%.4g%%" % (float(value) * 100)


def humanize_duration(value: Any) -> str:
    """Prometheus' humanizeDuration, for the expected ``description`` of latency alerts."""
    seconds = float(value)
    if math.isnan(seconds) or math.isinf(seconds):
        return "%.4g" % seconds
    if seconds == 0:
        return "%.4gs" % seconds
    if abs(seconds) >= 1:
        sign = "-" if seconds < 0 else ""
        whole = int(abs(seconds))
        days, hours, minutes, rest = whole // 86400, whole // 3600 % 24, whole // 60 % 60, whole % 60
        if days:
            return f"{sign}{days}d {hours}h {minutes}m {rest}s"
        if hours:
            return f"{sign}{hours}h {minutes}m {rest}s"
        if minutes:
            return f"{sign}{minutes}m {rest}s"
        return "%s%.4gs" % (sign, abs(seconds))
    prefix = ""
    for unit in ("m", "u", "n", "p", "f", "a", "z", "y"):
        if abs(seconds) >= 1:
            break
        prefix, seconds = unit, seconds * 1000
    return "%.4g%ss" % (seconds, prefix)


def environment(folder: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)), undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True, autoescape=False, finalize=plain, trim_blocks=True, lstrip_blocks=True,
        variable_start_string="[[", variable_end_string="]]",
        block_start_string="[%", block_end_string="%]",
        comment_start_string="[#", comment_end_string="#]",
    )
    env.filters.update(number=number, percent=percent, floor=floor, go_value=go_value,
                       humanize_percentage=humanize_percentage, humanize_duration=humanize_duration)
    return env


def templates(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*" + SUFFIX))


def output_of(template: Path) -> Path:
    return template.with_name(template.name[: -len(SUFFIX)])


def header(template: Path, facts_file: Path, root: Path) -> str:
    return (f"# Generated by `{COMMAND}` from {_shown(template, root)} and {_shown(facts_file, root)}:"
            " change those, not this file.\n")


def render(template: Path, facts: dict[str, Any], facts_file: Path, root: Path) -> str:
    """The text of ``template`` rendered with ``facts`` (the nested mapping of data/facts.yml)."""
    folder = template.parent
    try:
        text = environment(folder).get_template(template.name).render(facts=facts)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(_shown(template, root), error.lineno, str(error.message)) from None
    except (jinja2.UndefinedError, ValueError, TypeError, ArithmeticError) as error:
        line = _template_line(template)
        detail = _unknown_fact(template, line, facts) if isinstance(error, jinja2.UndefinedError) else None
        raise TemplateError(_shown(template, root), line, detail or str(error)) from None
    return header(template, facts_file, root) + text


def stale(folder: Path, facts: dict[str, Any], facts_file: Path, root: Path) -> list[Stale]:
    """Every rendered file under ``folder`` that differs from its template and the facts."""
    found = []
    for template in templates(folder):
        expected = render(template, facts, facts_file, root)
        target = output_of(template)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != expected:
            found.append(_difference(target, current, expected))
    return found


def threshold_facts(rules_template: Path) -> dict[str, str]:
    """``{alert name: 'thresholds.x'}``: the fact each alert's threshold annotation is rendered from.

    Pages name a threshold by this fact, not by ``alerts.<Name>.threshold``, so that a number
    has one name; alerts whose threshold is not a fact (``== 0``) are left out.
    """
    if not rules_template.exists():
        return {}
    found, alert = {}, None
    for line in rules_template.read_text(encoding="utf-8").splitlines():
        if match := re.match(r"\s*-\s*alert:\s*(\w+)", line):
            alert = match.group(1)
        elif alert and (match := re.match(r"""\s*threshold:\s*["']?\[\[\s*facts\.([\w.]+)""", line)):
            found[alert] = match.group(1)
    return found


def explain(item: Stale, facts_file: Path, root: Path) -> tuple[str, int | None, str, str]:
    """(path, line, what differs, what to run) for a rendered file that is out of date."""
    path = _shown(item.path, root)
    source = f"{path}.j2 and {_shown(facts_file, root)}"
    if item.line is None:
        return path, None, f"missing; it is rendered from {source}", f"run `{COMMAND}`"
    change = f": '{item.found}' should be '{item.expected}'" if item.found or item.expected else ""
    return path, item.line, f"differs from what {source} give{change}", f"run `{COMMAND}` and commit the result"


def describe(item: Stale, facts_file: Path, root: Path) -> str:
    path, line, message, hint = explain(item, facts_file, root)
    return f"{path}:{line}: {message} ({hint})" if line else f"{path}: {message} ({hint})"


def write(folder: Path, facts: dict[str, Any], facts_file: Path, root: Path) -> list[Path]:
    """Render every template under ``folder``; return the files whose text changed."""
    written = []
    for template in templates(folder):
        expected = render(template, facts, facts_file, root)
        target = output_of(template)
        if not target.exists() or target.read_text(encoding="utf-8") != expected:
            target.write_text(expected, encoding="utf-8")
            written.append(target)
    return written


def _difference(target: Path, current: str | None, expected: str) -> Stale:
    if current is None:
        return Stale(target, None, "", "")
    old, new = current.splitlines(), expected.splitlines()
    for opcode, i1, _, j1, _ in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if opcode != "equal":
            return Stale(target, i1 + 1, old[i1].strip() if i1 < len(old) else "",
                         new[j1].strip() if j1 < len(new) else "")
    return Stale(target, len(old), "", "")  # only the final newline differs


def _template_line(template: Path) -> int | None:
    """The template line being rendered when the error was raised (Jinja maps its frames to it)."""
    traceback = sys.exc_info()[2]
    line = None
    while traceback is not None:
        if os.path.normpath(traceback.tb_frame.f_code.co_filename) == os.path.normpath(template):
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _unknown_fact(template: Path, line: int | None, facts: dict[str, Any]) -> str | None:
    """'unknown fact ... (did you mean ...?)' for the first reference on ``line`` that does not resolve."""
    if line is None:
        return None
    text = template.read_text(encoding="utf-8").splitlines()[line - 1]
    for reference in re.findall(r"\bfacts((?:\.\w+)+)", text):
        node: Any = facts
        for key in reference.strip(".").split("."):
            if not isinstance(node, dict) or key not in node:
                known = [f"facts.{k}" for k in flatten(facts)]
                close = difflib.get_close_matches("facts" + reference, known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                return f"unknown fact 'facts{reference}': data/facts.yml has no such value{hint}"
            node = node[key]
    return None


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
