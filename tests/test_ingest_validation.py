"""What a laptop accepts from a bundle, it can use: every operation's value obeys its target's rules.

The rules are the ones the local input obeys (``wat_tui/review/validate.py``): an agenda block's pillar is in its
lens and its lens is one of the session's, a timer stops after it starts, an answer's choices are the question's,
a note or action item belongs to a question of the session. A file breaking any of them is refused through the
real command line with one located line (``<file>: operations[12].value.minutes: ...``) and the database is left
exactly as it was. So is an operation stamped by a clock far ahead of this laptop's: taking it would push every
later local stamp past what any bundle may carry.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support import database_dump as dump
from tests.support import raw_ingest
from wat_tui.cli import main
from wat_tui.exchange.bundle import ops_checksum, parse_bundle, write_bundle
from wat_tui.exchange.merge import merge_files
from wat_tui.review import timekeeping as tk
from wat_tui.review.service import Review
from wat_tui.review.state import Answer

LENS = "serverless"
START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

Doc = dict[str, Any]


def _source(root: Path) -> tuple[str, Path, dict[str, Any]]:
    """A session that used every kind of register, exported by another laptop."""
    review = Review.open(root / "source-laptop")
    try:
        review.set_clock(lambda: START)
        sid = review.create_session("Shop review", workload="shop", lenses=[LENS],
                                    participants=[("Ana", "Facilitator")])
        lens = review.state(sid).lenses[0]
        q = lens.questions[0]
        review.set_answer(sid, LENS, q.id, Answer((q.choices[0].id,)))
        review.add_note(sid, f"{LENS}/{q.id}", "Ana", "Cold starts hurt checkout")
        review.add_action(sid, "Add provisioned concurrency", owner="Bo", question=f"{LENS}/{q.id}")
        tk.start_session_clock(review, sid, START)
        tk.set_question(review, sid, f"{LENS}/{q.id}", START + timedelta(minutes=3))
        tk.pause(review, sid, START + timedelta(minutes=9))
        tk.park_question(review, sid, f"{LENS}/{lens.questions[1].id}", "needs the DBA", "Ana")
        path = root / "good.json"
        write_bundle(review, sid, path)
        facts = {"question": q.id, "choices": [c.id for c in q.choices],
                 "none": next(c.id for c in q.choices if c.is_none_choice),
                 "pillar": lens.pillars[0].id, "other": lens.questions[1].id}
        return sid, path, facts
    finally:
        review.close()


@pytest.fixture
def good(data_dir: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, Any]]:
    """The receiving laptop (a fresh database at ``data_dir``), a good bundle, and facts about its lens."""
    Review.open(data_dir).close()
    _, path, facts = _source(tmp_path)
    return data_dir, path, facts


def _reseal(doc: Doc) -> Doc:
    vv: dict[str, int] = {}
    for op in doc["operations"]:
        vv[op["writer"]] = max(vv.get(op["writer"], 0), op["seq"])
    doc["version_vector"] = vv
    doc["operations_sha256"] = ops_checksum(doc["operations"])
    return doc


def _append(doc: Doc, target: str, value: Any, hlc_ms: int | None = None) -> int:
    """A well-formed new operation by the exporter that has seen everything; returns its index."""
    writer = doc["exporter"]["writer_id"]
    seq = max(op["seq"] for op in doc["operations"] if op["writer"] == writer) + 1
    ms = hlc_ms if hlc_ms is not None else max(int(op["hlc"].split("-")[0]) for op in doc["operations"]) + 1
    doc["operations"].append({"writer": writer, "seq": seq, "target": target, "value": value,
                              "vv": dict(doc["version_vector"]), "hlc": f"{ms:013d}-00000-{writer}"})
    return len(doc["operations"]) - 1


def _edited(path: Path, doc: Doc) -> Path:
    out = path.with_name("edited.json")
    out.write_text(json.dumps(_reseal(doc), ensure_ascii=False), encoding="utf-8")
    return out


def _refused(capsys: pytest.CaptureFixture[str], data_dir: Path, path: Path, *expected: str) -> str:
    before = dump(data_dir)
    capsys.readouterr()
    code = main(["--data-dir", str(data_dir), "merge", str(path)])
    out, err = capsys.readouterr()
    assert code == 1, out
    assert err.startswith(f"wat-tui: error: {path}: ") and err.count("\n") == 1, err
    for text in expected:
        assert text in err, err
    assert dump(data_dir) == before
    return err


def _block(facts: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {"id": "b1", "kind": "pillar", "title": "A pillar", "minutes": 30, "pillar": facts["pillar"],
            "lens": LENS, **changes}


def _timer(**changes: Any) -> dict[str, Any]:
    return {"block": None, "question": None, "start": "2026-11-27T09:00:00+00:00",
            "stop": "2026-11-27T09:05:00+00:00", **changes}


def _answer(**changes: Any) -> dict[str, Any]:
    return {"selected": [], "na_choices": {}, "not_applicable": False, "reason": None, **changes}


Case = Callable[[Doc, dict[str, Any]], tuple[str, Any]]

#: (name, (doc, facts) -> (target, value), where after "operations[i]", what the message says)
CASES: list[tuple[str, Case, str, str]] = [
    ("planned minutes 0", lambda d, f: ("session/planned_minutes", 0), ".value", "below the minimum 1"),
    ("planned minutes -1", lambda d, f: ("session/planned_minutes", -1), ".value", "below the minimum 1"),
    ("planned minutes 10**100", lambda d, f: ("session/planned_minutes", 10**100), ".value", "above the maximum"),
    ("no lenses", lambda d, f: ("session/lenses", []), ".value", "fewer than 1 items"),
    ("a lens alias with a space", lambda d, f: (
        "session/lenses", [{"alias": "a b", "hash": d["lenses"][0]["sha256"], "version": "1"}]),
     ".value[0].alias", "'a b'"),
    ("an empty session name", lambda d, f: ("session/name", "  "), ".value", "needs a name"),
    ("a timer with text for times", lambda d, f: ("timer/t1", _timer(start="soon")), ".value.start", "form"),
    ("a timer in month 13", lambda d, f: ("timer/t1", _timer(start="2026-13-45T09:00:00Z")), ".value.start",
     "not a date and time"),
    ("a timer that stops before it starts", lambda d, f: ("timer/t1", _timer(stop="2026-11-27T08:00:00+00:00")),
     ".value.stop", "before its start"),
    ("a timer on a question the session lacks", lambda d, f: ("timer/t1", _timer(question=f"{LENS}/ghost")),
     ".value.question", "question 'ghost', which lens 'serverless' does not have"),
    ("an agenda block of 0 minutes", lambda d, f: ("agenda", [_block(f, minutes=0)]), ".value[0].minutes",
     "below the minimum 1"),
    ("an empty agenda", lambda d, f: ("agenda", []), ".value", "fewer than 1 items"),
    ("an agenda block on a pillar the lens lacks", lambda d, f: ("agenda", [_block(f, pillar="ghost")]),
     ".value[0].pillar", "pillar 'ghost', which lens 'serverless' does not have"),
    ("an agenda block on a lens the session lacks", lambda d, f: ("agenda", [_block(f, kind="lens", pillar=None,
                                                                                    lens="devops")]),
     ".value[0].lens", "lens 'devops', which session"),
    ("a pillar block without its pillar", lambda d, f: ("agenda", [_block(f, pillar=None)]), ".value[0].pillar",
     "a pillar block names its pillar"),
    ("two agenda blocks with one id", lambda d, f: ("agenda", [_block(f), _block(f)]), ".value[1].id",
     "two blocks with the same id"),
    ("an answer with a choice the question lacks", lambda d, f: (
        f"answer/{LENS}/{f['question']}", _answer(selected=["ghost-choice"])), ".value.selected[0]",
     "has no choice 'ghost-choice'"),
    ("an answer with an unknown reason", lambda d, f: (
        f"answer/{LENS}/{f['question']}", _answer(not_applicable=True, reason="BORED")), ".value.reason",
     "unknown reason 'BORED'"),
    ("'None of these' marked not applicable", lambda d, f: (
        f"answer/{LENS}/{f['question']}", _answer(na_choices={f["none"]: "OTHER"})),
     f".value.na_choices.{'{none}'}", "cannot be marked not applicable"),
    ("an answer for a question the lens lacks", lambda d, f: (f"answer/{LENS}/ghost", _answer(not_applicable=True,
                                                                                           reason="OTHER")),
     ".target", "question 'ghost', which lens 'serverless' does not have"),
    ("a note on a question the session lacks", lambda d, f: ("note/n-1", {"question": f"{LENS}/ghost", "body": "x"}),
     ".value.question", "question 'ghost'"),
    ("an action item on a lens the session lacks", lambda d, f: ("action/a-1", {"question": "devops/x"}),
     ".value.question", "lens 'devops', which session"),
    ("an action status nobody knows", lambda d, f: ("action/a-1/status", "weird"), ".value", "unknown status"),
    ("an action due date that is no date", lambda d, f: ("action/a-1/due", "2027-02-30"), ".value", "YYYY-MM-DD"),
    ("a participant without a name", lambda d, f: ("participant/x", {"name": " ", "role": "", "email": ""}),
     ".value.name", "needs a name"),
    ("a parked question the lens lacks", lambda d, f: (f"parking/{LENS}/ghost", {"reason": "", "parked_by": ""}),
     ".target", "question 'ghost', which lens 'serverless' does not have"),
]


@pytest.mark.parametrize(("name", "make", "where", "problem"), CASES, ids=[c[0] for c in CASES])
def test_an_operation_breaking_its_targets_rules_refuses_the_file(
    good: tuple[Path, Path, dict[str, Any]], capsys: pytest.CaptureFixture[str],
    name: str, make: Case, where: str, problem: str,
) -> None:
    data_dir, path, facts = good
    doc = json.loads(path.read_text(encoding="utf-8"))
    target, value = make(doc, facts)
    i = _append(doc, target, value)
    where = where.replace("{none}", facts["none"])
    _refused(capsys, data_dir, _edited(path, doc), f"operations[{i}]{where}: ", problem)


def test_the_unedited_bundle_merges(good: tuple[Path, Path, dict[str, Any]]) -> None:
    data_dir, path, _ = good
    review = Review.open(data_dir)
    try:
        report = merge_files(review, [path])
        assert report.created and report.operations > 10
    finally:
        review.close()


def test_a_stamp_far_ahead_of_this_laptops_clock_is_refused(good: tuple[Path, Path, dict[str, Any]],
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, path, _ = good
    doc = json.loads(path.read_text(encoding="utf-8"))
    i = _append(doc, "session/workload", "shop", hlc_ms=9_999_999_999_999)
    err = _refused(capsys, data_dir, _edited(path, doc), f"operations[{i}].hlc: ", "ahead of this laptop's clock")
    assert "2286-11-20" in err  # says when it claims to be from


def test_a_stamp_a_little_ahead_is_taken_and_local_stamps_stay_well_formed(
    good: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    """Laptop clocks disagree by minutes or hours; a stamp within a day is merged, and this laptop's next stamps
    still fit the format, so its own export reads back."""
    data_dir, path, _ = good
    doc = json.loads(path.read_text(encoding="utf-8"))
    ahead = int((datetime.now(UTC) + timedelta(hours=20)).timestamp() * 1000)
    _append(doc, "session/workload", "shop, per the clock of a laptop ahead", hlc_ms=ahead)
    review = Review.open(data_dir)
    try:
        merge_files(review, [_edited(path, doc)])
        sid = doc["session_id"]
        review.set_session_field(sid, "workload", "shop")
        mine = review.latest_stamp(sid, review.writer_id)
        assert mine is not None and len(mine.split("-")[0]) == 13 and mine > f"{ahead:013d}"
        out = tmp_path / "mine.json"
        write_bundle(review, sid, out)
        parse_bundle(out.read_bytes(), str(out), out.name)
    finally:
        review.close()


def test_a_far_future_stamp_already_in_the_log_does_not_run_this_laptops_clock_ahead(data_dir: Path,
                                                                                     tmp_path: Path) -> None:
    """A database that took such an operation before this check: its clock ignores the stamp, so every new local
    stamp keeps its 13 digits and near the real time."""
    from wat_tui.store.oplog import Op

    review = Review.open(data_dir)
    try:
        sid = review.create_session("Poisoned", lenses=[LENS])
        raw_ingest(review, Op("far-future-writer", 1, sid, "session/workload", "x", {},
                             "9999999999999-99999-far-future-writer"))
        review.set_session_field(sid, "workload", "shop")
        review.set_session_field(sid, "workload", "shop floor")
        mine = max((op for op in review.ops(sid) if op.writer_id == review.writer_id), key=lambda op: op.seq)
        ms = mine.hlc.split("-")[0]
        assert len(ms) == 13 and abs(int(ms) / 1000 - datetime.now(UTC).timestamp()) < 3600, mine.hlc
    finally:
        review.close()
