import sys
from pathlib import Path

# tests/ for the shared helpers (sites, db), the checkout itself for hooks, benchmarks, scripts.
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))
