"""The workspace: pillars, the question, notes and the clocks on one screen that reads from the back of the room."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Resize
from textual.widgets import Static

from wat_tui.errors import WatError
from wat_tui.lens.model import Lens, Question
from wat_tui.review.service import Review
from wat_tui.review.state import Answer, SessionState
from wat_tui.store.errors import StoreError
from wat_tui.ui.base import WatScreen
from wat_tui.ui.clocktext import strip_text
from wat_tui.ui.roomclock import RoomClock
from wat_tui.ui.screens import workspace_notes as notes
from wat_tui.ui.screens import workspace_time as timing
from wat_tui.ui.screens.reason import APPLICABLE, ReasonScreen
from wat_tui.ui.text import plain, visible
from wat_tui.ui.themes import Palette
from wat_tui.ui.widgets.clock import ClockBar
from wat_tui.ui.widgets.keybar import KeyBar
from wat_tui.ui.widgets.nav import NavTree
from wat_tui.ui.widgets.notes import ActionList, NoteList, NotesPane
from wat_tui.ui.widgets.question import ChoiceList, QuestionPane

if TYPE_CHECKING:
    pass

#: Seconds after the last move to another question before this laptop remembers it.
POSITION_DELAY = 0.3
#: Below this width the notes pane takes the navigation's place instead of sitting beside the question.
NARROW = 110


class WorkspaceScreen(WatScreen[None]):
    BINDINGS = [
        Binding("n", "next_question", "Next", id="next-question"),
        Binding("p", "previous_question", "Prev", id="previous-question", show=False),
        Binding("N", "next_pillar", "Next pillar", id="next-pillar"),
        Binding("P", "previous_pillar", "Prev pillar", show=False, id="previous-pillar"),
        *(Binding(str((i + 1) % 10), f"toggle_choice({i})", f"Tick practice {i + 1}", show=False,
                  id=f"toggle-{i + 1}") for i in range(10)),
        Binding("minus", "toggle_none", "None of these", show=False, id="toggle-none"),
        Binding("x", "choice_na", "Practice N/A", show=False, id="choice-na"),
        Binding("a", "question_na", "Q N/A", id="question-na", show=False),
        Binding("i", "toggle_plan", "Plan", id="improvement-plan"),
        Binding("d", "toggle_section('about')", "About", show=False, id="about"),
        Binding("h", "toggle_section('hint')", "Hint", show=False, id="hint"),
        Binding("w", "write_note", "Note", id="write-note"),
        Binding("e", "edit_note", "Edit note", show=False, id="edit-note"),
        Binding("t", "add_action", "Action", id="add-action"),
        Binding("f", "focus_mode", "Focus", id="focus-mode"),
        Binding("v", "toggle_notes", "Notes", show=False, id="toggle-notes"),
        Binding("f2", "focus_pane('nav')", "Outline", show=False, id="focus-nav"),
        Binding("f3", "focus_pane('choices')", "Practices", show=False, id="focus-question"),
        Binding("f4", "focus_pane('notes')", "Notes pane", show=False, id="focus-notes"),
        Binding("ctrl+z", "undo", "Undo", id="undo", show=False),
        Binding("ctrl+y", "redo", "Redo", show=False, id="redo"),
        Binding("g", "goto", "Go to", id="goto", show=False),
        Binding("s", "sessions", "Sessions", show=False, id="sessions"),
        Binding("c", "clock", "Clock", id="clock"),
        Binding("A", "agenda", "Agenda", id="agenda"),
        Binding("B", "break", "Break", show=False, id="break"),
        Binding("L", "park", "Park question", show=False, id="park"),
        Binding("M", "bell", "Bell on/off", show=False, id="bell"),
        Binding("E", "export", "Export report", show=False, id="export"),
        Binding("I", "merge", "Merge files", show=False, id="merge"),
        Binding("C", "conflicts", "Conflicts", show=False, id="conflicts"),
    ]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id
        self.state: SessionState = self.review.state(session_id)
        self.show_plan = False
        self.clock = RoomClock(self.review, session_id, self.wat_app.now, self.state)
        self.order: list[tuple[Lens, Question]] = self._agenda_order()
        keys = [f"{lens.alias}/{q.id}" for lens, q in self.order]
        saved = self.review.position(session_id)
        # A session opened for the first time starts where its agenda starts.
        self.index = keys.index(saved) if saved in keys else 0
        self.bell = self.review.local_setting(session_id, "bell", "on") == "on"

    @property
    def review(self) -> Review:
        return self.wat_app.review

    @property
    def palette(self) -> Palette:
        return self.wat_app.palette

    def compose(self) -> ComposeResult:
        with Horizontal(id="top-bar"):
            yield Static(plain(self.state.name, "bold", single_line=True), id="session-title")
            yield ClockBar(self._clock_text, id="clock")
        with Horizontal(id="body"):
            yield NavTree(id="nav")
            yield QuestionPane(id="question")
            yield NotesPane(id="notes")
        yield KeyBar(id="keybar")

    def _conflicted(self) -> set[str]:
        if not self.state.conflicts:
            return set()
        from wat_tui.exchange.conflicts import conflicts_by_question

        return set(conflicts_by_question(self.review, self.session_id))

    def save_position(self) -> None:
        """Remember the open question on this laptop (a moment after the last move, and when leaving)."""
        self._position_saver.pause()
        try:
            self._write_position()
        except StoreError as exc:
            self.wat_app.store_failed(exc)  # tried again after the next move, and when leaving

    def _write_position(self) -> None:
        if self.review.position(self.session_id) != self.current_key:
            self.review.set_position(self.session_id, self.current_key)

    def flush_edits(self) -> None:
        """Before leaving the session (quit, another session): remember the question and stop the clock, or raise
        why not."""
        self._write_position()
        self.clock.close()

    def _agenda_order(self) -> list[tuple[Lens, Question]]:
        """Questions in the order the room takes them: block by block as the agenda runs (so next question and
        next pillar follow it), then any question no block covers, in lens order."""
        tl = self.clock.timeline
        by_key = {f"{lens.alias}/{q.id}": (lens, q) for lens in self.state.lenses for q in lens.questions}
        keys = dict.fromkeys(k for b in tl.blocks for k in tl.keys(b) if k in by_key)
        keys.update(dict.fromkeys(by_key))  # then what no block covers, in lens order
        return [by_key[k] for k in keys]

    def on_unmount(self) -> None:
        # Quitting, or going to another session, stops the clock now: no time counts while nobody is here. The
        # app saved this before leaving; a refused write here is left to the next start, which asks about it.
        with contextlib.suppress(StoreError):
            self.flush_edits()

    def on_mount(self) -> None:
        # Stepping through questions writes the place once the room stops on one, not on every keypress: a
        # commit's flush to disk is the slowest part of a keypress. Answers and notes are saved at once.
        self._position_saver = self.set_interval(POSITION_DELAY, self.save_position, pause=True)
        self.query_one(NavTree).conflicted = self._conflicted()
        self.query_one(NavTree).load(self.state, self.palette)
        self.show_question()
        self._paint_keys()
        self.query_one(ChoiceList).focus()
        self.watch(self.app, "theme", self._theme_changed, init=False)
        self._layout_for(self.app.size.width)
        self._ask_about_time_while_closed()

    def _ask_about_time_while_closed(self) -> None:
        """The clock was left running by an app that did not close normally: count that time, or drop it."""
        from wat_tui.ui.screens.left_running import COUNT, LeftRunningScreen

        left = self.clock.left_open
        if left is None or left.stop is None:
            return

        def done(choice: str | None) -> None:
            def settle() -> None:
                self.clock.settle_closed_time(choice == COUNT)
                self.notify("The time while wat-tui was closed counts; the clock runs on." if choice == COUNT
                            else "That time does not count; the clock is paused (c to start it again).")

            self.wat_app.save(settle, then=self._repaint_clock)
            self._repaint_clock()

        self.app.push_screen(LeftRunningScreen(left.stop, self.clock.now()), done)

    # -- painting -----------------------------------------------------------------------------------------------

    @property
    def current(self) -> tuple[Lens, Question]:
        return self.order[self.index]

    @property
    def current_key(self) -> str:
        lens, q = self.current
        return f"{lens.alias}/{q.id}"

    def current_answer(self) -> Answer:
        lens, q = self.current
        return self.state.answer(lens.alias, q.id) or Answer()

    def show_question(self) -> None:
        lens, q = self.current
        self.query_one(QuestionPane).show(lens, q, self.current_answer(), self.state.risk(lens, q), self.palette,
                                          self.show_plan, parked=self.current_key in self.clock.timeline.parked)
        key = self.current_key
        self.query_one(NotesPane).show(self.state.notes_for(key), self.state.actions_for(key), self.palette)
        self.query_one(NavTree).select_question(key)

    def reload(self, key: str | None = None) -> None:
        """Re-read the session after an edit and repaint what it touched."""
        current = self.current_key
        self.state = self.review.state(self.session_id)
        self.clock.reload(self.state)
        order = self._agenda_order()
        if order != self.order:  # the agenda changed: same question, new place in the order
            self.order = order
            self.index = next((i for i, (lens, q) in enumerate(order) if f"{lens.alias}/{q.id}" == current), 0)
        nav = self.query_one(NavTree)
        conflicted = self._conflicted()
        if conflicted != nav.conflicted:
            nav.conflicted, key = conflicted, None
        nav.refresh_labels(self.state, self.palette, key)
        self.show_question()
        self._repaint_clock()

    def _repaint_clock(self) -> None:
        """After an edit or a move: show the clocks as they are, leaving alerts to the next tick."""
        self.query_one(ClockBar).show(strip_text(self.clock.strip(), self.palette, self.app.size.width))

    def _clock_text(self) -> Text:
        """Once a second: the clocks, and any alert or parking suggestion that falls due now."""
        cs, fired, suggestions = self.clock.tick()
        if self.clock.problem is not None:  # the heartbeat was refused: it is tried again next second
            self.wat_app.store_failed(self.clock.problem)
        for alert in fired:
            title = visible(cs.block.title, single_line=True) if cs.block else "This block"
            if alert.kind == "overrun":
                self.notify(f"⚠ {title}: time is up.", severity="error", timeout=15, markup=False)
            else:
                self.notify(f"{title}: 2 minutes left.", severity="warning", timeout=10, markup=False)
            if self.bell:
                self.app.bell()
        if suggestions:
            labels = ", ".join(self._label(k) for k in suggestions)
            self.notify(f"Behind by {int(cs.behind // 60)} min at this pace. Only LOW-level practices are "
                        f"missing in {labels}: park them for follow-up (L on each).", severity="warning",
                        timeout=20, markup=False)
        return strip_text(cs, self.palette, self.app.size.width)

    def _label(self, key: str) -> str:
        for lens, q in self.order:
            if f"{lens.alias}/{q.id}" == key:
                return visible(q.label, single_line=True)
        return key

    def _theme_changed(self) -> None:
        self.reload()
        self._paint_keys()

    def _paint_keys(self) -> None:
        from wat_tui.ui.app import WatApp

        bindings = [b for b in [*self.BINDINGS, *WatApp.BINDINGS] if isinstance(b, Binding)]
        self.query_one(KeyBar).show(bindings, self.palette)

    def on_resize(self, event: Resize) -> None:
        self._layout_for(event.size.width)

    def _layout_for(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")

    def go(self, index: int) -> None:
        self.index = max(0, min(index, len(self.order) - 1))
        self._position_saver.reset()
        self._position_saver.resume()
        self.wat_app.save(lambda: self.clock.follow(self.current_key, self.state))
        self.show_question()
        self._repaint_clock()
        pane = self.query_one(QuestionPane)
        pane.scroll_to_top()
        self.query_one(ChoiceList).highlighted = 0 if self.current[1].choices else None

    # -- navigation ---------------------------------------------------------------------------------------------

    @on(NavTree.QuestionChosen)
    def _chosen(self, event: NavTree.QuestionChosen) -> None:
        if event.key != self.current_key:
            self.go_to_key(event.key)

    def go_to_key(self, key: str) -> None:
        for i, (lens, q) in enumerate(self.order):
            if f"{lens.alias}/{q.id}" == key:
                self.go(i)
                return

    def action_next_question(self) -> None:
        self.go(self.index + 1)

    def action_previous_question(self) -> None:
        self.go(self.index - 1)

    def _pillar_starts(self) -> list[int]:
        starts, seen = [], set()
        for i, (lens, q) in enumerate(self.order):
            if (lens.alias, q.pillar_id) not in seen:
                seen.add((lens.alias, q.pillar_id))
                starts.append(i)
        return starts

    def action_next_pillar(self) -> None:
        later = [s for s in self._pillar_starts() if s > self.index]
        if later:
            self.go(later[0])

    def action_previous_pillar(self) -> None:
        earlier = [s for s in self._pillar_starts() if s < self.index]
        if earlier:
            starts = self._pillar_starts()
            mine = max(s for s in starts if s <= self.index)
            self.go(earlier[-1] if self.index == mine else mine)

    def action_goto(self) -> None:
        self.app.action_command_palette()

    def action_focus_pane(self, pane: str) -> None:
        if pane == "notes":
            self.set_class(True, "-show-notes")
            self.query_one(NoteList).focus()
        elif pane == "nav":
            self.set_class(False, "-show-notes")
            self.query_one(NavTree).focus()
        else:
            self.query_one(ChoiceList).focus()

    def action_toggle_notes(self) -> None:
        self.toggle_class("-show-notes")

    def action_focus_mode(self) -> None:
        self.toggle_class("-focus")
        self.query_one(ChoiceList).focus()

    def action_toggle_plan(self) -> None:
        self.show_plan = not self.show_plan
        self.show_question()

    def action_toggle_section(self, section: str) -> None:
        self.query_one(QuestionPane).toggle(section)

    def action_sessions(self) -> None:
        if self.wat_app.save(self.flush_edits, then=self.wat_app.action_sessions):
            self.wat_app.action_sessions()

    # -- answering ----------------------------------------------------------------------------------------------

    def _edit(self, do: Callable[[], object], *, everywhere: bool = False) -> None:
        """One edit, through the app's one guard (a write the database refuses is retried in a dialog), then
        repaint the question, or ``everywhere`` (undo may touch any question)."""
        key = None if everywhere else self.current_key
        try:
            self.wat_app.save(do, then=lambda: self.reload(key))
        except WatError as exc:
            self.notify(visible(str(exc)), severity="error", markup=False)
        self.reload(key)

    def toggle(self, choice_id: str) -> None:
        lens, q = self.current
        self._edit(lambda: self.review.toggle_choice(self.session_id, lens.alias, q.id, choice_id))

    def action_toggle_choice(self, index: int) -> None:
        practices = [c for c in self.current[1].choices if not c.is_none_choice]
        if index < len(practices):
            self.toggle(practices[index].id)

    def action_toggle_none(self) -> None:
        none = self.current[1].none_choice
        if none is not None:
            self.toggle(none.id)

    @on(ChoiceList.Toggled)
    def _toggled(self, event: ChoiceList.Toggled) -> None:
        self.toggle(event.choice_id)

    @on(ChoiceList.NotApplicableAsked)
    def _choice_na_asked(self, event: ChoiceList.NotApplicableAsked) -> None:
        self._ask_choice_na(event.choice_id)

    def action_choice_na(self) -> None:
        cl = self.query_one(ChoiceList)
        if cl.highlighted is not None:
            self._ask_choice_na(cl.choice_ids[cl.highlighted])

    def _ask_choice_na(self, choice_id: str) -> None:
        lens, q = self.current
        choice = q.choice(choice_id)
        if choice is None or choice.is_none_choice:
            return
        already = choice_id in self.current_answer().na_choices

        def done(reason: str | None) -> None:
            if reason is None:
                return
            value = None if reason == APPLICABLE else reason
            self._edit(lambda: self.review.set_choice_not_applicable(
                self.session_id, lens.alias, q.id, choice_id, value))

        self.app.push_screen(ReasonScreen(f"Why does '{choice.title}' not apply?", already), done)

    def action_question_na(self) -> None:
        lens, q = self.current

        def done(reason: str | None) -> None:
            if reason is None:
                return
            value = None if reason == APPLICABLE else reason
            self._edit(lambda: self.review.set_not_applicable(self.session_id, lens.alias, q.id, value))

        self.app.push_screen(ReasonScreen(f"Why does {q.label} not apply?", self.current_answer().not_applicable),
                             done)

    def action_undo(self) -> None:
        self._edit(lambda: self._replay(self.review.undo, "Nothing to undo."), everywhere=True)

    def action_redo(self) -> None:
        self._edit(lambda: self._replay(self.review.redo, "Nothing to redo."), everywhere=True)

    def _replay(self, replay: Callable[[str], bool], nothing: str) -> None:
        if not replay(self.session_id):
            self.notify(nothing)

    # -- notes, action items, report (workspace_notes.py) and time (workspace_time.py) ---------------------------

    def _author(self) -> str:
        return notes.author(self)

    def action_write_note(self) -> None:
        notes.write_note(self)

    def action_edit_note(self) -> None:
        notes.edit_note(self)

    def on_note_list_chosen(self, event: NoteList.Chosen) -> None:
        notes.note_chosen(self, event)

    def action_add_action(self) -> None:
        notes.add_action(self)

    def on_action_list_chosen(self, event: ActionList.Chosen) -> None:
        notes.action_chosen(self, event)

    def action_export(self) -> None:
        notes.export(self)

    def action_clock(self) -> None:
        timing.clock(self)

    def action_park(self) -> None:
        timing.park(self)

    def action_bell(self) -> None:
        timing.bell(self)

    def action_agenda(self) -> None:
        timing.agenda(self)

    def action_break(self) -> None:
        timing.take_break(self)

    def action_merge(self) -> None:
        timing.merge(self)

    def action_conflicts(self) -> None:
        timing.conflicts(self)
