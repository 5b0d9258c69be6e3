"""MkDocs events for facts: loaded once per build, every page's references resolved."""
from __future__ import annotations

import html as html_text
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hooks.background import Background
from hooks.dates.hook import Dates
from hooks.facts import derived
from hooks.facts.included import IncludedReferences
from hooks.facts.includes import expand, find_in
from hooks.facts.substitute import LOOKS_LIKE_REFERENCE, malformed_references, substitute, visible_template_syntax
from hooks.facts.values import FactsError, load_facts, load_yaml
from hooks.policy.model import Policy
from hooks.policy.values import TableValues, policy_values
from hooks.report import Problem, Report, body_line_offset, clip, line_of, project_root, source_path
from hooks.review.hook import Review
from hooks.sources.hook import Sources


@dataclass(frozen=True)
class Facts:
    """The flattened facts (``data/facts.yml`` and the alert rules as ``alerts.*``)."""

    values: dict[str, Any]

    def alert_names(self) -> list[str]:
        alerts = self.values.get("alerts", {})
        return sorted(alerts) if isinstance(alerts, dict) else []


def load_facts_or_fail(settings: Any) -> Facts:
    """The facts, the alert rules as ``alerts.*`` and the example entities as ``examples.*``."""
    try:
        return Facts(load_facts(Path(settings.facts_file), Path(settings.alert_rules_file), Path(settings.examples_file)))
    except FactsError as exc:
        raise PluginError(f"facts: {exc}") from None


SNIPPETS = "pymdownx.snippets"


@dataclass(frozen=True)
class Readable:
    """A page body as a reader sees it (see ``References.readable_source``)."""

    text: str
    offset: int                                    # lines of front matter before the body
    lines: tuple[int, ...]                         # the source line each line of ``text`` stands for
    includes: dict[int, str] = field(default_factory=dict)  # source line of an include -> its target

    def source_line(self, line: int) -> int:
        """The page's source line for 1-based line ``line`` of ``text``."""
        if 1 <= line <= len(self.lines):
            return self.lines[line - 1]
        return line + self.offset


class References:
    """``{{ facts.* }}``, ``{{ page.* }}``, ``{{ policy.* }}`` and ``{{ table.* }}`` in every page,
    resolved or reported."""

    def __init__(self, report: Report, sources: Sources, facts: Facts, policy: Policy, dates: Dates,
                 review: Review) -> None:
        self.report = report
        self.sources = sources
        self.facts = facts
        self.policy = policy
        self.policy_values = policy_values(policy, facts.values)
        self.dates = dates
        self.review = review
        self._readable: dict[str, Readable] = {}
        self.config: MkDocsConfig | None = None
        self.find_include: Callable[[str], Path | None] | None = None  # when pymdownx.snippets is in use
        self.page: Page | None = None  # the page being rendered, for references in its included text

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.config = config
        if SNIPPETS in config["markdown_extensions"]:
            options = (config["mdx_configs"] or {}).get(SNIPPETS, {})
            bases = options.get("base_path", ["."])
            root = Path(project_root(config))
            self.find_include = find_in([root / b for b in ([bases] if isinstance(bases, str) else bases)],
                                        restrict=options.get("restrict_base_path", True))
            config["markdown_extensions"].append(IncludedReferences(self._resolve_included, self._missing_include))
        return config

    def namespaces(self, page: Page) -> dict[str, Any]:
        return {"policy": self.policy_values, "table": TableValues(self.policy, self.facts.values, page.file.src_uri)}

    def readable_source(self, page: Page) -> Readable:
        """The page body as a reader sees its sentences: every reference resolved to a one-line
        value, tables (which come from the data) left out, and pymdownx.snippets include lines
        replaced by what they include. ``lines`` maps each line back to the source: included
        text to its include line, everything else line for line. Worked out once per page for
        every concern that reads prose."""
        cached = self._readable.get(page.file.src_uri)
        if cached is None:
            cached = self._readable[page.file.src_uri] = self._read(page)
        return cached

    def _read(self, page: Page) -> Readable:
        source = self.sources.text(page)
        offset = body_line_offset(source)
        body = "\n".join(source.split("\n")[offset:])
        if self.find_include is not None and "8<-" in body:
            expanded = expand(body, self.find_include)
            body, lines = expanded.text, tuple(offset + n for n in expanded.lines)
            includes = {offset + i.line: i.target for i in expanded.includes}
        else:
            lines, includes = tuple(range(offset + 1, offset + 2 + body.count("\n"))), {}
        one_line = {"policy": self.policy_values, "table": {}}
        flat_facts = {k: (v if not isinstance(v, str) or "\n" not in v else v.split("\n", 1)[0]) for k, v in self.facts.values.items()}
        text, _ = substitute(body, flat_facts, self.page_values(page), more=one_line)
        return Readable(text, offset, lines, includes)

    def page_values(self, page: Page) -> dict[str, Any]:
        values = {k: v for k, v in page.meta.items() if not k.startswith("_")}
        values.setdefault("title", page.title)
        last = self.dates.last_updated(page)
        due = self.review.next_review(page)
        if last is not None:
            values["last_updated"] = last.isoformat()
        if due is not None:
            values["next_review"] = due.isoformat()
        return values

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.page = page
        front_matter_lines = body_line_offset(self.sources.text(page))
        if self.find_include is not None and "8<-" in markdown:
            for include, reason in expand(markdown, self.find_include).missing:
                self.report.add(Problem(source_path(config, page.file.src_uri), front_matter_lines + include.line,
                                        f"include '{include.target}' shows nothing: {reason}",
                                        "fix the path (relative to the repository root) or add the section's markers"))
        text, unknown = substitute(markdown, self.facts.values, self.page_values(page), line_offset=front_matter_lines,
                                   more=self.namespaces(page))
        for ref in unknown:
            hint = (f"did you mean '{{{{ {ref.suggestion} }}}}'?" if ref.suggestion
                    else "add it to data/facts.yml or fix the key")
            self.report.add(Problem(source_path(config, page.file.src_uri), ref.line,
                                    f"unknown reference '{{{{ {ref.reference} }}}}': {ref.reason}", hint))
        for bad in malformed_references(markdown, line_offset=front_matter_lines):
            self.report.add(Problem(source_path(config, page.file.src_uri), bad.line,
                                    f"'{bad.text}' {bad.reason}; it would show literally on the page",
                                    f"write '{bad.suggestion}'" if bad.suggestion else "write {{ facts.<group>.<key> }} or {{ page.<key> }}"))
        return text

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        source = None
        for leftover in visible_template_syntax(html):
            written = html_text.unescape(leftover)
            if LOOKS_LIKE_REFERENCE.match(written):
                continue  # reported from the Markdown, with its line
            source = source if source is not None else self.sources.text(page)
            self.report.add(Problem(source_path(config, page.file.src_uri), line_of(source, written),
                                    f"template syntax '{clip(written, 60)}' shows literally on the page: the build "
                                    "resolves only {{ facts.* }}, {{ page.* }}, {{ policy.* }} and {{ table.* }}",
                                    "put it in `code` if the reader should see it, or write a facts reference"))
        return html

    def _resolve_included(self, lines: list[str], target: dict[str, Any]) -> list[str]:
        """References in included lines, resolved for the page that includes them."""
        if self.page is None or self.config is None or not any("{{" in line for line in lines):
            return lines
        page, config = self.page, self.config
        text, unknown = substitute("\n".join(lines), self.facts.values, self.page_values(page), more=self.namespaces(page))
        docs = Path(config["docs_dir"]).resolve()
        if unknown and docs not in Path(str(target.get("snippet", ""))).resolve().parents:
            # A page's own unknown references are reported on that page; other files only here.
            for ref in unknown:
                self.report.add(Problem(source_path(config, page.file.src_uri), None,
                                        f"unknown reference '{{{{ {ref.reference} }}}}' in text included from "
                                        f"'{target.get('path', '')}': {ref.reason}", "fix the key in the included file"))
        return text.split("\n")

    def _missing_include(self, message: str) -> None:
        if self.page is not None and self.config is not None:
            # Already reported with its line by on_page_markdown, unless the include was nested.
            path = source_path(self.config, self.page.file.src_uri)
            if not any(p.path == path and p.message.startswith("include '") for p in self.report.problems):
                self.report.add(Problem(path, None, f"pymdownx.snippets: {message}", "fix the include"))

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env.globals["facts"] = self.facts.values  # templates show facts too (404.html)
        return env


class RenderedRules:
    """The alert rules and their unit tests, rendered from the facts, must match them.

    The pages read the rules file for alert names, expressions and ``for``, and data/facts.yml
    for the thresholds; a threshold changed in the facts but not rendered into the rules would
    show one number on the pages while Prometheus fires at another.
    """

    def __init__(self, report: Report, settings: Any, background: Background) -> None:
        self.report = report
        self.facts_file = Path(settings.facts_file)
        self.folder = Path(settings.alert_rules_file).parent
        self.background = background

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # Rendering every template is a check of its own: it runs beside the build.
        self.background.submit(stale_rules, self.folder, self.facts_file, Path(project_root(config)))
        return files


def stale_rules(folder: Path, facts_file: Path, root: Path) -> list[Problem]:
    """Every rendered file under ``folder`` that its template and the facts would render otherwise."""
    try:
        stale = derived.stale(folder, load_yaml(facts_file), facts_file, root)
    except derived.TemplateError as error:
        return [Problem(error.path, error.line, error.detail, "templates read data/facts.yml as [[ facts.<group>.<name> ]]")]
    return [Problem(*derived.explain(item, facts_file, root)) for item in stale]
