"""The workspace is built from parts (notes, time, exchange), each with its own keys and actions, talking to the
workspace only through public members."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from tests.ui_support import demo_app
from wat_tui.review.service import Review
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.screens.workspace_exchange import ExchangeKeys
from wat_tui.ui.screens.workspace_notes import NotesKeys
from wat_tui.ui.screens.workspace_part import WorkspacePart
from wat_tui.ui.screens.workspace_time import TimeKeys

SIZE = (120, 36)
SCREENS = Path(__file__).resolve().parent.parent / "wat_tui" / "ui" / "screens"

#: Each part and the binding ids it owns.
PARTS: list[tuple[type[WorkspacePart], set[str]]] = [
    (NotesKeys, {"write-note", "edit-note", "add-action", "board"}),
    (TimeKeys, {"clock", "agenda", "break", "park", "bell"}),
    (ExchangeKeys, {"export", "merge", "conflicts", "impact", "effort", "findings", "milestone", "roadmap"}),
]


def declared(cls: type) -> list[Binding]:
    """The bindings written in ``cls``'s own class body (not inherited)."""
    return [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]


@pytest.mark.parametrize(("part", "ids"), PARTS, ids=lambda p: getattr(p, "__name__", ""))
def test_each_part_declares_its_keys_and_their_actions(part: type[WorkspacePart], ids: set[str]) -> None:
    assert {b.id for b in declared(part)} == ids
    for b in declared(part):
        action = f"action_{b.action}"
        assert action in part.__dict__, f"{part.__name__} binds {b.key} but {action} is elsewhere"
        assert action not in WorkspaceScreen.__dict__, f"WorkspaceScreen defines the part's {action}"
        assert issubclass(WorkspaceScreen, part)


def test_the_workspace_lists_the_parts_keys_without_declaring_them_again() -> None:
    """The screen's list orders the key bar and the help; a part's keys appear there as the part's own objects."""
    from wat_tui.ui.screens import workspace

    parts = {id(b): part for part, _ in PARTS for b in declared(part)}
    listed = declared(WorkspaceScreen)
    assert {id(b) for b in listed} >= set(parts), "a part's key is missing from the key bar and the help"
    own = [b for b in listed if id(b) not in parts]
    assert [b for b in own if b.id in {i for _, ids in PARTS for i in ids}] == []
    assert all(b in (*workspace.QUESTION_KEYS, *workspace.SCREEN_KEYS) for b in own)
    keys = [b.key for b in listed]
    assert len(keys) == len(set(keys)), "a key is bound twice on the workspace"
    # The screen's own keys act on the screen itself.
    for b in own:
        name = f"action_{b.action.split('(')[0]}"
        assert name in WorkspaceScreen.__dict__, name


def test_the_key_bar_reads_as_it_did() -> None:
    shown = [b.description for b in declared(WorkspaceScreen) if b.show]
    assert shown == ["Next", "Next pillar", "Plan", "Note", "Action", "Focus", "Clock", "Agenda"]


def test_parts_know_nothing_of_the_screen_or_of_each_other() -> None:
    """A part imports the shared WorkspacePart only: the screen composes the parts, never the reverse."""
    for name in ("workspace_notes", "workspace_time", "workspace_exchange", "workspace_part"):
        tree = ast.parse((SCREENS / f"{name}.py").read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        others = {f"wat_tui.ui.screens.{m}" for m in ("workspace", "workspace_notes", "workspace_time",
                                                      "workspace_exchange")} - {f"wat_tui.ui.screens.{name}"}
        assert imported & others == set(), name


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _own_names(cls: ast.ClassDef) -> set[str]:
    """What a class defines itself: its methods, its class attributes, and what its methods assign on self."""
    names: set[str] = set()
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    for assigned in ast.walk(cls):
        targets = (assigned.targets if isinstance(assigned, ast.Assign)
                   else [assigned.target] if isinstance(assigned, (ast.AnnAssign, ast.AugAssign)) else [])
        for t in targets:
            for leaf in ast.walk(t):
                if (isinstance(leaf, ast.Attribute) and isinstance(leaf.value, ast.Name)
                        and leaf.value.id == "self"):
                    names.add(leaf.attr)
    return names


def reaches_into(source: str) -> list[str]:
    """Every use of another class's underscore member: ``other._x`` on anything but self, and ``self._x`` where
    the enclosing class does not define ``_x`` itself (a base class's, a part's, or Textual's)."""
    found: list[str] = []

    def visit(node: ast.AST, own: set[str] | None) -> None:
        if isinstance(node, ast.ClassDef):
            own = _own_names(node)
        if isinstance(node, ast.Attribute) and _private(node.attr):
            on_self = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            if not on_self or own is None or node.attr not in own:
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
        for child in ast.iter_child_nodes(node):
            visit(child, own)

    visit(ast.parse(source), None)
    return found


def test_the_check_finds_reaching_in() -> None:
    assert reaches_into("def f(ws):\n    ws._repaint_clock()\n") == ["line 2: ws._repaint_clock"]
    assert reaches_into("class A(B):\n    def f(self):\n        self._clock_text()\n") == [
        "line 3: self._clock_text"]
    assert reaches_into("class A:\n    def f(self):\n        self._x = 1\n        return self._x\n") == []
    assert reaches_into("class A:\n    def _g(self):\n        pass\n    def f(self):\n        self._g()\n") == []


@pytest.mark.parametrize("module", sorted(p.name for p in SCREENS.glob("*.py")))
def test_no_screen_module_reaches_into_another_classs_private_members(module: str) -> None:
    assert reaches_into((SCREENS / module).read_text(encoding="utf-8")) == []


async def test_each_part_binds_its_keys_on_the_running_workspace(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        active = ws.active_bindings  # from the focused practices list up to the app
        for part, _ in PARTS:
            for b in declared(part):
                assert active[b.key].binding == b and active[b.key].node is ws, b.key


async def press(pilot: Pilot[None], key: str) -> Any:
    """Press ``key`` on the workspace; the screen on top afterwards."""
    await pilot.press(key)
    await pilot.pause()
    return pilot.app.screen


async def opens(pilot: Pilot[None], key: str, kind: type[Screen[Any]]) -> None:
    """``key`` opens a ``kind`` over the workspace; closing it comes back to the workspace."""
    assert isinstance(await press(pilot, key), kind), key
    pilot.app.pop_screen()
    await pilot.pause()
    assert isinstance(pilot.app.screen, WorkspaceScreen)


async def test_notes_keys_and_lists_open_their_editors(data_dir: Path) -> None:
    from wat_tui.ui.screens.action_editor import ActionEditor
    from wat_tui.ui.screens.note_editor import NoteEditor
    from wat_tui.ui.widgets.notes import NotesPane

    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await opens(pilot, "w", NoteEditor)
        await opens(pilot, "e", NoteEditor)  # no note highlighted: a new one
        await opens(pilot, "t", ActionEditor)
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        item = ws.review.add_action(sid, "Tag the data stores", "Ana", "", "open", ws.current_key)
        ws.reload(ws.current_key)
        ws.query_one(NotesPane).post_message(NotesPane.ActionChosen(item))
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ActionEditor)
        assert editor.query_one("#action-title", Input).value == "Tag the data stores"


async def test_time_keys_open_the_agenda_and_the_break_and_park_and_ring(data_dir: Path) -> None:
    from wat_tui.ui.screens.agenda import AgendaScreen
    from wat_tui.ui.screens.break_screen import BreakScreen

    app, sid = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        await opens(pilot, "A", AgendaScreen)
        await opens(pilot, "B", BreakScreen)
        assert await press(pilot, "L") is ws
        assert ws.current_key in ws.clock.timeline.parked
        bell = ws.bell
        assert await press(pilot, "M") is ws
        assert ws.bell is not bell
        status = ws.clock.status  # the break started the clock
        assert await press(pilot, "c") is ws
        assert ws.clock.status != status
    review = Review.open(data_dir)
    try:
        assert review.local_setting(sid, "bell") == ("on" if not bell else "off")
    finally:
        review.close()


async def test_exchange_keys_open_export_merge_and_conflicts(data_dir: Path) -> None:
    from wat_tui.ui.screens.conflicts import ConflictsScreen
    from wat_tui.ui.screens.export import ExportScreen
    from wat_tui.ui.screens.merge import MergeScreen

    app, _ = demo_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await opens(pilot, "E", ExportScreen)
        await opens(pilot, "I", MergeScreen)
        await opens(pilot, "C", ConflictsScreen)
