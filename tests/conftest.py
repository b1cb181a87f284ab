"""Shared fixtures for the book's own tests."""

import os
import runpy
import subprocess
import sys
import threading
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bookkit import config, runner


@pytest.fixture
def run_snippet():
    """Run `snippets/<path>` as a script; return its globals and output.

    Use it to check the numbers a chapter's snippet computes:
    `ns, out = run_snippet("rules/03_power_rule.py")`.
    """

    def run(path: str):
        with runner.isolated() as output:
            runner.reset_global_state()
            namespace = runpy.run_path(
                str(config.snippets_dir() / path), run_name="__main__"
            )
        return namespace, output.text

    return run


@dataclass
class Build:
    site: Path
    returncode: int
    log: str


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Build:
    """The site, built once per test run with `mkdocs build --strict`."""
    site = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("BOOK_NOTEBOOK_CACHE", None)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", site],
        cwd=config.ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    return Build(site, result.returncode, result.stdout + result.stderr)


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site, served on 127.0.0.1 for the browser tests."""
    if built_site.returncode:
        pytest.fail("the site did not build:\n" + built_site.log[-3000:])
    handler = partial(QuietHandler, directory=str(built_site.site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
