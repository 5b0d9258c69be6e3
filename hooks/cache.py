"""What one build leaves for the next under ``mkdocs serve``, above all with ``--dirty``.

On every rebuild MkDocs re-executes hooks/portal.py and a new ``Build`` makes new concerns,
but the imported ``hooks.*`` modules stay loaded: state that must survive a rebuild lives
here, never on a concern. Under ``--dirty`` MkDocs renders only the pages whose source is
newer than their output, so the links check keeps every other page's ids and links from
the build before; and a change to anything else pages are made from (facts, alert rules,
schema, templates, hooks, mkdocs.yml) makes every page stale, so all are rebuilt.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files


@dataclass(frozen=True)
class PageLinks:
    ids: list[str]
    links: list[str]


@dataclass
class SearchKept:
    """What the search index of the last build was made from. Under ``mkdocs serve`` every
    rebuild analyses only field texts it has not seen (about a second on the real tree
    otherwise); under ``--dirty`` the pages not rendered again keep their keywords and links."""
    signature: tuple[Any, ...] = ()                         # separator and synonyms the terms were made with
    terms: dict[Any, Any] = field(default_factory=dict)     # field texts -> their FieldTerms
    extras: dict[str, Any] = field(default_factory=dict)    # page url -> its PageExtras
    links: dict[str, Any] = field(default_factory=dict)     # page url -> (target, text) of its links


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once per ``mkdocs serve``: each rebuild makes a new Jinja
    environment, which would compile Material's templates again (a third of a --dirty rebuild
    on the real tree). Jinja checks each template's source checksum, so an edited one is
    compiled again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


@dataclass
class Previous:
    serving: bool = False                                    # mkdocs serve (from on_startup)
    dirty: bool = False                                      # mkdocs serve --dirty (from on_startup)
    templates: CompiledTemplates = field(default_factory=CompiledTemplates)
    pages: dict[str, PageLinks] = field(default_factory=dict)  # src_uri -> what the last build saw
    inputs_mtime: float = 0.0                                # newest change outside docs/ at the last build
    search: SearchKept = field(default_factory=SearchKept)
    status_rows: dict[str, Any] = field(default_factory=dict)  # src_uri -> its page-status Row


STATE = Previous()


def _newest(paths: list[str]) -> float:
    newest = 0.0
    pending = list(paths)
    while pending:
        path = pending.pop()
        try:
            if os.path.isdir(path):
                with os.scandir(path) as entries:
                    for entry in entries:
                        if entry.is_dir(follow_symlinks=False):
                            if entry.name not in ("__pycache__", ".git"):
                                pending.append(entry.path)
                        else:
                            newest = max(newest, entry.stat().st_mtime)
            else:
                newest = max(newest, os.stat(path).st_mtime)
        except OSError:
            continue
    return newest


def stale_outputs(config: MkDocsConfig, files: Files) -> int:
    """Under --dirty, remove the built HTML of every page when an input outside docs/ changed
    since the last build, so MkDocs renders them all again. Returns how many were removed."""
    if not STATE.dirty:
        return 0
    inputs = [*config["watch"], config["config_file_path"] or ""]
    newest = _newest([path for path in inputs if path])
    changed = STATE.inputs_mtime and newest > STATE.inputs_mtime
    STATE.inputs_mtime = newest
    if not changed:
        return 0
    removed = 0
    for file in files.documentation_pages():
        try:
            os.remove(file.abs_dest_path)
            removed += 1
        except OSError:
            pass
    return removed
