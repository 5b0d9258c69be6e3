"""What the last release served, read from git: the pages and redirects at the release branch.

The published site is built from the release branch (``main``). A change is compared with the
commit it started from, ``git merge-base HEAD <branch>``: on a pull request that is the
branch as it is published, on the branch itself it is HEAD, so a page deleted but not yet
committed counts too. Four git processes, whatever the number of pages.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from hooks import mkdocs_yml


@dataclass
class Release:
    """The Markdown pages and the redirect sources at the commit a change started from."""

    commit: str = ""
    ref: str = ""
    pages: list[str] = field(default_factory=list)       # paths relative to docs_dir
    redirects: list[str] = field(default_factory=list)   # redirect_maps keys
    unavailable: str | None = None                        # why nothing can be compared


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "LC_ALL": "C"})


def redirect_sources(config_text: str) -> list[str]:
    """The redirect sources in the text of a mkdocs.yml; none if it does not parse."""
    try:
        return sorted(mkdocs_yml.redirect_maps(mkdocs_yml.load(config_text)))
    except yaml.YAMLError:
        return []


def read_release(docs_dir: Path, config_file: Path, branch: str) -> Release:
    try:
        top = _git(["rev-parse", "--show-toplevel"], docs_dir)
    except OSError as error:   # no git on PATH: nothing to compare with, as without a clone
        return Release(unavailable=f"git cannot be run ({error.strerror})")
    if top.returncode != 0:
        return Release(unavailable=f"{docs_dir} is not in a git work tree")
    toplevel = Path(top.stdout.strip())
    for ref in (f"origin/{branch}", branch):
        base = _git(["merge-base", "HEAD", ref], toplevel)
        if base.returncode == 0:
            break
    else:
        return Release(unavailable=f"no '{branch}' or 'origin/{branch}' branch shares history with HEAD in this clone")
    commit = base.stdout.strip()
    docs = os.path.relpath(docs_dir.resolve(), toplevel.resolve()).replace(os.sep, "/")
    listed = _git(["-c", "core.quotepath=off", "ls-tree", "-r", "--name-only", commit, "--", docs], toplevel)
    prefix = "" if docs == "." else docs + "/"
    pages = sorted(p[len(prefix):] for p in listed.stdout.splitlines() if p.endswith(".md") and p.startswith(prefix))
    config_path = os.path.relpath(config_file.resolve(), toplevel.resolve()).replace(os.sep, "/")
    shown = _git(["show", f"{commit}:{config_path}"], toplevel)
    redirects = redirect_sources(shown.stdout) if shown.returncode == 0 else []
    return Release(commit=commit, ref=ref, pages=pages, redirects=redirects)
