"""``wat-tui [open] [SESSION]``, ``demo``, ``new`` and ``list``: sessions from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

from wat_tui.cli.output import out, printable, table
from wat_tui.errors import NotFound, WatError
from wat_tui.lens.builtin import BUILTIN_ALIASES, builtin_lens_path
from wat_tui.lens.risk import Risk
from wat_tui.review.durations import format_duration, parse_duration
from wat_tui.review.service import Review
from wat_tui.store.paths import DB_NAME


def cmd_new(args: argparse.Namespace, data: Path) -> int:
    from wat_tui.review.workload_types import presets

    minutes = parse_duration(args.duration)
    presets().workload_type(args.workload_type)
    participants = []
    for item in args.participant:
        name, _, role = item.partition(":")
        if not name.strip():
            raise WatError(f"participant {item!r}: expected NAME:ROLE")
        participants.append((name.strip(), role.strip() or "Other"))
    if not args.name.strip():
        raise WatError("a session needs a name")
    lenses = args.lenses or ["wellarchitected"]
    if not (data / DB_NAME).exists():
        # Bad input must not leave a new database behind: without one, only built-in lenses can exist.
        for alias in lenses:
            if builtin_lens_path(alias) is None:
                raise NotFound(f"no lens with alias {alias!r}; known lenses: {', '.join(BUILTIN_ALIASES)}")
    with Review.open(data) as review:
        sid = review.create_session(
            args.name, workload=args.workload, workload_type=args.workload_type, planned_minutes=minutes,
            lenses=lenses, participants=participants,
        )
    out(sid)
    return 0


def cmd_list(args: argparse.Namespace, data: Path) -> int:
    with Review.open(data) as review:
        sessions = review.list_sessions()
        nexts = {s.id: _next_review(review, s.id, s.created_at) for s in sessions}
    if not sessions:
        out("No sessions yet. Create one with 'wat-tui new NAME' or try 'wat-tui demo'.")
        return 0
    rows = [["ID", "NAME", "WORKLOAD TYPE", "CREATED", "ANSWERED", "HIGH", "MEDIUM", "NEXT REVIEW"]]
    for s in sessions:
        rows.append([s.id[:8], s.name, s.workload_type, s.created_at[:16].replace("T", " "),
                     f"{s.answered}/{s.total}", str(s.high), str(s.medium), nexts[s.id]])
    table(rows)
    due = [s for s in sessions if nexts[s.id].endswith(("(due)", "(overdue)"))]
    if due:
        out()
        out(f"{len(due)} review{'s are' if len(due) != 1 else ' is'} due or overdue by cadence: "
            + ", ".join(printable(s.name) for s in due) + ". 'wat-tui followup SESSION' plans the check-in.")
    return 0


def _next_review(review: Review, sid: str, created_at: str) -> str:
    """``2027-03-01 check-in (overdue)``: the session's next date by its cadence (the latest milestone counts as
    the last check-in); "-" when the session has no date."""
    from datetime import date

    from wat_tui.review.compare import next_review

    try:
        reviewed = date.fromisoformat(created_at[:10])
    except ValueError:
        return "-"
    milestones = review.milestones(sid)
    checked = None
    if milestones:
        try:
            checked = date.fromisoformat(milestones[-1].at[:10])
        except ValueError:
            checked = None
    nxt = next_review(reviewed, review.cadence(sid), checked, date.today())
    status = "" if nxt.status == "not yet" else f" ({nxt.status})"
    return f"{nxt.on.isoformat()} {nxt.kind}{status}"


def cmd_demo(args: argparse.Namespace, data: Path) -> int:
    from wat_tui.review.demo import ensure_demo

    with Review.open(data) as review:
        sid = ensure_demo(review)
        if args.print_only:
            print_summary(review, sid)
            return 0
    return _run_app(data, sid)


def print_summary(review: Review, sid: str) -> None:
    st = review.state(sid)
    counts = st.counts()
    out(f"{printable(st.name)}: {printable(st.workload)} ({printable(st.workload_type)}, "
        f"planned {format_duration(st.planned_minutes)})")
    out(f"Lenses: {', '.join(f'{printable(lens_.name)} {printable(lens_.version)}' for lens_ in st.lenses)}")
    out(f"Answered {st.answered}/{st.total_questions}: {counts[Risk.HIGH]} high, "
        f"{counts[Risk.MEDIUM]} medium, {counts[Risk.NONE]} no risk, "
        f"{counts[Risk.NOT_APPLICABLE]} not applicable")
    out(f"Participants: {', '.join(f'{printable(p.name)} ({printable(p.role)})' for p in st.participants)}")
    out(f"Notes: {len(st.notes)}; action items: {len(st.actions)}")


def cmd_open(args: argparse.Namespace, data: Path) -> int:
    sid = None
    if args.session:
        if not (data / DB_NAME).exists():  # a mistyped command must not create a database
            raise NotFound(f"no session matches {args.session!r}; 'wat-tui list' shows them")
        with Review.open(data) as review:
            sid = review.find_session(args.session)
    return _run_app(data, sid)


def _run_app(data: Path, sid: str | None) -> int:
    from wat_tui.ui.app import run_app

    return run_app(data, sid)
