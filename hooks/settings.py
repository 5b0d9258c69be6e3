"""The portal's settings in ``mkdocs.yml`` (``extra.portal``), validated once per build.

Every option is typed, has its one default here, and is checked with MkDocs' own config
options: paths are resolved against the folder of ``mkdocs.yml`` and must exist, so a
missing schema or rules file stops the build at start-up instead of silently turning a
check off.
"""
from __future__ import annotations

import difflib
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError


class PortalSettings(base.Config):  # type: ignore[no-untyped-call]  # mkdocs' Config.__init_subclass__ is untyped
    facts_file = c.File(exists=True, default="data/facts.yml")
    policy_file = c.File(exists=True, default="data/policy.yml")
    examples_file = c.File(exists=True, default="data/examples.yml")
    alert_rules_file = c.File(exists=True, default="monitoring/prometheus/alerts.yml")
    schema_file = c.File(exists=True, default="data/schema.sql")
    # The published site is built from this branch; URLs it served must keep working (hooks/published).
    release_branch = c.Type(str, default="main")
    # Its folder's articles are listed in it and in nav from their front matter (hooks/articles).
    knowledge_base_index = c.Type(str, default="support/knowledge-base/INDEX.md")
    search_synonyms_file = c.Optional(c.File(exists=True))
    # false: Material's own search, the browser downloads every section and builds a lunr index
    # (what benchmarks/search.py compares against)
    search_prebuilt = c.Type(bool, default=True)
    # Routes alerts to PagerDuty for the header cards' links (hooks/cards); without it, no card names a service.
    alertmanager_file = c.Optional(c.File(exists=True))


KEY = "portal"  # under ``extra:`` in mkdocs.yml


def validate_settings(raw: Any, config_file_path: str | None) -> tuple[PortalSettings | None, list[str]]:
    """The validated settings, or ``None`` and one message per problem (``extra.portal.<key>: ...``)."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        return None, [f"extra.{KEY} must be a mapping of setting names to values, not {type(raw).__name__}"]
    settings = PortalSettings(config_file_path=config_file_path)
    known = sorted(name for name, _ in PortalSettings._schema)
    problems = []
    for key in raw:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known settings: {', '.join(known)}"
            problems.append(f"extra.{KEY}.{key}: not a portal setting ({hint})")
    # MkDocs' Config.validate stops at the first failing option; each option is validated on
    # its own so an author sees every problem in one build.
    for name, option in PortalSettings._schema:
        option.pre_validation(settings, name)
        try:
            option.validate(raw.get(name))
        except ValidationError as error:
            problems.append(f"extra.{KEY}.{name}: {error} (paths are relative to mkdocs.yml)")
    if problems:
        return None, problems
    settings.load_dict(dict(raw))
    failed, _ = settings.validate()
    if failed:  # cannot happen after the per-option pass; kept so nothing unvalidated is returned
        return None, [f"extra.{KEY}.{key}: {error}" for key, error in failed]
    return settings, []
