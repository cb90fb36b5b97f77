"""Several processes writing to one data directory at once: nothing may fail and nothing may be lost.

Each worker process opens the database through ``Review`` (again and again, as separate ``wat-tui`` commands
would), creates a session of its own and edits it and a shared session, with a short pause between edits;
meanwhile ``wat-tui new`` runs in a loop. Afterwards every edit must be readable, the operation ids of the one
writer (all processes share the database's writer id) must run 1, 2, 3 ... without a gap or a repeat, no
register may hold a false conflict, and the registers must equal a replay of the log.

    .venv/bin/python scripts/stress_writers.py                      # the README's figures (a few minutes)
    .venv/bin/python scripts/stress_writers.py --processes 4 --edits 300 --news 8 --seed-notes 3000

tests/test_store_hardening.py runs a short version of the same function.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SHARED = "Shared stress session"
QUESTION = "wellarchitected/identities"


@dataclass
class Figures:
    processes: int
    edits: int
    news: int
    failures: list[str] = field(default_factory=list)
    ops_lost: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    operations: int = 0
    succeeded: int = 0

    def line(self) -> str:
        return (f"processes={self.processes} edits={self.edits} succeeded={self.succeeded}"
                f" wat-tui-new={self.news} operations={self.operations} failures={len(self.failures)}"
                f" ops_lost={self.ops_lost} problems={len(self.problems)} seconds={self.seconds:.1f}")


def _worker(data: str, index: int, edits: int, reopen_every: int, start_at: float) -> tuple[int, list[str]]:
    """Edits by one process; returns how many succeeded and the errors of those that failed."""
    from wat_tui.review.service import Review

    errors: list[str] = []
    done = 0
    time.sleep(max(0.0, start_at - time.time()))
    review: Review | None = None
    own = ""
    shared = ""
    for k in range(edits):
        try:
            if review is None or (reopen_every and k % reopen_every == 0):
                if review is not None:
                    review.close()
                review = Review.open(Path(data))
                shared = review.find_session(SHARED)
                if not own:
                    own = review.create_session(f"worker {index}")
            if k % 2:
                review.add_note(shared, QUESTION, f"worker {index}", f"w{index}-{k}")
            else:
                review.set_session_field(own, "workload", f"w{index}-{k}")
            done += 1
        except Exception as exc:  # counted and reported, never hidden
            errors.append(f"worker {index} edit {k}: {type(exc).__name__}: {exc}")
            if review is not None:
                review.close()
            review = None
        time.sleep(0.001 * (k % 3))
    if review is not None:
        review.close()
    return done, errors


def _new_loop(data: Path, count: int, start_at: float, out: list[tuple[int, str, str]]) -> None:
    time.sleep(max(0.0, start_at - time.time()))
    for i in range(count):
        p = subprocess.run([sys.executable, "-m", "wat_tui", "new", f"new {i}", "--data-dir", str(data)],
                           capture_output=True, text=True, timeout=300)
        out.append((p.returncode, p.stdout.strip(), p.stderr.strip()))


def run(data: Path, *, processes: int = 4, edits: int = 200, news: int = 6, seed_notes: int = 2000,
        reopen_every: int = 10) -> Figures:
    """Run the stress on ``data`` (a fresh data directory) and check the result."""
    from wat_tui.review.service import Review

    figures = Figures(processes, processes * edits, news)
    review = Review.open(data)
    shared = review.create_session(SHARED)
    # A long review's worth of history, so that opening the database takes as long as it does in real use.
    with review.transaction():
        for i in range(seed_notes):
            review.add_note(shared, QUESTION, "seed", f"seed {i}")
    review.close()

    started = time.perf_counter()
    start_at = time.time() + 1.0 + 0.25 * processes  # the workers import and start before the clock runs
    new_results: list[tuple[int, str, str]] = []
    loop = threading.Thread(target=_new_loop, args=(data, news, start_at, new_results))
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes) as pool:
        pending = pool.starmap_async(_worker, [(str(data), i, edits, reopen_every, start_at)
                                               for i in range(processes)])
        loop.start()
        results = pending.get(timeout=3600)
        loop.join()
    figures.seconds = time.perf_counter() - started

    for done, errors in results:
        figures.succeeded += done
        figures.failures.extend(errors)
    figures.failures.extend(f"wat-tui new: exit {rc}: {err.splitlines()[-1] if err else ''}"
                            for rc, _, err in new_results if rc != 0)
    figures.ops_lost, figures.operations = _check(data, processes, edits, new_results, figures.problems)
    return figures


def _check(data: Path, processes: int, edits: int, new_results: list[tuple[int, str, str]],
           problems: list[str]) -> tuple[int, int]:
    """Count the edits that cannot be read back; note every other broken promise in ``problems``."""
    from wat_tui.review.service import Review

    review = Review.open(data)
    try:
        sessions = {s.name: s.id for s in review.list_sessions()}
        shared = sessions[SHARED]
        lost = 0
        bodies = {n.body for n in review.state(shared).notes}
        for i in range(processes):
            own = sessions.get(f"worker {i}")
            wanted = {f"w{i}-{k}" for k in range(1, edits, 2)}
            lost += len(wanted - bodies)
            if own is None:
                lost += len(range(0, edits, 2))
                continue
            workloads = [op.value for op in review.ops(own) if op.target == "session/workload"]
            lost += len({f"w{i}-{k}" for k in range(0, edits, 2)} - set(workloads))
        for rc, out, _ in new_results:
            if rc == 0 and out not in sessions.values():
                lost += 1
                problems.append(f"wat-tui new printed {out}, which is not stored")
        ops = [op for sid in sessions.values() for op in review.ops(sid)]
        by_writer: dict[str, list[int]] = {}
        for op in ops:
            by_writer.setdefault(op.writer_id, []).append(op.seq)
        for writer, seqs in by_writer.items():
            if sorted(seqs) != list(range(1, len(seqs) + 1)):
                problems.append(f"writer {writer}: sequence numbers are not 1..{len(seqs)} without gaps")
        for name, sid in sessions.items():
            if review.state(sid).conflicts:
                problems.append(f"{name}: false conflicts between processes of one writer")
            before = review.registers(sid)
            review.rebuild_registers(sid)
            if review.registers(sid) != before:
                problems.append(f"{name}: the registers differ from a replay of the log")
        return lost, len(ops)
    finally:
        review.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--edits", type=int, default=2000, help="edits per process")
    parser.add_argument("--news", type=int, default=40, help="how many times 'wat-tui new' runs meanwhile")
    parser.add_argument("--seed-notes", type=int, default=10_000, help="history in the database beforehand")
    parser.add_argument("--reopen-every", type=int, default=10, help="each process reopens after this many edits")
    parser.add_argument("--data-dir", type=Path, help="default: a new temporary directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data_dir or Path(tmp) / "data"
        os.environ["WAT_TUI_DATA_DIR"] = str(data)
        figures = run(data, processes=args.processes, edits=args.edits, news=args.news,
                      seed_notes=args.seed_notes, reopen_every=args.reopen_every)
    print(figures.line())
    for line in (figures.failures + figures.problems)[:20]:
        print("  " + line)
    return 0 if not (figures.failures or figures.problems or figures.ops_lost) else 1


if __name__ == "__main__":
    sys.exit(main())
