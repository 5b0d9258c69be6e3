"""Does a code block parse, by the real grammar of its language?

Each checker takes the block's code (placeholders already substituted for the language)
and returns problems as ``(line within the block, message)``; an empty list means it parses.
"""
from __future__ import annotations

import ast
import json
import re
import subprocess
import tomllib

import yaml

from hooks.codeblocks import placeholders
from hooks.yaml_errors import error_line, message

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Blocks that are deliberately not run: sample output, diagrams, page source examples.
DECLARED_NOT_RUNNABLE = {"text", "mermaid", "markdown"}
SHELL = {"bash", "sh", "shell"}


def check_sql(code: str) -> list[tuple[int, str]]:
    # The JSON parse tree is all a syntax check needs; building pglast's Python nodes costs 30x more.
    from pglast.parser import ParseError, parse_sql_json

    # psql meta-commands (\x, \set, \dp) are psql's, not the server's grammar.
    lines = ["" if line.lstrip().startswith("\\") else line for line in code.split("\n")]
    sql = placeholders.for_sql("\n".join(lines))
    # psql variables: :'name' is a string, :"name" an identifier, :name a value.
    sql = re.sub(r"(?<!:):'(\w+)'", "'psql_var'", sql)
    sql = re.sub(r'(?<!:):"(\w+)"', '"psql_var"', sql)
    sql = re.sub(r"(?<![:\w'])(?<!')\:([a-z_]\w*)\b", "NULL", sql)
    try:
        parse_sql_json(sql)
    except ParseError as exc:
        location = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
        return [(sql.count("\n", 0, location) + 1, f"PostgreSQL: {exc.args[0]}")]
    return []


def check_promql(code: str) -> list[tuple[int, str]]:
    """A block may hold several queries, separated by blank lines or comment lines."""
    import promql_parser

    problems: list[tuple[int, str]] = []
    chunk: list[str] = []
    start = 1
    for number, line in enumerate(placeholders.for_promql(code).split("\n") + [""], 1):
        if not line.strip() or line.lstrip().startswith("#"):
            if chunk:
                try:
                    promql_parser.parse("\n".join(chunk))
                except ValueError as exc:
                    problems.append((start, f"PromQL: {exc}"))
            chunk = []
            continue
        if not chunk:
            start = number
        chunk.append(line)
    return problems


def check_yaml(code: str) -> list[tuple[int, str]]:
    try:
        # A <PLACEHOLDER> is a valid plain scalar in YAML: no stand-in needed.
        documents = list(yaml.load_all(code, Loader=SafeLoader))
    except yaml.YAMLError as exc:
        line = error_line(code, exc)
        return [((line + 1) if line is not None else 1, f"YAML: {message(exc)}")]
    problems = []
    for document in documents:
        # Kubernetes apiVersions are strings ("v1", "apps/v1"); Grafana provisioning uses the number 1.
        if isinstance(document, dict) and isinstance(document.get("apiVersion"), str) and "kind" not in document:
            problems.append((1, "Kubernetes manifest with apiVersion but no kind"))
    return problems


def check_json(code: str) -> list[tuple[int, str]]:
    try:
        json.loads(placeholders.for_data(code))
    except json.JSONDecodeError as exc:
        return [(exc.lineno, f"JSON: {exc.msg}")]
    return []


def check_python(code: str) -> list[tuple[int, str]]:
    try:
        ast.parse(code)
    except SyntaxError as exc:
        return [(exc.lineno or 1, f"Python: {exc.msg}")]
    return []


def check_toml(code: str) -> list[tuple[int, str]]:
    try:
        tomllib.loads(code)
    except tomllib.TOMLDecodeError as exc:
        return [(1, f"TOML: {exc}")]
    return []


def console_commands(code: str) -> str:
    """The commands of a console transcript: the lines after a ``$`` prompt."""
    return "\n".join(line.split("$ ", 1)[1] for line in code.split("\n") if line.lstrip().startswith("$ "))


def check_shell_batch(scripts: list[str]) -> list[list[tuple[int, str]]]:
    """``bash -n`` on many scripts with one process; only a batch that fails is re-checked one by one."""
    if not scripts:
        return []
    wrapped = "\n".join(f"__portal_block_{i}() {{\n:\n{placeholders.for_shell(s)}\n}}" for i, s in enumerate(scripts))
    if _bash_n(wrapped) is None:
        return [[] for _ in scripts]
    if len(scripts) == 1:
        error = _bash_n(placeholders.for_shell(scripts[0]))
        return [[error] if error else []]
    middle = len(scripts) // 2
    return check_shell_batch(scripts[:middle]) + check_shell_batch(scripts[middle:])


def _bash_n(script: str) -> tuple[int, str] | None:
    done = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True)
    if done.returncode == 0:
        return None
    message = done.stderr.strip().splitlines()[0] if done.stderr.strip() else "syntax error"
    match = re.search(r"line (\d+): (.*)", message)
    return (int(match.group(1)), f"bash: {match.group(2)}") if match else (1, f"bash: {message}")


CHECKERS = {"sql": check_sql, "promql": check_promql, "yaml": check_yaml, "yml": check_yaml,
            "json": check_json, "python": check_python, "py": check_python, "toml": check_toml}
KNOWN = set(CHECKERS) | SHELL | {"console"} | DECLARED_NOT_RUNNABLE
