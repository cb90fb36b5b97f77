"""Lens size limits: generous (about ten times what the AWS tool allows a custom lens), refused beyond with one
located error at `wat-tui lens import`, and a lens at every limit at once imports, opens and answers.

The AWS tool allows a custom lens 10 pillars, 20 questions a pillar, 15 choices a question, 3 risk rules, names
and titles of 128 characters, descriptions and resource texts of 2,048, and a 500 KB file; the twelve real
lenses in tests/fixtures/lens-corpus stay within those. benchmarks/bench_lens_limits.py times these lenses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.clocks import QuietWallClock
from tests.support import database_dump as dump
from wat_tui.lens.conditions import MAX_DEPTH
from wat_tui.lens.loader import (
    MAX_CHOICES_PER_QUESTION,
    MAX_LENS_BYTES,
    MAX_PILLARS,
    MAX_QUESTIONS_PER_LENS,
    MAX_QUESTIONS_PER_PILLAR,
    MAX_RULES_PER_QUESTION,
    MAX_TEXT_LENGTH,
    MAX_TITLE_LENGTH,
)
from wat_tui.lens.risk import Risk
from wat_tui.review.service import Review
from wat_tui.store.paths import DB_NAME
from wat_tui.ui.app import build_app
from wat_tui.ui.screens.workspace import WorkspaceScreen
from wat_tui.ui.widgets.nav import NavTree
from wat_tui.ui.widgets.question import QuestionPane

Doc = dict[str, Any]


def words(n: int) -> str:
    """``n`` characters of text that wraps like prose."""
    return ("a facilitator reads this aloud to the room " * (n // 43 + 1))[:n]


def question(qid: str, choices: int = 2) -> Doc:
    ids = [f"{qid}_{k}" for k in range(choices - 1)]
    return {"id": qid, "title": f"Question {qid}",
            "choices": [{"id": c, "title": f"Practice {c}"} for c in ids] + [{"id": f"{qid}_no",
                                                                              "title": "None of these"}],
            "riskRules": [{"condition": " && ".join(ids), "risk": "NO_RISK"},
                          {"condition": "default", "risk": "HIGH_RISK"}]}


def tiny(qid: str, choices: int = 1) -> Doc:
    """A question in as few bytes as the format allows, so that many fit in a file."""
    return {"id": qid, "title": "Q", "choices": [{"id": f"c{k}", "title": "P"} for k in range(choices)],
            "riskRules": [{"condition": "default", "risk": "HIGH_RISK"}]}


def lens(pillars: list[int], name: str = "Limits", make: Any = question) -> Doc:
    """A valid lens: pillar i has ``pillars[i]`` questions."""
    return {"schemaVersion": "2021-11-01", "name": name, "description": "Sizes at the limits.",
            "pillars": [{"id": f"p{i}", "name": f"Pillar {i}", "questions": [make(f"p{i}_q{j}") for j in range(n)]}
                        for i, n in enumerate(pillars)]}


def counts_lens() -> Doc:
    """Every count at its limit at once: pillars, questions in one pillar and in the lens, choices and risk rules
    in one question (whose rules cite every choice, one nested as deep as a condition may), titles and texts."""
    rest = MAX_QUESTIONS_PER_LENS - MAX_QUESTIONS_PER_PILLAR
    per, extra = divmod(rest, MAX_PILLARS - 1)
    doc = lens([MAX_QUESTIONS_PER_PILLAR] + [per + (i < extra) for i in range(MAX_PILLARS - 1)])
    big = question("p0_q0", MAX_CHOICES_PER_QUESTION)
    practices = [c["id"] for c in big["choices"][:-1]]
    last = practices[-1]
    deep = "!(" * (MAX_DEPTH // 2) + last + ")" * (MAX_DEPTH // 2)  # an even number of negations: just `last`
    deepest_first = practices[0]  # evaluated to the bottom, and false unless the first practice is in place
    for _ in range(MAX_DEPTH):
        deepest_first = f"({deepest_first} || {practices[0]})"
    pairs = [f"({a} || {b}) && !p0_q0_no" for a, b in zip(practices[:-1:2], practices[1:-1:2], strict=True)]
    big["riskRules"] = ([{"condition": " && ".join(practices), "risk": "NO_RISK"},
                         {"condition": deepest_first, "risk": "NO_RISK"},
                         {"condition": deep, "risk": "MEDIUM_RISK"}]
                        + [{"condition": c, "risk": "MEDIUM_RISK"} for c in pairs[:MAX_RULES_PER_QUESTION - 4]]
                        + [{"condition": "default", "risk": "HIGH_RISK"}])
    big["title"] = words(MAX_TITLE_LENGTH)
    big["description"] = words(MAX_TEXT_LENGTH)
    big["helpfulResource"] = {"displayText": words(MAX_TEXT_LENGTH), "url": "https://example.com/" + "x" * 100}
    big["choices"][-2]["improvementPlan"] = {"displayText": words(MAX_TEXT_LENGTH)}
    doc["pillars"][0]["questions"][0] = big
    doc["pillars"][0]["name"] = words(MAX_TITLE_LENGTH)
    doc["name"] = words(MAX_TITLE_LENGTH)
    return doc


def texts_lens() -> bytes:
    """A file of exactly the maximum size, nearly all of it question and practice text at its longest."""
    doc = lens([20], name="Texts")
    for q in doc["pillars"][0]["questions"]:
        q["title"] = words(MAX_TITLE_LENGTH)
        q["description"] = words(MAX_TEXT_LENGTH)
        q["helpfulResource"] = {"displayText": words(MAX_TEXT_LENGTH)}
        q["choices"][0]["improvementPlan"] = {"displayText": words(MAX_TEXT_LENGTH // 2)}
    data = json.dumps(doc).encode()
    assert len(data) <= MAX_LENS_BYTES
    return data + b" " * (MAX_LENS_BYTES - len(data))



def write(tmp_path: Path, doc: Doc | bytes, name: str = "lens.json") -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(doc if isinstance(doc, bytes) else json.dumps(doc).encode())
    return path


# -- refused beyond the limits ---------------------------------------------------------------------------------


def _set(doc: Doc, path: tuple[Any, ...], value: Any) -> Doc:
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


Q0 = ("pillars", 0, "questions", 0)
BEYOND = {
    "pillars": (lambda: lens([1] * 5_000, make=tiny), "pillars: 5,000 pillars; at most 100"),
    "questions in a pillar": (lambda: lens([MAX_QUESTIONS_PER_PILLAR + 1]),
                              "pillars[0].questions: 201 questions; at most 200 in one pillar"),
    "questions in the lens": (lambda: lens([MAX_QUESTIONS_PER_PILLAR] * 11, make=tiny),
                              "pillars[10].questions: 2,200 questions in the lens up to here; at most 2,000"),
    "choices": (lambda: _set(lens([1]), Q0, tiny("p0_q0", 20_000)),
                "pillars[0].questions[0].choices: 20,000 choices; at most 150 in one question"),
    "risk rules": (lambda: _set(lens([1]), (*Q0, "riskRules"), [{"condition": "default", "risk": "HIGH_RISK"}] * 31),
                   "pillars[0].questions[0].riskRules: 31 risk rules; at most 30 in one question"),
    "lens name": (lambda: _set(lens([1]), ("name",), "n" * 1_001), "name: 1,001 characters; at most 1,000"),
    "pillar name": (lambda: _set(lens([1]), ("pillars", 0, "name"), "n" * 5_000),
                    "pillars[0].name: 5,000 characters; at most 1,000"),
    "question title": (lambda: _set(lens([1]), (*Q0, "title"), "t" * 1_001),
                       "pillars[0].questions[0].title: 1,001 characters; at most 1,000"),
    "short title": (lambda: _set(lens([1]), (*Q0, "shortTitle"), "t" * 1_001),
                    "pillars[0].questions[0].shortTitle: 1,001 characters; at most 1,000"),
    "reference": (lambda: _set(lens([1]), (*Q0, "choices", 0, "ref"), "r" * 1_001),
                  "pillars[0].questions[0].choices[0].ref: 1,001 characters; at most 1,000"),
    "question description": (lambda: _set(lens([1]), (*Q0, "description"), "d" * 200_000),
                             "pillars[0].questions[0].description: 200,000 characters; at most 20,000"),
    "helpful resource": (lambda: _set(lens([1]), (*Q0, "helpfulResource"), {"displayText": "h" * 20_001}),
                         "pillars[0].questions[0].helpfulResource.displayText: 20,001 characters; at most 20,000"),
    "improvement plan": (lambda: _set(lens([1]), (*Q0, "choices", 0, "improvementPlan"),
                                      {"displayText": "i", "url": "u" * 20_001}),
                         "pillars[0].questions[0].choices[0].improvementPlan.url: 20,001 characters; at most 20,000"),
    "choice title": (lambda: _set(lens([1]), (*Q0, "choices", 0, "title"), "c" * 1_001),
                     "pillars[0].questions[0].choices[0].title: 1,001 characters; at most 1,000"),
    "condition": (lambda: _set(lens([1]), (*Q0, "riskRules", 0, "condition"), " || ".join(["p0_q0_0"] * 3_000)),
                  "pillars[0].questions[0].riskRules[0].condition: 32,996 characters; at most 20,000"),
}


@pytest.mark.parametrize("what", BEYOND)
def test_import_refuses_a_lens_beyond_a_limit_with_one_located_error(what: str, tmp_path: Path, data_dir: Path,
                                                                      run) -> None:  # type: ignore[no-untyped-def]
    make, problem = BEYOND[what]
    path = write(tmp_path, make())
    assert path.stat().st_size <= MAX_LENS_BYTES  # refused for what it holds, not for its size
    code, out, err = run("lens", "import", str(path))
    assert (code, out) == (1, "")
    assert err == f"wat-tui: error: {path}: {problem}\n"
    assert not (data_dir / DB_NAME).exists()


def test_a_refused_lens_leaves_an_existing_database_as_it_was(tmp_path: Path, data_dir: Path,
                                                              run) -> None:  # type: ignore[no-untyped-def]
    assert run("new", "Before")[0] == 0
    before = dump(data_dir)
    code, _, err = run("lens", "import", str(write(tmp_path, lens([1] * (MAX_PILLARS + 1)))))
    assert code == 1 and err.endswith("pillars: 101 pillars; at most 100\n")
    assert dump(data_dir) == before


def test_a_file_one_byte_over_the_maximum_size_is_refused(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, texts_lens() + b" ")
    code, _, err = run("lens", "import", str(path))
    assert code == 1
    assert err.startswith(f"wat-tui: error: {path}: file is ") and "limited to 1 MiB" in err


# -- fine and fast at the limits -------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["counts", "texts"])
async def test_a_lens_at_the_limits_imports_opens_and_answers(shape: str, tmp_path: Path, data_dir: Path,
                                                              run) -> None:  # type: ignore[no-untyped-def]
    data = texts_lens() if shape == "texts" else json.dumps(counts_lens()).encode()
    path = write(tmp_path, data, f"{shape}.json")
    assert path.stat().st_size <= MAX_LENS_BYTES
    code, out, err = run("lens", "import", str(path), "--alias", "limits")
    assert (code, err) == (0, "")
    pillars, questions = (1, 20) if shape == "texts" else (MAX_PILLARS, MAX_QUESTIONS_PER_LENS)
    assert f"{pillars} pillars, {questions} questions" in out
    code, out, err = run("new", f"At the limits ({shape})", "--lens", "limits", "--duration", "1h")
    assert (code, err) == (0, "")
    sid = out.strip()

    app = build_app(data_dir, sid, clock=QuietWallClock())
    async with app.run_test(size=(100, 28)) as pilot:
        await pilot.pause()
        ws = app.screen
        assert isinstance(ws, WorkspaceScreen)
        assert len(ws.query_one(NavTree).pillar_refs("limits")) == pillars
        ws.go_to_key("limits/p0_q0")
        await pilot.pause()
        choices = ws.query_one(QuestionPane)
        last = len(choices.choice_ids) - 2  # the last practice, before "None of these"
        choices.highlighted = last
        await pilot.press("space")
        await pilot.pause()
        lens_, q = ws.current
        expected = Risk.MEDIUM if shape == "counts" else Risk.NONE  # counts: the deep rule holds
        assert ws.state.risk(lens_, q) is expected
        await pilot.press("d", "h", "i")  # the longest texts, open
        await pilot.pause()
    review = Review.open(data_dir)
    try:
        answer = review.state(sid).answer("limits", "p0_q0")
        assert answer is not None and answer.selected == (choices.choice_ids[last],)
    finally:
        review.close()
