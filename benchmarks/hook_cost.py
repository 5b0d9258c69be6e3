"""Time spent inside the project's hooks during one build, measured in the build itself.

    python benchmarks/hook_cost.py [-f mkdocs.yml] [--pages N]

On a shared 2-core machine two whole builds can differ by 20 % for reasons of their own, more
than the hooks cost; run.py's ratios carry that noise. Both the build and the hooks are timed in
CPU seconds of this process and its children (hooks/build.py cpu_seconds), which other
processes do not inflate. Here the build's own timer around every
concern's events (hooks/build.py) is read after a single in-process build:
overhead = hook time / (build time - hook time). Includes the git and bash processes the hooks
start, since they run inside the events.
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from hooks.build import cpu_seconds  # noqa: E402


def timed_build(config_file: Path) -> tuple[float, dict[str, float]]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    cwd = os.getcwd()
    os.chdir(config_file.parent)
    try:
        config = load_config(str(config_file), site_dir=tempfile.mkdtemp())
        entry = next(module for name, module in config.hooks.items() if name.endswith("portal.py"))
        start = cpu_seconds()
        build(config)
        total = cpu_seconds() - start
    finally:
        os.chdir(cwd)
    # hooks/build.py times every concern's events inside the build it runs.
    return total, dict(entry._build.seconds)


def report(name: str, total: float, spent: dict[str, float]) -> float:
    """Two figures: the CPU the hooks add to the build process (what lengthens a build), and all
    CPU including the checks that run in a second process beside the rendering."""
    beside = sum(seconds for hook, seconds in spent.items() if "worker" in hook)
    inline = sum(spent.values()) - beside
    build_alone = total - inline - beside
    overhead = inline / build_alone
    parts = ", ".join(f"{hook} {seconds:.2f} s" for hook, seconds in sorted(spent.items(), key=lambda kv: -kv[1]))
    print(f"{name:<26} build {total:6.2f} s CPU; hooks in the build process {inline:5.2f} s -> overhead x{1 + overhead:.3f}; "
          f"with the worker {inline + beside:5.2f} s -> x{1 + (inline + beside) / build_alone:.3f}  ({parts})", flush=True)
    return overhead


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    from benchmarks.run import generated_site

    worst = report("real tree", *timed_build(ROOT / "mkdocs.yml"))
    with tempfile.TemporaryDirectory() as tmp:
        config = generated_site(Path(tmp), args.pages)
        worst = max(worst, report(f"generated {args.pages} pages", *timed_build(config)))
    print(f"hook overhead measured inside the build: worst x{1 + worst:.3f} (target <= x1.05)")


if __name__ == "__main__":
    main()
