"""Finding a question by id, title words, practice words or description words, best match first."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from wat_tui.lens.loader import load_lens
from wat_tui.review.search import search_questions, words

ROOT = Path(__file__).resolve().parent.parent
WA = load_lens(ROOT / "content" / "lenses" / "wellarchitected.json", "wellarchitected")
SLS = load_lens(ROOT / "content" / "lenses" / "serverless.json", "serverless")


def labels(query: str) -> list[str]:
    return [f.question.label for f in search_questions([WA, SLS], query, limit=1000)]


def test_encrypt_finds_data_at_rest_and_in_transit_though_no_title_says_it() -> None:
    found = labels("encrypt")
    assert {"SEC08", "SEC09"} <= set(found[:4]), found
    assert "encrypt" not in WA.question("protect-data-rest").title.casefold()  # type: ignore[union-attr]


def test_an_id_or_label_comes_first() -> None:
    assert labels("SEC08")[0] == "SEC08"
    assert labels("sec08")[0] == "SEC08"
    assert labels("protect-data-rest")[0] == "SEC08"


def test_every_word_must_match_and_title_words_outrank_description_words() -> None:
    assert labels("backup restore")[0] == "REL09"
    assert labels("zzzz") == [] and labels("backup zzzz") == [] and labels("   ") == []
    hits = search_questions([WA], "quotas")
    assert hits[0].question.label == "REL01" and hits[0].where[0] in ("label", "title")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([q for q in WA.questions]), st.data())
def test_any_word_of_a_title_finds_its_question(question, data) -> None:  # type: ignore[no-untyped-def]
    title_words = [w for w in words(question.title) if len(w) > 2]
    if not title_words:
        return
    word = data.draw(st.sampled_from(title_words))
    assert question.label in labels(word)
