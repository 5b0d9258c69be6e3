"""Time from saving a page to ``mkdocs serve`` serving the new version.

    python benchmarks/serve.py [--repeat 3]

Three variants: a full rebuild without the hooks, a full rebuild with them (plain
``mkdocs serve``), and the author command, ``mkdocs serve --dirty`` with the hooks (only the
saved page is rendered; target: within 1.5 s on the real tree). Each starts ``mkdocs serve``
on a loopback port, edits one page, and polls the served HTML until the edit shows. Works on
a copy of the repository so the tree itself is never touched.
"""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.run import ENV, real_tree, variant  # noqa: E402

PAGE = "docs/runbooks/high-queue-depth.md"
URL_PATH = "runbooks/high-queue-depth/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def wait_for(url: str, marker: str, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        body = fetch(url)
        if body is not None and marker in body:
            return time.perf_counter() - start
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not show {marker!r} within {timeout} s")


def measure(config: Path, page: Path, repeat: int, *flags: str) -> list[float]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}",
                               *flags], cwd=config.parent, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/{URL_PATH}"
    original = page.read_text()
    times = []
    try:
        wait_for(url, "High Queue Depth", 300)
        for round_number in range(repeat):
            marker = f"portal-serve-benchmark-{round_number}-{time.time_ns()}"
            page.write_text(original + f"\n\n{marker}\n")
            times.append(wait_for(url, marker, 300))
    finally:
        page.write_text(original)
        server.terminate()
        server.wait(timeout=30)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = real_tree(Path(tmp))
        config = copy / "mkdocs.yml"
        results = {}
        for name, with_hooks, flags in (("plain", False, ()), ("hooks", True, ()), ("hooks --dirty", True, ("--dirty",))):
            results[name] = measure(variant(config, with_hooks, copy), copy / PAGE, args.repeat, *flags)
            print(f"{name:<13} save-to-served {statistics.median(results[name]):6.2f} s median "
                  f"(runs: {', '.join(f'{t:.2f}' for t in results[name])})", flush=True)
    ratio = statistics.median(results["hooks"]) / statistics.median(results["plain"])
    print(f"full rebuild: hooks/plain x{ratio:.3f}; author command (--dirty): "
          f"{statistics.median(results['hooks --dirty']):.2f} s (target <= 1.5 s)")


if __name__ == "__main__":
    main()
