"""The workspace's notes and action items: write, edit, add, change, close, delete; and the board (b), where the
wrap-up runs: every action item, the parking lot and the open conflicts."""

from __future__ import annotations

from textual.binding import Binding

from wat_tui.ui.screens.action_editor import close_or_reopen, open_action_editor
from wat_tui.ui.screens.note_editor import NoteEditor
from wat_tui.ui.screens.workspace_part import WorkspacePart
from wat_tui.ui.widgets.notes import NotesPane


class NotesKeys(WorkspacePart):
    """Notes and action items on the open question, from the keys or from the notes pane."""

    BINDINGS = [
        Binding("w", "write_note", "Note", id="write-note"),
        Binding("e", "edit_note", "Edit note", show=False, id="edit-note"),
        Binding("t", "add_action", "Action", id="add-action"),
        Binding("b", "board", "Board: action items, parking lot, conflicts", show=False, id="board"),
    ]

    def action_write_note(self) -> None:
        key = self.current_key
        created: list[str] = []

        def save(author: str, body: str, private: bool) -> None:
            if created:
                self.review.edit_note(self.session_id, created[0], body, private)
            else:
                created.append(self.review.add_note(self.session_id, key, author, body, private))
            self.reload(key)

        self.app.push_screen(NoteEditor(f"New note on {self.current[1].label}", self.author(), "", False, save))

    def action_edit_note(self) -> None:
        note = self.query_one(NotesPane).highlighted_note
        if note is None:
            self.action_write_note()
            return
        self.open_note(note.id)

    def on_notes_pane_note_chosen(self, event: NotesPane.NoteChosen) -> None:
        self.open_note(event.item_id)

    def open_note(self, note_id: str) -> None:
        note = next((n for n in self.state.notes if n.id == note_id), None)
        if note is None:
            return

        def save(author: str, body: str, private: bool) -> None:
            self.review.edit_note(self.session_id, note_id, body, private)
            self.reload(self.current_key)

        self.app.push_screen(NoteEditor(f"Note by {note.author}", note.author, note.body, note.private, save))

    def action_add_action(self) -> None:
        self.open_action(None)

    def on_notes_pane_action_chosen(self, event: NotesPane.ActionChosen) -> None:
        self.open_action(event.item_id)

    def on_notes_pane_done_toggled(self, event: NotesPane.DoneToggled) -> None:
        item = next((a for a in self.state.actions if a.id == event.item_id), None)
        if item is not None:
            key = self.current_key
            close_or_reopen(self, self.session_id, item, then=lambda: self.reload(key))

    def open_action(self, action_id: str | None) -> None:
        """The action item editor: a new item on the open question, or the item ``action_id``."""
        key = self.current_key
        heading = f"Action item for {self.current[1].label}" if action_id is None else "Edit action item"
        open_action_editor(self, self.session_id, self.state, action_id, key, heading, then=lambda: self.reload(key))

    def action_board(self) -> None:
        """The wrap-up board; it comes back with a question to open, or nothing."""
        from wat_tui.ui.screens.board import BoardScreen

        def done(question: str | None) -> None:
            self.reload()
            if question:
                self.go_to_key(question)

        if self.followup is not None:  # a follow-up takes its open actions on the board: its clock moves there
            from wat_tui.ui.followup_clock import FollowupClock

            if isinstance(self.clock, FollowupClock):
                self.clock.to_actions()
        self.app.push_screen(BoardScreen(self.session_id), done)
