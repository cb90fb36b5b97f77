"""Phase 3 of the review, analysis: the findings, scored on business impact and technical effort, and ranked.

A *finding* is a question the room left at high or medium risk, or, where the room wants finer grain, one
missing practice of such a question (a key ``alias/qid/choice`` present in the analysis). The analysis of a
finding is one small value (:class:`Analysis`, stored later as one JSON register per finding key).

The impact/effort matrix is a 3x3 grid whose corners are the four classic quadrants. **Medium rounds up on
both axes**: medium impact counts as high impact (a risk the room scores medium still matters to the business)
and medium effort counts as high effort (a quick win must really be quick). So only an explicit "low" moves a
finding off the high side of an axis:

=============  ===============  ===============  ===============
impact/effort  low              medium           high
=============  ===============  ===============  ===============
high           quick win        major project    major project
medium         quick win        major project    major project
low            fill-in          deprioritised    deprioritised
=============  ===============  ===============  ===============

The Markdown helpers at the end mirror ``wat_tui.exchange.markdown_text`` (the report's escaping): this layer
may not import ``exchange`` (tests/test_architecture.py), and a test keeps the two giving identical output.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from wat_tui.errors import WatError
from wat_tui.lens.model import Lens, Pillar, Question
from wat_tui.lens.risk import Risk
from wat_tui.markdown_text import cell, one_line, table, text
from wat_tui.review.state import SessionState

Level = Literal["low", "medium", "high"]
LEVELS: tuple[Level, ...] = ("low", "medium", "high")
Quadrant = Literal["quick win", "major project", "fill-in", "deprioritised"]
QUADRANTS: tuple[Quadrant, ...] = ("quick win", "major project", "fill-in", "deprioritised")
#: Framework risk levels, most severe first; None (a lens that gives no level) sorts last.
RISK_ORDER = ("HIGH", "MEDIUM", "LOW")
AT_RISK = (Risk.HIGH, Risk.MEDIUM)
NOTE_MAX = 5000
BY_ANALYSIS = "by business impact, then technical effort, then risk level"
BY_RISK = "by risk level: no analysis yet"


class AnalysisError(WatError):
    """A stored or typed analysis value the app cannot use."""


def check_level(name: str, value: Any) -> Level | None:
    """``value`` as a level (None allowed: not scored yet); a clear error naming ``name`` otherwise."""
    if value is None or value in LEVELS:
        return cast("Level | None", value)
    raise AnalysisError(f"{name} {value!r}: expected low, medium or high")


@dataclass(frozen=True)
class Analysis:
    """What the room decided about one finding during the analysis phase."""

    #: Business impact of fixing it (None: not scored yet).
    impact: Level | None = None
    #: Technical effort of fixing it (None: not scored yet).
    effort: Level | None = None
    note: str = ""

    def __post_init__(self) -> None:
        check_level("impact", self.impact)
        check_level("effort", self.effort)
        if not isinstance(self.note, str):
            raise AnalysisError(f"note: expected text, got {type(self.note).__name__}")
        if len(self.note) > NOTE_MAX:
            raise AnalysisError(f"note: {len(self.note)} characters, at most {NOTE_MAX}")

    @classmethod
    def from_value(cls, value: Any) -> Analysis:
        """Decode a stored value (see :func:`validate_analysis`)."""
        return validate_analysis(value)

    def to_value(self) -> dict[str, Any]:
        return {"impact": self.impact, "effort": self.effort, "note": self.note}

    @property
    def scored(self) -> bool:
        """Both axes scored: the finding has a place in the matrix."""
        return self.impact is not None and self.effort is not None


def validate_analysis(value: Any) -> Analysis:
    """A stored or typed analysis value, checked: ``{impact, effort, note}``, each key optional."""
    if not isinstance(value, dict):
        raise AnalysisError(f"analysis: expected an object, got {type(value).__name__}")
    unknown = sorted(set(value) - {"impact", "effort", "note"})
    if unknown:
        raise AnalysisError(f"analysis: unknown field {unknown[0]!r}")
    note = value.get("note", "")
    if note is None:
        note = ""
    return Analysis(check_level("impact", value.get("impact")), check_level("effort", value.get("effort")), note)


@dataclass(frozen=True)
class Finding:
    """A question at risk, or one missing practice of it, with the room's analysis."""

    #: ``alias/qid`` for a question, ``alias/qid/choice`` for a practice.
    key: str
    lens: str
    question: str
    choice: str | None
    pillar: str
    pillar_name: str
    #: SEC08 for a question, SEC08-BP02 for a practice (its id when the lens gives no reference).
    label: str
    title: str
    #: HIGH or MEDIUM for a question; a practice's framework risk level (HIGH, MEDIUM, LOW or None).
    risk: str | None
    #: The question's risk (HIGH or MEDIUM), also for a practice.
    question_risk: str
    #: The question's label (SEC08), also for a practice.
    question_label: str
    impact: Level | None = None
    effort: Level | None = None
    note: str = ""

    @property
    def analysed(self) -> bool:
        return self.impact is not None or self.effort is not None

    @property
    def quadrant(self) -> Quadrant | None:
        return quadrant(self.impact, self.effort)


def findings(state: SessionState, analysis: Mapping[str, Analysis]) -> list[Finding]:
    """Questions at high or medium risk in session order, each followed by the practice-level findings the
    analysis names (missing practices of that question: neither selected nor marked not applicable)."""
    out: list[Finding] = []
    for lens in state.lenses:
        for pillar in lens.pillars:
            for q in pillar.questions:
                risk = state.risk(lens, q)
                if risk not in AT_RISK:
                    continue
                key = f"{lens.alias}/{q.id}"
                a = analysis.get(key, Analysis())
                out.append(Finding(key, lens.alias, q.id, None, pillar.id, pillar.name, q.label, q.title,
                                   risk.value, risk.value, q.label, a.impact, a.effort, a.note))
                out += _practices(state, lens, pillar, q, risk, analysis, every=False)
    return out


def missing_practices(state: SessionState, analysis: Mapping[str, Analysis], key: str) -> list[Finding]:
    """Every missing practice of question ``key`` (``alias/qid``) as a practice-level finding, scored or not, in
    the lens's order: what the room can score one by one. Empty unless the question is at high or medium risk
    (or ``key`` names no question of the session)."""
    alias, _, qid = key.partition("/")
    lens = state.lens(alias)
    q = lens.question(qid) if lens is not None else None
    if lens is None or q is None:
        return []
    risk = state.risk(lens, q)
    pillar = next((p for p in lens.pillars if any(x is q for x in p.questions)), None)
    if risk not in AT_RISK or pillar is None:
        return []
    return _practices(state, lens, pillar, q, risk, analysis, every=True)


def _practices(state: SessionState, lens: Lens, pillar: Pillar, q: Question, risk: Risk,
               analysis: Mapping[str, Analysis], *, every: bool) -> list[Finding]:
    """The missing practices of question ``q`` (at ``risk``): every one when ``every``, else only those the
    analysis names. "None of these" is never a practice to put in place."""
    key = f"{lens.alias}/{q.id}"
    answer = state.answers.get(key)
    taken = set(answer.selected) | set(answer.na_choices) if answer else set()
    out: list[Finding] = []
    for c in q.choices:
        ckey = f"{key}/{c.id}"
        if c.is_none_choice or c.id in taken or not (every or ckey in analysis):
            continue
        a = analysis.get(ckey, Analysis())
        out.append(Finding(ckey, lens.alias, q.id, c.id, pillar.id, pillar.name, c.ref or f"{q.label}/{c.id}",
                           c.title, c.risk_level, risk.value, q.label, a.impact, a.effort, a.note))
    return out


def stale_keys(state: SessionState, analysis: Mapping[str, Analysis]) -> list[str]:
    """Analysed keys that are no finding now (the question left risk, or the practice is in place)."""
    current = {f.key for f in findings(state, analysis)}
    return sorted(k for k in analysis if k not in current)


# -- the matrix ---------------------------------------------------------------------------------------------


_CORNERS: dict[tuple[str, str], Quadrant] = {
    ("high", "low"): "quick win",
    ("high", "high"): "major project",
    ("low", "low"): "fill-in",
    ("low", "high"): "deprioritised",
}


def _side(level: Level) -> Literal["low", "high"]:
    """Medium rounds up: only an explicit "low" is the low side of an axis."""
    return "low" if level == "low" else "high"


def quadrant(impact: Level | None, effort: Level | None) -> Quadrant | None:
    """The quadrant of a scored finding (None until both axes are scored); see the module docstring."""
    if impact is None or effort is None:
        return None
    check_level("impact", impact)
    check_level("effort", effort)
    return _CORNERS[(_side(impact), _side(effort))]


#: Rows of the matrix top to bottom (impact high first), columns left to right (effort low first).
IMPACT_ROWS: tuple[Level, ...] = ("high", "medium", "low")
EFFORT_COLUMNS: tuple[Level, ...] = ("low", "medium", "high")


@dataclass(frozen=True)
class Matrix:
    """Finding labels per (impact, effort) cell, in priority order, and the findings not scored yet."""

    cells: Mapping[tuple[Level, Level], tuple[str, ...]]
    unscored: tuple[str, ...]

    def labels(self, impact: Level, effort: Level) -> tuple[str, ...]:
        return self.cells.get((impact, effort), ())

    def count(self, impact: Level, effort: Level) -> int:
        return len(self.labels(impact, effort))

    def quadrant_counts(self) -> dict[Quadrant, int]:
        out: dict[Quadrant, int] = dict.fromkeys(QUADRANTS, 0)
        for (impact, effort), labels in self.cells.items():
            q = quadrant(impact, effort)
            assert q is not None
            out[q] += len(labels)
        return out

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.cells.values()) + len(self.unscored)


def matrix(items: Iterable[Finding]) -> Matrix:
    cells: dict[tuple[Level, Level], list[str]] = {(i, e): [] for i in IMPACT_ROWS for e in EFFORT_COLUMNS}
    unscored: list[str] = []
    for f in prioritised(items):
        if f.impact is None or f.effort is None:
            unscored.append(f.label)
        else:
            cells[(f.impact, f.effort)].append(f.label)
    return Matrix({k: tuple(v) for k, v in cells.items()}, tuple(unscored))


def _cell_words(m: Matrix, impact: Level, effort: Level) -> tuple[str, str]:
    q = quadrant(impact, effort)
    assert q is not None
    return f"{q} ({m.count(impact, effort)})", ", ".join(m.labels(impact, effort))


def render_matrix_markdown(m: Matrix) -> str:
    """The matrix as a pipe table (impact rows, effort columns), each cell naming its quadrant in words."""
    rows = []
    for impact in IMPACT_ROWS:
        row = [cell(f"{impact} impact")]
        for effort in EFFORT_COLUMNS:
            name, labels = _cell_words(m, impact, effort)
            row.append(cell(f"{name}: {labels}" if labels else name))
        rows.append(row)
    header = ["Impact by effort", *(cell(f"{e} effort") for e in EFFORT_COLUMNS)]
    lines = [*table(header, rows), ""]
    lines.append("Medium counts as high on both axes: a quick win needs low effort, and only low impact "
                 "makes a fill-in or a deprioritised item.")
    if m.unscored:
        lines += ["", f"Not scored yet ({len(m.unscored)}): {text(', '.join(m.unscored))}."]
    return "\n".join(lines) + "\n"


#: Width of the row headings of the terminal matrix ("medium impact").
_ROW_HEAD = 15


def render_matrix_lines(m: Matrix, width: int, max_label_lines: int = 4) -> list[str]:
    """The matrix as plain lines no wider than ``width`` (at least 60): ASCII borders, every cell titled with
    its quadrant in capitals and its count, then its labels wrapped (``+N more`` past ``max_label_lines``)."""
    if width < 60:
        raise ValueError(f"the matrix needs at least 60 columns, got {width}")
    inner = (width - _ROW_HEAD - 4) // 3  # three cells, four borders
    rule = "+" + "-" * (_ROW_HEAD - 1) + ("+" + "-" * inner) * 3 + "+"
    out = [rule, _row(["IMPACT/EFFORT", *(f"{e} effort" for e in EFFORT_COLUMNS)], inner), rule]
    for impact in IMPACT_ROWS:
        columns = [_cell_lines(m, impact, e, inner, max_label_lines) for e in EFFORT_COLUMNS]
        height = max(len(c) for c in columns)
        for i in range(height):
            head = f"{impact} impact" if i == 0 else ""
            out.append(_row([head, *(c[i] if i < len(c) else "" for c in columns)], inner))
        out.append(rule)
    if m.unscored:
        labels = ", ".join(one_line(x) for x in m.unscored)
        out += textwrap.wrap(f"Not scored yet ({len(m.unscored)}): {labels}", width)
    return out


def _row(cells: Sequence[str], inner: int) -> str:
    head, *rest = cells
    return "|" + head[: _ROW_HEAD - 2].ljust(_ROW_HEAD - 2) + " " + "".join(
        "|" + (" " + c)[:inner].ljust(inner) for c in rest) + "|"


def _cell_lines(m: Matrix, impact: Level, effort: Level, inner: int, most: int) -> list[str]:
    """The cell's title line, then its labels packed greedily into lines (a label too long is cut with "~");
    past ``most`` label lines the last one says how many labels are not shown."""
    room = inner - 2
    labels = [one_line(x) or "?" for x in m.labels(impact, effort)]
    lines: list[list[str]] = []
    for label in labels:
        label = label if len(label) < room else label[: room - 2] + "~"
        if lines and len(", ".join(lines[-1])) + len(label) + 3 <= room:
            lines[-1].append(label)
        else:
            lines.append([label])
    if len(lines) > most:
        lines = lines[: most - 1]
        lines.append([f"+{len(labels) - sum(len(line) for line in lines)} more"])
    texts = [", ".join(line) + ("," if i < len(lines) - 1 else "") for i, line in enumerate(lines)]
    name, _ = _cell_words(m, impact, effort)
    return [name.upper(), *texts]


# -- ordering -----------------------------------------------------------------------------------------------


def _rank(value: str | None, order: Sequence[str]) -> int:
    return order.index(value) if value in order else len(order)


def natural_key(label: str) -> tuple[tuple[int, int | str], ...]:
    """SEC2 before SEC10: digit runs compare as numbers."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", label) if p)


def prioritised(items: Iterable[Finding]) -> list[Finding]:
    """Analysed findings (impact or effort scored) by impact (high first), effort (low first), risk level,
    label; then the unanalysed ones by risk level and label."""
    def key(f: Finding) -> tuple[Any, ...]:
        risk = _rank(f.risk, RISK_ORDER)
        if f.analysed:
            impact = _rank(f.impact, ("high", "medium", "low"))
            effort = _rank(f.effort, ("low", "medium", "high"))
            return (0, impact, effort, risk, natural_key(f.label), f.key)
        return (1, 0, 0, risk, natural_key(f.label), f.key)

    return sorted(items, key=key)


def ordering_used(items: Iterable[Finding]) -> str:
    """Which ordering :func:`prioritised` applies, in words for the screen and the report."""
    return BY_ANALYSIS if any(f.analysed for f in items) else BY_RISK
