"""Everything CI checks except the slow server and browser suites, in one command:

    python -m scripts.check

- environment: the packages this interpreter has are the versions pyproject.toml pins;
- tests: ``pytest -m "not browser and not postgres and not redis and not nginx"`` on both
  cores: the strict build of the real tree, the hooks on fixture sites, every YAML file, the
  rendered alert rules, promtool and amtool, the secret scan, the scaffolder, ruff and mypy;
- offline build: the copy opened from disk, built strict, as CI builds it.

Every tool runs with the interpreter that runs this command, never the first ``mkdocs`` or
``pytest`` on PATH. CI runs the same and the slow suites: ``python3 -m pytest``. Pre-commit
runs this command before every commit (.pre-commit-config.yaml).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOW = ("browser", "postgres", "redis", "nginx")
QUIET_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


@dataclass
class Outcome:
    name: str
    ok: bool
    seconds: float
    output: str = ""
    summary: str = ""


def pinned(pyproject: Path) -> dict[str, str]:
    """``{package: version}`` for every ``name==version`` in the dependencies and the test extra."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = [*project.get("dependencies", []), *project.get("optional-dependencies", {}).get("test", [])]
    pins = {}
    for requirement in requirements:
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*==\s*([^\s;#]+)", requirement)
        if match:
            pins[match.group(1)] = match.group(2)
    return pins


def environment_problems(pins: dict[str, str]) -> list[str]:
    problems = []
    for package, wanted in sorted(pins.items()):
        try:
            installed = metadata.version(package)
        except metadata.PackageNotFoundError:
            problems.append(f"{package} is not installed (pyproject.toml pins {wanted})")
            continue
        if installed != wanted:
            problems.append(f"{package} {installed} is installed, pyproject.toml pins {wanted}")
    return problems


def check_environment() -> Outcome:
    start = time.perf_counter()
    problems = environment_problems(pinned(ROOT / "pyproject.toml"))
    if problems:
        fix = f"{sys.executable} -m pip install -e '.[test]'"
        text = "\n".join(problems) + f"\nfor the interpreter {sys.executable}; run: {fix}"
        return Outcome("environment", False, time.perf_counter() - start, text, f"{len(problems)} package(s) differ")
    return Outcome("environment", True, time.perf_counter() - start, summary=f"{sys.executable}, pins match")


def start_tests() -> subprocess.Popen:
    selection = " and ".join(f"not {marker}" for marker in SLOW)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", selection,
               "-n", "2", "--dist", "loadfile"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **QUIET_ENV})


def start_offline_build(site: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **QUIET_ENV, "OFFLINE": "true"})


def finish(name: str, process: subprocess.Popen, started: float) -> Outcome:
    output, _ = process.communicate()
    lines = [line for line in output.strip().splitlines() if line.strip()]
    summary = lines[-1].strip("= ") if lines and process.returncode == 0 else ""
    return Outcome(name, process.returncode == 0, time.perf_counter() - started, output, summary)


def report(outcomes: list[Outcome], started: float) -> int:
    for outcome in outcomes:
        status = "ok" if outcome.ok else "FAILED"
        print(f"check: {outcome.name:<14} {status:<6} {outcome.seconds:5.1f} s  {outcome.summary}")
    failed = [o for o in outcomes if not o.ok]
    for outcome in failed:
        print(f"\n---- {outcome.name} ----\n{outcome.output.strip()}")
    total = time.perf_counter() - started
    if failed:
        print(f"\n{len(failed)} of {len(outcomes)} checks failed in {total:.0f} s: {', '.join(o.name for o in failed)}")
        return 1
    print(f"\nAll {len(outcomes)} checks passed in {total:.0f} s. CI also runs the {', '.join(SLOW)} suites "
          "(python3 -m pytest).")
    return 0


def main() -> int:
    started = time.perf_counter()
    environment = check_environment()
    if not environment.ok:
        return report([environment], started)
    with tempfile.TemporaryDirectory(prefix="portal-check-") as scratch, ThreadPoolExecutor() as pool:
        begun = time.perf_counter()
        running = {"tests": start_tests(), "offline build": start_offline_build(Path(scratch) / "site-offline")}
        finished = [pool.submit(finish, name, process, begun) for name, process in running.items()]
        outcomes = [environment, *(future.result() for future in finished)]
    return report(outcomes, started)


if __name__ == "__main__":
    sys.exit(main())
