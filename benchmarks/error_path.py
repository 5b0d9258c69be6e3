"""A build with thousands of broken links against the same tree without them.

    python benchmarks/error_path.py [--pages 1000] [--broken 5000] [--repeat 3]

A folder move leaves thousands of broken links; every one must be reported, and the build
that reports them must take about as long as a clean one (target: at most x1.2). Both trees
are generated alike, the second with ``--broken`` links added (five kinds: moved folder,
misspelt name, retired page, missing anchor); the builds alternate. Prints the ratio of the
best times and checks the count of reported links.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.run import ENV, generated_site  # noqa: E402


def timed(config: Path, site: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)],
                          cwd=config.parent, capture_output=True, text=True, env=ENV)
    return time.perf_counter() - start, done.stdout + done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--broken", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    per_page = max(1, args.broken // args.pages)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        clean_config = generated_site(work, args.pages)
        broken_config = generated_site(work, args.pages, per_page)
        clean, broken, reported = [], [], 0
        for _ in range(args.repeat):
            seconds, _ = timed(clean_config, work / "site-clean")
            clean.append(seconds)
            seconds, output = timed(broken_config, work / "site-broken")
            broken.append(seconds)
            reported = len(re.findall(r"^WARNING -  portal: \S+: broken link ", output, re.M))
            print(f"clean {clean[-1]:6.2f} s   broken {broken[-1]:6.2f} s   broken links reported: {reported}", flush=True)
    expected = per_page * args.pages
    ratio = min(broken) / min(clean)
    print(f"error path: {reported} of {expected} broken links reported; build x{ratio:.3f} of the clean build "
          f"(best of {args.repeat}; target <= x1.2)")
    if reported < expected:
        raise SystemExit("not every broken link was reported")


if __name__ == "__main__":
    main()
