"""Merging bundles: sessions created on laptops that lack them, per-writer counts, conflicts shown with who, where,
when and from which file, resolutions, previews that change nothing, and imports that are all or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support import raw_ingest, raw_sql
from tests.test_bundle import LENS, dump, next_op, reseal, run_cli, save, some_questions
from wat_tui.cli.output import printable
from wat_tui.errors import WatError
from wat_tui.exchange.bundle import read_bundle, write_bundle
from wat_tui.exchange.conflicts import keep_both, keep_value, open_conflicts, write_value
from wat_tui.exchange.merge import merge_files, preview
from wat_tui.review.service import Review
from wat_tui.review.state import Answer
from wat_tui.store.oplog import Op, OpLog, canonical

CORPUS = Path(__file__).parent / "fixtures" / "lens-corpus"


class Laptop:
    """One facilitator's laptop: its own data directory, database and writer id."""

    def __init__(self, root: Path, name: str) -> None:
        self.dir = root / name
        self.review = Review.open(self.dir)
        raw_sql(self.review, "UPDATE writer SET name=?, device=? WHERE writer_id=?",
                (name, f"{name}-laptop", self.review.writer_id))
        self.review.writer_name, self.review.device = name, f"{name}-laptop"
        self.name = name

    def export(self, sid: str) -> Path:
        path = self.dir.parent / f"{self.name}.json"
        write_bundle(self.review, sid, path)
        return path


@pytest.fixture
def rooms(data_dir: Path) -> tuple[Laptop, Laptop, str]:
    """Ana prepares a session with a custom lens and hands it to Bo, who has never seen it."""
    ana, bo = Laptop(data_dir.parent, "ana"), Laptop(data_dir.parent, "bo")
    ana.review.import_lens(CORPUS / "AWS-Passport.json", alias="passport")
    sid = ana.review.create_session("Shop review", lenses=[LENS, "passport"])
    report = merge_files(bo.review, [ana.export(sid)])
    assert report.created and report.lenses_added
    return ana, bo, sid


def comparable(review: Review, sid: str) -> tuple[Any, ...]:
    st = review.state(sid)
    return (st.name, [lens.content_hash for lens in st.lenses], st.answers,
            [(n.id, n.body, n.author) for n in st.notes], st.actions, st.participants,
            sorted((c.target, len(c.values)) for c in st.conflicts))


def test_a_prepared_session_arrives_whole(rooms: tuple[Laptop, Laptop, str]) -> None:
    ana, bo, sid = rooms
    assert comparable(bo.review, sid) == comparable(ana.review, sid)
    assert [s.id for s in bo.review.list_sessions()] == [sid]
    assert {lens.alias for lens in bo.review.state(sid).lenses} == {LENS, "passport"}


def test_two_rooms_merge_with_counts_and_conflicts(rooms: tuple[Laptop, Laptop, str]) -> None:
    ana, bo, sid = rooms
    (q1, c1), (q2, c2), _ = some_questions(ana.review, sid)
    ana.review.set_answer(sid, LENS, q1, Answer((c1[0],)))
    ana.review.add_note(sid, f"{LENS}/{q1}", "Ana", "Ana's note")
    bo.review.set_answer(sid, LENS, q1, Answer((c1[1],)))  # the same question, another answer: a conflict
    bo.review.set_answer(sid, LENS, q2, Answer((c2[0],)))
    bo.review.add_note(sid, f"{LENS}/{q2}", "Bo", "Bo's note")
    bo.review.add_action(sid, "Fix it", owner="Bo", question=f"{LENS}/{q2}")
    report = merge_files(ana.review, [bo.export(sid)])
    assert not report.created and report.applied
    [w] = report.writers
    assert (w.name, w.device, w.answers, w.notes, w.actions) == ("bo", "bo-laptop", 2, 1, 1)
    assert w.operations == 2 + 1 + 5
    [conflict] = report.conflicts
    assert conflict.target == f"answer/{LENS}/{q1}" and conflict.question == f"{LENS}/{q1}"
    assert {(v.author, v.device, v.source) for v in conflict.values} == {
        ("ana", "ana-laptop", "local"), ("bo", "bo-laptop", "bo.json")}
    assert all(v.time.year >= 2024 for v in conflict.values)
    merge_files(bo.review, [ana.export(sid)])
    assert comparable(ana.review, sid) == comparable(bo.review, sid)


def test_resolving_clears_the_conflict_everywhere_once_shared(rooms: tuple[Laptop, Laptop, str]) -> None:
    ana, bo, sid = rooms
    (q1, c1), *_ = some_questions(ana.review, sid)
    ana.review.set_answer(sid, LENS, q1, Answer((c1[0],)))
    bo.review.set_answer(sid, LENS, q1, Answer((c1[1],)))
    merge_files(ana.review, [bo.export(sid)])
    merge_files(bo.review, [ana.export(sid)])
    [conflict] = open_conflicts(bo.review, sid)
    bos = next(v for v in conflict.values if v.author == "bo")
    keep_value(ana.review, sid, conflict.target, bos.writer_id, bos.seq)
    assert open_conflicts(ana.review, sid) == []
    assert ana.review.state(sid).answer(LENS, q1) == Answer((c1[1],))
    assert open_conflicts(bo.review, sid) != []  # not shared yet
    report = merge_files(bo.review, [ana.export(sid)])
    assert report.conflicts == () and open_conflicts(bo.review, sid) == []
    assert comparable(ana.review, sid) == comparable(bo.review, sid)


def test_keep_both_notes_and_write_a_new_value(rooms: tuple[Laptop, Laptop, str]) -> None:
    ana, bo, sid = rooms
    (q1, _), *_ = some_questions(ana.review, sid)
    nid = ana.review.add_note(sid, f"{LENS}/{q1}", "Ana", "first words")
    merge_files(bo.review, [ana.export(sid)])
    ana.review.edit_note(sid, nid, "Ana's version")
    bo.review.edit_note(sid, nid, "Bo's version")
    merge_files(ana.review, [bo.export(sid)])
    [conflict] = open_conflicts(ana.review, sid)
    assert conflict.can_keep_both and conflict.label.startswith("note on ")
    mine = next(v for v in conflict.values if v.author == "ana")
    [new_id] = keep_both(ana.review, sid, conflict.target, mine.writer_id, mine.seq)
    bodies = {n.id: n.body for n in ana.review.state(sid).notes}
    assert bodies == {nid: "Ana's version", new_id: "Bo's version"}
    assert open_conflicts(ana.review, sid) == []
    with pytest.raises(WatError, match="no open conflict"):
        write_value(ana.review, sid, conflict.target, None)
    (q2, c2), *_ = some_questions(ana.review, sid)[1:]
    ana.review.set_answer(sid, LENS, q2, Answer((c2[0],)))
    bo.review.set_answer(sid, LENS, q2, Answer((c2[1],)))
    merge_files(ana.review, [bo.export(sid)])
    [answer_conflict] = open_conflicts(ana.review, sid)
    assert not answer_conflict.can_keep_both
    with pytest.raises(WatError, match="keeping both works for notes"):
        keep_both(ana.review, sid, answer_conflict.target, mine.writer_id, mine.seq)
    with pytest.raises(WatError, match="value.selected: expected a list"):
        write_value(ana.review, sid, answer_conflict.target, {"selected": "all"})
    with pytest.raises(WatError, match="changed since it was shown"):
        keep_value(ana.review, sid, answer_conflict.target, mine.writer_id, mine.seq)
    both = Answer(tuple(sorted((c2[0], c2[1])))).to_value()
    write_value(ana.review, sid, answer_conflict.target, both)
    assert open_conflicts(ana.review, sid) == []
    assert ana.review.state(sid).answer(LENS, q2) == Answer.from_value(both)


def test_an_edit_concurrent_with_a_delete_is_a_conflict_and_keeping_it_restores_the_item(
    rooms: tuple[Laptop, Laptop, str]
) -> None:
    ana, bo, sid = rooms
    aid = ana.review.add_action(sid, "Rotate keys", owner="Ana", due="2026-12-01")
    merge_files(bo.review, [ana.export(sid)])
    ana.review.delete_action(sid, aid)
    bo.review.edit_action(sid, aid, title="Rotate keys monthly", owner="Bo")
    merge_files(ana.review, [bo.export(sid)])
    assert ana.review.state(sid).actions == []  # deleted here, edited there: not silently brought back
    title, owner = sorted(open_conflicts(ana.review, sid), key=lambda c: c.target, reverse=True)
    assert (title.target, owner.target) == (f"action/{aid}/title", f"action/{aid}/owner")
    assert sorted(v.summary for v in title.values) == ["(deleted)", "Rotate keys monthly"]
    edit = next(v for v in title.values if v.value is not None)
    keep_value(ana.review, sid, title.target, edit.writer_id, edit.seq)
    [item] = ana.review.state(sid).actions
    assert (item.title, item.due, item.conflict_fields) == ("Rotate keys monthly", "2026-12-01", ("owner",))
    assert [c.target for c in open_conflicts(ana.review, sid)] == [owner.target]  # left for a person


def test_preview_reports_the_same_and_changes_nothing(rooms: tuple[Laptop, Laptop, str]) -> None:
    ana, bo, sid = rooms
    (q1, c1), *_ = some_questions(ana.review, sid)
    ana.review.set_answer(sid, LENS, q1, Answer((c1[0],)))
    bo.review.set_answer(sid, LENS, q1, Answer((c1[1],)))
    bundle = bo.export(sid)
    before = dump(ana.dir)
    seen = preview(ana.review, [bundle])
    assert dump(ana.dir) == before and not seen.applied
    done = merge_files(ana.review, [bundle])
    assert (seen.writers, seen.already_here, [c.target for c in seen.conflicts]) == (
        done.writers, done.already_here, [c.target for c in done.conflicts])
    ana.review.add_note(sid, f"{LENS}/{q1}", "Ana", "edits still work after a preview")


def test_merging_the_same_file_twice_changes_nothing(rooms: tuple[Laptop, Laptop, str]) -> None:
    ana, bo, sid = rooms
    bo.review.add_note(sid, "", "Bo", "general remark")
    bundle = bo.export(sid)
    merge_files(ana.review, [bundle])
    before = dump(ana.dir)
    report = merge_files(ana.review, [bundle, bundle])
    assert report.writers == () and report.already_here == len(read_bundle(bundle).ops)
    assert dump(ana.dir) == before


def test_a_crash_halfway_leaves_the_database_as_it_was(rooms: tuple[Laptop, Laptop, str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    ana, bo, sid = rooms
    for i in range(20):
        bo.review.add_note(sid, "", "Bo", f"note {i}")
    bundle = bo.export(sid)
    before = dump(ana.dir)
    real = OpLog._apply_many

    def crash(self: OpLog, ops: list[Op], stored: Any) -> None:
        inserted = self.db.driver.execute("SELECT COUNT(*) FROM operation WHERE source='bo.json'").fetchone()[0]
        assert inserted > 0  # the operations are in; the registers are not
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(OpLog, "_apply_many", crash)
    with pytest.raises(KeyboardInterrupt):
        merge_files(ana.review, [bundle])
    assert dump(ana.dir) == before
    monkeypatch.setattr(OpLog, "_apply_many", real)
    assert merge_files(ana.review, [bundle]).operations == 20
    ana.review.add_note(sid, "", "Ana", "the log still takes edits")


def test_a_crash_while_creating_the_session_leaves_nothing(rooms: tuple[Laptop, Laptop, str], data_dir: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    ana, _, sid = rooms
    carol = Laptop(data_dir.parent, "carol")
    bundle = ana.export(sid)
    before = dump(carol.dir)
    monkeypatch.setattr(Review, "project", lambda self, sid: (_ for _ in ()).throw(RuntimeError("crash")))
    with pytest.raises(RuntimeError):
        merge_files(carol.review, [bundle])
    assert dump(carol.dir) == before


def test_files_of_another_session_are_refused(rooms: tuple[Laptop, Laptop, str]) -> None:
    ana, bo, sid = rooms
    other = ana.review.create_session("Another", lenses=[LENS])
    a, b = ana.export(sid), bo.export(sid)
    other_file = ana.dir.parent / "other.json"
    write_bundle(ana.review, other, other_file)
    with pytest.raises(WatError, match="merge one session at a time"):
        merge_files(bo.review, [b, other_file])
    with pytest.raises(WatError, match=r"not 'Shop review' .* merges only into the session it was exported from"):
        merge_files(ana.review, [other_file], into="Shop review")
    assert merge_files(ana.review, [a, b], into="Shop").session_id == sid


def test_unknown_fields_and_kinds_are_kept_and_written_out_again(rooms: tuple[Laptop, Laptop, str],
                                                                 data_dir: Path) -> None:
    ana, _, sid = rooms
    doc = json.loads(ana.export(sid).read_text(encoding="utf-8"))
    doc["operations"].append(next_op(doc, "stopwatch/lap-1", {"start": 1, "stop": 2}, colour="blue"))
    doc["operations"][0]["signed_by"] = {"key": "k1"}
    doc["a_field_from_the_future"] = True
    newer = save(ana.dir.parent / "newer.json", reseal(doc))
    carol = Laptop(data_dir.parent, "carol")
    assert merge_files(carol.review, [newer]).created
    again = json.loads(carol.export(sid).read_text(encoding="utf-8"))
    by_id = {(op["writer"], op["seq"]): op for op in again["operations"]}
    for op in doc["operations"]:
        assert canonical(by_id[(op["writer"], op["seq"])]) == canonical(op)


def test_cli_merge_prints_counts_and_conflicts(rooms: tuple[Laptop, Laptop, str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    ana, bo, sid = rooms
    (q1, c1), *_ = some_questions(ana.review, sid)
    ana.review.set_answer(sid, LENS, q1, Answer((c1[0],)))
    bo.review.set_answer(sid, LENS, q1, Answer((c1[1],)))
    bundle = bo.export(sid)
    ana.review.close()
    code, out, err = run_cli(capsys, "--data-dir", str(ana.dir), "merge", "--dry-run", str(bundle))
    assert code == 0 and err == "" and "Would merge 1 file" in out and "Nothing was changed" in out
    code, out, err = run_cli(capsys, "--data-dir", str(ana.dir), "merge", str(bundle), "--into", "Shop review")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f'Merged 1 file into session "Shop review" ({sid[:8]}), already on this laptop.'
    assert lines[1].split() == ["WRITER", "DEVICE", "OPERATIONS", "ANSWERS", "NOTES", "ACTION", "ITEMS"]
    assert lines[2].split() == ["bo", "bo-laptop", "1", "1", "0", "0"]
    assert "1 open conflict(s)" in out and "from bo.json" in out and "on ana-laptop" in out


def test_markup_and_terminal_escapes_are_stored_and_shown_as_text(rooms: tuple[Laptop, Laptop, str],
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    ana, bo, sid = rooms
    nasty = "[bold red]Eve[/] \x1b[2J\x1b]0;owned\x07 \u202eevil"
    raw_sql(bo.review, "UPDATE writer SET name=? WHERE writer_id=?", (nasty, bo.review.writer_id))
    bo.review.writer_name = nasty
    nid = ana.review.add_note(sid, "", "Ana", "shared")
    merge_files(bo.review, [ana.export(sid)])
    ana.review.edit_note(sid, nid, "plain")
    bo.review.edit_note(sid, nid, nasty)
    bundle = bo.export(sid)
    ana.review.close()
    code, out, err = run_cli(capsys, "--data-dir", str(ana.dir), "merge", str(bundle))
    assert code == 0 and err == ""
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "[bold red]Eve[/] \\x1b[2J\\x1b]0;owned\\x07 \\u202eevil" in out
    again = Review.open(ana.dir)
    assert nasty in {v.value["body"] for c in open_conflicts(again, sid) for v in c.values if v.value}
    assert nasty in {w for (w,) in raw_sql(again, "SELECT name FROM writer")}
    again.close()


def test_printable() -> None:
    assert printable("plain [b]text[/b] é ✓") == "plain [b]text[/b] é ✓"
    assert printable("a\nb\tc\x1b\x9b\u2066") == "a\\nb\\tc\\x1b\\x9b\\u2066"


def test_ingest_many_equals_one_by_one(rooms: tuple[Laptop, Laptop, str], data_dir: Path) -> None:
    """The bulk path merges use gives the same registers as ingesting op by op, and checks ids the same way."""
    ana, bo, sid = rooms
    (q1, c1), (q2, c2), _ = some_questions(ana.review, sid)
    for i in range(3):
        ana.review.set_answer(sid, LENS, q1, Answer((c1[i % len(c1)],)))
        bo.review.set_answer(sid, LENS, q1, Answer((c1[(i + 1) % len(c1)],)))
        bo.review.set_answer(sid, LENS, q2, Answer((c2[i % len(c2)],)))
        merge_files(bo.review, [ana.export(sid)])
    ops = ana.review.ops(sid) + bo.review.ops(sid)
    one, many = Laptop(data_dir.parent, "one"), Laptop(data_dir.parent, "many")
    for laptop in (one, many):
        raw_sql(laptop.review, "INSERT INTO session(id, name, workload, workload_type, planned_minutes,"
                " created_at) VALUES (?, '', '', '', 0, '')", (sid,))
    for op in reversed(ops):
        raw_ingest(one.review, op)
    with many.review.transaction():
        new = many.review.ingest(reversed(ops))
    assert len(new) == len({op.id for op in ops})
    assert many.review.ingest(ops) == []
    registers = "SELECT target, writer_id, seq, value, vv, hlc FROM register ORDER BY 1, 2, 3"
    assert raw_sql(one.review, registers) == raw_sql(many.review, registers)
    forged = Op(ops[0].writer_id, ops[0].seq, sid, ops[0].target, "forged", ops[0].vv, ops[0].hlc)
    with pytest.raises(ValueError, match="different payload"):
        many.review.ingest([forged])


def test_canonical_matches_json_dumps() -> None:
    for value in [None, 1, 1.5, "x\x1b\u2028é", [], {}, {"b": [1, {"z": None, "a": True}], "a": "é"}]:
        assert canonical(value) == json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_a_refused_merge_on_a_fresh_laptop_leaves_no_database(tmp_path: Path, capsys: Any) -> None:
    from wat_tui.cli import main
    from wat_tui.exchange.bundle import write_bundle
    from wat_tui.store.paths import DB_NAME

    source = Review.open(tmp_path / "source")
    sid = source.create_session("Handout", workload_type="general")
    write_bundle(source, sid, tmp_path / "handout.json")
    source.close()
    fresh = tmp_path / "fresh"
    assert main(["--data-dir", str(fresh), "merge", str(tmp_path / "handout.json"), "--into", "nosuch"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("wat-tui: error:") and err.count("\n") == 1
    assert not (fresh / DB_NAME).exists()
