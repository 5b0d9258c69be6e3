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

from hooks.codeblocks import commands, safety, syntax
from hooks.codeblocks.extract import Block, blocks
from hooks.codeblocks.secrets import HINT as SECRET_HINT
from hooks.codeblocks.secrets import find_secrets
from hooks.facts.hook import Facts
from hooks.facts.substitute import substitute
from hooks.report import Problem, Report, body_line_offset, clip, source_path
from hooks.sources.hook import Sources


class CodeBlocks:
    def __init__(self, report: Report, sources: Sources, facts: Facts, schema_file: str) -> None:
        self.report = report
        self.sources = sources
        self.facts = facts
        self.tenant_tables = safety.load_tenant_tables(Path(schema_file))
        self._shell: list[tuple[str, Block, str]] = []  # (path, block, code) checked together in on_env

    def _report(self, path: str, block: Block, line_in_block: int, message: str) -> None:
        # Parsers that hit the end of input report the line after the block; keep it inside.
        line_in_block = max(1, min(line_in_block, block.code.rstrip("\n").count("\n") + 1))
        first = block.first_line.strip()
        shown = first if len(first) <= 70 else first[:67] + "..."
        self.report.add(Problem(path, block.line + line_in_block, f"{block.language or 'unlabelled'} block: {message}",
                                f"block starts: {shown}"))

    def check_block(self, path: str, block: Block, code: str) -> None:
        language = block.language
        if not language:
            self.report.add(Problem(path, block.line, "code block without a language",
                                    "name it (bash, sql, promql, yaml, json, python) or mark output and examples as text"))
            return
        if language not in syntax.KNOWN:
            self.report.add(Problem(path, block.line, f"code block language '{language}' is not checked",
                                    f"use one of: {', '.join(sorted(syntax.KNOWN))}"))
            return
        if language in syntax.DECLARED_NOT_RUNNABLE:
            return
        runnable = syntax.console_commands(code) if language == "console" else code
        if language in syntax.SHELL or language == "console":
            self._shell.append((path, block, runnable))
            for line, message in commands.check_commands(runnable):
                self._report(path, block, line, message)
        else:
            for line, message in syntax.CHECKERS[language](code):
                self._report(path, block, line, message)
        for line, message in safety.check_rls(block, runnable, self.tenant_tables):
            self._report(path, block, line, message)
        for line, message in safety.check_destructive(block, runnable):
            self._report(path, block, line, message)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        path = source_path(config, page.file.src_uri)
        source = self.sources.text(page)
        offset = body_line_offset(source)
        body = "\n".join(source.split("\n")[offset:])
        values = {k: v for k, v in page.meta.items() if not k.startswith("_")}
        for block in blocks(body, line_offset=offset):
            if not block.closed:
                fence = (block.info and f"'{clip(block.info, 30)}' ") or ""
                self.report.add(Problem(path, block.line, f"code fence {fence}is never closed: the page shows the fence "
                                        "line as text and the code as prose",
                                        "add the closing fence (the same backticks or tildes) after the block"))
                continue
            code, _ = substitute(block.code, self.facts.values, values)  # unknown references: References reports them
            self.check_block(path, block, code)
        for line, kind in find_secrets(source):
            self.report.add(Problem(path, line, f"possible secret: looks like {kind}", SECRET_HINT))
        return markdown

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        results = syntax.check_shell_batch([code for _, _, code in self._shell])
        for (path, block, _), problems in zip(self._shell, results, strict=True):
            for line, message in problems:
                self._report(path, block, line, message)
        self._shell.clear()
        return env
