"""Print how long the book takes to build and to test on this machine.

    python -m bookkit.bench          # or: ./book bench

Prints the wall time of `mkdocs build --strict`, of the full test command,
and the ten slowest page blocks. Figures are for this machine only.
"""

import os
import re
import subprocess
import sys
import tempfile
import time

from bookkit import config


def timed(command: list[str], **kwargs) -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=config.ROOT, capture_output=True, text=True, **kwargs
    )
    seconds = time.perf_counter() - start
    if result.returncode:
        print(result.stdout[-3000:], result.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"failed: {' '.join(command)}")
    return seconds, result.stdout + result.stderr


def main() -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as site:
        build, _ = timed(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", site],
            env=env,
        )
    print(f"mkdocs build --strict: {build:6.1f} s")
    test, log = timed(
        [sys.executable, "-m", "pytest", "--durations=0", "-q"], env=env
    )
    summary = log.strip().splitlines()[-1]
    print(f"full test command:     {test:6.1f} s  ({summary.strip('= ')})")
    durations = re.findall(
        r"^([\d.]+)s call\s+(docs/\S+::line \d+)", log, re.MULTILINE
    )
    print("slowest page blocks:")
    for seconds, name in sorted(durations, key=lambda d: -float(d[0]))[:10]:
        print(f"  {float(seconds):6.2f} s  {name}")


if __name__ == "__main__":
    main()
