"""Syntax check of YAML files for pre-commit: every document must parse.

mkdocs.yml uses tags such as !ENV and !!python/name that a plain safe load rejects; they are
accepted here without being interpreted, so only real syntax errors fail.

Usage: python -m scripts.check_yaml FILE...
"""
from __future__ import annotations

import sys

import yaml


class AnyTagLoader(yaml.SafeLoader):
    pass


AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)
AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def problems(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as stream:
            list(yaml.load_all(stream, Loader=AnyTagLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else path
        return [f"{where}: {getattr(exc, 'problem', None) or exc}"]
    return []


def main(paths: list[str]) -> int:
    found = [line for path in paths for line in problems(path)]
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
