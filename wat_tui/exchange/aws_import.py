"""What the facilitator fetched from the AWS Well-Architected Tool with their own credentials, read offline.

Three shapes are read, for any lens:

- ``aws wellarchitected get-answer`` output: ``{"LensAlias": ..., "Answer": {...}}``;
- ``aws wellarchitected list-answers`` output: ``{"LensAlias": ..., "AnswerSummaries": [...]}`` (one page; the
  tool pages at 50, so a lens may come in several files);
- a whole workload as AWS's public labs export it: ``{"workload": [...], "lenses": [{"<alias>": [Answer, ...]}]}``.

From them come the tool's own wording of the questions and choices (an :class:`Overlay` the app can show instead of
our words, kept on this laptop only) and the answers already recorded in the tool (to start a session from).
Every file is checked member by member; anything unexpected is one :class:`WatError` naming the file and the JSON
path, and nothing is kept from a refused file. Text is kept as text (never interpreted); the lengths are bounded
by the tool's own limits, with room to spare.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wat_tui.errors import WatError
from wat_tui.fileio import read_regular
from wat_tui.lens.builtin import LEGACY_ALIASES, is_our_own
from wat_tui.lens.model import Lens

MAX_FILE = 16 * 2**20
#: Above the tool's own limits (question title 512, description 1,024, ids 128), so real files always fit.
TITLE_MAX, TEXT_MAX, ID_MAX = 2_000, 20_000, 256
REASONS = ("OUT_OF_SCOPE", "BUSINESS_PRIORITIES", "ARCHITECTURE_CONSTRAINTS", "OTHER", "NONE")


@dataclass(frozen=True)
class ChoiceText:
    title: str
    description: str = ""


@dataclass(frozen=True)
class QuestionText:
    pillar_id: str
    title: str
    description: str
    choices: dict[str, ChoiceText]


@dataclass(frozen=True)
class ToolAnswer:
    selected: tuple[str, ...]
    not_applicable_choices: dict[str, str]
    applicable: bool
    reason: str | None
    notes: str


@dataclass
class Overlay:
    """The tool's wording per lens alias and question id, and the answers the files held."""

    questions: dict[str, dict[str, QuestionText]] = field(default_factory=dict)
    answers: dict[str, dict[str, ToolAnswer]] = field(default_factory=dict)

    def merge(self, other: Overlay) -> None:
        for alias, qs in other.questions.items():
            self.questions.setdefault(alias, {}).update(qs)
        for alias, ans in other.answers.items():
            self.answers.setdefault(alias, {}).update(ans)

    def to_value(self) -> dict[str, Any]:
        return {"questions": {a: {q: {"pillar_id": t.pillar_id, "title": t.title, "description": t.description,
                                      "choices": {c: [ct.title, ct.description] for c, ct in t.choices.items()}}
                                  for q, t in qs.items()} for a, qs in self.questions.items()}}


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, where: str, problem: str) -> WatError:
        return WatError(f"{self.name}: {where}: {problem}" if where else f"{self.name}: {problem}")

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, found {type(value).__name__}")
        return value

    def lst(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, found {type(value).__name__}")
        return value

    def text(self, value: Any, where: str, most: int, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            raise self.fail(where, f"expected text, found {type(value).__name__}")
        if len(value) > most:
            raise self.fail(where, f"{len(value):,} characters; at most {most:,}")
        return value

    def ident(self, value: Any, where: str) -> str:
        text = self.text(value, where, ID_MAX)
        if not text or any(ch.isspace() or ord(ch) < 32 for ch in text):
            raise self.fail(where, f"{text[:40]!r} is not an id")
        return text

    def answer(self, doc: Any, where: str) -> tuple[str, QuestionText, ToolAnswer]:
        a = self.obj(doc, where)
        qid = self.ident(a.get("QuestionId"), f"{where}.QuestionId")
        choices: dict[str, ChoiceText] = {}
        for i, c in enumerate(self.lst(a.get("Choices", []), f"{where}.Choices")):
            cw = f"{where}.Choices[{i}]"
            c = self.obj(c, cw)
            cid = self.ident(c.get("ChoiceId"), f"{cw}.ChoiceId")
            choices[cid] = ChoiceText(self.text(c.get("Title"), f"{cw}.Title", TITLE_MAX),
                                      self.text(c.get("Description"), f"{cw}.Description", TEXT_MAX, required=False))
        text = QuestionText(
            self.ident(a.get("PillarId"), f"{where}.PillarId"),
            self.text(a.get("QuestionTitle"), f"{where}.QuestionTitle", TITLE_MAX),
            self.text(a.get("QuestionDescription"), f"{where}.QuestionDescription", TEXT_MAX, required=False),
            choices,
        )
        selected = tuple(self.ident(s, f"{where}.SelectedChoices[{i}]")
                         for i, s in enumerate(self.lst(a.get("SelectedChoices", []), f"{where}.SelectedChoices")))
        unknown = [s for s in selected if choices and s not in choices]
        if unknown:
            raise self.fail(f"{where}.SelectedChoices", f"choice {unknown[0]!r} is not among the question's choices")
        na: dict[str, str] = {}
        key = "ChoiceAnswers" if "ChoiceAnswers" in a else "ChoiceAnswerSummaries"
        for i, ca in enumerate(self.lst(a.get(key, []), f"{where}.{key}")):
            cw = f"{where}.{key}[{i}]"
            ca = self.obj(ca, cw)
            if ca.get("Status") == "NOT_APPLICABLE":
                na[self.ident(ca.get("ChoiceId"), f"{cw}.ChoiceId")] = self.reason(ca.get("Reason"), f"{cw}.Reason")
        applicable = a.get("IsApplicable", True)
        if not isinstance(applicable, bool):
            raise self.fail(f"{where}.IsApplicable", "expected true or false")
        reason = self.reason(a.get("Reason"), f"{where}.Reason") if not applicable else None
        notes = self.text(a.get("Notes"), f"{where}.Notes", TEXT_MAX, required=False)
        return qid, text, ToolAnswer(selected, na, applicable, reason, notes)

    def reason(self, value: Any, where: str) -> str:
        if value is None:
            return "NONE"
        if value not in REASONS:
            raise self.fail(where, f"{str(value)[:40]!r} is not one of {', '.join(REASONS)}")
        return str(value)

    def lens_answers(self, alias: str, answers: list[tuple[str, Any]], where: str, into: Overlay) -> None:
        alias = self.ident(alias, f"{where} (lens alias)")
        for at, a in answers:
            qid, text, answer = self.answer(a, at)
            into.questions.setdefault(alias, {})[qid] = text
            into.answers.setdefault(alias, {})[qid] = answer

    def document(self, doc: Any) -> Overlay:
        out = Overlay()
        doc = self.obj(doc, "")
        if "Answer" in doc:
            self.lens_answers(doc.get("LensAlias"), [("Answer", doc["Answer"])], "LensAlias", out)
        elif "AnswerSummaries" in doc:
            items = self.lst(doc["AnswerSummaries"], "AnswerSummaries")
            self.lens_answers(doc.get("LensAlias"), [(f"AnswerSummaries[{i}]", a) for i, a in enumerate(items)],
                              "LensAlias", out)
        elif "lenses" in doc:
            for i, entry in enumerate(self.lst(doc["lenses"], "lenses")):
                for alias, answers in self.obj(entry, f"lenses[{i}]").items():
                    where = f"lenses[{i}].{alias}"
                    items = self.lst(answers, where)
                    self.lens_answers(alias, [(f"{where}[{j}]", a) for j, a in enumerate(items)], where, out)
        else:
            raise self.fail("", "not output of 'aws wellarchitected get-answer' or 'list-answers', nor a workload "
                            "export (no Answer, AnswerSummaries or lenses member)")
        if not out.questions:
            raise self.fail("", "holds no answers")
        return out


def read_tool_files(paths: list[Path]) -> Overlay:
    """Read every file, or refuse them all: a refused file leaves nothing half-read."""
    out = Overlay()
    for path in paths:
        data = read_regular(path, MAX_FILE, what="AWS Well-Architected Tool export")
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise WatError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
        except json.JSONDecodeError as exc:
            raise WatError(f"{path}: not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
        except RecursionError as exc:
            raise WatError(f"{path}: JSON nested too deeply") from exc
        out.merge(_Reader(str(path)).document(doc))
    return out


def iter_questions(overlay: Overlay) -> Iterator[tuple[str, str, QuestionText]]:
    for alias, qs in overlay.questions.items():
        for qid, text in qs.items():
            yield alias, qid, text


def start_session(review: Any, overlay: Overlay, name: str, *, workload_type: str = "general",
                  planned_minutes: int = 300) -> tuple[str, list[str]]:
    """A new session holding the answers already in the tool, for the lenses this laptop knows by the same ids.

    Returns the session id and what was left out (lenses or questions this laptop does not have, in words).
    Goes through the same ``Review`` calls as the room's keys, so every rule applies.
    """
    from wat_tui.review.state import Answer

    known: list[str] = []
    left_out: list[str] = []
    for alias in overlay.answers:
        if is_our_own(alias):
            # The tool's serverless/saas lenses are not ours of the same old alias (practices of our own).
            left_out.append(f"lens {alias!r}: the tool's own lens, which this laptop does not have (wat-tui's own "
                            f"{LEGACY_ALIASES.get(alias, alias)} has practices of its own); its wording is kept")
            continue
        try:
            review.lens_for_alias(alias)
            known.append(alias)
        except WatError:
            left_out.append(f"lens {alias!r}: not on this laptop (import it with 'wat-tui lens import')")
    if not known:
        raise WatError("none of the lenses in these files is on this laptop: " + "; ".join(left_out))
    sid: str = review.create_session(name, workload_type=workload_type, planned_minutes=planned_minutes,
                                     lenses=known)
    state = review.state(sid)
    for alias in known:
        lens = state.lens(alias)
        for qid, answer in overlay.answers[alias].items():
            question = lens.question(qid) if lens else None
            if question is None:
                left_out.append(f"{alias}/{qid}: no such question in this laptop's {alias} lens")
                continue
            ids = {c.id for c in question.choices}
            odd = [c for c in (*answer.selected, *answer.not_applicable_choices) if c not in ids]
            if odd:
                left_out.append(f"{alias}/{qid}: choice {odd[0]!r} is not in this laptop's lens; answer left out")
                continue
            value = Answer(answer.selected, dict(answer.not_applicable_choices), not answer.applicable,
                           answer.reason if not answer.applicable else None)
            if not value.is_empty:
                review.set_answer(sid, alias, qid, value)
            if answer.notes.strip():
                review.add_note(sid, f"{alias}/{qid}", "AWS Well-Architected Tool", answer.notes)
    return sid, left_out


# -- this laptop's copy of the tool's wording, and which wording a report uses ------------------------------

#: This laptop's copy of the tool's wording, kept beside the database (never in session bundles).
WORDING_FILE = "tool-wording.json"


def load_wording(data_dir: Path) -> Overlay:
    """This laptop's copy of the tool's wording (empty when none was imported)."""
    path = data_dir / WORDING_FILE
    if not path.exists():
        return Overlay()
    try:
        return _from_value(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise WatError(f"{path}: this laptop's copy of the tool's wording cannot be read ({exc}); delete it and "
                       "import again") from exc


def _from_value(value: dict[str, Any]) -> Overlay:
    overlay = Overlay()
    for alias, qs in value.get("questions", {}).items():
        overlay.questions[alias] = {
            qid: QuestionText(t["pillar_id"], t["title"], t["description"],
                              {c: ChoiceText(ct[0], ct[1]) for c, ct in t["choices"].items()})
            for qid, t in qs.items()}
    return overlay


def wording_covers(lens: Lens, questions: Mapping[str, Mapping[str, QuestionText]]) -> int:
    """How many of ``lens``'s questions the tool's wording has, by the same lens alias and question id. Our own
    lenses (``wat-serverless``, and ``serverless`` of earlier versions) never take the tool's wording: their
    questions are not the tool's, whatever their alias."""
    if is_our_own(lens.alias):
        return 0
    tool = questions.get(lens.alias, {})
    return sum(1 for q in lens.questions if q.id in tool)


def wording_sentence(lenses: Sequence[Lens], questions: Mapping[str, Mapping[str, QuestionText]], *,
                     official: bool) -> str:
    """The sentence a report gives to say whose words its questions and practices are in: wat-tui's own, or
    (``official``: the report shows the overlay) the AWS Well-Architected Tool's official wording imported on
    this laptop, lens by lens, with how many questions it covers."""
    covered = [(lens, n) for lens in lenses if (n := wording_covers(lens, questions))]
    if official and covered:
        parts = [f"{lens.name}: {n} of {len(lens.questions)} questions" for lens, n in covered]
        sentence = ("Questions and practices in the AWS Well-Architected Tool's official wording, imported on "
                    f"this laptop from the tool ({'; '.join(parts)})")
        if len(covered) < len(lenses) or any(n < len(lens.questions) for lens, n in covered):
            sentence += "; wat-tui's own words elsewhere"
        return sentence + "."
    sentence = "Questions and practices in wat-tui's own words (the ids are the AWS Well-Architected Tool's " \
               "where the lens is the tool's)."
    if covered:
        sentence += (" The tool's official wording imported on this laptop (for "
                     + ", ".join(lens.name for lens, _ in covered) + ") is not used in this report.")
    return sentence


def report_wording(data_dir: Path, lenses: Sequence[Lens], *, official: bool = False) -> str:
    """:func:`wording_sentence` for the data directory's copy of the tool's wording; a copy that cannot be read
    is said, never a failed report."""
    try:
        questions = load_wording(data_dir).questions
    except WatError:
        return ("Questions and practices in wat-tui's own words (this laptop's copy of the tool's wording cannot "
                "be read; 'wat-tui aws import' writes it again).")
    return wording_sentence(lenses, questions, official=official)
