"""What git knows about the docs tree, read with a fixed number of git processes.

One ``git log`` lists every commit with the files it touched, newest first, so the first
time a path appears is its last change. The plugin commonly used for this runs one git
process per page; on a 500-page tree that is most of the build.
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

COMMIT_MARK = "\x1e"


@dataclass
class GitHistory:
    """Last author date (UTC) of each file, and what makes some of them unreliable."""

    last_changed: dict[str, dt.date] = field(default_factory=dict)  # path relative to docs_dir
    last_commit: dict[str, str] = field(default_factory=dict)
    uncommitted: set[str] = field(default_factory=set)
    shallow_boundary: set[str] = field(default_factory=set)  # commits whose parents are cut off
    unavailable: str | None = None  # why there is no history at all


def parse_log(output: str) -> tuple[dict[str, dt.date], dict[str, str]]:
    """Parse ``git log --format=<COMMIT_MARK>%H %at --name-only``: newest change per path."""
    dates: dict[str, dt.date] = {}
    commits: dict[str, str] = {}
    commit, date = "", None
    for line in output.split("\n"):  # not splitlines(): it also splits on the \x1e mark
        if line.startswith(COMMIT_MARK):
            sha, stamp = line[1:].split(" ", 1)
            commit = sha
            date = dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC).date()
        elif line and date is not None and line not in dates:
            dates[line] = date
            commits[line] = commit
    return dates, commits


def parse_status(output: str) -> set[str]:
    """Paths from ``git status --porcelain -z`` that differ from HEAD (modified, added, untracked)."""
    paths: set[str] = set()
    entries = output.split("\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        paths.add(path)
        if "R" in code or "C" in code:
            index += 1  # the rename's source path follows
    return paths


def _git(args: list[str], cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          encoding="utf-8", env={**os.environ, "LC_ALL": "C"}).stdout


def read_history(docs_dir: Path) -> GitHistory:
    history = GitHistory()
    try:
        info = _git(["rev-parse", "--show-toplevel", "--absolute-git-dir", "--is-shallow-repository"], docs_dir)
    except FileNotFoundError:
        history.unavailable = "git is not installed"
        return history
    except subprocess.CalledProcessError as exc:
        history.unavailable = f"{docs_dir} is not in a git work tree ({exc.stderr.strip().splitlines()[-1] if exc.stderr.strip() else 'git rev-parse failed'})"
        return history
    toplevel, git_dir, shallow = info.splitlines()[:3]
    prefix = os.path.relpath(docs_dir.resolve(), Path(toplevel).resolve()).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix + "/"
    try:
        log_output = _git(["-c", "core.quotepath=off", "log", f"--format={COMMIT_MARK}%H %at", "--name-only",
                           "--no-renames", "--relative", "--", "."], docs_dir)
    except subprocess.CalledProcessError as exc:
        # A repository with no commit yet: every page is uncommitted.
        log_output = ""
        if "does not have any commits" not in exc.stderr:
            history.unavailable = f"git log failed: {exc.stderr.strip()}"
            return history
    history.last_changed, history.last_commit = parse_log(log_output)
    status = _git(["-c", "core.quotepath=off", "status", "--porcelain", "-z", "--untracked-files=all", "--", "."], docs_dir)
    history.uncommitted = {p[len(prefix):] for p in parse_status(status) if p.startswith(prefix)}
    if shallow.strip() == "true":
        shallow_file = Path(git_dir) / "shallow"
        if shallow_file.exists():
            history.shallow_boundary = set(shallow_file.read_text().split())
    return history
