"""What a pull request changes in the portal, for its reviewers:

    python -m scripts.pr_report --base origin/main --problems build-problems.json \\
        --site site --preview site-offline --screenshots pr-screenshots >> "$GITHUB_STEP_SUMMARY"

- prints a Markdown summary: the pages the pull request adds, changes, moves or removes, each
  with the problems the build reported on it, then the build's other problems;
- writes CHANGED.html into the preview site (the offline build, which opens from disk) with a
  link to each changed page;
- takes a screenshot of each changed page of the built site in headless Chromium.

The problems are the build's own list (``PORTAL_PROBLEMS_FILE``, hooks/report.py); the changed
pages are ``git diff --name-status -M <base>...HEAD -- docs``.
"""
from __future__ import annotations

import argparse
import html
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from hooks.published.hook import served_url

ROOT = Path(__file__).resolve().parent.parent
STATUS = {"A": "added", "M": "changed", "R": "moved", "D": "removed", "C": "copied", "T": "changed"}
MOST_SCREENSHOTS = 30


@dataclass(frozen=True)
class Changed:
    path: str                 # under docs/
    status: str               # a value of STATUS
    old_path: str | None = None

    @property
    def url(self) -> str:
        return served_url(self.path)

    @property
    def shown(self) -> bool:
        return self.status != "removed"


def changed_pages(base: str, root: Path = ROOT) -> list[Changed]:
    done = subprocess.run(["git", "-c", "core.quotepath=off", "diff", "--name-status", "-M", f"{base}...HEAD", "--", "docs"],
                          cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"pr_report: git diff against {base} failed: {done.stderr.strip()}")
    pages = []
    for line in done.stdout.splitlines():
        status, *paths = line.split("\t")
        paths = [p[len("docs/"):] for p in paths]
        if not paths[-1].endswith(".md"):
            continue
        old = paths[0] if len(paths) == 2 else None
        pages.append(Changed(paths[-1], STATUS.get(status[:1], status), old))
    return pages


def load_problems(path: Path | None) -> list[dict] | None:
    if path is None or not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _where(problem: dict) -> str:
    return f"{problem['path']}:{problem['line']}" if problem.get("line") else problem["path"]


def _text(problem: dict) -> str:
    return f"{problem['message']} ({problem['hint']})" if problem.get("hint") else problem["message"]


def summary(pages: list[Changed], problems: list[dict] | None, base: str) -> str:
    lines = ["## Portal: what this pull request changes", ""]
    on_page: dict[str, list[dict]] = {f"docs/{p.path}": [] for p in pages}
    others: list[dict] = []
    for problem in problems or []:
        on_page.get(problem["path"], others).append(problem)
    if problems is None:
        lines += ["The build wrote no problem list: it stopped before reading the pages; see the build step's log.", ""]
    if not pages:
        lines += [f"No page under docs/ differs from {base}.", ""]
    else:
        lines += ["| Page | Change | Address | Problems |", "|---|---|---|---|"]
        for page in pages:
            change = f"moved from `{page.old_path}`" if page.status == "moved" and page.old_path else page.status
            found = on_page[f"docs/{page.path}"]
            lines.append(f"| `docs/{page.path}` | {change} | `/{page.url}` | {len(found) or '—'} |")
        lines.append("")
        shown = [p for p in pages if p.shown]
        if shown:
            lines += ["The built site is the artifact **portal-preview**: open `CHANGED.html` in it for these pages, "
                      "and `screenshots/` for how each one looks.", ""]
    flagged = [(page, on_page[f"docs/{page.path}"]) for page in pages if on_page[f"docs/{page.path}"]]
    if flagged:
        lines += ["### Problems on the changed pages", ""]
        for _page, found in flagged:
            lines += [f"- `{_where(p)}`: {_text(p)}" for p in found]
        lines.append("")
    if others:
        lines += ["### Other problems of the build", ""]
        lines += [f"- `{_where(p)}`: {_text(p)}" for p in others]
        lines.append("")
    if problems == [] and pages:
        lines += ["The strict build found no problem.", ""]
    return "\n".join(lines)


def changed_html(pages: list[Changed], problems: list[dict] | None) -> str:
    """CHANGED.html for the offline preview: links to index.html files, so it works from disk."""
    rows = []
    for page in pages:
        count = sum(1 for p in problems or [] if p["path"] == f"docs/{page.path}")
        name = html.escape(f"docs/{page.path}")
        link = f'<a href="{html.escape(page.url)}index.html">{name}</a>' if page.shown else name
        note = f" ({count} problem{'s' if count != 1 else ''})" if count else ""
        rows.append(f"<li>{link}: {html.escape(page.status)}{note}</li>")
    body = "\n".join(rows) or "<li>No page changed.</li>"
    return ("<!doctype html>\n<html lang=\"en\"><meta charset=\"utf-8\"><title>Pages this pull request changes</title>\n"
            f"<h1>Pages this pull request changes</h1>\n<ul>\n{body}\n</ul>\n</html>\n")


def screenshots(site: Path, pages: list[Changed], target: Path) -> list[Path]:
    """A full-page screenshot of each changed page of ``site``, served on loopback."""
    from benchmarks.search import chromium, serve

    target.mkdir(parents=True, exist_ok=True)
    taken = []
    with chromium() as browser, serve(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        for page in [p for p in pages if p.shown][:MOST_SCREENSHOTS]:
            tab.goto(base + page.url, wait_until="load")
            shot = target / ((page.url.strip("/").replace("/", "__") or "home") + ".png")
            tab.screenshot(path=str(shot), full_page=True)
            taken.append(shot)
        context.close()
    return taken


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m scripts.pr_report", description=__doc__.split("\n\n")[0])
    cli.add_argument("--base", required=True, help="what the pull request is compared with, e.g. origin/main")
    cli.add_argument("--problems", type=Path, help="the build's PORTAL_PROBLEMS_FILE")
    cli.add_argument("--site", type=Path, help="the built site to take screenshots of")
    cli.add_argument("--preview", type=Path, help="the site reviewers download (the offline build): gets CHANGED.html")
    cli.add_argument("--screenshots", type=Path, help="folder for the screenshots of the changed pages")
    args = cli.parse_args(argv)
    pages = changed_pages(args.base)
    problems = load_problems(args.problems)
    print(summary(pages, problems, args.base))
    if args.preview and args.preview.is_dir():
        (args.preview / "CHANGED.html").write_text(changed_html(pages, problems), encoding="utf-8")
    if args.screenshots and args.site and (args.site / "index.html").exists() and any(p.shown for p in pages):
        try:
            taken = screenshots(args.site, pages, args.screenshots)
            print(f"{len(taken)} screenshot(s) of the changed pages in the artifact.", file=sys.stderr)
        except RuntimeError as problem:  # no Chromium on this machine
            print(f"pr_report: no screenshots: {problem}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
