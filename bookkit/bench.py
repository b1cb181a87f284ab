"""Print the book's speed, weight and accessibility figures on this machine.

    ./book bench                 # everything, median of 3 Lighthouse runs
    ./book bench --runs 1        # quicker
    ./book bench --skip-tests    # pages only
    ./book bench --against d31b79e --runs 5 ./ rules/   # before and after

For every page, Lighthouse (mobile defaults, headless chromium, the site
served gzip-compressed on 127.0.0.1 as GitHub Pages serves it, CPU and
network slowed down for real: see LIGHTHOUSE_FLAGS) gives the four
category scores, bytes transferred, first and largest contentful paint,
cumulative layout shift and total blocking time (each main-thread task's
time beyond 50 ms, counting only its part between first contentful paint
and time to interactive). Then the wall time of `mkdocs build
--strict` (cold, and with the caches under .cache/ warm), of `./book
check` on a chapter page (warm), of the full test command (every test
run, then with the browser tests' records warm), each with the CPU time
of its processes, and the ten slowest page blocks.

With `--against REV`, bench does only this: it builds the site from the
checkout and as it was at REV (with this checkout's packages and caches),
and runs Lighthouse on both alternately (old, new; then new, old: a
machine that slows down slows both), for the pages named or all, printing
each column's median for both and each run's performance score (0-1; on
this project's 2-core machine it moved by up to 0.1 from run to run).
"""

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bookkit import config

CHECKED_PAGES = ["docs/rules.md"]  # a chapter page; aim: under 20 s warm

LIGHTHOUSE = "lighthouse@13.5.0"
# Lighthouse's default ("simulate") loads the page at full speed and
# predicts the slowed-down load from that one trace. Here it flipped from
# run to run: in some loads headless chromium held the first paint until
# after the load event (at full speed: about 1.2 s instead of 0.2 s; the
# same page opened by a plain puppeteer script, without Lighthouse, never
# did), and the prediction then put every script before the largest paint
# (LCP 3.3 s instead of 1.8 s, on the same page). Slowing the CPU 4x (of
# this machine's speed) and the network to Lighthouse's mobile figures for
# real ("devtools") measures what happens: each paint then varies by at
# most about 0.4 s from run to run (LCP 1.9-2.3 s on that page). Each run
# takes longer: Lighthouse then waits 5.25 s, not 1 s, for the page to
# settle.
LIGHTHOUSE_FLAGS = ["--throttling-method=devtools"]
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
last_cpu = 0.0  # CPU seconds of the last `timed` command


class GzipHandler(SimpleHTTPRequestHandler):
    """Serve text files gzip-compressed when the browser accepts it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (gzip_ok and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, *args):
        pass


def cpu_seconds() -> float:
    """User + system time of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict | None = None) -> tuple[float, str]:
    """Wall seconds of a command, and its output; the CPU seconds of its
    process tree are in `last_cpu` (on a shared machine, the steadier
    figure)."""
    global last_cpu
    start, cpu = time.perf_counter(), cpu_seconds()
    result = subprocess.run(
        command,
        cwd=config.ROOT,
        env={**ENV, **(env or {})},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    last_cpu = cpu_seconds() - cpu
    if result.returncode:
        print(result.stdout[-3000:], result.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"failed: {' '.join(map(str, command))}")
    return seconds, result.stdout + result.stderr


def build(site: Path, cold: bool) -> float:
    """Seconds for `mkdocs build --strict`; cold: labs, blocks, formulas
    and diagrams run afresh (the caches' keys make a warm build's output
    identical)."""
    if cold:
        for cache in ("notebooks", "diagrams", "blocks", "math"):
            shutil.rmtree(config.ROOT / ".cache" / cache, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d"]
    return timed([*command, str(site)])[0]


def page_paths(site: Path) -> list[str]:
    pages = sorted(site.rglob("index.html"))
    return [str(p.parent.relative_to(site)) + "/" for p in pages]


def lighthouse(url: str) -> dict:
    chrome = "--headless=new --no-sandbox --disable-gpu"
    result = subprocess.run(
        [
            "npx",
            "--no-install",
            "lighthouse",
            url,
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            f"--chrome-flags={chrome}",
            *LIGHTHOUSE_FLAGS,
        ],
        cwd=config.ROOT,
        capture_output=True,
        text=True,
        env={**ENV, "CHROME_PATH": shutil.which("chromium") or ""},
    )
    report = json.loads(result.stdout)
    audits = report["audits"]
    scores = {k: v["score"] for k, v in report["categories"].items()}
    return {
        **scores,
        "kB": audits["total-byte-weight"]["numericValue"] / 1024,
        "FCP s": audits["first-contentful-paint"]["numericValue"] / 1000,
        "LCP s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "CLS": audits["cumulative-layout-shift"]["numericValue"],
        "TBT ms": audits["total-blocking-time"]["numericValue"],
    }


COLUMNS = [
    "performance",
    "accessibility",
    "best-practices",
    "seo",
    "kB",
    "FCP s",
    "LCP s",
    "CLS",
    "TBT ms",
]


def serve(site: Path) -> str:
    """Serve `site` (gzip) from a thread; its base URL."""
    if not (config.ROOT / "node_modules" / "lighthouse").exists():
        subprocess.run(
            ["npm", "install", "--no-save", "--silent", LIGHTHOUSE],
            cwd=config.ROOT,
            check=True,
        )
    handler = partial(GzipHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def medians(results: list[dict]) -> str:
    row = {c: statistics.median(r[c] for r in results) for c in COLUMNS}
    return "".join(f"{row[c]:14.2f}" for c in COLUMNS)


def pages_table(site: Path, runs: int) -> None:
    base = serve(site)
    print(f"\nLighthouse, mobile, throttled for real, gzip, median of {runs}:")
    print(f"{'page':32}" + "".join(f"{c[:13]:>14}" for c in COLUMNS))
    for path in page_paths(site):
        results = [lighthouse(base + path.lstrip("./")) for _ in range(runs)]
        kb = statistics.median(r["kB"] for r in results)
        heavy = "  over 1 MB" if kb > 1024 else ""
        print(f"{path:32}{medians(results)}{heavy}", flush=True)


def build_revision(revision: str, tmp: Path) -> Path:
    """The site as it was at `revision`, built by its own bookkit with this
    checkout's packages, npm modules and caches (their keys keep apart
    what differs)."""
    tree = tmp / "tree"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "archive", revision],
        cwd=config.ROOT,
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
    for shared in ("node_modules", ".cache"):
        (tree / shared).symlink_to(config.ROOT / shared)
    site = tmp / "site"
    build = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d"]
    # the revision's bookkit: the working directory comes first on sys.path
    subprocess.run(
        [*build, str(site)], cwd=tree, env=ENV, check=True, capture_output=True
    )
    return site


def compare(old_site: Path, new_site: Path, runs: int, pages: list[str]):
    bases = {"old": serve(old_site), "new": serve(new_site)}
    print(
        "\nLighthouse, mobile, throttled for real, gzip, "
        f"median of {runs}, run alternately:"
    )
    print(f"{'page':32}" + "".join(f"{c[:13]:>14}" for c in COLUMNS))
    for path in pages or page_paths(new_site):
        results = {"old": [], "new": []}
        for run in range(runs):
            for which in ("old", "new")[:: 1 if run % 2 == 0 else -1]:
                url = bases[which] + path.lstrip("./")
                results[which].append(lighthouse(url))
        for which in ("old", "new"):
            scores = " ".join(
                f"{r['performance']:.2f}" for r in results[which]
            )
            print(
                f"{path if which == 'old' else '':28}{which:>4}"
                f"{medians(results[which])}   performance: {scores}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-tests", action="store_true")
    parser.add_argument("--against", metavar="REV")
    parser.add_argument("pages", nargs="*", help="with --against: e.g. rules/")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    if args.against:
        with tempfile.TemporaryDirectory() as tmp:
            new_site, old = Path(tmp) / "new", Path(tmp) / "old"
            old.mkdir()
            build(new_site, cold=False)
            old_site = build_revision(args.against, old)
            compare(old_site, new_site, args.runs, args.pages)
        return
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        cold = build(site, cold=True)
        cold_cpu = last_cpu
        warm = build(site, cold=False)
        print(
            f"mkdocs build --strict: {cold:6.1f} s cold ({cold_cpu:.1f} s "
            f"CPU), {warm:6.1f} s warm ({last_cpu:.1f} s CPU: labs, "
            "blocks, formulas and diagrams from .cache/)"
        )
        pages_table(site, args.runs)
    if args.skip_tests:
        return
    for page in CHECKED_PAGES:
        check = [sys.executable, "-m", "bookkit.check", page, "-q"]
        timed(check)  # the first run fills the page's build caches
        seconds, log = timed(check)
        summary = log.strip().splitlines()[-1].strip("= ")
        print(
            f"./book check {page}: {seconds:6.1f} s warm, {last_cpu:.1f} s "
            f"CPU  ({summary})"
        )
    # every test run, then again with the browser tests' records warm
    # (tests/reuse.py): what a contributor's second run costs
    suite = [sys.executable, "-m", "pytest", "--durations=0", "-q"]
    for label, env in (
        ("every test run (BOOK_RERUN=1)", {"BOOK_RERUN": "1"}),
        ("browser tests' records warm", {}),
    ):
        seconds, log = timed(suite, env)
        lines = log.strip().splitlines()
        reused = [line for line in lines if "from their records" in line]
        print(
            f"\nfull test command, {label}: {seconds:6.1f} s, "
            f"{last_cpu:.1f} s CPU  ({lines[-1].strip('= ')})"
            + (f"\n  {reused[0].split(':')[0]}" if reused else "")
        )
    durations = re.findall(
        r"^([\d.]+)s call\s+(docs/\S+::line \d+)", log, re.MULTILINE
    )
    print("slowest page blocks:")
    for secs, name in sorted(durations, key=lambda d: -float(d[0]))[:10]:
        print(f"  {float(secs):6.2f} s  {name}")


if __name__ == "__main__":
    main()
