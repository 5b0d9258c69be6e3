"""MkDocs events for facts: loaded once per build, every page's references resolved."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from hooks.facts import derived
from hooks.facts.substitute import substitute
from hooks.facts.values import FactsError, load_facts, load_yaml
from hooks.report import Problem, Report, body_line_offset, project_root, source_path
from hooks.dates.hook import Dates
from hooks.review.hook import Review


@dataclass(frozen=True)
class Facts:
    """The flattened facts (``data/facts.yml`` and the alert rules as ``alerts.*``)."""

    values: dict[str, Any]

    def alert_names(self) -> list[str]:
        alerts = self.values.get("alerts", {})
        return sorted(alerts) if isinstance(alerts, dict) else []


def load_facts_or_fail(settings: Any) -> Facts:
    try:
        return Facts(load_facts(Path(settings.facts_file), Path(settings.alert_rules_file)))
    except FactsError as exc:
        raise PluginError(f"facts: {exc}") from None


class References:
    """``{{ facts.* }}`` and ``{{ page.* }}`` in every page, resolved or reported."""

    def __init__(self, report: Report, facts: Facts, dates: Dates, review: Review) -> None:
        self.report = report
        self.facts = facts
        self.dates = dates
        self.review = review

    def page_values(self, page) -> dict[str, Any]:
        values = {k: v for k, v in page.meta.items() if not k.startswith("_")}
        values.setdefault("title", page.title)
        last = self.dates.last_updated(page)
        due = self.review.next_review(page)
        if last is not None:
            values["last_updated"] = last.isoformat()
        if due is not None:
            values["next_review"] = due.isoformat()
        return values

    def on_page_markdown(self, markdown, *, page, config, files):
        front_matter_lines = body_line_offset(page.file.content_string)
        text, unknown = substitute(markdown, self.facts.values, self.page_values(page), line_offset=front_matter_lines)
        for ref in unknown:
            hint = (f"did you mean '{{{{ {ref.suggestion} }}}}'?" if ref.suggestion
                    else "add it to data/facts.yml or fix the key")
            self.report.add(Problem(source_path(config, page.file.src_uri), ref.line,
                                    f"unknown reference '{{{{ {ref.reference} }}}}': {ref.reason}", hint))
        return text

    def on_env(self, env, *, config, files):
        env.globals["facts"] = self.facts.values  # templates show facts too (404.html)
        return env


class RenderedRules:
    """The alert rules and their unit tests, rendered from the facts, must match them.

    The pages read the rules file for alert names, expressions and ``for``, and data/facts.yml
    for the thresholds; a threshold changed in the facts but not rendered into the rules would
    show one number on the pages while Prometheus fires at another.
    """

    def __init__(self, report: Report, settings: Any) -> None:
        self.report = report
        self.facts_file = Path(settings.facts_file)
        self.folder = Path(settings.alert_rules_file).parent

    def on_files(self, files, *, config):
        root = Path(project_root(config))
        try:
            stale = derived.stale(self.folder, load_yaml(self.facts_file), self.facts_file, root)
        except derived.TemplateError as error:
            self.report.add(Problem(error.path, error.line, error.detail,
                                    "templates read data/facts.yml as [[ facts.<group>.<name> ]]"))
            return files
        for item in stale:
            self.report.add(Problem(*derived.explain(item, self.facts_file, root)))
        return files
