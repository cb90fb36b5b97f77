"""Command palette: jump to any question by typing its id or words from its title."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from wat_tui.ui.text import visible

if TYPE_CHECKING:
    from wat_tui.ui.screens.workspace import WorkspaceScreen


class QuestionCommands(Provider):
    def _workspace(self) -> WorkspaceScreen | None:
        from wat_tui.ui.screens.workspace import WorkspaceScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, WorkspaceScreen):
                return screen
        return None

    def _items(self) -> list[tuple[str, str, str]]:
        ws = self._workspace()
        if ws is None:
            return []
        return [(f"{lens.alias}/{q.id}", f"{q.label} {visible(q.tree_title)}", visible(q.title))
                for lens, q in ws.order]

    async def discover(self) -> Hits:
        ws = self._workspace()
        for key, label, help_text in self._items():
            if ws is not None:
                yield DiscoveryHit(Text(label), partial(ws.go_to_key, key), help=help_text)

    async def search(self, query: str) -> Hits:
        ws = self._workspace()
        if ws is None:
            return
        matcher = self.matcher(query)
        for key, label, help_text in self._items():
            score = max(matcher.match(label), matcher.match(help_text) * 0.8)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(ws.go_to_key, key), help=help_text)
