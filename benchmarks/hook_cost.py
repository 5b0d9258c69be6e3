"""CPU the project's hooks add to the build process, against the same build without them.

    python benchmarks/hook_cost.py [--pages 1000] [--repeat 3]

Each tree is built with and without the hooks, alternately, each build in a fresh interpreter,
and each build's CPU seconds are read from the kernel (``getrusage``) when it ends: those of
the build process itself, and apart from them those of the processes it started (the worker
beside the build, git, ``bash -n``). CPU seconds are not inflated by other processes on a
shared machine, as wall times are (run.py). Overhead = build-process CPU with the hooks /
without, best of ``--repeat`` each.

The hooks also take work off the build process: Material's search plugin no longer reads every
page there (the worker does, hooks/search/beside.py). A figure made by subtracting the hooks'
own timers from one build would miss that, which is why the plain build is measured too. The
hooks' own timers (hooks/build.py) are printed for where their time goes.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def one_build(config_file: Path) -> dict[str, object]:
    """Build once in this process; its CPU and, with the hooks, their own timers."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    os.chdir(config_file.parent)
    config = load_config(str(config_file), site_dir=tempfile.mkdtemp())
    build(config)
    entry = next((module for name, module in config.hooks.items() if name.endswith("portal.py")), None)
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"process": mine.ru_utime + mine.ru_stime, "children": children.ru_utime + children.ru_stime,
            "concerns": dict(entry._build.seconds) if entry is not None else {}}


def measured(config_file: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, __file__, "--one", str(config_file)], capture_output=True, text=True,
                          env=ENV, cwd=config_file.parent)
    if done.returncode != 0:
        raise SystemExit(f"build failed for {config_file}:\n{done.stdout}{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def compare(name: str, config: Path, repeat: int) -> float:
    from benchmarks.run import variant

    plain_config, hooks_config = variant(config, False, config.parent), variant(config, True, config.parent)
    plain, hooks = [], []
    for _ in range(repeat):   # alternated, so that a change in the machine hits both alike
        plain.append(measured(plain_config))
        hooks.append(measured(hooks_config))
    best_plain = min(plain, key=lambda r: float(r["process"]))   # type: ignore[arg-type]
    best_hooks = min(hooks, key=lambda r: float(r["process"]))   # type: ignore[arg-type]
    ratio = float(best_hooks["process"]) / float(best_plain["process"])   # type: ignore[arg-type]
    concerns: dict[str, float] = best_hooks["concerns"]   # type: ignore[assignment]
    beside = sum(v for k, v in concerns.items() if "worker" in k)
    own = sorted(((k, v) for k, v in concerns.items() if "worker" not in k), key=lambda kv: -kv[1])
    print(f"{name:<26} build process: plain {best_plain['process']:6.2f} s CPU, hooks {best_hooks['process']:6.2f} s CPU"
          f" -> x{ratio:.3f};  beside it (worker, git, bash): {best_hooks['children']:5.2f} s CPU"
          f" (worker {beside:.2f} s)", flush=True)
    print(f"{'':<26} hooks' own timers in the build process: "
          + ", ".join(f"{k} {v:.2f} s" for k, v in own if v >= 0.005), flush=True)
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)   # a single build, for compare()
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_build(args.one.resolve())))
        return
    from benchmarks.run import generated_site, real_tree

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        real = real_tree(work)
        worst = compare("real tree", real / "mkdocs.yml", args.repeat)
        worst = max(worst, compare(f"generated {args.pages} pages", generated_site(work, args.pages), args.repeat))
    print(f"hook overhead in the build process: worst x{worst:.3f} (target <= x1.05)")


if __name__ == "__main__":
    main()
