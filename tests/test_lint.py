"""ruff and mypy over the code, as configured in pyproject.toml.

They run once the project configures them ([tool.ruff], [tool.mypy]); until then the tests say
so and skip. Once configured, a missing tool fails: it is then part of the pinned test extra.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]


def configured(tool: str) -> None:
    if tool not in TOOLS:
        pytest.skip(f"no [tool.{tool}] in pyproject.toml yet")
    if importlib.util.find_spec(tool) is None:
        pytest.fail(f"{tool} is configured in pyproject.toml but not installed: pip install -e '.[test]'")


def test_ruff_finds_nothing():
    configured("ruff")
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing():
    configured("mypy")
    files = [] if TOOLS["mypy"].get("files") else ["hooks", "scripts"]
    done = subprocess.run([sys.executable, "-m", "mypy", *files], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
