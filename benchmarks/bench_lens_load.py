"""How long loading the twelve real corpus lenses takes: read, decode, parse JSON, validate, parse every rule.

    .venv/bin/python benchmarks/bench_lens_load.py [ROUNDS]

Every round loads all twelve files from tests/fixtures/lens-corpus/ through the same loader that
``wat-tui lens import`` uses; the figure is per full round (all twelve), median and 95th percentile over
ROUNDS rounds (default 50) after two warm-up rounds. It prints one line, for the README.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from wat_tui.lens.loader import load_lens

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "lens-corpus"


def one_round(files: list[Path]) -> float:
    """Seconds to load every file once."""
    start = time.perf_counter()
    for path in files:
        load_lens(path)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    rounds = int(argv[0]) if argv else 50
    files = sorted(CORPUS.glob("*.json"))
    if len(files) != 12:
        print(f"expected 12 corpus lenses in {CORPUS}, found {len(files)}", file=sys.stderr)
        return 1
    for _ in range(2):
        one_round(files)
    times_ms = sorted(one_round(files) * 1000 for _ in range(rounds))
    median = statistics.median(times_ms)
    p95 = times_ms[min(len(times_ms) - 1, round(0.95 * (len(times_ms) - 1)))]
    print(f"lens load ({len(files)} corpus lenses): median {median:.1f} ms, p95 {p95:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
