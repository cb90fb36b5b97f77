"""The workspace's notes and action items: write, edit, add, change, delete."""

from __future__ import annotations

from textual.binding import Binding

from wat_tui.errors import WatError
from wat_tui.store.errors import StoreError
from wat_tui.ui.screens.action_editor import ActionDraft, ActionEditor
from wat_tui.ui.screens.note_editor import NoteEditor
from wat_tui.ui.screens.workspace_part import WorkspacePart
from wat_tui.ui.widgets.notes import ActionList, NoteList, NotesPane


class NotesKeys(WorkspacePart):
    """Notes and action items on the open question, from the keys or from the notes pane."""

    BINDINGS = [
        Binding("w", "write_note", "Note", id="write-note"),
        Binding("e", "edit_note", "Edit note", show=False, id="edit-note"),
        Binding("t", "add_action", "Action", id="add-action"),
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

    def on_note_list_chosen(self, event: NoteList.Chosen) -> None:
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

    def on_action_list_chosen(self, event: ActionList.Chosen) -> None:
        self.open_action(event.item_id)

    def open_action(self, action_id: str | None, draft: ActionDraft | None = None, error: str = "") -> None:
        """The action item editor: a new item on the open question, or the item ``action_id``; ``draft`` and
        ``error`` bring back what was typed when saving it failed."""
        item = next((a for a in self.state.actions if a.id == action_id), None)
        if draft is None:
            draft = (ActionDraft(item.title, item.owner, item.due, item.status) if item
                     else ActionDraft("", "", "", "open"))
        owners = [p.name for p in self.state.participants]
        key = self.current_key

        def done(result: ActionDraft | None) -> None:
            if result is None:
                return
            try:
                if result.delete and action_id:
                    self.review.delete_action(self.session_id, action_id)
                elif action_id:
                    self.review.edit_action(self.session_id, action_id, title=result.title, owner=result.owner,
                                            due=result.due, status=result.status)
                else:
                    self.review.add_action(self.session_id, result.title, result.owner, result.due, result.status,
                                           key)
            except StoreError as exc:
                # What was typed comes back in the editor with the reason; Enter tries again.
                self.open_action(action_id, result, error=f"Not saved: {exc}\nNothing you typed is lost: it is "
                                                          "still here; Enter tries again.")
                return
            except WatError as exc:
                self.notify(str(exc), severity="error", markup=False)
                self.open_action(action_id, result)
                return
            self.reload(key)

        heading = f"Action item for {self.current[1].label}" if item is None else "Edit action item"
        self.app.push_screen(ActionEditor(heading, owners, draft, can_delete=item is not None, error=error), done)
