"""The headless chromium the build and the tests share."""

import shutil
from pathlib import Path


def launch(playwright):
    """Debian's chromium where it is installed; Playwright's own otherwise."""
    system = shutil.which("chromium") or "/usr/bin/chromium"
    options = {"args": ["--no-sandbox", "--disable-gpu"]}
    if Path(system).exists():
        options["executable_path"] = system
    return playwright.chromium.launch(**options)
