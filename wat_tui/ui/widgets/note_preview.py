"""A note's Markdown as lines of styled text: the notes pane's preview of the highlighted note (notes.py).

Textual's Markdown widget mounts a widget for every paragraph, list and quote of the note, and lays the screen
out again for each: on every move to a question with notes that was half of a keypress. Here the note is read
once into blocks of styled text (:func:`note_blocks`) and wrapped to the pane's width (:func:`note_lines`); the
notes pane keeps the lines and draws them.

What someone typed is shown as text: Rich markup stays brackets (the text is never parsed as markup), control
and escape characters become visible escapes (:func:`wat_tui.ui.text.visible`), and raw HTML stays the
characters typed (the parser has HTML off, as the report has).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich.console import Console
from rich.style import Style
from rich.text import Text

from wat_tui.ui.text import visible
from wat_tui.ui.themes import Palette

#: List markers by depth (the fourth level and deeper use the last).
BULLETS = ("•", "◦", "▪")
#: Drawn before every line of a block quote.
QUOTE_BAR = "▌ "
#: The last line of a note longer than the preview's height.
MORE = "… e opens the whole note"


def note_parser() -> MarkdownIt:
    """A note's Markdown read as the report reads it (exchange/markdown_note.py): CommonMark with tables and raw
    HTML off, so a ``<script>`` someone typed shows as those characters instead of vanishing from the preview."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


_PARSER = note_parser()


@dataclass(frozen=True)
class Looks:
    """The styles a note is drawn with, from the theme's palette."""

    heading: Style
    top_heading: Style
    code: Style
    link: Style
    muted: Style

    @classmethod
    def of(cls, palette: Palette) -> Looks:
        return cls(
            heading=Style.parse(f"bold {palette.accent}"),
            top_heading=Style.parse(f"bold underline {palette.accent}"),
            code=Style.parse(f"{palette.open} on {palette.background}"),
            link=Style.parse(f"underline {palette.accent}"),
            muted=Style.parse(palette.muted),
        )


STRONG, EMPHASIS, STRUCK = Style(bold=True), Style(italic=True), Style(strike=True)


def _shown(text: str) -> str:
    """Typed text as shown: escapes and control characters visible, tabs as spaces."""
    return visible(text).expandtabs(4)


# -- blocks ----------------------------------------------------------------------------------------------------


@dataclass
class Block:
    """Text drawn after ``first`` on its first line and after ``rest`` on the lines it wraps onto (a list item's
    marker, then the indent under it; a quote's bar on every line). Code is folded at the edge, not wrapped at
    words."""

    text: Text
    first: Text = field(default_factory=Text)
    rest: Text = field(default_factory=Text)
    code: bool = False

    def lines(self, console: Console, width: int) -> list[Text]:
        room = max(1, width - max(self.first.cell_len, self.rest.cell_len))
        if self.code:
            wrapped = [part for line in self.text.split("\n", allow_blank=True)
                                       for part in (line.divide(range(room, len(line), room)) if line else [line])]
        else:
            wrapped = list(self.text.wrap(console, room, overflow="fold")) if self.text else [Text()]
        return [Text.assemble(self.first if i == 0 else self.rest, line) for i, line in enumerate(wrapped)]


@dataclass
class Rule(Block):
    """A thematic break: a line across the width."""

    def lines(self, console: Console, width: int) -> list[Text]:
        room = max(1, width - self.first.cell_len)
        return [Text.assemble(self.first, ("─" * room, self.text.style))]


@dataclass
class Table(Block):
    """A table: aligned columns under a ruled header where it fits, otherwise each row as "header: cell" lines."""

    head: list[Text] = field(default_factory=list)
    rows: list[list[Text]] = field(default_factory=list)
    right: list[bool] = field(default_factory=list)

    def lines(self, console: Console, width: int) -> list[Text]:
        columns = max([len(self.head), *(len(r) for r in self.rows)])
        rows = [self.head + [Text()] * (columns - len(self.head))]
        rows += [r + [Text()] * (columns - len(r)) for r in self.rows]
        widths = [max(row[c].cell_len for row in rows) for c in range(columns)]
        room = width - self.rest.cell_len
        bar = Text(" │ ", style=self.text.style)
        if sum(widths) + bar.cell_len * (columns - 1) <= room:
            out = []
            for n, row in enumerate(rows):
                line = Text.assemble(self.first if n == 0 else self.rest)
                for c, cell in enumerate(row):
                    if c:
                        line.append_text(bar)
                    pad = " " * (widths[c] - cell.cell_len)
                    line.append_text(Text.assemble(pad, cell) if c < len(self.right) and self.right[c]
                                     else Text.assemble(cell, pad))
                out.append(line)
                if n == 0:
                    rule = "─┼─".join("─" * w for w in widths)
                    out.append(Text.assemble(self.rest, (rule, self.text.style)))
            return out
        out = []
        for n, row in enumerate(self.rows):
            if n:
                out.append(Text.assemble(self.rest))
            for c, cell in enumerate(row):
                name = self.head[c] if c < len(self.head) else Text()
                said = Text.assemble(name, ": ", cell) if name else cell
                out += Block(said, self.first if n == 0 and c == 0 else self.rest, self.rest).lines(console, width)
        return out or [Text.assemble(self.first, *self.head)]


@dataclass
class _Frame:
    """A list item or a quote that blocks are drawn in: its marker goes before the first line of its first block."""

    first: Text
    rest: Text
    used: bool = False


@dataclass
class _List:
    tight: bool
    number: int | None


class _Reader:
    """Markdown tokens (markdown-it's flat stream of open, close and inline tokens) to blocks."""

    def __init__(self, looks: Looks) -> None:
        self.looks = looks
        self.blocks: list[Block] = []
        self.frames: list[_Frame] = []
        self.lists: list[_List] = []
        #: A blank line goes before the next block (not between the items of a tight list).
        self.gap = False

    def prefixes(self) -> tuple[Text, Text]:
        first = Text.assemble(*(f.rest if f.used else f.first for f in self.frames))
        rest = Text.assemble(*(f.rest for f in self.frames))
        for f in self.frames:
            f.used = True
        return first, rest

    def add(self, block: Block, *, gap_after: bool = True) -> None:
        if self.gap and self.blocks:
            # The blank line is inside the quotes and items already begun, not those this block begins.
            self.blocks.append(Block(Text(), Text.assemble(*(f.rest for f in self.frames if f.used))))
        block.first, block.rest = self.prefixes()
        self.blocks.append(block)
        self.gap = gap_after

    def read(self, tokens: list[Token]) -> list[Block]:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "paragraph_open":
                self.add(Block(self.inline(tokens[i + 1])), gap_after=not tok.hidden)
                i += 2
            elif kind == "heading_open":
                style = self.looks.top_heading if tok.tag == "h1" else self.looks.heading
                self.add(Block(self.inline(tokens[i + 1], style)))
                i += 2
            elif kind in ("fence", "code_block"):
                self.add(Block(Text(_shown(tok.content.rstrip("\n")), style=self.looks.code), code=True))
            elif kind == "html_block":  # only with HTML on; shown as typed all the same
                self.add(Block(Text(_shown(tok.content.rstrip("\n"))), code=True))
            elif kind == "hr":
                self.add(Rule(Text(style=self.looks.muted)))
            elif kind in ("bullet_list_open", "ordered_list_open"):
                start = tok.attrGet("start")
                number = (1 if start is None else int(start)) if kind == "ordered_list_open" else None
                self.lists.append(_List(self._tight(tokens, i), number))
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
                self.gap = not (self.lists and self.lists[-1].tight)
            elif kind == "list_item_open":
                listed = self.lists[-1]
                if listed.number is None:
                    marker = BULLETS[min(len(self.lists), len(BULLETS)) - 1] + " "
                else:
                    marker = f"{listed.number}{tok.markup or '.'} "
                    listed.number += 1
                self.frames.append(_Frame(Text(marker, style=self.looks.muted), Text(" " * len(marker))))
            elif kind == "list_item_close":
                frame = self.frames.pop()
                if not frame.used:  # an empty item still shows its marker
                    self.frames.append(frame)
                    self.add(Block(Text()), gap_after=not listed_tight(self.lists))
                    self.frames.pop()
            elif kind == "blockquote_open":
                bar = Text(QUOTE_BAR, style=self.looks.muted)
                self.frames.append(_Frame(bar, bar))
            elif kind == "blockquote_close":
                self.frames.pop()
                self.gap = True
            elif kind == "table_open":
                i = self.table(tokens, i)
            i += 1
        return self.blocks

    @staticmethod
    def _tight(tokens: list[Token], at: int) -> bool:
        """Whether the list opened at ``at`` is tight: markdown-it hides the paragraphs of a tight list's items."""
        level = tokens[at].level + 2
        for tok in tokens[at + 1:]:
            if tok.level < tokens[at].level:
                break
            if tok.type == "paragraph_open" and tok.level == level:
                return tok.hidden
        return True

    def table(self, tokens: list[Token], at: int) -> int:
        """Read the table opened at ``at``; the index of its closing token."""
        head: list[Text] = []
        rows: list[list[Text]] = []
        right: list[bool] = []
        row: list[Text] = head
        in_head = False
        i = at + 1
        while i < len(tokens) and tokens[i].type != "table_close":
            tok = tokens[i]
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open" and not in_head:
                row = []
                rows.append(row)
            elif tok.type in ("th_open", "td_open"):
                if in_head:
                    right.append("right" in str(tok.attrGet("style") or ""))
                cell = self.inline(tokens[i + 1], STRONG if in_head else None)
                row.append(cell)
                i += 1
            i += 1
        self.add(Table(Text(style=self.looks.muted), head=head, rows=rows, right=right))
        return i

    def inline(self, tok: Token, style: Style | None = None) -> Text:
        """An inline token's children as styled text: emphasis, code and links styled, the rest as typed."""
        text = Text(style=style or "")
        styles: list[Style] = []

        def now() -> Style | None:
            return Style.combine(styles) if styles else None

        for child in tok.children or []:
            kind = child.type
            if kind in ("text", "html_inline"):
                text.append(_shown(child.content), now())
            elif kind == "code_inline":
                text.append(_shown(child.content), Style.combine([*styles, self.looks.code]))
            elif kind == "softbreak":
                text.append(" ")
            elif kind == "hardbreak":
                text.append("\n")
            elif kind in ("strong_open", "em_open", "s_open", "link_open"):
                styles.append({"strong_open": STRONG, "em_open": EMPHASIS, "s_open": STRUCK}.get(kind,
                                                                                                 self.looks.link))
            elif kind in ("strong_close", "em_close", "s_close", "link_close"):
                if styles:
                    styles.pop()
            elif kind == "image":
                alt = "".join(c.content for c in child.children or []) or "image"
                text.append(f"[{_shown(alt)}]", Style.combine([*styles, self.looks.muted]))
        return text


def listed_tight(lists: list[_List]) -> bool:
    return bool(lists) and lists[-1].tight


def note_blocks(body: str, looks: Looks) -> list[Block]:
    """A note's Markdown as blocks of styled text, in order, with the blank lines between them."""
    return _Reader(looks).read(_PARSER.parse(body))


def note_lines(blocks: list[Block], console: Console, width: int) -> list[Text]:
    """The blocks wrapped to ``width`` cells, one Text a line."""
    return [line for block in blocks for line in block.lines(console, width)]
