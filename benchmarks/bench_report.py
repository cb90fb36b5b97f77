"""Markdown report of a full review: three lenses, every question answered, 2,000 notes; budget 0.5 s.

Builds the session in one transaction through the Review facade, then times ``render_markdown`` (which reads
the session state from the database, so the time includes loading it) and prints one line with the median and
p95 of wall time, and the median CPU time (other work on a shared machine inflates wall time, not CPU time).
Exits 1 when the median wall time is over budget.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from wat_tui.exchange.report import render_markdown
from wat_tui.review.service import Review

BUDGET_S = 0.5
NOTES = 2000
ACTIONS = 150
RUNS = 15

BODIES = (
    "Quotas are tracked in a shared sheet; concurrency was raised to **{n:,}** before the sale.\n\n"
    "- Chen: no alarm yet when usage passes 80% of a quota.\n- Ben: the sheet is {n} rows long.",
    "Deployments are manual from a laptop on Fridays. Rollback = redeploy the previous zip (build {n}).\n\n"
    '> "We find out about failed deploys from the support queue." (Ben)',
    "## Decision {n}\n\nMove the nightly job to a queue with a dead-letter queue.\n\n### Open questions\n\n"
    "1. Who owns the DLQ alarm?\n2. What is the retry budget?",
    "Run `aws service-quotas list-service-quotas --service-code lambda` weekly; ticket WA-{n}.\n\n"
    "```bash\naws cloudtrail describe-trails --region eu-west-1\n```",
    "| Account | Trail | GuardDuty |\n|---|---|---|\n| prod-{n} | yes | no |\n| dev | no | no |",
    "Plain remark number {n} from the room: the team agrees this needs an owner before the next release, "
    "and the workload owner will bring a proposal to the planning meeting.",
)


def build(review: Review, rng: random.Random) -> str:
    sid = review.create_session(
        "Benchmark review",
        workload="Benchmark workload",
        workload_type="critical-ecommerce",
        lenses=("wellarchitected", "serverless", "saas"),
        participants=(("Ana Ruiz", "Facilitator"), ("Ben Okafor", "Workload owner"), ("Chen Wei", "Scribe")),
    )
    state = review.state(sid)
    keys = []
    with review.transaction():
        for lens in state.lenses:
            for q in lens.questions:
                keys.append(f"{lens.alias}/{q.id}")
                practices = [c for c in q.choices if not c.is_none_choice]
                roll = rng.random()
                if roll < 0.05:
                    review.set_not_applicable(sid, lens.alias, q.id, "OUT_OF_SCOPE")
                elif roll < 0.15 and q.none_choice is not None:
                    review.toggle_choice(sid, lens.alias, q.id, q.none_choice.id)
                else:
                    for c in rng.sample(practices, rng.randint(1, len(practices))):
                        review.toggle_choice(sid, lens.alias, q.id, c.id)
        authors = ("Ana Ruiz", "Ben Okafor", "Chen Wei")
        for n in range(NOTES):
            review.add_note(
                sid,
                rng.choice(keys),
                rng.choice(authors),
                rng.choice(BODIES).format(n=n + 1),
                private=n % 50 == 0,
            )
        for n in range(ACTIONS):
            review.add_action(
                sid,
                f"Action {n + 1}: close the gap",
                rng.choice(authors),
                f"2027-{1 + n % 12:02d}-{1 + n % 28:02d}",
                "open",
                rng.choice(keys),
            )
    return sid


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        review = Review.open(Path(tmp) / "data")
        try:
            sid = build(review, random.Random(7))
            state = review.state(sid)
            assert len(state.notes) == NOTES and state.answered == state.total_questions
            size = len(render_markdown(review, sid).encode())
            times, cpu = [], []
            for _ in range(RUNS):
                start, start_cpu = time.perf_counter(), time.process_time()
                render_markdown(review, sid)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
        finally:
            review.close()
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    verdict = "ok" if median < BUDGET_S else "OVER BUDGET"
    print(
        f"report: {len(state.lenses)} lenses, {state.total_questions} questions, {NOTES} notes, "
        f"{size // 1024} KiB Markdown: median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
        f"(CPU median {statistics.median(cpu) * 1000:.0f} ms; budget {BUDGET_S * 1000:.0f} ms) {verdict}"
    )
    return 0 if median < BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
