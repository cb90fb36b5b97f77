"""Text from a file or a person reaches the terminal as text, never as control.

Every payload below is run through the real entry point (``wat_tui.cli.main``) of every command that prints
such text, and through the app with Pilot: no raw control character (nothing but the newline between lines)
may reach stdout, stderr or the screen, and the payload must still be there, in its escaped form.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tests.support import Run
from tests.ui_support import frozen_clock
from wat_tui.exchange.report import render_markdown
from wat_tui.review.service import Review

#: (payload, how it must show): terminal escapes, 8-bit controls, bidi and invisible characters, line breaks,
#: and Rich markup (which must print as the brackets it is).
PAYLOADS = [
    pytest.param("\x1b[2J", "\\x1b[2J", id="csi-clear-screen"),
    pytest.param("\x1b]52;c;aGk=\x07", "\\x1b]52;c;aGk=\\x07", id="osc52-clipboard-bel"),
    pytest.param("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07", id="osc0-title"),
    pytest.param("\x1b]2;pwned\x1b\\", "\\x1b]2;pwned\\x1b\\", id="osc2-title-st"),
    pytest.param("\x07", "\\x07", id="bel"),
    pytest.param("\x00", "\\x00", id="nul"),
    pytest.param("\x7f", "\\x7f", id="del"),
    pytest.param("\r", "\\r", id="carriage-return"),
    pytest.param("\u202e", "\\u202e", id="right-to-left-override"),
    pytest.param("\u2066", "\\u2066", id="left-to-right-isolate"),
    pytest.param("\u200b", "\\u200b", id="zero-width-space"),
    pytest.param("\ufeff", "\\ufeff", id="byte-order-mark"),
    pytest.param("\u2028", "\\u2028", id="line-separator"),
    pytest.param("\x85", "\\x85", id="c1-next-line"),
    pytest.param("\x9b2J", "\\x9b2J", id="c1-csi-8-bit"),
    pytest.param("two\nlines", "two\\nlines", id="newline"),
    pytest.param("a\tb", "a\\tb", id="tab"),
    pytest.param("[red]x[/]", "[red]x[/]", id="rich-markup"),
    pytest.param("[link=https://example.com/]click[/link]", "[link=https://example.com/]click[/link]",
                 id="rich-link"),
]
#: The payloads that carry a raw control character, for tests that only need those.
RAW = [p for p in PAYLOADS if p.id not in ("rich-markup", "rich-link")]
#: A few that cover each kind of trouble, for the slower app tests.
APP_PAYLOADS = [p for p in PAYLOADS if p.id in (
    "csi-clear-screen", "osc52-clipboard-bel", "osc0-title", "bel", "nul", "right-to-left-override",
    "c1-csi-8-bit", "newline", "rich-markup")]


def raw_controls(text: str) -> list[str]:
    """Every character that a terminal could act on or hide (the newline between lines excepted)."""
    return sorted({f"U+{ord(c):04X}" for c in text
                   if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")})



def lens_doc(payload: str, alias: str | None = None) -> dict[str, Any]:
    """A small custom lens with ``payload`` in every piece of text a person reads."""
    doc: dict[str, Any] = {
        "schemaVersion": "2021-11-01",
        "name": f"Lens {payload}",
        "description": f"About {payload}",
        "_version": f"1{payload}",
        "pillars": [{
            "id": "p1",
            "name": f"P{payload}",
            "questions": [{
                "id": "q1",
                "ref": f"R{payload}",
                "title": f"Question {payload}",
                "description": f"Description {payload}",
                "helpfulResource": {"displayText": f"Hint {payload}"},
                "choices": [
                    {"id": "q1_a", "title": f"Choice {payload}",
                     "improvementPlan": {"displayText": f"Plan {payload}"}},
                    {"id": "q1_no", "title": "None of these"},
                ],
                "riskRules": [
                    {"condition": "q1_a && !q1_no", "risk": "NO_RISK"},
                    {"condition": "default", "risk": "HIGH_RISK"},
                ],
            }],
        }],
    }
    if alias is not None:
        doc["_alias"] = alias
    return doc


def write_lens(directory: Path, payload: str, name: str = "hostile.json", alias: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(json.dumps(lens_doc(payload, alias)), encoding="utf-8")
    return path


def hostile_session(data_dir: Path, tmp_path: Path, payload: str) -> str:
    """A session named with ``payload``, on a lens full of it, with a note and an action item holding it."""
    review = Review.open(data_dir)
    try:
        review.import_lens(write_lens(tmp_path / "lenses", payload), "hostile")
        sid = review.create_session(f"S{payload}", workload=f"W{payload}", lenses=["hostile"],
                                    participants=[(f"Ana{payload}", "Facilitator")])
        review.add_note(sid, "hostile/q1", f"Ana{payload}", f"Note {payload}")
        review.add_action(sid, f"Action {payload}", owner=f"Ben{payload}", question="hostile/q1")
        return sid
    finally:
        review.close()


def assert_clean(code: int, out: str, err: str, shown: str, where: str = "out") -> None:
    assert raw_controls(out) == [], out
    assert raw_controls(err) == [], err
    assert shown in (out if where == "out" else err), (out, err)


# -- the one cleaning function -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("payload", "shown"), PAYLOADS)
def test_for_terminal_single_line(payload: str, shown: str) -> None:
    from wat_tui.termtext import for_terminal

    cleaned = for_terminal(f"a{payload}z", single_line=True)
    assert cleaned == f"a{shown}z"
    assert raw_controls(cleaned) == [] and "\n" not in cleaned


@pytest.mark.parametrize(("text", "cleaned"), [
    ("plain [b]text[/b] é ✓ 日本", "plain [b]text[/b] é ✓ 日本"),
    ("line one\nline two\tindented", "line one\nline two\tindented"),
    ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
    ("\u202ecod.exe", "\\u202ecod.exe"),
    ("astral \U000e0041 tag", "astral \\U000e0041 tag"),
    ("\ud800 lone surrogate", "\\ud800 lone surrogate"),
    ("\r\n", "\\r\n"),
    ("", ""),
])
def test_for_terminal_keeps_lines_and_tabs_unless_single_line(text: str, cleaned: str) -> None:
    from wat_tui.termtext import for_terminal

    assert for_terminal(text) == cleaned
    assert "\n" not in for_terminal(text, single_line=True)


def test_the_ui_helpers_use_it() -> None:
    from wat_tui.ui.text import plain, visible

    assert visible("a\x1b[2J\u202eb\nc") == "a\\x1b[2J\\u202eb\nc"
    assert visible("a\nb", single_line=True) == "a\\nb"
    assert plain("[red]x[/]\x07").plain == "[red]x[/]\\x07"


# -- the command line ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("payload", "shown"), PAYLOADS)
def test_list(run: Run, review: Review, payload: str, shown: str) -> None:
    review.create_session(f"A{payload}Z", workload=payload)
    review.create_session("Plain one")
    code, out, err = run("list")
    assert (code, err) == (0, "")
    assert_clean(code, out, err, f"A{shown}Z")
    assert len(out.splitlines()) == 3, out  # the heading and one line per session, whatever the names hold


def test_list_every_payload_at_once(run: Run, review: Review) -> None:
    for p in PAYLOADS:
        review.create_session(f"A{p.values[0]}Z")
    code, out, err = run("list")
    assert (code, err) == (0, "")
    assert raw_controls(out) == []
    assert len(out.splitlines()) == 1 + len(PAYLOADS)
    for p in PAYLOADS:
        assert f"A{p.values[1]}Z" in out


@pytest.mark.parametrize(("payload", "shown"), PAYLOADS)
def test_lens_import_list_show(run: Run, tmp_path: Path, payload: str, shown: str) -> None:
    path = write_lens(tmp_path / "in", payload)
    code, out, err = run("lens", "import", str(path), "--alias", "hostile")
    assert (code, err) == (0, "")
    assert_clean(code, out, err, f"version 1{shown})")
    assert len(out.splitlines()) == 1

    code, out, err = run("lens", "list")
    assert (code, err) == (0, "")
    assert_clean(code, out, err, f"Lens {shown}")
    assert f"1{shown} (rev 1)" in out
    assert len([line for line in out.splitlines() if line.startswith("hostile ")]) == 1, out

    code, out, err = run("lens", "show", "hostile")
    assert (code, err) == (0, "")
    assert_clean(code, out, err, f"Lens {shown} (hostile, version 1{shown})")
    for piece in (f"P{shown} [p1]", f"R{shown}", f"Question {shown}"):
        assert piece in out, (piece, out)
    assert len(out.splitlines()) == 4, out  # the lens, its pillar, the question and its practices count


@pytest.mark.parametrize(("payload", "shown"), RAW)
def test_lens_alias_given(run: Run, tmp_path: Path, payload: str, shown: str) -> None:
    """An alias must travel in bundles, so one with control or invisible characters is refused at the door; the
    refusal names it escaped, on one line."""
    path = write_lens(tmp_path / "in", "x")
    code, out, err = run("lens", "import", str(path), "--alias", f"h{payload}")
    assert code == 1 and out == "" and err.startswith("wat-tui: error: ") and err.count("\n") == 1, err
    assert_clean(code, out, err, f"h{shown}", where="err")
    code, out, err = run("lens", "list")
    assert code == 0 and f"h{shown}" not in out


@pytest.mark.parametrize(("payload", "shown"), [p for p in RAW if "\x00" not in p.values[0]])
def test_lens_import_warning_and_error_name_the_file(run: Run, tmp_path: Path, payload: str, shown: str) -> None:
    doc = lens_doc("x")
    doc["pillars"][0]["questions"][0]["riskRules"].pop()  # no default rule: a warning naming the file
    (tmp_path / "in").mkdir()
    path = tmp_path / "in" / f"h{payload}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = run("lens", "import", str(path), "--alias", "hostile")
    assert code == 0
    assert_clean(code, out, err, f"h{shown}.json", where="err")
    assert err.startswith("wat-tui: warning: ") and len(err.splitlines()) == 1, err

    code, out, err = run("lens", "import", str(tmp_path / "in" / f"missing{payload}.json"))
    assert code == 1
    assert_clean(code, out, err, f"missing{shown}.json", where="err")
    assert err.startswith("wat-tui: error: ") and len(err.splitlines()) == 1, err


@pytest.mark.parametrize(("payload", "shown"), RAW)
def test_error_messages(run: Run, review: Review, payload: str, shown: str) -> None:
    review.create_session("Existing")
    review.create_session(f"Dup{payload}one")
    review.create_session(f"Dup{payload}two")
    cases = [
        ("open", f"nothing{payload}"),
        ("report", f"nothing{payload}"),
        ("export", f"nothing{payload}", "-o", "x.json"),
        ("lens", "show", f"nothing{payload}"),
        ("new", "Name", "--lens", f"nothing{payload}"),
        ("new", "Name", "--workload-type", f"nothing{payload}"),
        ("new", "Name", "--duration", f"nothing{payload}"),
    ]
    for argv in cases:
        code, out, err = run(*argv)
        assert code in (1, 2), argv
        assert out == ""
        assert err.startswith("wat-tui: error: ") and len(err.splitlines()) == 1, (argv, err)
        assert raw_controls(err) == [], (argv, err)
        assert "nothing" in err, (argv, err)
    code, out, err = run("report", "Dup")
    assert code == 1 and err.startswith("wat-tui: error: ") and len(err.splitlines()) == 1, err
    assert raw_controls(err) == [] and "Dup" in err


@pytest.mark.parametrize(("payload", "shown"), RAW)
def test_report_to_a_terminal(run: Run, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              payload: str, shown: str) -> None:
    sid = hostile_session(data_dir, tmp_path, payload)
    review = Review.open(data_dir)
    try:
        expected = render_markdown(review, sid)
    finally:
        review.close()
    code, out, err = run("report", sid)
    assert (code, err) == (0, "")
    assert out == expected  # to a pipe or a file: the report's own bytes
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run("report", sid)
    assert (code, err) == (0, "")
    assert raw_controls(out.replace("\t", "")) == [], out  # a terminal: tabs and newlines stay, nothing else
    code, out, err = run("report", sid, "--format", "html")
    assert (code, err) == (0, "")
    assert raw_controls(out.replace("\t", "")) == []


@pytest.mark.parametrize(("payload", "shown"), RAW)
def test_export_and_summary(run: Run, capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path,
                            payload: str, shown: str) -> None:
    from wat_tui.cli.sessions import print_summary

    sid = hostile_session(data_dir, tmp_path, payload)
    code, out, err = run("export", sid, "-o", str(tmp_path / "b.json"))
    assert (code, err) == (0, "")
    assert_clean(code, out, err, f'"S{shown}"')
    assert len(out.splitlines()) == 1
    review = Review.open(data_dir)
    try:
        print_summary(review, sid)  # what `wat-tui demo --print` prints, for any session
    finally:
        review.close()
    out, err = capsys.readouterr()
    assert_clean(0, out, err, f"S{shown}: W{shown}")
    assert f"Lens {shown} 1{shown}" in out and f"Ana{shown} (Facilitator)" in out
    assert len(out.splitlines()) == 5, out


# -- standard output that cannot be written ------------------------------------------------------------------------


def _cli(data_dir: Path, *argv: str, stdout: Any) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WAT_TUI_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "wat_tui", *argv], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, env=env, timeout=120)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full")
@pytest.mark.parametrize("argv", [("list",), ("lens", "show", "wellarchitected"), ("report", "Full")],
                         ids=["list", "lens-show", "report"])
def test_a_full_stdout_is_one_error_line(data_dir: Path, argv: tuple[str, ...]) -> None:
    review = Review.open(data_dir)
    try:
        review.create_session("Full")
    finally:
        review.close()
    with open("/dev/full", "w") as full:
        result = _cli(data_dir, *argv, stdout=full)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("wat-tui: error: "), result.stderr
    assert "standard output" in lines[0]


def test_a_reader_that_leaves_early_is_quiet(data_dir: Path) -> None:
    env = {**os.environ, "WAT_TUI_DATA_DIR": str(data_dir)}
    script = f'"{sys.executable}" -m wat_tui lens show wellarchitected | head -1'
    result = subprocess.run(["sh", "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.count("\n") == 1 and result.stderr == "", result.stderr


# -- the app ---------------------------------------------------------------------------------------------------


def screen_text(app: Any) -> str:
    """What the terminal would show, line by line (the compositor's strips, as plain text)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def widget_texts(app: Any) -> list[str]:
    """What each widget on the screen renders (lines cut to its size), so nothing hidden escapes the check."""
    texts = []
    for widget in app.screen.walk_children(with_self=True):
        if not widget.display or not widget.size.area:
            continue
        lines = widget.render_lines(widget.size.region)
        texts.append("\n".join(line.text for line in lines))
    return texts


@pytest.mark.parametrize(("payload", "shown"), APP_PAYLOADS)
async def test_workspace_shows_hostile_text_escaped(data_dir: Path, tmp_path: Path, payload: str,
                                                    shown: str) -> None:
    from wat_tui.ui.app import build_app
    from wat_tui.ui.widgets.nav import NavTree

    sid = hostile_session(data_dir, tmp_path, payload)
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=(100, 28)) as pilot:
        await pilot.pause()
        await pilot.press("i")  # the improvement plan, which lists the missing practice
        await pilot.pause()
        text = screen_text(app)
        assert raw_controls(text) == [], text
        # One-line places (outline, question header) show a newline as \n; the prompt and practices wrap.
        wrapped = payload.split("\n")[0] if "\n" in payload else shown
        for piece in (f"P{shown}", f"R{shown}", f"Question {wrapped}", f"Choice {wrapped}", f"Plan {wrapped}"):
            assert piece in text, (piece, text)
        for rendered in widget_texts(app):
            assert raw_controls(rendered) == [], rendered
        nav = app.screen.query_one(NavTree)
        labels = [label.plain for label in nav.labels()]  # shown or folded
        assert all(raw_controls(label) == [] for label in labels), labels
        assert any(f"P{shown}" in label for label in labels), labels
        for title in (app.title, app.sub_title, app.screen.title, app.screen.sub_title):
            assert raw_controls(title or "") == [], title


@pytest.mark.parametrize(("payload", "shown"), APP_PAYLOADS)
async def test_workspace_top_bar_shows_the_whole_session_name(data_dir: Path, tmp_path: Path, payload: str,
                                                              shown: str) -> None:
    from wat_tui.ui.app import build_app

    sid = hostile_session(data_dir, tmp_path, payload)
    app = build_app(data_dir, sid, clock=frozen_clock())
    async with app.run_test(size=(100, 28)) as pilot:
        await pilot.pause()
        top = screen_text(app).splitlines()[0]
        assert raw_controls(top) == [] and f"S{shown}" in top, top


@pytest.mark.parametrize(("payload", "shown"), APP_PAYLOADS)
async def test_picker_shows_hostile_session_escaped(data_dir: Path, tmp_path: Path, payload: str,
                                                    shown: str) -> None:
    from wat_tui.ui.app import build_app

    hostile_session(data_dir, tmp_path, payload)
    review = Review.open(data_dir)
    try:
        review.create_session("Below the hostile one")
    finally:
        review.close()
    app = build_app(data_dir, None, clock=frozen_clock())
    async with app.run_test(size=(100, 28)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert raw_controls(text) == [], text
        assert f"S{shown}" in text and f"W{shown}" in text, text
        for rendered in widget_texts(app):
            assert raw_controls(rendered) == [], rendered
        # One session, one option of three lines: a newline in a name does not add a line.
        lines = text.splitlines()
        first = next(i for i, line in enumerate(lines) if f"S{shown}" in line)
        assert f"W{shown}" in lines[first + 1] and "answered" in lines[first + 2], text


async def test_the_app_title_cannot_carry_control(data_dir: Path) -> None:
    from wat_tui.ui.app import build_app

    app = build_app(data_dir, None, clock=frozen_clock())
    async with app.run_test(size=(100, 28)) as pilot:
        await pilot.pause()
        app.title = "wat-tui \x1b]0;pwned\x07"
        app.sub_title = "S\u202e\nx"
        assert app.title == "wat-tui \\x1b]0;pwned\\x07"
        assert app.sub_title == "S\\u202e\\nx"
