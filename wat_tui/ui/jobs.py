"""Slow work off the UI thread: a merge, its preview, a report. The clocks keep repainting and keys keep working.

A job runs in a thread worker on a database connection of its own (:func:`open_own_review`), never on the app's
:class:`Review`, whose SQLite connection belongs to the UI thread. It says what it is doing (:meth:`Job.step`),
hands a plain result back, and closes its connection; the screen then reloads from the app's own Review (WAL lets
both connections work). A job can be stopped until it starts writing (:meth:`Job.writing`); after that it runs to
its end, so a merge is never cut off halfway (it is one transaction anyway). An error of the job (a bad file, a
database that refuses the write) comes back as one message for the screen to show: :func:`problem_text`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from wat_tui.errors import WatError
from wat_tui.review.service import Review
from wat_tui.store.errors import StoreError
from wat_tui.store.paths import DB_NAME
from wat_tui.ui.base import UsesWatApp
from wat_tui.ui.text import plain

#: The worker group of the dialogs' jobs.
GROUP = "wat-job"


class JobStopped(Exception):
    """The facilitator stopped the job before it wrote anything."""


@dataclass(frozen=True)
class Where:
    """Which database a job opens: the app's data directory, checked to hold the very database the app has open."""

    directory: Path
    writer_id: str


def where_the_app_is(review: Review) -> Where:
    """The data directory of the app's database (also when it was started with ``--data-dir``);
    :func:`open_own_review` checks it by the writer id."""
    return Where(review.data_dir, review.writer_id)


def open_own_review(where: Where) -> Review:
    """A second connection to the app's database, for a job's thread. Never creates a database: a directory
    without the app's database (another writer id) is a :class:`WatError`, so a job cannot write elsewhere."""
    if not (where.directory / DB_NAME).exists():
        raise WatError(f"{where.directory}: the database this app has open is not there, so the work cannot run "
                       "in the background; run it from the command line (wat-tui merge / wat-tui report)")
    review = Review.open(where.directory)
    if review.writer_id != where.writer_id:
        review.close()
        raise WatError(f"{where.directory / DB_NAME}: not the database this app has open (it was started with "
                       "--data-dir, or the directory was replaced); run it from the command line with the same "
                       "--data-dir")
    return review


class Job:
    """What the work function gets in its thread: where to say what it does, and whether to stop."""

    def __init__(self, line: JobLine) -> None:
        self._line = line
        # Stopping (UI thread) and starting to write (the job's thread) must not both happen: one lock decides.
        self._lock = threading.Lock()
        self._stopped = False
        #: Set in the thread once the job writes: from then on it is not stopped.
        self.is_writing = False

    def stop(self) -> bool:
        """Ask the job to stop, from the UI thread; False when it already writes (it then runs to its end)."""
        with self._lock:
            self._stopped = not self.is_writing
            return self._stopped

    def step(self, text: str) -> None:
        """Say what is happening now; the job ends here if it was stopped."""
        self.check()
        self._line.post_message(JobLine.Step(self, text))

    def check(self) -> None:
        if self._stopped:
            raise JobStopped

    def writing(self, text: str) -> None:
        """The last point to stop: what follows writes, and runs to its end."""
        with self._lock:
            self.check()
            self.is_writing = True
        self._line.post_message(JobLine.Step(self, text))


def problem_text(error: BaseException) -> Text:
    """A job's failure as one message: what went wrong, and for the database's refusals, what to do."""
    if isinstance(error, StoreError):
        return plain(f"Could not save: {error.headline}.\n{error}\n"
                     "Nothing was changed; the same key tries again.", "bold")
    if isinstance(error, WatError):
        return plain(str(error), "bold")
    return plain(f"Something went wrong inside wat-tui: {type(error).__name__}: {error}", "bold")


class JobLine(UsesWatApp, Horizontal):
    """Runs a dialog's jobs, one at a time, and is the line that says what the running one does (with a spinner).

    :meth:`start` a job; the dialog hears :class:`Done` or :class:`Failed` (a stopped job says nothing).
    """

    DEFAULT_CSS = """
    JobLine { height: 1; display: none; }
    JobLine.-running { display: block; }
    JobLine LoadingIndicator { width: 5; height: 1; min-height: 1; }
    JobLine #job-step { width: 1fr; }
    """

    @dataclass
    class Step(Message):
        """A job's progress, posted from its thread."""

        job: Job
        text: str

    @dataclass
    class Done(Message):
        """A job finished: its name and its result."""

        name: str
        result: Any

    @dataclass
    class Failed(Message):
        """A job failed: its name and what to tell the facilitator."""

        name: str
        message: Text

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name for it
        super().__init__(id=id)
        self._job: Job | None = None
        self._worker: Worker[Any] | None = None

    def compose(self) -> ComposeResult:
        yield LoadingIndicator()
        yield Static(id="job-step")

    @property
    def running(self) -> str | None:
        """The running job's name, or None."""
        return self._worker.name if self._worker is not None else None

    @property
    def writing(self) -> bool:
        """The running job has started writing: it cannot be stopped now."""
        return self._job is not None and self._job.is_writing

    def start(self, name: str, first_step: str, work: Callable[[Review, Job], object]) -> bool:
        """Run ``work`` on its own connection in a thread, saying ``first_step``. A running job that has not
        started writing is stopped first; one that has is left to finish, and nothing starts (False)."""
        if self._worker is not None and not self.stop():
            return False
        where = where_the_app_is(self.wat_app.review)
        now = self.wat_app.clock.now
        job = self._job = Job(self)

        def run() -> object:
            job.check()
            review = open_own_review(where)
            try:
                review.set_clock(now)  # stamped by the clock the app reads, as its own edits are
                return work(review, job)
            finally:
                review.close()

        self._show(first_step)
        self._worker = self.run_worker(run, name=name, group=GROUP, exclusive=True, thread=True,
                                       exit_on_error=False)
        return True

    def stop(self) -> bool:
        """Stop the running job unless it is writing; True when one was stopped."""
        if self._worker is None or self._job is None or not self._job.stop():
            return False
        self._worker.cancel()
        self._ended()
        return True

    def _ended(self) -> None:
        self._worker = self._job = None
        self._show(None)

    def _show(self, text: str | None) -> None:
        self.set_class(text is not None, "-running")
        self.query_one("#job-step", Static).update(plain(text or "", single_line=True))

    @on(Step)
    def _step(self, event: Step) -> None:
        event.stop()
        if event.job is self._job:  # not a stopped job's last words
            self._show(event.text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        event.stop()
        worker = event.worker
        if worker is not self._worker or not worker.is_finished:
            return
        self._ended()
        if event.state == WorkerState.SUCCESS:
            self.post_message(self.Done(worker.name, worker.result))
        elif event.state == WorkerState.ERROR and not isinstance(worker.error, JobStopped):
            error = worker.error
            assert error is not None
            if not isinstance(error, WatError):
                self.log.error("background job failed", error)
            self.post_message(self.Failed(worker.name, problem_text(error)))
