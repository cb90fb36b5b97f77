"""``wat-tui analysis SESSION [FINDING --impact L --effort L --note TEXT | --clear]`` and
``wat-tui link SESSION ACTION FINDING [--remove]``: the analysis phase from the command line.

Without FINDING, ``analysis`` lists the findings (questions at high or medium risk, and the practices the room
analysed) in priority order with their scores and quadrant, and says which ordering it used. A FINDING is a
finding key (``wellarchitected/priorities``, ``wellarchitected/priorities/<choice>``) or a question's label
(``OPS01``). An ACTION is an action item's id, a unique prefix of it, or its exact title.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from wat_tui.cli.output import out, printable, table
from wat_tui.errors import Ambiguous, NotFound, WatError
from wat_tui.review.analysis import LEVELS, findings, ordering_used, prioritised
from wat_tui.review.service import Review
from wat_tui.review.state import ActionItem, SessionState
from wat_tui.store.paths import DB_NAME

UNSET = "-"


def _open(args: argparse.Namespace, data: Path) -> Review:
    if not (data / DB_NAME).exists():  # a fresh machine has no sessions; do not create a database to say so
        raise NotFound(f"no session matches {args.session!r}; 'wat-tui list' shows them")
    return Review.open(data)


def _level(name: str, value: str | None) -> str | None:
    if value is None or value == UNSET:
        return None
    if value not in LEVELS:
        raise WatError(f"--{name} {value!r}: expected low, medium, high or - (not scored)")
    return value


def finding_key(state: SessionState, ref: str) -> str:
    """A finding key from a key or a question label (case ignored): the question must be one of the session's."""
    parts = ref.split("/")
    if len(parts) in (2, 3) and all(parts):
        lens = state.lens(parts[0])
        if lens is not None and lens.question(parts[1]) is not None:
            return ref
    hits = [f"{lens.alias}/{q.id}" for lens in state.lenses for q in lens.questions
            if q.label.casefold() == ref.strip().casefold()]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise Ambiguous(f"finding {ref!r} names {len(hits)} questions ({', '.join(hits)}); give the key")
    raise NotFound(f"no question {ref!r} in this session; give a label such as OPS01 or a key such as "
                   "wellarchitected/priorities")


def cmd_analysis(args: argparse.Namespace, data: Path) -> int:
    impact, effort = _level("impact", args.impact), _level("effort", args.effort)
    editing = args.impact is not None or args.effort is not None or args.note is not None or args.clear
    if args.finding is None and editing:
        raise WatError("--impact, --effort, --note and --clear need a FINDING")
    if args.clear and (args.impact is not None or args.effort is not None or args.note is not None):
        raise WatError("--clear takes no --impact, --effort or --note")
    with _open(args, data) as review:
        sid = review.find_session(args.session)
        st = review.full_state(sid)
        if args.finding is not None:
            key = finding_key(st, args.finding)
            if not editing:
                raise WatError("say what to set: --impact, --effort, --note, or --clear")
            old = st.analysis.get(key)
            if args.clear:
                review.set_analysis(sid, key, None, None, "")
                out(f"Cleared the analysis of {printable(key)}.")
                return 0
            new_impact = impact if args.impact is not None else (old.impact if old else None)
            new_effort = effort if args.effort is not None else (old.effort if old else None)
            note = args.note if args.note is not None else (old.note if old else "")
            review.set_analysis(sid, key, new_impact, new_effort, note)
            st = review.full_state(sid)
            found = {f.key: f for f in findings(st, st.analysis)}
            f = found.get(key)
            where = f"{printable(f.label)} ({printable(key)})" if f else printable(key)
            quadrant = f"; {f.quadrant}" if f and f.quadrant else ""
            out(f"{where}: impact {new_impact or 'not scored'}, effort {new_effort or 'not scored'}{quadrant}")
            if f is None:
                out("Kept, though it is not a finding now (not at high or medium risk, or the practice is in place).")
            return 0
    items = prioritised(findings(st, st.analysis))
    if not items:
        out("No findings: no question is at high or medium risk.")
        return 0
    rows = [["FINDING", "PILLAR", "RISK", "IMPACT", "EFFORT", "QUADRANT", "KEY"]]
    for f in items:
        rows.append([f.label, f.pillar_name, (f.risk or "unrated").lower(), f.impact or UNSET, f.effort or UNSET,
                     f.quadrant or UNSET, f.key])
    table(rows)
    out()
    out(f"Ordered {ordering_used(items)}.")
    return 0


def _action(state: SessionState, ref: str) -> str:
    matchers: list[Callable[[ActionItem], bool]] = [
        lambda a: a.id == ref, lambda a: a.title == ref, lambda a: bool(ref) and a.id.startswith(ref)]
    for match in matchers:
        hits = [a.id for a in state.actions if match(a)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise Ambiguous(f"action {ref!r} matches {len(hits)} action items; give more of its id")
    raise NotFound(f"no action item {ref!r}; give its id (or a unique prefix) or its exact title")


def cmd_link(args: argparse.Namespace, data: Path) -> int:
    with _open(args, data) as review:
        sid = review.find_session(args.session)
        st = review.full_state(sid)
        aid = _action(st, args.action)
        key = finding_key(st, args.finding)
        if args.remove:
            review.unlink_action(sid, aid, key)
        else:
            review.link_action(sid, aid, key)
        links = review.action_findings(sid).get(aid, ())
    title = next(a.title for a in st.actions if a.id == aid)
    out(f"{printable(title)} addresses: {', '.join(printable(k) for k in links) or 'no linked finding'}")
    return 0
