"""The rules every register value obeys: one function per target kind, for local input and for bundles alike.

What a laptop accepts, it can use, and what it accepts locally, its own bundles carry. So the same function
checks a value whether a person typed it (``Review``'s setters, ``Review.write`` for the agenda and the parking
lot) or another laptop's bundle brought it (the bundle reader, then the merge with the session's lenses at
hand). The bundle schema describes the same shapes and limits for other tools; these rules add what a schema
cannot say: that an answer's choices are its question's, that an agenda block's pillar is in its lens and its
lens one of the session's, that a timer stops after it starts, that a note belongs to a question of the session.

Two strengths:

- ``strict`` (the default): everything, for a value about to be written or merged. With a :class:`Context`,
  also what depends on the session's lenses.
- ``strict=False``: only what a value must be for the app to use it at all (types, known kinds, times that are
  times), for reading what is already stored. Data written before a limit existed (a long note) still reads.
  :func:`readable` is this test; the read side skips a value that fails it and names its target.

A failure is :class:`Invalid`, a :class:`~wat_tui.errors.WatError` whose message suits a person at the keyboard
(``action title: 5,100 characters; at most 5,000``) and whose ``path`` locates it in an operation
(``value.selected[0]``) for the bundle reader's message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from wat_tui.errors import NotFound, WatError
from wat_tui.lens.model import Lens
from wat_tui.lens.risk import NA_REASONS
from wat_tui.review.agenda import BLOCK_KINDS
from wat_tui.review.state import ACTION_STATUSES
from wat_tui.review.targets import (
    ACTION_FINDINGS_MAX,
    ACTION_TEXT_MAX,
    AGENDA_BLOCKS_MAX,
    ANALYSIS_NOTE_MAX,
    CADENCE_MAX,
    ID_MAX,
    LENS_ALIAS_MAX,
    LENS_ALIAS_PATTERN,
    LENSES_MAX,
    MILESTONE_ITEMS_MAX,
    MILESTONE_NAME_MAX,
    NOTE_BODY_MAX,
    PARKING_REASON_MAX,
    PLANNED_MINUTES_MAX,
    QUESTION_KEY_MAX,
    SESSION_TEXT_MAX,
    SHORT_TEXT_MAX,
    TARGETS,
    target_kind,
)


class Invalid(WatError):
    """A value that breaks its target's rules. ``path`` leads from the value (or, with ``on_target``, the target)
    to the problem; the message alone reads well where a person typed the value."""

    def __init__(self, problem: str, *path: str | int, on_target: bool = False) -> None:
        super().__init__(problem)
        self.problem = problem
        self.path: list[str | int] = list(path)
        self.on_target = on_target

    @property
    def where(self) -> str:
        """``value.selected[0]``, ``value[3].minutes``, ``target``: the place inside one operation."""
        out = "target" if self.on_target else "value"
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else f".{part}"
        return out


class Missing(Invalid, NotFound):
    """The value names a lens, question, choice or pillar the session does not have."""


# -- what the rules know of the session ------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionFacts:
    choices: frozenset[str]
    #: The "None of these" choices, which cannot be marked not applicable.
    none: frozenset[str]


@dataclass(frozen=True)
class LensFacts:
    questions: dict[str, QuestionFacts]
    pillars: frozenset[str]


_FACTS: dict[str, LensFacts] = {}


def lens_facts(lens: Lens) -> LensFacts:
    """What the rules need of one lens version (made once per content)."""
    facts = _FACTS.get(lens.content_hash)
    if facts is None:
        facts = LensFacts(
            {q.id: QuestionFacts(frozenset(c.id for c in q.choices),
                                 frozenset(c.id for c in q.choices if c.is_none_choice)) for q in lens.questions},
            frozenset(p.id for p in lens.pillars))
        if len(_FACTS) > 256:
            _FACTS.clear()
        _FACTS[lens.content_hash] = facts
    return facts


class Context:
    """The session's lenses, by alias, for the rules that depend on them. A merge passes every lens version the
    session's history uses (a question of any of them may be answered); the local input the session's lenses."""

    def __init__(self, session: str, lenses: Iterable[Lens]) -> None:
        #: How messages name the session: ``session 1f0c…`` or ``this session``.
        self.session = session
        self.lenses: dict[str, LensFacts] = {}
        for lens in lenses:
            self.add(lens)

    def add(self, lens: Lens) -> None:
        facts = lens_facts(lens)
        known = self.lenses.get(lens.alias)
        if known is None:
            self.lenses[lens.alias] = facts
            return
        questions = dict(known.questions)
        for qid, q in facts.questions.items():
            seen = questions.get(qid)
            questions[qid] = q if seen is None else QuestionFacts(seen.choices | q.choices, seen.none | q.none)
        self.lenses[lens.alias] = LensFacts(questions, known.pillars | facts.pillars)

    def question(self, what: str, key: str, *path: str | int, on_target: bool = False) -> QuestionFacts:
        """The facts of question ``<alias>/<qid>``; Invalid when the session has no such question."""
        alias, _, qid = key.partition("/")
        lens = self.lenses.get(alias)
        if lens is None:
            raise Missing(f"{what} for lens {alias[:80]!r}, which {self.session} does not use", *path,
                          on_target=on_target)
        q = lens.questions.get(qid)
        if q is None:
            raise Missing(f"{what} for question {qid[:80]!r}, which lens {alias!r} does not have", *path,
                          on_target=on_target)
        return q


Rule = Callable[[str, Any, "Context | None", bool], None]


# -- small checks ----------------------------------------------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"


def _text(value: Any, label: str, most: int, strict: bool, *path: str | int) -> str:
    if type(value) is not str:
        raise Invalid(f"{label}: expected text, found {_kind(value)}", *path)
    if strict and len(value) > most:
        raise Invalid(f"{label}: {len(value):,} characters; at most {most:,}", *path)
    return value


def _optional_text(value: dict[str, Any], key: str, label: str, most: int, strict: bool, *path: str | int) -> None:
    if key in value:
        _text(value[key], label, most, strict, *path, key)


def _object(value: Any, label: str, *path: str | int) -> dict[str, Any]:
    if type(value) is not dict:
        raise Invalid(f"{label}: expected an object, found {_kind(value)}", *path)
    return value


def _list(value: Any, label: str, *path: str | int) -> list[Any]:
    if type(value) is not list:
        raise Invalid(f"{label}: expected a list, found {_kind(value)}", *path)
    return value


def _bool(value: dict[str, Any], key: str, label: str) -> None:
    if key in value and type(value[key]) is not bool:
        raise Invalid(f"{label}: expected true/false, found {_kind(value[key])}", key)


def _moment(value: Any, label: str, *path: str | int) -> datetime:
    """An ISO 8601 date and time with its UTC offset."""
    text = _text(value, label, 40, True, *path)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{label} {text[:40]!r}: not a date and time with its UTC offset", *path) from None
    if when.tzinfo is None or when.utcoffset() is None:
        raise Invalid(f"{label} {text[:40]!r}: not a date and time with its UTC offset", *path)
    return when


def _is_date(text: str) -> bool:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _key_text(value: Any, label: str, strict: bool, *path: str | int) -> str:
    return _text(value, label, QUESTION_KEY_MAX, strict, *path)


# -- the rules, one per target kind (see targets.TARGETS) --------------------------------------------------------


def session_text(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``session/name|workload|workload_type|created_at``: text; a session's name is never blank."""
    field = target.split("/", 1)[1]
    _text(value, f"session {field.replace('_', ' ')}", SESSION_TEXT_MAX, strict)
    if strict and field == "name" and not value.strip():
        raise Invalid("a session needs a name")


def planned_minutes(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``session/planned_minutes``: whole minutes, 1 to a day."""
    if type(value) is not int or not 1 <= value <= PLANNED_MINUTES_MAX:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        raise Invalid(f"planned duration {shown}: expected whole minutes between 1 and {PLANNED_MINUTES_MAX}")


_ALIAS = re.compile(LENS_ALIAS_PATTERN)
_SHA256 = re.compile(r"[0-9a-f]{64}")


def session_lenses(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``session/lenses``: one to 64 ``{alias, hash, version}``, each alias once and a plain token."""
    items = _list(value, "the session's lenses")
    if not items:
        raise Invalid("the session's lenses: a session uses at least one lens")
    if strict and len(items) > LENSES_MAX:
        raise Invalid(f"the session's lenses: {len(items)}; at most {LENSES_MAX}")
    seen: set[str] = set()
    for i, item in enumerate(items):
        item = _object(item, "a lens of the session", i)
        alias = _text(item.get("alias"), "lens alias", LENS_ALIAS_MAX, strict, i, "alias")
        if strict and (not _ALIAS.fullmatch(alias) or len(alias) > LENS_ALIAS_MAX):
            raise Invalid(f"lens alias {alias[:80]!r}: letters, digits, '.', '_' and '-', starting with a letter or "
                          f"digit, at most {LENS_ALIAS_MAX} characters", i, "alias")
        if strict and alias in seen:
            raise Invalid(f"lens {alias!r} is listed twice", i, "alias")
        seen.add(alias)
        content_hash = _text(item.get("hash"), "lens hash", 64, True, i, "hash")
        if not _SHA256.fullmatch(content_hash):
            raise Invalid("lens hash: expected 64 lower-case hex digits", i, "hash")
        _optional_text(item, "version", "lens version", SHORT_TEXT_MAX, strict, i)


def answer(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``answer/<alias>/<qid>``: the question's own choices, the tool's reasons; null for unanswered."""
    q = ctx.question("an answer", target.split("/", 1)[1], on_target=True) if ctx is not None else None
    if value is None:
        return
    value = _object(value, "an answer")
    selected = _list(value.get("selected", []), "selected choices", "selected")
    for i, cid in enumerate(selected):
        _text(cid, "a selected choice", SHORT_TEXT_MAX, strict, "selected", i)
        if q is not None and cid not in q.choices:
            raise Missing(f"question {target.split('/', 2)[2]!r} has no choice {cid[:80]!r}", "selected", i)
    na = _object(value.get("na_choices", {}), "choices not applicable", "na_choices")
    for cid, reason in na.items():
        _text(reason, "a reason", SHORT_TEXT_MAX, strict, "na_choices", cid)
        if strict and reason not in NA_REASONS:
            raise Invalid(f"unknown reason {reason[:80]!r}; expected one of {', '.join(NA_REASONS)}", "na_choices",
                          cid)
        if q is not None and cid not in q.choices:
            raise Missing(f"question {target.split('/', 2)[2]!r} has no choice {cid[:80]!r}", "na_choices", cid)
        if q is not None and cid in q.none:
            raise Invalid(f"choice {cid!r} is 'None of these'; it cannot be marked not applicable", "na_choices",
                          cid)
    _bool(value, "not_applicable", "not applicable")
    reason = value.get("reason")
    if reason is not None:
        _text(reason, "the reason", SHORT_TEXT_MAX, strict, "reason")
        if strict and reason not in NA_REASONS:
            raise Invalid(f"unknown reason {reason[:80]!r}; expected one of {', '.join(NA_REASONS)}", "reason")


def note(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``note/<uuid>``: a body of at most 200,000 characters, on a question of the session or on none ("")."""
    if value is None:
        return
    value = _object(value, "a note")
    key = _key_text(value.get("question", ""), "note question", strict, "question")
    if key and ctx is not None:
        ctx.question("a note", key, "question")
    _text(value.get("body", ""), "note body", NOTE_BODY_MAX, strict, "body")
    _optional_text(value, "author", "note author", SHORT_TEXT_MAX, strict)
    _optional_text(value, "created", "note time", 200, strict)
    _bool(value, "private", "private")


def action(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``action/<uuid>``: the question the item belongs to (of the session), or null for none."""
    if value is None:
        return
    value = _object(value, "an action item")
    key = value.get("question")
    if key is not None:
        _key_text(key, "action item question", strict, "question")
        if key and ctx is not None:
            ctx.question("an action item", key, "question")


def action_field(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``action/<uuid>/title|owner|due|status``: text up to 5,000 characters (null once deleted); a title is not
    blank, a due date is a real ``YYYY-MM-DD`` or empty, a status one of the three."""
    if value is None:
        return
    field = target.rsplit("/", 1)[1]
    text = _text(value, f"action {field}", ACTION_TEXT_MAX, strict)
    if not strict:
        return
    if field == "title" and not text.strip():
        raise Invalid("an action item needs a title")
    if field == "status" and text not in ACTION_STATUSES:
        raise Invalid(f"unknown status {text[:80]!r}; expected one of {', '.join(ACTION_STATUSES)}")
    if field == "due" and text and not _is_date(text):
        raise Invalid(f"due date {text[:40]!r}: expected YYYY-MM-DD")


def participant(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``participant/<key>``: a name (not blank), a role and an e-mail, each at most 500 characters."""
    if value is None:
        return
    value = _object(value, "a participant")
    name = _text(value.get("name"), "participant name", SHORT_TEXT_MAX, strict, "name")
    if strict and not name.strip():
        raise Invalid("a participant needs a name", "name")
    _optional_text(value, "role", "participant role", SHORT_TEXT_MAX, strict)
    _optional_text(value, "email", "participant e-mail", SHORT_TEXT_MAX, strict)


def agenda(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``agenda``: 1 to 200 blocks with distinct ids, of a known kind, each 1 to 1440 minutes; a pillar block names
    a pillar of its lens, and every lens named is one of the session's. Null when none is saved (undoing the first
    save writes it): the planner's proposal is shown."""
    if value is None:
        return
    blocks = _list(value, "the agenda")
    if strict and not blocks:
        raise Invalid("the agenda has no blocks")
    if strict and len(blocks) > AGENDA_BLOCKS_MAX:
        raise Invalid(f"the agenda has {len(blocks)} blocks; at most {AGENDA_BLOCKS_MAX}")
    ids: set[str] = set()
    for i, raw in enumerate(blocks):
        block = _object(raw, f"agenda block {i + 1}", i)
        bid = _text(block.get("id"), f"agenda block {i + 1} id", ID_MAX, strict, i, "id")
        if strict and not bid:
            raise Invalid(f"agenda block {i + 1}: an empty id", i, "id")
        if strict and bid in ids:
            raise Invalid("the agenda has two blocks with the same id", i, "id")
        ids.add(bid)
        kind = block.get("kind")
        if kind not in BLOCK_KINDS:
            shown = repr(kind)[:40]
            raise Invalid(f"agenda block {i + 1}: unknown kind {shown}; expected one of {', '.join(BLOCK_KINDS)}",
                          i, "kind")
        title = _text(block.get("title"), f"agenda block {i + 1} title", SHORT_TEXT_MAX, strict, i, "title")
        minutes = block.get("minutes")
        if type(minutes) is not int or not (1 if strict else 0) <= minutes <= PLANNED_MINUTES_MAX:
            shown = repr(minutes)[:40]
            raise Invalid(f"agenda block {title[:80]!r}: lasts at least 1 minute and at most {PLANNED_MINUTES_MAX}, "
                          f"not {shown}", i, "minutes")
        pillar, lens = block.get("pillar"), block.get("lens")
        if pillar is not None:
            _text(pillar, f"agenda block {i + 1} pillar", QUESTION_KEY_MAX, strict, i, "pillar")
        if lens is not None:
            _text(lens, f"agenda block {i + 1} lens", LENS_ALIAS_MAX, strict, i, "lens")
        if ctx is None:
            continue
        if kind == "pillar" and not (pillar and lens):
            raise Invalid(f"agenda block {title[:80]!r}: a pillar block names its pillar and its lens", i,
                          "pillar" if not pillar else "lens")
        if kind == "lens" and not lens:
            raise Invalid(f"agenda block {title[:80]!r}: a lens block names its lens", i, "lens")
        if lens:
            facts = ctx.lenses.get(lens)
            if facts is None:
                raise Missing(f"agenda block {title[:80]!r} is for lens {lens[:80]!r}, which {ctx.session} does "
                              "not use", i, "lens")
            if pillar and pillar not in facts.pillars:
                raise Missing(f"agenda block {title[:80]!r} is for pillar {pillar[:80]!r}, which lens {lens!r} "
                              "does not have", i, "pillar")
        elif pillar:
            raise Invalid(f"agenda block {title[:80]!r}: a pillar needs its lens", i, "lens")


def timer(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``timer/<uuid>``: ``{block, question, start, stop}``, ISO times with their offset, stopping after it
    starts (``stop`` null while it runs); its question is one of the session's."""
    if value is None and not strict:
        return  # nothing to count
    value = _object(value, "a timer interval")
    start = _moment(value.get("start"), "timer start", "start")
    stop = value.get("stop")
    if stop is not None and _moment(stop, "timer stop", "stop") < start:
        raise Invalid(f"timer stop {stop!r}: before its start {value['start']!r}", "stop")
    block = value.get("block")
    if block is not None:
        _text(block, "timer block", ID_MAX, strict, "block")
    key = value.get("question")
    if key is not None:
        _key_text(key, "timer question", strict, "question")
        if key and ctx is not None:
            ctx.question("a timer", key, "question")


def parking(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``parking/<alias>/<qid>``: a question of the session; ``{reason, parked_by}``, or null once back."""
    if ctx is not None:
        ctx.question("a parked question", target.split("/", 1)[1], on_target=True)
    if value is None:
        return
    value = _object(value, "a parked question")
    _optional_text(value, "reason", "parking reason", PARKING_REASON_MAX, strict)
    _optional_text(value, "parked_by", "parked by", SHORT_TEXT_MAX, strict)


# -- analysis, action plan and follow-up (issue 14) --------------------------------------------------------

#: Impact and effort levels (``review/analysis.py`` reads them); snapshot risks (``review/compare.py``).
LEVELS = ("low", "medium", "high")
SNAPSHOT_RISKS = ("HIGH", "MEDIUM", "NONE", "NOT_APPLICABLE", "UNANSWERED")
_CADENCE = re.compile(r"[a-z][a-z0-9-]*")


def finding_key(what: str, key: Any, ctx: Context | None, strict: bool, *path: str | int,
                on_target: bool = False) -> str:
    """A finding key, ``<alias>/<qid>`` or ``<alias>/<qid>/<choice>``; with ``ctx``, a question (and choice) of
    the session."""
    text = _key_text(key, f"{what}: a finding", strict, *path)
    parts = text.split("/")
    if len(parts) not in (2, 3) or not all(parts):
        raise Invalid(f"{what}: finding {text[:80]!r}: expected <lens alias>/<question id>[/<choice id>]",
                      *path, on_target=on_target)
    if ctx is not None:
        q = ctx.question(what, "/".join(parts[:2]), *path, on_target=on_target)
        if len(parts) == 3 and parts[2] not in q.choices:
            raise Missing(f"{what}: question {parts[1][:80]!r} has no choice {parts[2][:80]!r}", *path,
                          on_target=on_target)
    return text


def _level(value: dict[str, Any], key: str, label: str, *path: str | int) -> None:
    level = value.get(key)
    if level is not None and level not in LEVELS:
        shown = repr(level) if len(repr(level)) <= 40 else repr(level)[:37] + "..."
        raise Invalid(f"{label} {shown}: expected low, medium or high", *path, key)


def _analysis_value(value: Any, strict: bool, *path: str | int) -> None:
    value = _object(value, "an analysis", *path)
    _level(value, "impact", "impact", *path)
    _level(value, "effort", "effort", *path)
    if value.get("note") is not None:
        _text(value["note"], "analysis note", ANALYSIS_NOTE_MAX, strict, *path, "note")


def analysis(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``analysis/<alias>/<qid>[/<choice>]``: ``{impact, effort, note}`` (levels low, medium or high, or null
    for not scored; a note of at most 5,000 characters) for a question, or a practice, of the session; null
    once cleared."""
    finding_key("an analysis", target.split("/", 1)[1], ctx, strict, on_target=True)
    if value is None:
        return
    _analysis_value(value, strict)


def action_findings(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``action/<uuid>/findings``: the findings the action item addresses, at most 200 distinct keys (or null
    once the item is deleted)."""
    if value is None:
        return
    keys = _list(value, "the action item's findings")
    if strict and len(keys) > ACTION_FINDINGS_MAX:
        raise Invalid(f"the action item's findings: {len(keys)}; at most {ACTION_FINDINGS_MAX}")
    seen: set[str] = set()
    for i, key in enumerate(keys):
        key = finding_key("an action item's link", key, ctx, strict, i)
        if strict and key in seen:
            raise Invalid(f"the action item's findings: {key[:80]!r} is listed twice", i)
        seen.add(key)


def session_cadence(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``session/cadence``: a cadence id (new, existing, critical, post-incident; a newer version's id is kept
    as long as it is a plain token), or null for the workload type's own."""
    if value is None:
        return
    text = _text(value, "review cadence", CADENCE_MAX, True)
    if not _CADENCE.fullmatch(text):
        raise Invalid(f"review cadence {text[:40]!r}: expected an id such as 'critical' (lower-case letters, digits "
                      "and '-')")


def _texts(value: dict[str, Any], spec: tuple[tuple[str, str, int], ...], strict: bool,
           *path: str | int) -> None:
    for key, label, most in spec:
        _text(value.get(key), label, most, strict, *path, key)


_QUESTION_AT = (("key", "question key", QUESTION_KEY_MAX), ("pillar", "pillar id", QUESTION_KEY_MAX),
                ("pillar_name", "pillar name", SHORT_TEXT_MAX), ("label", "question label", SHORT_TEXT_MAX),
                ("title", "question title", ACTION_TEXT_MAX))
_ACTION_AT = (("id", "action id", ID_MAX), ("title", "action title", ACTION_TEXT_MAX),
              ("status", "action status", ACTION_TEXT_MAX), ("owner", "action owner", ACTION_TEXT_MAX),
              ("due", "action due date", ACTION_TEXT_MAX))


def milestone(target: str, value: Any, ctx: Context | None, strict: bool) -> None:
    """``milestone/<uuid>``: a snapshot of the session (``review/compare.py``, format ``wat-tui-snapshot``
    version 1): its name (not blank), when it was taken, every question with its risk, the answers, the analysis
    and the actions; at most 10,000 of each. Written once, never deleted."""
    value = _object(value, "a milestone")
    if value.get("format") != "wat-tui-snapshot":
        raise Invalid("a milestone: not a wat-tui snapshot (format 'wat-tui-snapshot')", "format")
    if value.get("version") != 1:
        shown = repr(value.get("version"))[:40]
        raise Invalid(f"a milestone: snapshot version {shown}; this version reads version 1", "version")
    _text(value.get("session"), "milestone session", ID_MAX, strict, "session")
    name = _text(value.get("label"), "milestone name", MILESTONE_NAME_MAX, strict, "label")
    if strict and not name.strip():
        raise Invalid("a milestone needs a name", "label")
    _moment(value.get("taken_at"), "milestone time", "taken_at")
    questions = _list(value.get("questions"), "milestone questions", "questions")
    actions = _list(value.get("actions"), "milestone actions", "actions")
    scored = _object(value.get("analysis"), "milestone analysis", "analysis")
    for label, items in (("questions", questions), ("actions", actions), ("analysis", scored)):
        if strict and len(items) > MILESTONE_ITEMS_MAX:
            raise Invalid(f"milestone {label}: {len(items):,}; at most {MILESTONE_ITEMS_MAX:,}", label)
    for i, q in enumerate(questions):
        q = _object(q, "a milestone question", "questions", i)
        _texts(q, _QUESTION_AT, strict, "questions", i)
        if q.get("risk") not in SNAPSHOT_RISKS:
            shown = repr(q.get("risk"))[:40]
            raise Invalid(f"milestone question risk {shown}: expected one of {', '.join(SNAPSHOT_RISKS)}",
                          "questions", i, "risk")
    for i, a in enumerate(actions):
        a = _object(a, "a milestone action", "actions", i)
        _texts(a, _ACTION_AT, strict, "actions", i)
    for key, a in scored.items():
        _key_text(key, "milestone analysis key", strict, "analysis", key)
        _analysis_value(a, strict, "analysis", key)
    if "answers" in value:
        answers = _object(value["answers"], "milestone answers", "answers")
        if strict and len(answers) > MILESTONE_ITEMS_MAX:
            raise Invalid(f"milestone answers: {len(answers):,}; at most {MILESTONE_ITEMS_MAX:,}", "answers")
        for key, a in answers.items():
            _key_text(key, "milestone answer key", strict, "answers", key)
            if a is None:
                raise Invalid("a milestone answer: expected an object, found null", "answers", key)
            try:
                answer(f"answer/{key}", a, None, strict)
            except Invalid as inv:
                raise Invalid(inv.problem, "answers", key, *inv.path) from None


#: The rule of each declared target kind, by ``TargetKind.name`` (a test checks every kind has one).
RULES: dict[str, Rule] = {
    "session-text": session_text,
    "session-planned-minutes": planned_minutes,
    "session-lenses": session_lenses,
    "answer": answer,
    "note": note,
    "action": action,
    "action-field": action_field,
    "participant": participant,
    "agenda": agenda,
    "timer": timer,
    "parking": parking,
    "session-cadence": session_cadence,
    "analysis": analysis,
    "action-findings": action_findings,
    "milestone": milestone,
}
assert set(RULES) == {t.name for t in TARGETS}, "every declared target kind has its rule"


#: The kinds whose rules look at the session's lenses (the others need no :class:`Context`).
SESSION_KINDS = frozenset({"answer", "note", "action", "agenda", "timer", "parking", "analysis", "action-findings"})


def check(target: str, value: Any, ctx: Context | None = None, strict: bool = True,
          only_session_kinds: bool = False) -> None:
    """Raise :class:`Invalid` when ``value`` breaks the rules of ``target``'s kind. A target of a form this
    version does not know is kept unread: any value passes. ``only_session_kinds``: skip the kinds whose rules
    need no session (a merge, after the bundle reader checked every value without one)."""
    kind = target_kind(target)
    if kind is not None and not (only_session_kinds and kind.name not in SESSION_KINDS):
        RULES[kind.name](target, value, ctx, strict)


def readable(target: str, value: Any) -> bool:
    """Whether the app can use a stored value at all (see the module docstring); the read side skips others."""
    try:
        check(target, value, None, strict=False)
    except Invalid:
        return False
    return True
