"""The twelve real custom lenses in tests/fixtures/lens-corpus/ (see PROVENANCE.md there) all load.

Counts and choice references are computed here straight from the raw JSON, not through the loader, so the
loader is compared with the files rather than with itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from wat_tui.lens import Risk, load_lens, question_risk
from wat_tui.lens.conditions import choice_refs, parse_condition

CORPUS = Path(__file__).resolve().parent / "fixtures" / "lens-corpus"
FILES = sorted(CORPUS.glob("*.json"))
_IDS_IN_TEXT = re.compile(r"[A-Za-z0-9_.\-]+")


def raw(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8-sig"))
    return doc


def test_the_corpus_is_the_twelve_lenses_with_their_provenance() -> None:
    assert len(FILES) == 12
    provenance = (CORPUS / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "aws-samples/custom-lens-wa-hub" in provenance
    assert "MIT-0" in provenance


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_corpus_lens_loads_with_the_counts_in_the_file(path: Path) -> None:
    doc = raw(path)
    lens = load_lens(path)
    assert lens.name == str(doc["name"])
    assert [p.id for p in lens.pillars] == [p["id"] for p in doc["pillars"]]
    assert [len(p.questions) for p in lens.pillars] == [len(p["questions"]) for p in doc["pillars"]]
    raw_questions = [q for p in doc["pillars"] for q in p["questions"]]
    assert [q.id for q in lens.questions] == [q["id"] for q in raw_questions]
    for q, rq in zip(lens.questions, raw_questions, strict=True):
        assert [c.id for c in q.choices] == [c["id"] for c in rq["choices"]]
        assert [r.condition_text for r in q.risk_rules] == [r["condition"] for r in rq["riskRules"]]
    known = ("schemaVersion", "name", "description", "pillars", "_alias", "_version")
    extra_keys = {k for k in doc if k not in known}
    assert set(lens.extra) == extra_keys


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_rule_parses_and_names_existing_choices(path: Path) -> None:
    for pillar in raw(path)["pillars"]:
        for q in pillar["questions"]:
            ids = {c["id"] for c in q["choices"]}
            for rule in q["riskRules"]:
                text = rule["condition"]
                cond = parse_condition(text)
                named = set() if text.strip() == "default" else set(_IDS_IN_TEXT.findall(text))
                assert choice_refs(cond) == named, text
                assert named <= ids, (q["id"], sorted(named - ids))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_risk_evaluates_for_every_question(path: Path) -> None:
    lens = load_lens(path)
    for q in lens.questions:
        practices = [c.id for c in q.choices if not c.is_none_choice]
        assert question_risk(q, None) == Risk.UNANSWERED
        assert question_risk(q, practices) in (Risk.HIGH, Risk.MEDIUM, Risk.NONE)
        if q.none_choice is not None:
            assert question_risk(q, [q.none_choice.id]) in (Risk.HIGH, Risk.MEDIUM, Risk.NONE)


def test_only_the_known_deviations_warn() -> None:
    """Lenient loading is visible: the one corpus file with numeric text says so, the rest load silently."""
    warnings = {p.name: load_lens(p).warnings for p in FILES}
    assert {name: w for name, w in warnings.items() if w} == {
        "EMR-spark-lens.json": (
            "pillars[3].questions[4].title: a number where text belongs; read as text",
            "pillars[3].questions[4].description: a number where text belongs; read as text",
        )
    }


def test_corpus_totals() -> None:
    """The pillar and question counts of the twelve files, as read from them when they were copied in."""
    counts = {p.stem: (len(lens.pillars), len(lens.questions)) for p in FILES for lens in [load_lens(p)]}
    assert counts == {
        "AWS-Passport": (1, 11),
        "Amazon-Cognito-Lens": (5, 42),
        "Amazon-S3-Lens": (6, 35),
        "ApiGwLambda": (4, 21),
        "Athena-SQL-Lens": (4, 16),
        "DocumentDB": (6, 37),
        "EMR-spark-lens": (5, 24),
        "Iceberg-S3-Lens": (3, 8),
        "ORR-Lens": (3, 16),
        "Personalize": (4, 11),
        "SaaS-Anywhere-Lens": (6, 18),
        "SageMaker-AutoGluon-lens": (4, 15),
    }
