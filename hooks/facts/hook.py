"""MkDocs events for facts: load them once per build, resolve every page's references."""
from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from hooks.facts.substitute import substitute
from hooks.facts.values import FactsError, load_facts
from hooks.report import REPORT, Problem, body_line_offset, source_path

_facts: dict = {}


def _project_root(config) -> Path:
    return Path(config["config_file_path"]).resolve().parent


def on_config(config):
    REPORT.begin(config)
    global _facts
    root = _project_root(config)
    extra = config["extra"]
    facts_file = root / extra.get("facts_file", "data/facts.yml")
    rules = extra.get("alert_rules_file")
    try:
        _facts = load_facts(facts_file, root / rules if rules else None)
    except FactsError as exc:
        raise PluginError(f"facts: {exc}") from None
    config["extra"]["facts"] = _facts  # templates may show facts too
    return config


def on_page_markdown(markdown, page, config, files):
    front_matter_lines = body_line_offset(page.file.content_string)
    page_values = {k: v for k, v in page.meta.items() if not k.startswith("_")}
    page_values.setdefault("title", page.title)
    text, unknown = substitute(markdown, _facts, page_values, line_offset=front_matter_lines)
    for ref in unknown:
        hint = f"did you mean '{{{{ {ref.suggestion} }}}}'?" if ref.suggestion else "add it to data/facts.yml or fix the key"
        REPORT.add(Problem(source_path(config, page.file.src_uri), ref.line, f"unknown reference '{{{{ {ref.reference} }}}}': {ref.reason}", hint))
    return text


def on_post_build(config):
    REPORT.gate(config)
