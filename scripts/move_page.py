"""Move or rename a page without breaking an address:

    python -m scripts.move_page runbooks/api-timeout.md runbooks/external-api-timeouts.md

- moves the file (``git mv`` when git tracks it, so history follows the page);
- rewrites every link to it in docs/, keeping ``#anchors``, and the moved page's own relative
  links; links shown inside code are left as written;
- points nav entries and existing redirects in mkdocs.yml at the new path, and adds the
  redirect from the old path under ``redirects.redirect_maps``;
- updates the page's address in tests/search_queries.yml and in the alert rules' runbook_url
  (templates and rendered files);
- lists every other file that still names the old address, and prints the commit to make,
  with the ``Docs-Change: trivial`` trailer that keeps the pages' Last Updated and review dates.

Paths are relative to docs/ (a leading ``docs/`` is accepted). ``--dry-run`` changes nothing.
"""
from __future__ import annotations

import argparse
import os
import posixpath
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from hooks import mkdocs_yml
from hooks.codeblocks.extract import FENCE_OPEN
from hooks.published.hook import served_url

ROOT = Path(__file__).resolve().parent.parent
TRAILER = "Docs-Change: trivial"

INLINE_LINK = re.compile(r"(\]\(\s*<?)([^)\s>]+)(>?(?:\s+\"[^\"]*\"|\s+'[^']*')?\s*\))")
REFERENCE_DEFINITION = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*<?)(\S+?)(>?(?:\s.*)?)$")
HTML_ATTRIBUTE = re.compile(r"""(\b(?:href|src)\s*=\s*["'])([^"']+)(["'])""", re.IGNORECASE)
CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
OWN_FILES = {"scripts/move_page.py", "tests/test_move_page.py"}  # they name example paths


class MoveError(Exception):
    pass


@dataclass
class Plan:
    """Every change a move makes, computed before anything is written."""

    old: str
    new: str
    texts: dict[Path, str] = field(default_factory=dict)   # file -> new text
    links: dict[str, int] = field(default_factory=dict)    # page -> links rewritten
    other_mentions: list[str] = field(default_factory=list)


def _relative(target: str, from_page: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def rewrite_target(href: str, page_before: str, page_after: str, old: str, new: str, exists) -> str | None:
    """The new text of one link target, or None when it stays as written."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "/", "mailto:")) or not parts.path:
        return None
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    query = f"?{parts.query}" if parts.query else ""
    if parts.path.endswith("/"):  # written as a site address ("../api-timeout/"): relative to the page's URL
        resolved_url = posixpath.normpath(posixpath.join(served_url(page_before) or ".", parts.path)) + "/"
        if resolved_url != served_url(old) or not served_url(old):
            return None
        moved = posixpath.relpath(served_url(new) or ".", served_url(page_after) or ".")
        return moved.rstrip("/") + "/" + query + fragment
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_before), parts.path))
    if resolved == old:
        return _relative(new, page_after) + query + fragment
    if page_before != page_after and exists(resolved):
        rewritten = _relative(resolved, page_after)
        return None if rewritten == parts.path else rewritten + query + fragment
    return None


def rewrite_links(text: str, page_before: str, page_after: str, old: str, new: str, exists) -> tuple[str, int]:
    """``text`` with its links to ``old`` (and, for the moved page, its relative links) rewritten."""
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        target = rewrite_target(match.group(2), page_before, page_after, old, new, exists)
        if target is None:
            return match.group(0)
        count += 1
        return match.group(1) + target + match.group(3)

    out, fence = [], None
    for line in text.split("\n"):
        if fence is not None:
            if line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
                fence = None
            out.append(line)
            continue
        opening = FENCE_OPEN.match(line) if line.lstrip()[:1] in ("`", "~") else None
        if opening:
            fence = opening.group("fence")
            out.append(line)
            continue
        pieces, last = [], 0
        for span in CODE_SPAN.finditer(line):  # links shown as code stay as written
            pieces.append(_rewrite_prose(line[last:span.start()], replace))
            pieces.append(span.group(0))
            last = span.end()
        pieces.append(_rewrite_prose(line[last:], replace))
        out.append("".join(pieces))
    return "\n".join(out), count


def _rewrite_prose(text: str, replace) -> str:
    text = INLINE_LINK.sub(replace, text)
    text = REFERENCE_DEFINITION.sub(replace, text)
    return HTML_ATTRIBUTE.sub(replace, text)


def rewrite_paths_in_config(text: str, old: str, new: str) -> tuple[str, int]:
    """mkdocs.yml with nav entries and redirect targets naming ``old`` pointed at ``new``."""
    token = re.compile(rf"(?<=[\s:'\"]){re.escape(old)}(?=[#'\"\s]|$)", re.M)
    return token.subn(new, text)


def add_redirect(text: str, old: str, new: str) -> str:
    """``old: new`` as the last entry of ``redirect_maps:``, indented like the entries above it."""
    lines = text.split("\n")
    header = next((i for i, line in enumerate(lines) if line.strip() == "redirect_maps:"), None)
    if header is None:
        raise MoveError("mkdocs.yml has no 'redirect_maps:' under the redirects plugin; add "
                        "'- redirects:\\n      redirect_maps: {}' to plugins first")
    depth = len(lines[header]) - len(lines[header].lstrip())
    end, indent = header + 1, depth + 2
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > depth):
        if lines[end].strip():
            indent = len(lines[end]) - len(lines[end].lstrip())
        end += 1
    while end > header + 1 and not lines[end - 1].strip():
        end -= 1
    lines.insert(end, " " * indent + f"{old}: {new}")
    return "\n".join(lines)


def rewrite_urls(text: str, old_url: str, new_url: str, prefix: str = "") -> tuple[str, int]:
    """Site addresses of the page (``runbooks/api-timeout/``, after ``prefix``) pointed at the new one."""
    if not old_url:
        return text, 0
    token = re.compile(rf"(?<=[\s\[{{,:'\"]){re.escape(prefix + old_url)}(?=[#\s,\]}}'\"]|$)", re.M)
    return token.subn(prefix + new_url, text)


def normalise(path: str) -> str:
    path = posixpath.normpath(path.strip().replace(os.sep, "/"))
    return path[len("docs/"):] if path.startswith("docs/") else path


def plan_move(root: Path, old: str, new: str) -> Plan:
    docs = root / "docs"
    old, new = normalise(old), normalise(new)
    if not old.endswith(".md") or not new.endswith(".md"):
        raise MoveError("both paths name Markdown pages, ending in .md")
    if not (docs / old).is_file():
        raise MoveError(f"docs/{old} does not exist")
    if (docs / new).exists():
        raise MoveError(f"docs/{new} already exists; not overwritten")
    plan = Plan(old, new)
    config_path = root / "mkdocs.yml"
    config_text = config_path.read_text(encoding="utf-8")
    if old in mkdocs_yml.redirect_maps(mkdocs_yml.load(config_text)):
        raise MoveError(f"mkdocs.yml already redirects {old}; remove that redirect first")

    def exists(path: str) -> bool:
        return (docs / path).exists()

    for page in sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")):
        text = (docs / page).read_text(encoding="utf-8")
        after = new if page == old else page
        rewritten, count = rewrite_links(text, page, after, old, new, exists)
        if count:
            plan.links[after] = count
        if rewritten != text or page == old:
            plan.texts[docs / after] = rewritten

    config_text, _ = rewrite_paths_in_config(config_text, old, new)
    old_url, new_url = served_url(old), served_url(new)
    config_text, _ = rewrite_urls(config_text, old_url, new_url)
    plan.texts[config_path] = add_redirect(config_text, old, new)

    queries = root / "tests" / "search_queries.yml"
    if queries.exists():
        text, count = rewrite_urls(queries.read_text(encoding="utf-8"), old_url, new_url)
        if count:
            plan.texts[queries] = text

    portal = _portal_url(root)
    for path in sorted((root / "monitoring").rglob("*")) if portal else []:
        if path.is_file() and path.suffix in (".yml", ".j2"):
            text, count = rewrite_urls(path.read_text(encoding="utf-8"), old_url, new_url, prefix=portal)
            if count:
                plan.texts[path] = text

    plan.other_mentions = _other_mentions(root, old, old_url, set(plan.texts) | {docs / old})
    return plan


def _portal_url(root: Path) -> str:
    try:
        facts = yaml.safe_load((root / "data" / "facts.yml").read_text(encoding="utf-8"))
        return str(facts["portal"]["url"]).rstrip("/") + "/"
    except (OSError, KeyError, TypeError, yaml.YAMLError):
        return ""


def _other_mentions(root: Path, old: str, old_url: str, handled: set[Path]) -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=root, capture_output=True, text=True)
    files = [root / p for p in listed.stdout.splitlines()] if listed.returncode == 0 else []
    needles = [old] + ([old_url] if old_url else [])
    found = []
    for path in files:
        if path in handled or path.relative_to(root).as_posix() in OWN_FILES or not path.is_file():
            continue
        if path.suffix not in (".md", ".yml", ".yaml", ".py", ".j2", ".html", ".conf", ".txt"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if any(needle in line for needle in needles):
                found.append(f"{path.relative_to(root).as_posix()}:{number}: {line.strip()[:120]}")
    return found


def apply(root: Path, plan: Plan) -> None:
    docs = root / "docs"
    target = docs / plan.new
    target.parent.mkdir(parents=True, exist_ok=True)
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", f"docs/{plan.old}"], cwd=root,
                             capture_output=True, text=True).returncode == 0
    if tracked:
        subprocess.run(["git", "mv", f"docs/{plan.old}", f"docs/{plan.new}"], cwd=root, check=True, capture_output=True)
    else:
        os.replace(docs / plan.old, target)
    for path, text in plan.texts.items():
        path.write_text(text, encoding="utf-8")


def summary(root: Path, plan: Plan, dry_run: bool) -> str:
    verb = "Would move" if dry_run else "Moved"
    lines = [f"{verb} docs/{plan.old} to docs/{plan.new}"]
    links = sum(plan.links.values())
    lines.append(f"  {links} link(s) rewritten in {len(plan.links)} page(s), anchors kept")
    lines.append(f"  mkdocs.yml: nav and redirects point at {plan.new}; redirect added: {plan.old} -> {plan.new}")
    for path in sorted(plan.texts):
        if path.suffix != ".md" and path.name != "mkdocs.yml":
            lines.append(f"  {path.relative_to(root).as_posix()}: the page's address updated")
    if plan.other_mentions:
        lines.append("Still naming the old address (the redirect keeps it working; change what should name the new one):")
        lines += [f"  {mention}" for mention in plan.other_mentions]
    if not dry_run:
        lines += ["Check it: python -m scripts.check",
                  "Commit it as a move, so the pages keep their Last Updated and review dates:",
                  f"  git add -A docs mkdocs.yml tests monitoring && git commit -m \"Move {plan.old} to {plan.new}\" "
                  f"--trailer \"{TRAILER}\""]
    return "\n".join(lines)


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    cli = argparse.ArgumentParser(prog="python -m scripts.move_page", description=__doc__.split("\n\n")[0],
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("old", help="the page's path under docs/, e.g. runbooks/api-timeout.md")
    cli.add_argument("new", help="its new path under docs/")
    cli.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
    args = cli.parse_args(argv)
    try:
        plan = plan_move(root, args.old, args.new)
    except MoveError as problem:
        print(f"move_page: {problem}", file=sys.stderr)
        return 1
    if not args.dry_run:
        apply(root, plan)
    print(summary(root, plan, args.dry_run))
    return 0


if __name__ == "__main__":
    sys.exit(main())
