"""Who facilitates on this laptop: asked once, on the first start (or given with ``wat-tui --as NAME``).

The name signs the notes written here and, after a merge, tells the other laptops whose answer is whose in a
conflict (the computer account is often the same ``root`` on every training VM)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from wat_tui.errors import WatError
from wat_tui.review.service import MAX_FACILITATOR_NAME
from wat_tui.store.errors import StoreError
from wat_tui.ui.base import WatModal
from wat_tui.ui.text import plain


class FacilitatorNameScreen(WatModal[str | None]):
    """Dismisses with the name that was saved, or None when the facilitator chose to say it later."""

    BINDINGS = [Binding("escape", "later", "Later")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="facilitator-name"):
            yield Static(Text("Who facilitates on this laptop?", "bold"), classes="dialog-title")
            yield Static(Text("Your name signs the notes written here, and other laptops show it after a merge. "
                              "Asked once; 'wat-tui --as NAME' changes it."))
            yield Input(value=self.wat_app.review.writer_name, max_length=MAX_FACILITATOR_NAME,
                        placeholder="Your name", id="facilitator-name-input")
            yield Static(id="facilitator-name-problem")
            yield Static(Text("Enter save · Esc later"), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            self.wat_app.review.set_facilitator_name(event.value)
        except StoreError as exc:
            self.wat_app.store_failed(exc)  # the dialog stays open with the name: Enter tries again
            return
        except WatError as exc:
            self.query_one("#facilitator-name-problem", Static).update(plain(str(exc), "bold"))
            return
        self.dismiss(self.wat_app.review.writer_name)

    def action_later(self) -> None:
        self.dismiss(None)
