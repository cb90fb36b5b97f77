"""The notes pane's preview: the highlighted note's Markdown drawn as styled text (note_preview.py, notes.py).

It replaced Textual's Markdown widget, which mounted a widget per paragraph and laid the screen out for each on
every move to a question with notes. What it must still do: show emphasis, code, headings, lists, quotes, code
blocks, links and tables readably, and show what someone typed as typed (HTML, Rich markup, escapes).
"""

from __future__ import annotations

from pathlib import Path

from rich.color import Color
from rich.console import Console
from rich.style import Style
from textual.pilot import Pilot
from textual.widgets import TextArea

from tests.ui_support import demo_app
from wat_tui.ui.app import WatApp
from wat_tui.ui.screens.note_editor import NoteEditor
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.themes import PALETTES
from wat_tui.ui.widgets.note_preview import MORE, Looks, note_blocks, note_lines
from wat_tui.ui.widgets.notes import NotesPane

SIZE = (120, 36)
#: Two questions in a row with no note in the demo (data protection at rest, then in transit).
AT_REST = "wellarchitected/protect-data-rest"
#: The demo's question with two notes, the second one private (Dana's guess about the CI keys).
IDENTITIES = "wellarchitected/identities"


def workspace(app: WatApp) -> WorkspaceScreen:
    ws = app.screen
    assert isinstance(ws, WorkspaceScreen)
    return ws


async def write_note(pilot: Pilot[None], body: str) -> NotesPane:
    """On a question with no note: w, the note typed, Esc (which saves it); the pane that shows it."""
    app = pilot.app
    await pilot.press("w")
    await pilot.pause()
    assert isinstance(app.screen, NoteEditor)
    app.screen.query_one("#note-body", TextArea).insert(body)
    await pilot.pause()
    await pilot.press("escape")
    await pilot.pause(0.1)
    assert isinstance(app.screen, WorkspaceScreen)
    return app.screen.query_one(NotesPane)


async def at(pilot: Pilot[None], key: str) -> WorkspaceScreen:
    ws = workspace(pilot.app)  # type: ignore[arg-type]
    ws.go_to_key(key)
    await pilot.pause()
    return ws


def shown(pane: NotesPane) -> list[str]:
    """The preview's lines as drawn, as text."""
    return pane.preview_lines()


def style_of(pane: NotesPane, words: str) -> Style:
    """The style the pane draws ``words`` in (the first segment holding them)."""
    try:
        return pane.style_of(words)
    except LookupError:
        raise AssertionError(f"{words!r} is not drawn: {shown(pane)}") from None


async def test_the_preview_draws_the_notes_markdown_as_styled_text(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await at(pilot, AT_REST)
        preview = await write_note(pilot, "# Keys\n\n**Rotated** every *ninety* days by `rotate.sh`, see "
                                          "[the runbook](https://example.com/rb).\n\n"
                                          "- KMS for S3\n- EBS:\n  - default encryption\n\n"
                                          "1. audit\n2. alarm\n\n> checked by Ana")
        lines = shown(preview)
        assert lines[0] == "Keys"
        assert "Rotated every ninety days by rotate.sh, see the" in " ".join(lines)
        assert "• KMS for S3" in lines and "• EBS:" in lines and "  ◦ default encryption" in lines
        assert "1. audit" in lines and "2. alarm" in lines
        assert "▌ checked by Ana" in lines
        assert not any(mark in "".join(lines) for mark in ("**", "# ", "`", "](", "https://"))
        assert style_of(preview, "Rotated").bold
        assert style_of(preview, "ninety").italic
        assert style_of(preview, "Keys").bold
        assert style_of(preview, "runbook").underline


async def test_what_was_typed_shows_as_typed_not_as_html_markup_or_escapes(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await at(pilot, AT_REST)
        preview = await write_note(pilot, "<script>alert(1)</script> [red]x[/] \x1b[31mred?")
        said = "\n".join(shown(preview))
        assert "<script>alert(1)</script>" in said
        assert "[red]x[/]" in said
        assert "\x1b" not in said and "\\x1b[31mred?" in said  # the escape is shown, not obeyed
        assert style_of(preview, "x[/]").color != Color.parse("red")


async def test_the_preview_follows_the_highlighted_note(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await at(pilot, IDENTITIES)
        preview = ws.query_one(NotesPane)
        assert "People sign in through the" in shown(preview)[0]
        await pilot.press("f4")
        await pilot.pause()
        assert app.focused is preview
        await pilot.press("down")
        await pilot.pause()
        assert " ".join(shown(preview)) == "Dana thinks the CI keys are older than 2 years."
        await pilot.press("up")
        await pilot.pause()
        assert "People sign in through the" in shown(preview)[0]


async def test_a_note_taller_than_the_preview_says_there_is_more(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await at(pilot, AT_REST)
        preview = await write_note(pilot, "\n\n".join(f"Paragraph {n}." for n in range(1, 20)))
        lines = shown(preview)
        assert lines[0] == "Paragraph 1." and lines[-1] == MORE


async def test_moves_between_questions_with_and_without_notes_lay_nothing_out(data_dir: Path) -> None:
    """The notes pane keeps its size whatever a question's notes and action items: a move repaints its lines and
    the screen is not laid out again (bench_ui.py's next question at 120x36 spent a fifth of such moves there)."""
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = await at(pilot, AT_REST)
        following = ws.order[ws.index + 1]
        after = f"{following[0].alias}/{following[1].id}"
        ws.review.add_note(ws.session_id, after, "Ana Ruiz", "TLS 1.2 *at least*, everywhere.\n\n- ALB\n- CloudFront")
        pane = await write_note(pilot, "KMS keys **everywhere**, rotated.")
        layouts: list[object] = []
        lay_out = ws._refresh_layout

        def spy(*args: object, **kwargs: object) -> None:
            layouts.append(args)
            lay_out(*args, **kwargs)  # type: ignore[arg-type]

        ws._refresh_layout = spy  # type: ignore[method-assign]
        await pilot.press("n")
        await pilot.pause()
        assert ws.current_key == after
        assert shown(pane) == ["TLS 1.2 at least, everywhere.", "", "• ALB", "• CloudFront"]
        for key in (IDENTITIES, AT_REST):  # two notes and an action item; one note (the same pillar: the outline
            ws.go_to_key(key)              # opens none, which would be a layout of its own when its scrollbar shows)
            await pilot.pause()
            assert pane.listed_notes() and pane.preview_lines()
        bare = next(f"{lens.alias}/{q.id}" for lens, q in ws.order if q.pillar_id == following[1].pillar_id
                    and not ws.state.notes_for(f"{lens.alias}/{q.id}")
                    and not ws.state.actions_for(f"{lens.alias}/{q.id}"))
        ws.go_to_key(bare)  # no note, no action item
        await pilot.pause()
        assert pane.all_lines()[1].startswith("Notes (0)") and not pane.preview_lines()
        assert layouts == []


# -- the drawing, without the app ---------------------------------------------------------------------------------


def drawn(body: str, width: int = 40) -> list[str]:
    looks = Looks.of(PALETTES["wat-dark"])
    return [line.plain.rstrip() for line in note_lines(note_blocks(body, looks), Console(), width)]


def test_wrapped_list_items_and_quotes_keep_their_indent_and_bar() -> None:
    assert drawn("- one two three four five six seven eight", width=16) == [
        "• one two three", "  four five six", "  seven eight"]
    assert drawn("> one two three four five six", width=14) == ["▌ one two", "▌ three four", "▌ five six"]
    assert drawn("3. three\n4. four") == ["3. three", "4. four"]


def test_blocks_are_parted_by_a_blank_line_but_a_tight_lists_items_are_not() -> None:
    assert drawn("Para one.\n\n- a\n- b\n\nPara two.") == ["Para one.", "", "• a", "• b", "", "Para two."]
    assert drawn("- a\n\n- b") == ["• a", "", "• b"]


def test_code_blocks_keep_their_lines_and_spaces() -> None:
    assert drawn("```\nif x:\n    y()\n```") == ["if x:", "    y()"]
    assert drawn("    indented code") == ["indented code"]


def test_a_table_is_drawn_in_columns_where_it_fits_and_row_by_row_where_not() -> None:
    table = "| Service | Quota |\n|---|---:|\n| Lambda | 3000 |\n| SQS | 20 |"
    assert drawn(table) == ["Service │ Quota", "────────┼──────", "Lambda  │  3000", "SQS     │    20"]
    assert drawn(table, width=12) == ["Service:", "Lambda", "Quota: 3000", "", "Service: SQS", "Quota: 20"]


def test_a_rule_and_a_heading() -> None:
    assert drawn("Title\n=====\n\n***", width=10) == ["Title", "", "─" * 10]
