"""What git knows about the docs tree, read with a fixed number of git processes.

One ``git log`` lists every commit with the files it touched, newest first, so the first
time a path appears is its last change. The plugin commonly used for this runs one git
process per page; on a 500-page tree that is most of the build.

Only changes to content count. A commit that only moves pages, rewrites links or reformats
(trailer ``Docs-Change: trivial``, or listed in .git-blame-ignore-revs, the file GitHub's
blame view reads for the same purpose) leaves its pages' dates alone, and a page moved
without other changes keeps the date of its last change under its old name: the same log
reports renames (``-M``), so this costs no extra git process.
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

COMMIT_MARK = "\x1e"
TRAILER = "Docs-Change"
TRIVIAL = "trivial"
IGNORE_FILE = ".git-blame-ignore-revs"
LOG_FORMAT = f"{COMMIT_MARK}%H %at %(trailers:key={TRAILER},valueonly,separator=%x2C)"


@dataclass
class GitHistory:
    """Last author date (UTC) of each file, and what makes some of them unreliable."""

    last_changed: dict[str, dt.date] = field(default_factory=dict)  # path relative to docs_dir
    last_commit: dict[str, str] = field(default_factory=dict)
    uncommitted: set[str] = field(default_factory=set)
    shallow_boundary: set[str] = field(default_factory=set)  # commits whose parents are cut off
    unavailable: str | None = None  # why there is no history at all


def parse_log(output: str, ignored: frozenset[str] = frozenset()) -> tuple[dict[str, dt.date], dict[str, str]]:
    """Newest content change per path, from ``git log --format=LOG_FORMAT --name-status -M``.

    ``ignored`` holds commit ids (full or abbreviated) whose changes are not content changes.
    """
    dates: dict[str, dt.date] = {}
    commits: dict[str, str] = {}
    touched: dict[str, tuple[dt.date, str]] = {}  # newest change of any kind, when no content change is known
    renamed_to: dict[str, str] = {}               # old path -> the path the page has now
    commit, trivial = "", False
    date: dt.date | None = None

    def content(path: str) -> None:
        if path not in dates and date is not None:
            dates[path], commits[path] = date, commit

    for line in output.split("\n"):  # not splitlines(): it also splits on the \x1e mark
        if line.startswith(COMMIT_MARK):
            commit, stamp, trailers = (line[1:].split(" ", 2) + [""])[:3]
            date = dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC).date()
            trivial = any(v.strip().lower() == TRIVIAL for v in trailers.split(",")) or \
                any(commit.startswith(prefix) for prefix in ignored)
            continue
        status, _, paths = line.partition("\t")
        if not paths or date is None:
            continue
        kind = status[:1]
        if kind in "RC":
            old, _, new = paths.partition("\t")
            path = renamed_to.get(new, new)
            if kind == "R" and (trivial or status == "R100"):
                renamed_to[old] = path  # the page's history under its old name is its history
                touched.setdefault(path, (date, commit))
            else:
                content(path)
        elif kind == "A" or (kind in "MT" and not trivial):
            content(renamed_to.get(paths, paths))
        elif kind in "MT":
            touched.setdefault(renamed_to.get(paths, paths), (date, commit))
    for path, (when, sha) in touched.items():
        if path not in dates:  # only trivial changes within the history at hand (a shallow clone)
            dates[path], commits[path] = when, sha
    return dates, commits


def read_ignored(toplevel: Path) -> frozenset[str]:
    """Commit ids listed in .git-blame-ignore-revs (one per line, ``#`` starts a comment)."""
    try:
        text = (toplevel / IGNORE_FILE).read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(word for line in text.splitlines() if (word := line.split("#", 1)[0].strip()))


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
        log_output = _git(["-c", "core.quotepath=off", "log", f"--format={LOG_FORMAT}", "--name-status", "-M",
                           "--relative", "--", "."], docs_dir)
    except subprocess.CalledProcessError as exc:
        # A repository with no commit yet: every page is uncommitted.
        log_output = ""
        if "does not have any commits" not in exc.stderr:
            history.unavailable = f"git log failed: {exc.stderr.strip()}"
            return history
    history.last_changed, history.last_commit = parse_log(log_output, read_ignored(Path(toplevel)))
    status = _git(["-c", "core.quotepath=off", "status", "--porcelain", "-z", "--untracked-files=all", "--", "."], docs_dir)
    history.uncommitted = {p[len(prefix):] for p in parse_status(status) if p.startswith(prefix)}
    if shallow.strip() == "true":
        shallow_file = Path(git_dir) / "shallow"
        if shallow_file.exists():
            history.shallow_boundary = set(shallow_file.read_text().split())
    return history
