"""W shows the AWS tool's official wording of the questions and practices (imported with 'wat-tui aws import') instead
of ours, and back; this laptop's choice, kept across reopening; the imported text is shown as text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support import Run
from tests.test_aws_import import ANSWER, GET_ANSWER
from tests.ui_support import demo_app
from wat_tui.review.service import Review
from wat_tui.ui.app import WatApp
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.question import QuestionPane
from wat_tui.ui.wording import NO_WORDING

SIZE = (120, 36)
KEY = "wellarchitected/securely-operate"
PRACTICE = "sec_securely_operate_multi_accounts"


def import_wording(run: Run, tmp_path: Path, doc: dict[str, Any] = GET_ANSWER) -> None:
    path = tmp_path / "get-answer.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert run("aws", "import", str(path))[0] == 0


def workspace(app: WatApp) -> WorkspaceScreen:
    ws = app.screen
    assert isinstance(ws, WorkspaceScreen)
    return ws


def prompt(ws: WorkspaceScreen) -> str:
    return ws.query_one(QuestionPane).prompt_text()


def header(ws: WorkspaceScreen) -> str:
    return ws.query_one(QuestionPane).header_text()


def practice(ws: WorkspaceScreen, choice_id: str) -> str:
    cl = ws.query_one(QuestionPane)
    return cl.title_at(cl.choice_ids.index(choice_id))


async def test_w_shows_the_tools_wording_and_ours_again(run: Run, data_dir: Path, tmp_path: Path) -> None:
    app, sid = demo_app(data_dir)
    import_wording(run, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        ws.go_to_key(KEY)
        await pilot.pause()
        ours_title, ours_practice = prompt(ws), practice(ws, PRACTICE)
        assert ours_title != ANSWER["QuestionTitle"] and ours_practice != "Separate accounts"
        assert "official wording" not in header(ws)

        await pilot.press("W")
        await pilot.pause()
        assert prompt(ws) == ANSWER["QuestionTitle"]
        assert practice(ws, PRACTICE) == "Separate accounts"
        assert "official wording" in header(ws)
        # a question the tool's wording does not cover stays in our words, and says so
        ws.go_to_key("wellarchitected/data-classification")
        await pilot.pause()
        assert "official wording" not in header(ws).replace("no official wording", "")
        assert "own words" in header(ws)
        ws.go_to_key(KEY)
        await pilot.pause()

        await pilot.press("W")
        await pilot.pause()
        assert (prompt(ws), practice(ws, PRACTICE)) == (ours_title, ours_practice)
        assert "official wording" not in header(ws) and "own words" not in header(ws)
    with Review.open(data_dir) as review:
        assert review.local_setting(sid, "wording") == "own"


async def test_without_imported_wording_w_says_so_and_changes_nothing(data_dir: Path) -> None:
    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        before = (prompt(ws), header(ws))
        await pilot.press("W")
        await pilot.pause()
        assert [n.message for n in app._notifications] == [NO_WORDING]
        assert (prompt(ws), header(ws)) == before and not ws.official_wording
    with Review.open(data_dir) as review:
        assert review.local_setting(sid, "wording") is None


async def test_our_own_lenses_never_take_the_tools_wording(run: Run, data_dir: Path, tmp_path: Path) -> None:
    # The tool's serverless lens is not the demo's own serverless lens (an earlier version's alias): never used.
    sls = {"WorkloadId": "a" * 32, "LensAlias": "serverless", "Answer": {**ANSWER, "QuestionId": "x"}}
    app, _ = demo_app(data_dir)
    import_wording(run, tmp_path, sls)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        await pilot.press("W")
        await pilot.pause()
        assert [n.message for n in app._notifications] == [NO_WORDING] and not ws.official_wording


async def test_markup_in_the_tools_wording_shows_literally(run: Run, data_dir: Path, tmp_path: Path) -> None:
    title = "[bold red]Run[/] it [link=http://x]safely[/link] \x1b[31m"
    choices = [{**ANSWER["Choices"][0], "Title": "[red]Separate[/red] accounts"}, ANSWER["Choices"][1]]
    app, _ = demo_app(data_dir)
    import_wording(run, tmp_path, {**GET_ANSWER, "Answer": {**ANSWER, "QuestionTitle": title, "Choices": choices}})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app)
        ws.go_to_key(KEY)
        await pilot.press("W")
        await pilot.pause()
        shown = prompt(ws)
        assert shown.startswith("[bold red]Run[/] it [link=http://x]safely[/link] ") and "\x1b" not in shown
        assert practice(ws, PRACTICE) == "[red]Separate[/red] accounts"


async def test_the_choice_is_this_laptops_and_survives_reopening(run: Run, data_dir: Path, tmp_path: Path) -> None:
    app, sid = demo_app(data_dir)
    import_wording(run, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        workspace(app).go_to_key(KEY)
        await pilot.pause()
        before = app.review.ops(sid)
        await pilot.press("W")
        await pilot.pause()
        assert app.review.ops(sid) == before  # this laptop's setting, not an operation that would travel
    app.review.close()
    with Review.open(data_dir) as review:
        assert review.local_setting(sid, "wording") == "official"
    app2, _ = demo_app(data_dir)
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = workspace(app2)
        ws.go_to_key(KEY)
        await pilot.pause()
        assert ws.official_wording
        assert prompt(ws) == ANSWER["QuestionTitle"] and "official wording" in header(ws)
        assert practice(ws, PRACTICE) == "Separate accounts"
