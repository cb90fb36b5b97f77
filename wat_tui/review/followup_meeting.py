"""The follow-up meeting run in the app (``wat-tui followup SESSION``): the plan of
:func:`wat_tui.review.preparation.followup_plan` as clock blocks, the open questions the room walks, and a
timer for the meeting that lives in memory only.

Why in memory: the follow-up is a separate 30-60 minute meeting. Its minutes must not be added to the workshop's
clock (the report's time per block, the pace) nor its blocks written over the workshop's agenda. What the
follow-up changes is stored as usual, at once, through :class:`wat_tui.review.service.Review`: answers, action
statuses, notes, the parking lot; and its record is the milestone the facilitator takes at the end (``Y``), which
``wat-tui compare`` reads. The plan is made once, when the meeting opens, so a risk the room resolves stays on
the list (the room sees it go to no risk) and the clock's blocks do not move under the facilitator.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from wat_tui.review.agenda import Block, BlockKind
from wat_tui.review.clock import Interval, Timeline, utc
from wat_tui.review.preparation import FollowupItem, followup_plan
from wat_tui.review.service import Review

#: Seconds the clock must have run on a question before leaving it counts as having discussed it (pace).
DISCUSSED_AFTER = 20.0
#: Which agenda kind each follow-up item's block is (a risks block covers questions; the others do not).
_KINDS: dict[str, BlockKind] = {"opening": "opening", "risks": "pillar", "actions": "wrapup", "closing": "wrapup"}


@dataclass(frozen=True)
class FollowupMeeting:
    """A follow-up meeting planned for one session."""

    session_id: str
    plan: tuple[FollowupItem, ...]
    #: The plan as clock blocks, in order.
    blocks: tuple[Block, ...]
    #: The question keys (``alias/qid``) each block covers; blocks without questions are left out.
    block_keys: Mapping[str, tuple[str, ...]]
    #: The open high and medium risk questions, in the plan's order: what ``n``/``p`` walk.
    questions: tuple[str, ...]
    #: The open action items' ids, in the plan's order (taken on the board, ``b``).
    actions: tuple[str, ...]

    @property
    def minutes(self) -> int:
        return sum(b.minutes for b in self.blocks)

    @property
    def nothing_open(self) -> bool:
        return not self.questions and not self.actions


def _clock_title(item: FollowupItem, has_questions: bool) -> str:
    """A block's name for the clock bar, whose head before the colon is what a narrow bar keeps."""
    if item.kind == "opening":
        return "Opening: " + item.title[:1].lower() + item.title[1:]
    if item.kind == "closing":
        return "Close: " + item.title[:1].lower() + item.title[1:]
    if item.kind == "risks" and not has_questions and not item.keys:
        return "Check answers: no open risk or action"
    if item.kind == "actions" and item.title.startswith("Open actions "):
        return "Actions: " + item.title.removeprefix("Open actions ")
    return item.title


def followup_meeting(review: Review, sid: str) -> FollowupMeeting:
    """Plan the follow-up of session ``sid`` as it stands now, from its cadence."""
    st = review.full_state(sid)
    plan = tuple(followup_plan(st, st.analysis, review.cadence(sid)))
    question_keys = {f"{lens.alias}/{q.id}" for lens in st.lenses for q in lens.questions}
    action_ids = {a.id for a in st.actions}
    blocks, block_keys, questions, actions = [], {}, [], []
    for i, item in enumerate(plan):
        keys = tuple(k for k in item.keys if k in question_keys)
        block_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"wat-tui/followup/{sid}/{i}"))
        blocks.append(Block(block_id, _KINDS[item.kind], _clock_title(item, bool(keys)), item.minutes))
        if keys:
            block_keys[block_id] = keys
        questions += [k for k in keys if k not in questions]
        actions += [k for k in item.keys if k in action_ids and k not in actions]
    return FollowupMeeting(sid, plan, tuple(blocks), block_keys, tuple(questions), tuple(actions))


@dataclass(frozen=True)
class FollowupTimeline(Timeline):
    """The clock's view of a follow-up: its blocks cover the questions the plan gives them (not a pillar's or a
    lens's), a question counts as done once the room discussed it, and nothing is marked as prepared (every
    answer predates the meeting: that is what it follows up)."""

    block_keys: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @cached_property
    def _keys(self) -> dict[str, tuple[str, ...]]:
        return {b.id: tuple(self.block_keys.get(b.id, ())) for b in self.blocks}

    @cached_property
    def prefilled(self) -> frozenset[str]:
        return frozenset()


class FollowupTimer:
    """The follow-up's intervals, kept in memory: start, pause, resume, enter a block, turn to a question.

    Where the clock is follows the room, as in the workshop: a question's block while the room is on it, the
    first actions block when the board opens. A block without questions (the opening, the actions, the close)
    hands over to the next block when its time is up, so the opening does not swallow the first question.
    """

    def __init__(self, meeting: FollowupMeeting) -> None:
        self.meeting = meeting
        self.intervals: list[Interval] = []
        #: When the room finished discussing each question (left it after ``DISCUSSED_AFTER`` seconds on it).
        self.discussed: dict[str, datetime] = {}
        #: The question on screen, as the room last turned to it.
        self.here: str | None = None
        self._n = 0

    def timeline(self, base: Timeline) -> FollowupTimeline:
        """The follow-up's timeline; ``base`` (the session's) gives the lenses and the parking lot."""
        return FollowupTimeline(self.meeting.blocks, tuple(self.intervals), base.lenses,
                                frozenset(self.discussed), base.parked, dict(self.discussed),
                                block_keys=self.meeting.block_keys)

    def _open(self) -> Interval | None:
        return next((iv for iv in reversed(self.intervals) if iv.stop is None), None)

    def _stop(self, now: datetime) -> None:
        for i, iv in enumerate(self.intervals):
            if iv.stop is None:
                self.intervals[i] = Interval(iv.id, iv.block, iv.question, iv.start, max(iv.start, now))

    def _switch(self, now: datetime, block: str | None, question: str | None) -> None:
        now = utc(now)
        self._stop(now)
        self._n += 1
        self.intervals.append(Interval(f"followup-{self._n}", block, question, now))

    @property
    def running(self) -> bool:
        return self._open() is not None

    def start_or_pause(self, now: datetime) -> str:
        if self.running:
            self._stop(utc(now))
            return "Follow-up clock paused."
        if self.intervals:
            last = self.intervals[-1]
            self._switch(now, last.block, last.question)
            return "Follow-up clock running again."
        first = self.meeting.blocks[0].id if self.meeting.blocks else None
        self._switch(now, first, None)
        return f"Follow-up clock started: {self.meeting.minutes} minutes planned."

    def pause(self, now: datetime) -> bool:
        if not self.running:
            return False
        self._stop(utc(now))
        return True

    def block_of(self, key: str) -> str | None:
        return next((b for b, keys in self.meeting.block_keys.items() if key in keys), None)

    def follow(self, key: str, tl: Timeline, now: datetime) -> None:
        """The room turned to question ``key``: time it, in its block (the opening runs on until the room moves
        or its time is up)."""
        before, self.here = self.here, key
        cur = self._open()
        if cur is None or cur.question == key:
            return
        if cur.question is not None and tl.question_elapsed(cur.question, now) >= DISCUSSED_AFTER:
            self.discussed.setdefault(cur.question, utc(now))
        block = tl.block(cur.block)
        if block is not None and block.kind == "opening" and cur.question is None and before in (None, key):
            return  # the clock was started on this question: the opening's talk is not its time
        self._switch(now, self.block_of(key) or cur.block, key)

    def to_actions(self, now: datetime) -> None:
        """The board opened: the clock moves to the first actions block not yet over (if not in one already)."""
        cur = self._open()
        if cur is None:
            return
        mine = [b for b in self.meeting.blocks if b.kind == "wrapup" and b is not self.meeting.blocks[-1]]
        if not mine or any(b.id == cur.block for b in mine):
            return
        tl = self.timeline(Timeline((), ()))
        fresh = [b for b in mine if tl.block_elapsed(b.id, now) < b.minutes * 60]
        self._switch(now, fresh[0].id if fresh else mine[-1].id, None)

    def advance(self, tl: Timeline, now: datetime) -> bool:
        """A block without questions whose time is up hands over to the next block: to the question on screen's
        block when the next covers questions. True when the clock moved."""
        cur = self._open()
        block = tl.block(cur.block) if cur is not None else None
        if cur is None or block is None or tl.keys(block):
            return False
        if block.minutes * 60 - tl.block_elapsed(block.id, now) > 0:
            return False
        ids = [b.id for b in self.meeting.blocks]
        i = ids.index(block.id)
        if i + 1 >= len(ids):
            return False  # the close runs over: the bar says so
        nxt = self.meeting.blocks[i + 1]
        if tl.keys(nxt):
            target = self.block_of(self.here) if self.here is not None else None
            self._switch(now, target or nxt.id, self.here if target else None)
        else:
            self._switch(now, nxt.id, None)
        return True
