"""The agenda planner and the agenda editing operations: pure functions, no I/O, no clock.

An agenda is an ordered list of :class:`Block`. :func:`plan_agenda` proposes one from the planned duration,
the workload type's pillar priorities and the session's lenses::

    blocks = plan_agenda(300, presets().workload_type("financial"), state.lenses)
    rows = schedule(blocks, start)          # planned start and end of every block

The proposal is: an opening block (context, goals, roles); one block per pillar of the first (main) lens, in
the workload type's priority order; one block per extra lens; a wrap-up (top risks, next steps); and breaks.

- Breaks: as many ``break_minutes`` breaks as fit one per ``break_every_minutes`` of work with at least
  ``min_work_after_break`` after the last; in sessions over ``long_break_over_minutes`` one of them is a
  ``long_break_minutes`` break (lunch), the one nearest the middle. A break goes between two blocks (a pillar
  is never split), at the boundaries that make the stretches of work most even; if the blocks are too coarse
  for that many breaks, there is one fewer.
- Opening and wrap-up: ``opening_minutes`` and ``wrapup_minutes``, cut to an eighth of the working time in
  short sessions.
- Priorities decide the time of the pillar and lens blocks (the review time, what opening, wrap-up and breaks
  leave). Each extra lens first takes ``lens_share`` of it, kept within ``lens_min_minutes`` and
  ``lens_max_minutes``, and all extra lenses together at most ``lens_max_share``. The pillars share the rest by
  tier: a pillar block gets ``primary_weight``, ``secondary_weight`` or ``other_weight`` shares, so the tiers'
  totals never depend on question counts. Question counts only split a tier's time among its pillars, each
  kept within ``question_spread`` of the tier's even share; the primary pillars, in priority order, are then
  made non-increasing (a first primary with fewer questions than the second shares equally with it). The
  defaults of these settings come from ``[planner]`` in content/workload-types.toml (read once, through
  ``presets()``), whose loader guarantees ``(1 - spread) * primary >= secondary > (1 + spread) * other``, hence
  first primary >= second primary >= secondary > every other pillar. The facilitator's guide
  (03-running-the-room.md) quotes what this gives in a five-hour session, and a test keeps the two in step. A
  lens block stands outside the tiers: it may get more than an other pillar, in a short session even more
  than a primary one.
- The minutes add up exactly to the planned duration (largest-remainder rounding, which never gives a smaller
  target more minutes than a larger one), and every block gets at least ``min_block_minutes`` unless the
  session is too short for that, when the minimum shrinks to what fits, down to one minute.
- Every duration from one minute up plans (``wat-tui new`` accepts 1 to 1,440): a session too short for one
  minute per block, or a lens with more pillars than a stored agenda holds blocks (``AGENDA_BLOCKS_MAX``), gets
  one block per lens instead of one per pillar (the main lens in the pillars' place in the tiers); too short
  for an opening and a wrap-up around those, it gets only the lens blocks that fit, the main lens first, and
  no lens at all gives one opening block. Breaks never take the agenda past ``AGENDA_BLOCKS_MAX`` blocks.
- Short sessions degrade gracefully: the order above never inverts, but once the lower tiers fall to the block
  minimum they tie with each other (below about 75 minutes the secondary can tie with the other pillars; from
  90 minutes up with the Well-Architected lens alone, and from 120 minutes with extra lenses, the order is
  strict).

Editing (:func:`move_block`, :func:`set_block_minutes`, :func:`add_break`, :func:`remove_break`) returns a new
list. A duration change keeps the end time by default (``keep_end=True``): the difference is taken from, or
given to, the *other pillar and lens blocks* in proportion to their minutes (opening, wrap-up and breaks are
the facilitator's fixed points and never change behind their back). ``keep_end=False`` leaves every other
block alone and moves the end instead. An edit that cannot keep the end (the others are at their minimum)
raises WatError.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal, cast

from wat_tui.errors import NotFound, WatError
from wat_tui.lens.model import Lens, Question
from wat_tui.review.targets import AGENDA_BLOCKS_MAX
from wat_tui.review.workload_types import PlannerShares, WorkloadType, presets

BlockKind = Literal["opening", "pillar", "lens", "break", "wrapup"]
BLOCK_KINDS: tuple[str, ...] = ("opening", "pillar", "lens", "break", "wrapup")
#: Blocks whose minutes absorb the difference when another block changes and the end must stay put.
FLEXIBLE_KINDS = ("pillar", "lens")
OPENING_TITLE = "Opening: context, goals, roles"
WRAPUP_TITLE = "Wrap-up: top risks, next steps"


def _shares() -> PlannerShares:
    return presets().planner


@dataclass(frozen=True)
class PlannerSettings:
    """What a team may tune. The opening, wrap-up and break defaults follow the facilitator's guide; the time
    shares (weights, question spread, lens share) default to the ``[planner]`` section of
    ``content/workload-types.toml``, the data the guide's timebox table is checked against."""

    opening_minutes: int = 20
    wrapup_minutes: int = 20
    break_every_minutes: int = 90
    break_minutes: int = 10
    long_break_minutes: int = 30
    #: Sessions strictly longer than this get one long break (lunch) near the middle.
    long_break_over_minutes: int = 300
    #: No break is planned unless at least this much work follows it.
    min_work_after_break: int = 30
    min_block_minutes: int = 5
    #: Share of the pillar time one pillar block gets, by priority tier.
    primary_weight: float = field(default_factory=lambda: _shares().primary)
    secondary_weight: float = field(default_factory=lambda: _shares().secondary)
    other_weight: float = field(default_factory=lambda: _shares().other)
    #: How far question counts may move a pillar from its tier's even share (a fraction, either way).
    question_spread: float = field(default_factory=lambda: _shares().question_spread)
    #: Each extra lens gets this share of the review time, kept within the lens minimum and maximum ...
    lens_share: float = field(default_factory=lambda: _shares().lens_share)
    lens_min_minutes: int = field(default_factory=lambda: _shares().lens_minutes[0])
    lens_max_minutes: int = field(default_factory=lambda: _shares().lens_minutes[1])
    #: ... and all extra lenses together at most this share of it.
    lens_max_share: float = field(default_factory=lambda: _shares().lens_max_share)
    breaks: bool = True


@dataclass(frozen=True)
class Block:
    id: str
    kind: BlockKind
    title: str
    minutes: int
    #: Pillar id, for pillar blocks.
    pillar: str | None = None
    #: Lens alias, for pillar and lens blocks.
    lens: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "title": self.title, "minutes": self.minutes,
                "pillar": self.pillar, "lens": self.lens}

    @classmethod
    def from_dict(cls, value: Any, where: str) -> Block:
        """Decode a stored block; ``where`` names the place for the error message."""
        if not isinstance(value, dict):
            raise WatError(f"{where}: expected an object, got {type(value).__name__}")
        kind = value.get("kind")
        if kind not in BLOCK_KINDS:
            raise WatError(f"{where}: unknown block kind {kind!r}")
        minutes = value.get("minutes")
        if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 0:
            raise WatError(f"{where}: minutes must be a whole number >= 0, got {minutes!r}")
        for key in ("id", "title"):
            if not isinstance(value.get(key), str):
                raise WatError(f"{where}: {key} must be text")
        for key in ("pillar", "lens"):
            if value.get(key) is not None and not isinstance(value.get(key), str):
                raise WatError(f"{where}: {key} must be text or null")
        return cls(value["id"], cast(BlockKind, kind), value["title"], minutes, value.get("pillar"),
                   value.get("lens"))


@dataclass(frozen=True)
class ScheduledBlock:
    block: Block
    start: datetime
    end: datetime


def new_block_id() -> str:
    return str(uuid.uuid4())


def total_minutes(blocks: Sequence[Block]) -> int:
    return sum(b.minutes for b in blocks)


def schedule(blocks: Sequence[Block], start: datetime) -> list[ScheduledBlock]:
    """Planned start and end of every block when the session starts at ``start``."""
    out = []
    t = start
    for b in blocks:
        end = t + timedelta(minutes=b.minutes)
        out.append(ScheduledBlock(b, t, end))
        t = end
    return out


def block_questions(block: Block, lenses: Sequence[Lens]) -> list[tuple[Lens, Question]]:
    """The questions a block covers: its pillar's (pillar blocks), its lens's (lens blocks), else none."""
    for lens in lenses:
        if lens.alias != block.lens:
            continue
        if block.kind == "pillar":
            pillar = lens.pillar(block.pillar or "")
            return [(lens, q) for q in pillar.questions] if pillar else []
        if block.kind == "lens":
            return [(lens, q) for q in lens.questions]
    return []


# -- apportioning --------------------------------------------------------------------------------------------


def apportion(total: int, weights: Sequence[float], minimum: int) -> list[int]:
    """Split ``total`` whole minutes in proportion to ``weights``, each share >= ``minimum``, summing exactly.

    Shares that would fall under the minimum are pinned to it and the rest re-split (water-filling); the
    others are rounded by largest remainder. Requires ``minimum * len(weights) <= total``.
    """
    n = len(weights)
    if n == 0:
        return []
    if minimum * n > total:
        raise ValueError(f"cannot give {n} blocks {minimum} minutes each out of {total}")
    w = [max(float(x), 1e-9) for x in weights]
    pinned: set[int] = set()
    while True:
        free = total - minimum * len(pinned)
        wsum = sum(w[i] for i in range(n) if i not in pinned)
        exact = {i: free * w[i] / wsum for i in range(n) if i not in pinned}
        low = {i for i, share in exact.items() if share < minimum}
        if not low:
            break
        pinned |= low
    out = [minimum] * n
    for i, share in exact.items():
        out[i] = int(share)
    left = total - sum(out)
    by_remainder = sorted(exact, key=lambda i: (-(exact[i] - int(exact[i])), i))
    for i in by_remainder[:left]:
        out[i] += 1
    return out


# -- the planner ---------------------------------------------------------------------------------------------


def _break_lengths(total: int, s: PlannerSettings) -> list[int]:
    """How many breaks fit (each after a full stretch of work, enough work after the last); their lengths."""
    if not s.breaks or s.break_every_minutes <= 0:
        return []
    long_needed = total > s.long_break_over_minutes
    n = 0
    while True:
        trial = _lengths(n + 1, long_needed, s)
        if total - sum(trial) < (n + 1) * s.break_every_minutes + s.min_work_after_break:
            break
        n += 1
    return _lengths(n, long_needed, s)


def _lengths(n: int, long_needed: bool, s: PlannerSettings) -> list[int]:
    lengths = [s.break_minutes] * n
    if long_needed and n:
        lengths[n // 2] = s.long_break_minutes
    return lengths


_Tier = Literal["primary", "secondary", "other", "lens"]


@dataclass(frozen=True)
class _Content:
    """A pillar or lens block still without minutes, with its tier and question count."""

    block: Block
    tier: _Tier
    questions: int


def _tier(pillar_id: str, wt: WorkloadType) -> _Tier:
    if pillar_id in wt.primary:
        return "primary"
    if pillar_id == wt.secondary:
        return "secondary"
    return "other"


def _content_blocks(wt: WorkloadType, lenses: Sequence[Lens], new_id: Callable[[], str]) -> list[_Content]:
    """Pillar blocks of the main lens in priority order, then one block per extra lens."""
    if not lenses:
        return []
    main = lenses[0]
    order = wt.pillar_order()
    rank = {p: i for i, p in enumerate(order)}
    pillars = sorted((p for p in main.pillars if p.questions),
                     key=lambda p: rank.get(p.id, len(order)))  # stable: unknown pillars keep lens order
    content = [_Content(Block(new_id(), "pillar", p.name, 0, pillar=p.id, lens=main.alias), _tier(p.id, wt),
                        len(p.questions))
               for p in pillars]
    content += [_Content(Block(new_id(), "lens", lens.name, 0, lens=lens.alias), "lens", len(lens.questions))
                for lens in lenses[1:] if lens.questions]
    return content


def _lens_blocks(lenses: Sequence[Lens], new_id: Callable[[], str]) -> list[_Content]:
    """One block per lens, the main lens's pillars merged into one, for sessions too short (or lenses too wide)
    for a block per pillar. The main lens stands where its pillars stood: it takes what the extra lenses leave."""
    main = [_Content(Block(new_id(), "lens", lens.name, 0, lens=lens.alias), "primary", len(lens.questions))
            for lens in lenses[:1] if lens.questions]
    return main + [_Content(Block(new_id(), "lens", lens.name, 0, lens=lens.alias), "lens", len(lens.questions))
                   for lens in lenses[1:] if lens.questions]


def _bare_agenda(planned_minutes: int, content: Sequence[_Content], s: PlannerSettings,
                 new_id: Callable[[], str]) -> list[Block]:
    """Too short for an opening and a wrap-up: the lens blocks that fit (at most one per minute), shared as the
    planner shares review time; with no lens, one opening block."""
    if not content:
        return [Block(new_id(), "opening", OPENING_TITLE, planned_minutes)]
    minutes = apportion(planned_minutes, _targets(content, planned_minutes, s), 1)
    return [replace(c.block, minutes=m) for c, m in zip(content, minutes, strict=True)]


def _spread_split(pool: float, counts: Sequence[int], spread: float) -> list[float]:
    """Split ``pool`` in proportion to ``counts``, each share kept within ``spread`` of the even share.

    Finds the factor k with sum(clamp(k * count, low, high)) == pool by bisection (the sum grows with k).
    """
    even = pool / len(counts)
    low, high = even * (1 - spread), even * (1 + spread)
    if spread <= 0 or len(counts) == 1 or pool <= 0:
        return [even] * len(counts)
    counts = [max(c, 1) for c in counts]

    def shares(k: float) -> list[float]:
        return [min(high, max(low, k * c)) for c in counts]

    lo_k, hi_k = 0.0, high / min(counts)
    for _ in range(100):
        mid = (lo_k + hi_k) / 2
        lo_k, hi_k = (mid, hi_k) if sum(shares(mid)) < pool else (lo_k, mid)
    out = shares(hi_k)
    scale = pool / sum(out)  # the last rounding error of the bisection
    return [x * scale for x in out]


def _non_increasing(values: Sequence[float]) -> list[float]:
    """The closest non-increasing sequence with the same sum: runs that rise are replaced by their mean
    (pool adjacent violators), so an earlier priority never gets less than a later one."""
    pools: list[tuple[float, int]] = []
    for v in values:
        total, n = v, 1
        while pools and pools[-1][0] / pools[-1][1] < total / n:
            t, m = pools.pop()
            total, n = total + t, n + m
        pools.append((total, n))
    out: list[float] = []
    for total, n in pools:
        out += [total / n] * n
    return out


def _targets(content: Sequence[_Content], total: int, s: PlannerSettings) -> list[float]:
    """The exact (unrounded) minutes of every content block, summing to ``total``: extra lenses first, then
    the pillar tiers, then question counts within each tier."""
    out = [0.0] * len(content)
    lens_at = [i for i, c in enumerate(content) if c.tier == "lens"]
    pillar_at = [i for i, c in enumerate(content) if c.tier != "lens"]
    if not pillar_at:  # nothing but extra lenses: they share the time evenly
        return [total / len(content)] * len(content)
    per_lens = 0.0
    if lens_at:
        per_lens = min(max(s.lens_share * total, s.lens_min_minutes), s.lens_max_minutes)
        per_lens = min(per_lens, s.lens_max_share * total / len(lens_at))
        for i in lens_at:
            out[i] = per_lens
    weight = {tier: max(w, 1e-9) for tier, w in
              (("primary", s.primary_weight), ("secondary", s.secondary_weight), ("other", s.other_weight))}
    units = sum(weight[content[i].tier] for i in pillar_at)
    unit = max(0.0, total - per_lens * len(lens_at)) / units
    for tier in ("primary", "secondary", "other"):
        members = [i for i in pillar_at if content[i].tier == tier]
        if not members:
            continue
        shares = _spread_split(len(members) * weight[tier] * unit, [content[i].questions for i in members],
                               s.question_spread)
        if tier == "primary":  # in priority order: the first primary never gets less than the second
            shares = _non_increasing(shares)
        for i, x in zip(members, shares, strict=True):
            out[i] = x
    return out


def plan_agenda(planned_minutes: int, workload_type: WorkloadType, lenses: Sequence[Lens],
                settings: PlannerSettings | None = None,
                new_id: Callable[[], str] = new_block_id) -> list[Block]:
    """Propose an agenda whose minutes add up exactly to ``planned_minutes`` (see the module docstring)."""
    s = settings or PlannerSettings()
    if planned_minutes < 1:
        raise WatError(f"planned duration of {planned_minutes} min is too short for any agenda (at least 1 min)")
    # Every block needs a minute, and a stored agenda holds at most AGENDA_BLOCKS_MAX blocks.
    fits = min(planned_minutes, AGENDA_BLOCKS_MAX)
    content = _content_blocks(workload_type, lenses, new_id)
    if len(content) + 2 > fits:
        content = _lens_blocks(lenses, new_id)
    if len(content) + 2 > fits:
        return _bare_agenda(planned_minutes, content[:fits], s, new_id)
    n_blocks = len(content) + 2
    breaks = _break_lengths(planned_minutes, s)
    # A break needs a boundary between two work blocks; drop the ones that have nowhere to go.
    while breaks and (len(breaks) > n_blocks - 1 or n_blocks + len(breaks) > AGENDA_BLOCKS_MAX):
        breaks.remove(min(breaks))
    opening_id, wrapup_id = new_id(), new_id()
    while True:
        work = planned_minutes - sum(breaks)
        floor = max(1, min(s.min_block_minutes, work // n_blocks))
        room = (work - floor * len(content)) // 2
        opening = max(floor, min(s.opening_minutes, work // 8, room))
        wrapup = max(floor, min(s.wrapup_minutes, work // 8, room))
        review = work - opening - wrapup
        minutes = apportion(review, _targets(content, review, s), floor) if content else []
        if not content:  # nothing to review: the opening takes what the wrap-up leaves
            opening = work - wrapup
        work_blocks = [Block(opening_id, "opening", OPENING_TITLE, opening),
                       *(replace(c.block, minutes=m) for c, m in zip(content, minutes, strict=True)),
                       Block(wrapup_id, "wrapup", WRAPUP_TITLE, wrapup)]
        placed = _place_breaks(work_blocks, breaks, s, new_id)
        if placed is not None:
            return placed
        breaks.remove(min(breaks))  # the blocks are too coarse for this many breaks: one fewer


def _even_cuts(cumulative: list[int], total: int, n: int, shortest: int) -> list[int] | None:
    """Indices of ``n`` increasing cuts minimising the sum of squared stretch lengths, no stretch shorter than
    ``shortest`` (a dynamic programme); None when no such cuts exist."""
    m = len(cumulative)
    inf = float("inf")

    def sq(length: int) -> float:
        return float(length * length) if length >= shortest else inf

    # cost[k][j]: best cost of the stretches before cut k placed at boundary j; back[k][j]: the previous cut.
    cost = [[inf] * m for _ in range(n)]
    back = [[-1] * m for _ in range(n)]
    for j in range(m):
        cost[0][j] = sq(cumulative[j])
    for k in range(1, n):
        for j in range(k, m):
            for i in range(k - 1, j):
                c = cost[k - 1][i] + sq(cumulative[j] - cumulative[i])
                if c < cost[k][j]:
                    cost[k][j], back[k][j] = c, i
    if n > m:
        return None
    last = min(range(n - 1, m), key=lambda j: (cost[n - 1][j] + sq(total - cumulative[j]), j))
    if cost[n - 1][last] + sq(total - cumulative[last]) == inf:
        return None
    cuts = [last]
    for k in range(n - 1, 0, -1):
        cuts.append(back[k][cuts[-1]])
    return cuts[::-1]


def _place_breaks(work_blocks: list[Block], breaks: list[int], s: PlannerSettings,
                  new_id: Callable[[], str]) -> list[Block] | None:
    """Put the breaks at block boundaries that cut the work into stretches as even as possible.

    Breaks only go between blocks (a pillar is never split), so "every 90 minutes" is approximate: the
    boundaries minimise the sum of squared stretch lengths, which favours even stretches and no very long one,
    and no stretch is shorter than ``min_work_after_break``. The long break goes nearest the middle of the
    work. None when the breaks do not fit.
    """
    if not breaks:
        return work_blocks
    cumulative = []  # work minutes done at boundary j (after work block j)
    t = 0
    for b in work_blocks[:-1]:
        t += b.minutes
        cumulative.append(t)
    chosen = _even_cuts(cumulative, t + work_blocks[-1].minutes, len(breaks), s.min_work_after_break)
    if chosen is None:
        return None
    lengths = sorted(breaks)
    longest = lengths.pop() if lengths else 0
    middle = sum(b.minutes for b in work_blocks) / 2
    long_at = min(chosen, key=lambda j: (abs(cumulative[j] - middle), j))
    out: list[Block] = []
    for j, b in enumerate(work_blocks):
        out.append(b)
        if j in chosen:
            m = longest if j == long_at else lengths.pop()
            title = "Long break" if j == long_at and m > s.break_minutes else "Break"
            out.append(Block(new_id(), "break", title, m))
    return out


# -- editing -------------------------------------------------------------------------------------------------


def _index(blocks: Sequence[Block], block_id: str) -> int:
    for i, b in enumerate(blocks):
        if b.id == block_id:
            return i
    raise NotFound(f"the agenda has no block {block_id!r}")


def move_block(blocks: Sequence[Block], block_id: str, to_index: int) -> list[Block]:
    """The block moved to position ``to_index`` (clamped to the list); durations unchanged."""
    out = list(blocks)
    b = out.pop(_index(out, block_id))
    out.insert(max(0, min(to_index, len(out))), b)
    return out


def _rebalance(blocks: list[Block], delta: int, exclude: str | None, s: PlannerSettings) -> list[Block]:
    """Give ``delta`` minutes (take, when negative) to the pillar and lens blocks other than ``exclude``."""
    if delta == 0:
        return blocks
    flex = [i for i, b in enumerate(blocks) if b.kind in FLEXIBLE_KINDS and b.id != exclude]
    have = sum(blocks[i].minutes for i in flex)
    if not flex:
        raise WatError("no pillar or lens block left to take the time from; change the end time instead")
    minimum = min(s.min_block_minutes, *(blocks[i].minutes for i in flex))
    target = have + delta
    if target < minimum * len(flex):
        raise WatError(f"not enough time left: the other pillar and lens blocks would drop below"
                       f" {minimum} min; shorten them first or let the end time move")
    shares = apportion(target, [blocks[i].minutes for i in flex], minimum)
    out = list(blocks)
    for i, m in zip(flex, shares, strict=True):
        out[i] = replace(out[i], minutes=m)
    return out


def set_block_minutes(blocks: Sequence[Block], block_id: str, minutes: int, *, keep_end: bool = True,
                      settings: PlannerSettings | None = None) -> list[Block]:
    """Change one block's duration; with ``keep_end`` the other pillar and lens blocks absorb the change."""
    if minutes < 1:
        raise WatError(f"a block lasts at least 1 minute, not {minutes}")
    out = list(blocks)
    i = _index(out, block_id)
    delta = out[i].minutes - minutes
    out[i] = replace(out[i], minutes=minutes)
    return _rebalance(out, delta, block_id, settings or PlannerSettings()) if keep_end else out


def add_break(blocks: Sequence[Block], after_id: str | None, minutes: int = 10, *, keep_end: bool = True,
              title: str = "Break", settings: PlannerSettings | None = None,
              new_id: Callable[[], str] = new_block_id) -> tuple[list[Block], str]:
    """A new break after block ``after_id`` (None: first); returns the agenda and the new block's id."""
    if minutes < 1:
        raise WatError(f"a break lasts at least 1 minute, not {minutes}")
    out = list(blocks)
    at = 0 if after_id is None else _index(out, after_id) + 1
    brk = Block(new_id(), "break", title, minutes)
    out.insert(at, brk)
    if keep_end:
        out = _rebalance(out, -minutes, brk.id, settings or PlannerSettings())
    return out, brk.id


def remove_break(blocks: Sequence[Block], block_id: str, *, keep_end: bool = True,
                 settings: PlannerSettings | None = None) -> list[Block]:
    """Remove a break; with ``keep_end`` its minutes go to the pillar and lens blocks."""
    out = list(blocks)
    i = _index(out, block_id)
    if out[i].kind != "break":
        raise WatError(f"block {out[i].title!r} is not a break; only breaks can be removed")
    gone = out.pop(i)
    return _rebalance(out, gone.minutes, None, settings or PlannerSettings()) if keep_end else out


# -- telling the facilitator what an edit did ---------------------------------------------------------------

#: Longer than this without a break, the agenda screen warns (the guide: a break roughly every 90 minutes).
MAX_WORK_WITHOUT_BREAK = 120


def describe_changes(before: Sequence[Block], after: Sequence[Block], edited: str | None = None) -> list[str]:
    """What an edit changed besides the block the facilitator touched: each other block whose minutes changed
    ("Cost Optimization 23 → 18 min"), blocks added or removed, and the end moving."""
    old = {b.id: b for b in before}
    new = {b.id: b for b in after}
    out = []
    for b in after:
        if b.id in old and b.id != edited and old[b.id].minutes != b.minutes:
            out.append(f"{b.title} {old[b.id].minutes} → {b.minutes} min")
    out += [f"added {b.title} ({b.minutes} min)" for b in after if b.id not in old and b.id != edited]
    out += [f"removed {b.title}" for b in before if b.id not in new and b.id != edited]
    moved = total_minutes(after) - total_minutes(before)
    if moved:
        out.append(f"the end moves {'later' if moved > 0 else 'earlier'} by {abs(moved)} min")
    return out


def longest_without_break(blocks: Sequence[Block]) -> tuple[int, list[Block]]:
    """The longest stretch of work between breaks (a long break counts as a break): its minutes and blocks."""
    best: tuple[int, list[Block]] = (0, [])
    run: list[Block] = []
    for b in [*blocks, None]:
        if b is None or b.kind == "break":
            minutes = sum(x.minutes for x in run)
            if minutes > best[0]:
                best = (minutes, run)
            run = []
        else:
            run.append(b)
    return best


def break_warning(blocks: Sequence[Block], most: int = MAX_WORK_WITHOUT_BREAK) -> str | None:
    """A warning when the agenda leaves more than ``most`` minutes without a break, naming where."""
    minutes, stretch = longest_without_break(blocks)
    if minutes <= most or not stretch:
        return None
    return (f"{minutes // 60}h{minutes % 60:02d}m without a break, from {stretch[0].title} to {stretch[-1].title}; "
            "add one (b) or move one there")
