"""Storing the agenda, the timers and the parking lot in the operation log, and the time report.

Registers (all per session):

- ``agenda``: the list of blocks as dicts ``{id, kind, title, minutes, pillar, lens}`` (see
  ``review.agenda``). Saved with :meth:`Review.write`, so an agenda edit is undoable like any other.
- ``timer/<uuid>``: one interval ``{block, question: "<alias>/<qid>" | null, start: ISO UTC, stop: ISO |
  null}``. Written once when it opens and once more when it stops; never otherwise changed, never deleted, and
  not on the undo stack (undoing a question's answer must not rewrite history's clock). Quitting the app closes
  the open interval. An interval left open (a crash, a power cut, or another laptop's clock still running when
  it exported) never counts up to "now" behind anyone's back: it counts up to its writer's last recorded
  activity (:func:`intervals`), and the app, reopened, asks whether to count the time it was closed
  (:func:`left_running`, :func:`drop_closed_time`).
- ``parking/<alias>/<qid>``: ``{reason, parked_by}`` while the question is in the parking lot, null after.

Every function takes the :class:`Review` and an explicit ``now`` (never the wall clock). The screens call:
:func:`load_agenda` / :func:`save_agenda` on the agenda screen; :func:`start_session_clock`,
:func:`enter_block`, :func:`set_question`, :func:`pause`, :func:`resume` as the room moves;
:func:`load_timeline` after each of those and :func:`wat_tui.review.clock.clock_strip` every second, with
:func:`end_spent_break` when a running break's time is over;
:func:`park_question` / :func:`unpark_question` / :func:`parking_lot`; and the report calls
:func:`time_report` and :func:`parking_lot`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from wat_tui.errors import NotFound, WatError
from wat_tui.review.agenda import Block, PlannerSettings, block_questions, plan_agenda
from wat_tui.review.clock import Interval, Timeline, iso, spent_break, utc
from wat_tui.review.service import Review
from wat_tui.review.state import ANSWER_PREFIX, SessionState, current
from wat_tui.review.targets import target_kind
from wat_tui.review.validate import readable
from wat_tui.review.workload_types import presets

AGENDA = "agenda"
TIMER_PREFIX = "timer/"
#: This laptop's note (local, never shared) that its running app is counting: the time of its last tick.
HEARTBEAT = "clock_heartbeat"
#: Seconds between heartbeats, and the age after which an open interval is taken as left by a closed app.
HEARTBEAT_EVERY = 30.0
HEARTBEAT_STALE = 90.0
PARKING_PREFIX = "parking/"
_PROPOSAL_NS = uuid.UUID("6f1d3c3e-8a41-4b5e-9a53-0c1f7a2b9d10")


# -- agenda --------------------------------------------------------------------------------------------------


def _decode_agenda(sid: str, value: Any) -> list[Block]:
    where = f"session {sid[:8]}: register {AGENDA}"
    if not isinstance(value, list):
        raise WatError(f"{where}: expected a list of blocks")
    return [Block.from_dict(v, f"{where}[{i}]") for i, v in enumerate(value)]


def stored_agenda(review: Review, sid: str) -> list[Block] | None:
    """The saved agenda, or None when the facilitator has not saved one yet.

    A stored value the app cannot use (see :func:`wat_tui.review.validate.readable`) is skipped, as if never
    saved; ``Review.state`` names it in ``unreadable``.
    """
    value = current([v for v in review.values(sid, AGENDA) if readable(AGENDA, v.value)])
    return None if value is None else _decode_agenda(sid, value)


#: Proposals already planned, by what they are planned from (see :func:`propose_agenda`).
_PROPOSALS: dict[tuple[Any, ...], tuple[Block, ...]] = {}
_PROPOSALS_KEPT = 64


def propose_agenda(review: Review, sid: str, settings: PlannerSettings | None = None,
                   state: SessionState | None = None) -> list[Block]:
    """The planner's proposal for the session. Block ids derive from the session id, so two calls agree."""
    st = state or review.state(sid)
    # The same session, duration, type, lenses and settings always give the same proposal: the app asks for it
    # after every edit until the agenda is saved, so it is planned once (blocks are immutable).
    key = (sid, st.planned_minutes, st.workload_type, tuple(lens.content_hash for lens in st.lenses), settings)
    proposal = _PROPOSALS.get(key)
    if proposal is None:
        try:
            wt = presets().workload_type(st.workload_type)
        except WatError:  # a type this version does not know (a newer bundle): plan with the general one
            wt = presets().workload_type("general")
        counter = iter(range(1_000_000))
        proposal = tuple(plan_agenda(st.planned_minutes, wt, st.lenses, settings,
                                     new_id=lambda: str(uuid.uuid5(_PROPOSAL_NS, f"{sid}/{next(counter)}"))))
        if len(_PROPOSALS) >= _PROPOSALS_KEPT:
            _PROPOSALS.clear()
        _PROPOSALS[key] = proposal
    return list(proposal)


def load_agenda(review: Review, sid: str, settings: PlannerSettings | None = None,
                state: SessionState | None = None) -> list[Block]:
    """The saved agenda, else a proposal (not saved until :func:`save_agenda` or the clock starts); no blocks when
    the planned duration is too short (or unreadable) to plan from, so the session still opens."""
    blocks = stored_agenda(review, sid)
    if blocks is not None:
        return blocks
    try:
        return propose_agenda(review, sid, settings, state)
    except WatError:
        return []


def save_agenda(review: Review, sid: str, blocks: Sequence[Block]) -> None:
    """Save the agenda as one undoable action.

    :meth:`Review.write` holds it to the agenda rule first (``wat_tui/review/validate.py``, the one a merged
    agenda obeys): distinct ids, 1 to 1440 minutes a block, a pillar block's pillar in its lens, every lens one
    of the session's.
    """
    review.write(sid, [(AGENDA, [b.to_dict() for b in blocks])])


# -- timers --------------------------------------------------------------------------------------------------


def _decode_interval(sid: str, target: str, value: Any) -> Interval:
    where = f"session {sid[:8]}: register {target}"
    try:
        start = utc(datetime.fromisoformat(value["start"]))
        stop = utc(datetime.fromisoformat(value["stop"])) if value.get("stop") is not None else None
        block, question = value.get("block"), value.get("question")
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        raise WatError(f"{where}: not a timer interval ({exc})") from exc
    if not (block is None or isinstance(block, str)) or not (question is None or isinstance(question, str)):
        raise WatError(f"{where}: block and question must be text or null")
    return Interval(target.removeprefix(TIMER_PREFIX), block, question, start, stop)


def _stored(review: Review, sid: str) -> list[tuple[Interval, str]]:
    """Every stored interval with the writer that opened it, as written (an open one has no stop)."""
    out = []
    for target, values in review.registers(sid, TIMER_PREFIX).items():
        if not _is(target, "timer"):
            continue  # another form (``timer/a/b``, a newer version's): kept, never read
        # A value the app cannot use is skipped (Review.state names it in ``unreadable``).
        decoded = [_decode_interval(sid, target, v.value) for v in values
                   if v.value is not None and readable(target, v.value)]
        if decoded:  # two laptops may both have closed it: the earliest stop is the one that happened
            stops = [iv.stop for iv in decoded if iv.stop is not None]
            first = decoded[0]
            out.append((Interval(first.id, first.block, first.question, first.start, min(stops) if stops else None),
                        values[0].writer_id))
    return sorted(out, key=lambda pair: pair[0].order)


def last_activity(review: Review, sid: str, writer_id: str) -> datetime | None:
    """The latest moment ``writer_id`` is known to have been at work on the session: its newest operation, and on
    this laptop the running app's heartbeat."""
    stamps = []
    newest = review.latest_stamp(sid, writer_id)
    if newest is not None:
        stamps.append(_stamp_time(newest))
    if writer_id == review.writer_id:
        beat = review.local_setting(sid, HEARTBEAT)
        if beat:
            stamps.append(utc(datetime.fromisoformat(beat)))
    return max(stamps) if stamps else None


def intervals(review: Review, sid: str, live: bool = False) -> list[Interval]:
    """Every interval of the session as it counts (see the module docstring).

    An interval still open counts up to ``now`` only in the running app (``live``) and only when this laptop
    opened it; any other open interval (a laptop that crashed, or another facilitator's running clock in a
    merged file) counts up to its writer's last recorded activity, marked ``assumed``.
    """
    out = []
    evidence: dict[str, datetime | None] = {}
    for iv, writer in _stored(review, sid):
        if iv.stop is None and not (live and writer == review.writer_id):
            if writer not in evidence:
                evidence[writer] = last_activity(review, sid, writer)
            seen = evidence[writer]
            iv = replace(iv, stop=max(iv.start, seen) if seen is not None else iv.start, assumed=True)
        out.append(iv)
    return out


def left_running(review: Review, sid: str, now: datetime, stale: float = HEARTBEAT_STALE) -> Interval | None:
    """This laptop's clock interval left open by an app that did not close normally (a crash, a power cut).

    Its stop is the last recorded activity (``assumed``). None when nothing is open, or when a running app
    has beaten its heartbeat within ``stale`` seconds (it is still counting, in another window).
    """
    mine = [iv for iv, writer in _stored(review, sid) if iv.stop is None and writer == review.writer_id]
    if not mine:
        return None
    beat = review.local_setting(sid, HEARTBEAT)
    if beat and (utc(now) - utc(datetime.fromisoformat(beat))).total_seconds() < stale:
        return None
    seen = last_activity(review, sid, review.writer_id)
    iv = mine[-1]
    return replace(iv, stop=max(iv.start, seen) if seen is not None else iv.start, assumed=True)


def drop_closed_time(review: Review, sid: str) -> datetime | None:
    """The facilitator does not count the time the clock ran while the app was closed: close this laptop's
    open intervals at the last recorded activity. Returns that moment (None when nothing was open)."""
    seen = last_activity(review, sid, review.writer_id)
    closed_at = None
    with review.transaction():
        for iv, writer in _stored(review, sid):
            if iv.stop is None and writer == review.writer_id:
                at = max(iv.start, seen) if seen is not None else iv.start
                review.record(sid, [(TIMER_PREFIX + iv.id, _value(replace(iv, stop=at)))])
                closed_at = at
    return closed_at


def heartbeat(review: Review, sid: str, now: datetime) -> None:
    """The running app says it is still counting (see :func:`left_running`)."""
    review.set_local_setting(sid, HEARTBEAT, iso(now))


def _value(iv: Interval) -> dict[str, Any]:
    return {"block": iv.block, "question": iv.question, "start": iso(iv.start),
            "stop": iso(iv.stop) if iv.stop else None}


def _switch(review: Review, sid: str, now: datetime, block: str | None, question: str | None,
            agenda: Sequence[Block] | None = None) -> Interval:
    """Stop whatever is running and open a new interval, in one transaction."""
    now = utc(now)
    with review.transaction():
        if not review.session_exists(sid):
            raise NotFound(f"no session with id {sid!r}")
        if agenda is not None:
            review.record(sid, [(AGENDA, [b.to_dict() for b in agenda])])
        _stop_open(review, sid, now)
        iv = Interval(str(uuid.uuid4()), block, question, now)
        review.record(sid, [(TIMER_PREFIX + iv.id, _value(iv))])
    return iv


def _stop_open(review: Review, sid: str, now: datetime) -> bool:
    """Close this laptop's open intervals at ``now``; another laptop's are its own to close."""
    stopped = False
    for iv, writer in _stored(review, sid):
        if iv.stop is None and writer == review.writer_id:
            closed = Interval(iv.id, iv.block, iv.question, iv.start, max(iv.start, now))
            review.record(sid, [(TIMER_PREFIX + iv.id, _value(closed))])
            stopped = True
    return stopped


def start_session_clock(review: Review, sid: str, now: datetime, block_id: str | None = None) -> Interval:
    """Start timing: in ``block_id``, else where the clock last was, else the agenda's first block.

    Saves the proposed agenda first when none is saved yet. Already running: returns the running interval.
    """
    now = utc(now)
    ivs = intervals(review, sid, live=True)
    open_ = [iv for iv in ivs if iv.stop is None]
    if open_ and block_id is None:
        return open_[-1]
    saved = stored_agenda(review, sid)
    agenda = saved if saved is not None else propose_agenda(review, sid)
    if block_id is not None and all(b.id != block_id for b in agenda):
        raise NotFound(f"the agenda has no block {block_id!r}")
    last = ivs[-1] if ivs else None
    block = block_id or (last.block if last else (agenda[0].id if agenda else None))
    question = last.question if last and block_id is None else None
    return _switch(review, sid, now, block, question, agenda=None if saved is not None else agenda)


def pause(review: Review, sid: str, now: datetime) -> bool:
    """Stop the clock; False when it was not running."""
    with review.transaction():
        return _stop_open(review, sid, utc(now))


def resume(review: Review, sid: str, now: datetime) -> Interval | None:
    """Restart the clock on the block and question it was paused on; None if never started or running."""
    ivs = intervals(review, sid, live=True)
    if not ivs or any(iv.stop is None for iv in ivs):
        return None
    return _switch(review, sid, now, ivs[-1].block, ivs[-1].question)


def enter_block(review: Review, sid: str, block_id: str, now: datetime) -> Interval:
    """The room moves to a block: its timer starts (and the session clock, if it was stopped).

    The block is one of the agenda in force: the saved one, else the proposal, which is then saved with the move
    (as :func:`start_session_clock` saves it). No agenda is saved after an undo of the only agenda edit, while the
    clock kept running on it.
    """
    saved = stored_agenda(review, sid)
    agenda = saved if saved is not None else propose_agenda(review, sid)
    if all(b.id != block_id for b in agenda):
        raise NotFound(f"the agenda has no block {block_id!r}")
    return _switch(review, sid, now, block_id, None, agenda=None if saved is not None else agenda)


def current_block(review: Review, sid: str, now: datetime) -> Block | None:
    """The block the clock runs on (or was paused on); None before the clock has started."""
    tl = Timeline(tuple(stored_agenda(review, sid) or ()), tuple(intervals(review, sid, live=True)))
    cur = tl.current(utc(now))
    return tl.block(cur.block) if cur else None


def set_question(review: Review, sid: str, key: str | None, now: datetime) -> Interval | None:
    """The room turns to question ``key`` ("<alias>/<qid>"): question timing switches to it.

    Only while the clock runs (returns None when paused or stopped, writing nothing; call it again after
    :func:`resume` if the question changed meanwhile). The same question again writes nothing.
    """
    ivs = intervals(review, sid, live=True)
    running = [iv for iv in ivs if iv.stop is None]
    if not running:
        return None
    if running[-1].question == key:
        return running[-1]
    return _switch(review, sid, now, running[-1].block, key)


def end_spent_break(review: Review, sid: str, now: datetime, question: str | None,
                    state: SessionState | None = None, running: str | None = None) -> Interval | None:
    """The break the clock runs in has used up its time (:func:`wat_tui.review.clock.spent_break`): it ends by
    itself, recorded as the facilitator's end of a break is (B then Esc), in timer intervals, so a reopened app,
    the room's view, the report and a merged file read the same.

    This laptop's break interval stops at the moment the break's time was used up, and the clock goes on from
    that moment, timing ``question`` (the one on screen, where the room stays) in its block, else in the first
    block after the break that is not a break. Writes nothing and returns None when the clock is not running in
    a spent break, or no block is left to go on in, or (given ``running``, the id of the interval the caller saw
    running) the stored clock runs another interval than that.
    """
    now = utc(now)
    tl = load_timeline(review, sid, state, live=True)
    at = spent_break(tl, now)
    cur = tl.current(now)
    if at is None or cur is None or (running is not None and cur.id != running):
        return None
    block = next((b.id for b in tl.blocks if question is not None and question in tl.keys(b)), None)
    if block is None:
        ids = [b.id for b in tl.blocks]
        rest = tl.blocks[ids.index(cur.block) + 1:] if cur.block in ids else ()
        block = next((b.id for b in rest if b.kind != "break"), None)
    if block is None:
        return None
    return _switch(review, sid, at, block, question)


def load_timeline(review: Review, sid: str, state: SessionState | None = None, live: bool = False) -> Timeline:
    """A snapshot for :func:`wat_tui.review.clock.clock_strip`; reload it after every edit.

    ``live``: for the running app, whose own open interval counts up to now (see :func:`intervals`).
    """
    st = state or review.state(sid)
    blocks = load_agenda(review, sid, state=st)
    parking = {k: usable for k, vs in review.registers(sid, PARKING_PREFIX).items()
               if _is(k, "parking") and (usable := [v for v in vs if readable(k, v.value)])}
    parked = frozenset(k.removeprefix(PARKING_PREFIX) for k, vs in parking.items() if current(vs) is not None)
    answered = review.registers(sid, ANSWER_PREFIX)
    # When each question was settled (answered or parked), so that pace counts only what the room did after
    # the clock started: answers prepared beforehand are not pace.
    settled: dict[str, datetime] = {}
    for prefix, regs, keys in ((ANSWER_PREFIX, answered, st.answers.keys()), (PARKING_PREFIX, parking, parked)):
        for target, values in regs.items():
            key = target.removeprefix(prefix)
            if key in keys:
                when = min(_stamp_time(v.hlc) for v in values)
                settled[key] = min(when, settled.get(key, when))
    return Timeline(tuple(blocks), tuple(intervals(review, sid, live)), tuple(st.lenses), frozenset(st.answers),
                    parked, settled)


def _stamp_time(hlc: str) -> datetime:
    return datetime.fromtimestamp(int(hlc.split("-", 1)[0]) / 1000, UTC)


# -- parking lot ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParkedQuestion:
    key: str
    lens: str
    question_id: str
    label: str
    title: str
    pillar: str
    reason: str
    parked_by: str


def _check_question(state: SessionState, key: str) -> tuple[str, str]:
    alias, _, qid = key.partition("/")
    lens = state.lens(alias)
    if lens is None or lens.question(qid) is None:
        raise NotFound(f"session {state.name!r} has no question {key!r}")
    return alias, qid


def park_question(review: Review, sid: str, key: str, reason: str = "", parked_by: str = "") -> None:
    """Move a question to the parking lot for offline follow-up (undoable)."""
    _check_question(review.state(sid), key)
    review.write(sid, [(PARKING_PREFIX + key, {"reason": reason, "parked_by": parked_by})])


def unpark_question(review: Review, sid: str, key: str) -> None:
    if current(review.values(sid, PARKING_PREFIX + key)) is None:
        raise NotFound(f"question {key!r} is not in the parking lot")
    review.write(sid, [(PARKING_PREFIX + key, None)])


def parking_lot(review: Review, sid: str, state: SessionState | None = None) -> list[ParkedQuestion]:
    """The parked questions, in lens and question order, for the workspace and the report."""
    st = state or review.state(sid)
    regs = _parking(review, sid)
    out = []
    for lens in st.lenses:
        for q in lens.questions:
            key = f"{lens.alias}/{q.id}"
            value = regs.get(key)
            if isinstance(value, dict):
                out.append(ParkedQuestion(key, lens.alias, q.id, q.label, q.title, q.pillar_id,
                                          str(value.get("reason") or ""), str(value.get("parked_by") or "")))
    return out


def _parking(review: Review, sid: str) -> dict[str, Any]:
    """Question key -> its parking register's current value (None once unparked)."""
    regs = review.registers(sid, PARKING_PREFIX)
    return {k.removeprefix(PARKING_PREFIX): current([v for v in vs if readable(k, v.value)])
            for k, vs in regs.items() if _is(k, "parking")}


def _is(target: str, kind: str) -> bool:
    """Whether ``target`` is of the declared form ``kind`` (``timer/<uuid>``, not ``timer/a/b``)."""
    found = target_kind(target)
    return found is not None and found.name == kind


# -- time report ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionTime:
    key: str
    label: str
    title: str
    #: The question's share of its block: block seconds / questions in the block.
    planned_seconds: float
    actual_seconds: float
    answered: bool
    parked: bool


@dataclass(frozen=True)
class BlockTime:
    #: None for time recorded against no block.
    block_id: str | None
    #: A block kind, or "removed" for time recorded against a block no longer in the agenda.
    kind: str
    title: str
    planned_seconds: float
    actual_seconds: float
    questions: tuple[QuestionTime, ...] = ()

    @property
    def over_seconds(self) -> float:
        """Actual minus planned: positive = overran."""
        return self.actual_seconds - self.planned_seconds


def time_report(review: Review, sid: str, now: datetime, timeline: Timeline | None = None) -> list[BlockTime]:
    """Planned against actual, per agenda block (in agenda order) and per question, as of ``now``.

    Time recorded against blocks that were later removed from the agenda is listed after them (kind
    "removed"), so no recorded time goes missing from the report. Overlapping intervals from two laptops count
    once per row. ``timeline``: the session's, already loaded (the report reads the session once).
    """
    now = utc(now)
    tl = timeline if timeline is not None else load_timeline(review, sid)
    rows = []
    for b in tl.blocks:
        pairs = block_questions(b, tl.lenses)
        share = b.minutes * 60.0 / len(pairs) if pairs else 0.0
        qs = tuple(
            QuestionTime(key, q.label, q.title, share, tl.question_elapsed(key, now), key in tl.done,
                         key in tl.parked)
            for lens, q in pairs for key in [f"{lens.alias}/{q.id}"]
        )
        rows.append(BlockTime(b.id, b.kind, b.title, b.minutes * 60.0, tl.block_elapsed(b.id, now), qs))
    known = {b.id for b in tl.blocks}
    for bid in dict.fromkeys(iv.block for iv in tl.intervals if iv.block not in known):
        rows.append(BlockTime(bid, "removed", "Time outside the agenda", 0.0, tl.block_elapsed(bid, now)))
    return rows
