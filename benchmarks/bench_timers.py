"""A simulated six-hour session with an injected clock: does the clock strip leak or slow down over a day?

Every simulated second computes what the workspace strip shows (``clock_strip`` plus the alert tracker, and
the text the strip would print). Around that, the room works: a new question every minute, an answer every
two, the next block when the current one runs out, an agenda edit every five minutes, a question parked every
half hour, a two-minute pause every hour, and a reload of the timeline from the database every minute (as the
app does to pick up merged changes). At each simulated hour it prints memory: Python's traced allocations
(current and peak, by tracemalloc), the process's resident set, and the growth since the previous hour.

Run: ``.venv/bin/python benchmarks/bench_timers.py`` (``--hours 6``; ``--no-trace`` to time the ticks without
tracemalloc's overhead; ``--ticks-only`` for a control run where only the clock runs, which isolates what the
per-second path itself keeps). No real time passes in the simulation; it takes about as long as the CPU needs.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.clocks import FakeClock
from wat_tui.errors import WatError
from wat_tui.review.agenda import set_block_minutes
from wat_tui.review.clock import AlertTracker, ClockStrip, Timeline, clock_strip
from wat_tui.review.service import Review
from wat_tui.review.timekeeping import (
    enter_block,
    load_agenda,
    load_timeline,
    park_question,
    pause,
    resume,
    save_agenda,
    set_question,
    start_session_clock,
)

MIB = 1024 * 1024


def rss_bytes() -> int:
    """Current resident set size (Linux /proc), else the peak from getrusage."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def render(s: ClockStrip) -> str:
    """Roughly the text the strip shows, so formatting is part of each tick's cost."""
    def mmss(sec: float | None) -> str:
        if sec is None:
            return "--:--"
        sign = "-" if sec < 0 else ""
        m, x = divmod(int(abs(sec)), 60)
        return f"{sign}{m:02d}:{x:02d}"

    block = s.block.title if s.block else "-"
    behind = f"behind by {int(s.behind // 60)} min" if s.behind >= 60 else "on pace"
    return (f"{s.now:%H:%M:%S} | {mmss(s.elapsed)} | end {s.projected_end:%H:%M} | {block} "
            f"{'!' if s.overrun else ''}{mmss(s.block_remaining)} | q {mmss(s.question_elapsed)}/"
            f"{mmss(s.question_share)} | {behind} | park {len(s.suggestions)}")


class Room:
    """The simulated facilitator's actions, all through the real storage calls."""

    def __init__(self, review: Review, sid: str, clock: FakeClock) -> None:
        self.review, self.sid, self.clock = review, sid, clock
        self.blocks = load_agenda(review, sid)
        self.index = 0
        self.q_index = 0
        self.edits = 0

    def questions(self, tl: Timeline) -> tuple[str, ...]:
        return tl.keys(tl.blocks[self.index]) if self.index < len(tl.blocks) else ()

    def next_question(self, tl: Timeline) -> None:
        keys = self.questions(tl)
        if keys:
            set_question(self.review, self.sid, keys[self.q_index % len(keys)], self.clock.now())
            self.q_index += 1
            self.edits += 1

    def answer_current(self, s: ClockStrip) -> None:
        if s.question is None:
            return
        alias, _, qid = s.question.partition("/")
        state = self.review.state(self.sid)
        lens = state.lens(alias)
        q = lens.question(qid) if lens else None
        if q is not None and state.answer(alias, qid) is None:
            self.review.toggle_choice(self.sid, alias, qid, q.choices[0].id)
            self.edits += 1

    def next_block(self) -> None:
        self.blocks = load_agenda(self.review, self.sid)
        if self.index + 1 < len(self.blocks):
            self.index += 1
            self.q_index = 0
            enter_block(self.review, self.sid, self.blocks[self.index].id, self.clock.now())
            self.edits += 1

    def edit_agenda(self, n: int) -> None:
        self.blocks = load_agenda(self.review, self.sid)
        flexible = [b for b in self.blocks[self.index + 1:] if b.kind in ("pillar", "lens")]
        if flexible:
            target = flexible[n % len(flexible)]
            delta = 1 if n % 2 else -1
            try:
                edited = set_block_minutes(self.blocks, target.id, max(1, target.minutes + delta))
            except WatError:  # a refused edit (the others are at their minimum) is a normal outcome
                return
            save_agenda(self.review, self.sid, edited)
            self.blocks = edited
            self.edits += 1

    def park(self, tl: Timeline) -> None:
        keys = [k for k in self.questions(tl) if k not in tl.done and k not in tl.parked]
        if keys:
            park_question(self.review, self.sid, keys[-1], "follow up offline", "bench")
            self.edits += 1


def run(hours: int, trace: bool, top: int = 8, edits: bool = True) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        review = Review.open(Path(tmp) / "data")
        sid = review.create_session("Bench", workload_type="general", planned_minutes=hours * 60,
                                    lenses=("wellarchitected", "serverless"))
        clock = FakeClock(datetime(2025, 3, 4, 9, 0, tzinfo=UTC))
        room = Room(review, sid, clock)
        start_session_clock(review, sid, clock.now())
        tracker = AlertTracker()
        tl = load_timeline(review, sid)
        if trace:
            tracemalloc.start()
        gc.collect()
        base_traced = tracemalloc.get_traced_memory()[0] if trace else 0
        base_rss = last_rss = rss_bytes()
        last_traced = base_traced
        first_snapshot = None
        alerts = 0
        tick_seconds = 0.0
        ticks = 0
        wall = time.perf_counter()
        print(f"simulated session: {hours} h, tracemalloc {'on' if trace else 'off'}"
              f"{'' if edits else ', ticks only (no edits, no reloads)'}")
        print(f"{'hour':>4} {'traced MiB':>10} {'peak MiB':>9} {'growth KiB':>10} {'RSS MiB':>8} "
              f"{'RSS growth KiB':>14} {'intervals':>9} {'ops':>6} {'tick us':>8}")
        paused_at: int | None = None
        for second in range(1, hours * 3600 + 1):
            clock.advance(seconds=1)
            t0 = time.perf_counter()
            strip = clock_strip(tl, clock.now())
            alerts += len(tracker.update(strip.block.id if strip.block else None, strip.block_remaining))
            render(strip)
            tick_seconds += time.perf_counter() - t0
            ticks += 1
            changed = False
            if not edits:
                pass
            elif paused_at is None and second % 3600 == 1800:
                pause(review, sid, clock.now())
                paused_at, changed = second, True
            elif paused_at is not None:
                if second - paused_at >= 120:
                    resume(review, sid, clock.now())
                    paused_at, changed = None, True
            elif strip.block_remaining is not None and strip.block_remaining <= 0:
                room.next_block()
                changed = True
            elif second % 60 == 0:
                if second % 120 == 0:
                    room.answer_current(strip)
                room.next_question(tl)
                changed = True
            if edits and second % 300 == 150:
                room.edit_agenda(second // 300)
                changed = True
            if edits and second % 1800 == 900:
                room.park(tl)
                changed = True
            if changed or (edits and second % 60 == 0):
                tl = load_timeline(review, sid)
            if second % 3600 == 0:
                gc.collect()
                traced, peak = tracemalloc.get_traced_memory() if trace else (0, 0)
                rss = rss_bytes()
                ops = len(review.ops(sid))
                print(f"{second // 3600:>4} {traced / MIB:>10.2f} {peak / MIB:>9.2f} "
                      f"{(traced - last_traced) / 1024:>10.1f} {rss / MIB:>8.1f} "
                      f"{(rss - last_rss) / 1024:>14.0f} {len(tl.intervals):>9} {ops:>6} "
                      f"{tick_seconds / ticks * 1e6:>8.0f}")
                last_traced, last_rss = traced, rss
                tick_seconds, ticks = 0.0, 0
                if trace and first_snapshot is None:
                    first_snapshot = tracemalloc.take_snapshot()
        elapsed = time.perf_counter() - wall
        if trace and first_snapshot is not None and hours > 1:
            print("largest traced growth from hour 1 to the end, by line:")
            for stat in tracemalloc.take_snapshot().compare_to(first_snapshot, "lineno")[:top]:
                print(f"  {stat.size_diff / 1024:+8.1f} KiB {stat.count_diff:+6d} blocks"
                      f"  {stat.traceback[0]}")
        if trace:
            tracemalloc.stop()
        print(f"edits {room.edits}, alerts {alerts}, run time {elapsed:.1f} s; traced growth over the run "
              f"{(last_traced - base_traced) / 1024:.1f} KiB, "
              f"RSS growth {(last_rss - base_rss) / 1024:.0f} KiB")
        review.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--hours", type=int, default=6)
    parser.add_argument("--no-trace", action="store_true", help="time the ticks without tracemalloc")
    parser.add_argument("--top", type=int, default=8, help="lines with the most traced growth to list")
    parser.add_argument("--ticks-only", action="store_true",
                        help="a control run: the clock runs, nobody edits, the timeline is never reloaded")
    args = parser.parse_args(argv)
    run(args.hours, not args.no_trace, args.top, edits=not args.ticks_only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
