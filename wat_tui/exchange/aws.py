"""The review as the AWS Well-Architected Tool takes it: one UpdateAnswer request per answered question and one
UpdateLensReview request per lens, built offline from a session and checked against the tool's own API model.

Nothing here opens a network connection. The requests leave out ``WorkloadId`` (the push command adds the workload
the facilitator names). The tool's limits apply and every cut is reported, never silent: a question's notes are at
most 2,084 characters and a pillar's too, so notes are turned from the room's Markdown into plain text with their
authors, and what does not fit is cut at a line and counted in :attr:`Payloads.cuts`. Private notes are left out
unless asked for.

Which lens the answers go to: our ``wellarchitected`` lens uses the tool's own question and practice ids, so its
answers go to the tool's lens of that alias. Our Serverless and SaaS lenses (``wat-serverless``, ``wat-saas``, and
``serverless``/``saas`` in sessions of earlier versions) have practices of their own, so they are refused with why,
until the tool's own lens has been imported from the user's data (``wat-tui aws import``): then the answers go to
it by question and practice id where the ids exist there, and what cannot be mapped is listed
(:attr:`Payloads.unmapped`). Any other lens goes to the tool only when its tool alias is known: its wording was
imported under that alias, or the facilitator names it (``--as-lens ALIAS=TOOL_ALIAS``, for a custom lens the ARN
the tool gave it on import).

Checking a request: :func:`problems` runs botocore's own parameter validator (names, types, required members) and
then the model's length and enum constraints, which botocore's validator does not check, all offline. botocore is
an optional dependency (``pip install 'wat-tui[aws]'``): without it, :func:`problems` raises :class:`NeedBotocore`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt

from wat_tui.errors import WatError
from wat_tui.lens.builtin import is_our_own, tool_alias_of_our_own
from wat_tui.lens.model import Lens
from wat_tui.lens.risk import Risk
from wat_tui.review.state import Note, SessionState

#: The tool's limits (also in its API model, which the tests compare them with).
QUESTION_NOTES_MAX = 2084
PILLAR_NOTES_MAX = 2084
#: Lenses whose question and choice ids are the tool's own: their answers go to the tool's lens of the same alias.
TOOL_LENSES = frozenset({"wellarchitected"})
#: What this laptop knows the tool's lenses hold: tool lens alias -> question id -> (pillar id, choice ids); from
#: the tool's own data imported with ``wat-tui aws import`` (see :func:`known_tool_lenses`).
ToolLenses = Mapping[str, Mapping[str, tuple[str, Collection[str]]]]
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
    #: The tool's lens alias the request goes to.
    lens: str
    question_id: str
    label: str
    #: UpdateAnswer's parameters without WorkloadId.
    params: dict[str, Any]
    #: The session's lens alias, when it is not the tool's (our own lenses, a custom lens under its ARN).
    session_lens: str = ""

    @property
    def where(self) -> str:
        """The question as the facilitator knows it: the session's lens alias and the question's label."""
        return f"{self.session_lens or self.lens}/{self.label}"


@dataclass(frozen=True)
class LensReviewRequest:
    lens: str
    #: UpdateLensReview's parameters without WorkloadId.
    params: dict[str, Any]
    session_lens: str = ""


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
    #: Questions, practices and pillar notes of a lens mapped onto the tool's own that the tool's lens lacks.
    unmapped: tuple[str, ...] = ()


@functools.cache
def _commonmark() -> MarkdownIt:
    """One parser, made once: the notes pane summarises every note of a question on every move."""
    return MarkdownIt("commonmark")


def plain_text(markdown: str) -> str:
    """The words of a Markdown note as plain text: paragraphs and list items on lines of their own (items with
    "- "), emphasis and markup marks removed, code kept, control characters dropped."""
    lines: list[str] = []
    depth = 0
    item_starts = False
    for tok in _commonmark().parse(markdown):
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


def build_payloads(state: SessionState, *, include_private: bool = False, tool_lenses: ToolLenses | None = None,
                   lens_map: Mapping[str, str] | None = None) -> Payloads:
    """Every request for the session's lenses that the tool knows, in lens and question order.

    ``tool_lenses`` is what this laptop knows of the tool's lenses (imported from the user's data); ``lens_map``
    names the tool's alias for a session lens (``{"orr": "arn:aws:wellarchitected:...:lens/..."}``).
    """
    answers: list[AnswerRequest] = []
    reviews: list[LensReviewRequest] = []
    cuts: list[Cut] = []
    skipped: list[tuple[str, str]] = []
    unmapped: list[str] = []
    unanswered = 0
    private = sum(1 for n in state.notes if n.private) if not include_private else 0
    known = tool_lenses or {}
    for lens in state.lenses:
        target = push_target(lens, known, lens_map or {})
        if isinstance(target, Refused):
            skipped.append((lens.alias, target.why))
            continue
        # The tool's ids, to map onto: none for a lens whose ids are the tool's own, or one named by the
        # facilitator whose wording was not imported (a custom lens exported from this very lens).
        tool = None if target == lens.alias and lens.alias in TOOL_LENSES else known.get(target)
        session_lens = "" if target == lens.alias else lens.alias
        pillar_lines: dict[str, list[str]] = {}
        for q in lens.questions:
            key = f"{lens.alias}/{q.id}"
            notes = [n for n in state.notes_for(key) if include_private or not n.private]
            answer = state.answer(lens.alias, q.id)
            if answer is None and not notes:
                unanswered += 1
                continue
            where = f"{lens.alias}/{q.label}"
            tool_choices: Collection[str] | None = None
            if tool is not None:
                if q.id not in tool:
                    unmapped.append(f"{where}: no question {q.id!r} in what was imported of the tool's "
                                    f"{target} lens; left out")
                    continue
                tool_choices = tool[q.id][1] or None  # no choices listed: nothing to check them against

            def mapped(ids: Collection[str], where: str = where, known_ids: Collection[str] | None = tool_choices,
                       target: str = target) -> list[str]:
                kept = [cid for cid in ids if known_ids is None or cid in known_ids]
                unmapped.extend(f"{where}: no practice {cid!r} in the tool's {target} question; left out"
                                for cid in ids if cid not in kept)
                return kept

            params: dict[str, Any] = {"LensAlias": target, "QuestionId": q.id}
            if answer is not None:
                selected = mapped(answer.selected)
                if selected or not answer.selected:
                    params["SelectedChoices"] = selected
                else:  # an empty list would clear what the tool holds: its selection is left as it is
                    unmapped.append(f"{where}: none of the practices in place is in the tool's {target} question; "
                                    "the tool's selection is left as it is")
                na = mapped(sorted(answer.na_choices))
                if na:
                    params["ChoiceUpdates"] = {cid: {"Status": "NOT_APPLICABLE", "Reason": answer.na_choices[cid]}
                                               for cid in na}
                params["IsApplicable"] = not answer.not_applicable
                if answer.not_applicable:
                    params["Reason"] = answer.reason or "NONE"
            text = notes_text(notes)
            if text:
                params["Notes"] = _fit(text, QUESTION_NOTES_MAX, f"{lens.alias}/{q.label} notes", cuts)
            answers.append(AnswerRequest(target, q.id, q.label, params, session_lens))
            risk = state.risk(lens, q)
            pillar = tool[q.id][0] if tool is not None else q.pillar_id
            pillar_lines.setdefault(pillar, []).append(f"{q.label}: {RISK_WORDS.get(risk, str(risk))}")
        pillar_notes = {}
        pillar_ids = [p.id for p in lens.pillars]
        pillar_ids += [p for p in pillar_lines if p not in pillar_ids]  # the tool's pillars for a mapped lens
        for pid in pillar_ids:
            done = pillar_lines.get(pid)
            if done:
                ours = len([q for q in lens.questions if q.pillar_id == pid])
                of = f" of {ours}" if tool is None else ""
                summary = (f"Reviewed offline in the room with wat-tui ({state.name}). Answers sent: "
                           f"{len(done)}{of}.\n" + "\n".join(done))
                pillar_notes[pid] = _fit(_CONTROL.sub("", summary), PILLAR_NOTES_MAX,
                                         f"{lens.alias} pillar {pid} notes", cuts)
        if pillar_notes:
            reviews.append(LensReviewRequest(target, {"LensAlias": target, "PillarNotes": pillar_notes},
                                             session_lens))
    return Payloads(tuple(answers), tuple(reviews), tuple(cuts), tuple(skipped), unanswered, private,
                    tuple(unmapped))


@dataclass(frozen=True)
class Refused:
    why: str


def push_target(lens: Lens, tool_lenses: ToolLenses, lens_map: Mapping[str, str]) -> str | Refused:
    """The tool's alias the answers of ``lens`` go to, or why the tool must not receive them."""
    if lens.alias in lens_map:
        return lens_map[lens.alias]
    if lens.alias in TOOL_LENSES and not is_our_own(lens.alias):
        return lens.alias
    official = tool_alias_of_our_own(lens.alias)
    if official is not None:
        if official in tool_lenses:
            return official
        return Refused(
            f"wat-tui's own {lens.name} ({lens.alias}) has practices and ids of its own, not those of the tool's "
            f"{official!r} lens, so its answers would land on the wrong questions; to send the answers whose ids "
            f"the tool's lens shares, save that lens's answers from the tool (aws wellarchitected list-answers "
            f"--lens-alias {official} ...) and read them with 'wat-tui aws import FILE' first")
    if lens.alias in tool_lenses:
        return lens.alias
    return Refused(
        f"the tool has no lens {lens.alias!r} that this laptop knows of; a custom lens is known there by the ARN "
        f"it got when imported into the tool ('wat-tui aws lens SESSION {lens.alias}' writes the file to import): "
        f"name it with --as-lens {lens.alias}=ARN")


def not_pushable(lens: Lens, tool_lenses: ToolLenses | None = None) -> str | None:
    """Why the tool must not receive answers for ``lens``; None when it may."""
    target = push_target(lens, tool_lenses or {}, {})
    return target.why if isinstance(target, Refused) else None


def known_tool_lenses(questions: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, tuple[str, frozenset[str]]]]:
    """What the tool's imported wording says its lenses hold: ``Overlay.questions`` (alias -> question id ->
    :class:`~wat_tui.exchange.aws_import.QuestionText`) as question id -> (pillar id, choice ids)."""
    return {alias: {qid: (text.pillar_id, frozenset(text.choices)) for qid, text in qs.items()}
            for alias, qs in questions.items()}


# -- checking against the tool's API model -------------------------------------------------------------------


def _model(operation: str) -> Any:
    try:
        import botocore.session
    except ImportError as exc:
        raise NeedBotocore() from exc
    return botocore.session.get_session().get_service_model("wellarchitected").operation_model(operation)


def problems(operation: str, params: dict[str, Any], workload_id: str | None = "0" * 32) -> list[str]:
    """What is wrong with one request, as the tool's API model sees it (offline); empty when it is fine.
    ``workload_id`` None: the operation takes none (ImportLens)."""
    op = _model(operation)
    from botocore.exceptions import ParamValidationError
    from botocore.validate import validate_parameters

    full = params if workload_id is None else {"WorkloadId": workload_id, **params}
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
    #: The question as the facilitator knows it (the session's lens alias and the label).
    where: str = ""

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
            "Notes" in req.params and req.params["Notes"] != now.get("Notes", ""), req.where,
        ))
    return out


def push(client: Any, workload_id: str, payloads: Payloads, milestone: str | None = None) -> PushResult:
    """Send every request in order, then the lens reviews, then (asked for) a milestone. Each request is checked
    against the model first; a failure stops at once and says which questions were already sent."""
    sent: list[str] = []
    for req in payloads.answers:
        found = problems("UpdateAnswer", req.params, workload_id)
        if found:
            raise PushFailed(f"{req.where}: the tool would refuse it: {found[0]}", tuple(sent))
        try:
            client.update_answer(WorkloadId=workload_id, **req.params)
        except Exception as exc:  # botocore's ClientError and connection errors: one message, never a traceback
            raise PushFailed(f"{req.where}: the tool said: {exc}", tuple(sent)) from exc
        sent.append(req.where)
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
