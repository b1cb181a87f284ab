"""A browser test whose inputs have not changed passes without running again.

A browser test that asks for nothing but `browser` and `site_url` reads the
book through the local server alone. Its inputs are the files the server
sent it, the test code and the tools (Python packages, npm packages such as
axe-core, the browser). When such a test passes, a record under
.cache/tests/ keeps the digest of each file it was sent and of the code and
tools; on a later run, a test whose record still matches every one passes
from the record, and the run's summary counts it as reused. A change to a
page reruns the tests that loaded that page; a change to a stylesheet, a
script or the search index, every test that loaded it. A clean checkout,
as in CI, has no records and runs everything; BOOK_RERUN=1 does too.
"""

import functools
import hashlib
import json
import os
import platform
import threading
from pathlib import Path

from bookkit import config

RECORDS = config.ROOT / ".cache" / "tests"
SITE_ONLY = {"browser", "site_url", "request"}  # fixtures a test may ask for
SEARCH_INDEX = "search/search_index.json"
TOOLS = ["requirements.txt", "pyproject.toml", "package-lock.json"]


class Fetched:
    """The site's files the local server sent, test by test (each worker
    has its own server and runs its tests one at a time)."""

    def __init__(self):
        self.paths: set[str] = set()
        self.lock = threading.Lock()

    def add(self, path: str, by_server: bool = False) -> None:
        if by_server and path == SEARCH_INDEX:
            return  # read by the page only once it is queried: see below
        with self.lock:
            self.paths.add(path)

    def take(self) -> set[str]:
        with self.lock:
            paths, self.paths = self.paths, set()
        return paths


fetched = Fetched()


def read_the_index() -> None:
    """Every page fetches the search index, but nothing on it comes from
    the index until a query is made: a test whose page posted a query to
    Material's search worker (conftest.COUNT_SEARCHES) keys on the index,
    the others do not (else any change of text would rerun them all)."""
    fetched.add(SEARCH_INDEX)


def eligible(item) -> bool:
    """A browser test that reads the book through the server alone."""
    params = set(getattr(getattr(item, "callspec", None), "params", {}))
    names = set(item._fixtureinfo.argnames) - params  # what it asks for
    return "site_url" in names and names <= SITE_ONLY


def code_and_tools(browser_version: str) -> str:
    """Digest of every test and bookkit module, the package locks and the
    browser: a change to any of them reruns every test."""
    versions = f"{platform.python_version()} {browser_version}"
    digest = hashlib.sha256(versions.encode())
    files = sorted((config.ROOT / "tests").rglob("*.py"))
    files += sorted((config.ROOT / "bookkit").rglob("*.py"))
    files += [config.ROOT / name for name in TOOLS]
    for path in files:
        digest.update(str(path.relative_to(config.ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def file_digest(site: Path, path: str) -> str | None:
    file = site / path
    if not file.is_file():
        return None
    return hashlib.sha256(file.read_bytes()).hexdigest()


def _record(nodeid: str) -> Path:
    name = hashlib.sha256(nodeid.encode()).hexdigest()[:32]
    return RECORDS / f"{name}.json"


def passed_before(nodeid: str, site: Path, tools: str) -> bool:
    """True when the test passed with these tools and the same files."""
    if os.environ.get("BOOK_RERUN"):
        return False
    try:
        record = json.loads(_record(nodeid).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        record["nodeid"] == nodeid
        and record["tools"] == tools
        and bool(record["files"])
        and all(
            file_digest(site, path) == digest
            for path, digest in record["files"].items()
        )
    )


def remember(nodeid: str, site: Path, tools: str, paths: set[str]) -> None:
    """Keep the passed test's inputs (nothing, if it fetched nothing)."""
    if not paths:
        return
    files = {path: file_digest(site, path) for path in sorted(paths)}
    RECORDS.mkdir(parents=True, exist_ok=True)
    record = {"nodeid": nodeid, "tools": tools, "files": files}
    _record(nodeid).write_text(json.dumps(record), encoding="utf-8")
