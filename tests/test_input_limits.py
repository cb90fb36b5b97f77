"""What the app accepts locally, its own bundles can carry.

The text limits are declared once, in ``wat_tui/review/targets.py``; the bundle schema says the same numbers (a
test compares them), and the ``Review`` setters and lens import refuse longer text where it enters, with a clear
message and no change to the database. Text at the limit is taken, and the session then merges elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support import database_dump
from wat_tui.cli import main
from wat_tui.errors import WatError
from wat_tui.exchange.bundle import schema, write_bundle
from wat_tui.exchange.merge import merge_files
from wat_tui.lens.builtin import builtin_lens_path
from wat_tui.lens.loader import LensError
from wat_tui.review import targets
from wat_tui.review import timekeeping as tk
from wat_tui.review.service import Review

LENS = "serverless"


@pytest.fixture
def session(review: Review) -> tuple[Review, str, str]:
    sid = review.create_session("Shop review", lenses=[LENS], participants=[("Ana", "Facilitator")])
    q = review.state(sid).lenses[0].questions[0]
    return review, sid, f"{LENS}/{q.id}"


def test_the_schema_says_the_declared_limits() -> None:
    defs = schema()["$defs"]
    assert defs["shortText"]["maxLength"] == targets.SHORT_TEXT_MAX
    assert defs["noteValue"]["properties"]["body"]["maxLength"] == targets.NOTE_BODY_MAX
    assert defs["actionFieldValue"]["maxLength"] == targets.ACTION_TEXT_MAX
    assert defs["sessionTextValue"]["maxLength"] == targets.SESSION_TEXT_MAX
    assert defs["parkingValue"]["properties"]["reason"]["maxLength"] == targets.PARKING_REASON_MAX
    assert defs["plannedMinutesValue"]["maximum"] == targets.PLANNED_MINUTES_MAX
    agenda = defs["agendaValue"]
    assert agenda["maxItems"] == targets.AGENDA_BLOCKS_MAX
    assert agenda["items"]["properties"]["minutes"]["maximum"] == targets.PLANNED_MINUTES_MAX
    assert agenda["items"]["properties"]["id"]["maxLength"] == targets.ID_MAX
    assert defs["noteValue"]["properties"]["question"]["maxLength"] == targets.QUESTION_KEY_MAX
    assert defs["sessionLensesValue"]["maxItems"] == targets.LENSES_MAX
    alias = f"^{targets.LENS_ALIAS_PATTERN}$"
    for where in (defs["lens"]["properties"]["alias"], defs["sessionLensesValue"]["items"]["properties"]["alias"]):
        assert (where["pattern"], where["maxLength"]) == (alias, targets.LENS_ALIAS_MAX)


Edit = Callable[[Review, str, str], Any]

TOO_LONG: list[tuple[str, Edit, str]] = [
    ("a pasted action title", lambda r, s, k: r.add_action(s, "x" * 5_100, question=k),
     "action title: 5,100 characters; at most 5,000"),
    ("an action owner", lambda r, s, k: r.add_action(s, "Rotate keys", owner="o" * 5_001),
     "action owner: 5,001 characters; at most 5,000"),
    ("an edited action title", lambda r, s, k: r.edit_action(s, r.add_action(s, "Rotate keys"), title="x" * 5_001),
     "action title: 5,001 characters; at most 5,000"),
    ("a note body", lambda r, s, k: r.add_note(s, k, "Ana", "n" * 200_001),
     "note body: 200,001 characters; at most 200,000"),
    ("an edited note body", lambda r, s, k: r.edit_note(s, r.add_note(s, k, "Ana", "short"), "n" * 200_001),
     "note body: 200,001 characters; at most 200,000"),
    ("a note author", lambda r, s, k: r.add_note(s, k, "a" * 501, "body"), "note author: 501 characters; at most 500"),
    ("a participant name", lambda r, s, k: r.set_participant(s, "p" * 501, "Other"),
     "participant name: 501 characters; at most 500"),
    ("a participant role", lambda r, s, k: r.set_participant(s, "Bo", "r" * 501),
     "participant role: 501 characters; at most 500"),
    ("a session name", lambda r, s, k: r.set_session_field(s, "name", "s" * 5_001),
     "session name: 5,001 characters; at most 5,000"),
    ("a new session's workload", lambda r, s, k: r.create_session("x", workload="w" * 5_001, lenses=[LENS]),
     "session workload: 5,001 characters; at most 5,000"),
    ("a parking reason", lambda r, s, k: tk.park_question(r, s, k, "r" * 5_001, "Ana"),
     "parking reason: 5,001 characters; at most 5,000"),
]


@pytest.mark.parametrize(("name", "edit", "message"), TOO_LONG, ids=[c[0] for c in TOO_LONG])
def test_text_over_its_limit_is_refused_where_it_enters(session: tuple[Review, str, str], name: str, edit: Edit,
                                                        message: str) -> None:
    review, sid, key = session
    review.add_action(sid, "Rotate keys")  # the edit cases add their own item or note first: compare after
    with pytest.raises(WatError) as caught:
        edit(review, sid, key)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_refused_edit_changes_nothing(session: tuple[Review, str, str], data_dir: Path) -> None:
    review, sid, key = session
    aid = review.add_action(sid, "Rotate keys")
    nid = review.add_note(sid, key, "Ana", "short")
    before = database_dump(data_dir)
    for edit in (lambda: review.add_action(sid, "x" * 5_100), lambda: review.edit_action(sid, aid, owner="o" * 5_001),
                 lambda: review.edit_note(sid, nid, "n" * 200_001), lambda: review.set_participant(sid, "p" * 501, "")):
        with pytest.raises(WatError):
            edit()
    assert database_dump(data_dir) == before


def test_text_at_its_limit_is_taken_and_the_session_merges_elsewhere(session: tuple[Review, str, str],
                                                                     tmp_path: Path) -> None:
    review, sid, key = session
    aid = review.add_action(sid, "t" * 5_000, owner="o" * 5_000, question=key)
    review.add_note(sid, key, "a" * 500, "n" * 200_000)
    review.set_participant(sid, "p" * 500, "r" * 500)
    review.set_session_field(sid, "workload", "w" * 5_000)
    tk.park_question(review, sid, key, "r" * 5_000, "b" * 500)
    review.edit_action(sid, aid, title="shorter")
    path = tmp_path / "limits.json"
    write_bundle(review, sid, path)
    other = Review.open(tmp_path / "other-laptop")
    try:
        merge_files(other, [path])
        st = other.state(sid)
        assert [len(n.body) for n in st.notes] == [200_000]
        assert st.unreadable == []
    finally:
        other.close()


# -- lens aliases ----------------------------------------------------------------------------------------------


@pytest.fixture
def lens_file(tmp_path: Path) -> Path:
    source = builtin_lens_path(LENS)
    assert source is not None
    path = tmp_path / "in" / "my-lens.json"
    path.parent.mkdir()
    path.write_bytes(source.read_bytes().replace(b'"Serverless', b'"My serverless', 1))
    return path


@pytest.mark.parametrize("alias", ["a b", "a/b", "-lead", "x" * 65, "", "tab\there"])
def test_lens_import_refuses_an_alias_a_bundle_cannot_carry(lens_file: Path, data_dir: Path,
                                                            capsys: pytest.CaptureFixture[str], alias: str) -> None:
    Review.open(data_dir).close()
    before = database_dump(data_dir)
    code = main(["lens", "import", str(lens_file), f"--alias={alias}"])
    out, err = capsys.readouterr()
    if alias == "":  # no alias given: the one made from the file name is used
        assert code == 0, err
        return
    assert code == 1 and out == ""
    assert err.startswith("wat-tui: error: ") and err.count("\n") == 1, err
    assert "alias" in err and "letters, digits" in err
    assert database_dump(data_dir) == before


def test_the_review_api_refuses_such_an_alias_too(review: Review, lens_file: Path) -> None:
    with pytest.raises(LensError, match="alias 'a b'"):
        review.import_lens(lens_file, "a b")


def test_an_alias_made_from_a_long_file_name_fits(tmp_path: Path, lens_file: Path, review: Review) -> None:
    long = lens_file.with_name("A very long lens file name, " * 4 + ".json")
    lens_file.rename(long)
    stored, _ = review.import_lens(long)
    assert len(stored.alias) <= targets.LENS_ALIAS_MAX
    assert re.fullmatch(targets.LENS_ALIAS_PATTERN, stored.alias)
    sid = review.create_session("Long names", lenses=[stored.alias])
    path = tmp_path / "long.json"
    write_bundle(review, sid, path)
    other = Review.open(tmp_path / "other-laptop")
    try:
        merge_files(other, [path])
        assert [lens.alias for lens in other.state(sid).lenses] == [stored.alias]
    finally:
        other.close()


def test_an_undone_first_agenda_save_still_merges_elsewhere(session: tuple[Review, str, str], tmp_path: Path) -> None:
    """Undoing the first agenda save writes a null agenda (none saved): the session's bundle carries it."""
    review, sid, _ = session
    blocks = tk.load_agenda(review, sid)
    tk.save_agenda(review, sid, [blocks[1], blocks[0], *blocks[2:]])
    assert review.undo(sid)
    assert tk.stored_agenda(review, sid) is None
    path = tmp_path / "undone.json"
    write_bundle(review, sid, path)
    other = Review.open(tmp_path / "other-laptop")
    try:
        merge_files(other, [path])
        assert tk.stored_agenda(other, sid) is None and tk.load_agenda(other, sid) == blocks
    finally:
        other.close()
