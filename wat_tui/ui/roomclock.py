"""The workspace's timekeeper: follows the room from question to question and block to block, and turns the
stored intervals into the clock strip and its alerts. Time always comes from the store, never from a counter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from wat_tui.review import timekeeping as tk
from wat_tui.review.agenda import block_questions
from wat_tui.review.clock import Alert, AlertTracker, ClockStrip, Interval, Timeline, clock_strip, spent_break
from wat_tui.review.service import Review
from wat_tui.review.state import SessionState
from wat_tui.store.errors import StoreError


class RoomClock:
    def __init__(self, review: Review, session_id: str, now: Callable[[], datetime],
                 state: SessionState | None = None) -> None:
        self.review = review
        self.session_id = session_id
        self.now = now
        self.alerts = AlertTracker()
        #: This laptop's interval left open by an app that ended abnormally, until the facilitator says whether
        #: the time while closed counts (:meth:`settle_closed_time`); meanwhile it counts only to the last
        #: activity, and no heartbeat is written.
        self.left_open: Interval | None = tk.left_running(review, session_id, now())
        self.timeline: Timeline = tk.load_timeline(review, session_id, state, live=self.left_open is None)
        self._suggested: set[str] = set()
        self._beat: datetime | None = None
        #: Why the last heartbeat was refused by the database, until one is saved; it is tried every tick.
        self.problem: StoreError | None = None

    def reload(self, state: SessionState | None = None) -> None:
        """After any edit: answers change progress, agenda edits change the plan."""
        self.timeline = tk.load_timeline(self.review, self.session_id, state, live=self.left_open is None)

    def strip(self) -> ClockStrip:
        return clock_strip(self.timeline, self.now())

    def settle_closed_time(self, count: bool) -> None:
        """The facilitator's answer about :attr:`left_open`: count the time while closed, or drop it."""
        if not count:
            tk.drop_closed_time(self.review, self.session_id)
        self.left_open = None
        self.heartbeat(force=True)
        self.reload()

    def heartbeat(self, force: bool = False) -> None:
        """While the clock runs, say so every ``HEARTBEAT_EVERY`` seconds (a crash then loses no more)."""
        if self.left_open is not None:
            return
        now = self.now()
        if force or self._beat is None or (now - self._beat).total_seconds() >= tk.HEARTBEAT_EVERY:
            tk.heartbeat(self.review, self.session_id, now)
            self._beat = now

    def close(self) -> bool:
        """The app is leaving the session (quit, or another session): stop the clock now. True if it ran."""
        now = self.now()
        if self.timeline.status(now) != "running":
            return False
        tk.pause(self.review, self.session_id, now)
        self.reload()
        return True

    def tick(self) -> tuple[ClockStrip, list[Alert], list[str]]:
        """The strip now, the alerts that fire now, and park suggestions not offered before for this block."""
        cs = self.strip()
        if cs.status == "running":
            try:
                self.heartbeat()
            except StoreError as exc:
                self.problem = exc
            else:
                self.problem = None
        fired = self.alerts.update(cs.block.id if cs.block else None, cs.block_remaining)
        fresh: list[str] = []
        if cs.block is not None and cs.suggestions and cs.block.id not in self._suggested:
            self._suggested.add(cs.block.id)
            fresh = list(cs.suggestions)
        return cs, fired, fresh

    def end_spent_break(self, question: str, state: SessionState | None = None) -> bool:
        """Each tick, after :meth:`tick` (so a break's "time is up" is said first): a running break whose time is
        over ends by itself, the clock going on with ``question``, the one on screen
        (:func:`wat_tui.review.timekeeping.end_spent_break`). True when it ended (the timeline is reloaded).

        Only the interval this timeline runs is ended, as stored: nothing is written for a timeline the store
        does not hold. A refused write is :attr:`problem`, and tried again next tick.
        """
        now = self.now()
        if spent_break(self.timeline, now) is None:
            return False
        cur = self.timeline.current(now)
        try:
            ended = tk.end_spent_break(self.review, self.session_id, now, question, state,
                                       running=cur.id if cur else None)
        except StoreError as exc:
            self.problem = exc
            return False
        if ended is None:
            return False
        self.reload(state)
        return True

    @property
    def status(self) -> str:
        return self.timeline.status(self.now())

    def start_or_pause(self) -> str:
        """c: start the session clock, pause it, or resume it. Returns what happened, for a notification."""
        now = self.now()
        status = self.timeline.status(now)
        if status == "running":
            tk.pause(self.review, self.session_id, now)
            result = "Clock paused."
        elif status == "paused":
            tk.resume(self.review, self.session_id, now)
            result = "Clock running again."
        else:
            tk.start_session_clock(self.review, self.session_id, now)
            result = "Session clock started."
        if status != "running":
            self.heartbeat(force=True)
        self.reload()
        return result

    def follow(self, question_key: str, state: SessionState | None = None) -> None:
        """The room turned to a question: enter its agenda block if it is another one, and time the question.

        Writes (and reloads the timeline) only when the clock runs and the question or block really changed.
        """
        now = self.now()
        current = self.timeline.current(now)
        if self.timeline.status(now) != "running" or current is None or current.question == question_key:
            return
        block = self.block_of(question_key)
        if block is not None and current.block != block:
            tk.enter_block(self.review, self.session_id, block, now)
        tk.set_question(self.review, self.session_id, question_key, now)
        self.reload(state)

    def block_of(self, question_key: str) -> str | None:
        for b in self.timeline.blocks:
            for lens, q in block_questions(b, self.timeline.lenses):
                if f"{lens.alias}/{q.id}" == question_key:
                    return b.id
        return None
