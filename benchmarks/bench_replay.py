"""Replay 10,000 operations into the materialised registers: ops/s and total time.

Three writers edit one session (answers, notes, action-item fields) and exchange their logs twice, so the log
holds concurrent values and superseded ones as a real merged review does. Then two replays are timed:
``OpLog.rebuild`` (drop the session's registers and fold every op again) and ingesting the whole log, op by op
in one transaction, into a fresh database that has never seen the session.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from wat_tui.store.db import connect, prepare_database
from wat_tui.store.oplog import OpLog

SID = "00000000-0000-4000-8000-00000000beef"
OPS = 10_000


def database(path: Path, template: Path, writer: str) -> OpLog:
    shutil.copyfile(template, path)
    return OpLog(connect(path), writer)


def generate(logs: list[OpLog], total: int, rng: random.Random) -> None:
    questions = [f"answer/wellarchitected/q{i:02d}" for i in range(60)]
    slots = len(logs) * 2
    counts = [total // slots + (1 if k < total % slots else 0) for k in range(slots)]
    for round_ in range(2):
        for w, log in enumerate(logs):
            with log.transaction():
                for i in range(counts[round_ * len(logs) + w]):
                    kind = rng.random()
                    if kind < 0.6:
                        log.write(SID, rng.choice(questions), {"selected": sorted(rng.sample(range(8), 3))})
                    elif kind < 0.85:
                        log.write(SID, f"note/{rng.randrange(300)}", {"body": f"note {i}", "author": "x"})
                    else:
                        log.write(SID, f"action/{rng.randrange(100)}/status", rng.choice(["open", "done"]))
        for dst in logs:
            with dst.transaction():
                for src in logs:
                    if src is not dst:
                        for op in src.ops(SID):
                            dst.ingest(op)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=OPS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        template = root / "template.sqlite3"
        prepare_database(template)
        conn = sqlite3.connect(template)
        conn.execute("INSERT INTO session(id, name, workload, workload_type, planned_minutes, created_at)"
                     " VALUES (?, 'bench', '', 'general', 300, '')", (SID,))
        conn.commit()
        conn.close()
        logs = [database(root / f"{w}.sqlite3", template, w) for w in ("writer-a", "writer-b", "writer-c")]
        generate(logs, args.ops, random.Random(7))
        merged = logs[0]
        ops = merged.ops(SID)
        before = merged.db.driver.execute("SELECT * FROM register ORDER BY 1, 2, 3, 4").fetchall()

        start = time.perf_counter()
        merged.rebuild(SID)
        rebuild_s = time.perf_counter() - start
        assert merged.db.driver.execute("SELECT * FROM register ORDER BY 1, 2, 3, 4").fetchall() == before

        fresh = database(root / "fresh.sqlite3", template, "writer-fresh")
        start = time.perf_counter()
        with fresh.transaction():
            for op in ops:
                fresh.ingest(op)
        ingest_s = time.perf_counter() - start
        assert fresh.db.driver.execute("SELECT * FROM register ORDER BY 1, 2, 3, 4").fetchall() == before
        conflicts = merged.db.driver.execute(
            "SELECT COUNT(*) FROM (SELECT target FROM register GROUP BY target HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        for log in [*logs, fresh]:
            log.db.close()
    n = len(ops)
    print(f"replay {n} ops ({len(before)} register values, {conflicts} conflicts): "
          f"rebuild {rebuild_s:.2f} s ({n / rebuild_s:,.0f} ops/s); "
          f"ingest into a fresh database {ingest_s:.2f} s ({n / ingest_s:,.0f} ops/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
