"""The report as one standalone HTML page, for reading in a browser and printing.

The page is the Markdown report rendered by markdown-it-py (CommonMark with tables) with raw HTML switched
off, so any markup a person typed is shown as text and never reaches the browser as tags. Everything the page
needs is inside it: an inline stylesheet with print rules, no scripts, fonts, images or links to load. Links
to lens resources stay links; following one is the reader's choice, and printing shows its address.
"""

from __future__ import annotations

import html
from datetime import date

from markdown_it import MarkdownIt

from wat_tui.exchange.markdown_text import one_line
from wat_tui.exchange.report import gather, markdown_from, title_of
from wat_tui.review.service import Review

_RENDERER = MarkdownIt("commonmark", {"html": False}).enable("table")

CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 16px; line-height: 1.5; color: #111; background: #fff; max-width: 56rem; margin: 2rem auto;
  padding: 0 1.5rem; overflow-wrap: anywhere; }
h1 { font-size: 1.9rem; border-bottom: 2px solid #111; padding-bottom: .3rem; }
h2 { font-size: 1.5rem; border-bottom: 1px solid #777; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { font-size: 1.25rem; margin-top: 2rem; }
h4 { font-size: 1.05rem; margin-top: 1.6rem; }
h5, h6 { font-size: 1rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #555; padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td:not(:first-child) { font-variant-numeric: tabular-nums; }
blockquote { margin: .5rem 0 1rem; padding: .1rem 1rem; border-left: 4px solid #888; background: #f6f6f6; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .92em; }
pre { background: #f3f3f3; padding: .6rem .8rem; white-space: pre-wrap; overflow-wrap: anywhere; }
a { color: #0645ad; }
@page { margin: 16mm 14mm; }
@media print {
  body { font-size: 10.5pt; max-width: none; margin: 0; padding: 0; }
  a { color: inherit; text-decoration: underline; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
  h2 { break-before: auto; }
  tr, blockquote, pre, li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  blockquote, pre, th { background: none; }
}
""".strip()


def render_html(review: Review, sid: str, *, include_private: bool = False, today: date | None = None) -> str:
    """The report of session ``sid`` as one self-contained HTML page."""
    data = gather(review, sid, include_private=include_private, today=today)
    return html_page(markdown_from(data), title_of(data))


def html_page(markdown_text: str, title: str) -> str:
    body = _RENDERER.render(markdown_text)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(one_line(title))}</title>\n"
        f"<style>\n{CSS}\n</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
