"""The report against hostile text, as HTML, and through `wat-tui report`: nothing typed breaks structure."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from tests.support import raw_write
from tests.test_report_support import (
    STRICT,
    all_tokens,
    answer,
    check_structure,
    headings,
    new_session,
    section,
    tables,
)
from wat_tui.cli import main
from wat_tui.exchange.report import render_markdown
from wat_tui.exchange.report_html import render_html
from wat_tui.review.demo import ensure_demo
from wat_tui.review.service import Review

# -- hostile text --------------------------------------------------------------------------------------------


def note_on(review: Review, body: str, author: str = "Ana") -> tuple[str, str]:
    sid = new_session(review)
    answer(review, sid, "priorities", {"HIGH"})
    review.add_note(sid, "wellarchitected/priorities", author, body)
    review.add_note(sid, "wellarchitected/ops-model", "Ben", "Second question's note.")
    return sid, render_markdown(review, sid)


def question_subtree(md: str, label: str) -> list[tuple[int, str]]:
    hs = headings(md)
    start = next(i for i, (_, t) in enumerate(hs) if t.startswith(label + ":"))
    end = next(i for i in range(start + 1, len(hs)) if hs[i][0] <= hs[start][0])
    return hs[start:end]


def test_a_note_starting_with_a_hash_nests_under_its_question(review: Review) -> None:
    _, md = note_on(
        review, "# Decision\n\nWe ship.\n\n### Detail\n\nSetext\n======\n\nUnder\n---\n\n#### Deep"
    )
    check_structure(md)
    sub = question_subtree(md, "OPS01")
    assert sub[0][0] == 4
    assert sub[1:] == [(5, "Decision"), (6, "Detail"), (5, "Setext"), (6, "Under")]
    assert "> **Deep**" in md
    assert headings(md)[headings(md).index(sub[-1]) + 1][1].startswith("OPS02:")


def test_a_pipe_inside_table_cells_keeps_the_columns(review: Review) -> None:
    sid = new_session(review, participants=(("Ana | Ruiz", "Facilitator | Scribe"),))
    review.add_action(sid, "a | b || c", "x|y", "", "open", "wellarchitected/priorities")
    md = render_markdown(review, sid)
    check_structure(md)
    assert ["Ana | Ruiz", "Facilitator | Scribe"] in next(t for t in tables(md) if t[0][0] == "Name")
    row = next(t for t in tables(md) if t[0][0] == "Action")[1]
    assert row[:2] == ["a | b || c", "x|y"]


def test_raw_html_is_shown_as_text_never_passed_through(review: Review) -> None:
    body = (
        "<script>alert('x')</script>\n\n<div onclick=\"x()\">\n*hi*\n</div>\n\n<img src=https://e.com/t.png>"
    )
    sid, md = note_on(review, body, author="<b>Ana</b>")
    check_structure(md)
    page = render_html(review, sid)
    assert "<script" not in page and "<div" not in page and "<img" not in page and "<b>Ana" not in page
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in page.replace("&#x27;", "'")
    assert "&lt;b&gt;Ana&lt;/b&gt;" in page


def test_a_very_long_line_stays_whole_and_in_place(review: Review) -> None:
    long_word = "x" * 20000
    long_line = " ".join(["word"] * 5000)
    sid, md = note_on(review, f"{long_word}\n\n{long_line}")
    check_structure(md)
    review.add_action(sid, "y" * 5000, "", "", "open", None)
    md = render_markdown(review, sid)
    check_structure(md)
    assert long_word in md and long_line in md
    assert next(t for t in tables(md) if t[0][0] == "Action")[1][0] == "y" * 5000
    assert "overflow-wrap: anywhere" in render_html(review, sid)


def test_backticks_cannot_open_a_code_block_that_swallows_the_report(review: Review) -> None:
    sid, md = note_on(review, "```\nunclosed fence\n# not a heading")
    check_structure(md)
    assert [t for _, t in question_subtree(md, "OPS01")][1:] == []
    assert any(t.startswith("OPS02:") for _, t in headings(md))
    review.add_action(sid, "run `rm` and ``x``", "", "", "open", "wellarchitected/priorities")
    md = render_markdown(review, sid)
    assert next(t for t in tables(md) if t[0][0] == "Action")[1][0] == "run `rm` and ``x``"
    assert "<code>" not in STRICT.render(section(md, "Action plan"))


def test_rich_markup_is_plain_text(review: Review) -> None:
    sid, md = note_on(review, "[bold]x[/] and [red]alarm[/red]", author="[bold]Ana[/]")
    check_structure(md)
    assert not any(t.type == "link_open" for t in all_tokens(md))
    page = render_html(review, sid)
    assert "[bold]x[/] and [red]alarm[/red]" in page and "<strong>[bold]Ana[/]</strong>" in page


def test_terminal_escape_sequences_are_removed(review: Review) -> None:
    sid = new_session(review, workload="\x1b[31mShop\x1b[0m\x07")
    review.add_note(
        sid, "wellarchitected/priorities", "A\x1b]0;pwned\x07na", "red \x1b[1;31malert\x1b[0m\x9b2J done\x00"
    )
    review.add_action(sid, "Tidy\x1b[2J up\x7f", "", "", "open", None)
    md = render_markdown(review, sid)
    check_structure(md)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", md)
    assert "[31m" not in md and "pwned" not in md
    assert "# Well-Architected review: Shop\n" in md
    assert "Note from **Ana**" in md and "> red alert done" in md
    assert "| Tidy up |" in md


def test_notes_on_questions_outside_the_lenses_are_kept(review: Review) -> None:
    sid = new_session(review)
    # Written as a merged file from an older lens set would bring it (the app itself refuses such a note).
    with review.transaction():
        raw_write(review, sid, "note/kept", {"question": "retired-lens/q1", "author": "Ana",
                                            "body": "# Kept\n\nStill here.", "private": False})
    md = render_markdown(review, sid)
    hs = check_structure(md)
    assert (2, "Other notes") in hs and (3, "Kept") in hs
    assert "Note from **Ana** (on retired-lens/q1):" in md


# -- HTML ----------------------------------------------------------------------------------------------------


def test_html_is_one_standalone_printable_page(review: Review) -> None:
    sid = ensure_demo(review)
    page = render_html(review, sid)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>Well-Architected review: ShopFast e-commerce platform" in page
    assert "@media print" in page and "<table>" in page and "<h4>SEC02: " in page
    for external in ("<script", "<link", "<img", "<iframe", "@import", "url(", "src="):
        assert external not in page
    assert "Dana thinks" not in page


# -- the command ---------------------------------------------------------------------------------------------


def test_cli_prints_the_same_report_dated_with_the_session(
    review: Review, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = ensure_demo(review)
    assert main(["report", "Demo"]) == 0
    assert capsys.readouterr().out == render_markdown(review, sid)
    assert main(["report", sid[:8], "--format", "html", "--include-private"]) == 0
    assert capsys.readouterr().out == render_html(review, sid, include_private=True)


def test_cli_writes_a_private_file_and_infers_html(
    review: Review, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = ensure_demo(review)
    out = tmp_path / "report.md"
    assert main(["report", "Demo", "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert out.read_text(encoding="utf-8") == render_markdown(review, sid)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    page = tmp_path / "report.html"
    assert main(["report", "Demo", "--output", str(page)]) == 0
    assert page.read_text(encoding="utf-8") == render_html(review, sid)


def test_cli_errors_are_one_line(review: Review, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ensure_demo(review)
    assert main(["report", "no-such-session"]) == 1
    assert capsys.readouterr().err.startswith("wat-tui: error: no session matches 'no-such-session'")
    assert main(["report", "Demo", "--format", "pdf"]) == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err
    assert main(["report", "Demo", "-o", str(tmp_path / "missing-dir" / "r.md")]) == 1
    err = capsys.readouterr().err
    assert (
        err.startswith("wat-tui: error: ") and "r.md: cannot write the report" in err and err.count("\n") == 1
    )
