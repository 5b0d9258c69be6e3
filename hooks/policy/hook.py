"""MkDocs events for policy: data/policy.yml loaded once per build, and every page's prose
held to it (hooks/policy/claims.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hooks.facts.hook import Facts, References
from hooks.policy.claims import Checker
from hooks.policy.model import Policy, PolicyError, load_policy
from hooks.policy.prose import units
from hooks.report import Problem, Report, source_path


def load_policy_or_fail(settings: Any, facts: Facts) -> Policy:
    alerts = facts.values.get("alerts", {})
    priorities = {name: str(entry.get("priority", "")) for name, entry in alerts.items()} if isinstance(alerts, dict) else {}
    try:
        return load_policy(Path(settings.policy_file), facts.values, priorities)
    except PolicyError as exc:
        raise PluginError(f"policy: {exc}") from None


class PolicyCheck:
    """Sentences that state policy must agree with the data."""

    def __init__(self, report: Report, facts: Facts, policy: Policy, references: References) -> None:
        self.report = report
        self.references = references
        self.checker = Checker(policy, facts.values)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        readable = self.references.readable_source(page)
        path = source_path(config, page.file.src_uri)
        for finding in self.checker.check(units(readable.text, keep=self.checker.relevant)):
            self.report.add(Problem(path, readable.source_line(finding.line), finding.message, finding.hint))
        return markdown
