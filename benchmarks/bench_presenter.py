"""The room's view follows the facilitator: DESIGN.md's budget is under 300 ms from the facilitator's change to
the projector's repaint.

1. Across processes, as on the workshop laptop: a facilitator process writes through its own Review (ticks a
   practice, or moves to another question as the workspace stores it), and the room's view (``wat-tui
   present``'s app, in ``run_test``, polling ``Review.outside_changes`` every 100 ms) is watched until the change
   is on its screen. Latency is from just before the facilitator's write to the room's view holding the change
   ("shown") and to the repaint that puts it on the terminal ("repainted"). Each change comes at a random
   moment, so the poll's phase is random too.
2. Both apps in one process, keypress to the room's view: the facilitator's real app (``build_app``) gets ``1``
   (tick) or ``n`` (next question). While a room view follows, the workspace stores a move at once (otherwise
   ``POSITION_DELAY`` after the keypress, waiting for the facilitator to stop on a question).

3. Idle CPU of the room's view with the session clock running and nobody changing anything (its poll ten times
   a second, the clock's repaint once a second, its heartbeat every five seconds).

    python benchmarks/bench_presenter.py [--changes N] [--keys N] [--idle-seconds S]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZE = (100, 28)


def prepare(data_dir: Path) -> str:
    """The demo session with its clock running in the block of its open question, as in the room."""
    from tests.test_presenter import run_clock_on_open_question
    from wat_tui.review.demo import ensure_demo
    from wat_tui.review.service import Review

    with Review.open(data_dir) as r:
        sid = ensure_demo(r)
        run_clock_on_open_question(r, sid, datetime.now(UTC))
        return sid


def facilitator(data_dir: Path, sid: str, conn: Connection) -> None:
    """The facilitator's process: says "ready", then on "tick" toggles the first practice of the open question
    and on "move" opens the next question of the lens (as the workspace stores it); replies with the monotonic
    time before the write and after its commit."""
    from wat_tui.review.service import Review

    with Review.open(data_dir) as r:
        conn.send("ready")
        while True:
            what = conn.recv()
            if what == "stop":
                return
            key = r.position(sid) or ""
            alias, _, qid = key.partition("/")
            lens = r.session_lenses(sid)[alias]
            q = lens.question(qid)
            assert q is not None
            t0 = time.monotonic()
            if what == "tick":
                first = next(c for c in q.choices if not c.is_none_choice)
                r.toggle_choice(sid, alias, qid, first.id)
            else:
                ids = [x.id for x in lens.questions]
                r.set_position(sid, f"{alias}/{ids[(ids.index(qid) + 1) % len(ids)]}")
            conn.send((t0, time.monotonic()))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(name: str, ms: list[float]) -> str:
    return (f"{name:<44} n={len(ms):>3}  median {statistics.median(ms):6.1f} ms  p95 {percentile(ms, 95):6.1f} ms  "
            f"max {max(ms):6.1f} ms")


class Watch:
    """What the room's view shows (its prompt and practices), and when its screen was last repainted with a
    change: the app's ``_display`` is where each repaint goes to the terminal (headless here, so not written)."""

    def __init__(self, app: Any) -> None:
        from textual.widgets import Static

        self.prompt = app.query_one("#room-q-prompt", Static)
        self.practices = app.query_one("#room-q-practices", Static)
        self.before = self.words()
        self.painted: float | None = None
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is not None and self.painted is None and self.words() != self.before:
                self.painted = time.monotonic()

        app._display = display

    def words(self) -> str:
        return f"{self.prompt.render()}\n{self.practices.render()}"

    def expect_change(self) -> None:
        self.before, self.painted = self.words(), None

    def changed(self) -> bool:
        return self.words() != self.before

    async def until_painted(self) -> float:
        while self.painted is None:
            await asyncio.sleep(0.0005)
        return self.painted


#: One change the facilitator makes: its name, and the monotonic time just before it was made.
Change = Callable[[int], Awaitable[tuple[str, float]]]


async def watch_changes(room: Any, count: int, seed: int, change: Change) -> dict[str, list[float]]:
    """Make ``count`` changes at random moments (so the poll's phase is random too) and time each, in ms, to the
    room's view holding it ("shown") and to the repaint that puts it on the terminal ("repainted")."""
    while room.mode != "question":
        await asyncio.sleep(0.01)
    watch = Watch(room)
    rng = random.Random(seed)
    out: dict[str, list[float]] = {}
    for i in range(count):
        await asyncio.sleep(rng.uniform(0.05, 0.25))
        watch.expect_change()
        name, t0 = await change(i)
        while not watch.changed():
            await asyncio.sleep(0.0005)
        shown = time.monotonic()
        painted = await watch.until_painted()
        out.setdefault(f"{name}: shown", []).append((shown - t0) * 1000)
        out.setdefault(f"{name}: repainted", []).append((painted - t0) * 1000)
    return out


async def across_processes(changes: int) -> dict[str, list[float]]:
    from wat_tui.ui.presenter import build_presenter

    data_dir = Path(tempfile.mkdtemp(prefix="bench-presenter-")) / "data"
    sid = prepare(data_dir)
    ctx = mp.get_context("spawn")
    ours, theirs = ctx.Pipe()
    proc = ctx.Process(target=facilitator, args=(data_dir, sid, theirs), daemon=True)
    proc.start()
    room = build_presenter(data_dir, sid)
    commits: list[float] = []

    async def write(i: int) -> tuple[str, float]:
        if ours.poll():  # the previous change's reply: how long its commit took
            t0, committed = ours.recv()
            commits.append((committed - t0) * 1000)
        what = "tick" if i % 2 == 0 else "move"
        t0 = time.monotonic()
        ours.send(what)
        return what, t0

    try:
        assert ours.recv() == "ready"  # its interpreter started and its database open: only the writes are timed
        async with room.run_test(size=SIZE):
            out = await watch_changes(room, changes, 13, write)
    finally:
        ours.send("stop")
        proc.join(5)
        room.review.close()
    return {**dict(sorted(out.items(), reverse=True)), "facilitator's write committed": commits}


async def keypress_to_room(keys: int) -> dict[str, list[float]]:
    from wat_tui.ui.app import build_app
    from wat_tui.ui.presenter import build_presenter

    data_dir = Path(tempfile.mkdtemp(prefix="bench-presenter-keys-")) / "data"
    sid = prepare(data_dir)
    fac = build_app(data_dir, sid)
    room = build_presenter(data_dir, sid)
    try:
        async with fac.run_test(size=SIZE) as pilot, room.run_test(size=SIZE):

            async def press(i: int) -> tuple[str, float]:
                key, name = ("1", "key 1 (tick)") if i % 2 == 0 else ("n", "key n (next question)")
                t0 = time.monotonic()
                await pilot.press(key)
                return name, t0

            out = await watch_changes(room, keys, 7, press)
    finally:
        fac.review.close()
        room.review.close()
    return {k: v for k, v in out.items() if k.endswith("repainted")}


async def idle_cpu(seconds: float) -> float:
    """Per cent of one core the room's view uses while nothing changes."""
    import resource

    from wat_tui.ui.presenter import build_presenter

    data_dir = Path(tempfile.mkdtemp(prefix="bench-presenter-idle-")) / "data"
    sid = prepare(data_dir)
    room = build_presenter(data_dir, sid)
    try:
        async with room.run_test(size=SIZE):
            await asyncio.sleep(1.0)
            before = resource.getrusage(resource.RUSAGE_SELF)
            t0 = time.monotonic()
            await asyncio.sleep(seconds)
            after = resource.getrusage(resource.RUSAGE_SELF)
            wall = time.monotonic() - t0
    finally:
        room.review.close()
    used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return used / wall * 100


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--changes", type=int, default=100, help="facilitator writes across processes (default 100)")
    parser.add_argument("--keys", type=int, default=40, help="facilitator keypresses in one process (default 40)")
    parser.add_argument("--idle-seconds", type=float, default=30.0, help="idle CPU measured over (default 30)")
    args = parser.parse_args()
    print("The room's view follows the facilitator (budget: under 300 ms)")
    print("1. facilitator process -> room's view (poll every 100 ms), from just before the write:")
    for name, ms in asyncio.run(across_processes(args.changes)).items():
        print("   " + summary(name, ms))
    print("2. one process, the facilitator's app keypress -> room's view repainted:")
    for name, ms in asyncio.run(keypress_to_room(args.keys)).items():
        print("   " + summary(name, ms))
    print("   (while a room view follows, the workspace saves a move at once instead of after POSITION_DELAY)")
    cpu = asyncio.run(idle_cpu(args.idle_seconds))
    print(f"3. idle CPU of the room's view, clock running: {cpu:.2f}% of a core over {args.idle_seconds:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
