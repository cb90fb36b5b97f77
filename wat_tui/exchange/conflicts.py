"""Open conflicts, told in words, and the ways to resolve them.

A conflict is a register with more than one current value: edits made on different laptops that never saw each
other. Nothing here picks a value by itself. Each value comes with its author, device, time and the file it
arrived in, so a person can decide; a decision is one more operation, written through the Review facade, that
has seen every value, so once it is shared the conflict clears on every laptop. Leaving a conflict for later
needs no call: it stays open, and stays listed, until someone resolves it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wat_tui.errors import NotFound, WatError
from wat_tui.exchange.bundle import check_value
from wat_tui.exchange.report_model import reason_words
from wat_tui.exchange.schema import SchemaError
from wat_tui.lens.model import Lens, Question
from wat_tui.lens.risk import Risk
from wat_tui.review.service import Review
from wat_tui.review.state import ACTION_FIELDS, ACTION_PREFIX, NOTE_PREFIX, Answer, current
from wat_tui.review.validate import readable
from wat_tui.store.oplog import Value, canonical


@dataclass(frozen=True)
class ConflictValue:
    """One of a conflict's values and where it came from."""

    writer_id: str
    seq: int
    author: str
    device: str
    hlc: str
    time: datetime
    #: "local", or the name of the bundle file the operation arrived in.
    source: str
    value: Any
    #: The value in one line of words, for lists; a screen may show ``value`` in full.
    summary: str
    #: For an answer: the question's risk if this value is kept; None for other kinds (and unreadable values).
    risk: Risk | None = None


@dataclass(frozen=True)
class ConflictView:
    target: str
    #: The target's first segment: answer, note, action, participant, session (or a newer kind).
    kind: str
    #: What the conflict is about, in words ("answer to OPS 1: How do you ...").
    label: str
    #: "<lens alias>/<question id>" the conflict belongs to, for the workspace's badges; None: session-wide.
    question: str | None
    values: tuple[ConflictValue, ...]

    @property
    def can_keep_both(self) -> bool:
        """Keeping both is for notes: one stays, the others' text becomes new notes."""
        return self.kind == "note"


def hlc_time(hlc: str) -> datetime:
    return datetime.fromtimestamp(int(hlc.split("-", 1)[0]) / 1000, UTC)


def open_conflicts(review: Review, sid: str) -> list[ConflictView]:
    """Every open conflict of a session, in target order."""
    targets = review.conflicted_targets(sid)
    open_ = {t: vs for t in targets if len(vs := review.values(sid, t)) > 1}  # equal values collapse
    if not open_:
        return []
    writers = review.writers()
    lenses = review.session_lenses(sid)
    out = []
    for target, values in open_.items():
        shown = []
        for v in values:
            name, device = writers.get(v.writer_id, ("", ""))
            summary = (summarise(target, v.value, lenses) if readable(target, v.value)
                       else _clip(f"a value this version cannot read: {canonical(v.value)}"))
            risk = _risk(target, v.value, lenses) if readable(target, v.value) else None
            shown.append(ConflictValue(v.writer_id, v.seq, name or "unknown writer", device, v.hlc,
                                       hlc_time(v.hlc), review.op_source(v.writer_id, v.seq), v.value, summary,
                                       risk))
        label, question = _describe(review, sid, target, values, lenses)
        out.append(ConflictView(target, target.split("/", 1)[0], label, question, tuple(shown)))
    return out


def conflicts_by_question(review: Review, sid: str) -> dict[str, int]:
    """How many open conflicts each question has, for the workspace's badges."""
    counts: dict[str, int] = {}
    for c in open_conflicts(review, sid):
        if c.question:
            counts[c.question] = counts.get(c.question, 0) + 1
    return counts


def _risk(target: str, value: Any, lenses: dict[str, Lens]) -> Risk | None:
    """The question's risk if this answer is kept (the risk rules of its lens); None if not an answer."""
    kind, _, key = target.partition("/")
    alias, _, qid = key.partition("/")
    lens = lenses.get(alias)
    question = lens.question(qid) if lens else None
    if kind != "answer" or question is None:
        return None
    answer = Answer.from_value(value)
    return answer.risk(question) if answer is not None else Risk.UNANSWERED


def _question_label(key: str, lenses: dict[str, Lens]) -> str:
    alias, _, qid = key.partition("/")
    lens = lenses.get(alias)
    q = lens.question(qid) if lens else None
    return f"{q.label} ({q.title})" if q else key


def _describe(review: Review, sid: str, target: str, values: list[Value],
              lenses: dict[str, Lens]) -> tuple[str, str | None]:
    kind, _, rest = target.partition("/")
    if kind == "answer":
        return f"answer to {_question_label(rest, lenses)}", rest
    if kind == "note":
        question = next((v.value.get("question") for v in values if isinstance(v.value, dict)), None)
        return (f"note on {_question_label(question, lenses)}" if question else "note"), question or None
    if kind == "action":
        aid, _, field = rest.partition("/")
        root = current(review.values(sid, ACTION_PREFIX + aid))
        title = current(review.values(sid, f"{ACTION_PREFIX}{aid}/title"))
        question = root.get("question") if isinstance(root, dict) else None
        name = f"action item {title!r}" if isinstance(title, str) and title else "action item"
        return (f"{field} of {name}" if field else name), question
    if kind == "participant":
        return f"participant {rest}", None
    if kind == "session":
        return f"session {rest.replace('_', ' ')}", None
    return target, None


def summarise(target: str, value: Any, lenses: dict[str, Lens] | None = None) -> str:
    """A value in one line of words (control characters are the caller's to escape when printing)."""
    kind, _, rest = target.partition("/")
    if value is None:
        return "(no answer)" if kind == "answer" else "(deleted)"
    if kind == "answer" and isinstance(value, dict):
        alias, _, qid = rest.partition("/")
        lens = (lenses or {}).get(alias)
        q = lens.question(qid) if lens else None
        parts = []
        if value.get("not_applicable"):
            parts.append(f"not applicable ({reason_words(value.get('reason'))})")
        chosen = [_choice_title(q, c) for c in value.get("selected", [])]
        parts.append("selected: " + ("; ".join(chosen) if chosen else "nothing"))
        if value.get("na_choices"):
            reasons = sorted({reason_words(r) for r in value["na_choices"].values()})
            n = len(value["na_choices"])
            parts.append(f"{n} practice{'s' if n != 1 else ''} not applicable ({', '.join(reasons)})")
        return _clip(", ".join(parts))
    if kind == "note" and isinstance(value, dict):
        body = str(value.get("body", "")).strip().splitlines()
        return _clip(f"{value.get('author') or 'someone'}: {body[0] if body else '(empty)'}")
    if kind == "participant" and isinstance(value, dict):
        return _clip(f"{value.get('name', '')} ({value.get('role', '')})")
    if isinstance(value, str):
        return _clip(value)
    return _clip(canonical(value))


def _choice_title(q: Question | None, cid: str) -> str:
    choice = q.choice(cid) if q else None
    return choice.title if choice else cid


def _clip(text: str, width: int = 120) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# -- resolving -----------------------------------------------------------------------------------------------


def _values(review: Review, sid: str, target: str) -> list[Value]:
    values = review.values(sid, target)
    if len(values) < 2:
        raise WatError(f"{target}: no open conflict here (resolved already, perhaps on another laptop)")
    return values


def _pick(values: list[Value], target: str, writer_id: str, seq: int) -> Value:
    for v in values:
        if v.writer_id == writer_id and v.seq == seq:
            return v
    raise NotFound(f"{target}: the conflict changed since it was shown (value {writer_id[:8]}:{seq} is no "
                   "longer one of its values); look at it again")


def keep_value(review: Review, sid: str, target: str, writer_id: str, seq: int) -> None:
    """Resolve by keeping one value (given by the writer and seq of its operation)."""
    chosen = _pick(_values(review, sid, target), target, writer_id, seq)
    review.write(sid, [(target, chosen.value), *_revive_action(review, sid, target, chosen.value)])


def keep_both(review: Review, sid: str, target: str, writer_id: str, seq: int) -> list[str]:
    """Resolve a note conflict by keeping one value and adding each other value's text as a new note.

    Returns the ids of the new notes. Done as one action, so one undo takes it back.
    """
    if not target.startswith(NOTE_PREFIX):
        raise WatError(f"{target}: keeping both works for notes; choose one value or write a new one")
    values = _values(review, sid, target)
    chosen = _pick(values, target, writer_id, seq)
    writes: list[tuple[str, Any]] = [(target, chosen.value)]
    kept_body = chosen.value.get("body") if isinstance(chosen.value, dict) else None
    new_ids = []
    for v in values:
        if v is chosen or not isinstance(v.value, dict) or v.value.get("body") == kept_body:
            continue
        nid = str(uuid.uuid4())
        new_ids.append(nid)
        writes.append((NOTE_PREFIX + nid, dict(v.value)))
    review.write(sid, writes)
    return new_ids


def write_value(review: Review, sid: str, target: str, value: Any) -> None:
    """Resolve by writing a new value that replaces every value of the conflict."""
    _values(review, sid, target)
    try:
        check_value(target, value)
    except SchemaError as err:
        where = f"value.{err.where}" if err.where else "value"
        raise WatError(f"{target}: {where}: {err.problem}") from None
    review.write(sid, [(target, value), *_revive_action(review, sid, target, value)])


def _revive_action(review: Review, sid: str, target: str, value: Any) -> list[tuple[str, Any]]:
    """Keeping an edit made to an action item that was deleted meanwhile brings the item back, as it was.

    Only fields that hold nothing but the deletion are restored (to their last value before it); a field that
    is itself in conflict stays so.
    """
    if value is None or not target.startswith(ACTION_PREFIX) or target.count("/") != 2:
        return []
    aid = target.split("/")[1]
    root = ACTION_PREFIX + aid
    if current(review.values(sid, root)) is not None:
        return []
    writes: list[tuple[str, Any]] = []
    for t in (root, *(f"{root}/{f}" for f in ACTION_FIELDS)):
        values = review.values(sid, t)
        if t == target or len(values) != 1 or values[0].value is not None:
            continue  # a field in conflict is left for a person to decide
        last = next((v for v in review.logged_values(sid, t) if v is not None), None)
        if last is not None:
            writes.append((t, last))
    return writes


__all__ = ["ConflictValue", "ConflictView", "conflicts_by_question", "hlc_time", "keep_both",
           "keep_value", "open_conflicts", "summarise", "write_value"]
