"""Could not save: what failed, that nothing typed is lost, what to do; and the edit tried again until it is saved.

What the app does when the database cannot take a write (another program holds its lock past the busy timeout,
the disk is full, the file is read-only or damaged: ``wat_tui/store/errors.py``), as the room would expect:

- **A one-shot edit** (a tick, not applicable, parking, undo, the clock, the bell, quitting, any key's action)
  opens this dialog over the screen. It says what failed and what to do, and tries the same edit again every
  :data:`RETRY_EVERY` seconds, and at once on ``r``. When it goes through the dialog closes and says so, and the
  screen shows the saved edit. ``Esc`` gives that one edit up (nothing was changed; the screen shows what is
  stored); ``Ctrl+Q`` quits without it (``WatApp.action_quit``). While the dialog is open nothing else is
  edited, so edits are saved in the order they were made.
- **Text being typed** (a note) stays in its editor: the editor says above the text that it is not saved yet
  and why, keeps trying on its own timer while the typing goes on, and does not close before the text is saved
  (``wat_tui/ui/screens/note_editor.py``). An action item's editor comes back with what was typed in it.
- **Writes the app makes by itself** (the clock's heartbeat, the remembered question) try again on their own
  timers; a notification says that saving fails, and again every half minute while it does.
- **Screens of their own** (the agenda's changes, merging, settling conflicts, a new session) show the message
  where they show any other error, and the same key tries again.
- **Anything else** (a screen that writes as it opens or on Enter: the break screen, starting an agenda block):
  that screen closes, and a notification says what failed and asks to do it again (``WatApp._handle_exception``).

Retrying an edit is safe: a write that failed changed nothing (its transaction was rolled back). Only the first
attempt waits the whole busy timeout for another program's lock (the screen is still meanwhile, and keys typed
then are kept); retries wait briefly (``OpLog.transaction``), so the screen does not freeze while they go on.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Static

from wat_tui.store.errors import StoreError
from wat_tui.ui.base import WatModal
from wat_tui.ui.text import visible

#: Seconds between the dialog's own attempts to save the edit again.
RETRY_EVERY = 2.0
#: An edit to try again: a function doing it once more (it may be a coroutine function).
Retry = Callable[[], object]


def what_to_do(every: float | None = None) -> str:
    """The facilitator's side of it: nothing typed is lost, and wat-tui keeps trying (every ``every`` seconds)."""
    when = f"every {every:g} s " if every else ""
    return f"Nothing you typed is lost: nothing was changed, and wat-tui tries again {when}until it is saved."


class StoreErrorScreen(WatModal[bool]):
    """Dismisses with True once every edit it holds is saved, False when the facilitator gives them up."""

    BINDINGS = [
        Binding("r,enter", "retry", "Try again now", id="store-error-retry"),
        Binding("escape", "give_up", "Leave it unsaved", id="store-error-give-up"),
    ]

    def __init__(self, error: StoreError, retry: Retry) -> None:
        super().__init__()
        self.error = error
        #: The edits waiting to be saved, oldest first.
        self.pending: list[Retry] = [retry]
        self.attempts = 1
        self._busy = False
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="store-error"):
            yield Static(id="store-error-title", classes="dialog-title")
            yield Static(id="store-error-message")
            yield Static(Text("r try again now · Esc leave this change unsaved · Ctrl+Q quit without it"),
                         classes="dialog-help")

    def on_mount(self) -> None:
        self._show()
        self._timer = self.set_interval(RETRY_EVERY, self.action_retry)

    def add(self, error: StoreError, retry: Retry) -> None:
        """Another edit failed meanwhile: it is saved after the ones already waiting."""
        self.pending.append(retry)
        self.error = error
        self._show()

    def _show(self) -> None:
        self.query_one("#store-error-title", Static).update(
            Text(f"Could not save: {self.error.headline}", style="bold"))
        tries = f" (tried {self.attempts} times)" if self.attempts > 1 else ""
        self.query_one("#store-error-message", Static).update(
            Text(f"{visible(str(self.error))}\n\n{what_to_do(RETRY_EVERY)}{tries}"))

    async def action_retry(self) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            while self.pending:
                result = self.pending[0]()
                if inspect.isawaitable(result):
                    await result
                self.pending.pop(0)
        except StoreError as exc:
            self.error = exc
            self.attempts += 1
            self._show()
            return
        finally:
            self._busy = False
        if self._timer is not None:
            self._timer.stop()
        self.wat_app.store_saved()
        self.dismiss(True)

    def action_give_up(self) -> None:
        self.pending.clear()
        self.dismiss(False)
