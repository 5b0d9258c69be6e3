"""MkDocs events for "Last Updated": one git read per build, one date per page."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from hooks.dates.git import GitHistory, read_history
from hooks.dates.resolve import UNCOMMITTED, as_date, build_date, page_date
from hooks.report import REPORT, Problem, log, source_path

_history = GitHistory()
_today = build_date()
_fallbacks: dict[str, list[str]] = defaultdict(list)
_uncommitted: list[str] = []


def on_config(config):
    REPORT.begin(config)


def on_files(files, config):
    global _history, _today
    _today = build_date()
    _history = read_history(Path(config["docs_dir"]))
    _fallbacks.clear()
    _uncommitted.clear()
    return files


def on_page_markdown(markdown, page, config, files):
    front_matter = as_date(page.meta.get("last_updated"))  # a malformed value is reported by hooks/metadata
    chosen = page_date(page.file.src_uri, front_matter, _history, _today)
    page.meta["last_updated"] = chosen.date.isoformat()
    page.meta["last_updated_source"] = chosen.source
    if chosen.fallback_reason:
        _fallbacks[chosen.fallback_reason].append(page.file.src_uri)
    elif chosen.source == UNCOMMITTED:
        _uncommitted.append(page.file.src_uri)
    return markdown


def on_env(env, config, files):
    for reason, pages in sorted(_fallbacks.items()):
        shown = ", ".join(sorted(pages)[:8]) + (f" and {len(pages) - 8} more" if len(pages) > 8 else "")
        hint = ("run 'git fetch --unshallow' (or clone with full history)" if reason.startswith("shallow")
                else "build from a git clone, or set last_updated in the front matter")
        REPORT.add(Problem(source_path(config, ""), None,
                           f"Last Updated falls back to the build date {_today} for {len(pages)} page(s): {reason}: {shown}", hint))
    if _uncommitted:
        log.info("Last Updated: %d page(s) with uncommitted changes show today's date: %s",
                 len(_uncommitted), ", ".join(sorted(_uncommitted)[:8]))
    return env


def on_post_build(config):
    REPORT.gate(config)
