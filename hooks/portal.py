"""The portal's hooks as MkDocs sees them: the one file listed under ``hooks:`` in mkdocs.yml.

MkDocs loads this file by its path; everything it imports must come from the same checkout.
A plain ``from hooks.x import ...`` would import whichever top-level ``hooks`` package the
environment happens to have (another checkout installed in the same virtualenv, say), so the
package next to this file is loaded explicitly, by path, before anything else.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _newest_source() -> float:
    return max((path.stat().st_mtime for path in _PACKAGE_DIR.rglob("*.py")), default=0.0)


def _load_this_checkouts_package() -> None:
    # `mkdocs serve` re-executes this file on every rebuild but keeps imported modules: the
    # package is loaded again only when one of its files changed since it was loaded.
    loaded = sys.modules.get("hooks")
    if loaded is not None and Path(getattr(loaded, "__file__", None) or "/").resolve().parent == _PACKAGE_DIR \
            and getattr(loaded, "_loaded_at", 0.0) >= _newest_source():
        return
    for name in [n for n in sys.modules if n == "hooks" or n.startswith("hooks.")]:
        del sys.modules[name]
    spec = importlib.util.spec_from_file_location("hooks", _PACKAGE_DIR / "__init__.py",
                                                  submodule_search_locations=[str(_PACKAGE_DIR)])
    assert spec is not None and spec.loader is not None
    package = importlib.util.module_from_spec(spec)
    sys.modules["hooks"] = package
    spec.loader.exec_module(package)
    package._loaded_at = _newest_source()  # type: ignore[attr-defined]


_load_this_checkouts_package()

from jinja2 import Environment  # noqa: E402
from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import Files  # noqa: E402
from mkdocs.structure.nav import Navigation  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from hooks import cache  # noqa: E402  (only after the package above is in place)
from hooks.build import Build  # noqa: E402

_build: Build | None = None


def _current() -> Build:
    if _build is None:
        raise RuntimeError("hooks/portal.py: an event arrived before on_config")
    return _build


def on_startup(*, command: str, dirty: bool) -> None:
    # Called once per `mkdocs serve`, not on each rebuild: the flag is kept where rebuilds find it.
    cache.STATE.serving = command == "serve"
    cache.STATE.dirty = dirty and command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    _build = Build(config)
    return _build.chain("on_config", config)


# Before the plugins' own on_files: Material's meta plugin reads every .meta.yml there, and a
# symbolic link to a file outside the repository must be gone before anything reads it.
@event_priority(100)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    return _current().chain("on_files", files, config=config)


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    return _current().chain("on_nav", nav, config=config, files=files)


def on_page_read_source(*, page: Page, config: MkDocsConfig) -> str | None:
    return _current().read_source(page, config)


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _current().chain("on_page_markdown", markdown, page=page, config=config, files=files)


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return _current().chain("on_page_content", html, page=page, config=config, files=files)


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    if cache.STATE.serving:
        env.bytecode_cache = cache.STATE.templates
    return _current().chain("on_env", env, config=config, files=files)


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return _current().chain("on_post_page", output, page=page, config=config)


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
    return _current().chain("on_post_template", output_content, template_name=template_name, config=config)


def on_post_build(*, config: MkDocsConfig) -> None:
    _current().notify("on_post_build", config=config)
    _current().finish()


def on_build_error(*, error: Exception) -> None:
    if _build is not None:
        _build.abandon()
