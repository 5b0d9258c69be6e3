"""MkDocs events for policy: data/policy.yml loaded once per build, and every page's prose
held to it (hooks/policy/claims.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hooks.background import Background
from hooks.facts.hook import Facts, Readable, References
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


# The checker of the current build, for the worker process (which inherits it when forked).
_CHECKER: Checker | None = None


def check_page(path: str, readable: Readable) -> list[Problem]:
    """Every sentence of one page that states policy otherwise than the data."""
    assert _CHECKER is not None, "PolicyCheck sets the checker before any page is checked"
    return [Problem(path, readable.source_line(finding.line), finding.message, finding.hint)
            for finding in _CHECKER.check(units(readable.text, keep=_CHECKER.relevant))]


class PolicyCheck:
    """Sentences that state policy must agree with the data. The reading runs beside MkDocs'
    rendering (hooks/background.py); its problems reach the report before the strict gate."""

    def __init__(self, report: Report, facts: Facts, policy: Policy, references: References,
                 background: Background) -> None:
        global _CHECKER
        self.report = report
        self.references = references
        self.background = background
        self.checker = _CHECKER = Checker(policy, facts.values)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.background.submit(check_page, source_path(config, page.file.src_uri), self.references.readable_source(page))
        return markdown
