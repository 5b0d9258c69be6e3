"""Small MkDocs sites built in temporary folders, with the project's real hooks, and the one
way the tests build any site (``build``): a strict ``mkdocs build`` in a process of its own, as
CI runs it (a fork of tests/build_server.py, which has the imports done already)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

GOOD_META = {
    "title": "A page",
    "description": "What this page answers.",
    "owner": "SRE Team",
    "review": "quarterly",
    "tags": ["fixture"],
}


def page(body: str, **meta) -> str:
    """A page with valid front matter (overridable) and the given Markdown body."""
    values = {**GOOD_META, **meta}
    values = {k: v for k, v in values.items() if v is not None}
    return "---\n" + yaml.safe_dump(values, sort_keys=False) + "---\n\n" + textwrap.dedent(body).lstrip("\n")


@dataclass
class Result:
    code: int
    output: str
    site_dir: Path

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.startswith("WARNING")]


class _BuildServer:
    """One tests/build_server.py per test process: builds in a fork of an interpreter that has
    imported MkDocs and the extensions already (see that module for why this is as isolated
    as a fresh ``python -m mkdocs build``). ``PORTAL_TEST_BUILDS=subprocess`` turns it off."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    def _started(self) -> subprocess.Popen | None:
        if self._process is None or self._process.poll() is not None:
            if not hasattr(os, "fork") or os.environ.get("PORTAL_TEST_BUILDS") == "subprocess":
                return None
            self._process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("build_server.py"))],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                             env={**os.environ, **QUIET})
            assert self._process.stdout is not None
            if not self._process.stdout.readline():
                self._process = None
        return self._process

    def run(self, cwd: Path, args: list[str], env: dict[str, str]) -> tuple[int, str]:
        with self._lock:
            server = self._started()
            if server is None:
                done = subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=cwd, capture_output=True,
                                      text=True, env=env)
                return done.returncode, done.stdout + done.stderr
            assert server.stdin is not None and server.stdout is not None
            with tempfile.NamedTemporaryFile(prefix="mkdocs-output-", suffix=".txt", delete=False) as sink:
                output = Path(sink.name)
            try:
                server.stdin.write(json.dumps({"cwd": str(cwd), "args": args, "env": env, "output": str(output)}) + "\n")
                server.stdin.flush()
                answer = server.stdout.readline()
                if not answer:
                    raise RuntimeError(f"tests/build_server.py stopped while building {cwd}")
                return json.loads(answer)["code"], output.read_text(encoding="utf-8", errors="replace")
            finally:
                output.unlink(missing_ok=True)


_SERVER = _BuildServer()
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def mkdocs(root: Path, *args: str, env: dict | None = None) -> tuple[int, str]:
    """``mkdocs <args>`` in ``root`` with this environment (plus ``env``): exit code and output."""
    return _SERVER.run(root, list(args), {**os.environ, **QUIET, **(env or {})})


def build(root: Path, site_dir: Path, *flags: str, env: dict | None = None) -> Result:
    """``mkdocs build --strict`` of the site whose mkdocs.yml is in ``root``, into ``site_dir``."""
    code, output = mkdocs(root, "build", "--strict", *flags, "-d", str(site_dir), env=env)
    return Result(code, output, site_dir)


class FixtureSite:
    def __init__(self, root: Path, pages: dict[str, str], nav: list | None = None,
                 redirects: dict[str, str] | None = None, plugins: list | None = None) -> None:
        self.root = root
        self.docs = root / "docs"
        for path, text in pages.items():
            target = self.docs / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        config = {
            "site_name": "Fixture",
            "site_url": "https://portal.example/",
            "theme": {"name": "material", "custom_dir": str(ROOT / "overrides")},
            "plugins": ["search", *(plugins or [])] + ([{"redirects": {"redirect_maps": redirects}}] if redirects else []),
            "hooks": [str(ROOT / "hooks" / "portal.py")],
            "markdown_extensions": ["attr_list", "md_in_html", "toc", "footnotes", "admonition"],
            "extra": {"portal": {"facts_file": str(FIXTURES / "facts.yml"), "alert_rules_file": str(FIXTURES / "alerts.yml"),
                                 "policy_file": str(FIXTURES / "policy.yml"),
                                 "examples_file": str(ROOT / "data" / "examples.yml"),
                                 "schema_file": str(ROOT / "data" / "schema.sql")}},
            "validation": {"anchors": "ignore", "unrecognized_links": "ignore",
                           "nav": {"not_found": "ignore"}, "links": {"not_found": "ignore"}},
        }
        if nav is not None:
            config["nav"] = nav
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")

    @classmethod
    def existing(cls, root: Path) -> FixtureSite:
        """A site already on disk (a clone), built the same way."""
        site = cls.__new__(cls)
        site.root, site.docs = root, root / "docs"
        return site

    def build(self, *flags: str, env: dict | None = None) -> Result:
        return build(self.root, self.root / "site", *flags, env=env)

    def git(self, *args: str, date: str = "2026-01-15T10:00:00+00:00") -> str:
        env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
               "GIT_AUTHOR_NAME": "Docs", "GIT_AUTHOR_EMAIL": "docs@example.invalid",
               "GIT_COMMITTER_NAME": "Docs", "GIT_COMMITTER_EMAIL": "docs@example.invalid"}
        return subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True, text=True, env=env).stdout

    def commit_all(self, message: str = "pages", date: str = "2026-01-15T10:00:00+00:00") -> None:
        if not (self.root / ".git").exists():
            self.git("init", "-q", "-b", "main")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date)
