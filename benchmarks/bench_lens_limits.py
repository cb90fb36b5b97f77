"""How long a lens at the loader's limits takes to import and to open, against the built-in Well-Architected lens.

    .venv/bin/python benchmarks/bench_lens_limits.py [--runs N] [--presses N]

Lenses (each within MAX_LENS_BYTES):
- ``wellarchitected``: the built-in lens (6 pillars, 57 questions), for comparison;
- ``counts``: every count at its limit at once (wat_tui/lens/loader.py): MAX_PILLARS pillars, one pillar with
  MAX_QUESTIONS_PER_PILLAR questions, MAX_QUESTIONS_PER_LENS in all, one question with MAX_CHOICES_PER_QUESTION
  choices and MAX_RULES_PER_QUESTION risk rules citing them all, one of them nested MAX_DEPTH deep;
- ``texts``: a file of exactly MAX_LENS_BYTES, nearly all of it titles and texts at their longest.

For each, every question is answered first (the outline then evaluates every question's rules), then it prints:
load (read, parse and validate the file, median of N), import (``Review.import_lens``), state (``Review.state``
in a new process's first call, the stored lens parsed again), timeline (the clock's timeline with the proposed
agenda), launch (a fresh interpreter, imports included, to the first full screen, median of N), and keypress to
repaint for next-question and tick-a-practice (p50 and p95, in-process, as benchmarks/bench_ui.py measures them).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ui import LAUNCH_DEMO, _keypresses, pct  # noqa: E402

from wat_tui.lens.conditions import MAX_DEPTH  # noqa: E402
from wat_tui.lens.loader import (  # noqa: E402
    MAX_CHOICES_PER_QUESTION,
    MAX_LENS_BYTES,
    MAX_PILLARS,
    MAX_QUESTIONS_PER_LENS,
    MAX_QUESTIONS_PER_PILLAR,
    MAX_RULES_PER_QUESTION,
    MAX_TEXT_LENGTH,
    MAX_TITLE_LENGTH,
    load_lens,
)
from wat_tui.review import timekeeping as tk  # noqa: E402
from wat_tui.review.service import Review  # noqa: E402
from wat_tui.review.state import Answer  # noqa: E402

Doc = dict[str, Any]


def prose(n: int) -> str:
    return ("the room agrees what is in place and what is missing " * (n // 53 + 1))[:n]


def question(qid: str, choices: int = 3) -> Doc:
    ids = [f"{qid}_{k}" for k in range(choices - 1)]
    return {"id": qid, "title": f"How do you handle {qid}?",
            "choices": [{"id": c, "title": f"Practice {c}"} for c in ids] + [{"id": f"{qid}_no",
                                                                                "title": "None of these"}],
            "riskRules": [{"condition": " && ".join(ids) + f" && !{qid}_no", "risk": "NO_RISK"},
                          {"condition": f"{ids[0]} && !{qid}_no", "risk": "MEDIUM_RISK"},
                          {"condition": "default", "risk": "HIGH_RISK"}]}


def counts_lens() -> bytes:
    rest = MAX_QUESTIONS_PER_LENS - MAX_QUESTIONS_PER_PILLAR
    per, extra = divmod(rest, MAX_PILLARS - 1)
    sizes = [MAX_QUESTIONS_PER_PILLAR] + [per + (i < extra) for i in range(MAX_PILLARS - 1)]
    pillars = [{"id": f"p{i}", "name": f"Pillar {i}", "questions": [question(f"p{i}_q{j}") for j in range(n)]}
               for i, n in enumerate(sizes)]
    big = question("p0_q0", MAX_CHOICES_PER_QUESTION)
    practices = [c["id"] for c in big["choices"][:-1]]
    deep = "!(" * (MAX_DEPTH // 2) + practices[-1] + ")" * (MAX_DEPTH // 2)
    windows = [" || ".join(practices[k:k + 10]) for k in range(MAX_RULES_PER_QUESTION - 3)]
    big["riskRules"] = ([{"condition": " && ".join(practices), "risk": "NO_RISK"},
                         {"condition": deep, "risk": "MEDIUM_RISK"}]
                        + [{"condition": f"({w}) && !p0_q0_no", "risk": "MEDIUM_RISK"} for w in windows]
                        + [{"condition": "default", "risk": "HIGH_RISK"}])
    pillars[0]["questions"][0] = big
    return _pad({"schemaVersion": "2021-11-01", "name": "Counts at the limits", "pillars": pillars})


def texts_lens() -> bytes:
    questions = []
    for j in range(20):
        q = question(f"q{j}")
        q["title"] = prose(MAX_TITLE_LENGTH)
        q["description"] = prose(MAX_TEXT_LENGTH)
        q["helpfulResource"] = {"displayText": prose(MAX_TEXT_LENGTH)}
        q["choices"][0]["improvementPlan"] = {"displayText": prose(MAX_TEXT_LENGTH // 2)}
        questions.append(q)
    return _pad({"schemaVersion": "2021-11-01", "name": "Texts at the limits",
                 "pillars": [{"id": "p0", "name": prose(MAX_TITLE_LENGTH), "questions": questions}]})


def _pad(doc: Doc) -> bytes:
    data = json.dumps(doc).encode()
    if len(data) > MAX_LENS_BYTES:
        raise SystemExit(f"generated lens is {len(data):,} bytes, over the {MAX_LENS_BYTES:,} limit")
    return data


def prepare(data_dir: Path, alias: str, source: bytes | None) -> tuple[str, dict[str, float]]:
    """Import the lens (unless built in), make a session with every question answered; timings of the steps."""
    figures: dict[str, float] = {}
    review = Review.open(data_dir)
    try:
        if source is not None:
            path = data_dir.parent / f"{alias}.json"
            path.write_bytes(source)
            figures["load"] = statistics.median(_time(lambda: load_lens(path, alias)) for _ in range(5))
            figures["import"] = _time(lambda: review.import_lens(path, alias))
        sid = review.create_session(f"Limits: {alias}", lenses=[alias], planned_minutes=300)
        lens = review.state(sid).lenses[0]
        for q in lens.questions:
            practices = [c.id for c in q.choices if not c.is_none_choice]
            review.set_answer(sid, alias, q.id, Answer(tuple(practices[:1])))
    finally:
        review.close()
    review = Review.open(data_dir)  # a new process's view: the stored lens is parsed again
    try:
        start = time.perf_counter()
        state = review.state(sid)
        figures["state"] = time.perf_counter() - start
        figures["timeline"] = _time(lambda: tk.load_timeline(review, sid, state))
    finally:
        review.close()
    return sid, figures


def _time(work: Any) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def launch(data_dir: Path, sid: str) -> float:
    out = subprocess.run([sys.executable, "-c", LAUNCH_DEMO, str(data_dir), sid], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--presses", type=int, default=50)
    args = parser.parse_args()
    from tests.clocks import QuietWallClock
    from wat_tui.ui.app import build_app

    shapes: dict[str, bytes | None] = {"wellarchitected": None, "counts": counts_lens(), "texts": texts_lens()}
    print(f"limits: {MAX_PILLARS} pillars, {MAX_QUESTIONS_PER_PILLAR} questions a pillar and "
          f"{MAX_QUESTIONS_PER_LENS:,} a lens, {MAX_CHOICES_PER_QUESTION} choices and {MAX_RULES_PER_QUESTION} "
          f"risk rules a question, titles {MAX_TITLE_LENGTH:,} and texts {MAX_TEXT_LENGTH:,} characters, "
          f"files {MAX_LENS_BYTES:,} bytes")
    for alias, source in shapes.items():
        with tempfile.TemporaryDirectory() as tmp:
            data_dir = Path(tmp) / "data"
            sid, fig = prepare(data_dir, alias, source)
            runs = [launch(data_dir, sid) for _ in range(args.runs)]
            keys = (("next question", "n"), ("tick a practice", "1"))
            timings = asyncio.run(_keypresses(build_app(data_dir, sid, clock=QuietWallClock()), args.presses, keys))
        size = f"{len(source):,} bytes" if source is not None else "built in"
        steps = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in fig.items())
        print(f"{alias} ({size}): {steps}; launch to first full screen median {statistics.median(runs) * 1000:.0f} ms")
        for name, values in timings.items():
            ms = [v * 1000 for v in values]
            print(f"  keypress to repaint, {name}: p50 {pct(ms, 0.5):.1f} ms, p95 {pct(ms, 0.95):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
