"""scripts.check: the quick command checks the environment it runs in against pyproject's pins."""
from __future__ import annotations

from pathlib import Path

from scripts.check import SLOW, environment_problems, pinned

ROOT = Path(__file__).resolve().parent.parent


def test_pins_are_read_from_the_dependencies_and_the_test_extra(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["mkdocs==1.6.1", "PyYAML>=6.0"]\n'
        '[project.optional-dependencies]\ntest = ["pytest==9.0.3  ", "pytest-xdist[psutil]==3.8.0; python_version >= \'3.11\'"]\n')
    assert pinned(tmp_path / "pyproject.toml") == {"mkdocs": "1.6.1", "pytest": "9.0.3", "pytest-xdist": "3.8.0"}


def test_a_different_or_missing_package_is_named_with_the_pin():
    assert environment_problems({"mkdocs": "0.0.1", "no-such-package-here": "1.0"}) == [
        "mkdocs " + __import__("mkdocs").__version__ + " is installed, pyproject.toml pins 0.0.1",
        "no-such-package-here is not installed (pyproject.toml pins 1.0)",
    ]


def test_this_environment_matches_the_pins_and_every_slow_marker_is_declared():
    assert environment_problems(pinned(ROOT / "pyproject.toml")) == []
    declared = (ROOT / "pyproject.toml").read_text()
    assert all(f'"{marker}: ' in declared for marker in SLOW)
