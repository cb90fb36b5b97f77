"""Clocks, pacing and alerts: pure functions of stored timer intervals and an explicit ``now``.

Nothing here reads the wall clock. The app passes ``SystemClock().now()``; tests and benchmarks pass a clock
they move by hand (``tests/clocks.py``). Time is always recomputed from the stored intervals (see
``review.timekeeping``), never counted in memory, so a restart shows the same clocks as before it.

The workspace strip calls :func:`clock_strip` once a second with a :class:`Timeline` (loaded by
``timekeeping.load_timeline`` after every edit) and reads a :class:`ClockStrip`:

- ``elapsed``: session time, the measure of the *union* of all intervals (an open one counts up to ``now``),
  so two laptops timing the same room are never summed twice; pauses are the gaps between intervals.
- ``block_remaining``: the current block's planned seconds minus the time recorded against it; negative is the
  overrun.
- ``question_elapsed`` against ``question_share`` (the block's seconds divided by its number of questions).
- ``behind`` (seconds; negative = ahead) and ``projected_end``, defined in :func:`pace`.
- ``suggestions``: when behind by ``suggest_after`` seconds or more, the current block's questions that could
  go to the parking lot (:func:`park_suggestions`).

:class:`AlertTracker` turns the countdown into "2 minutes left" and "time is up" alerts, each raised once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Literal, Protocol

from wat_tui.lens.model import Lens
from wat_tui.review.agenda import Block, block_questions

Status = Literal["not started", "running", "paused"]
#: Counted seconds before the pace is judged ("pace: after 10 min" until then); the plan is assumed meanwhile.
PACE_WARMUP = 600.0
#: The pace extrapolation is clamped to this factor faster or slower than plan.
MAX_RATE = 3.0


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def utc(when: datetime) -> datetime:
    """``when`` in UTC; a naive datetime is a programming error (its zone is unknowable)."""
    if when.tzinfo is None:
        raise ValueError(f"naive datetime {when!r}: pass a timezone-aware time")
    return when.astimezone(UTC)


def iso(when: datetime) -> str:
    return utc(when).isoformat()


@dataclass(frozen=True)
class Interval:
    """One stored stretch of timing: which block and question, from ``start`` to ``stop`` (None: open)."""

    id: str
    block: str | None
    question: str | None
    start: datetime
    stop: datetime | None = None
    #: The stop is not stored: the interval was left open and counts up to its writer's last activity.
    assumed: bool = False

    @property
    def order(self) -> tuple[datetime, bool, datetime, str]:
        """Sort key: by start, then a zero-length or stopped one before the one that went on from it."""
        return (self.start, self.stop is None, self.stop or self.start, self.id)

    def span(self, now: datetime) -> tuple[float, float] | None:
        """Start and end as timestamps, cut off at ``now``; None when it has not begun by then."""
        start = self.start.timestamp()
        end = min(self.stop.timestamp() if self.stop else now.timestamp(), now.timestamp())
        return (start, end) if end > start else None


def covered(intervals: Iterable[Interval], now: datetime,
            keep: Callable[[Interval], bool] | None = None) -> float:
    """Seconds covered by the union of the (kept) intervals up to ``now``."""
    spans = []
    for iv in intervals:
        if keep is None or keep(iv):
            span = iv.span(now)
            if span is not None:
                spans.append(span)
    spans.sort()
    total = 0.0
    cur_start = cur_end = None
    for start, end in spans:
        if cur_end is None or start > cur_end:
            if cur_end is not None and cur_start is not None:
                total += cur_end - cur_start
            cur_start, cur_end = start, end
        else:
            cur_end = max(cur_end, end)
    if cur_end is not None and cur_start is not None:
        total += cur_end - cur_start
    return total


class Coverage:
    """The union of a fixed set of intervals, with the stopped ones merged once, so a tick costs little.

    The clock strip asks for the same sums every second; intervals are only added, so a :class:`Timeline`
    builds these once per reload and each tick only adds the open interval's stretch up to ``now``. A ``now``
    earlier than the last stop (a report "as of" the past) falls back to :func:`covered`.
    """

    def __init__(self, intervals: Iterable[Interval]) -> None:
        self.intervals = tuple(intervals)
        closed = sorted((iv.start.timestamp(), iv.stop.timestamp()) for iv in self.intervals
                        if iv.stop is not None and iv.stop > iv.start)
        self.merged: list[tuple[float, float]] = []
        for start, end in closed:
            if self.merged and start <= self.merged[-1][1]:
                self.merged[-1] = (self.merged[-1][0], max(self.merged[-1][1], end))
            else:
                self.merged.append((start, end))
        self.closed_total = sum(end - start for start, end in self.merged)
        self.last_stop = max((iv.stop.timestamp() for iv in self.intervals if iv.stop is not None),
                             default=float("-inf"))
        self.open_starts = sorted(iv.start.timestamp() for iv in self.intervals if iv.stop is None)

    def at(self, now: datetime) -> float:
        t = now.timestamp()
        if t < self.last_stop:
            return covered(self.intervals, now)
        first = next((s for s in self.open_starts if s < t), None)
        if first is None:
            return self.closed_total
        overlap = 0.0
        for start, end in reversed(self.merged):
            if end <= first:
                break
            overlap += end - max(start, first)
        return self.closed_total + (t - first) - overlap


def running(intervals: Iterable[Interval], now: datetime) -> Interval | None:
    """The open interval started last (by ``now``), if any."""
    open_ = [iv for iv in intervals if iv.stop is None and iv.start <= now]
    return max(open_, key=lambda iv: iv.order) if open_ else None


def latest(intervals: Iterable[Interval]) -> Interval | None:
    ivs = list(intervals)
    return max(ivs, key=lambda iv: iv.order) if ivs else None


@dataclass(frozen=True)
class Timeline:
    """What the clocks are computed from: one session's agenda, intervals, lenses and progress."""

    blocks: tuple[Block, ...]
    intervals: tuple[Interval, ...]
    lenses: tuple[Lens, ...] = ()
    #: Question keys ``alias/qid`` answered (including not applicable).
    done: frozenset[str] = frozenset()
    #: Question keys in the parking lot.
    parked: frozenset[str] = frozenset()
    #: When each answered or parked question was settled (its register's stamp), for pace.
    settled: Mapping[str, datetime] = field(default_factory=dict, compare=False)

    def block(self, block_id: str | None) -> Block | None:
        return next((b for b in self.blocks if b.id == block_id), None)

    @cached_property
    def _keys(self) -> dict[str, tuple[str, ...]]:
        return {b.id: tuple(f"{lens.alias}/{q.id}" for lens, q in block_questions(b, self.lenses))
                for b in self.blocks}

    def keys(self, block: Block) -> tuple[str, ...]:
        """The question keys a block covers."""
        return self._keys.get(block.id, ())

    @cached_property
    def planned_seconds(self) -> float:
        return sum(b.minutes for b in self.blocks) * 60.0

    @cached_property
    def started(self) -> datetime | None:
        """When the session clock first started; None before."""
        return min((iv.start for iv in self.intervals), default=None)

    @cached_property
    def prefilled(self) -> frozenset[str]:
        """Answers prepared before the workshop and not yet confirmed by the room: answered questions whose
        current answer was written before the session clock first started. Before the clock has ever started
        (or in a review run without it) nothing tells preparation from the room's work, so nothing is marked.
        Confirming (:meth:`wat_tui.review.service.Review.confirm_answer`) writes the answer again, in the room."""
        started = self.started
        if started is None:
            return frozenset()
        return frozenset(k for k in self.done if k in self.settled and self.settled[k] < started)

    @cached_property
    def shares(self) -> dict[str, float]:
        """Each question's planned seconds: its block's time split evenly between the block's questions."""
        out: dict[str, float] = {}
        for b in self.blocks:
            keys = self.keys(b)
            for k in keys:
                out[k] = out.get(k, 0.0) + b.minutes * 60.0 / len(keys)
        return out

    @cached_property
    def _ordered(self) -> tuple[Interval, ...]:
        return tuple(sorted(self.intervals, key=lambda iv: iv.order))

    def _running(self, now: datetime) -> Interval | None:
        if self._ordered and now >= self._ordered[-1].start:  # the usual case: nothing starts after now
            return next((iv for iv in reversed(self._ordered) if iv.stop is None), None)
        return running(self.intervals, now)

    def status(self, now: datetime) -> Status:
        if self._running(now) is not None:
            return "running"
        return "paused" if self.intervals else "not started"

    def current(self, now: datetime) -> Interval | None:
        """The running interval, or when paused the last one (whose block and question the room is on)."""
        found = self._running(now)
        if found is not None:
            return found
        if self._ordered and now >= self._ordered[-1].start:
            return self._ordered[-1]
        return latest(iv for iv in self.intervals if iv.start <= now)

    @cached_property
    def _all(self) -> Coverage:
        return Coverage(self.intervals)

    @cached_property
    def _by_block(self) -> dict[str | None, Coverage]:
        groups: dict[str | None, list[Interval]] = {}
        for iv in self.intervals:
            groups.setdefault(iv.block, []).append(iv)
        return {k: Coverage(v) for k, v in groups.items()}

    @cached_property
    def _by_question(self) -> dict[str | None, Coverage]:
        groups: dict[str | None, list[Interval]] = {}
        for iv in self.intervals:
            groups.setdefault(iv.question, []).append(iv)
        return {k: Coverage(v) for k, v in groups.items()}

    def elapsed(self, now: datetime) -> float:
        return self._all.at(utc(now))

    def block_elapsed(self, block_id: str | None, now: datetime) -> float:
        """Time recorded against the block (None: against no block)."""
        cov = self._by_block.get(block_id)
        return cov.at(utc(now)) if cov else 0.0

    def question_elapsed(self, key: str, now: datetime) -> float:
        cov = self._by_question.get(key)
        return cov.at(utc(now)) if cov else 0.0


def spent_break(tl: Timeline, now: datetime) -> datetime | None:
    """When the running break's time was used up: the moment the time recorded against the break block the clock
    runs in reached the block's minutes (never before the running interval began: a break already spent when the
    clock started again in it is over at once). None unless the clock runs in a break block whose time is all
    used by ``now``; a paused clock, or any other block running over, is the room's to move on.
    """
    now = utc(now)
    if tl.status(now) != "running":
        return None
    cur = tl.current(now)
    block = tl.block(cur.block) if cur is not None else None
    if cur is None or block is None or block.kind != "break":
        return None
    over = tl.block_elapsed(block.id, now) - block.minutes * 60.0
    if over < 0:
        return None
    return max(cur.start, now - timedelta(seconds=over))


@dataclass(frozen=True)
class Pace:
    elapsed: float
    #: Planned seconds' worth of the agenda the room got through since the clock started (see :func:`pace`).
    progress: float
    #: ``elapsed - progress``: positive = behind, negative = ahead. Meaningful only when ``known``.
    behind: float
    projected_end: datetime
    #: Enough time has been counted (``PACE_WARMUP``) to judge the pace at all.
    known: bool = True


def pace(tl: Timeline, now: datetime) -> Pace:
    """How far the room got since the clock started, against the plan for the time it used.

    Progress is counted in planned seconds. A question answered or parked *after the clock started* brings its
    share of its block's time (block minutes / questions in the block); questions settled before (prepared
    answers) bring nothing, since no room time went into them, but they are no longer left to do. Time in a
    block without questions (break, wrap-up) is progress up to the block's length; an opening block is passed,
    neither done nor left, once time has been recorded in any other block. The time since the last question was
    settled counts as work in progress, up to one average question share, so discussing a question within its
    share is on pace. Nothing here depends on the question on screen, so browsing never moves the pace.

    ``behind`` is the time used minus that progress; ``known`` is false until ``PACE_WARMUP`` seconds are
    counted, and then nothing is said of being ahead or behind. ``projected_end`` is ``now`` plus the planned
    time of what is left, its question part stretched by the pace so far (time used / progress, within
    ``MAX_RATE`` either way) once the pace is known.
    """
    now = utc(now)
    elapsed = tl.elapsed(now)
    started = tl.started
    shares = tl.shares
    finished = tl.done | tl.parked
    since = {k: t for k, t in tl.settled.items()
             if k in finished and k in shares and started is not None and t >= started}
    progress = sum(shares[k] for k in since)
    left = sum(v for k, v in shares.items() if k not in finished)
    other_blocks = [b.id for b in tl.blocks if b.kind != "opening"]
    moved_on = any(tl.block_elapsed(bid, now) > 0 for bid in other_blocks)
    fixed_left = 0.0
    for b in tl.blocks:
        if tl.keys(b):
            continue
        planned = b.minutes * 60.0
        spent = min(planned, tl.block_elapsed(b.id, now))
        progress += spent
        if not (b.kind == "opening" and moved_on):
            fixed_left += planned - spent
    questions = [k for b in tl.blocks for k in tl.keys(b)]
    average = sum(shares.values()) / len(questions) if questions else 0.0
    last = max(since.values(), default=started)
    in_progress = 0.0
    if last is not None and left > 0:
        # Time on questions since the last one was settled (time in breaks is progress of its own, above).
        working = sum(tl.block_elapsed(b.id, now) - tl.block_elapsed(b.id, min(last, now))
                      for b in tl.blocks if tl.keys(b))
        in_progress = min(average, left, max(0.0, working))
    progress += in_progress
    left -= in_progress
    known = elapsed >= PACE_WARMUP
    rate = 1.0
    if known:
        rate = min(MAX_RATE, max(1 / MAX_RATE, elapsed / progress)) if progress > 0 else MAX_RATE
    return Pace(elapsed, progress, elapsed - progress, now + timedelta(seconds=left * rate + fixed_left), known)


def park_suggestions(tl: Timeline, block_id: str) -> list[str]:
    """The block's unanswered, unparked questions whose missing practices are all LOW risk.

    For an unanswered question every practice is missing, so it qualifies when each of its choices (other than
    "None of these") has ``risk_level`` LOW. A choice whose level the lens does not give is not assumed LOW.
    """
    block = tl.block(block_id)
    if block is None:
        return []
    out = []
    for lens, q in block_questions(block, tl.lenses):
        key = f"{lens.alias}/{q.id}"
        if key in tl.done or key in tl.parked:
            continue
        levels = [c.risk_level for c in q.choices if not c.is_none_choice]
        if levels and all(level == "LOW" for level in levels):
            out.append(key)
    return out


@dataclass(frozen=True)
class ClockStrip:
    now: datetime
    status: Status
    elapsed: float
    planned: float
    behind: float
    projected_end: datetime
    block: Block | None
    block_remaining: float | None
    question: str | None
    question_elapsed: float | None
    question_share: float | None
    #: The block's unanswered questions with only LOW-level practices: offered for the parking lot when the
    #: block runs over or the room is behind.
    suggestions: tuple[str, ...]
    #: Enough time counted to say ahead or behind (see :func:`pace`).
    pace_known: bool = True

    @property
    def overrun(self) -> bool:
        return self.block_remaining is not None and self.block_remaining < 0


def clock_strip(tl: Timeline, now: datetime, suggest_after: float = 300.0) -> ClockStrip:
    """Every value the workspace strip shows, at ``now``."""
    now = utc(now)
    p = pace(tl, now)
    cur = tl.current(now)
    block = tl.block(cur.block) if cur else None
    remaining = share = q_elapsed = None
    if block is not None:
        remaining = block.minutes * 60.0 - tl.block_elapsed(block.id, now)
        keys = tl.keys(block)
        share = block.minutes * 60.0 / len(keys) if keys else None
    question = cur.question if cur else None
    if question is not None:
        q_elapsed = tl.question_elapsed(question, now)
    suggestions: tuple[str, ...] = ()
    if block is not None and ((p.known and p.behind >= suggest_after) or (remaining is not None and remaining < 0)):
        suggestions = tuple(park_suggestions(tl, block.id))
    return ClockStrip(now, tl.status(now), p.elapsed, tl.planned_seconds, p.behind, p.projected_end, block,
                      remaining, question, q_elapsed, share, suggestions, p.known)


@dataclass(frozen=True)
class Alert:
    block_id: str
    #: Seconds left when it fires: 120 ("2 minutes left") or 0 ("time is up").
    threshold: float
    remaining: float

    @property
    def kind(self) -> Literal["warning", "overrun"]:
        return "overrun" if self.threshold <= 0 else "warning"


class AlertTracker:
    """Raise each block's alerts once, as its countdown crosses each threshold.

    The tracker remembers, in memory, the last remaining time it saw per block (a few numbers per agenda
    block, so it never grows). An alert fires when the remaining time goes from above a threshold to at or
    below it. The first time a block is seen (the app just opened, or the block was just entered) there is no
    previous value, so "already fired" is decided from the time itself: if the threshold was passed more than
    ``grace`` seconds ago, the moment is gone and nothing fires; within ``grace`` it fires (a tick can arrive
    late). So reopening the app long after a block ran out does not ring for it again. If the block is
    lengthened and the remaining time rises back above a threshold, that alert is armed again.
    """

    def __init__(self, thresholds: Iterable[float] = (120.0, 0.0), grace: float = 5.0) -> None:
        self.thresholds = tuple(sorted(thresholds, reverse=True))
        self.grace = grace
        self._last: dict[str, float] = {}

    def update(self, block_id: str | None, remaining: float | None) -> list[Alert]:
        if block_id is None or remaining is None:
            return []
        before = self._last.get(block_id)
        self._last[block_id] = remaining
        fired = []
        for t in self.thresholds:
            crossed = before > t >= remaining if before is not None else t - self.grace < remaining <= t
            if crossed:
                fired.append(Alert(block_id, t, remaining))
        return fired

    def forget(self, keep: Iterable[str]) -> None:
        """Drop blocks no longer in the agenda."""
        wanted = set(keep)
        for bid in [b for b in self._last if b not in wanted]:
            del self._last[bid]
