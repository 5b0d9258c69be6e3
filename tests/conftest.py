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


# A test is marked by the servers its fixtures start, so a new test that asks for `postgres`
# is deselected with the others without a decorator to remember. Modules whose fixtures have
# generic names (test_serving's nginx `server`) carry their marker themselves.
MARKER_OF_FIXTURE = {"postgres": "postgres", "redis_servers": "redis", "browser": "browser"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture, marker in MARKER_OF_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)
