"""The notes pane: the open question's notes (Markdown, each with its author) and its action items."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from wat_tui.review.state import ActionItem, Note
from wat_tui.ui.text import plain, visible
from wat_tui.ui.themes import Palette


def first_line(body: str, width: int = 60) -> str:
    for line in body.splitlines():
        s = line.strip().lstrip("#>-* ").strip()
        if s:
            return s if len(s) <= width else s[: width - 1] + "…"
    return "(empty)"


class IdList(OptionList):
    """A list whose options carry ids; Enter or a click on one posts ``Chosen`` with the id."""

    @dataclass
    class Chosen(Message):
        item_id: str

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(event.option.id))


class NoteList(IdList):
    class Chosen(IdList.Chosen):
        """A note was picked: ``item_id`` is its id."""


class ActionList(IdList):
    class Chosen(IdList.Chosen):
        """An action item was picked: ``item_id`` is its id."""


class NotesPane(Vertical):
    """Notes and action items of the open question; the highlighted note is shown rendered below the list."""

    def compose(self) -> ComposeResult:
        yield Static(id="notes-title", classes="pane-title")
        yield NoteList(id="note-list")
        yield Markdown(id="note-preview")
        yield Static(id="actions-title", classes="pane-title")
        yield ActionList(id="action-list")

    def on_mount(self) -> None:
        self._notes: list[Note] = []
        self._previewed: str | None = None

    def show(self, notes: list[Note], actions: list[ActionItem], palette: Palette) -> None:
        self._notes = notes
        title = Text()
        title.append("Notes ", style=f"bold {palette.accent}")
        title.append(f"({len(notes)})  w write · e edit", style=palette.muted)
        self.query_one("#notes-title", Static).update(title)
        note_list = self.query_one(NoteList)
        keep = note_list.highlighted
        shown = (tuple(notes), tuple(actions), palette)
        if shown == getattr(self, "_shown", None):
            return  # the same question with nothing changed: nothing to repaint
        self._shown = shown
        opts = []
        for n in notes:
            t = Text()
            t.append_text(plain(n.author or "anonymous", f"bold {palette.accent}"))
            if n.private:
                t.append(" (private)", style=palette.muted)
            if n.conflict:
                t.append(" ⚡ conflict", style=palette.warning)
            t.append("  ")
            t.append_text(plain(first_line(n.body)))
            opts.append(Option(t, id=n.id))
        note_list.set_options(opts)
        if opts:
            note_list.highlighted = min(keep or 0, len(opts) - 1)
        note_list.display = bool(opts)
        self._preview(notes[note_list.highlighted] if opts and note_list.highlighted is not None else None)
        atitle = Text()
        atitle.append("Action items ", style=f"bold {palette.accent}")
        atitle.append(f"({len(actions)})  t add", style=palette.muted)
        self.query_one("#actions-title", Static).update(atitle)
        action_list = self.query_one(ActionList)
        action_list.set_options([Option(self._action_text(a, palette), id=a.id) for a in actions])
        action_list.display = bool(actions)

    def _action_text(self, a: ActionItem, palette: Palette) -> Text:
        mark = {"done": "✓", "in progress": "◐"}.get(a.status, "□")
        t = Text()
        t.append(f"{mark} ", style=palette.none if a.status == "done" else palette.accent)
        t.append_text(plain(a.title, "bold"))
        details = " · ".join(x for x in (a.owner, a.due, a.status) if x)
        if details:
            t.append("\n  ")
            t.append_text(plain(details, palette.muted))
        if a.conflict_fields:
            t.append(f"  ⚡ {', '.join(a.conflict_fields)}", style=palette.warning)
        return t

    def _preview(self, note: Note | None) -> None:
        md = self.query_one("#note-preview", Markdown)
        md.display = note is not None
        # Parsing Markdown is the slowest part of a repaint: only when the text really changed.
        if note is not None and note.body != self._previewed:
            md.update(visible(note.body))
        self._previewed = note.body if note is not None else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "note-list":
            event.stop()
            index = event.option_index
            if 0 <= index < len(self._notes):
                self._preview(self._notes[index])

    @property
    def highlighted_note(self) -> Note | None:
        nl = self.query_one(NoteList)
        if nl.highlighted is None or not self._notes or nl.highlighted >= len(self._notes):
            return None
        return self._notes[nl.highlighted]
