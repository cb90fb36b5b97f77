"""Reading and writing the files a person names (bundles, reports), safely whatever is at that path.

- :func:`read_regular` reads only a regular file, and never more than a limit: ``/dev/zero`` would otherwise be
  read without end, and a FIFO would wait for ever for a writer.
- :func:`write_atomic` writes a private (0600) temporary file beside the target, flushes it to the disk and
  renames it over the target, so the target is either the old file, whole, or the new one, whole (a full disk
  leaves the old file as it was). It refuses to replace anything that is not a regular file: writing through a
  symbolic link would change a file somewhere else, and renaming over a device node or a FIFO would replace it.

Every problem is one :class:`WatError` naming the file.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from wat_tui.errors import WatError

_CHUNK = 1 << 20


def _size(n: int) -> str:
    return f"{n / 2**20:.0f} MiB" if n >= 2**20 else f"{n} bytes"


def kind_of(mode: int) -> str:
    """What a file that is not a regular one is, in words."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: Path, limit: int, *, what: str = "file") -> bytes:
    """The bytes of the regular file at ``path``, refusing anything else and anything over ``limit`` bytes.

    Opened without blocking (a FIFO with no writer would otherwise hang the open), then checked on the open
    descriptor, so nothing can be swapped in between the check and the read. The size is checked before
    reading, and the read stops one byte past the limit whatever the size said (a file in /proc says 0).
    ``what`` names the kind of file in the size message ("session bundle" gives "session bundles are
    limited to ...").
    """
    name = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise WatError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise WatError(f"{name}: {kind_of(st.st_mode)}, not a regular file; give the path of a {what}")
        if st.st_size > limit:
            raise WatError(f"{name}: file is {_size(st.st_size)}; {what}s are limited to {_size(limit)}")
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise WatError(f"{name}: file is over {_size(limit)}; {what}s are limited to {_size(limit)}")
        return b"".join(chunks)
    except OSError as exc:
        raise WatError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, what: str = "the file") -> None:
    """Replace (or create) the regular file at ``path`` with ``data``, all or nothing, readable by its owner only.

    ``what`` names the content in messages ("the report": "cannot write the report: No space left on device").
    """
    try:
        st: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise WatError(f"{path}: cannot write {what}: {exc.strerror or exc}") from exc
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise WatError(f"{path}: {kind_of(st.st_mode)}, not a regular file; {what} was not written (give the "
                       "name of a new file, or of a regular file to replace)")
    directory = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)  # mode 0600
    except OSError as exc:
        raise WatError(f"{path}: cannot write {what}: {exc.strerror or exc}") from exc
    try:
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise WatError(f"{path}: cannot write {what}: {exc.strerror or exc}") from exc
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable; best effort (some file systems cannot fsync a directory)."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
