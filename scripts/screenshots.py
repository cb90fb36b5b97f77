"""Render the demo session to screenshots/*.svg (and .png when rsvg-convert is installed).

    python scripts/screenshots.py

A fresh data directory, a frozen clock and fixed sizes: the pictures change only when the UI does.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.ui_support import demo_app, running_clock_app  # noqa: E402

OUT = ROOT / "screenshots"

SHOTS = [
    ("workspace", "wat-dark", (120, 36), ["N"]),
    ("workspace-80x24", "wat-dark", (80, 24), []),
    ("projector-100x28", "wat-projector", (100, 28), []),
    ("projector", "wat-projector", (120, 36), ["N", "i"]),
    ("focus-mode", "wat-projector", (120, 36), ["f"]),
    ("session-picker", "wat-dark", (120, 36), None),
    ("help", "wat-dark", (120, 36), ["f1"]),
    ("agenda", "wat-dark", (120, 36), ["A"]),
    ("break", "wat-projector", (120, 36), ["B"]),
    ("break-100x28", "wat-projector", (100, 28), ["B"]),
    ("board", "wat-dark", (120, 36), ["b"]),
    ("goto-80x24", "wat-dark", (80, 24), ["g", "e", "n", "c", "r", "y", "p", "t"]),
]
#: The room's view (wat-tui present) beside the facilitator's app: name, theme, size.
ROOM_VIEWS = [("room-view-100x28", "wat-projector", (100, 28)), ("room-view", "wat-projector", (120, 36))]


async def shoot(name: str, theme: str, size: tuple[int, int], keys: list[str] | None) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        if keys is None:
            app, _ = demo_app(Path(tmp) / "data", theme=theme, session=False)
        else:
            app = running_clock_app(Path(tmp) / "data", theme)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for key in keys or []:
                await pilot.press(key)
            await pilot.pause(0.2)
            path = OUT / f"{name}.svg"
            app.save_screenshot(str(path))
        app.review.close()
    return path


async def shoot_room(name: str, theme: str, size: tuple[int, int]) -> Path:
    """The room's view of the demo, its clock running, as the projector shows it."""
    from wat_tui.ui.presenter import build_presenter

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        facilitator = running_clock_app(data, theme)
        facilitator.review.close()
        room = build_presenter(data, facilitator.session_id, clock=facilitator.clock, theme=theme)
        async with room.run_test(size=size) as pilot:
            await pilot.pause(0.3)
            path = OUT / f"{name}.svg"
            room.save_screenshot(str(path))
        room.review.close()
    return path


def main() -> int:
    OUT.mkdir(exist_ok=True)
    jobs = [(name, shoot(name, theme, size, keys)) for name, theme, size, keys in SHOTS]
    jobs += [(name, shoot_room(name, theme, size)) for name, theme, size in ROOM_VIEWS]
    for _, job in jobs:
        svg = asyncio.run(job)
        print(svg.relative_to(ROOT))
        if shutil.which("rsvg-convert"):
            subprocess.run(["rsvg-convert", str(svg), "-o", str(svg.with_suffix(".png"))], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
