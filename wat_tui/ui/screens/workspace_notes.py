"""The workspace's notes and action items: write, edit, add, change, delete; and exporting the report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wat_tui.errors import WatError
from wat_tui.store.errors import StoreError
from wat_tui.ui.screens.action_editor import ActionDraft, ActionEditor
from wat_tui.ui.screens.note_editor import NoteEditor
from wat_tui.ui.widgets.notes import ActionList, NoteList, NotesPane

if TYPE_CHECKING:
    from wat_tui.ui.screens.workspace import WorkspaceScreen


def author(ws: WorkspaceScreen) -> str:
    facilitators = [p.name for p in ws.state.participants if p.role == "Facilitator"]
    return facilitators[0] if facilitators else ws.review.writer_name


def write_note(ws: WorkspaceScreen) -> None:
    key = ws.current_key
    created: list[str] = []

    def save(author: str, body: str, private: bool) -> None:
        if created:
            ws.review.edit_note(ws.session_id, created[0], body, private)
        else:
            created.append(ws.review.add_note(ws.session_id, key, author, body, private))
        ws.reload(key)

    ws.app.push_screen(NoteEditor(f"New note on {ws.current[1].label}", author(ws), "", False, save))


def edit_note(ws: WorkspaceScreen) -> None:
    note = ws.query_one(NotesPane).highlighted_note
    if note is None:
        ws.action_write_note()
        return
    open_note(ws, note.id)


def note_chosen(ws: WorkspaceScreen, event: NoteList.Chosen) -> None:
    open_note(ws, event.item_id)


def open_note(ws: WorkspaceScreen, note_id: str) -> None:
    note = next((n for n in ws.state.notes if n.id == note_id), None)
    if note is None:
        return

    def save(author: str, body: str, private: bool) -> None:
        ws.review.edit_note(ws.session_id, note_id, body, private)
        ws.reload(ws.current_key)

    ws.app.push_screen(NoteEditor(f"Note by {note.author}", note.author, note.body, note.private, save))


def add_action(ws: WorkspaceScreen) -> None:
    open_action(ws, None)


def action_chosen(ws: WorkspaceScreen, event: ActionList.Chosen) -> None:
    open_action(ws, event.item_id)


def open_action(ws: WorkspaceScreen, action_id: str | None, draft: ActionDraft | None = None,
                error: str = "") -> None:
    item = next((a for a in ws.state.actions if a.id == action_id), None)
    if draft is None:
        draft = (ActionDraft(item.title, item.owner, item.due, item.status) if item
                 else ActionDraft("", "", "", "open"))
    owners = [p.name for p in ws.state.participants]
    key = ws.current_key

    def done(result: ActionDraft | None) -> None:
        if result is None:
            return
        try:
            if result.delete and action_id:
                ws.review.delete_action(ws.session_id, action_id)
            elif action_id:
                ws.review.edit_action(ws.session_id, action_id, title=result.title, owner=result.owner,
                                        due=result.due, status=result.status)
            else:
                ws.review.add_action(ws.session_id, result.title, result.owner, result.due, result.status,
                                       key)
        except StoreError as exc:
            # What was typed comes back in the editor with the reason; Enter tries again.
            open_action(ws, action_id, result,
                        error=f"Not saved: {exc}\nNothing you typed is lost: it is still here; Enter tries again.")
            return
        except WatError as exc:
            ws.notify(str(exc), severity="error", markup=False)
            open_action(ws, action_id, result)
            return
        ws.reload(key)

    heading = f"Action item for {ws.current[1].label}" if item is None else "Edit action item"
    ws.app.push_screen(ActionEditor(heading, owners, draft, can_delete=item is not None, error=error), done)


def export(ws: WorkspaceScreen) -> None:
    from pathlib import Path

    from wat_tui.ui.screens.export import ExportScreen

    def done(path: Path | None) -> None:
        if path is not None:
            ws.notify(f"Report written to {path}", markup=False)

    ws.app.push_screen(ExportScreen(ws.session_id, ws.state.name, Path.cwd()), done)
