"""The app, typed, for every screen and widget: ``self.wat_app`` instead of ``self.app`` and a cast each time."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.message_pump import MessagePump
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from wat_tui.ui.app import WatApp

ResultType = TypeVar("ResultType")


class UsesWatApp:
    """Mixin for a screen or widget of wat-tui: :attr:`wat_app` is the running :class:`WatApp`."""

    @property
    def wat_app(self) -> WatApp:
        """The app: its review, palette and clock, and its one guard around writes (:meth:`WatApp.save`)."""
        return cast("WatApp", cast(MessagePump, self).app)


class WatScreen(UsesWatApp, Screen[ResultType]):
    """A full screen of wat-tui."""


class WatModal(UsesWatApp, ModalScreen[ResultType]):
    """A dialog of wat-tui, over the screen it was opened from."""
