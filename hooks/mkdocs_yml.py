"""mkdocs.yml read outside MkDocs, by the scripts and by checks that look at another commit.

It holds tags such as !ENV and !!python/name that a plain safe load rejects; they are accepted
here without being interpreted, since only plain values (settings, nav, redirects) are read.
"""
from __future__ import annotations

from typing import Any

import yaml


class AnyTagLoader(yaml.SafeLoader):
    pass


AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)
AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load(text: str) -> dict[str, Any]:
    config = yaml.load(text, Loader=AnyTagLoader)
    return config if isinstance(config, dict) else {}


def redirect_maps(config: dict[str, Any]) -> dict[str, str]:
    """``plugins: - redirects: redirect_maps:`` of a loaded mkdocs.yml."""
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("redirects"), dict):
            return dict(plugin["redirects"].get("redirect_maps") or {})
    return {}


def portal_settings(config: dict[str, Any]) -> dict[str, Any]:
    """``extra.portal`` as written (hooks/settings.py validates it in a build)."""
    return dict((config.get("extra") or {}).get("portal") or {})
