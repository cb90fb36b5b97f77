"""Defects of the notes pane and its editors, driven as a facilitator drives them (issue 13).

Summaries cut a note in the middle of its Markdown; the preview dropped raw HTML; an action item shown in the notes
pane could not be edited or closed from there; an owner had to be a participant.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from textual.widgets.markdown import MarkdownBlock

from tests.ui_support import demo_app
from wat_tui.review.service import Review
from wat_tui.review.state import SessionState
from wat_tui.ui.app import WatApp
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.notes import NotesPane, summary

SIZE = (120, 36)
#: The demo's first reliability question: one note and one action item (Chen Wei's quota alarms).
QUOTAS = "wellarchitected/manage-service-limits"


def stored(data_dir: Path, sid: str) -> SessionState:
    review = Review.open(data_dir)
    try:
        return review.state(sid)
    finally:
        review.close()


def workspace(app: WatApp) -> WorkspaceScreen:
    ws = app.screen
    assert isinstance(ws, WorkspaceScreen)
    return ws


def rendered(app: WatApp, selector: str) -> str:
    """What a rendered note says: the note editor's Markdown blocks, or the notes pane's preview lines."""
    widget = app.screen.query_one(selector)
    if isinstance(widget, NotesPane):
        return "\n".join(widget.preview_lines())
    return "\n".join(str(b.render()) for b in widget.query(MarkdownBlock))


async def on_quotas(pilot: Pilot[None], notes: list[str] | None = None) -> WorkspaceScreen:
    """The workspace on the quotas question, with ``notes`` added to it."""
    ws = workspace(pilot.app)  # type: ignore[arg-type]
    for body in notes or []:
        ws.review.add_note(ws.session_id, QUOTAS, "Ana Ruiz", body)
    ws.go_to_key(QUOTAS)
    ws.reload()
    await pilot.pause()
    return ws


# -- summaries ----------------------------------------------------------------------------------------------------


def test_a_summary_is_the_notes_text_without_its_markdown() -> None:
    assert summary("**Quota alarms** exist for Lambda") == "Quota alarms exist for Lambda"
    assert summary("Quota alarms **exist for every quota the team tracks in its shared spreadsheet**",
                   width=40) == "Quota alarms exist for every quota the…"
    assert summary("# Plan\n\nnext") == "Plan"
    assert summary("- Chen: no alarm yet") == "Chen: no alarm yet"
    assert summary("See [the runbook](https://example.com/x) now") == "See the runbook now"
    assert summary("<script>alert(1)</script> stays text") == "<script>alert(1)</script> stays text"
    assert summary("  \n\n") == "(empty)"


async def test_the_notes_pane_summary_keeps_no_half_of_an_emphasis(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot, ["**Quota alarms** exist for Lambda",
                                     "Raise **the DynamoDB table and index write capacity quotas** before the sale"])
        listed = "\n".join(ws.query_one(NotesPane).listed_notes())
        assert "Quota alarms exist for Lambda" in listed
        assert "Raise the DynamoDB table and index write" in listed
        assert "*" not in listed


# -- previews -----------------------------------------------------------------------------------------------------


async def test_the_note_editors_preview_shows_raw_html_as_typed(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one("#note-body", TextArea).insert("Logs hold <script>alert(1)</script> and **more**")
        await pilot.pause(0.2)
        preview = rendered(app, "#note-live")
        assert "<script>alert(1)</script>" in preview
        assert "more" in preview and "**" not in preview  # Markdown still renders


async def test_the_notes_pane_preview_shows_raw_html_as_typed(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot)
        ws.review.edit_note(ws.session_id, ws.state.notes_for(QUOTAS)[0].id, "<b>bold?</b> no: text")
        ws.reload()
        await pilot.pause(0.2)
        assert "<b>bold?</b> no: text" in rendered(app, "#notes")


# -- action items where they are shown ----------------------------------------------------------------------------


async def to_the_action_list(pilot: Pilot[None]) -> WorkspaceScreen:
    """The quotas question, its action item highlighted as the facilitator gets there: F4 (its note), then down."""
    ws = await on_quotas(pilot)
    await pilot.press("f4", "down")
    await pilot.pause()
    pane = ws.query_one(NotesPane)
    assert pilot.app.focused is pane and pane.highlighted_action is not None
    return ws


async def test_enter_on_the_notes_panes_action_item_edits_it(data_dir: Path) -> None:
    from wat_tui.ui.screens.action_editor import ActionEditor

    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await to_the_action_list(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionEditor)
        due = app.screen.query_one("#action-due", Input)
        assert app.screen.query_one("#action-title", Input).value == "Alarm at 80% of Lambda and DynamoDB quotas"
        due.value = "2026-12-24"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    [item] = stored(data_dir, sid).actions_for(QUOTAS)
    assert item.due == "2026-12-24"


async def test_space_on_the_notes_panes_action_item_closes_and_reopens_it(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await to_the_action_list(pilot)
        await pilot.press("space")
        await pilot.pause()
        assert [a.status for a in stored(data_dir, sid).actions_for(QUOTAS)] == ["done"]
        pane = ws.query_one(NotesPane)
        assert pane.listed_actions()[0].startswith("✓ Alarm at 80%")
        assert app.focused is pane and pane.highlighted_action is not None  # the room can go on closing items
        await pilot.press("space")
        await pilot.pause()
        assert [a.status for a in stored(data_dir, sid).actions_for(QUOTAS)] == ["open"]


async def type_owner(pilot: Pilot[None], text: str) -> Input:
    await pilot.press("t")
    await pilot.pause()
    pilot.app.screen.query_one("#action-title", Input).value = "Ask the payment provider for latency figures"
    owner = pilot.app.screen.query_one("#action-owner", Input)
    owner.focus()
    await pilot.press(*text)
    await pilot.pause()
    return owner


async def test_an_action_item_can_be_owned_by_someone_who_is_not_a_participant(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await on_quotas(pilot)
        assert "Priya" not in {p.name for p in ws.state.participants}
        await type_owner(pilot, "Priya")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    owners = {a.title: a.owner for a in stored(data_dir, sid).actions_for(QUOTAS)}
    assert owners["Ask the payment provider for latency figures"] == "Priya"


async def test_the_owner_field_suggests_the_participants(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await on_quotas(pilot)
        owner = await type_owner(pilot, "che")
        assert "Chen Wei" in shown_text_of(app, "#action-owners")
        await pilot.press("enter")  # takes the suggested participant
        await pilot.pause()
        assert owner.value == "Chen Wei"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WorkspaceScreen)
    owners = {a.title: a.owner for a in stored(data_dir, sid).actions_for(QUOTAS)}
    assert owners["Ask the payment provider for latency figures"] == "Chen Wei"


def shown_text_of(app: WatApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())
