"""What the build may read from docs/: no link out of the repository, and text that is UTF-8.

Pure functions over paths and bytes; ``hook.py`` turns their findings into problems.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
LIKELY_ENCODING = "probably Windows-1252 or Latin-1, as a word processor or an older editor saves it"


@dataclass(frozen=True)
class Symlink:
    path: str      # relative to docs_dir, as MkDocs names the file
    target: str    # where it resolves, or where it would point when it dangles
    is_dir: bool
    reason: str    # why it may not be read


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def symlinks_leaving(docs_dir: Path, root: Path) -> list[Symlink]:
    """Symbolic links under ``docs_dir`` that lead out of the repository, into its ``.git``
    folder, or nowhere. Links inside the repository are fine; ``os.scandir`` reads the link
    flag from the directory entry, so the walk costs no extra system call per file."""
    root_real = os.path.realpath(root)
    git_dir = os.path.join(root_real, ".git")
    found: list[Symlink] = []
    pending = [str(docs_dir)]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                relative = os.path.relpath(entry.path, docs_dir).replace(os.sep, "/")
                is_dir = os.path.isdir(target)
                if not os.path.exists(target):
                    found.append(Symlink(relative, os.readlink(entry.path), False, "points to nothing"))
                elif not _within(target, root_real):
                    found.append(Symlink(relative, target, is_dir, "points outside the repository"))
                elif _within(target, git_dir):
                    found.append(Symlink(relative, target, is_dir, "points into the repository's .git folder"))
            elif entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
    return sorted(found, key=lambda link: link.path)


@dataclass(frozen=True)
class Decoded:
    text: str
    problem: str | None = None       # what is wrong, when the bytes are not UTF-8 text
    line: int | None = None
    binary: bool = False


def decode(data: bytes) -> Decoded:
    """The text of a page as MkDocs reads it (UTF-8, an optional BOM), or what is wrong with it.

    A text file in another encoding keeps its readable parts (undecodable bytes become U+FFFD)
    so the other checks still run; a binary file becomes an empty page."""
    try:
        return Decoded(_universal_newlines(data.decode("utf-8-sig")))
    except UnicodeDecodeError as error:
        if data.startswith(UTF16_BOMS):
            return Decoded("", "is UTF-16 text, not UTF-8", None, binary=True)
        if b"\x00" in data[:8192]:
            return Decoded("", "is a binary file, not Markdown text", None, binary=True)
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        return Decoded(_universal_newlines(data.decode("utf-8", errors="replace")),
                       f"is not UTF-8: byte 0x{byte:02x} cannot be read ({LIKELY_ENCODING})", line)


def _universal_newlines(text: str) -> str:
    """Line ends as ``open()`` in text mode gives them to MkDocs: CRLF and CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
