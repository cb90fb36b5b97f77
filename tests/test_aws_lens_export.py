"""`wat-tui aws lens SESSION ALIAS -o FILE`: a lens of the session as the JSON the tool's ImportLens takes, within
the tool's limits, every cut and everything left out said."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.validate import validate_parameters

from tests.support import Run, database_dump, one_error_line
from wat_tui.exchange.aws_lens import MAX_JSON
from wat_tui.lens.loader import load_lens, load_lens_bytes

ORR = Path(__file__).parent / "fixtures" / "lens-corpus" / "ORR-Lens.json"


def lens_doc(pillars: int = 1, questions: int = 2, choices: int = 2, text: int = 40) -> dict[str, Any]:
    return {"schemaVersion": "2021-11-01", "name": "Team lens", "description": "Ours.", "pillars": [
        {"id": f"p{p}", "name": f"Pillar {p}", "questions": [
            {"id": f"p{p}q{q}", "title": f"Question {q}?", "description": "d" * text, "choices": [
                {"id": f"p{p}q{q}c{c}", "title": f"Practice {c}", "description": "x" * text,
                 "improvementPlan": {"displayText": "Do it."}} for c in range(choices)],
             "riskRules": [{"condition": f"p{p}q{q}c0", "risk": "NO_RISK"},
                           {"condition": "default", "risk": "HIGH_RISK"}]}
            for q in range(questions)]} for p in range(pillars)]}


def session_with(run: Run, tmp_path: Path, doc: dict[str, Any] | Path, alias: str = "team") -> None:
    path = doc if isinstance(doc, Path) else tmp_path / f"{alias}.json"
    if not isinstance(doc, Path):
        path.write_text(json.dumps(doc), encoding="utf-8")
    assert run("lens", "import", str(path), "--alias", alias)[0] == 0
    assert run("new", "Review", "--lens", "wellarchitected", "--lens", alias)[0] == 0


def import_lens_ok(text: str) -> None:
    model = botocore.session.get_session().get_service_model("wellarchitected")
    shape = model.operation_model("ImportLens").input_shape
    validate_parameters({"JSONString": text, "ClientRequestToken": "t"}, shape)


def test_a_custom_lens_is_written_as_the_tool_takes_it(run: Run, tmp_path: Path) -> None:
    session_with(run, tmp_path, ORR, "orr")
    target = tmp_path / "orr-for-the-tool.json"
    code, out, err = run("aws", "lens", "Review", "orr", "-o", str(target))
    assert (code, err) == (0, ""), err
    text = target.read_text(encoding="utf-8")
    import_lens_ok(text)
    assert len(text.encode()) <= MAX_JSON and f"bytes of the tool's {MAX_JSON:,}" in out
    assert "Checked against the tool's API model (ImportLens): valid." in out
    assert "--as-lens orr=ARN" in out
    # the same lens, read back: same pillars, questions, practices and risk rules
    back, original = load_lens_bytes(text.encode(), "exported", alias="orr"), load_lens(ORR, "orr")
    assert [(q.id, [c.id for c in q.choices], [r.condition_text for r in q.risk_rules]) for q in back.questions] == [
        (q.id, [c.id for c in q.choices], [r.condition_text for r in q.risk_rules]) for q in original.questions]
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_what_the_format_lacks_is_left_out_and_said(run: Run, tmp_path: Path) -> None:
    assert run("new", "Review", "--lens", "wat-serverless")[0] == 0
    target = tmp_path / "sls.json"
    code, out, err = run("aws", "lens", "Review", "wat-serverless", "-o", str(target))
    assert (code, err) == (0, ""), err
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert "_alias" not in doc and "ref" not in doc["pillars"][0]["questions"][0]
    assert "riskLevel" not in doc["pillars"][0]["questions"][0]["choices"][0]
    assert "Left out (not in the tool's custom-lens format): _alias (1), _version (1), ref (" in out
    assert "riskLevel (" in out and "shortTitle (9)" in out
    import_lens_ok(target.read_text(encoding="utf-8"))


def test_texts_over_the_tools_limits_are_cut_and_each_cut_is_said(run: Run, tmp_path: Path) -> None:
    doc = lens_doc()
    doc["pillars"][0]["questions"][1]["title"] = "Why " + "very " * 60 + "long?"
    doc["pillars"][0]["questions"][0]["choices"][1]["description"] = "y" * 1500
    session_with(run, tmp_path, doc)
    target = tmp_path / "team-out.json"
    code, out, err = run("aws", "lens", "Review", "team", "-o", str(target))
    assert (code, err) == (0, ""), err
    out_doc = json.loads(target.read_text(encoding="utf-8"))
    title = out_doc["pillars"][0]["questions"][1]["title"]
    assert len(title) == 128 and title.endswith("…")
    assert len(out_doc["pillars"][0]["questions"][0]["choices"][1]["description"]) == 1024
    assert "Cut: pillars[0].questions[1].title: 309 characters, the tool takes 128." in out
    assert "Cut: pillars[0].questions[0].choices[1].description: 1,500 characters, the tool takes 1,024." in out


@pytest.mark.parametrize(("doc", "needles"), [
    (lens_doc(questions=25), ["pillars[0].questions: 25 questions; the tool takes at most 20"]),
    (lens_doc(pillars=11, questions=1), ["pillars: 11 pillars; the tool takes at most 10"]),
    (lens_doc(choices=16), ["pillars[0].questions[0].choices: 16 choices; the tool takes at most 15",
                            "pillars[0].questions[1].choices: 16 choices", "(2 problem(s))"]),
    # within every count, yet over the tool's 500,000 bytes
    (lens_doc(pillars=10, questions=20, choices=4, text=600), ["bytes; the tool takes at most 500,000"]),
])
def test_what_cutting_cannot_fix_is_refused_and_nothing_is_written(run: Run, tmp_path: Path, data_dir: Path,
                                                                   doc: dict[str, Any], needles: list[str]) -> None:
    session_with(run, tmp_path, doc)
    before = database_dump(data_dir)
    target = tmp_path / "refused.json"
    code, out, err = run("aws", "lens", "Review", "team", "-o", str(target))
    assert (code, out) == (1, "")
    one_error_line(err, "lens 'team' does not fit the tool's custom-lens format", *needles)
    assert not target.exists() and database_dump(data_dir) == before


def test_an_id_longer_than_the_tool_takes_is_refused(run: Run, tmp_path: Path) -> None:
    doc = lens_doc()
    long_id = "c" * 70
    doc["pillars"][0]["questions"][0]["choices"][0]["id"] = long_id
    doc["pillars"][0]["questions"][0]["riskRules"][0]["condition"] = long_id
    session_with(run, tmp_path, doc)
    code, _, err = run("aws", "lens", "Review", "team", "-o", str(tmp_path / "x.json"))
    assert code == 1
    one_error_line(err, "pillars[0].questions[0].choices[0].id: 70 characters; the tool takes at most 64")


def test_the_tools_own_lens_and_a_lens_not_in_the_session(run: Run, tmp_path: Path) -> None:
    assert run("new", "Review", "--lens", "wellarchitected")[0] == 0
    code, _, err = run("aws", "lens", "Review", "wellarchitected", "-o", str(tmp_path / "x.json"))
    assert code == 1
    one_error_line(err, "lens 'wellarchitected' is the tool's own: it needs no import")
    code, _, err = run("aws", "lens", "Review", "orr", "-o", str(tmp_path / "x.json"))
    assert code == 1
    one_error_line(err, "the session uses no lens 'orr'; it uses wellarchitected")
    assert not (tmp_path / "x.json").exists()
