"""Files the app reads and writes, under hostile conditions: devices, FIFOs, symlinks, directories, a full disk.

Reading a bundle accepts only a regular file and never reads more than the size limit. Writing a report or a
bundle goes to a private temporary file beside the target that is renamed over it only when it was written in
full; anything that is not a regular file is refused, never replaced or written through.
"""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import one_error_line, run_cli
from wat_tui.errors import WatError
from wat_tui.fileio import read_regular, write_atomic
from wat_tui.review.service import Review

#: Enough notes that the report and the bundle are well over the 64 KiB "disk" of the full-disk tests.
NOTES = 300


def make_session(data_dir: Path) -> str:
    review = Review.open(data_dir)
    try:
        sid = review.create_session("Payments API", workload="checkout")
        with review.transaction():
            for i in range(NOTES):
                review.add_note(sid, "wellarchitected/identities", "Ana", f"note {i}: " + "keys are old " * 20)
        return sid
    finally:
        review.close()




def wat_tui(*argv: str, limits: Callable[[], None] | None = None, timeout: float = 60) -> tuple[int, str, str]:
    """The command in a process of its own (which a hang or a runaway read cannot take the tests down with)."""
    try:
        p = subprocess.run([sys.executable, "-m", "wat_tui", *argv], capture_output=True, text=True,
                           timeout=timeout, preexec_fn=limits)
    except subprocess.TimeoutExpired:
        pytest.fail(f"wat-tui {' '.join(argv)} did not finish within {timeout} s")
    return p.returncode, p.stdout, p.stderr


def small_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def small_disk() -> None:
    """A 'disk' with 64 KiB free: any file written grows to 64 KiB and then fails, as on a full disk."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write with EFBIG instead of killing the process
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


# -- reading ---------------------------------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_merging_dev_zero_is_refused_without_reading_it(data_dir: Path) -> None:
    code, out, err = wat_tui("merge", "/dev/zero", limits=small_memory, timeout=30)
    assert code == 1, err[-500:]
    one_error_line(err, "/dev/zero", "not a regular file")


def test_merging_a_fifo_is_refused_without_waiting_for_a_writer(data_dir: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "bundle.json"
    os.mkfifo(fifo)
    code, out, err = wat_tui("merge", str(fifo), timeout=30)
    assert code == 1, err[-500:]
    one_error_line(err, str(fifo), "not a regular file")


def test_merging_a_directory_is_one_error_line(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                               tmp_path: Path) -> None:
    folder = tmp_path / "bundles"
    folder.mkdir()
    code, _, err = run_cli(capsys, "merge", str(folder))
    assert code == 1
    one_error_line(err, str(folder), "directory")


def test_read_regular_reads_at_most_the_limit(tmp_path: Path) -> None:
    small = tmp_path / "small.json"
    small.write_bytes(b"x" * 100)
    assert read_regular(small, 100) == b"x" * 100
    with pytest.raises(WatError, match="small.json"):
        read_regular(small, 99)
    with pytest.raises(WatError, match="missing.json"):
        read_regular(tmp_path / "missing.json", 100)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_read_regular_stops_at_the_limit_when_the_size_lies(tmp_path: Path) -> None:
    """A /proc file says it is empty and is not: reading stops one byte past the limit."""
    assert Path("/proc/self/status").stat().st_size == 0
    with pytest.raises(WatError, match="/proc/self/status"):
        read_regular(Path("/proc/self/status"), 10)


# -- writing ---------------------------------------------------------------------------------------------------


def test_report_over_an_existing_loose_file_leaves_a_private_one(capsys: pytest.CaptureFixture[str],
                                                                 data_dir: Path, tmp_path: Path) -> None:
    make_session(data_dir)
    out = tmp_path / "report.md"
    out.write_text("old report\n")
    os.chmod(out, 0o644)
    code, _, err = run_cli(capsys, "report", "Payments", "-o", str(out))
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Payments API" in out.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["report.md"]


def test_report_through_a_symlink_is_refused_and_writes_nothing(capsys: pytest.CaptureFixture[str],
                                                                data_dir: Path, tmp_path: Path) -> None:
    make_session(data_dir)
    target = tmp_path / "elsewhere.txt"
    target.write_text("someone else's file\n")
    link = tmp_path / "report.md"
    link.symlink_to(target)
    code, _, err = run_cli(capsys, "report", "Payments", "-o", str(link))
    assert code == 1
    one_error_line(err, str(link), "symbolic link")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "someone else's file\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["elsewhere.txt", "report.md"]


def device_node(path: Path) -> None:
    try:
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # the same device as /dev/null
    except (PermissionError, AttributeError):
        pytest.skip("making a device node needs root")


@pytest.mark.parametrize("kind", ["fifo", "device", "directory", "symlink"])
def test_export_onto_something_that_is_not_a_regular_file_is_refused(
        capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path, kind: str) -> None:
    make_session(data_dir)
    target = tmp_path / "bundle.json"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        device_node(target)
    elif kind == "directory":
        target.mkdir()
    else:
        target.symlink_to(tmp_path / "real.json")
    before = os.lstat(target)
    code, _, err = run_cli(capsys, "export", "Payments", "-o", str(target))
    assert code == 1
    one_error_line(err, str(target))
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode, after.st_rdev) == (before.st_ino, before.st_mode, before.st_rdev)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["bundle.json"]


@pytest.mark.parametrize("command", ["report", "export"])
def test_a_full_disk_leaves_the_old_file_whole(data_dir: Path, tmp_path: Path, command: str) -> None:
    make_session(data_dir)
    out = tmp_path / "out.md"
    out.write_text("the report from yesterday\n")
    code, _, err = wat_tui(command, "Payments", "-o", str(out), "--data-dir", str(data_dir), limits=small_disk)
    assert code == 1, err[-800:]
    one_error_line(err, str(out))
    assert out.read_text() == "the report from yesterday\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["out.md"]


def test_write_atomic_makes_a_private_file_and_replaces_a_regular_one(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    write_atomic(path, b"one")
    assert path.read_bytes() == b"one" and stat.S_IMODE(path.stat().st_mode) == 0o600
    os.chmod(path, 0o644)
    write_atomic(path, b"two")
    assert path.read_bytes() == b"two" and stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(WatError, match="missing-dir"):
        write_atomic(tmp_path / "missing-dir" / "b.txt", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
