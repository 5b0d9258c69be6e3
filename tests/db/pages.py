"""The ```sql blocks and redis-cli commands of the portal's pages, with facts resolved.

Blocks are located in the page source as the author edits it, then each block's code is
run through the facts substitution: a multi-line fact (a PromQL expression) earlier on the
page would otherwise shift every later line number away from the file's.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from hooks.codeblocks.extract import Block, blocks
from hooks.facts.substitute import substitute
from hooks.facts.values import load_facts

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


@dataclass(frozen=True)
class PageBlock:
    path: str                 # relative to the repository root, e.g. docs/runbooks/x.md
    block: Block
    code: str                 # facts substituted
    output: Block | None      # the ```text block right after it, if any
    more_outputs: tuple[Block, ...] = ()   # further output blocks ("Unhealthy output:")
    shares_output_with: tuple[int, ...] = ()  # lines of earlier blocks whose output this one's shows too

    @property
    def outputs(self) -> tuple[Block, ...]:
        return ((self.output,) if self.output else ()) + self.more_outputs

    @property
    def where(self) -> str:
        return f"{self.path}:{self.block.line}"


@cache
def facts() -> dict:
    return load_facts(ROOT / "data" / "facts.yml", ROOT / "monitoring" / "prometheus" / "alerts.yml",
                      ROOT / "data" / "examples.yml")


def _page_values(source: str) -> dict:
    match = FRONT_MATTER.match(source)
    meta = yaml.safe_load(match.group(1)) if match else {}
    return {k: v for k, v in (meta or {}).items()}


def _next_block_is_output(source_lines: list[str], current: Block, following: Block | None) -> bool:
    """A ```text block that follows with only prose like "Expected output:" in between."""
    if following is None or following.language not in ("text", "console"):
        return False
    end = current.line + len(current.code.splitlines()) + 1
    between = [l.strip() for l in source_lines[end:following.line - 1] if l.strip()]
    return len(between) <= 1 and all(len(l) < 120 and not l.startswith(("#", "```", "~~~")) for l in between)


def page_blocks(path: Path, languages: tuple[str, ...], root: Path = ROOT) -> list[PageBlock]:
    source = path.read_text(encoding="utf-8")
    values = _page_values(source)
    found = blocks(source)
    lines = source.split("\n")
    rel = str(path.resolve().relative_to(root.resolve())) if path.resolve().is_relative_to(root.resolve()) else str(path)
    result = []
    waiting: list[int] = []   # blocks of this language since the last output shown
    for index, block in enumerate(found):
        if block.language not in languages:
            if not (block.language in ("text", "console") and index and found[index - 1].language in languages):
                waiting = []
            continue
        code, _unknown = substitute(block.code, facts(), values)
        outputs: list[Block] = []
        current = block
        for following in found[index + 1:]:
            if not _next_block_is_output(lines, current, following):
                break
            outputs.append(following)
            current = following
        result.append(PageBlock(rel, block, code, outputs[0] if outputs else None, tuple(outputs[1:]),
                                tuple(waiting) if outputs else ()))
        waiting = [] if outputs else waiting + [block.line]
    return result


def pages(docs: Path = DOCS) -> list[Path]:
    return sorted(docs.rglob("*.md"))


def sql_blocks(docs: Path = DOCS, root: Path = ROOT) -> list[PageBlock]:
    return [b for p in pages(docs) for b in page_blocks(p, ("sql",), root)]


# ---- redis-cli -----------------------------------------------------------------------

@dataclass(frozen=True)
class RedisCommand:
    path: str
    line: int                 # line of the command in the page
    argv: list[str]           # redis-cli arguments after "redis-cli" (connection options kept)
    text: str                 # the command line as written (facts substituted)
    under_warning: bool
    tty: bool = False         # kubectl exec -t / -it: redis-cli prints its terminal format
    piped: bool = False       # the reply goes on to another command (| jq, | wc -l)
    outputs: tuple[str, ...] = ()   # the expected-output blocks shown after the command's block
    alone: bool = False       # the only redis-cli command of its block, so the output is its own

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


SHELL_OPERATORS = {"|", "||", "&&", ";", ">", ">>", "<", "&", "2>", "2>&1", "(", ")"}


def _logical_lines(code: str) -> list[tuple[int, str]]:
    """Lines with backslash continuations joined, numbered by their first physical line."""
    joined, start, parts = [], None, []
    for number, line in enumerate(code.split("\n")):
        if start is None:
            start = number
        if line.rstrip().endswith("\\"):
            parts.append(line.rstrip()[:-1])
            continue
        parts.append(line)
        joined.append((start, " ".join(p.strip() for p in parts)))
        start, parts = None, []
    if parts:
        joined.append((start, " ".join(p.strip() for p in parts)))
    return joined


def redis_cli_argv(line: str) -> list[str] | None:
    """The arguments of ``kubectl exec ... -- redis-cli ARGS``, up to the shell operator that ends them.

    A command quoted for ``watch "kubectl exec ... -- redis-cli ..."`` is looked for inside the quotes.
    """
    if "redis-cli" not in line:
        return None
    # <TASK_ID> is a placeholder, not a redirection.
    protected = re.sub(r"<([A-Za-z][A-Za-z0-9_]*)>", r"@@PH@\1@@", line)
    lexer = shlex.shlex(protected, posix=True, punctuation_chars="|&;<>()")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    tokens = [re.sub(r"@@PH@(\w+)@@", r"<\1>", token) for token in lexer]
    for index, token in enumerate(tokens):
        if token == "redis-cli" and index > 0 and tokens[index - 1] == "--":
            argv = []
            for arg in tokens[index + 1:]:
                if arg in SHELL_OPERATORS:
                    break
                argv.append(arg)
            if argv and argv[-1] == "2" and len(argv) < len(tokens) - index - 1:
                argv.pop()  # the "2" of a "2>/dev/null"
            return argv
    for token in tokens:
        if "-- redis-cli" in token:
            return redis_cli_argv(token)
    return None


def _exec_flags(line: str) -> tuple[bool, bool]:
    """(tty, piped) of a ``kubectl exec ... -- redis-cli ...`` line."""
    before, _, after = line.partition("-- redis-cli")
    exec_part = before[before.find("kubectl exec"):] if "kubectl exec" in before else before
    tty = bool(re.search(r"(?:^|\s)-(?:it|ti|t)\b|--tty\b", exec_part))
    return tty, bool(re.search(r"(?<![|])\|(?![|])", after))


def redis_commands(docs: Path = DOCS, root: Path = ROOT) -> list[RedisCommand]:
    found = []
    for path in pages(docs):
        for page_block in page_blocks(path, ("bash", "sh", "shell", "console"), root):
            lines = [(offset, line, redis_cli_argv(line)) for offset, line in _logical_lines(page_block.code)]
            commands = [(offset, line, argv) for offset, line, argv in lines if argv is not None]
            outputs = tuple(block.code for block in page_block.outputs)
            for offset, line, argv in commands:
                tty, piped = _exec_flags(line)
                found.append(RedisCommand(page_block.path, page_block.block.line + 1 + offset, argv, line.strip(),
                                          page_block.block.under_warning, tty, piped, outputs, len(commands) == 1))
    return found
