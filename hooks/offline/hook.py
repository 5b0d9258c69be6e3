"""MkDocs events for the offline copy: instant navigation off where it cannot work.

Material's instant navigation does nothing on ``file://``, and in doing nothing it completes
Material's document observable before the page has loaded: no component mounts, so the copy
opened from disk had no copy buttons, no diagrams, no tabs, and none of the portal's own
scripts ran (its review banner included). Without instant navigation every page loads as a
plain page, which is what a file on disk is.
"""
from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from hooks.report import log

INSTANT = ("navigation.instant", "navigation.instant.progress", "navigation.instant.prefetch",
           "navigation.instant.preview")


def offline_enabled(config: MkDocsConfig) -> bool:
    plugin = config["plugins"].get("material/offline") or config["plugins"].get("offline")
    return bool(plugin and plugin.config.get("enabled"))


class OfflineCopy:
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        features = config["theme"].get("features") or []
        if offline_enabled(config) and any(name in features for name in INSTANT):
            features[:] = [name for name in features if name not in INSTANT]
            log.info("offline build: instant navigation is off (it cannot work from file://)")
        return files
