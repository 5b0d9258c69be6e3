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


def _load_this_checkouts_package() -> None:
    loaded = sys.modules.get("hooks")
    if loaded is not None and Path(getattr(loaded, "__file__", None) or "/").resolve().parent == _PACKAGE_DIR:
        return
    for name in [n for n in sys.modules if n == "hooks" or n.startswith("hooks.")]:
        del sys.modules[name]
    spec = importlib.util.spec_from_file_location("hooks", _PACKAGE_DIR / "__init__.py",
                                                  submodule_search_locations=[str(_PACKAGE_DIR)])
    assert spec is not None and spec.loader is not None
    package = importlib.util.module_from_spec(spec)
    sys.modules["hooks"] = package
    spec.loader.exec_module(package)


_load_this_checkouts_package()

from hooks.build import Build  # noqa: E402  (only after the package above is in place)

_build: Build | None = None


def _current() -> Build:
    if _build is None:
        raise RuntimeError("hooks/portal.py: an event arrived before on_config")
    return _build


def on_config(config):
    global _build
    _build = Build(config)
    return config


def on_files(files, *, config):
    return _current().chain("on_files", files, config=config)


def on_nav(nav, *, config, files):
    return _current().chain("on_nav", nav, config=config, files=files)


def on_page_markdown(markdown, *, page, config, files):
    return _current().chain("on_page_markdown", markdown, page=page, config=config, files=files)


def on_page_content(html, *, page, config, files):
    return _current().chain("on_page_content", html, page=page, config=config, files=files)


def on_env(env, *, config, files):
    return _current().chain("on_env", env, config=config, files=files)


def on_post_page(output, *, page, config):
    return _current().chain("on_post_page", output, page=page, config=config)


def on_post_template(output_content, *, template_name, config):
    return _current().chain("on_post_template", output_content, template_name=template_name, config=config)


def on_post_build(*, config):
    _current().notify("on_post_build", config=config)
    _current().finish()
