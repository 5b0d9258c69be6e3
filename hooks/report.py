"""How the hooks report problems in the pages, and how strict mode fails on them.

Every problem is logged as a warning through a logger under ``mkdocs.`` so that
``mkdocs build --strict`` counts it. MkDocs stops counting warnings when ``-q`` raises the
log level (mkdocs issue 4126), so in strict mode the gate also raises a ``PluginError``
listing every problem: the build fails whatever the verbosity, and nothing is lost.

For CI the same list leaves the build as data, never scraped from the log:
``PORTAL_ANNOTATIONS=github`` also prints each problem as a GitHub workflow command
(``::error file=…,line=…::…``), so it shows on the pull request's diff, and
``PORTAL_PROBLEMS_FILE=<path>`` writes the list as JSON for the pull request's summary.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from hooks.shown import clip as clip
from hooks.shown import show as show

log = get_plugin_logger("portal")

# Every message and hint is cut to these lengths when it is added (see hooks/shown.py).
MESSAGE_LIMIT = 400
HINT_LIMIT = 300


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the sources, located as precisely as the source allows."""

    path: str
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class Report:
    """The problems of one build, in the order they were found, each logged once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._seen: set[Problem] = set()

    def add(self, problem: Problem) -> None:
        if len(problem.message) > MESSAGE_LIMIT or len(problem.hint) > HINT_LIMIT:
            problem = Problem(problem.path, problem.line, clip(problem.message, MESSAGE_LIMIT), clip(problem.hint, HINT_LIMIT))
        if problem not in self._seen:
            self._seen.add(problem)
            self.problems.append(problem)
            log.warning(str(problem))

    def gate(self, strict: bool) -> None:
        """Fail a strict build on any problem reported so far."""
        export(self.problems)
        if strict and self.problems:
            listing = "\n".join(f"  {p}" for p in sorted(self.problems, key=_sort_key))
            count = len(self.problems)
            raise PluginError(f"{count} problem{'s' if count != 1 else ''} in the sources:\n{listing}")


def export(problems: list[Problem]) -> None:
    """Hand the problems to CI as the environment asks (see the module's docstring)."""
    if os.environ.get("PORTAL_ANNOTATIONS") == "github":
        for problem in sorted(problems, key=_sort_key):
            print(github_annotation(problem), flush=True)
    target = os.environ.get("PORTAL_PROBLEMS_FILE")
    if target:
        with open(target, "w", encoding="utf-8") as stream:
            json.dump([asdict(p) for p in sorted(problems, key=_sort_key)], stream, indent=1)


def export_failure(message: str) -> None:
    """Export an error that stopped the build before any page was read (its lines are ``file:line: ...``)."""
    problems = []
    for line in message.splitlines():
        match = re.match(r"^\s*(?:[\w ]+: )?([^\s:]+\.\w+):(\d+): (.+)$", line)
        if match:
            problems.append(Problem(match.group(1), int(match.group(2)), match.group(3)))
    export(problems or [Problem("mkdocs.yml", None, message.strip())])


def github_annotation(problem: Problem) -> str:
    """``::error file=…,line=…,title=…::message``, escaped as GitHub's workflow commands require."""
    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    path = os.path.relpath(problem.path) if os.path.isabs(problem.path) else problem.path  # CI runs from the checkout
    properties = [f"file={prop(path)}"] + ([f"line={problem.line}"] if problem.line else [])
    message = f"{problem.message} ({problem.hint})" if problem.hint else problem.message
    return f"::error {','.join(properties)},title=portal build::{data(message)}"


def _sort_key(problem: Problem) -> tuple[str, int, str]:
    return (problem.path, problem.line or 0, problem.message)


def project_root(config: MkDocsConfig) -> str:
    """The folder holding mkdocs.yml: what the paths in messages are relative to."""
    return os.path.dirname(os.path.abspath(config["config_file_path"] or "."))


def source_path(config: MkDocsConfig, src_uri: str) -> str:
    """A page's path as the author sees it: relative to the folder holding mkdocs.yml."""
    return os.path.relpath(os.path.join(config["docs_dir"], src_uri), project_root(config)).replace(os.sep, "/")


def config_path(config: MkDocsConfig) -> str:
    return os.path.relpath(os.path.abspath(config["config_file_path"]), project_root(config))


def line_of(text: str, needle: str, start: int = 0) -> int | None:
    """1-based line of the first occurrence of ``needle`` at or after ``start``."""
    index = text.find(needle, start)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def body_line_offset(source: str) -> int:
    """How many lines of a page's source come before the Markdown MkDocs hands to plugins.

    MkDocs strips the YAML front matter and the blank lines after it; adding this offset to a
    line number in ``page.markdown`` gives the line in the file the author edits.
    """
    from mkdocs.utils.meta import YAML_RE

    match = YAML_RE.match(source)
    if not match:
        return 0
    rest = source[match.end():]
    stripped = len(rest) - len(rest.lstrip("\n"))
    return source.count("\n", 0, match.end()) + stripped
