"""A page rendered by headless Chromium (Debian's package, `make browser`): a screenshot, and the DOM after
rendering. The flags keep Chromium off the network, which these machines close."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def executable() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _chromium(page: Path, *args: str) -> subprocess.CompletedProcess:
    binary = executable()
    if not binary:
        raise RuntimeError("no Chromium: run `make browser` (Debian's chromium) or set CHROMIUM")
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        command = [binary, *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 1600) -> Path:
    _chromium(page, f"--screenshot={png}", f"--window-size={width},{height}")
    return png


def rendered_dom(page: Path) -> str:
    return _chromium(page, "--dump-dom").stdout


def painted_share(png: Path) -> float:
    """The share of the screenshot's pixels that differ from its most common colour (0 for a blank page)."""
    from PIL import Image

    pixels = list(Image.open(png).convert("RGB").get_flattened_data())
    background = max(set(pixels), key=pixels.count)
    return sum(p != background for p in pixels) / len(pixels)
