"""Find a question by what the room says: its id, words of its title, of its practices or of its description.

``encrypt`` must find the questions about data at rest and in transit although neither title says it: every
word of the query must start a word somewhere in the question (its label and id, title, practice titles and
descriptions, question description, pillar name), and the best match comes first. A word in the label or title
weighs most, then in a practice title, then in a description; a query that is the question's label or id
(``SEC08``, ``protect-data-rest``) puts that question first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from wat_tui.lens.model import Lens, Question

_WORD = re.compile(r"[0-9a-z]+")
#: Weight of a query word found in each field (a word found in several fields counts its best one).
WEIGHTS = (("label", 8.0), ("title", 6.0), ("practices", 3.0), ("pillar", 2.0), ("description", 1.0))


@dataclass(frozen=True)
class Found:
    key: str
    lens: Lens
    question: Question
    score: float
    #: Where the words were found, best field first ("title", "practices", ...), for the result's help line.
    where: tuple[str, ...]


def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.casefold()))


def _fields(lens: Lens, q: Question) -> tuple[tuple[str, frozenset[str]], ...]:
    pillar = next((p.name for p in lens.pillars if p.id == q.pillar_id), "")
    practices = " ".join(f"{c.title} {c.ref or ''}" for c in q.choices if not c.is_none_choice)
    descriptions = " ".join([q.description, *(c.description for c in q.choices)])
    texts = {"label": f"{q.label} {q.id} {q.ref or ''}", "title": f"{q.title} {q.short_title or ''}",
             "practices": practices, "pillar": pillar, "description": descriptions}
    return tuple((name, frozenset(words(texts[name]))) for name, _ in WEIGHTS)


def _best(word: str, fields: tuple[tuple[str, frozenset[str]], ...]) -> tuple[float, str] | None:
    weights = dict(WEIGHTS)
    for name, vocabulary in fields:  # in weight order: the first field that has it is its best
        if word in vocabulary or any(w.startswith(word) for w in vocabulary):
            exact = word in vocabulary
            return weights[name] * (1.0 if exact else 0.8), name
    return None


def search_questions(lenses: Sequence[Lens], query: str, limit: int = 50) -> list[Found]:
    """Questions matching every word of ``query``, best first; an empty query finds nothing."""
    wanted = words(query)
    if not wanted:
        return []
    whole = query.strip().casefold()
    out = []
    order = 0
    for lens in lenses:
        for q in lens.questions:
            order += 1
            fields = _fields(lens, q)
            score = 0.0
            where: list[str] = []
            for word in wanted:
                best = _best(word, fields)
                if best is None:
                    break
                score += best[0]
                if best[1] not in where:
                    where.append(best[1])
            else:
                if whole in (q.label.casefold(), q.id.casefold()):
                    score += 100.0
                out.append((score, -order, Found(f"{lens.alias}/{q.id}", lens, q, score, tuple(where))))
    out.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [found for _, _, found in out[:limit]]
