"""After the workshop: ``milestone``, ``compare``, ``followup``, ``cadence`` and ``actions``.

- ``wat-tui milestone SESSION NAME`` records a milestone (an immutable snapshot of the risks, the analysis and
  the action items); without NAME it lists the session's milestones.
- ``wat-tui compare SESSION [A] [B]``: what moved from milestone A to milestone B (B defaults to now, A to the
  latest milestone), per pillar, and the actions closed since, as Markdown.
- ``wat-tui followup SESSION``: the 30-60 minute follow-up meeting (open high and medium risks, open actions),
  planned from the session's cadence, run in the app (:mod:`wat_tui.review.followup_meeting`). With
  ``--markdown``, ``-o FILE`` or ``--start WHEN``, or when standard input or output is not a terminal (a pipe, a
  script), the plan is written as Markdown instead, which changes nothing.
- ``wat-tui cadence SESSION [ID]``: show or choose the review cadence (``--default`` follows the workload type).
- ``wat-tui actions SESSION [-o FILE]``: the action items as CSV for an issue tracker.

Every name, note and lens text in the Markdown is escaped; to a terminal the output goes through
:func:`wat_tui.termtext.for_terminal` like every command's.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from wat_tui.cli.output import out, printable, table
from wat_tui.cli.plan import parse_start
from wat_tui.errors import NotFound, WatError
from wat_tui.fileio import write_atomic
from wat_tui.review.analysis import findings
from wat_tui.review.compare import (
    compare,
    followup_markdown,
    next_review,
    render_comparison_markdown,
    snapshot,
)
from wat_tui.review.preparation import followup_plan
from wat_tui.review.roadmap import CSV_ENCODING, action_links, actions_csv
from wat_tui.review.service import Review
from wat_tui.store.paths import DB_NAME
from wat_tui.termtext import for_terminal, write_stdout


def _open(args: argparse.Namespace, data: Path) -> Review:
    if not (data / DB_NAME).exists():  # a fresh machine has no sessions; do not create a database to say so
        raise NotFound(f"no session matches {args.session!r}; 'wat-tui list' shows them")
    return Review.open(data)


def _emit(content: str, output: Path | None, encoding: str = "utf-8") -> int:
    if output is None:
        write_stdout(for_terminal(content) if sys.stdout.isatty() else content)
    else:
        if output.is_dir():
            raise WatError(f"{output}: is a directory; give a file name")
        write_atomic(output, content.encode(encoding), what="the document")
    return 0


def _reviewed_on(created_at: str) -> date | None:
    try:
        return date.fromisoformat(created_at[:10])
    except ValueError:
        return None


def cmd_milestone(args: argparse.Namespace, data: Path) -> int:
    name: str | None = args.name
    if name is not None and not name.strip():
        raise WatError("a milestone needs a name")
    with _open(args, data) as review:
        sid = review.find_session(args.session)
        if name is None:
            found = review.milestones(sid)
            if not found:
                out("No milestones yet. Record one with 'wat-tui milestone SESSION NAME'.")
                return 0
            rows = [["ID", "NAME", "TAKEN", "HIGH", "MEDIUM", "OPEN ACTIONS"]]
            for m in found:
                risks = list(m.snapshot.risks().values())
                rows.append([m.id[:8], m.name, m.at[:16].replace("T", " "), str(risks.count("HIGH")),
                             str(risks.count("MEDIUM")),
                             str(sum(1 for a in m.snapshot.actions if a.status != "done"))])
            table(rows)
            return 0
        mid = review.record_milestone(sid, name)
        m = review.find_milestone(sid, mid)
    risks = list(m.snapshot.risks().values())
    out(f"Recorded milestone {printable(m.name)} ({m.id[:8]}) at {m.at}: {risks.count('HIGH')} high, "
        f"{risks.count('MEDIUM')} medium, {len(m.snapshot.actions)} action items.")
    return 0


def cmd_compare(args: argparse.Namespace, data: Path) -> int:
    with _open(args, data) as review:
        sid = review.find_session(args.session)
        found = review.milestones(sid)
        if not found:
            raise NotFound("this session has no milestone yet; record one with 'wat-tui milestone SESSION NAME'")
        before = review.find_milestone(sid, args.a) if args.a is not None else found[-1]
        if args.b is not None:
            after = review.find_milestone(sid, args.b).snapshot
            title = f"Progress from {before.name} to {after.label}"
        else:
            st = review.full_state(sid)
            now = datetime.fromtimestamp(review.wall_ms() / 1000, UTC).isoformat(timespec="seconds")
            after = snapshot(st, st.analysis, label="now", taken_at=now)
            title = f"Progress since {before.name}"
    return _emit(render_comparison_markdown(compare(before.snapshot, after), title), args.output)


def _in_a_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def cmd_followup(args: argparse.Namespace, data: Path) -> int:
    start = parse_start(args.start)
    markdown = args.markdown or args.output is not None or start is not None or not _in_a_terminal()
    if not markdown:
        with _open(args, data) as review:
            sid = review.find_session(args.session)
        from wat_tui.ui.app import run_app

        return run_app(data, sid, followup=True)
    with _open(args, data) as review:
        sid = review.find_session(args.session)
        st = review.full_state(sid)
        cadence = review.cadence(sid)
        plan = followup_plan(st, st.analysis, cadence)
        since = st.milestones[-1] if st.milestones else None
        return _emit(followup_markdown(st, plan, st.analysis, cadence, since, start), args.output)


def cmd_cadence(args: argparse.Namespace, data: Path) -> int:
    from wat_tui.review.workload_types import presets

    if args.cadence is not None and args.default:
        raise WatError("give a cadence or --default, not both")
    if args.cadence is not None:
        presets_ids = [c.id for c in presets().cadences]
        if args.cadence not in presets_ids:  # before the database is opened: bad input changes nothing
            raise WatError(f"unknown review cadence {args.cadence!r}; expected one of: {', '.join(presets_ids)}")
    with _open(args, data) as review:
        sid = review.find_session(args.session)
        if args.cadence is not None or args.default:
            review.set_cadence(sid, args.cadence)
        c = presets().cadence(review.cadence(sid))
        chosen = review.chosen_cadence(sid)
        st = review.full_state(sid)
    how = "chosen for this session" if chosen else "from the workload type"
    out(f"Cadence: {printable(c.name)} ({c.id}, {how}): {printable(c.summary)}")
    reviewed = _reviewed_on(st.created_at)
    if reviewed is not None:
        checked = _reviewed_on(st.milestones[-1].at) if st.milestones else None
        nxt = next_review(reviewed, c.id, checked, date.today())
        out(f"Next {nxt.kind}: {nxt.on.isoformat()} ({nxt.status})")
    return 0


def cmd_actions(args: argparse.Namespace, data: Path) -> int:
    with _open(args, data) as review:
        sid = review.find_session(args.session)
        st = review.full_state(sid)
    content = actions_csv(st, action_links(st, st.links), findings(st, st.analysis))
    if args.output is None:
        write_stdout(for_terminal(content) if sys.stdout.isatty() else content)
        return 0
    return _emit(content, args.output, CSV_ENCODING)
