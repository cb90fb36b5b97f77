"""The store under hostile conditions: several processes at once, killed migrations, damaged or foreign files."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from scripts.stress_writers import run as stress
from tests.support import database_dump as dump
from tests.support import one_error_line, run_cli
from wat_tui.cli import main
from wat_tui.review.service import Review
from wat_tui.store import backup
from wat_tui.store.paths import DB_NAME


def test_processes_writing_at_once_lose_nothing_and_never_reuse_an_operation_id(data_dir: Path) -> None:
    """Four processes editing through Review (reopening as separate commands would) while 'wat-tui new' runs."""
    figures = stress(data_dir, processes=4, edits=120, news=4, seed_notes=2000, reopen_every=5)
    assert figures.failures == []
    assert figures.problems == []
    assert figures.ops_lost == 0


def _files(directory: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in sorted(directory.iterdir())}


_KILLED_MID_MIGRATION = """
import os, signal, sqlite3, sys
from pathlib import Path
os.umask(0o022)  # a usual umask: anything not made private on purpose would be world-readable
from wat_tui.store import db
from wat_tui.review.service import Review

def killed(work, target="head"):
    conn = sqlite3.connect(work, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("CREATE TABLE half(x)")
    conn.execute("INSERT INTO half VALUES (zeroblob(100000))")
    os.kill(os.getpid(), signal.SIGKILL)  # the laptop's lid closes, or the user presses Ctrl-\\

db.run_migrations = killed
Review.open(Path(sys.argv[1]))
"""


def test_a_migration_killed_half_way_leaves_only_private_files_which_the_next_open_removes(data_dir: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", _KILLED_MID_MIGRATION, str(data_dir)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    left = _files(data_dir)
    assert any(".migrating-" in name for name in left), left  # the situation the test is about
    assert any(name.endswith("-journal") for name in left), left
    assert {name: oct(m) for name, m in left.items() if m != 0o600} == {}
    code = main(["new", "After the crash"])
    assert code == 0
    after = _files(data_dir)
    assert [name for name in after if ".migrating-" in name or name.endswith("-journal")] == []
    assert {name: oct(m) for name, m in after.items() if m != 0o600} == {}
    review = Review.open(data_dir)
    try:
        assert [s.name for s in review.list_sessions()] == ["After the crash"]
    finally:
        review.close()


# -- damaged, read-only and foreign databases; backups and restore ------------------------------------------




@pytest.fixture
def backups_every_open(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a backup on every open instead of at most once an hour."""
    monkeypatch.setattr(backup, "BACKUP_EVERY_SECONDS", 0.0)


def make_review(data_dir: Path, notes: int = 40) -> str:
    review = Review.open(data_dir)
    try:
        sid = review.create_session("Payments API", workload="checkout")
        for i in range(notes):
            review.add_note(sid, "wellarchitected/identities", "Ana", f"note {i} " + "x" * 200)
        return sid
    finally:
        review.close()


def page_size(db: Path) -> int:
    size = int.from_bytes(db.read_bytes()[16:18], "big")
    return 65536 if size == 1 else size


def integrity_fails(db: Path) -> bool:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return bool(conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)])
    except sqlite3.DatabaseError:
        return True
    finally:
        conn.close()


def zero_one_page(db: Path) -> int:
    """Zero the first page from the middle of the file on that SQLite's own integrity check notices."""
    original = db.read_bytes()
    size = page_size(db)
    pages = len(original) // size
    for page in range(pages // 2, pages):
        damaged = bytearray(original)
        damaged[page * size:(page + 1) * size] = bytes(size)
        db.write_bytes(damaged)
        if integrity_fails(db):
            return page + 1
    raise AssertionError("no page found whose loss the integrity check notices")


def test_one_zeroed_page_is_noticed_on_open_and_named_by_every_command(
        capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    make_review(data_dir)
    db = data_dir / DB_NAME
    zero_one_page(db)
    damaged = db.read_bytes()
    for argv in (["list"], ["new", "Another"], ["report", "Payments"], ["export", "Payments", "-o",
                                                                       str(data_dir.parent / "out.json")]):
        code, out, err = run_cli(capsys, *argv)
        assert code == 1, (argv, out, err)
        one_error_line(err, str(db), "damaged", "wat-tui restore")
    assert db.read_bytes() == damaged  # nothing was written into it
    assert not (data_dir.parent / "out.json").exists()


def test_damaged_pages_are_one_error_line_on_every_command(capsys: pytest.CaptureFixture[str],
                                                           data_dir: Path) -> None:
    make_review(data_dir, notes=80)
    db = data_dir / DB_NAME
    data = bytearray(db.read_bytes())
    size = page_size(db)
    for page in range(2, len(data) // size, 3):  # every third page after the schema gets noise
        data[page * size + 8:page * size + 200] = bytes((page * 7 + i) % 256 for i in range(192))
    db.write_bytes(data)
    for argv in (["list"], ["new", "Another"], ["open", "Payments"], ["report", "Payments"]):
        code, out, err = run_cli(capsys, *argv)
        assert code == 1, (argv, out, err)
        one_error_line(err, str(db), "damaged")


def test_a_damaged_first_page_is_one_error_line(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    make_review(data_dir)
    db = data_dir / DB_NAME
    data = bytearray(db.read_bytes())
    data[0:100] = bytes(100)
    db.write_bytes(data)
    code, _, err = run_cli(capsys, "new", "Another")
    assert code == 1
    one_error_line(err, str(db))
    assert db.read_bytes() == bytes(data)


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The file cannot be written, even by root (who ignores the mode bits): chmod 0400, and immutable as root."""
    os.chmod(path, 0o400)
    immutable = False
    try:
        if os.geteuid() == 0:
            if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)],
                                                               capture_output=True).returncode:
                pytest.skip("running as root without chattr +i: cannot make a file read-only")
            immutable = True
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        os.chmod(path, 0o600)


def test_a_read_only_database_is_one_clear_error_and_stays_as_it_was(capsys: pytest.CaptureFixture[str],
                                                                     data_dir: Path) -> None:
    make_review(data_dir)
    db = data_dir / DB_NAME
    before = db.read_bytes()
    with read_only(db):
        for argv in (["new", "Another"], ["list"]):
            code, _, err = run_cli(capsys, *argv)
            assert code == 1
            one_error_line(err, str(db), "read-only")
        assert stat.S_IMODE(db.stat().st_mode) == 0o400  # not quietly made writable again
        assert db.read_bytes() == before


def test_a_sqlite_file_of_another_application_is_refused(capsys: pytest.CaptureFixture[str],
                                                         data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    db = data_dir / DB_NAME
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE contact(name TEXT, phone TEXT)")
    conn.commit()
    conn.close()
    original = db.read_bytes()
    code, _, err = run_cli(capsys, "list")
    assert code == 1
    one_error_line(err, str(db), "not a wat-tui database")
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_NAME]
    assert db.read_bytes() == original


def backups_in(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.iterdir() if p.name.startswith(backup.BACKUP_PREFIX))


def test_no_backup_is_made_in_a_database_s_first_hour(data_dir: Path) -> None:
    make_review(data_dir)
    Review.open(data_dir).close()
    assert backups_in(data_dir) == []


def test_backups_roll_keep_the_last_three_are_private_and_are_whole_databases(
        data_dir: Path, backups_every_open: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "BACKUP_EVERY_SECONDS", 3600.0)
    sid = make_review(data_dir)
    review = Review.open(data_dir)
    review.close()
    assert backups_in(data_dir) == []
    monkeypatch.setattr(backup, "BACKUP_EVERY_SECONDS", 0.0)
    names = []
    for i in range(5):
        review = Review.open(data_dir)
        review.set_session_field(sid, "workload", f"edit {i}")
        review.close()
        names.append([p.name for p in backups_in(data_dir)])
    assert [len(n) for n in names] == [1, 2, 3, 3, 3]
    assert names[-1] == sorted(set(names[-1]))
    assert names[-1][0] not in names[1]  # the oldest ones went
    for p in backups_in(data_dir):
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    # The newest backup holds the session as it was when it was made (before "edit 4").
    newest = backups_in(data_dir)[-1]
    other = data_dir.parent / "inspect"
    other.mkdir(mode=0o700)
    shutil.copyfile(newest, other / DB_NAME)
    copy = Review.open(other)
    try:
        assert copy.state(sid).workload == "edit 3"
    finally:
        copy.close()
    # ... and at most one an hour otherwise.
    monkeypatch.setattr(backup, "BACKUP_EVERY_SECONDS", 3600.0)
    Review.open(data_dir).close()
    assert [p.name for p in backups_in(data_dir)] == names[-1]


def test_restore_replaces_a_damaged_database_with_a_backup_under_a_new_writer(
        capsys: pytest.CaptureFixture[str], data_dir: Path, backups_every_open: None) -> None:
    sid = make_review(data_dir)
    review = Review.open(data_dir)  # this open makes the backup
    writer = review.writer_id
    review.close()
    db = data_dir / DB_NAME
    zero_one_page(db)
    damaged = db.read_bytes()
    code, out, err = run_cli(capsys, "restore", "--list")
    assert code == 0, err
    name = backups_in(data_dir)[-1].name  # the newest, made by the last open
    assert name in out and "ok" in out
    code, out, err = run_cli(capsys, "restore")
    assert code == 0, err
    assert name in out
    kept = [p for p in data_dir.iterdir() if p.is_file() and p.read_bytes() == damaged]
    assert len(kept) == 1 and kept[0] != db  # the damaged file is kept aside, not deleted
    for p in data_dir.iterdir():
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    code, out, err = run_cli(capsys, "list")
    assert code == 0, err
    assert "Payments API" in out
    restored = Review.open(data_dir)
    try:
        assert restored.writer_id != writer  # a restored database gets a new writer id
        assert len(restored.state(sid).notes) == 40
        restored.set_session_field(sid, "workload", "after the restore")
        ops = restored.ops(sid)
        assert len({(op.writer_id, op.seq) for op in ops}) == len(ops)
        assert [op.seq for op in ops if op.writer_id == restored.writer_id] == [1]
    finally:
        restored.close()


def test_restore_a_named_backup(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                backups_every_open: None) -> None:
    sid = make_review(data_dir, notes=2)
    for workload in ("first", "second"):
        review = Review.open(data_dir)
        review.set_session_field(sid, "workload", workload)
        review.close()
    # Backups were made by every open: the one creating the database, then before "first", then before "second".
    before_second = backups_in(data_dir)[-1]
    code, out, err = run_cli(capsys, "restore", before_second.name)
    assert code == 0, err
    review = Review.open(data_dir)
    try:
        assert review.state(sid).workload == "first"
    finally:
        review.close()


def test_restore_refuses_a_file_that_is_not_a_wat_tui_database(capsys: pytest.CaptureFixture[str],
                                                                data_dir: Path, tmp_path: Path) -> None:
    make_review(data_dir, notes=2)
    before = dump(data_dir)
    foreign = tmp_path / "contacts.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE contact(name TEXT, phone TEXT)")
    conn.commit()
    conn.close()
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all\n" * 100)
    for candidate in (foreign, text, tmp_path / "missing.sqlite3"):
        original = candidate.read_bytes() if candidate.exists() else None
        code, _, err = run_cli(capsys, "restore", str(candidate))
        assert code == 1
        one_error_line(err, str(candidate))
        assert (candidate.read_bytes() if candidate.exists() else None) == original
    assert dump(data_dir) == before


def test_restore_without_backups_says_so(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    make_review(data_dir, notes=1)
    code, out, err = run_cli(capsys, "restore", "--list")
    assert code == 0 and "no backups" in out.lower()
    code, _, err = run_cli(capsys, "restore")
    assert code == 1
    one_error_line(err, "no backup")


def _small_disk() -> None:
    """A 'disk' with 64 KiB free for any file (the database's WAL included)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write with EFBIG instead of killing the process
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_an_edit_on_a_full_disk_is_one_error_line_and_changes_nothing(data_dir: Path) -> None:
    make_review(data_dir, notes=2)
    before = dump(data_dir)
    proc = subprocess.run([sys.executable, "-m", "wat_tui", "new", "Too much", "--lens", "serverless"],
                          capture_output=True, text=True, timeout=120, preexec_fn=_small_disk)
    assert proc.returncode == 1, proc.stderr[-800:]
    one_error_line(proc.stderr, str(data_dir / DB_NAME))
    assert dump(data_dir) == before
