"""Render the alert rules and their promtool unit tests from data/facts.yml.

    python -m scripts.render_rules            # rewrite what changed, and say which files
    python -m scripts.render_rules --check    # change nothing; exit 1 if a file is out of date

Every ``*.j2`` template next to the alert rules (monitoring/prometheus/alerts.yml.j2 and
monitoring/prometheus/tests/*.yml.j2) is rendered to the file of the same name without ``.j2``.
Run it after changing a threshold in data/facts.yml, and commit the rendered files with it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from hooks.facts import derived
from hooks.mkdocs_yml import load as load_mkdocs_yml
from hooks.mkdocs_yml import portal_settings

ROOT = Path(__file__).resolve().parent.parent


def sources(root: Path) -> tuple[Path, Path]:
    """The facts file and the folder of the alert rules, as mkdocs.yml's extra.portal names them."""
    settings = portal_settings(load_mkdocs_yml((root / "mkdocs.yml").read_text(encoding="utf-8")))
    facts_file = root / settings.get("facts_file", "data/facts.yml")
    rules_file = root / settings.get("alert_rules_file", "monitoring/prometheus/alerts.yml")
    return facts_file, rules_file.parent


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    cli = argparse.ArgumentParser(prog="python -m scripts.render_rules", description=__doc__.split("\n\n")[0])
    cli.add_argument("--check", action="store_true", help="only report files that are out of date")
    args = cli.parse_args(argv)
    facts_file, folder = sources(root)
    try:
        facts = yaml.safe_load(facts_file.read_text(encoding="utf-8"))
        if args.check:
            stale = derived.stale(folder, facts, facts_file, root)
            for item in stale:
                print(derived.describe(item, facts_file, root), file=sys.stderr)
            return 1 if stale else 0
        written = derived.write(folder, facts, facts_file, root)
    except (derived.TemplateError, yaml.YAMLError, OSError) as problem:
        print(f"render_rules: {problem}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {_shown(path, root)}")
    if not written:
        print(f"{len(derived.templates(folder))} rendered files already match {_shown(facts_file, root)}")
    return 0


def _shown(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root.resolve()).as_posix()


if __name__ == "__main__":
    sys.exit(main())
