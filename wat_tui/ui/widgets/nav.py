"""Navigation: lenses -> pillars -> questions, with progress and risk counts on every pillar.

Every label fits the outline's width: a long name is shortened with "…" so that what follows it (a pillar's risk
counts, a question's conflict and parking marks) is never cut off at the edge. Below the outline (where the notes
pane is hidden) it says how many notes and action items the open question has.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from wat_tui.lens.model import Lens, Pillar, Question
from wat_tui.lens.risk import Risk
from wat_tui.review.state import SessionState
from wat_tui.ui.text import plain, visible
from wat_tui.ui.themes import Palette
from wat_tui.ui.widgets.badges import BADGES, risk_colour


@dataclass(frozen=True)
class NodeRef:
    alias: str
    pillar_id: str | None = None
    question_id: str | None = None

    @property
    def key(self) -> str | None:
        return f"{self.alias}/{self.question_id}" if self.question_id else None


class NavTree(Tree[NodeRef]):
    """The review's outline; highlighting a question opens it."""

    @dataclass
    class QuestionChosen(Message):
        key: str

    def __init__(self, **kwargs: object) -> None:
        #: Node id -> the part of its label (start, end) shortened to fit the width; what follows it stays whole.
        #: Set first: the tree renders its root's label while it is made.
        self._name_span: dict[int, tuple[int, int]] = {}
        super().__init__("Review", **kwargs)  # type: ignore[arg-type]
        self.show_root = False
        self.guide_depth = 2
        self._question_nodes: dict[str, TreeNode[NodeRef]] = {}
        self._pillar_nodes: dict[tuple[str, str], TreeNode[NodeRef]] = {}
        #: Question key -> its lens and pillar, so relabelling one question never walks the whole lens.
        self._place: dict[str, tuple[Lens, Pillar]] = {}
        self._state: SessionState | None = None
        #: Question keys with open merge conflicts (answers, notes or action items), badged with ⚡.
        self.conflicted: set[str] = set()
        #: Question keys in the parking lot, marked "⇢ parked" (the workspace sets it from the session clock).
        self.parked: frozenset[str] = frozenset()
        self._moving = False
        self._palette: Palette | None = None

    def load(self, state: SessionState, palette: Palette) -> None:
        self._state, self._palette = state, palette
        self.clear()
        self._question_nodes.clear()
        self._pillar_nodes.clear()
        self._place.clear()
        self._name_span.clear()
        for lens in state.lenses:
            name = plain(lens.name, "bold", single_line=True)
            lnode = self.root.add(name, data=NodeRef(lens.alias), expand=True)
            self._name_span[lnode.id] = (0, len(name))
            for pillar in lens.pillars:
                risks = self._risks(lens, pillar)
                pnode = lnode.add("", data=NodeRef(lens.alias, pillar.id))
                self._set(pnode, self._pillar_label(pillar, risks))
                self._pillar_nodes[(lens.alias, pillar.id)] = pnode
                for q, risk in zip(pillar.questions, risks, strict=True):
                    qnode = pnode.add_leaf("", data=NodeRef(lens.alias, pillar.id, q.id))
                    self._set(qnode, self._question_label(lens, q, risk))
                    self._question_nodes[f"{lens.alias}/{q.id}"] = qnode
                    self._place[f"{lens.alias}/{q.id}"] = (lens, pillar)

    def refresh_labels(self, state: SessionState, palette: Palette, key: str | None = None) -> None:
        """Relabel one question (and its pillar) or everything, after an edit or a theme change."""
        self._state, self._palette = state, palette
        if key is not None:
            place = self._place.get(key)
            if place is not None:
                lens, pillar = place
                risks = self._risks(lens, pillar)
                self._set(self._pillar_nodes[(lens.alias, pillar.id)], self._pillar_label(pillar, risks))
                for q, risk in zip(pillar.questions, risks, strict=True):
                    if f"{lens.alias}/{q.id}" == key:
                        self._set(self._question_nodes[key], self._question_label(lens, q, risk))
            return
        for lens in state.lenses:
            for pillar in lens.pillars:
                risks = self._risks(lens, pillar)
                self._set(self._pillar_nodes[(lens.alias, pillar.id)], self._pillar_label(pillar, risks))
                for q, risk in zip(pillar.questions, risks, strict=True):
                    self._set(self._question_nodes[f"{lens.alias}/{q.id}"], self._question_label(lens, q, risk))

    def _set(self, node: TreeNode[NodeRef], label: tuple[Text, int, int]) -> None:
        """Give ``node`` its label and remember which part of it gives way when the outline is narrow."""
        text, start, end = label
        self._name_span[node.id] = (start, end)
        _relabel(node, text)

    def render_label(self, node: TreeNode[NodeRef], base_style: Style, style: Style) -> Text:
        """The label fitted to the outline's width: its name shortened with "…", what follows the name kept."""
        text = super().render_label(node, base_style, style)
        span = self._name_span.get(node.id)
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        # The scrollbar's column is always left free: lines measured before it appears must still fit after.
        room = self.size.width - self.styles.scrollbar_size_vertical - depth * self.guide_depth
        over = text.cell_len - room
        if span is None or room <= 0 or over <= 0:
            return text
        shift = len(text) - len(node.label)  # the expand/collapse icon before the label
        start, end = span[0] + shift, span[1] + shift
        name = text[start:end]
        name.truncate(max(3, name.cell_len - over), overflow="ellipsis")
        return Text.assemble(text[:start], name, text[end:])

    def _risks(self, lens: Lens, pillar: Pillar) -> list[Risk]:
        """Each question's risk, worked out once for the pillar's label and the questions' own."""
        assert self._state is not None
        return [self._state.risk(lens, q) for q in pillar.questions]

    def _pillar_label(self, pillar: Pillar, risks: list[Risk]) -> tuple[Text, int, int]:
        """The pillar's name, then how many questions are answered and its high and medium risks (▲ and ●)."""
        assert self._palette is not None
        answered = sum(r is not Risk.UNANSWERED for r in risks)
        label = Text()
        label.append(visible(pillar.name, single_line=True), style="bold")
        end = len(label)
        label.append(f" {answered}/{len(risks)}", style=self._palette.muted)
        high, med = risks.count(Risk.HIGH), risks.count(Risk.MEDIUM)
        if high:
            label.append(f" ▲{high}", style=f"bold {self._palette.high}")
        if med:
            label.append(f" ●{med}", style=f"bold {self._palette.medium}")
        return label, 0, end

    def _question_label(self, lens: Lens, q: Question, risk: Risk) -> tuple[Text, int, int]:
        """The risk's symbol, the question's label and short title, then its marks: ⚡ a conflict, ⇢ parked."""
        assert self._palette is not None
        symbol, _ = BADGES[risk]
        colour = risk_colour(risk, self._palette)
        label = Text()
        label.append(f"{symbol} ", style=f"bold {colour}")
        label.append(visible(q.label, single_line=True), style=f"bold {colour}")
        start = len(label)
        label.append_text(plain(f" {q.tree_title}", single_line=True))
        end = len(label)
        key = f"{lens.alias}/{q.id}"
        if key in self.conflicted:
            label.append(" ⚡", style=self._palette.warning)
        if key in self.parked:
            label.append(" ⇢ parked", style=f"bold {self._palette.warning}")
        return label, start, end

    def select_question(self, key: str) -> None:
        """Show ``key`` as the cursor's place without reporting it back as the user's choice."""
        self._say_notes(key)
        node = self._question_nodes.get(key)
        if node is None:
            return
        self._moving = True
        parent = node.parent
        hidden = False
        while parent is not None:
            if not parent.is_expanded:
                hidden = True
                parent.expand()
            parent = parent.parent
        if hidden:
            # A node under a pillar that was closed has no line until the tree lays itself out again.
            self.call_after_refresh(self._settle, node)
        else:
            self._settle(node)

    def _say_notes(self, key: str) -> None:
        """Under the outline (shown where the notes pane is hidden): the question's notes and action items, and
        the key that shows them."""
        if self._state is None:
            return
        notes, actions = len(self._state.notes_for(key)), len(self._state.actions_for(key))
        self.border_subtitle = (f"{notes} note{'s' if notes != 1 else ''} · "
                                f"{actions} action{'s' if actions != 1 else ''} (v)")

    def _settle(self, node: TreeNode[NodeRef]) -> None:
        self.move_cursor(node)
        self.call_after_refresh(self._done_moving)

    def _done_moving(self) -> None:
        self._moving = False

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        event.stop()
        data = event.node.data
        # Only the facilitator moving through the outline opens questions; our own cursor moves (and the
        # highlights that expanding a pillar causes on the way) do not.
        if self._moving or not self.has_focus or data is None or data.key is None:
            return
        self.post_message(self.QuestionChosen(data.key))

    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeRef]) -> None:
        event.stop()
        data = event.node.data
        if data is not None and data.key is not None:
            self.post_message(self.QuestionChosen(data.key))


def _relabel(node: TreeNode[NodeRef], label: Text) -> None:
    """Set a label only when it changed: every new label makes the tree lay out its lines again."""
    if node.label != label:
        node.set_label(label)
