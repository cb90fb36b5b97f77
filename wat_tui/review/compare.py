"""Phase 5 of the review, follow-up: a snapshot of a session at a milestone, and what changed between two.

A :class:`Snapshot` is plain data that round-trips exactly through JSON (``Snapshot.from_value(s.to_value())
== s``), so a milestone can be stored as one register value. It holds every question of the session's lenses
with its risk (unanswered ones too, so a later risk can be named), the answers the risks come from, the analysis
and the actions.

How a question moves between two snapshots (a question missing from one counts as unanswered there):

- resolved: was high or medium, now no risk or not applicable;
- new: was no risk, unanswered or not applicable, now high or medium;
- changed: high to medium or medium to high;
- cleared: was high or medium, now unanswered (the answer was cleared: not a resolution);
- other: any other move (no risk to not applicable, answered to unanswered, ...);
- unchanged: the same risk in both.

So ``compare(a, b).resolved + compare(a, b).cleared`` holds exactly the questions of ``compare(b, a).new``,
and comparing a snapshot with itself leaves everything unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from wat_tui.errors import WatError
from wat_tui.lens.risk import Risk
from wat_tui.markdown_text import cell, table, text
from wat_tui.review.analysis import Analysis, AnalysisError, findings, natural_key, validate_analysis
from wat_tui.review.state import Answer, SessionState

if TYPE_CHECKING:
    from wat_tui.review.preparation import FollowupItem

SNAPSHOT_FORMAT = "wat-tui-snapshot"
SNAPSHOT_VERSION = 1
AT_RISK = frozenset({Risk.HIGH.value, Risk.MEDIUM.value})
SETTLED = frozenset({Risk.NONE.value, Risk.NOT_APPLICABLE.value})
RISK_WORDS = {"HIGH": "high", "MEDIUM": "medium", "NONE": "no risk", "NOT_APPLICABLE": "not applicable",
              "UNANSWERED": "unanswered"}


class SnapshotError(WatError):
    """A stored snapshot the app cannot read."""


@dataclass(frozen=True)
class QuestionAt:
    """One question's risk at the moment of the snapshot."""

    key: str
    pillar: str
    pillar_name: str
    label: str
    title: str
    #: A :class:`Risk` value (HIGH, MEDIUM, NONE, NOT_APPLICABLE, UNANSWERED).
    risk: str


@dataclass(frozen=True)
class ActionAt:
    id: str
    title: str
    status: str
    owner: str
    due: str


@dataclass(frozen=True)
class Snapshot:
    """A session at one moment; the tuples are sorted by key (questions) and id (actions)."""

    session: str
    #: The milestone's name, e.g. "Workshop" or "March check-in".
    label: str
    #: When it was taken, as the caller gives it (ISO 8601); this module reads no clock.
    taken_at: str
    questions: tuple[QuestionAt, ...]
    analysis: tuple[tuple[str, Analysis], ...]
    actions: tuple[ActionAt, ...]
    #: The answers (choices in place, not applicable), by question key: what the risks were computed from.
    answers: tuple[tuple[str, Answer], ...] = ()

    def to_value(self) -> dict[str, Any]:
        return {
            "format": SNAPSHOT_FORMAT, "version": SNAPSHOT_VERSION, "session": self.session,
            "label": self.label, "taken_at": self.taken_at,
            "questions": [{"key": q.key, "pillar": q.pillar, "pillar_name": q.pillar_name, "label": q.label,
                           "title": q.title, "risk": q.risk} for q in self.questions],
            "analysis": {k: a.to_value() for k, a in self.analysis},
            "actions": [{"id": a.id, "title": a.title, "status": a.status, "owner": a.owner, "due": a.due}
                        for a in self.actions],
            "answers": {k: a.to_value() for k, a in self.answers},
        }

    @classmethod
    def from_value(cls, value: Any) -> Snapshot:
        """Decode a stored snapshot; a newer version is refused, anything malformed named."""
        if not isinstance(value, dict) or value.get("format") != SNAPSHOT_FORMAT:
            raise SnapshotError("not a wat-tui snapshot")
        if value.get("version") != SNAPSHOT_VERSION:
            raise SnapshotError(f"snapshot version {value.get('version')!r}: this app reads version "
                                f"{SNAPSHOT_VERSION}; a newer one needs a newer wat-tui")
        try:
            questions = tuple(QuestionAt(**_texts(q, ("key", "pillar", "pillar_name", "label", "title", "risk")))
                              for q in value["questions"])
            actions = tuple(ActionAt(**_texts(a, ("id", "title", "status", "owner", "due")))
                            for a in value["actions"])
            analysis = tuple((str(k), _analysis(str(k), v)) for k, v in value["analysis"].items())
            head = _texts(value, ("session", "label", "taken_at"))
            answers = tuple((str(k), _answer(str(k), v)) for k, v in value.get("answers", {}).items())
        except (KeyError, TypeError, AttributeError) as exc:
            raise SnapshotError(f"snapshot: malformed ({exc})") from exc
        for q in questions:
            if q.risk not in Risk.__members__:
                raise SnapshotError(f"snapshot: question {q.key!r}: unknown risk {q.risk!r}")
        return cls(head["session"], head["label"], head["taken_at"], questions, analysis, actions, answers)

    def risks(self) -> dict[str, str]:
        return {q.key: q.risk for q in self.questions}


def _analysis(key: str, value: Any) -> Analysis:
    try:
        return validate_analysis(value)
    except AnalysisError as exc:
        raise SnapshotError(f"snapshot: analysis of {key!r}: {exc}") from exc


def _answer(key: str, value: Any) -> Answer:
    answer = Answer.from_value(value)
    if answer is None:
        raise SnapshotError(f"snapshot: answer to {key!r}: expected an object")
    return answer


def _texts(value: Any, keys: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, got {type(value).__name__}")
    out = {k: value[k] for k in keys}
    bad = [k for k, v in out.items() if not isinstance(v, str)]
    if bad:
        raise TypeError(f"{bad[0]} must be text")
    return out


def snapshot(state: SessionState, analysis: Mapping[str, Analysis], *, label: str = "",
             taken_at: str = "") -> Snapshot:
    questions = [
        QuestionAt(f"{lens.alias}/{q.id}", pillar.id, pillar.name, q.label, q.title, state.risk(lens, q).value)
        for lens in state.lenses for pillar in lens.pillars for q in pillar.questions
    ]
    actions = [ActionAt(a.id, a.title, a.status, a.owner, a.due) for a in state.actions]
    return Snapshot(state.id, label, taken_at, tuple(sorted(questions, key=lambda q: q.key)),
                    tuple(sorted(analysis.items())), tuple(sorted(actions, key=lambda a: a.id)),
                    tuple(sorted(state.answers.items())))


@dataclass(frozen=True)
class Milestone:
    """A recorded milestone: its id (the ``milestone/<id>`` register) and its snapshot."""

    id: str
    snapshot: Snapshot

    @property
    def name(self) -> str:
        return self.snapshot.label

    @property
    def at(self) -> str:
        return self.snapshot.taken_at


# -- comparing ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One question between the two snapshots."""

    key: str
    pillar: str
    pillar_name: str
    label: str
    title: str
    before: str
    after: str


@dataclass(frozen=True)
class PillarProgress:
    pillar: str
    name: str
    resolved: int = 0
    new: int = 0
    changed: int = 0
    #: At high or medium risk in the later snapshot.
    open: int = 0


@dataclass(frozen=True)
class Comparison:
    before: str
    after: str
    resolved: tuple[Move, ...] = ()
    new: tuple[Move, ...] = ()
    changed: tuple[Move, ...] = ()
    cleared: tuple[Move, ...] = ()
    other: tuple[Move, ...] = ()
    unchanged: tuple[Move, ...] = ()
    pillars: tuple[PillarProgress, ...] = ()
    #: Actions whose status became done (or that appeared already done).
    closed: tuple[ActionAt, ...] = ()
    new_actions: tuple[ActionAt, ...] = ()
    removed_actions: tuple[ActionAt, ...] = ()

    @property
    def still_open(self) -> tuple[Move, ...]:
        """Questions at the same high or medium risk in both."""
        return tuple(m for m in self.unchanged if m.after in AT_RISK)


def _kind(before: str, after: str) -> str:
    if before == after:
        return "unchanged"
    if before in AT_RISK:
        if after in AT_RISK:
            return "changed"
        return "resolved" if after in SETTLED else "cleared"
    return "new" if after in AT_RISK else "other"


def compare(a: Snapshot, b: Snapshot) -> Comparison:
    """What moved from ``a`` (earlier) to ``b`` (later); see the module docstring for the buckets."""
    qa = {q.key: q for q in a.questions}
    qb = {q.key: q for q in b.questions}
    buckets: dict[str, list[Move]] = {k: [] for k in ("resolved", "new", "changed", "cleared", "other",
                                                      "unchanged")}
    for key in sorted(qa.keys() | qb.keys(), key=natural_key):
        info = qb.get(key) or qa[key]
        before = qa[key].risk if key in qa else Risk.UNANSWERED.value
        after = qb[key].risk if key in qb else Risk.UNANSWERED.value
        buckets[_kind(before, after)].append(
            Move(key, info.pillar, info.pillar_name, info.label, info.title, before, after))
    pillars: dict[str, dict[str, Any]] = {}
    for kind, moves in buckets.items():
        for m in moves:
            p = pillars.setdefault(m.pillar, {"name": m.pillar_name, "resolved": 0, "new": 0, "changed": 0,
                                              "open": 0})
            if kind in ("resolved", "new", "changed"):
                p[kind] += 1
            if m.after in AT_RISK:
                p["open"] += 1
    aa = {x.id: x for x in a.actions}
    ab = {x.id: x for x in b.actions}
    return Comparison(
        a.label, b.label,
        resolved=tuple(buckets["resolved"]), new=tuple(buckets["new"]), changed=tuple(buckets["changed"]),
        cleared=tuple(buckets["cleared"]), other=tuple(buckets["other"]), unchanged=tuple(buckets["unchanged"]),
        pillars=tuple(PillarProgress(pid, p["name"], p["resolved"], p["new"], p["changed"], p["open"])
                      for pid, p in pillars.items()),
        closed=tuple(x for x in b.actions if x.status == "done" and (x.id not in aa or aa[x.id].status != "done")),
        new_actions=tuple(x for x in b.actions if x.id not in aa),
        removed_actions=tuple(x for x in a.actions if x.id not in ab),
    )


def render_comparison_markdown(cmp: Comparison, title: str | None = None) -> str:
    """The comparison as Markdown: a level-2 heading, the counts per pillar, then the lists."""
    heading = title if title is not None else f"Progress since {cmp.before or 'the earlier snapshot'}"
    out = [f"## {text(heading)}", ""]
    out.append(f"{len(cmp.resolved)} resolved, {len(cmp.new)} new, {len(cmp.changed)} changed level, "
               f"{len(cmp.still_open)} still open; {len(cmp.closed)} actions closed, "
               f"{len(cmp.new_actions)} new.")
    moved = [p for p in cmp.pillars if p.resolved or p.new or p.changed or p.open]
    if moved:
        rows = [[cell(p.name), str(p.resolved), str(p.new), str(p.changed), str(p.open)] for p in moved]
        out += ["", *table(["Pillar", "Resolved", "New", "Changed level", "Open now"], rows)]
    for name, moves in (("Resolved", cmp.resolved), ("New risks", cmp.new), ("Changed level", cmp.changed),
                        ("Answer cleared", cmp.cleared), ("Still open", cmp.still_open)):
        if moves:
            out += ["", f"### {name}", ""]
            out += [f"- {text(m.label)}: {text(m.title)} ({_move_words(m)})" for m in moves]
    for name, actions in (("Actions closed", cmp.closed), ("New actions", cmp.new_actions),
                          ("Actions removed", cmp.removed_actions)):
        if actions:
            out += ["", f"### {name}", ""]
            out += [f"- {text(x.title)}{_owner(x)}" for x in actions]
    return "\n".join(out) + "\n"


def _move_words(m: Move) -> str:
    return f"{RISK_WORDS.get(m.before, m.before)} to {RISK_WORDS.get(m.after, m.after)}"


def _owner(x: ActionAt) -> str:
    bits = [text(x.owner)] if x.owner.strip() else []
    if x.due:
        bits.append(f"due {text(x.due)}")
    return f" ({', '.join(bits)})" if bits else ""


# -- the follow-up meeting and the review rhythm ------------------------------------------------------------


@dataclass(frozen=True)
class NextReview:
    """When the session should be looked at again."""

    #: "full review" or "check-in" (a light review of the open risks, where the cadence has them).
    kind: str
    on: date
    #: "due", "overdue" or "not yet" (see ``preparation.due_status``).
    status: str
    cadence: str


def next_review(reviewed_on: date, cadence_id: str, checked_on: date | None, today: date) -> NextReview:
    """The next date of the session's rhythm: the next full review counted from the review, or, where the
    cadence has check-ins, the next check-in counted from the last one (the latest milestone) if that comes
    first."""
    from wat_tui.review.preparation import cadence_dates, due_status

    full, light = cadence_dates(reviewed_on, cadence_id)
    kind, on = "full review", full
    if light is not None:
        _, check = cadence_dates(max(checked_on or reviewed_on, reviewed_on), cadence_id)
        if check is not None and check < full:
            kind, on = "check-in", check
    return NextReview(kind, on, due_status(on, today), cadence_id)


def _clock(start: datetime, minutes: int) -> str:
    return (start + timedelta(minutes=minutes)).strftime("%H:%M")


def followup_markdown(state: SessionState, plan: Sequence[FollowupItem], analysis: Mapping[str, Analysis],
                      cadence: str, since: Milestone | None, start: datetime | None = None) -> str:
    """The follow-up meeting as Markdown: what it is for, its agenda (with times from ``start``), then the
    open risks and the open actions it goes through, every typed or lens text escaped."""
    from wat_tui.review.workload_types import presets

    c = presets().cadence(cadence)
    total = sum(i.minutes for i in plan)
    out = [f"# Follow-up: {text(state.name or 'Well-Architected review')}", ""]
    facts = [f"- Workload: {text(state.workload or state.name)}",
             f"- Cadence: {text(c.name)} ({text(c.summary)})",
             f"- Since: {_since(state, since)}",
             f"- Length: {total} minutes"]
    out += [*facts, "", "## Agenda", ""]
    if start is not None:
        rows, at = [], 0
        for item in plan:
            rows.append([_clock(start, at), _clock(start, at + item.minutes), cell(item.title), f"{item.minutes} min"])
            at += item.minutes
        out += table(["Start", "End", "Item", "Length"], rows)
    else:
        out += table(["Item", "Length"], [[cell(i.title), f"{i.minutes} min"] for i in plan])
    found = {f.key: f for f in findings(state, analysis)}
    risks = [found[k] for i in plan if i.kind == "risks" for k in i.keys if k in found]
    out += ["", "## Open risks", ""]
    if risks:
        for f in risks:
            scored = "" if not f.analysed else (f"; impact {f.impact or 'not scored'}, effort "
                                                f"{f.effort or 'not scored'}")
            out.append(f"- {text(f.label)}: {text(f.title)} ({text(f.pillar_name)}, "
                       f"{RISK_WORDS.get(f.risk or '', 'unrated')} risk{scored})")
    else:
        out.append("No question is at high or medium risk.")
    actions = {a.id: a for a in state.actions}
    open_actions = [actions[k] for i in plan if i.kind == "actions" for k in i.keys if k in actions]
    out += ["", "## Open actions", ""]
    if open_actions:
        rows = [[cell(a.title), cell(a.owner or "—"), cell(a.due or "—"), cell(a.status or "open")]
                for a in open_actions]
        out += table(["Action", "Owner", "Due", "Status"], rows)
    else:
        out.append("No action item is open.")
    out += ["", "Update each action's status and the answers that changed in the app; record a milestone at the "
                "end (`wat-tui milestone SESSION NAME`) so the next follow-up can show the progress."]
    return "\n".join(out) + "\n"


def _since(state: SessionState, since: Milestone | None) -> str:
    if since is not None:
        return f"milestone {text(since.name)} ({text(since.at[:10])})"
    return f"the review ({text(state.created_at[:10] or 'date not recorded')})"
