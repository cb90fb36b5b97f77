"""Whose words the workspace shows: wat-tui's own, or the AWS Well-Architected Tool's official wording that
``wat-tui aws import`` kept on this laptop (exchange/aws_import.py).

The choice is this laptop's (a local setting of the session, never an operation). The tool's wording replaces the
question's title and description and the practices' titles only for a lens it covers (:func:`wording_covers`):
our own lenses never take it. Ids, risk rules and answers stay as they are: only the words change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from wat_tui.errors import WatError
from wat_tui.exchange.aws_import import Overlay, QuestionText, load_wording, wording_covers
from wat_tui.lens.model import Lens, Question

#: The local setting that holds the choice, and its value while the tool's wording is shown.
SETTING, OFFICIAL, OWN = "wording", "official", "own"
NO_WORDING = "No official wording on this laptop: 'wat-tui aws import' brings it"


class Wording:
    """The tool's wording for the lenses of one session, read once from the data directory."""

    def __init__(self, overlay: Overlay, lenses: Sequence[Lens]) -> None:
        #: Per lens alias the tool's questions, for the lenses the tool's wording covers (none of our own).
        self.questions: dict[str, Mapping[str, QuestionText]] = {
            lens.alias: overlay.questions[lens.alias] for lens in lenses
            if wording_covers(lens, overlay.questions) > 0}

    @classmethod
    def read(cls, data_dir: Path, lenses: Sequence[Lens]) -> tuple[Wording, str | None]:
        """The wording kept in ``data_dir`` and, when its copy cannot be read, why (the wording is then empty)."""
        try:
            return cls(load_wording(data_dir), lenses), None
        except WatError as exc:
            return cls(Overlay(), lenses), str(exc)

    def __bool__(self) -> bool:
        return bool(self.questions)

    def covers(self, lens: Lens, question: Question) -> bool:
        return question.id in self.questions.get(lens.alias, {})

    def official(self, lens: Lens, question: Question) -> Question:
        """``question`` in the tool's words where the tool has them (its title, description, practice titles),
        else as it is. The text is kept as imported: the screen shows it as text, never as markup."""
        tool = self.questions.get(lens.alias, {}).get(question.id)
        if tool is None:
            return question
        choices = tuple(replace(c, title=tool.choices[c.id].title) if c.id in tool.choices and
                        tool.choices[c.id].title else c for c in question.choices)
        return replace(question, title=tool.title or question.title,
                       description=tool.description or question.description, choices=choices)
