"""The room's view (``wat-tui present``): a second terminal, on the projector, that follows the facilitator's app
on the same laptop through the local database.

What the room sees, decided from what the facilitator's app stores (:func:`room_mode`):

- **a break**: a large countdown, when the session clock is in a break block (the facilitator pressed ``B``, or
  entered a break on the agenda), with when the room is back and what comes next;
- **the agenda**: before the session clock starts, and in the blocks without questions (the opening, the
  wrap-up), as long as the facilitator stays on the question they were on when that began; the blocks with their
  planned times, the one running now, and per block how many questions are settled and at what risk. The first
  move to another question switches to it. It is also what shows when the facilitator has no question open yet;
- **the question** the facilitator has open otherwise: its risk badge, prompt, practices with their ticks, and
  the notes everyone may read. Private notes, the facilitation hint and the improvement plan never show.

The clock bar is the workspace's (:func:`wat_tui.ui.clocktext.strip_text`). The view reads the session only
when :meth:`Review.outside_changes` moved (polled every :data:`POLL_SECONDS`), repaints the clocks once a second,
and writes nothing of the session: its one write is this laptop's heartbeat (:mod:`wat_tui.ui.presenter_link`),
a local setting that never goes into a bundle. Its keys: quit and theme.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, Vertical
from textual.widgets import ContentSwitcher, Digits, Static

from wat_tui.errors import WatError
from wat_tui.lens.model import Lens, Question
from wat_tui.lens.risk import Risk
from wat_tui.review import agenda as ag
from wat_tui.review import timekeeping as tk
from wat_tui.review.clock import Clock, ClockStrip, SystemClock, Timeline, clock_strip
from wat_tui.review.durations import format_duration
from wat_tui.review.service import Review
from wat_tui.review.state import Answer, SessionState
from wat_tui.store.errors import StoreError
from wat_tui.ui import presenter_link as link
from wat_tui.ui.clocktext import hms, strip_text
from wat_tui.ui.text import plain, visible
from wat_tui.ui.themes import PALETTES, THEME_ORDER, THEMES, Palette
from wat_tui.ui.widgets.badges import BADGES, badge, level_text, risk_colour
from wat_tui.ui.widgets.keybar import key_hints
from wat_tui.ui.widgets.question import REASON_LABELS, choice_key

#: Seconds between looks at whether another process changed the database (a look is one PRAGMA).
POLL_SECONDS = 0.1
#: Block kinds without questions in which the room sees the agenda until the facilitator moves.
AGENDA_KINDS = frozenset({"not started", "opening", "wrapup"})
#: One-column marks per block kind (the agenda screen's break cup is two columns wide in most terminals).
KIND_MARKS = {"opening": "◆", "pillar": "■", "lens": "◇", "break": "◌", "wrapup": "◆"}
#: A note longer than this is cut (the room reads the gist; the report has it whole).
NOTE_CHARS = 280
#: Terminal height from which the question's description is shown under its prompt.
TALL = 30

Mode = Literal["question", "break", "agenda"]


@dataclass(frozen=True)
class Room:
    """One reading of the session, taken after an outside change."""

    state: SessionState
    timeline: Timeline
    #: The question the facilitator has open, ``alias/qid``; None before their app has stored one.
    position: str | None

    def question(self) -> tuple[Lens, Question] | None:
        alias, _, qid = (self.position or "").partition("/")
        lens = self.state.lens(alias)
        q = lens.question(qid) if lens is not None else None
        return (lens, q) if lens is not None and q is not None else None


def read_room(review: Review, sid: str, now: datetime) -> Room:
    """Read what the room's view shows. Only reads: the facilitator's open interval counts up to ``now`` while
    their app is running (its clock heartbeat is fresh), else up to its last activity, as the app itself counts."""
    state = review.state(sid)
    live = tk.left_running(review, sid, now) is None
    return Room(state, tk.load_timeline(review, sid, state, live=live), review.position(sid))


def phase(timeline: Timeline, now: datetime) -> tuple[str, str | None]:
    """Where the session clock is: ("not started", None), or the current block's kind and id."""
    cur = timeline.current(now)
    block = timeline.block(cur.block) if cur is not None else None
    if cur is None:
        return ("not started", None)
    return (block.kind, block.id) if block is not None else ("outside", None)


def room_mode(room: Room, now: datetime, position_at_phase_start: str | None) -> Mode:
    """What the room sees (see the module docstring); ``position_at_phase_start``: the facilitator's question
    when the clock entered its current phase, or when the view opened."""
    kind, _ = phase(room.timeline, now)
    if kind == "break":
        return "break"
    if room.question() is None:
        return "agenda"
    if kind in AGENDA_KINDS and room.position == position_at_phase_start:
        return "agenda"
    return "question"


# -- what each view says ----------------------------------------------------------------------------------------


def question_header(room: Room, lens: Lens, q: Question, palette: Palette) -> Text:
    pillar = lens.pillar(q.pillar_id)
    text = badge(room.state.risk(lens, q), palette, width=0)
    text.append("  ")
    text.append(visible(q.label, single_line=True), style=f"bold {palette.accent}")
    where = f"  {pillar.name} · {lens.name}" if pillar else f"  {lens.name}"
    text.append_text(plain(where, palette.muted, single_line=True))
    if pillar is not None:
        ids = [p.id for p in pillar.questions]
        text.append(f"  ·  question {ids.index(q.id) + 1} of {len(ids)}", style=palette.muted)
    if f"{lens.alias}/{q.id}" in room.timeline.parked:
        text.append("  ⇢ parked for follow-up", style=f"bold {palette.warning}")
    return text


def room_strip(cs: ClockStrip, palette: Palette, width: int) -> Text:
    """The workspace's clock bar, but before the clock starts it says so without the facilitator's key."""
    if cs.status != "not started":
        return strip_text(cs, palette, width)
    text = Text(f"{cs.now.astimezone():%H:%M}", style=f"bold {palette.text}")
    text.append(" │ ", style=palette.muted)
    text.append("○ not started yet", style=f"bold {palette.warning}")
    text.append(f"  planned {format_duration(int(cs.planned // 60))}", style=palette.muted)
    return text


def practices_text(q: Question, answer: Answer, palette: Palette) -> Text:
    """The practices, one line each, ticks as the facilitator records them; the numbers are the facilitator's keys,
    so the room can say "three is in place"."""
    text = Text(end="")
    if answer.not_applicable:
        reason = REASON_LABELS.get(answer.reason or "", answer.reason or "")
        text.append_text(plain(f"Not applicable: {reason}\n\n", f"bold {palette.na}", single_line=True))
        text.append("\n")
    practice = 0
    for c in q.choices:
        index = -1 if c.is_none_choice else practice
        practice += not c.is_none_choice
        na = answer.na_choices.get(c.id)
        if na is not None:
            box, style = "[–]", palette.na
        elif c.id in answer.selected:
            box, style = "[✓]", f"bold {palette.none}"
        else:
            box, style = "[ ]", palette.muted
        text.append(f"{choice_key(index, c)} ", style=f"bold {palette.accent}")
        text.append(box, style=style)
        text.append(" ")
        label = {"HIGH": "HIGH", "MEDIUM": "MED", "LOW": "LOW"}.get(c.risk_level or "", "")
        text.append_text(level_text(c.risk_level, palette, label.ljust(5)) if label else Text("     "))
        text.append_text(plain(c.title, "bold" if c.id in answer.selected else "", single_line=True))
        if na is not None:
            text.append_text(plain(f"  N/A: {REASON_LABELS.get(na, na)}", palette.na, single_line=True))
        text.append("\n")
    text.rstrip()
    return text


def notes_text(room: Room, key: str, palette: Palette) -> Text:
    """The question's notes everyone may read (never a private one) and its action items."""
    notes = [n for n in room.state.notes_for(key) if not n.private]
    actions = room.state.actions_for(key)
    text = Text(end="")
    if notes:
        text.append("Notes\n", style=f"bold {palette.accent}")
    for n in notes:
        text.append("• ", style=palette.accent)
        if n.author:
            text.append_text(plain(f"{n.author}: ", palette.muted, single_line=True))
        body = " ".join(n.body.split())
        text.append_text(plain(body if len(body) <= NOTE_CHARS else body[: NOTE_CHARS - 1] + "…", palette.text))
        text.append("\n")
    if actions:
        text.append("Actions\n", style=f"bold {palette.accent}")
    for a in actions:
        text.append("→ ", style=palette.accent)
        text.append_text(plain(a.title, f"bold {palette.text}", single_line=True))
        detail = " · ".join(x for x in (a.owner, f"due {a.due}" if a.due else "", a.status) if x)
        text.append_text(plain(f"  {detail}", palette.muted, single_line=True))
        text.append("\n")
    text.rstrip()
    return text


def _tally(room: Room, keys: list[tuple[Lens, Question]], palette: Palette) -> Text:
    """How many of these questions are settled, and the high and medium risks among them."""
    risks = [room.state.risk(lens, q) for lens, q in keys]
    parked = sum(f"{lens.alias}/{q.id}" in room.timeline.parked for lens, q in keys)
    settled = sum(r is not Risk.UNANSWERED for r in risks)
    text = Text(f"{settled}/{len(risks)} settled", style=palette.muted)
    for risk in (Risk.HIGH, Risk.MEDIUM):
        n = risks.count(risk)
        if n:
            symbol, word = BADGES[risk]
            text.append(f"  {symbol} {n} {word}", style=f"bold {risk_colour(risk, palette)}")
    if parked:
        text.append(f"  ⇢ {parked} parked", style=palette.warning)
    return text


def agenda_text(room: Room, now: datetime, palette: Palette, width: int = 120) -> Text:
    """The agenda for the room: planned times from when the clock first started (from now before that), the
    block running now, and each block's progress; block titles are cut to leave room for it in ``width``."""
    tl = room.timeline
    cur = tl.current(now)
    ids = [b.id for b in tl.blocks]
    at = ids.index(cur.block) if cur is not None and cur.block in ids else -1
    start = tl.started or now
    text = Text(end="")
    # Times (13), mark (2), minutes (10) and the tally (about 33) around the title, in the view's padding (4).
    title_width = max(12, min(34, width - 62))
    for i, sb in enumerate(ag.schedule(tl.blocks, start)):
        b = sb.block
        mark = "▶" if i == at else "✓" if i < at else KIND_MARKS.get(b.kind, " ")
        style = f"bold {palette.question}" if i == at else palette.muted if i < at else palette.text
        text.append(f"{sb.start.astimezone():%H:%M}–{sb.end.astimezone():%H:%M}  ", style=palette.muted)
        text.append(f"{mark} ", style=f"bold {palette.accent}")
        title = b.title if len(b.title) <= title_width else b.title[: title_width - 1] + "…"
        text.append_text(plain(title.ljust(title_width), style, single_line=True))
        text.append(f"{b.minutes:>4} min  ", style=palette.muted)
        pairs = ag.block_questions(b, tl.lenses)
        if pairs:
            text.append_text(_tally(room, pairs, palette))
        text.append("\n")
    if not tl.blocks:
        text.append("No agenda planned for this session.\n", style=palette.muted)
    every = [(lens, q) for lens in room.state.lenses for q in lens.questions]
    text.append("\nWhole review  ", style=f"bold {palette.text}")
    text.append_text(_tally(room, every, palette))
    return text


def agenda_title(room: Room, now: datetime, palette: Palette) -> Text:
    kind, block_id = phase(room.timeline, now)
    block = room.timeline.block(block_id)
    text = plain("Agenda", f"bold {palette.accent}")
    if kind == "not started":
        minutes = ag.total_minutes(room.timeline.blocks)
        text.append(f"  ·  {minutes // 60}h{minutes % 60:02d} planned · starting soon", style=palette.muted)
    elif block is not None:
        text.append("  ·  now: ", style=palette.muted)
        text.append_text(plain(block.title, f"bold {palette.question}", single_line=True))
    return text


def next_block(timeline: Timeline, block_id: str | None) -> ag.Block | None:
    ids = [b.id for b in timeline.blocks]
    i = ids.index(block_id) if block_id in ids else -1
    return timeline.blocks[i + 1] if 0 <= i < len(ids) - 1 else None


# -- the screen and the app ---------------------------------------------------------------------------------------


class PresenterApp(App[None]):
    """The room's view of one session; read-only (see the module docstring)."""

    CSS_PATH = "presenter.tcss"
    TITLE = "wat-tui: room view"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("q,ctrl+q", "quit", "Quit", priority=True, id="room-quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="room-quit-c"),
        Binding("ctrl+t", "cycle_theme", "Theme", priority=True, id="room-theme"),
    ]

    def __init__(self, review: Review, session_id: str, *, clock: Clock | None = None,
                 theme: str = "wat-projector") -> None:
        super().__init__()
        self.review = review
        self.session_id = session_id
        #: Where the view reads the time: the wall clock, or a test's clock moved by hand.
        self.clock: Clock = clock or SystemClock()
        for t in THEMES:
            self.register_theme(t)
        self.theme = theme
        self.room: Room | None = None
        self.mode: Mode = "agenda"
        #: Why the database could not be read or the heartbeat written, until it can again.
        self.problem: str | None = None
        self._seen: int | None = None
        self._phase: tuple[str, str | None] | None = None
        self._phase_position: str | None = None

    @property
    def palette(self) -> Palette:
        return PALETTES.get(self.theme, PALETTES["wat-projector"])

    @property
    def clock_ticks(self) -> bool:
        """Whether the clocks repaint once a second (a test's clock, moved by hand, leaves it to the test)."""
        return bool(getattr(self.clock, "ticking", True))

    def now(self) -> datetime:
        return self.clock.now()

    def compose(self) -> ComposeResult:
        with Vertical(id="room-top"):
            yield Static(id="room-title")
            yield Static(id="room-clock")
        with ContentSwitcher(initial="room-agenda", id="room-body"):
            with Vertical(id="room-question"):
                yield Static(id="room-q-header")
                yield Static(id="room-q-prompt")
                yield Static(id="room-q-about")
                yield Static(id="room-q-practices")
                yield Static(id="room-q-notes")
            with Middle(id="room-break"), Center():
                yield Static(id="room-break-title")
                yield Digits("00:00", id="room-break-digits")
                yield Static(id="room-break-until")
                yield Static(id="room-break-next")
            with Vertical(id="room-agenda"):
                yield Static(id="room-agenda-title")
                yield Static(id="room-agenda-list")
        yield Static(id="room-keys")

    def on_mount(self) -> None:
        # Intervals, not re-armed one-shot timers: each callback is synchronous, so one can never overlap the
        # next (a late tick is skipped), and one timer task costs less than a new one ten times a second.
        self._poll()
        self.set_interval(POLL_SECONDS, self._poll)
        self._heartbeat()
        self.set_interval(link.HEARTBEAT_EVERY, self._heartbeat)
        if self.clock_ticks:
            self.set_interval(1.0, self.tick)

    # -- following the facilitator --------------------------------------------------------------------------------

    def _poll(self) -> None:
        """Re-read the session when another connection committed (a look is one PRAGMA)."""
        if not self.is_running:  # shutting down: the widgets are going
            return
        try:
            seen = self.review.outside_changes()  # before the read: a commit during it moves it again
            if seen != self._seen or self.room is None:
                self.room = read_room(self.review, self.session_id, self.now())
                self._seen = seen
                self.problem = None
                self.paint()
        except (StoreError, WatError) as exc:
            self._trouble(f"cannot read the session: {exc}")

    def _heartbeat(self) -> None:
        """Tell the facilitator's app that a room view follows (a local setting, re-armed every few seconds)."""
        try:
            link.record_heartbeat(self.review, self.session_id, self.now())
        except StoreError as exc:  # the database is busy or read-only: the next beat tries again
            self._trouble(f"cannot tell the facilitator's app that the room view follows: {exc}")

    def _trouble(self, why: str) -> None:
        self.problem = why
        self._paint_keys()

    def on_unmount(self) -> None:
        with contextlib.suppress(StoreError, WatError):
            link.record_closed(self.review, self.session_id)

    def tick(self) -> None:
        """Once a second: the clocks (a test moving its own clock calls this itself)."""
        self.paint()

    # -- painting -------------------------------------------------------------------------------------------------

    def _put(self, widget_id: str, text: Text) -> None:
        """Update a Static only when its words changed: every update lays the screen out again."""
        widget = self.query_one(f"#{widget_id}", Static)
        if getattr(widget, "_room_text", None) != text:
            widget._room_text = text  # type: ignore[attr-defined]
            widget.update(text)

    def paint(self) -> None:
        room = self.room
        if room is None or not self.is_running:
            return
        now = self.now()
        palette = self.palette
        current = phase(room.timeline, now)
        if current != self._phase:
            self._phase, self._phase_position = current, room.position
        self.mode = room_mode(room, now, self._phase_position)
        cs = clock_strip(room.timeline, now)
        self._put("room-title", plain(room.state.name, f"bold {palette.text}", single_line=True))
        self._put("room-clock", room_strip(cs, palette, self.size.width))
        switcher = self.query_one(ContentSwitcher)
        if switcher.current != f"room-{self.mode}":
            switcher.current = f"room-{self.mode}"
        if self.mode == "question":
            self._paint_question(room, palette)
        elif self.mode == "break":
            self._paint_break(room, cs, palette)
        else:
            self._put("room-agenda-title", agenda_title(room, now, palette))
            self._put("room-agenda-list", agenda_text(room, now, palette, self.size.width))
        self._paint_keys()

    def _paint_question(self, room: Room, palette: Palette) -> None:
        found = room.question()
        if found is None:
            return
        lens, q = found
        key = f"{lens.alias}/{q.id}"
        answer = room.state.answer(lens.alias, q.id) or Answer()
        self._put("room-q-header", question_header(room, lens, q, palette))
        self._put("room-q-prompt", plain(q.title, f"bold {palette.question}"))
        about = self.query_one("#room-q-about", Static)
        about.display = bool(q.description) and self.size.height >= TALL
        self._put("room-q-about", plain(q.description or "", palette.muted))
        self._put("room-q-practices", practices_text(q, answer, palette))
        notes = notes_text(room, key, palette)
        self.query_one("#room-q-notes", Static).display = bool(notes.plain)
        self._put("room-q-notes", notes)

    def _paint_break(self, room: Room, cs: ClockStrip, palette: Palette) -> None:
        remaining = cs.block_remaining if cs.block_remaining is not None else 0.0
        title = plain(cs.block.title if cs.block else "Break", f"bold {palette.text}", single_line=True)
        if cs.status == "paused":
            title.append("  ⏸ paused", style=f"bold {palette.warning}")
        self._put("room-break-title", title)
        digits = self.query_one(Digits)
        digits.update(("+" if remaining < 0 else "") + hms(remaining))
        digits.set_class(remaining < 0, "-over")
        back = (cs.now + timedelta(seconds=max(remaining, 0))).astimezone().strftime("%H:%M")
        self._put("room-break-until", Text(f"Back at {back}" if remaining >= 0 else "Time to start again",
                                           style=f"bold {palette.text}"))
        after = next_block(room.timeline, cs.block.id if cs.block else None)
        nxt = Text()
        if after is not None:
            nxt.append("Next: ", style=palette.muted)
            nxt.append_text(plain(after.title, f"bold {palette.accent}", single_line=True))
            nxt.append(f" · {after.minutes} min", style=palette.muted)
        self._put("room-break-next", nxt)

    def _paint_keys(self) -> None:
        palette = self.palette
        text = key_hints([b for b in self.BINDINGS if isinstance(b, Binding)], palette)
        if self.problem is not None:
            text.append_text(plain(f" ⚠ {self.problem}", f"bold {palette.warning}", single_line=True))
        else:
            text.append(" Room view · follows wat-tui on this laptop", style=palette.muted)
        self._put("room-keys", text)

    def on_resize(self) -> None:
        self.paint()

    def action_cycle_theme(self) -> None:
        i = THEME_ORDER.index(self.theme) if self.theme in THEME_ORDER else -1
        self.theme = THEME_ORDER[(i + 1) % len(THEME_ORDER)]
        self.paint()


def build_presenter(data_dir: Path, session_id: str, *, clock: Clock | None = None,
                    theme: str = "wat-projector") -> PresenterApp:
    """The room's view of ``session_id``, with its own connection to the database in ``data_dir``."""
    return PresenterApp(Review.open(data_dir), session_id, clock=clock, theme=theme)


def run_presenter(data_dir: Path, session_id: str) -> int:
    app = build_presenter(data_dir, session_id)
    try:
        app.run()
    finally:
        app.review.close()
    return app.return_code or 0
