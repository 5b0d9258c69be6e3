"""Scaffold a new portal page: a runbook, a knowledge-base troubleshooting article or an FAQ.

    python -m scripts.new_page runbook redis-memory --title "Redis Memory Pressure" --alert RedisDown
    python -m scripts.new_page kb celery-memory-leak --title "Celery Memory Leak"
    python -m scripts.new_page faq missing-notes --title "Missing Notes"

Writes docs/<folder>/<name>.md with valid front matter and the page type's sections and refuses to
overwrite. A knowledge-base page is listed in nav and in the knowledge base's index from its front
matter; for a runbook it prints the line to add to nav in mkdocs.yml.
"""
from __future__ import annotations

import argparse
import datetime as dt
import difflib
import re
import sys
from pathlib import Path

import yaml

from hooks.facts.derived import threshold_facts
from hooks.facts.values import alerts_from_rules
from hooks.metadata.schema import OWNERS, REVIEW, SEVERITIES, TAG, validate
from hooks.mkdocs_yml import load as load_mkdocs_yml
from hooks.mkdocs_yml import portal_settings
from scripts.page_templates import KINDS, Request, nav_line, render

ROOT = Path(__file__).resolve().parent.parent
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ScaffoldError(Exception):
    pass


def settings(root: Path) -> dict:
    return portal_settings(load_mkdocs_yml((root / "mkdocs.yml").read_text()))


def rules_file(root: Path) -> Path:
    return root / settings(root).get("alert_rules_file", "monitoring/prometheus/alerts.yml")


def known_alerts(root: Path) -> dict[str, dict]:
    rules = rules_file(root)
    return alerts_from_rules(yaml.safe_load(rules.read_text()), str(rules))


def knowledge_base_index(root: Path) -> str:
    """The index page whose folder's pages hooks/articles lists in nav and in it, from their front matter."""
    return settings(root).get("knowledge_base_index", "support/knowledge-base/INDEX.md")


def folder_defaults(docs: Path, folder: str) -> dict[str, str]:
    """owner/review from the .meta.yml files between docs/ and ``folder``, the nearest winning."""
    defaults: dict[str, str] = {}
    current = docs
    for part in ["", *folder.split("/")]:
        current = current / part if part else current
        meta = current / ".meta.yml"
        if meta.exists():
            defaults.update({k: v for k, v in (yaml.safe_load(meta.read_text()) or {}).items()
                             if k in ("owner", "review")})
    return defaults


def severity_of(alerts: list[str], rules: dict[str, dict]) -> str:
    """The most urgent priority among the alerts' `priority` labels."""
    priorities = sorted(rules[a].get("priority", "P3") for a in alerts)
    return priorities[0] if priorities else "P2"


def nav_indent(mkdocs_yml: str, section: str) -> int:
    """How far the entries of nav section ``section`` are indented in mkdocs.yml."""
    lines = mkdocs_yml.splitlines()
    for number, line in enumerate(lines):
        if line.strip() == f"- {section}:":
            for child in lines[number + 1:]:
                if child.strip():
                    return len(child) - len(child.lstrip())
    raise ScaffoldError(f"mkdocs.yml has no nav section '{section}'")


def build_request(args: argparse.Namespace, root: Path) -> Request:
    kind = KINDS[args.kind]
    if not SLUG.match(args.slug):
        raise ScaffoldError(f"name '{args.slug}' must be lower-case words joined by '-', e.g. redis-memory")
    rules = known_alerts(root)
    unknown = [a for a in args.alert if a not in rules]
    if unknown:
        hints = [f"{a} (did you mean {m[0]}?)" if (m := difflib.get_close_matches(a, rules, n=1)) else a
                 for a in unknown]
        raise ScaffoldError(f"unknown alert {', '.join(hints)}; alerts.yml defines: {', '.join(sorted(rules))}")
    if kind.name == "runbook" and not args.alert:
        raise ScaffoldError("a runbook answers at least one alert: add --alert NAME "
                            f"(one of: {', '.join(sorted(rules))})")
    bad_tags = [t for t in args.tag if not TAG.match(t)]
    if bad_tags:
        raise ScaffoldError(f"tags must be lower-case words joined by '-': {', '.join(bad_tags)}")
    severity = args.severity or (severity_of(args.alert, rules) if kind.name == "runbook" else None)
    return Request(kind=kind, slug=args.slug, title=args.title.strip(), description=args.description,
                   alerts=list(dict.fromkeys(args.alert)), severity=severity, owner=args.owner,
                   review=args.review, tags=args.tag,
                   folder_defaults=folder_defaults(root / "docs", kind.folder),
                   threshold_facts=threshold_facts(rules_file(root).with_name(rules_file(root).name + ".j2")))


def scaffold(args: argparse.Namespace, root: Path = ROOT) -> tuple[Path, str]:
    """Write the page; return its path and what to tell the author."""
    request = build_request(args, root)
    target = root / "docs" / request.src_uri
    text = render(request)
    meta = yaml.safe_load(text.split("---\n")[1])
    meta.update({k: v for k, v in request.folder_defaults.items() if k not in meta})
    issues = validate(meta, request.src_uri, known_alerts(root), dt.date.today())
    if issues:
        raise ScaffoldError("; ".join(f"front matter '{i.key}' {i.message}" for i in issues))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as page:
            page.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{target.relative_to(root)} already exists; not overwritten") from None
    message = [f"Wrote {target.relative_to(root)}"]
    index = knowledge_base_index(root)
    if request.kind.folder == index.rpartition("/")[0]:
        message.append(f"Its front matter lists it in nav ('{request.kind.nav_section}') and in the table of all "
                       f"articles of docs/{index}: nothing else to edit.")
    else:
        indent = nav_indent((root / "mkdocs.yml").read_text(), request.kind.nav_section)
        message += [f"Add it to nav in mkdocs.yml, at the end of the '{request.kind.nav_section}' section:",
                    nav_line(request, indent)]
    message.append("Preview with `mkdocs serve`; `python -m scripts.check` runs what CI checks.")
    return target, "\n".join(message)


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(prog="python -m scripts.new_page", description=__doc__.split("\n\n")[0],
                                  formatter_class=argparse.RawDescriptionHelpFormatter,
                                  epilog="Title prefixes follow the house style: '<title> Runbook', "
                                         "'Troubleshooting: <title>', 'FAQ: <title>'.")
    cli.add_argument("kind", choices=sorted(KINDS), help="runbook, kb (troubleshooting article) or faq")
    cli.add_argument("slug", help="file name without .md, lower-case words joined by '-' "
                                  "(kb and faq pages get the troubleshooting- / faq- prefix)")
    cli.add_argument("--title", required=True, help="what the page is about, e.g. 'Redis Memory Pressure'")
    cli.add_argument("--alert", action="append", default=[], metavar="NAME",
                     help="alert from monitoring/prometheus/alerts.yml the page answers (repeatable; "
                          "at least one for a runbook)")
    cli.add_argument("--severity", choices=SEVERITIES, help="runbooks: default is the alerts' highest priority")
    cli.add_argument("--description", help="one sentence ending with a full stop")
    cli.add_argument("--owner", choices=OWNERS, help="default: the folder's .meta.yml")
    cli.add_argument("--review", choices=REVIEW, help="review cadence; default: the folder's .meta.yml")
    cli.add_argument("--tag", action="append", default=[], help="extra tag (repeatable)")
    return cli


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        _, message = scaffold(args)
    except ScaffoldError as problem:
        print(f"new_page: {problem}", file=sys.stderr)
        return 1
    print(message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
