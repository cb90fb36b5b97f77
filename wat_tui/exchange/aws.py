"""The review as the AWS Well-Architected Tool takes it: one UpdateAnswer request per answered question and one
UpdateLensReview request per lens, built offline from a session and checked against the tool's own API model.

Nothing here opens a network connection. The requests leave out ``WorkloadId`` (the push command adds the workload
the facilitator names). The tool's limits apply and every cut is reported, never silent: a question's notes are at
most 2,084 characters and a pillar's too, so notes are turned from the room's Markdown into plain text with their
authors, and what does not fit is cut at a line and counted in :attr:`Payloads.cuts`. Private notes are left out
unless asked for.

Checking a request: :func:`problems` runs botocore's own parameter validator (names, types, required members) and
then the model's length and enum constraints, which botocore's validator does not check, all offline. botocore is
an optional dependency (``pip install 'wat-tui[aws]'``): without it, :func:`problems` raises :class:`NeedBotocore`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt

from wat_tui.errors import WatError
from wat_tui.lens.model import Lens
from wat_tui.lens.risk import Risk
from wat_tui.review.state import Note, SessionState

#: The tool's limits (also in its API model, which the tests compare them with).
QUESTION_NOTES_MAX = 2084
PILLAR_NOTES_MAX = 2084
#: Lenses whose question and choice ids are the tool's own. Our serverless and SaaS lenses use practices of our
#: own under the tool's aliases: pushing them would write to the wrong lens, so they are never pushed.
TOOL_LENSES = frozenset({"wellarchitected"})
OUR_OWN_LENSES = frozenset({"serverless", "saas"})
RISK_WORDS = {Risk.HIGH: "high risk", Risk.MEDIUM: "medium risk", Risk.NONE: "no risk",
              Risk.NOT_APPLICABLE: "not applicable", Risk.UNANSWERED: "notes only"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class NeedBotocore(WatError):
    def __init__(self) -> None:
        super().__init__("checking requests against the AWS API model needs botocore: "
                         "pip install 'wat-tui[aws]'")


@dataclass(frozen=True)
class Cut:
    """Text the tool could not take whole."""

    where: str
    kept: int
    total: int


@dataclass(frozen=True)
class AnswerRequest:
    lens: str
    question_id: str
    label: str
    #: UpdateAnswer's parameters without WorkloadId.
    params: dict[str, Any]


@dataclass(frozen=True)
class LensReviewRequest:
    lens: str
    #: UpdateLensReview's parameters without WorkloadId.
    params: dict[str, Any]


@dataclass(frozen=True)
class Payloads:
    answers: tuple[AnswerRequest, ...]
    lens_reviews: tuple[LensReviewRequest, ...]
    cuts: tuple[Cut, ...]
    #: Lenses left out, with why.
    skipped_lenses: tuple[tuple[str, str], ...] = ()
    #: Questions with nothing to send (unanswered, no notes).
    unanswered: int = 0
    private_left_out: int = 0


def plain_text(markdown: str) -> str:
    """The words of a Markdown note as plain text: paragraphs and list items on lines of their own (items with
    "- "), emphasis and markup marks removed, code kept, control characters dropped."""
    lines: list[str] = []
    depth = 0
    item_starts = False
    for tok in MarkdownIt("commonmark").parse(markdown):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif tok.type == "list_item_open":
            item_starts = True
        elif tok.type == "inline":
            text = "".join(child.content if child.type in ("text", "code_inline", "html_inline")
                           else "\n" if child.type in ("softbreak", "hardbreak") else ""
                           for child in tok.children or [])
            indent = "  " * max(0, depth - 1)
            lines.append(indent + ("- " if item_starts else "  " if depth else "") + text)
            item_starts = False
        elif tok.type in ("fence", "code_block", "html_block"):
            lines.append(tok.content.rstrip("\n"))
    return _CONTROL.sub("", "\n".join(line for line in lines if line.strip()))


def _fit(text: str, most: int, where: str, cuts: list[Cut]) -> str:
    """``text`` cut to ``most`` characters at a line, with a marker saying so; the cut is recorded."""
    if len(text) <= most:
        return text
    marker = "\n[cut: the rest is in the wat-tui report]"
    room = most - len(marker)
    kept = text[:room]
    if "\n" in kept[room // 2:]:
        kept = kept[: kept.rindex("\n")]
    cuts.append(Cut(where, len(kept), len(text)))
    return kept + marker


def notes_text(notes: Iterable[Note]) -> str:
    """Question notes as the tool shows them: each note's author, then its words."""
    return "\n\n".join(f"{n.author or 'Unknown'}: {plain_text(n.body)}" for n in notes if n.body.strip())


def build_payloads(state: SessionState, *, include_private: bool = False) -> Payloads:
    """Every request for the session's lenses that the tool knows, in lens and question order."""
    answers: list[AnswerRequest] = []
    reviews: list[LensReviewRequest] = []
    cuts: list[Cut] = []
    skipped: list[tuple[str, str]] = []
    unanswered = 0
    private = sum(1 for n in state.notes if n.private) if not include_private else 0
    for lens in state.lenses:
        why = not_pushable(lens)
        if why:
            skipped.append((lens.alias, why))
            continue
        pillar_lines: dict[str, list[str]] = {}
        for q in lens.questions:
            key = f"{lens.alias}/{q.id}"
            notes = [n for n in state.notes_for(key) if include_private or not n.private]
            answer = state.answer(lens.alias, q.id)
            if answer is None and not notes:
                unanswered += 1
                continue
            params: dict[str, Any] = {"LensAlias": lens.alias, "QuestionId": q.id}
            if answer is not None:
                params["SelectedChoices"] = list(answer.selected)
                if answer.na_choices:
                    params["ChoiceUpdates"] = {cid: {"Status": "NOT_APPLICABLE", "Reason": reason}
                                               for cid, reason in sorted(answer.na_choices.items())}
                params["IsApplicable"] = not answer.not_applicable
                if answer.not_applicable:
                    params["Reason"] = answer.reason or "NONE"
            text = notes_text(notes)
            if text:
                params["Notes"] = _fit(text, QUESTION_NOTES_MAX, f"{lens.alias}/{q.label} notes", cuts)
            answers.append(AnswerRequest(lens.alias, q.id, q.label, params))
            risk = state.risk(lens, q)
            pillar_lines.setdefault(q.pillar_id, []).append(f"{q.label}: {RISK_WORDS.get(risk, str(risk))}")
        pillar_notes = {}
        for p in lens.pillars:
            done = pillar_lines.get(p.id)
            if done:
                summary = (f"Reviewed offline in the room with wat-tui ({state.name}). Answers sent: "
                           f"{len(done)} of {len([q for q in lens.questions if q.pillar_id == p.id])}.\n"
                           + "\n".join(done))
                pillar_notes[p.id] = _fit(_CONTROL.sub("", summary), PILLAR_NOTES_MAX,
                                          f"{lens.alias} pillar {p.id} notes", cuts)
        if pillar_notes:
            reviews.append(LensReviewRequest(lens.alias, {"LensAlias": lens.alias, "PillarNotes": pillar_notes}))
    return Payloads(tuple(answers), tuple(reviews), tuple(cuts), tuple(skipped), unanswered, private)


def not_pushable(lens: Lens) -> str | None:
    """Why the tool must not receive answers for ``lens``; None when it may."""
    if lens.alias in OUR_OWN_LENSES:
        return (f"wat-tui's own {lens.name} uses practices of its own under the tool's alias {lens.alias!r}; "
                "its answers would land on the wrong questions")
    return None


# -- checking against the tool's API model -------------------------------------------------------------------


def _model(operation: str) -> Any:
    try:
        import botocore.session
    except ImportError as exc:
        raise NeedBotocore() from exc
    return botocore.session.get_session().get_service_model("wellarchitected").operation_model(operation)


def problems(operation: str, params: dict[str, Any], workload_id: str = "0" * 32) -> list[str]:
    """What is wrong with one request, as the tool's API model sees it (offline); empty when it is fine."""
    from botocore.exceptions import ParamValidationError
    from botocore.validate import validate_parameters

    op = _model(operation)
    full = {"WorkloadId": workload_id, **params}
    out: list[str] = []
    try:
        validate_parameters(full, op.input_shape)
    except ParamValidationError as exc:
        out.append(str(exc))
    _constraints(full, op.input_shape, operation, out)
    return out


def _constraints(value: Any, shape: Any, where: str, out: list[str]) -> None:
    """Lengths, counts and enums from the model, which botocore's own validator leaves unchecked."""
    meta = shape.metadata
    if shape.type_name == "string" and isinstance(value, str):
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{where}: {len(value)} characters, at most {meta['max']}")
        if "min" in meta and len(value) < meta["min"]:
            out.append(f"{where}: {len(value)} characters, at least {meta['min']}")
        if shape.enum and value not in shape.enum:
            out.append(f"{where}: {value!r} is not one of {', '.join(shape.enum)}")
    elif shape.type_name == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                _constraints(value[name], member, f"{where}.{name}", out)
    elif shape.type_name == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{where}: {len(value)} items, at most {meta['max']}")
        for i, item in enumerate(value):
            _constraints(item, shape.member, f"{where}[{i}]", out)
    elif shape.type_name == "map" and isinstance(value, dict):
        for k, v in value.items():
            _constraints(k, shape.key, f"{where} key", out)
            _constraints(v, shape.value, f"{where}[{k}]", out)


# -- pushing (the only code of the app that talks to a network, and only when the facilitator asks) ---------


@dataclass(frozen=True)
class Change:
    """What one UpdateAnswer would change in the tool, compared with GetAnswer's answer there now."""

    label: str
    lens: str
    question_id: str
    selected_before: tuple[str, ...]
    selected_after: tuple[str, ...]
    applicable_before: bool
    applicable_after: bool
    notes_change: bool

    @property
    def changes_anything(self) -> bool:
        return (set(self.selected_before) != set(self.selected_after)
                or self.applicable_before != self.applicable_after or self.notes_change)


@dataclass(frozen=True)
class PushResult:
    sent: tuple[str, ...]
    lens_reviews: tuple[str, ...]
    milestone: str | None = None


class PushFailed(WatError):
    def __init__(self, message: str, sent: tuple[str, ...]) -> None:
        done = f"; sent before the failure: {', '.join(sent)}" if sent else "; nothing was sent"
        super().__init__(message + done)
        self.sent = sent


def plan_push(client: Any, workload_id: str, payloads: Payloads) -> list[Change]:
    """Ask the tool for each question's current answer (GetAnswer) and say what the push would change."""
    out = []
    for req in payloads.answers:
        now = client.get_answer(WorkloadId=workload_id, LensAlias=req.lens, QuestionId=req.question_id)["Answer"]
        before = tuple(now.get("SelectedChoices", []))
        out.append(Change(
            req.label, req.lens, req.question_id, before, tuple(req.params.get("SelectedChoices", before)),
            bool(now.get("IsApplicable", True)), bool(req.params.get("IsApplicable", True)),
            "Notes" in req.params and req.params["Notes"] != now.get("Notes", ""),
        ))
    return out


def push(client: Any, workload_id: str, payloads: Payloads, milestone: str | None = None) -> PushResult:
    """Send every request in order, then the lens reviews, then (asked for) a milestone. Each request is checked
    against the model first; a failure stops at once and says which questions were already sent."""
    sent: list[str] = []
    for req in payloads.answers:
        found = problems("UpdateAnswer", req.params, workload_id)
        if found:
            raise PushFailed(f"{req.lens}/{req.label}: the tool would refuse it: {found[0]}", tuple(sent))
        try:
            client.update_answer(WorkloadId=workload_id, **req.params)
        except Exception as exc:  # botocore's ClientError and connection errors: one message, never a traceback
            raise PushFailed(f"{req.lens}/{req.label}: the tool said: {exc}", tuple(sent)) from exc
        sent.append(f"{req.lens}/{req.label}")
    reviewed = []
    for lr in payloads.lens_reviews:
        try:
            client.update_lens_review(WorkloadId=workload_id, **lr.params)
        except Exception as exc:
            raise PushFailed(f"{lr.lens} pillar notes: the tool said: {exc}", tuple(sent)) from exc
        reviewed.append(lr.lens)
    if milestone is not None:
        try:
            client.create_milestone(WorkloadId=workload_id, MilestoneName=milestone,
                                    ClientRequestToken=f"wat-tui-{workload_id[:16]}-{milestone}"[:2048])
        except Exception as exc:
            raise PushFailed(f"milestone {milestone!r}: the tool said: {exc}", tuple(sent)) from exc
    return PushResult(tuple(sent), tuple(reviewed), milestone)
