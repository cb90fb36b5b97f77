"""Text from a file or a person, made safe to write to a terminal: the one function every output uses.

A lens, a merged bundle or a typed name can hold terminal escapes (clear the screen, set the window title,
write the clipboard with OSC 52), 8-bit C1 controls, and invisible or bidirectional formatting characters
that make text read differently from what it is. :func:`for_terminal` replaces each such character with a
visible escape (``\\x1b``, ``\\u202e``), so nothing is lost and nothing is interpreted. It never touches
brackets or other markup: callers print plain text (the CLI) or build literal Rich ``Text`` (the UI).

:func:`write_stdout` and :func:`flush_stdout` are how the command line writes it: a failed write (a full disk,
a terminal gone) raises :class:`OutputError`, which the CLI reports in one line instead of a traceback.
"""

from __future__ import annotations

import re
import sys
import unicodedata

#: Escaped: C0 controls (tab and newline only when ``single_line``), DEL, C1 controls, lone surrogates, the
#: line and paragraph separators, and every format character (category Cf: zero-width characters, bidi
#: embeddings, overrides and isolates, the byte order mark, soft hyphen, tag characters...).
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: Ranges with none of those (Latin to Hebrew, punctuation, symbols and box drawing, CJK, Hangul, private use):
#: their characters skip the category look-up, so ordinary text costs one regular-expression scan.
_PLAIN_RANGES = ("\t\n\x20-\x7e\xa0-\xac\xae-\u05ff\u2010-\u2027\u2030-\u205f\u2070-\u2fff\u3000-\ud7ff"
                 "\ue000-\ufefe\uff00-\ufff8")
_CANDIDATE = re.compile(f"[^{_PLAIN_RANGES}]")
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(ch: str) -> str:
    short = _SHORT.get(ch)
    if short is not None:
        return short
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _replace(match: re.Match[str]) -> str:
    ch = match.group()
    return _escape(ch) if unicodedata.category(ch) in _ESCAPED_CATEGORIES else ch


def for_terminal(text: str, *, single_line: bool = False) -> str:
    """``text`` with every control, invisible-format and bidi character written as a visible escape.

    Newlines and tabs are kept, unless ``single_line``: then they too become ``\\n`` and ``\\t``, so the
    text fills exactly one line (a table cell, an outline label, a one-line message).
    """
    cleaned = _CANDIDATE.sub(_replace, text)
    if single_line and ("\n" in cleaned or "\t" in cleaned):
        cleaned = cleaned.replace("\n", "\\n").replace("\t", "\\t")
    return cleaned


class OutputError(OSError):
    """Standard output could not be written: the disk is full, the terminal or file is gone.

    A reader that left early (``wat-tui list | head -1``) is not this: that stays a ``BrokenPipeError``.
    """


def write_stdout(text: str) -> None:
    """Write ``text`` to standard output (already cleaned, or a report going to a pipe or a file)."""
    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(exc.errno, exc.strerror or str(exc)) from exc


def flush_stdout() -> None:
    """Push out what standard output holds, so a failure shows now rather than as a traceback at exit."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(exc.errno, exc.strerror or str(exc)) from exc


__all__ = ["OutputError", "flush_stdout", "for_terminal", "write_stdout"]
