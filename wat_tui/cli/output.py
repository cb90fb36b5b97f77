"""What every command prints: plain text, one fact a line, never through Rich (``[bold]`` prints as itself).

Names, notes, devices and lens text come from files and people: every piece of it goes through :func:`printable`
(:func:`wat_tui.termtext.for_terminal` on one line), so an escape sequence prints as ``\\x1b`` instead of
clearing the screen or setting the clipboard, and a newline cannot add a row to a table.
"""

from __future__ import annotations

from wat_tui.termtext import for_terminal, write_stdout


def printable(text: object) -> str:
    """Text safe for one line of a terminal: control, bidi and invisible characters written as escapes."""
    return for_terminal(str(text), single_line=True)


def out(text: str = "") -> None:
    write_stdout(text + "\n")


def table(rows: list[list[str]]) -> None:
    """Columns padded to their widest cell; every cell is cleaned, so each row stays one line."""
    rows = [[printable(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        out("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
