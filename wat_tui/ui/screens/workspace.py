"""The workspace: pillars, the question, notes and the clocks on one screen that reads from the back of the room.

This module paints the screen and holds its own keys (moving and answering); notes, time and exchange are parts it
inherits, each in its own module with its own keys (see workspace_part.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Key, Resize
from textual.widgets import Static

from wat_tui.errors import WatError
from wat_tui.lens.risk import NA_REASONS
from wat_tui.review.state import Answer
from wat_tui.store.errors import StoreError
from wat_tui.ui.screens.reason import APPLICABLE, ReasonScreen
from wat_tui.ui.screens.workspace_exchange import ExchangeKeys
from wat_tui.ui.screens.workspace_notes import NotesKeys
from wat_tui.ui.screens.workspace_time import DEFAULT_PARK_REASON, TimeKeys
from wat_tui.ui.text import plain, visible
from wat_tui.ui.widgets.clock import ClockBar
from wat_tui.ui.widgets.keybar import KeyBar
from wat_tui.ui.widgets.nav import NavTree
from wat_tui.ui.widgets.notes import NotesPane
from wat_tui.ui.widgets.question import QuestionPane
from wat_tui.ui.wording import NO_WORDING, OFFICIAL, OWN, SETTING, Wording

#: Seconds after the last move to another question before this laptop remembers it.
POSITION_DELAY = 0.3
#: Below this width the notes pane takes the navigation's place instead of sitting beside the question.
NARROW = 110


#: The open question: moving through the session, ticking practices, what does not apply, what to show.
QUESTION_KEYS = [
    Binding("n", "next_question", "Next", id="next-question"),
    Binding("p", "previous_question", "Prev", id="previous-question", show=False),
    Binding("N", "next_pillar", "Next pillar", id="next-pillar"),
    Binding("P", "previous_pillar", "Prev pillar", show=False, id="previous-pillar"),
    *(Binding(str((i + 1) % 10), f"toggle_choice({i})", f"Tick practice {i + 1}", show=False,
              id=f"toggle-{i + 1}") for i in range(10)),
    Binding("minus", "toggle_none", "None of these", show=False, id="toggle-none"),
    Binding("x", "choice_na", "Practice N/A (x then its number)", show=False, id="choice-na"),
    Binding("a", "question_na", "Q N/A", id="question-na", show=False),
    Binding("equals_sign", "confirm_prepared", "Confirm a prepared answer", id="confirm-prepared", show=False),
    Binding("i", "toggle_plan", "Plan", id="improvement-plan"),
    Binding("d", "toggle_section('about')", "About", show=False, id="about"),
    Binding("h", "toggle_section('hint')", "Hint", show=False, id="hint"),
]
#: The screen: its layout and focus, undo, going to a question or to another session.
SCREEN_KEYS = [
    Binding("f", "focus_mode", "Focus", id="focus-mode"),
    Binding("v", "toggle_notes", "Notes", show=False, id="toggle-notes"),
    Binding("f2", "focus_pane('nav')", "Outline", show=False, id="focus-nav"),
    Binding("f3", "focus_pane('choices')", "Practices", show=False, id="focus-question"),
    Binding("f4", "focus_pane('notes')", "Notes pane", show=False, id="focus-notes"),
    Binding("ctrl+z", "undo", "Undo", id="undo", show=False),
    Binding("ctrl+y", "redo", "Redo", show=False, id="redo"),
    Binding("g", "goto", "Go to", id="goto", show=False),
    Binding("s", "sessions", "Sessions", show=False, id="sessions"),
    Binding("W", "toggle_wording", "Wording: ours / the AWS tool's official (imported)", show=False, id="wording"),
]


class WorkspaceScreen(NotesKeys, TimeKeys, ExchangeKeys):
    """The workspace: its own keys move through the session and answer the open question; notes, time and
    exchange are the parts it inherits, each with its keys."""

    #: Every key of the workspace in the order the key bar and the help (F1) list them. The parts' keys are their
    #: own Binding objects, declared on the part: Textual finds them there too and binds each key once.
    BINDINGS = [*QUESTION_KEYS, *NotesKeys.BINDINGS, *SCREEN_KEYS, *TimeKeys.BINDINGS, *ExchangeKeys.BINDINGS]

    def __init__(self, session_id: str) -> None:
        super().__init__(session_id)
        self.show_plan = False
        #: ``x`` was pressed: the next key picks the practice that does not apply.
        self._na_waiting = False
        #: The AWS tool's official wording is shown instead of ours where it was imported (this laptop's choice).
        self.official_wording = self.review.local_setting(session_id, SETTING, OWN) == OFFICIAL
        #: The tool's wording for this session's lenses, read when first needed (and again at each W).
        self._wording: Wording | None = None
        self._wording_problem: str | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="top-bar"):
            yield Static(plain(self.state.name, "bold", single_line=True), id="session-title")
            yield ClockBar(self.clock_text, id="clock")
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
        self.query_one(NavTree).parked = self.clock.timeline.parked
        self.query_one(NavTree).load(self.state, self.palette)
        self.show_question()
        self._paint_keys()
        self.query_one(QuestionPane).focus()
        self.watch(self.app, "theme", self._theme_changed, init=False)
        self._layout_for(self.app.size.width)

    # -- painting -----------------------------------------------------------------------------------------------

    def current_answer(self) -> Answer:
        lens, q = self.current
        return self.state.answer(lens.alias, q.id) or Answer()

    def show_question(self) -> None:
        lens, q = self.current
        wording = self._tool_wording() if self.official_wording else None
        official = wording is not None and wording.covers(lens, q)
        shown = wording.official(lens, q) if wording is not None and official else q
        self.query_one(QuestionPane).show(lens, shown, self.current_answer(), self.state.risk(lens, q), self.palette,
                                          self.show_plan, parked=self._parked_words(),
                                          wording=("official" if official else "own") if self.official_wording
                                          else None, prepared=self.current_key in self.clock.timeline.prefilled,
                                          scored=self.scored_badge())
        key = self.current_key
        self.query_one(NotesPane).show(key, self.state.notes_for(key), self.state.actions_for(key), self.palette)
        self.query_one(NavTree).select_question(key)

    def _tool_wording(self, *, again: bool = False) -> Wording:
        """The tool's wording for the session's lenses (empty when none was imported or its copy cannot be read)."""
        if self._wording is None or again:
            self._wording, self._wording_problem = Wording.read(self.review.data_dir, self.state.lenses)
        return self._wording

    def action_toggle_wording(self) -> None:
        """W: the AWS tool's official wording of the questions and practices, or ours; this laptop's choice."""
        wording = self._tool_wording(again=True)
        if not wording:
            problem = self._wording_problem
            self.notify(visible(problem) if problem else NO_WORDING, severity="warning", markup=False)
            if self.official_wording:  # the copy went away since it was chosen: our words, as shown
                self.official_wording = False
                self._remember_wording()
                self.show_question()
            return
        self.official_wording = not self.official_wording
        self._remember_wording()
        self.show_question()
        if self.official_wording:
            lens, q = self.current
            here = "" if wording.covers(lens, q) else " (this question has none: our words here)"
            self.notify(f"The AWS tool's official wording, where it was imported{here}. W for ours.", markup=False)
        else:
            self.notify("wat-tui's own words. W for the AWS tool's official wording.", markup=False)

    def _remember_wording(self) -> None:
        try:
            self.review.set_local_setting(self.session_id, SETTING, OFFICIAL if self.official_wording else OWN)
        except StoreError as exc:
            self.wat_app.store_failed(exc)

    def _parked_words(self) -> str | None:
        """What the header says of the parking lot: its reason, or "" when nobody said more than L did."""
        reason = self.parked_reason()
        return "" if reason == DEFAULT_PARK_REASON else reason

    def reload(self, key: str | None = None) -> None:
        """Re-read the session after an edit and repaint what it touched."""
        self.reread()
        nav = self.query_one(NavTree)
        conflicted = self._conflicted()
        if conflicted != nav.conflicted:
            nav.conflicted, key = conflicted, None
        if self.clock.timeline.parked != nav.parked:  # parked or back: that question's line changes
            nav.parked, key = self.clock.timeline.parked, None
        nav.refresh_labels(self.state, self.palette, key)
        self.show_question()
        self.repaint_clock()

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
        self.query_one(QuestionPane).compact = width < NARROW
        self.query_one(NavTree).tells_notes = width < NARROW

    def go(self, index: int) -> None:
        self._na_waiting = False  # x was for the question it was pressed on
        self.index = max(0, min(index, len(self.order) - 1))
        self.check_room_view()
        if self.room_view:  # the room's screen follows this laptop's position: save it at once
            self.save_position()
        else:
            self._position_saver.reset()
            self._position_saver.resume()
        self.wat_app.save(lambda: self.clock.follow(self.current_key, self.state))
        self.show_question()
        self.repaint_clock()
        pane = self.query_one(QuestionPane)
        pane.scroll_to_top()
        pane.highlighted = 0 if self.current[1].choices else None

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
        if self.followup is not None:  # the outline and g still list every question; the follow-up walks its own
            alias, _, qid = key.partition("/")
            found = self.state.lens(alias)
            asked = found.question(qid) if found is not None else None
            label = asked.label if asked is not None else key
            self.notify(f"{visible(label, single_line=True)} is not on this follow-up's list (the open high and "
                        "medium risks); 's' then the session opens the full review.", markup=False)

    def action_next_question(self) -> None:
        if self.followup is not None and self.index >= len(self.order) - 1:
            self.notify("That was the last open risk: b for the open actions, Y for a milestone.", markup=False)
            return
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
        from textual.command import CommandPalette

        from wat_tui.ui.screens.picker import goto_picker

        if not CommandPalette.is_open(self.app):
            self.app.push_screen(goto_picker())

    def action_focus_pane(self, pane: str) -> None:
        if pane == "notes":
            self.set_class(True, "-show-notes")
            self.query_one(NotesPane).focus()
        elif pane == "nav":
            self.set_class(False, "-show-notes")
            self.query_one(NavTree).focus()
        else:
            self.query_one(QuestionPane).focus()

    def action_toggle_notes(self) -> None:
        self.toggle_class("-show-notes")

    def action_focus_mode(self) -> None:
        self.toggle_class("-focus")
        self.query_one(QuestionPane).show_to_the_room(self.has_class("-focus"))
        self.query_one(QuestionPane).focus()

    def action_toggle_plan(self) -> None:
        self.show_plan = not self.show_plan
        self.show_question()

    def action_toggle_section(self, section: str) -> None:
        if section == "hint" and self.has_class("-focus"):
            self.notify("The facilitation hint stays off the room's screen in focus mode (f to leave it).",
                        markup=False)
            return
        self.query_one(QuestionPane).toggle(section)

    def action_sessions(self) -> None:
        if self.wat_app.save(self.flush_edits, then=self.wat_app.action_sessions):
            self.wat_app.action_sessions()

    # -- answering ----------------------------------------------------------------------------------------------

    def _edit(self, do: Callable[[], object], *, everywhere: bool = False, answer_only: bool = False) -> None:
        """One edit, through the app's one guard (a write the database refuses is retried in a dialog), then
        repaint the question, or ``everywhere`` (undo may touch any question).

        ``answer_only``: the edit changed the open question's answer and nothing else (a tick). Its answer is
        read back and painted at once; the whole session is read again just after that frame (the clocks' pace,
        the parking lot, conflicts), so the tick reaches the screen without waiting for that read."""
        key = None if everywhere else self.current_key
        try:
            saved = self.wat_app.save(do, then=lambda: self.reload(key))
        except WatError as exc:
            self.notify(visible(str(exc)), severity="error", markup=False)
            saved = False
        if saved and answer_only and key is not None:
            self._show_answer(key)
            self.call_after_refresh(self.reload, key)
            return
        self.reload(key)

    def _show_answer(self, key: str) -> None:
        """Paint the open question's saved answer (and its risk in the outline) before the session is re-read."""
        lens, q = self.current
        answer = self.review.answer_of(self.session_id, lens.alias, q.id)
        answers = {k: a for k, a in self.state.answers.items() if k != key}
        if not answer.is_empty:
            answers[key] = answer
        self.state = replace(self.state, answers=answers)
        self.query_one(NavTree).refresh_labels(self.state, self.palette, key)
        self.show_question()

    def action_confirm_prepared(self) -> None:
        """=: the room confirms an answer prepared before the workshop (its badge goes)."""
        lens, q = self.current
        if self.clock.timeline.started is None:
            self.notify("Start the session clock first (c): answers count as confirmed by the room from the "
                        "workshop's start.", markup=False)
            return
        if self.current_key not in self.clock.timeline.prefilled:
            self.notify(f"{q.label} has no prepared answer waiting to be confirmed.", markup=False)
            return
        self._edit(lambda: self.review.confirm_answer(self.session_id, lens.alias, q.id))

    def toggle(self, choice_id: str) -> None:
        lens, q = self.current
        self._edit(lambda: self.review.toggle_choice(self.session_id, lens.alias, q.id, choice_id), answer_only=True)

    def action_toggle_choice(self, index: int) -> None:
        practices = [c for c in self.current[1].choices if not c.is_none_choice]
        if index < len(practices):
            self.toggle(practices[index].id)

    def action_toggle_none(self) -> None:
        none = self.current[1].none_choice
        if none is not None:
            self.toggle(none.id)

    @on(QuestionPane.Toggled)
    def _toggled(self, event: QuestionPane.Toggled) -> None:
        self.toggle(event.choice_id)

    def action_choice_na(self) -> None:
        """x: the next key says which practice does not apply, its number (x 3), or Enter for the highlighted
        one; any other key does what it always does."""
        self._na_waiting = True
        self.notify("Which practice does not apply? Its number, or Enter for the highlighted one.", timeout=4,
                    markup=False)

    def on_key(self, event: Key) -> None:
        if event.key == "x" and not self._na_waiting:
            # Here, not in the binding's action: keys typed together reach on_key one after the other before any
            # binding runs, so the number after a quick x would otherwise tick the practice.
            event.stop()
            event.prevent_default()
            self.action_choice_na()
            return
        if not self._na_waiting:
            return
        self._na_waiting = False
        practices = [c for c in self.current[1].choices if not c.is_none_choice]
        cl = self.query_one(QuestionPane)
        if event.key.isdigit() and len(event.key) == 1:
            index = (int(event.key) - 1) % 10  # 1-9, then 0 for the tenth, as the ticking keys
            choice_id = practices[index].id if index < len(practices) else None
        elif event.key in ("enter", "space", "x") and cl.highlighted is not None:
            choice_id = cl.choice_ids[cl.highlighted]
        elif event.key == "escape":
            choice_id = None
        else:
            return  # not for us: the key does what it always does
        event.stop()
        event.prevent_default()
        if choice_id is not None:
            self._mark_choice_na(choice_id)

    def _mark_choice_na(self, choice_id: str) -> None:
        """Mark the practice not applicable at once, for the reason it had or "Out of scope", then ask the reason
        with that one highlighted: a digit picks another, Enter or Esc keeps it, ``a`` makes it applicable again."""
        lens, q = self.current
        choice = q.choice(choice_id)
        if choice is None or choice.is_none_choice:
            return
        had = self.current_answer().na_choices.get(choice_id)
        prefilled = had or NA_REASONS[0]
        if had is None:
            self._edit(lambda: self.review.set_choice_not_applicable(
                self.session_id, lens.alias, q.id, choice_id, prefilled))

        def done(reason: str | None) -> None:
            if reason is None or reason == prefilled:
                return
            value = None if reason == APPLICABLE else reason
            self._edit(lambda: self.review.set_choice_not_applicable(
                self.session_id, lens.alias, q.id, choice_id, value))

        self.app.push_screen(ReasonScreen(f"Why does '{choice.title}' not apply?", True, prefilled), done)

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
