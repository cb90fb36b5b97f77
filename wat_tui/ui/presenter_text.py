"""What the room's view says (``wat-tui present``, ``wat_tui/ui/presenter.py``): one reading of the session, which
view the room gets (:func:`room_mode`), and the text of each view. Functions of what was read and of ``now``; the
app only places their text on screen.

Which view, from what the facilitator's app stores:

- **a break**: a large countdown, when the session clock is in a break block (the facilitator pressed ``B``, or
  entered a break on the agenda), with when the room is back and what comes next;
- **the agenda**: before the session clock starts, and in the blocks without questions (the opening, the
  wrap-up), as long as the facilitator stays on the question they were on when that began; the blocks with their
  planned times, the one running now, and per block how many questions are settled and at what risk. The first
  move to another question switches to it. It is also what shows when the facilitator has no question open yet;
- **the question** the facilitator has open otherwise: its risk badge, prompt, practices with their ticks, and
  the notes and action items everyone may read. Private notes, the facilitation hint and the improvement plan
  never show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from rich.text import Text

from wat_tui.lens.model import Lens, Question
from wat_tui.lens.risk import Risk
from wat_tui.review import agenda as ag
from wat_tui.review import timekeeping as tk
from wat_tui.review.clock import ClockStrip, Timeline
from wat_tui.review.durations import format_duration
from wat_tui.review.service import Review
from wat_tui.review.state import Answer, SessionState
from wat_tui.ui.clocktext import strip_text
from wat_tui.ui.text import plain, visible
from wat_tui.ui.themes import Palette
from wat_tui.ui.widgets.badges import BADGES, badge, risk_colour
from wat_tui.ui.widgets.question import REASON_LABELS, practice_head

#: Block kinds without questions in which the room sees the agenda until the facilitator moves.
AGENDA_KINDS = frozenset({"not started", "opening", "wrapup"})
#: One-column marks per block kind (the agenda screen's break cup is two columns wide in most terminals).
KIND_MARKS = {"opening": "◆", "pillar": "■", "lens": "◇", "break": "◌", "wrapup": "◆"}
#: A note longer than this is cut (the room reads the gist; the report has it whole).
NOTE_CHARS = 280

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
        text.append_text(practice_head(index, c, answer, palette))
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
