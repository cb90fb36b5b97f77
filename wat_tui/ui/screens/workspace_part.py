"""What the parts of the workspace share: the session on screen and where the room is in it.

The workspace is one screen built from parts, each with its own keys and actions: notes (workspace_notes.py), time
(workspace_time.py) and exchange (workspace_exchange.py). :class:`WorkspaceScreen` (workspace.py) inherits them all,
so a part's keys work wherever focus is on the workspace. A part sees the workspace only through the public members
of this class; painting is the screen's, and a part asks for it through :meth:`WorkspacePart.reload` and
:meth:`WorkspacePart.go_to_key`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wat_tui.lens.model import Lens, Question
from wat_tui.review.service import Review
from wat_tui.review.state import SessionState
from wat_tui.ui.base import WatScreen
from wat_tui.ui.roomclock import RoomClock
from wat_tui.ui.themes import Palette

if TYPE_CHECKING:
    from wat_tui.review.followup_meeting import FollowupMeeting


class WorkspacePart(WatScreen[None]):
    """The session on screen, its clock and the open question; no widgets."""

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.state: SessionState = self.review.state(session_id)
        #: The follow-up meeting this screen runs (``wat-tui followup``), or None in a review.
        self.followup: FollowupMeeting | None = self.wat_app.followup_for(session_id)
        if self.followup is not None:
            from wat_tui.ui.followup_clock import FollowupClock

            self.clock: RoomClock = FollowupClock(self.review, session_id, self.wat_app.now, self.followup,
                                                  self.state)
        else:
            self.clock = RoomClock(self.review, session_id, self.wat_app.now, self.state)
        #: Every question of the session, in the order the room takes them; in a follow-up, only its open risks.
        self.order: list[tuple[Lens, Question]] = self._agenda_order()
        keys = [f"{lens.alias}/{q.id}" for lens, q in self.order]
        saved = self.review.position(session_id)
        # A session opened for the first time starts where its agenda starts; a follow-up at its first risk.
        #: Where the open question stands in :attr:`order`.
        self.index = keys.index(saved) if saved in keys and self.followup is None else 0

    @property
    def review(self) -> Review:
        return self.wat_app.review

    @property
    def palette(self) -> Palette:
        return self.wat_app.palette

    @property
    def current(self) -> tuple[Lens, Question]:
        """The open question and its lens."""
        return self.order[self.index]

    @property
    def current_key(self) -> str:
        """The open question as ``alias/id``, the key its answer, notes and time are stored under."""
        lens, q = self.current
        return f"{lens.alias}/{q.id}"

    def author(self) -> str:
        """The name on what the room adds: this laptop's facilitator (``--as NAME``, or asked once), else the
        session's only facilitator, else this laptop's computer account. Never another laptop's facilitator
        just because a merge brought them into the participants."""
        if self.review.facilitator_named:
            return self.review.writer_name
        facilitators = [p.name for p in self.state.participants if p.role == "Facilitator"]
        return facilitators[0] if len(facilitators) == 1 else self.review.writer_name

    def reread(self) -> None:
        """Read the session again after an edit; the open question stays open if the agenda moved it."""
        current = self.current_key
        self.state = self.review.state(self.session_id)
        self.clock.reload(self.state)
        order = self._agenda_order()
        if order != self.order:  # the agenda changed: same question, new place in the order
            self.order = order
            self.index = next((i for i, (lens, q) in enumerate(order) if f"{lens.alias}/{q.id}" == current), 0)

    def _agenda_order(self) -> list[tuple[Lens, Question]]:
        """Questions in the order the room takes them: block by block as the agenda runs (so next question and
        next pillar follow it), then any question no block covers, in lens order. A follow-up walks only its
        open high and medium risks, in the plan's order."""
        tl = self.clock.timeline
        by_key = {f"{lens.alias}/{q.id}": (lens, q) for lens in self.state.lenses for q in lens.questions}
        if self.followup is not None:  # the open risks as the plan takes them; with none, every question
            walk = [by_key[k] for k in self.followup.questions if k in by_key]
            if walk:
                return walk
        keys = dict.fromkeys(k for b in tl.blocks for k in tl.keys(b) if k in by_key)
        keys.update(dict.fromkeys(by_key))  # then what no block covers, in lens order
        return [by_key[k] for k in keys]

    if TYPE_CHECKING:  # painted by WorkspaceScreen (workspace.py), which every part is a base of
        def reload(self, key: str | None = None) -> None:
            """Re-read the session after an edit and repaint what it touched: the question ``key``, or all."""

        def go_to_key(self, key: str) -> None:
            """Open the question ``alias/id``."""
