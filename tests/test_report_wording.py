"""The report says whose words its questions and practices are in."""

from __future__ import annotations

from pathlib import Path

from tests.ui_support import make_demo
from wat_tui.exchange.report import render_markdown
from wat_tui.review.service import Review


def test_the_report_says_it_uses_wat_tuis_own_words(data_dir: Path) -> None:
    sid = make_demo(data_dir)
    with Review.open(data_dir) as review:
        md = render_markdown(review, sid)
    line = next(ln for ln in md.splitlines() if ln.startswith("- **Wording:**"))
    assert "wat-tui's own words" in line
