"""Python's cyclic garbage collector runs while nobody is pressing keys, not in the middle of a keypress.

Textual keeps many small objects alive (each drawn line keeps caches of its cut and styled copies), and a full
pass of the collector over them took 40-80 ms. Left to itself the collector starts such a pass whenever enough
objects have been made, which is while a key is being answered: one keypress in ten or so took 40-100 ms instead
of 15. While the app is open:

- the objects alive after start-up are frozen (``gc.freeze``), so the frequent young-generation passes skip them;
- the collector's own full passes are off, and its young passes come only after many more objects than a
  keypress makes (:data:`YOUNG`): the young generations are collected :data:`YOUNG_AFTER` seconds after a key
  (:meth:`IdleCollector.young_pass`, under a millisecond), when its frame has long been drawn and the next key is
  rarely there yet; a pass in the middle of a keypress added 1.5-2.6 ms to one in four;
- once the keys and the mouse have been still for :data:`QUIET` seconds, one pass runs over what was made since the
  last one, and what is left is frozen too. Every :data:`THAW` seconds that pass thaws everything first, so a
  cycle that became garbage while frozen (a closed dialog's widgets) is freed too: that pass takes about 100 ms,
  the others a few.

When the app closes, everything is thawed and the collector's thresholds are as they were.
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

#: Seconds without a key or a mouse event before the full pass runs.
QUIET = 1.0
#: Seconds between the quiet passes that thaw everything first.
THAW = 300.0
#: The oldest generation's threshold while the app is open: automatic full passes never come.
NEVER = 1_000_000_000
#: The young generation's threshold while the app is open: more objects than a keypress makes, so the young
#: generations are collected a moment after the key (:meth:`IdleCollector.young_pass`), not while it is answered; the
#: threshold is there for work that makes many objects without a key (an import, a merge).
YOUNG = 50_000
#: Seconds after a key before the young generations are collected: a keypress's frame takes 10-20 ms. (Waiting
#: for the frame itself is not possible from outside Textual: a callback "after refresh" asked for as the key
#: arrives runs before the key reaches the screen.)
YOUNG_AFTER = 0.05


class IdleCollector:
    def __init__(self) -> None:
        self._thresholds: tuple[int, int, int] | None = None
        self._timer: Timer | None = None
        self._thawed = 0.0
        #: Quiet passes run so far, and how many of them thawed everything first (the tests read them).
        self.passes = 0
        self.thaws = 0
        self.young_passes = 0
        self._young_due = False

    def start(self, app: App[Any]) -> None:
        """Freeze what start-up made and hand full passes to quiet moments."""
        if self._thresholds is not None:
            return
        self._thresholds = gc.get_threshold()
        gc.freeze()  # no pass first: start-up's garbage waits for the first thawing pass, not the first screen
        self._thawed = time.monotonic()
        _, middle, _ = self._thresholds
        gc.set_threshold(YOUNG, middle, NEVER)
        self._timer = app.set_interval(QUIET, self.collect, pause=True, name="idle collector")

    def stirred(self, app: App[Any]) -> None:
        """A key or the mouse: the young generations are collected shortly after it, and the full pass waits for
        the next quiet moment."""
        if self._timer is not None:
            self._timer.reset()
            self._timer.resume()
            if not self._young_due:
                self._young_due = True
                app.set_timer(YOUNG_AFTER, self.young_pass, name="young collector")

    def young_pass(self) -> None:
        """The young generations collected between keys (one pass for the keys of the last moment)."""
        self._young_due = False
        if self._thresholds is not None:
            gc.collect(1)
            self.young_passes += 1

    def collect(self, *, thaw: bool = False) -> None:
        """One pass over what is not frozen (everything, if ``thaw`` or it is time to), then freeze what lived."""
        if self._timer is not None:
            self._timer.pause()
        if thaw or time.monotonic() - self._thawed >= THAW:
            gc.unfreeze()
            self._thawed = time.monotonic()
            self.thaws += 1
        gc.collect()
        gc.freeze()
        self.passes += 1

    def stop(self) -> None:
        """The app is closing: everything is collectable again, with the collector's own thresholds."""
        if self._thresholds is None:
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        gc.unfreeze()
        gc.set_threshold(*self._thresholds)
        self._thresholds = None
