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
]


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


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for name, theme, size, keys in SHOTS:
        svg = asyncio.run(shoot(name, theme, size, keys))
        print(svg.relative_to(ROOT))
        if shutil.which("rsvg-convert"):
            subprocess.run(["rsvg-convert", str(svg), "-o", str(svg.with_suffix(".png"))], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
