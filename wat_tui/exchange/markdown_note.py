"""A note's own Markdown, re-written from its parse tree so it can sit safely inside the report.

Copying a note's source into the report would let it break the report: a ``#`` line would become a heading at
the report's top level, an unclosed code fence would swallow every section after it, raw HTML would reach the
browser. So the note is parsed with markdown-it-py (raw HTML off, so tags are plain text) and written out
again from the tokens: emphasis, lists, quotes, code, tables and links survive; every piece of text is
escaped; headings move below the question they belong to, setext ones included, never skipping a level. Levels
deeper than Markdown's six become bold paragraphs. Images become links, so the HTML page never loads anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from wat_tui.exchange.markdown_text import clean, escape_inline, escape_line_starts

_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")
_ALIGN = {"text-align:left": ":--", "text-align:center": ":-:", "text-align:right": "--:"}

#: A rendered block: its kind (decides whether two blocks in a tight list need a blank line) and its lines.
Block = tuple[str, list[str]]


#: Anything that can make Markdown other than plain paragraphs: inline syntax anywhere, entities, and block
#: syntax, indentation or hard breaks at either end of a line.
_NOT_PLAIN = re.compile(
    r"[\\`*_\[\]<|]|&[#A-Za-z0-9]+;"
    r"|^(?:[ \t#>+=:~-]|\d{1,9}[.)])|[ \t]$",
    re.MULTILINE,
)


def nest_note(body: str, base_level: int) -> str:
    """The note as Markdown whose headings start one level below ``base_level``; "" for an empty note."""
    text = clean(body)
    if _NOT_PLAIN.search(text) is None and all(line == line.strip() for line in text.split("\n")):
        return _plain(text)  # most notes typed in a workshop: skip the parser, same output (a tested law)
    return rewrite(text, base_level)


def _plain(text: str) -> str:
    """Paragraphs of plain text, exactly as :func:`rewrite` would write them."""
    paragraphs = [p for p in re.split(r"\n{2,}", text.strip("\n")) if p]
    return "\n\n".join(escape_inline(p) for p in paragraphs)


def rewrite(text: str, base_level: int) -> str:
    """Parse cleaned note text and write it out again (see the module docstring)."""
    tokens = _PARSER.parse(text)
    writer = _Writer(base_level)
    blocks, _ = writer.blocks(tokens, 0, "")
    return "\n".join(_join(blocks, tight=False))


def _join(blocks: Sequence[Block], tight: bool) -> list[str]:
    out: list[str] = []
    prev = ""
    for kind, lines in blocks:
        if out and (not tight or _must_separate(prev, kind)):
            out.append("")
        out.extend(lines)
        prev = kind
    return out


def _must_separate(prev: str, kind: str) -> bool:
    """In a tight list item, whether two blocks need a blank line to stay two blocks."""
    if "pseudo" in (prev, kind):  # a heading too deep to be one: bold text that must not join a paragraph
        return prev in ("paragraph", "pseudo") or kind in ("paragraph", "pseudo", "list")
    if prev == kind == "quote":  # "> a" then "> b" with nothing between them is one quote, not two
        return True
    return prev == "paragraph" and kind in ("paragraph", "code", "table")


def _prefix(lines: list[str], first: str, rest: str) -> list[str]:
    out = []
    for i, line in enumerate(lines):
        lead = first if i == 0 else rest
        out.append((lead + line) if line else lead.rstrip())
    return out


class _Writer:
    def __init__(self, base_level: int) -> None:
        self.base = base_level
        self.last_heading = base_level

    def blocks(self, toks: list[Token], i: int, stop: str) -> tuple[list[Block], int]:
        """Blocks from ``toks[i]`` up to the token of type ``stop``; returns them and that token's index."""
        out: list[Block] = []
        mark = ""
        while i < len(toks) and toks[i].type != stop:
            t = toks[i]
            kind = t.type
            if kind == "paragraph_open":
                out.append(("paragraph", self.inline(toks[i + 1]).split("\n")))
                i += 3
            elif kind == "heading_open":
                out.append(self.heading(int(t.tag[1:]), toks[i + 1]))
                i += 3
            elif kind == "blockquote_open":
                inner, i = self.blocks(toks, i + 1, "blockquote_close")
                out.append(("quote", _prefix(_join(inner, tight=False) or [""], "> ", "> ")))
                i += 1
            elif kind in ("bullet_list_open", "ordered_list_open"):
                # two lists side by side stay apart only if their markers differ
                lines, i, mark = self.listing(toks, i, avoid=mark if out and out[-1][0] == "list" else "")
                out.append(("list", lines))
            elif kind == "code_block":
                out.append(("code", ["    " + ln if ln else "" for ln in t.content.rstrip("\n").split("\n")]))
                i += 1
            elif kind == "fence":
                out.append(("fence", self.fence(t)))
                i += 1
            elif kind == "hr":
                out.append(("hr", ["***"]))
                i += 1
            elif kind == "table_open":
                lines, i = self.table(toks, i)
                out.append(("table", lines))
            elif kind == "inline":
                out.append(("paragraph", self.inline(t).split("\n")))
                i += 1
            else:  # closing tokens of empty containers, and anything a newer markdown-it adds
                i += 1
        return out, i

    def heading(self, level: int, inline: Token) -> Block:
        content = escape_line_starts(_inline(inline.children or [], " ").strip(" \t"))
        wanted = min(self.base + level, self.last_heading + 1)
        if wanted > 6:
            return ("pseudo", [f"**{content}**" if content else ""])
        self.last_heading = wanted
        return ("heading", [f"{'#' * wanted} {content}".rstrip()])

    def listing(self, toks: list[Token], i: int, avoid: str = "") -> tuple[list[str], int, str]:
        opener = toks[i]
        ordered = opener.type == "ordered_list_open"
        mark = opener.markup
        if mark == avoid:
            mark = {"-": "*", "*": "-", "+": "-", ".": ")", ")": "."}.get(mark, mark)
        close = "ordered_list_close" if ordered else "bullet_list_close"
        number = int(opener.attrs.get("start", 1) or 1) if ordered else 0
        items: list[list[Block]] = []
        start = i
        i += 1
        while toks[i].type != close:
            blocks, i = self.blocks(toks, i + 1, "list_item_close")
            items.append(blocks)
            i += 1
        tight = _is_tight(toks, start, i)
        lines: list[str] = []
        for n, blocks in enumerate(items):
            marker = f"{number + n}{mark} " if ordered else f"{mark} "
            body = _join(blocks, tight) or [""]
            if lines and not tight:
                lines.append("")
            lines.extend(_prefix(body, marker, " " * len(marker)))
        return lines, i + 1, mark

    def fence(self, t: Token) -> list[str]:
        content = t.content
        longest = max((len(m) for m in re.findall(r"`{3,}", content)), default=0)
        fence = "`" * max(3, longest + 1)
        info = re.sub(r"[^\w+#.-]", "", t.info.split(" ", 1)[0]) if t.info else ""
        lines = content[:-1].split("\n") if content.endswith("\n") else content.split("\n")
        if not content:
            lines = []
        return [fence + info, *lines, fence]

    def table(self, toks: list[Token], i: int) -> tuple[list[str], int]:
        rows: list[list[str]] = []
        aligns: list[str] = []
        while toks[i].type != "table_close":
            t = toks[i]
            if t.type == "tr_open":
                rows.append([])
            elif t.type in ("th_open", "td_open"):
                if t.type == "th_open":
                    aligns.append(_ALIGN.get(str(t.attrs.get("style", "")), "---"))
                rows[-1].append(self.inline(toks[i + 1], newline=" ") or " ")
            i += 1
        header, *body = rows
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(aligns) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in body]
        return lines, i + 1

    def inline(self, token: Token, newline: str = "\n") -> str:
        return escape_line_starts(_inline(token.children or [], newline))


def _is_tight(toks: list[Token], start: int, close_index: int) -> bool:
    """markdown-it marks a tight list by hiding the paragraphs of its own items."""
    opener = toks[start]
    depth = 0
    for j in range(start + 1, close_index):
        t = toks[j]
        if t.type == "list_item_open":
            depth += 1
        elif t.type == "list_item_close":
            depth -= 1
        elif t.type == "paragraph_open" and depth == 1 and t.level == opener.level + 2:
            return bool(t.hidden)
    return True


def _inline(children: list[Token], newline: str = "\n") -> str:
    """Inline tokens as Markdown; ``newline`` " " keeps them on one line (headings, table cells, images)."""
    out: list[str] = []
    link: Token | None = None
    for i, t in enumerate(children):
        kind = t.type
        if kind in ("text", "text_special", "html_inline"):
            piece = escape_inline(t.content)
            after = children[i + 1].type if i + 1 < len(children) else ""
            if piece.endswith("!") and after in ("link_open", "image"):  # "![" would make the link an image
                piece = piece[:-1] + "\\!"
            out.append(piece)
        elif kind in ("softbreak", "hardbreak"):
            if out and newline == "\n":  # spaces before a line end mean nothing, or a hard break
                out[-1] = out[-1].rstrip(" \t")
            out.append("\\\n" if kind == "hardbreak" and newline == "\n" else newline)
        elif kind == "code_inline":
            out.append(_code(t.content))
        elif kind in ("em_open", "em_close", "strong_open", "strong_close"):
            out.append(t.markup)
        elif kind == "link_open":
            link = t
            out.append("[")
        elif kind == "link_close":
            out.append("]" + _destination(link or t, "href"))
            link = None
        elif kind == "image":  # a link to the picture; inside a link (which cannot nest), just its text
            alt = _inline(t.children or [], " ")
            out.append(f"Image: {alt}" if link else f"[Image: {alt}]{_destination(t, 'src')}")
        else:
            out.append(escape_inline(t.content))
    return "".join(out)


def _destination(t: Token, attr: str) -> str:
    url = str(t.attrs.get(attr, "") or "").replace("<", "%3C").replace(">", "%3E").replace("\n", "")
    title = str(t.attrs.get("title", "") or "").replace("\n", " ")
    if title:
        title = ' "' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"(<{url}>{title})"


def _code(content: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    if (
        content.startswith("`")
        or content.endswith("`")
        or (content.startswith(" ") and content.endswith(" ") and content.strip())
    ):
        content = f" {content} "
    return f"{fence}{content}{fence}"
