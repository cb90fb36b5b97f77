"""Turning untrusted text into Markdown that cannot change the structure around it.

Everything a person typed (names, titles, notes) and everything a lens file says reaches the report through
these helpers. The report is read in a terminal, a browser and a Markdown viewer, so text is cleaned of
terminal escape sequences and control characters first, then every character that could start Markdown syntax
is backslash-escaped (CommonMark lets any ASCII punctuation be escaped, so escaping never changes what a
reader sees).
"""

from __future__ import annotations

import re

#: Whole terminal escape sequences (CSI, OSC, DCS/PM/APC strings, two-byte ESC forms, 8-bit CSI), removed
#: as units so no stray ``[31m`` is left behind.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[ -/]*[0-~]"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
#: Control characters left after that (C0 but tab and newline, DEL, C1), and the bidirectional overrides and
#: isolates that can make text display in another order than it is stored.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: Characters escaped wherever they appear in inline text.
_INLINE = str.maketrans({c: "\\" + c for c in "\\`*_[]<#|~&"})
#: What a line may start with that would open a block: quote, list item, setext underline, ordered list item, or
#: make the line above a table's header (a delimiter row such as ":-" under a line with a pipe).
_LINE_START = re.compile(r"^(?:([>+=:-])|(\d{1,9})([.)]))", re.MULTILINE)
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Text with line endings unified and terminal escapes and control characters removed (tabs kept)."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text or "\x9b" in text:
        text = _ANSI.sub("", text)
    return _CONTROL.sub("", text)


def one_line(text: str) -> str:
    """Cleaned text on one line, runs of whitespace (newlines included) folded to a single space."""
    return _SPACES.sub(" ", clean(text)).strip()


def escape_inline(text: str) -> str:
    """Escape already-cleaned text for use inside a line of Markdown (not at the start of a line)."""
    return text.translate(_INLINE)


def escape_line_starts(text: str) -> str:
    """Escape what would open a block at the start of any line of rendered inline Markdown."""
    return _LINE_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text)


def text(value: str) -> str:
    """Untrusted text as one line of inline Markdown that shows exactly the characters given."""
    return escape_line_starts(escape_inline(one_line(value)))


def cell(value: str) -> str:
    """Untrusted text for a table cell: one line, ``|`` escaped so it cannot split the row."""
    return text(value)  # ``|`` is among the inline escapes; it is named here because tables depend on it


def code_span(value: str) -> str:
    """Text as a code span, with a backtick fence longer than any run of backticks inside it."""
    body = one_line(value)
    if not body:
        return ""
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    if body.startswith("`") or body.endswith("`") or (body.startswith(" ") and body.endswith(" ")):
        body = f" {body} "
    return f"{fence}{body}{fence}"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Lines of a pipe table; every cell must already be escaped (see :func:`cell`)."""
    width = len(header)
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * width) + "|"]
    for row in rows:
        if len(row) != width:
            raise ValueError(f"table row has {len(row)} cells, header has {width}")
        out.append("| " + " | ".join(c if c else " " for c in row) + " |")
    return out
