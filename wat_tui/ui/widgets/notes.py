"""The notes pane: the open question's notes (Markdown, each with its author) and its action items."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Markdown, Static
from textual.widgets.option_list import Option

from wat_tui.exchange.aws import plain_text
from wat_tui.review.state import ActionItem, Note
from wat_tui.ui.text import plain, visible
from wat_tui.ui.themes import Palette
from wat_tui.ui.widgets.line_list import LineList
from wat_tui.ui.widgets.note_preview import NotePreview, note_parser

__all__ = ["ActionList", "IdList", "NoteList", "NotesPane", "action_text", "note_markdown", "note_parser", "summary"]


def summary(body: str, width: int = 60) -> str:
    """The note's first line of text as a reader sees it, cut to ``width``: the Markdown is read first, so a cut
    never leaves half of an emphasis (``**``) or a link behind, and raw HTML stays the characters typed."""
    for line in plain_text(body).splitlines():
        s = line.strip().removeprefix("- ").strip()
        if s:
            return s if len(s) <= width else s[: width - 1].rstrip() + "…"
    return "(empty)"


def note_markdown(body: str = "", *, id: str) -> Markdown:
    """A rendered note in Textual's Markdown widget: the note editor's live preview. (The notes pane draws its
    preview itself, note_preview.py: this widget mounts a widget per paragraph, too slow for every move.)"""
    return Markdown(visible(body), id=id, parser_factory=note_parser)


class IdList(LineList):
    """A list whose options carry ids; Enter or a click on one posts ``Chosen`` with the id."""

    @dataclass
    class Chosen(Message):
        item_id: str

    def on_line_list_selected(self, event: LineList.Selected) -> None:
        event.stop()
        option_id = self.get_option_at_index(event.index).id
        if option_id:
            self.post_message(self.Chosen(option_id))


class NoteList(IdList):
    class Chosen(IdList.Chosen):
        """A note was picked: ``item_id`` is its id."""


class ActionList(IdList):
    """Action items: Enter edits the highlighted one, space closes it (done) or opens it again."""

    BINDINGS = [Binding("space", "close_or_reopen", "Done / reopen", id="action-done")]

    class Chosen(IdList.Chosen):
        """An action item was picked: ``item_id`` is its id."""

    @dataclass
    class DoneToggled(Message):
        """Close the item ``item_id``, or open it again if it is done."""

        item_id: str

    def action_close_or_reopen(self) -> None:
        if self.highlighted is not None:
            option = self.get_option_at_index(self.highlighted)
            if option.id:
                self.post_message(self.DoneToggled(option.id))


def action_text(a: ActionItem, palette: Palette, where: str = "") -> Text:
    """An action item as listed: its status mark and title, then owner, due date, status (and ``where``)."""
    mark = {"done": "✓", "in progress": "◐"}.get(a.status, "□")
    t = Text()
    t.append(f"{mark} ", style=palette.none if a.status == "done" else palette.accent)
    t.append_text(plain(a.title, "bold"))
    details = " · ".join(x for x in (a.owner, a.due, a.status, where) if x)
    if details:
        t.append("\n  ")
        t.append_text(plain(details, palette.muted))
    if a.conflict_fields:
        t.append(f"  ⚡ {', '.join(a.conflict_fields)}", style=palette.warning)
    return t


class NotesPane(Vertical):
    """Notes and action items of the open question; the highlighted note is shown rendered below the list."""

    def compose(self) -> ComposeResult:
        yield Static(id="notes-title", classes="pane-title")
        yield NoteList(id="note-list")
        yield NotePreview(id="note-preview")
        yield Static(id="actions-title", classes="pane-title")
        yield ActionList(id="action-list")

    def on_mount(self) -> None:
        self._notes: list[Note] = []
        self._palette: Palette | None = None

    def show(self, notes: list[Note], actions: list[ActionItem], palette: Palette) -> None:
        self._notes = notes
        title = Text()
        title.append("Notes ", style=f"bold {palette.accent}")
        title.append(f"({len(notes)})  w write · e edit", style=palette.muted)
        shown = (tuple(notes), tuple(actions), palette)
        if shown == getattr(self, "_shown", None):
            return  # the same question with nothing changed: nothing to repaint (a Static's update lays out)
        self._shown = shown
        self._title("#notes-title", title)
        note_list = self.query_one(NoteList)
        keep = note_list.highlighted
        opts = []
        for n in notes:
            t = Text()
            t.append_text(plain(n.author or "anonymous", f"bold {palette.accent}"))
            if n.private:
                t.append(" (private)", style=palette.muted)
            if n.conflict:
                t.append(" ⚡ conflict", style=palette.warning)
            t.append("  ")
            t.append_text(plain(summary(n.body)))
            opts.append(Option(t, id=n.id))
        note_list.set_options(opts)
        if opts:
            note_list.highlighted = min(keep or 0, len(opts) - 1)
        note_list.display = bool(opts)
        self._palette = palette
        self._preview(notes[note_list.highlighted] if opts and note_list.highlighted is not None else None)
        atitle = Text()
        atitle.append("Action items ", style=f"bold {palette.accent}")
        atitle.append(f"({len(actions)})  t add", style=palette.muted)
        if actions:
            atitle.append("\n⏎ edit · space done/reopen", style=palette.muted)
        self._title("#actions-title", atitle)
        action_list = self.query_one(ActionList)
        keep_action = action_list.highlighted
        action_list.set_options([Option(action_text(a, palette), id=a.id) for a in actions])
        if actions:  # one is always highlighted, so Enter and space act on it as soon as the list has focus
            action_list.highlighted = min(keep_action or 0, len(actions) - 1)
        action_list.display = bool(actions)

    def _title(self, selector: str, title: Text) -> None:
        """A title's new words, if they are new; the screen is laid out again only if its number of lines changed
        (a title is narrower than the pane, so its lines are its own)."""
        static = self.query_one(selector, Static)
        before = static.content
        if isinstance(before, Text) and before == title:
            return
        lines = title.plain.count("\n")
        static.update(title, layout=not isinstance(before, Text) or before.plain.count("\n") != lines)

    def _preview(self, note: Note | None) -> None:
        preview = self.query_one(NotePreview)
        preview.display = note is not None
        if note is not None and self._palette is not None:
            preview.show(note.body, self._palette)

    def on_line_list_highlighted(self, event: LineList.Highlighted) -> None:
        if event.line_list.id == "note-list":
            event.stop()
            index = event.index
            if 0 <= index < len(self._notes):
                self._preview(self._notes[index])

    @property
    def highlighted_note(self) -> Note | None:
        nl = self.query_one(NoteList)
        if nl.highlighted is None or not self._notes or nl.highlighted >= len(self._notes):
            return None
        return self._notes[nl.highlighted]
