"""A helper process that answers one JSON request per line.

The build keeps MathJax (Node) and the diagram browser (chromium) running
for the whole build instead of starting them for every page.
"""

import json
import subprocess

from bookkit import config


class Worker:
    def __init__(self, command: list[str]):
        self.command = command
        self._process = None

    def ask(self, request: dict) -> dict:
        """Send a request (starting the process the first time); answer."""
        if self._process is None:
            self._process = subprocess.Popen(
                self.command,
                cwd=config.ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        return json.loads(self._process.stdout.readline())

    def close(self):
        if self._process is not None:
            self._process.stdin.close()
            self._process.wait()
            self._process = None
