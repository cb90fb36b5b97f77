"""Pickers: the sessions at start (their progress and risk counts, and a way to start a new one), and the
questions of the open session (``g``, go to a question found by its id or its words)."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from wat_tui.review.durations import format_duration
from wat_tui.review.search import search_questions
from wat_tui.ui.base import WatScreen
from wat_tui.ui.screens.workspace_part import WorkspacePart
from wat_tui.ui.text import plain, visible

NEW = "__new__"


class PickerScreen(WatScreen[None]):
    BINDINGS = [Binding("c", "new_session", "New session", id="new-session")]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Text("wat-tui · Well-Architected reviews", style="bold"), id="picker-title")
            yield Static(Text("Pick a session to continue, or start a new one."), id="picker-help")
            yield OptionList(id="sessions")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_sessions()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_sessions()

    def refresh_sessions(self) -> None:
        palette = self.wat_app.palette
        sessions = self.wat_app.review.list_sessions()
        options = [Option(Text("+ New session…", style=f"bold {palette.accent}"), id=NEW)]
        for s in sessions:
            t = Text()
            t.append_text(plain(s.name, "bold", single_line=True))
            t.append("\n  ")
            t.append_text(plain(s.workload or "", palette.muted, single_line=True))
            t.append("\n  ")
            t.append(f"{s.answered}/{s.total} answered", style=palette.text)
            t.append(f"   ▲ {s.high} high", style=f"bold {palette.high}")
            t.append(f"   ● {s.medium} medium", style=f"bold {palette.medium}")
            t.append_text(plain(f"   {s.workload_type} · {format_duration(s.planned_minutes)} · {s.created_at[:10]}",
                                palette.muted, single_line=True))
            options.append(Option(t, id=s.id))
        ol = self.query_one(OptionList)
        ol.set_options(options)
        ol.highlighted = 1 if len(options) > 1 else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == NEW:
            self.action_new_session()
        elif event.option.id:
            self.wat_app.open_session(event.option.id)

    def action_new_session(self) -> None:
        from wat_tui.ui.screens.new_session import NewSessionScreen

        self.app.push_screen(NewSessionScreen())


#: What the go-to picker searches, in its search field.
GOTO_PLACEHOLDER = "Go to: a question's id, or words of its title, practices or description…"
#: The search core's fields, in the words its results use ("found in practices").
_FIELD_WORDS = {"label": "id", "title": "title", "practices": "practices", "pillar": "pillar",
                "description": "description"}


def goto_picker() -> CommandPalette:
    """``g`` on the workspace: the questions of its session, found by :func:`search_questions` (ids, titles,
    practices' titles and descriptions), best match first."""
    return CommandPalette(providers=[QuestionSearch], placeholder=GOTO_PLACEHOLDER)


class QuestionSearch(Provider):
    """The questions of the workspace the picker was opened from; every question in the room's order before
    anything is typed."""

    def _workspace(self) -> WorkspacePart | None:
        for screen in reversed(self.app.screen_stack):  # the workspace, also under the command palette's caller
            if isinstance(screen, WorkspacePart):
                return screen
        return None

    async def discover(self) -> Hits:
        ws = self._workspace()
        if ws is None:
            return
        for lens, q in ws.order:
            yield DiscoveryHit(_label(q.label, q.tree_title), partial(ws.go_to_key, f"{lens.alias}/{q.id}"),
                               help=visible(q.title, single_line=True))

    async def search(self, query: str) -> Hits:
        ws = self._workspace()
        if ws is None:
            return
        found = search_questions(ws.state.lenses, query)
        for rank, f in enumerate(found):
            where = ", ".join(_FIELD_WORDS.get(w, w) for w in f.where)
            # The palette orders hits by score: the search core's order, kept exactly.
            yield Hit(1.0 - rank / (len(found) + 1), _label(f.question.label, f.question.tree_title),
                      partial(ws.go_to_key, f.key),
                      help=f"{visible(f.question.title, single_line=True)}  (found in {where})")


def _label(label: str, title: str) -> Text:
    text = Text()
    text.append(visible(label, single_line=True), style="bold")
    text.append(" ")
    text.append_text(plain(title, single_line=True))
    return text
