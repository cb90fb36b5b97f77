"""Kill -9 the real app while someone types a note or ticks practices: how much of what was typed survives?

Each trial starts ``wat-tui`` (``python -m wat_tui`` from the checkout beside this script) on the demo session
in a detached tmux window, as a facilitator's terminal; then either opens the note editor and types one
character every 0.15 s, or ticks practices one key every 0.15 s, for N seconds and a random part of one more
(so the kill falls anywhere between two saves); and then kills the process with SIGKILL (a crash, a laptop
whose battery dies, ``kill -9``). Afterwards the note and the answers are read back through the ``Review`` API
and compared with what was typed.

    .venv/bin/python scripts/crash_trials.py                       # the README's figures: 10 trials of each, 13 s
    .venv/bin/python scripts/crash_trials.py --trials 3 --seconds 5

A note trial fails when the saved note is not a prefix of what was typed, or when more than the last second
of typing (``--allow`` seconds) is missing; a tick trial fails when a tick older than that is missing.
Needs tmux.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: One key every this many seconds: someone typing steadily, or ticking practices as the room agrees.
KEY_EVERY = 0.15
#: What is typed: letters and spaces only, so no key reaches a binding or an auto-closing bracket.
TEXT = "the room agrees that payment data is found in debug logs and must be masked "
QUESTION = "wellarchitected/data-classification"


@dataclass
class Trial:
    kind: str
    typed: int
    saved: int
    consistent: bool = True

    @property
    def lost(self) -> int:
        return self.typed - self.saved


@dataclass
class Figures:
    kind: str
    trials: list[Trial] = field(default_factory=list)

    def failures(self, allow: float) -> int:
        most = int(allow / KEY_EVERY + 0.5)
        return sum(1 for t in self.trials if not t.consistent or t.lost > most)

    def line(self, allow: float) -> str:
        lost = [t.lost for t in self.trials]
        typed = sum(t.typed for t in self.trials)
        saved = sum(t.saved for t in self.trials)
        what = "characters" if self.kind == "note" else "ticks"
        return (f"{self.kind}: trials={len(self.trials)} failures={self.failures(allow)} {what} typed={typed} "
                f"saved={saved} lost per trial={lost} (most lost: {max(lost, default=0)} = "
                f"{max(lost, default=0) * KEY_EVERY:.2f} s of typing)")


class Terminal:
    """The app in a detached tmux window, driven by keys."""

    def __init__(self, name: str, data: Path, sid: str) -> None:
        self.name = name
        # ``python -m wat_tui`` from the checkout is the ``wat-tui`` command of the code beside this script.
        command = (f"cd {shlex.quote(str(ROOT))} && exec env WAT_TUI_DATA_DIR={shlex.quote(str(data))} "
                   f"{shlex.quote(sys.executable)} -m wat_tui open {sid}")
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "120", "-y", "36", command], check=True)
        out = subprocess.run(["tmux", "display-message", "-p", "-t", name, "#{pane_pid}"], check=True,
                             capture_output=True, text=True).stdout
        self.pid = int(out.strip())

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True,
                              text=True).stdout

    def wait_for(self, text: str, seconds: float = 30.0) -> None:
        end = time.monotonic() + seconds
        while text not in self.screen():
            if time.monotonic() > end:
                raise RuntimeError(f"{text!r} not on screen after {seconds:.0f} s:\n{self.screen()}")
            time.sleep(0.05)

    def keys(self, *keys: str, literal: bool = False) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *(["-l"] if literal else []), *keys], check=True)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def note_trial(data: Path, sid: str, seconds: float, name: str) -> Trial:
    from wat_tui.review.service import Review

    review = Review.open(data)
    try:
        before = {n.id for n in review.state(sid).notes}
    finally:
        review.close()
    term = Terminal(name, data, sid)
    typed = ""
    try:
        term.wait_for("Note")
        term.keys("w")
        term.wait_for("saved as you type")
        end = time.monotonic() + seconds
        i = 0
        next_key = time.monotonic()
        while time.monotonic() < end:
            term.keys(TEXT[i % len(TEXT)], literal=True)
            typed += TEXT[i % len(TEXT)]
            i += 1
            next_key += KEY_EVERY
            time.sleep(max(0.0, next_key - time.monotonic()))
    finally:
        term.kill()
    review = Review.open(data)
    try:
        new = [n for n in review.state(sid).notes if n.id not in before]
    finally:
        review.close()
    body = new[0].body if new else ""
    return Trial("note", len(typed), len(body), consistent=len(new) <= 1 and typed.startswith(body))


def tick_trial(data: Path, sid: str, seconds: float, name: str) -> Trial:
    """Every key toggles a practice: each is one operation on the question's answer, saved when pressed."""
    from wat_tui.review.service import Review

    def answer_ops() -> int:
        review = Review.open(data)
        try:
            return sum(1 for op in review.log.ops(sid) if op.target == f"answer/{QUESTION}")
        finally:
            review.close()

    before = answer_ops()
    term = Terminal(name, data, sid)
    presses = 0
    try:
        term.wait_for("Note")
        end = time.monotonic() + seconds
        next_key = time.monotonic()
        while time.monotonic() < end:
            term.keys(str(presses % 4 + 1))
            presses += 1
            next_key += KEY_EVERY
            time.sleep(max(0.0, next_key - time.monotonic()))
    finally:
        term.kill()
    return Trial("tick", presses, answer_ops() - before)


def prepare(data: Path) -> str:
    from wat_tui.review.demo import ensure_demo
    from wat_tui.review.service import Review

    review = Review.open(data)
    try:
        sid = ensure_demo(review)
        review.set_position(sid, QUESTION)
        return sid
    finally:
        review.close()


def run(trials: int, seconds: float, kinds: list[str], jitter: float = 1.0) -> list[Figures]:
    if shutil.which("tmux") is None:
        raise SystemExit("crash_trials: needs tmux")
    out = []
    with tempfile.TemporaryDirectory(prefix="wat-crash-") as tmp:
        data = Path(tmp) / "data"
        sid = prepare(data)
        for kind in kinds:
            figures = Figures(kind)
            luck = random.Random(kind)  # the same kill moments on every run
            for n in range(trials):
                name = f"wat-crash-{os.getpid()}-{kind}-{n}"
                # A little longer or shorter each time, so the kill falls anywhere between two saves.
                length = seconds + luck.uniform(0.0, jitter)
                trial = (note_trial if kind == "note" else tick_trial)(data, sid, length, name)
                figures.trials.append(trial)
                print(f"  {kind} trial {n + 1}: typed {trial.typed}, saved {trial.saved}"
                      + ("" if trial.consistent else " (NOT a prefix of what was typed)"), flush=True)
            out.append(figures)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=13.0, help="how long to type before the kill")
    parser.add_argument("--allow", type=float, default=1.0, help="seconds of typing a crash may lose")
    parser.add_argument("--jitter", type=float, default=1.0,
                        help="each trial types up to this much longer, so the kill falls anywhere between saves")
    parser.add_argument("--kind", choices=["note", "tick"], action="append", dest="kinds")
    args = parser.parse_args(argv)
    results = run(args.trials, args.seconds, args.kinds or ["note", "tick"], args.jitter)
    print(f"kill -9 after {args.seconds:g} to {args.seconds + args.jitter:g} s of a key every {KEY_EVERY} s; "
          f"a failure loses more than {args.allow:g} s of it")
    for figures in results:
        print(figures.line(args.allow))
    return 1 if any(f.failures(args.allow) for f in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
