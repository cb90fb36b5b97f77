"""Laws of the report's escaping helpers and of note nesting: untrusted text never becomes structure.

The autouse ``data_dir`` fixture covers every test here; the Hypothesis ones do not name it (function-scoped).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from wat_tui.exchange.markdown_note import nest_note, rewrite
from wat_tui.exchange.markdown_text import cell, clean, code_span, one_line, table, text

#: Parses like any CommonMark viewer: raw HTML on, so HTML that got through would show up as html tokens.
STRICT = MarkdownIt("commonmark").enable("table")

#: Note-like text built from the pieces that carry Markdown meaning, whole lines and single characters mixed.
markdownish = st.lists(
    st.sampled_from(
        list("ab #*_`~[]()<>!|\\-+=.:&;1\n\t ")
        + [
            "\x1b[31m",
            "\x00",
            "\u202e",
            "é",
            "```",
            "\n\n",
            "    ",
            "# ",
            "\n- ",
            "\n1. ",
            "\n> ",
            "\n===\n",
            "\n---\n",
            "<div>",
            "| a | b |\n|---|---|\n",
            "[x](http://e.com)",
            "![i](y)",
            "**",
            "\\\n",
            "  \n",
        ]
    ),
    max_size=40,
).map("".join)


def inline_children(md: str) -> list[Token]:
    tokens = STRICT.parse(md)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], md
    return tokens[1].children or []


def heading_levels(md: str) -> list[tuple[int, str]]:
    tokens = STRICT.parse(md)
    return [(int(t.tag[1:]), tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_text_parses_back_to_exactly_the_cleaned_characters(value: str) -> None:
    expected = one_line(value)
    if not expected:
        assert text(value) == ""
        return
    children = inline_children(text(value))
    assert {c.type for c in children} <= {"text", "text_special"}
    assert "".join(c.content for c in children) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=4))
def test_cells_never_change_the_column_count(values: list[str]) -> None:
    header = [f"h{i}" for i in range(len(values))]
    md = "\n".join(table(header, [[cell(v) for v in values]]))
    tokens = STRICT.parse(md)
    assert sum(1 for t in tokens if t.type == "td_open") == len(values)
    cells = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "td_open"]
    rendered = [
        "".join(c.content for c in (tokens[i + 1].children or []))
        for i, t in enumerate(tokens)
        if t.type == "td_open"
    ]
    assert len(cells) == len(values)
    assert rendered == [one_line(v) for v in values]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_code_span_shows_its_text_verbatim(value: str) -> None:
    body = one_line(value)
    if not body:
        return
    children = inline_children("x " + code_span(value))
    codes = [c for c in children if c.type == "code_inline"]
    assert len(codes) == 1
    assert codes[0].content == body


def test_clean_removes_terminal_sequences_whole(data_dir: Path) -> None:
    raw = "\x1b[1;31mred\x1b[0m \x1b]0;title\x07bell\x07 \x9b2Jx \x00nul\x7f \u202eevil\r\nnext"
    assert clean(raw) == "red bell x nul evil\nnext"


def test_table_rejects_a_row_of_the_wrong_width(data_dir: Path) -> None:
    try:
        table(["a", "b"], [["1"]])
    except ValueError as exc:
        assert "1 cells" in str(exc)
    else:
        raise AssertionError("a short row was accepted")


def quoted_in_question(body: str) -> str:
    nested = nest_note(body, 4)
    quote = "\n".join(("> " + ln) if ln else ">" for ln in nested.split("\n"))
    return f"# Report\n\n## Findings\n\n### Pillar\n\n#### Question\n\n{quote}\n\n#### After\n\nend\n"


def assert_nested(md: str) -> None:
    levels = heading_levels(md)
    assert levels[:4] == [(1, "Report"), (2, "Findings"), (3, "Pillar"), (4, "Question")], md
    assert levels[-1] == (4, "After"), md
    prev = 0
    for level, _ in levels:
        assert level <= prev + 1, md
        prev = level
    assert all(level >= 5 for level, _ in levels[4:-1]), md
    kinds = {t.type for t in STRICT.parse(md)} | {c.type for t in STRICT.parse(md) for c in t.children or []}
    assert not kinds & {"html_block", "html_inline"}, md


@settings(max_examples=400, deadline=None)
@given(markdownish)
def test_any_note_stays_inside_its_question(body: str) -> None:
    assert_nested(quoted_in_question(body))


@settings(max_examples=400, deadline=None)
@given(markdownish.map(lambda s: s.replace("*", "").replace("_", "")))
def test_rewriting_a_note_is_stable(body: str) -> None:
    """Writing a note out again changes nothing the second time: structure and text survive the rewrite.

    Emphasis is left out: a delimiter run that the parser split (``**#*a**``) cannot always be written back so
    that it splits the same way; the text then shows with slightly different emphasis, never outside its note.
    """
    once = nest_note(body, 0)
    assert nest_note(once, 0) == once


@pytest.mark.parametrize("body", [
    "\n- >\n\n    >",  # two empty quotes in one list item were written as one ("- >" / "  >")
    "a|\\\n:-",  # a line starting ":-" under a line with a pipe was written as a table's delimiter row
])
def test_rewriting_these_notes_is_stable(body: str) -> None:
    """Found by the law above (Hypothesis); kept as examples so they stay found."""
    once = nest_note(body, 0)
    assert nest_note(once, 0) == once
    kinds = {t.type for t in STRICT.parse(once)}
    assert "table_open" not in kinds, once


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Z.,:;!?&#~-+=>()'\"19\n\t\u00a0\u2003é")), max_size=60))
def test_the_plain_note_shortcut_writes_what_the_parser_would(body: str) -> None:
    assert nest_note(body, 4) == rewrite(clean(body), 4)


def test_note_headings_move_below_the_question_without_skipping(data_dir: Path) -> None:
    body = "# Top\n\ntext\n\n### Deep\n\nSetext one\n==========\n\nSetext two\n---\n\n#### Four\n\n###### Six"
    levels = heading_levels(nest_note(body, 4))
    assert levels == [(5, "Top"), (6, "Deep"), (5, "Setext one"), (6, "Setext two")]
    assert "**Four**" in nest_note(body, 4) and "**Six**" in nest_note(body, 4)


def test_note_markdown_survives(data_dir: Path) -> None:
    body = (
        "Quotas are **tracked** in a _sheet_.\n\n- one\n- two\n  1. nested\n\n> quoted\n\n"
        "```python\nprint('x')\n```\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n[site](https://example.com \"T\")"
    )
    html = STRICT.render(nest_note(body, 4))
    for piece in (
        "<strong>tracked</strong>",
        "<em>sheet</em>",
        "<li>two\n<ol>",
        "<blockquote>",
        'class="language-python"',
        'style="text-align:right"',
        '<a href="https://example.com" title="T">site</a>',
    ):
        assert piece in html, piece


def test_note_images_become_links_and_html_becomes_text(data_dir: Path) -> None:
    body = '![diagram](https://example.com/d.png) <img src="https://x/y.png"> <script>alert(1)</script>'
    html = STRICT.render(nest_note(body, 4))
    assert "<img" not in html and "<script" not in html
    assert '<a href="https://example.com/d.png">Image: diagram</a>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_unclosed_fence_ends_with_the_note(data_dir: Path) -> None:
    md = quoted_in_question("```\nunclosed code\n# not a heading")
    assert_nested(md)
    assert "<h5>" not in STRICT.render(md)
