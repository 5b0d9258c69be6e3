"""MkDocs events for code blocks: every fenced block parsed by its language's real grammar,
commands checked against their tools, SQL kept RLS-safe, destructive commands under a
warning, and no secrets in the page.

Blocks are read from the page's source so line numbers are the file's; facts are resolved
inside each block before it is checked, so ``kubectl -n {{ facts.k8s.namespace }}`` is
checked as the reader will paste it.
"""
from __future__ import annotations

from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hooks.background import Background
from hooks.codeblocks import commands, safety, syntax
from hooks.codeblocks.extract import Block, blocks
from hooks.codeblocks.secrets import HINT as SECRET_HINT
from hooks.codeblocks.secrets import find_secrets
from hooks.facts.hook import Facts
from hooks.facts.substitute import substitute
from hooks.report import Problem, Report, body_line_offset, clip, source_path
from hooks.sources.hook import Sources

# What the page checks need, set by the build before any page is checked: the worker process
# inherits it when forked (hooks/background.py).
_TENANT_TABLES: set[str] = set()
_FACTS: dict[str, object] = {}
_SHELL: list[tuple[str, Block, str]] = []  # (path, block, code) of every shell block, checked together at the end


def _problem(path: str, block: Block, line_in_block: int, message: str) -> Problem:
    # Parsers that hit the end of input report the line after the block; keep it inside.
    line_in_block = max(1, min(line_in_block, block.code.rstrip("\n").count("\n") + 1))
    first = block.first_line.strip()
    shown = first if len(first) <= 70 else first[:67] + "..."
    return Problem(path, block.line + line_in_block, f"{block.language or 'unlabelled'} block: {message}",
                   f"block starts: {shown}")


def check_block(path: str, block: Block, code: str, tenant_tables: set[str]) -> list[Problem]:
    """The problems of one block; a shell block is also kept for the batched `bash -n`."""
    language = block.language
    if not language:
        return [Problem(path, block.line, "code block without a language",
                        "name it (bash, sql, promql, yaml, json, python) or mark output and examples as text")]
    if language not in syntax.KNOWN:
        return [Problem(path, block.line, f"code block language '{language}' is not checked",
                        f"use one of: {', '.join(sorted(syntax.KNOWN))}")]
    if language in syntax.DECLARED_NOT_RUNNABLE:
        return []
    problems = []
    runnable = syntax.console_commands(code) if language == "console" else code
    if language in syntax.SHELL or language == "console":
        _SHELL.append((path, block, runnable))
        problems += [_problem(path, block, line, message) for line, message in commands.check_commands(runnable)]
    else:
        problems += [_problem(path, block, line, message) for line, message in syntax.CHECKERS[language](code)]
    problems += [_problem(path, block, line, message) for line, message in safety.check_rls(block, runnable, tenant_tables)]
    problems += [_problem(path, block, line, message) for line, message in safety.check_destructive(block, runnable)]
    return problems


def check_page(path: str, source: str, values: dict[str, object]) -> list[Problem]:
    """Every code block of one page, and anything that looks like a secret anywhere on it."""
    offset = body_line_offset(source)
    body = "\n".join(source.split("\n")[offset:])
    problems = []
    for block in blocks(body, line_offset=offset):
        if not block.closed:
            fence = (block.info and f"'{clip(block.info, 30)}' ") or ""
            problems.append(Problem(path, block.line, f"code fence {fence}is never closed: the page shows the fence "
                                    "line as text and the code as prose",
                                    "add the closing fence (the same backticks or tildes) after the block"))
            continue
        code, _ = substitute(block.code, _FACTS, values)  # unknown references: References reports them
        problems += check_block(path, block, code, _TENANT_TABLES)
    problems += [Problem(path, line, f"possible secret: looks like {kind}", SECRET_HINT) for line, kind in find_secrets(source)]
    return problems


def check_shell() -> list[Problem]:
    """`bash -n` of every shell block seen, in one process: one bash per block costs a build seconds."""
    results = syntax.check_shell_batch([code for _, _, code in _SHELL])
    problems = [_problem(path, block, line, message)
                for (path, block, _), found in zip(_SHELL, results, strict=True) for line, message in found]
    _SHELL.clear()
    return problems


class CodeBlocks:
    """The checks run beside MkDocs' rendering (hooks/background.py); their problems reach the
    report before the strict gate."""

    def __init__(self, report: Report, sources: Sources, facts: Facts, schema_file: str, background: Background) -> None:
        self.report = report
        self.sources = sources
        self.background = background
        _TENANT_TABLES.clear()
        _TENANT_TABLES.update(safety.load_tenant_tables(Path(schema_file)))
        _FACTS.clear()
        _FACTS.update(facts.values)
        _SHELL.clear()

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        values = {k: v for k, v in page.meta.items() if not k.startswith("_")}
        self.background.submit(check_page, source_path(config, page.file.src_uri), self.sources.text(page), values)
        return markdown

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        self.background.submit(check_shell)
        return env
