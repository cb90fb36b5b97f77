"""Kept for the report modules' imports: the helpers live in :mod:`wat_tui.markdown_text`, below both the report
and the review's analysis, which need the same escaping."""

from wat_tui.markdown_text import cell, clean, code_span, escape_inline, escape_line_starts, one_line, table, text

__all__ = ["cell", "clean", "code_span", "escape_inline", "escape_line_starts", "one_line", "table", "text"]
