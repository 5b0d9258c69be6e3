"""Build the real tree and a generated tree with and without the project's hooks.

    python benchmarks/run.py [--pages 1000] [--repeat 3]

Prints the best wall time of each variant and the ratio hooks/plain. Times on a shared,
2-core machine are noisy: compare the ratios of one run, not absolute times.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.generate import generate  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def variant(config: Path, with_hooks: bool, out: Path) -> Path:
    """A config file that inherits the given one, with the hooks kept or removed."""
    target = out / f"{config.stem}-{'hooks' if with_hooks else 'plain'}.yml"
    data = {"INHERIT": str(config)}
    if not with_hooks:
        data["hooks"] = []
    target.write_text(yaml.safe_dump(data))
    return target


def time_build(config: Path, site: Path, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                              cwd=config.parent, capture_output=True, text=True, env=ENV)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"build failed for {config}:\n{done.stdout}{done.stderr}")
    return times


def measure(name: str, config: Path, work: Path, repeat: int) -> dict:
    plain_config, hooks_config = variant(config, False, config.parent), variant(config, True, config.parent)
    plain, hooks = [], []
    for _ in range(repeat):
        # Alternate the variants so a change in machine load hits both alike.
        plain += time_build(plain_config, work / "site-plain", 1)
        hooks += time_build(hooks_config, work / "site-hooks", 1)
    result = {"tree": name, "plain_s": min(plain), "hooks_s": min(hooks), "ratio": min(hooks) / min(plain),
              "plain_median_s": statistics.median(plain), "hooks_median_s": statistics.median(hooks)}
    print(f"{name:<28} plain {result['plain_s']:7.2f} s   hooks {result['hooks_s']:7.2f} s   "
          f"ratio x{result['ratio']:.3f} (best of {repeat}; medians {result['plain_median_s']:.2f} / {result['hooks_median_s']:.2f} s)",
          flush=True)
    return result


def generated_site(work: Path, pages: int, broken_per_page: int = 0, keep_redirects: bool = False) -> Path:
    root = work / (f"generated-{pages}" + (f"-broken-{broken_per_page}" if broken_per_page else ""))
    generate(root, pages, broken_per_page)
    text = (ROOT / "mkdocs.yml").read_text()
    text = text.split("\nnav:\n")[0]  # generated pages: automatic navigation
    if not keep_redirects:
        # The real tree's redirects point at its own pages, which a generated tree does not have.
        text = re.sub(r"  - redirects:\n(?:      .*\n)+", "", text)
    text = re.sub(r"\nwatch:\n(?:  - .*\n)+", "\n", text)  # the real tree's inputs; the hooks come from ROOT
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    text = text.replace("- hooks/portal.py", f"- {ROOT / 'hooks/portal.py'}")
    # The portal's settings name files of this checkout; the generated tree gets copies, since the
    # rendered alert rules name their template relative to the tree they are checked in.
    for folder in ("data", "monitoring"):
        shutil.copytree(ROOT / folder, root / folder, dirs_exist_ok=True)
    (root / "mkdocs.yml").write_text(text)
    commit_tree(root)
    return root / "mkdocs.yml"


def real_tree(work: Path) -> Path:
    """A copy of this checkout (its git history included, for the dates), without built output."""
    copy = work / "real"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("site", "site-*", ".pytest_cache", "__pycache__",
                                                              "test-artifacts"))
    return copy


def commit_tree(root: Path) -> None:
    """One commit of everything, so the dates hook reads a clean history."""
    if not (root / ".git").exists():
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-qm", "generated"],
                   cwd=root, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results = [measure("real tree", real_tree(work) / "mkdocs.yml", work, args.repeat)]
        results.append(measure(f"generated {args.pages} pages", generated_site(work, args.pages), work, args.repeat))
    worst = max(r["ratio"] for r in results)
    print(f"hook overhead: worst ratio x{worst:.3f} (target <= x1.05)")


if __name__ == "__main__":
    main()
