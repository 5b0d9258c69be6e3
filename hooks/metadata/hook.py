"""MkDocs events for front matter: every page's metadata checked against the schema."""
from __future__ import annotations

from hooks.dates.resolve import build_date
from hooks.metadata.frontmatter import read
from hooks.metadata.schema import validate
from hooks.report import REPORT, Problem, source_path


def on_config(config):
    REPORT.begin(config)


def _known_alerts(config) -> list[str]:
    # hooks/facts loads the alert rules in on_config and shares them through config.extra
    alerts = config["extra"].get("facts", {}).get("alerts", {})
    return list(alerts) if isinstance(alerts, dict) else []


def on_page_markdown(markdown, page, config, files):
    path = source_path(config, page.file.src_uri)
    front = read(page.file.content_string)
    if front.error:
        line, message = front.error
        REPORT.add(Problem(path, line, message, "fix the YAML between the '---' lines; dates are YYYY-MM-DD and must exist"))
        return markdown
    own_keys = set(front.data or {})
    for issue in validate(page.meta, page.file.src_uri, _known_alerts(config), build_date()):
        if issue.key in own_keys:
            line = front.key_lines.get(issue.key)
            where = ""
        else:
            line = 1 if issue.value is None else None
            where = "" if issue.value is None else " (value from a folder's .meta.yml)"
        shown = "" if issue.value is None else f" = {issue.value!r}"
        REPORT.add(Problem(path, line, f"front matter '{issue.key}'{shown} {issue.message}{where}"))
    return markdown


def on_post_build(config):
    REPORT.gate(config)
