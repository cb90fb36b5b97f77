"""Helpers for the report tests: parse the report like a CommonMark viewer and check its shape.

Named ``test_report_*`` to sit with the report's tests; it holds no tests itself.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.support import raw_ingest
from wat_tui.review.service import Review
from wat_tui.store.oplog import Op

#: Raw HTML on, as in any CommonMark viewer: HTML that got through would show up as html tokens.
STRICT = MarkdownIt("commonmark").enable("table")


def all_tokens(md: str) -> list[Token]:
    tokens = STRICT.parse(md)
    return tokens + [c for t in tokens for c in t.children or []]


def headings(md: str) -> list[tuple[int, str]]:
    tokens = STRICT.parse(md)
    return [(int(t.tag[1:]), tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]


def tables(md: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts (header row first)."""
    out: list[list[list[str]]] = []
    tokens = STRICT.parse(md)
    for i, t in enumerate(tokens):
        if t.type == "table_open":
            out.append([])
        elif t.type == "tr_open":
            out[-1].append([])
        elif t.type in ("th_open", "td_open"):
            out[-1][-1].append("".join(c.content for c in tokens[i + 1].children or []))
    return out


def check_structure(md: str) -> list[tuple[int, str]]:
    """One title, levels never skip, tables rectangular, no raw HTML; returns the headings."""
    hs = headings(md)
    assert hs[0][0] == 1 and [lvl for lvl, _ in hs].count(1) == 1
    for (prev, _), (level, title) in zip(hs, hs[1:], strict=False):
        assert level <= prev + 1, f"heading {title!r} skips from level {prev} to {level}"
    for rows in tables(md):
        assert all(len(r) == len(rows[0]) for r in rows), rows
    assert not {t.type for t in all_tokens(md)} & {"html_block", "html_inline"}
    return hs


def section(md: str, title: str) -> str:
    """The Markdown from heading ``title`` up to the next heading of the same or a higher level."""
    lines = md.split("\n")
    start = next(i for i, ln in enumerate(lines) if re.sub(r"^#+ ", "", ln) == title and ln.startswith("#"))
    level = len(lines[start]) - len(lines[start].lstrip("#"))
    end = next(
        (
            j
            for j in range(start + 1, len(lines))
            if lines[j].startswith("#")
            and len(lines[j]) - len(lines[j].lstrip("#")) <= level
            and lines[j][len(lines[j]) - len(lines[j].lstrip("#")) :].startswith(" ")
        ),
        len(lines),
    )
    return "\n".join(lines[start:end])


def new_session(review: Review, **kw: object) -> str:
    args: dict[str, object] = {
        "workload": "Shop",
        "workload_type": "critical-ecommerce",
        "lenses": ("wellarchitected",),
        "participants": (("Ana Ruiz", "Facilitator"), ("Ben Okafor", "Workload owner")),
    }
    args.update(kw)
    sid = review.create_session("Test review", **args)  # type: ignore[arg-type]
    review.set_session_field(sid, "created_at", "2026-01-10T09:00:00+00:00")
    return sid


def answer(review: Review, sid: str, qid: str, levels: set[str]) -> None:
    """Put in place every practice of question ``qid`` whose framework risk level is in ``levels``."""
    q = review.state(sid).lens("wellarchitected").question(qid)  # type: ignore[union-attr]
    assert q is not None
    for c in q.choices:
        if not c.is_none_choice and c.risk_level in levels:
            review.toggle_choice(sid, "wellarchitected", qid, c.id)


def choose_none(review: Review, sid: str, qid: str) -> None:
    q = review.state(sid).lens("wellarchitected").question(qid)  # type: ignore[union-attr]
    assert q is not None and q.none_choice is not None
    review.toggle_choice(sid, "wellarchitected", qid, q.none_choice.id)


def foreign_write(
    review: Review, sid: str, seq: int, target: str, value: object, source: str, saw_all: bool = False
) -> None:
    """An op from another room; unless ``saw_all``, it saw nothing here and is concurrent with everything."""
    with review.transaction():
        review.add_writers({"room-b-writer": ("Chen Wei", "chen-laptop")})
        vv: dict[str, int] = {}
        for op in review.ops(sid) if saw_all else []:
            vv[op.writer_id] = max(vv.get(op.writer_id, 0), op.seq)
        hlc = f"{(9999999999999 if saw_all else 1767600000000 + seq):013d}-00000-room-b"
        raw_ingest(review, Op("room-b-writer", seq, sid, target, value, vv, hlc, source))
