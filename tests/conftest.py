import sys
from pathlib import Path

# tests/ for the shared helpers (sites, db), the checkout itself for hooks, benchmarks, scripts.
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))


import pytest  # noqa: E402


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright, one per test module."""
    pytest.importorskip("playwright.sync_api")
    from benchmarks.search import chromium

    with chromium() as launched:
        yield launched
