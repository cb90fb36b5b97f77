"""The cyclic garbage collector's full passes wait for a quiet moment (wat_tui/ui/collector.py)."""

from __future__ import annotations

import asyncio
import gc
import weakref
from pathlib import Path

from tests.ui_support import demo_app
from wat_tui.ui import collector


async def test_full_passes_wait_for_the_keys_to_be_still_and_the_collector_is_as_it_was_after(
        data_dir: Path) -> None:
    before = gc.get_threshold()
    collector_quiet = collector.QUIET
    app, _ = demo_app(data_dir)
    async with app.run_test(size=(100, 28)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert gc.get_threshold()[2] == collector.NEVER  # no full pass of its own while the app is open
        assert gc.get_freeze_count() > 0  # what start-up made is out of the young generations' way
        passes = app.collector.passes
        for _ in range(4):  # keys closer together than the quiet moment: no full pass between them
            await pilot.press("n")
            await asyncio.sleep(collector_quiet / 10)
        assert app.collector.passes == passes
        await asyncio.sleep(collector_quiet * 2.5)
        await pilot.pause()
        assert app.collector.passes == passes + 1  # once the keys were still
        await asyncio.sleep(collector_quiet * 2.5)
        assert app.collector.passes == passes + 1  # and only once, until a key comes again
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


async def test_the_young_generations_are_collected_after_each_key_not_while_it_is_answered(data_dir: Path) -> None:
    """A move to the next question makes fewer objects than the young threshold: no collection runs while the key
    is answered; one runs a moment after it (bench_ui.py: a young pass inside a keypress was 1.5-2.6 ms in a
    quarter of them)."""
    app, _ = demo_app(data_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert gc.get_threshold()[0] == collector.YOUNG
        seen: list[int] = []
        order: list[str] = []

        def record(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                seen.append(info["generation"])
                order.append("collected")

        display = app._display

        def drawn(*args: object) -> None:
            display(*args)  # type: ignore[arg-type]
            if args[-1] is not None:
                order.append("drawn")

        app._display = drawn  # type: ignore[method-assign]  # the frame written (as bench_ui.py times it)
        gc.callbacks.append(record)
        try:
            young = app.collector.young_passes
            for _ in range(6):  # keys as a facilitator presses them, with a moment between
                order.clear()
                await pilot.press("n")
                await pilot.pause(collector.YOUNG_AFTER * 3)
                assert order[0] == "drawn" and order.count("collected") == 1, order  # the key's frame first
            assert app.collector.young_passes == young + 6
            assert seen == [1] * 6, seen  # the six a moment after the keys, and no other
        finally:
            gc.callbacks.remove(record)


async def test_a_closed_dialog_frozen_while_it_was_open_is_freed_by_the_pass_that_thaws(data_dir: Path) -> None:
    app, _ = demo_app(data_dir)
    async with app.run_test(size=(100, 28)) as pilot:
        await pilot.pause()
        await pilot.press("f1")  # help: a screen of widgets that refer to each other (cycles)
        await pilot.pause()
        help_screen = weakref.ref(app.screen)
        app.collector.collect()  # a quiet moment while it is open: it is frozen with the rest
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        app.collector.collect(thaw=True)
        assert help_screen() is None
        assert app.collector.thaws == 1
