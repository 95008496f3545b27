"""``make bench``: run every benchmark under ``bench/`` in turn, each in its own process (it configures Django
itself). Each prints its figures and the ratio against a floor measured in the same run (see README, Performance).

    uv run python bench/run.py [reckoning] [invoices]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {"reckoning": "reckoning.py", "invoices": "invoices.py"}


def main() -> int:
    chosen = [name for name in sys.argv[1:] if name in BENCHMARKS] or list(BENCHMARKS)
    failed = 0
    for name in chosen:
        print(f"== bench/{BENCHMARKS[name]}", flush=True)
        failed |= subprocess.call([sys.executable, str(HERE / BENCHMARKS[name])])
    return failed


if __name__ == "__main__":
    sys.exit(main())
