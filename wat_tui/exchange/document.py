"""The review report as a document: rendered in either format, and written to a file the owner alone reads.

The ``report`` command and the app's Export screen both go through here, so they write the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from wat_tui.fileio import write_atomic
from wat_tui.review.service import Review


def render_report(review: Review, session_id: str, fmt: str, *, include_private: bool = False) -> str:
    """The report as Markdown (``fmt`` "md") or a standalone HTML page ("html")."""
    if fmt == "html":
        from wat_tui.exchange.report_html import render_html

        return render_html(review, session_id, include_private=include_private)
    from wat_tui.exchange.report import render_markdown

    return render_markdown(review, session_id, include_private=include_private)


def write_report(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` all or nothing, mode 0600, never through a link (see fileio); errors name it."""
    write_atomic(path, content.encode("utf-8"), what="the report")
