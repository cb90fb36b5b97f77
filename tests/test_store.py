"""The store's promises: a private data directory, durable shared connections, and the right place on disk."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import raw_dump, raw_sql, raw_write
from wat_tui.review.service import Review
from wat_tui.store import paths
from wat_tui.store.db import BUSY_TIMEOUT_MS, open_database
from wat_tui.store.engine import make_engine
from wat_tui.store.paths import DB_NAME, ENV_VAR


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """A umask that would leave files world-readable, so the 0700/0600 checks prove something."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_data_dir_is_owner_only_and_database_files_0600(data_dir: Path, loose_umask: None) -> None:
    review = Review.open(data_dir)
    try:
        sid = review.create_session("Permissions")
        review.add_note(sid, "wellarchitected/identities", "Ana", "keys are old")
        assert mode(data_dir) == 0o700
        db = data_dir / DB_NAME
        files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
        for f in files:
            assert f.exists(), f
            assert mode(f) == 0o600, f"{f.name}: {oct(mode(f))}"
    finally:
        review.close()


def test_existing_loose_directory_and_database_are_tightened(data_dir: Path, loose_umask: None) -> None:
    Review.open(data_dir).close()
    os.chmod(data_dir, 0o755)
    os.chmod(data_dir / DB_NAME, 0o644)
    Review.open(data_dir).close()
    assert mode(data_dir) == 0o700
    assert mode(data_dir / DB_NAME) == 0o600


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(tmp_path / "platform"))
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env"))
    assert paths.data_dir(str(tmp_path / "flag")) == tmp_path / "flag"
    assert paths.data_dir() == tmp_path / "env"
    monkeypatch.delenv(ENV_VAR)
    assert paths.data_dir() == tmp_path / "platform"
    monkeypatch.setenv(ENV_VAR, "")
    assert paths.data_dir() == tmp_path / "platform"


def test_default_is_platformdirs_user_data_dir(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    from platformdirs import user_data_dir

    monkeypatch.delenv(ENV_VAR)
    assert paths.data_dir() == Path(user_data_dir("wat-tui", appauthor=False))


def test_pragmas_wal_busy_timeout_foreign_keys(data_dir: Path) -> None:
    """Every connection the store's engine makes is set up for durable, shared use (the engine's connect
    event), not only the first one."""
    database = open_database(data_dir)
    other = make_engine(database.path)
    try:
        for conn in (database.driver, other.raw_connection().driver_connection):
            assert isinstance(conn, sqlite3.Connection)
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
            assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
            assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute("INSERT INTO local_state(session_id, key, value) VALUES ('nobody', 'k', 'v')")
        assert BUSY_TIMEOUT_MS >= 1000
    finally:
        database.close()
        other.dispose()


def test_two_windows_write_at_once_without_locks_or_lost_ops(data_dir: Path) -> None:
    """Facilitator and projector views on one database: both write, neither fails, every edit is kept."""
    first = Review.open(data_dir)
    sid = first.create_session("Shared")
    second = Review.open(data_dir)
    errors: list[BaseException] = []
    per_window = 25

    def edit(review: Review, tag: str) -> None:
        try:
            for i in range(per_window):
                review.set_session_field(sid, "workload", f"{tag}{i}")
                review.add_note(sid, "wellarchitected/identities", tag, f"note {i}")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=edit, args=(r, t)) for r, t in ((first, "a"), (second, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        ops = first.ops(sid)
        seqs = sorted(op.seq for op in ops)
        assert seqs == list(range(1, len(seqs) + 1))
        assert len([op for op in ops if op.target == "session/workload"]) == 2 * per_window + 1
        # Same writer, and each op saw the one before it: no false conflict between the windows.
        assert len(first.values(sid, "session/workload")) == 1
        assert first.state(sid).conflicts == []
        assert len(second.state(sid).notes) == 2 * per_window
    finally:
        first.close()
        second.close()


def test_writer_waits_for_a_long_transaction_instead_of_failing(data_dir: Path) -> None:
    first = Review.open(data_dir)
    sid = first.create_session("Busy")
    second = Review.open(data_dir)
    done = threading.Event()

    def hold_lock() -> None:
        with first.transaction():
            raw_write(first, sid, "session/workload", "held")
            done.set()
            time.sleep(0.3)

    t = threading.Thread(target=hold_lock)
    t.start()
    done.wait()
    try:
        second.set_session_field(sid, "workload", "after")
    finally:
        t.join()
    try:
        assert [v.value for v in second.values(sid, "session/workload")] == ["after"]
    finally:
        first.close()
        second.close()


def test_a_failed_action_leaves_nothing_behind(review: Review) -> None:
    sid = review.create_session("Atomic")
    before = raw_dump(review)
    with pytest.raises(RuntimeError), review.transaction():
        raw_write(review, sid, "session/workload", "half")
        raise RuntimeError("interrupted")
    assert raw_dump(review) == before
    review.set_session_field(sid, "workload", "whole")
    seqs = [op.seq for op in review.ops(sid)]
    assert seqs == list(range(1, len(seqs) + 1))


def test_writer_identity_is_stable_per_database(data_dir: Path, tmp_path: Path) -> None:
    one = Review.open(data_dir)
    again = Review.open(data_dir)
    other = Review.open(tmp_path / "other")
    try:
        assert one.writer_id == again.writer_id
        assert other.writer_id != one.writer_id
        assert raw_sql(one, "SELECT COUNT(*) FROM writer") == [(1,)]
    finally:
        for r in (one, again, other):
            r.close()


def test_a_data_dir_that_is_a_file_is_one_clear_error(tmp_path: Path, data_dir: Path) -> None:
    from wat_tui.errors import WatError

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(WatError, match="cannot use it as the data directory"):
        Review.open(blocker)
    assert blocker.read_text() == "x"


def test_three_processes_opening_a_new_data_dir_at_once_share_one_database(data_dir: Path) -> None:
    """Two windows started together on a fresh machine: one database, one writer id, every session kept."""
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from wat_tui.review.service import Review; "
            "r = Review.open(Path(sys.argv[1])); r.create_session('s' + sys.argv[2]); print(r.writer_id)")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(data_dir), str(i)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(3)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert [(err, rc) for _, err, rc in results] == [("", 0)] * 3
    assert len({out.strip() for out, _, _ in results}) == 1
    review = Review.open(data_dir)
    try:
        assert sorted(s.name for s in review.list_sessions()) == ["s0", "s1", "s2"]
        assert raw_sql(review, "SELECT COUNT(*) FROM writer") == [(1,)]
    finally:
        review.close()
    assert sorted(p.name for p in data_dir.iterdir() if "migrating" in p.name) == []


@pytest.mark.parametrize("name", ["with space", "hash#mark", "question?mark", "per%20cent", "ünïcode",
                                  "a?mode=rw#x%"])
def test_data_dir_names_that_look_like_uri_syntax(tmp_path: Path, name: str, data_dir: Path) -> None:
    """The data directory's name is a path, never parsed as SQLite URI or SQLAlchemy URL syntax."""
    where = tmp_path / name / "data"
    review = Review.open(where)
    review.create_session("kept")
    review.close()
    again = Review.open(where)
    try:
        assert [s.name for s in again.list_sessions()] == ["kept"]
    finally:
        again.close()
    # Reopening at head migrates nothing (no backup), and nothing was created beside the data directory.
    assert {p.name for p in where.iterdir()} <= {DB_NAME, f"{DB_NAME}-shm", f"{DB_NAME}-wal"}
    assert [p.name for p in (tmp_path / name).iterdir()] == ["data"]


def test_a_failed_commit_does_not_leave_a_transaction_open(review: Review, data_dir: Path) -> None:
    """If COMMIT itself fails, later edits must still commit (not silently nest in a dead transaction)."""
    sid = review.create_session("Commit")
    with pytest.raises(sqlite3.IntegrityError), review.transaction():
        raw_sql(review, "PRAGMA defer_foreign_keys=ON")  # the check moves to COMMIT, which then fails
        raw_write(review, sid, "session/workload", "lost")
        raw_sql(review, "INSERT INTO local_state(session_id, key, value) VALUES ('nobody', 'k', 'v')")
    assert not review.in_transaction
    review.set_session_field(sid, "workload", "kept")
    other = Review.open(data_dir)
    try:
        assert [v.value for v in other.values(sid, "session/workload")] == ["kept"]
        seqs = [op.seq for op in other.ops(sid)]
        assert seqs == list(range(1, len(seqs) + 1))
    finally:
        other.close()


def test_a_copied_or_restored_database_gets_a_new_writer(tmp_path: Path) -> None:
    """Operation ids (writer, seq) must never be reused for different operations by two copies of one file."""
    import shutil

    from wat_tui.review.service import Review
    from wat_tui.store.paths import DB_NAME

    original = tmp_path / "laptop"
    review = Review.open(original)
    sid = review.create_session("Copied", workload_type="general")
    first = review.writer_id
    review.close()
    restored = tmp_path / "restored"
    restored.mkdir()
    shutil.copy2(original / DB_NAME, restored / DB_NAME)  # a backup put back, or a data directory copied
    copy = Review.open(restored)
    assert copy.writer_id != first
    assert copy.state(sid).name == "Copied"  # the data came along
    copy.toggle_choice(sid, "wellarchitected", "priorities", "ops_priorities_ext_cust_needs")
    assert {op.writer_id for op in copy.ops(sid)} == {first, copy.writer_id}
    copy.close()
    again = Review.open(original)
    assert again.writer_id == first  # the original file keeps its writer
    again.close()
    reopened = Review.open(restored)
    assert reopened.writer_id == copy.writer_id  # and the copy keeps its new one
    reopened.close()


def test_a_lens_version_rolled_back_with_its_transaction_is_not_remembered(data_dir: Path) -> None:
    """A failed action that stored a lens version takes it back; the next one stores it again (a look-up made
    inside the rolled-back transaction must not be remembered as stored)."""
    from wat_tui.errors import WatError

    with Review.open(data_dir) as review:
        try:
            with review.transaction():
                review.create_session("First try", lenses=("wellarchitected",))
                raise WatError("the rest of the action failed")
        except WatError:
            pass
        assert review.list_sessions() == []
        sid = review.create_session("Second try", lenses=("wellarchitected",))
        assert [lens.alias for lens in review.state(sid).lenses] == ["wellarchitected"]
