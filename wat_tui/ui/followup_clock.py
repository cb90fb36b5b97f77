"""The workspace's timekeeper in a follow-up meeting (``wat-tui followup SESSION``): the same face as
:class:`~wat_tui.ui.roomclock.RoomClock`, so the clock bar, its alerts and the keys work unchanged, but it runs
the follow-up plan's blocks on a timer kept in memory (see :mod:`wat_tui.review.followup_meeting` for why
nothing of it is written to the session's clock). Answers, notes and action statuses are saved as always."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from wat_tui.review import timekeeping as tk
from wat_tui.review.clock import Alert, AlertTracker, ClockStrip, Timeline
from wat_tui.review.followup_meeting import FollowupMeeting, FollowupTimer
from wat_tui.review.service import Review
from wat_tui.review.state import SessionState
from wat_tui.ui.roomclock import RoomClock


class FollowupClock(RoomClock):
    def __init__(self, review: Review, session_id: str, now: Callable[[], datetime], meeting: FollowupMeeting,
                 state: SessionState | None = None) -> None:
        # RoomClock's own start reads the session's stored clock, which a follow-up neither reads nor writes.
        self.review = review
        self.session_id = session_id
        self.now = now
        self.alerts = AlertTracker()
        self.left_open = None
        self._suggested: set[str] = set()
        self._beat = None
        self.problem = None
        self.meeting = meeting
        self.timer = FollowupTimer(meeting)
        #: The session's own timeline: its lenses and parking lot (read again after each edit).
        self._session: Timeline = tk.load_timeline(review, session_id, state)
        self.timeline = self.timer.timeline(self._session)

    def _retime(self) -> None:
        self.timeline = self.timer.timeline(self._session)

    def reload(self, state: SessionState | None = None) -> None:
        self._session = tk.load_timeline(self.review, self.session_id, state)
        self._retime()

    def settle_closed_time(self, count: bool) -> None:
        self.left_open = None

    def heartbeat(self, force: bool = False) -> None:
        """Nothing to say: a follow-up's time is not stored, so a crash leaves no open interval behind."""

    def close(self) -> bool:
        stopped = self.timer.pause(self.now())
        self._retime()
        return stopped

    def tick(self) -> tuple[ClockStrip, list[Alert], list[str]]:
        if self.timer.advance(self.timeline, self.now()):
            self._retime()
        return super().tick()

    def start_or_pause(self) -> str:
        said = self.timer.start_or_pause(self.now())
        self._retime()
        return said

    def follow(self, question_key: str, state: SessionState | None = None) -> None:
        self.timer.follow(question_key, self.timeline, self.now())
        self._retime()

    def to_actions(self) -> None:
        """The board opened: the clock moves to the open actions' time."""
        self.timer.to_actions(self.now())
        self._retime()

    def block_of(self, question_key: str) -> str | None:
        return self.timer.block_of(question_key)
