"""Syntax check of YAML files for pre-commit: every document must parse.

mkdocs.yml uses tags such as !ENV and !!python/name that a plain safe load rejects; they are
accepted here without being interpreted, so only real syntax errors fail.

Usage: python -m scripts.check_yaml FILE...
"""
from __future__ import annotations

import sys

import yaml

from hooks.mkdocs_yml import AnyTagLoader
from hooks.yaml_errors import error_line, message


def problems(path: str) -> list[str]:
    with open(path, encoding="utf-8") as stream:
        text = stream.read()
    try:
        list(yaml.load_all(text, Loader=AnyTagLoader))
    except yaml.YAMLError as exc:
        line = error_line(text, exc)
        where = f"{path}:{line + 1}" if line is not None else path
        return [f"{where}: {message(exc)}"]
    return []


def main(paths: list[str]) -> int:
    found = [line for path in paths for line in problems(path)]
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
