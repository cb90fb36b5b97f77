"""One answer edit committed durably: median and p95 over 500 toggles through the Review facade.

Each toggle is what a keypress in the workspace does: validate, append the operation, update the register and
the undo entry, and COMMIT with ``synchronous=FULL`` in WAL mode, in a temporary data directory on the same
disk as the system's temp directory (pass ``--dir`` to measure another disk). DESIGN.md's budget: median under
5 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from wat_tui.review.service import Review

EDITS = 500


def measure(data_dir: Path, edits: int) -> list[float]:
    review = Review.open(data_dir)
    try:
        sid = review.create_session("Benchmark", lenses=("wellarchitected",))
        questions = [q for q in review.state(sid).lenses[0].questions][:20]
        targets = [(q.id, c.id) for q in questions for c in q.choices if not c.is_none_choice][:50]
        timings = []
        for i in range(edits):
            qid, cid = targets[i % len(targets)]
            start = time.perf_counter()
            review.toggle_choice(sid, "wellarchitected", qid, cid)
            timings.append((time.perf_counter() - start) * 1000)
        return timings
    finally:
        review.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=EDITS)
    parser.add_argument("--dir", type=Path, default=None, help="parent for the temporary data directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        timings = measure(Path(tmp) / "data", args.edits)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(f"answer edit, durable commit: median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, "
          f"max {max(timings):.2f} ms over {len(timings)} edits (budget: median under 5 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
