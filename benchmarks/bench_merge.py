"""Merge benchmark: ten bundles of 5,000 operations each into a fresh laptop (budget: under 2 s), then the same
shape at 1x, 4x and 16x a smaller base, to show how the cost grows with the number of operations.

Ten writers each start from the same prepared session, then edit concurrently: answers (the same questions, so
there are real conflicts), notes with edits and deletions, and action items with field edits. The timed part is
exactly what ``wat-tui merge`` does: read and validate every file, ingest in one transaction, refresh the session
and list the open conflicts. Run: ``.venv/bin/python benchmarks/bench_merge.py [--quick]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from wat_tui.exchange.bundle import write_bundle
from wat_tui.exchange.merge import merge_files
from wat_tui.review.service import Review

WRITERS = 10


def make_bundles(root: Path, ops_per_writer: int, seed: int = 7) -> list[Path]:
    """Ten bundles, one per writer, each holding the shared start plus ``ops_per_writer`` of its own ops."""
    rng = random.Random(seed)
    lead = Review.open(root / "lead")
    sid = lead.create_session("Benchmark", workload="shop")
    start = root / "start.json"
    write_bundle(lead, sid, start)
    lead.close()
    questions = [q for lens in [Review.open(root / "lead").state(sid).lenses[0]] for q in lens.questions]
    paths = []
    for w in range(WRITERS):
        r = Review.open(root / f"w{w}")
        merge_files(r, [start])
        log = r._log  # setup speed: the store's low-level writer (no rules, no undo); the merge is what is timed
        notes: list[str] = []
        actions: list[str] = []
        with log.transaction():  # setup speed: one transaction; the ops are what a facilitator's edits write
            while log.version_vector(sid).get(r.writer_id, 0) < ops_per_writer:
                roll = rng.random()
                q = rng.choice(questions)
                key = f"wellarchitected/{q.id}"
                if roll < 0.45:
                    picked = sorted(c.id for c in rng.sample(q.choices, rng.randint(1, min(3, len(q.choices)))))
                    log.write(sid, f"answer/{key}", {"selected": picked, "na_choices": {}, "not_applicable": False,
                                                     "reason": None})
                elif roll < 0.75 or not notes:
                    nid = str(uuid.uuid4())
                    notes.append(nid)
                    log.write(sid, f"note/{nid}", {"question": key, "author": f"writer {w}",
                                                   "body": f"Observation {rng.random():.6f} about {q.id}",
                                                   "private": False})
                elif roll < 0.85:
                    nid = rng.choice(notes)
                    log.write(sid, f"note/{nid}", {"question": key, "author": f"writer {w}",
                                                   "body": f"Edited {rng.random():.6f}", "private": False})
                elif roll < 0.88:
                    log.write(sid, f"note/{notes.pop(rng.randrange(len(notes)))}", None)
                elif roll < 0.94 or not actions:
                    aid = str(uuid.uuid4())
                    actions.append(aid)
                    log.write(sid, f"action/{aid}", {"question": key})
                    for field, value in (("title", f"Fix {q.id}"), ("owner", "ops"), ("due", "2026-12-01"),
                                         ("status", "open")):
                        log.write(sid, f"action/{aid}/{field}", value)
                else:
                    log.write(sid, f"action/{rng.choice(actions)}/status", rng.choice(["in progress", "done"]))
        path = root / f"w{w}.json"
        write_bundle(r, sid, path)
        r.close()
        paths.append(path)
    return paths


def measure(ops_per_writer: int, repeats: int) -> tuple[float, float, int, int]:
    """Median wall and CPU seconds to merge the ten bundles into a fresh database; operations; open conflicts."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = make_bundles(root, ops_per_writer)
        times, cpu = [], []
        for i in range(repeats):
            r = Review.open(root / f"fresh{i}")
            t0, c0 = time.perf_counter(), time.process_time()
            report = merge_files(r, paths)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            r.close()
        return statistics.median(times), statistics.median(cpu), report.operations, len(report.conflicts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    seconds, cpu, ops, conflicts = measure(5000, repeats)
    verdict = "within" if seconds < 2.0 else "OVER"
    print(f"merge 10 bundles x 5,000 ops: {seconds:.3f} s (cpu {cpu:.3f} s) for {ops} ops "
          f"({ops / seconds:,.0f} ops/s), {conflicts} open conflicts; budget 2 s: {verdict}", flush=True)
    base = 400
    first = None
    for factor in (1, 4, 16):
        seconds, cpu, ops, conflicts = measure(base * factor, repeats)
        first = first or seconds
        print(f"growth {factor:>2}x (10 bundles x {base * factor:,} ops): {seconds:.3f} s (cpu {cpu:.3f} s) "
              f"for {ops} ops, {seconds / first:.1f}x the 1x time, {seconds / ops * 1e6:.1f} us/op", flush=True)
    return 0 if verdict == "within" else 1


if __name__ == "__main__":
    sys.exit(main())
