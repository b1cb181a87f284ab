"""A browser test whose inputs have not changed passes without running again.

A browser test that asks for nothing but `browser` and `site_url` reads the
book through the local server alone. Its inputs are the files the server
sent it, the test code and the tools (the installed Python packages, axe-core,
the browser and the system's fonts). When such a test passes, a record under
.cache/tests/ keeps the digest of each file it was sent and of the code and
tools; on a later run, a test whose record still matches every one passes
from the record without loading a page, and the run's summary counts it. A
change to a page reruns the tests that loaded that page; a change to a
stylesheet, a script or the search options, every test that loaded it. A
clean checkout, as in CI, has no records and runs everything;
BOOK_RERUN=1 (or BOOK_SCREENSHOTS, which saves what the tests see) does too.

A test that reads the site some other way names its inputs itself
(`passed_with`, `remember_key`): the formula drawings key on the formulas
and the font, not on the pages around them.
"""

import contextlib
import functools
import hashlib
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

from bookkit import config

RECORDS = config.ROOT / ".cache" / "tests"
ASKS = {"browser", "site_url"}  # the fixtures such a test asks for
NEEDS = ASKS | {"built_site", "tmp_path_factory", "request"}  # and theirs
SEARCH_INDEX = "search/search_index.json"
SEARCH_OPTIONS = SEARCH_INDEX + "#config"  # its options (separator, lang)
AXE = config.ROOT / "node_modules" / "axe-core" / "axe.min.js"
FONTS = (["fc-list"], ["fc-match", "sans-serif"], ["fc-match", "monospace"])


class Fetched:
    """The site's files the local server sent, test by test (each worker
    has its own server and runs its tests one at a time)."""

    def __init__(self):
        self.paths: set[str] = set()
        self.lock = threading.Lock()

    def add(self, path: str, by_server: bool = False) -> None:
        if by_server and path == SEARCH_INDEX:
            path = SEARCH_OPTIONS  # its entries count once queried: below
        with self.lock:
            self.paths.add(path)

    def take(self) -> set[str]:
        with self.lock:
            paths, self.paths = self.paths, set()
        return paths


fetched = Fetched()


def read_the_index() -> None:
    """Every page fetches the search index, but its entries reach the page
    only through a query; its options (the separator) also shape the
    words a `?h=` link marks. So every test keys on the options, and a test
    whose page posted a query to Material's search worker
    (conftest.COUNT_SEARCHES) on the whole index; else any change of text
    would rerun every test."""
    fetched.add(SEARCH_INDEX)


def eligible(item) -> bool:
    """A browser test that reads the book through the server alone (and
    saves no screenshots)."""
    if os.environ.get("BOOK_SCREENSHOTS"):
        return False
    params = set(getattr(getattr(item, "callspec", None), "params", {}))
    asks = set(item._fixtureinfo.argnames) - params
    needs = set(item.fixturenames) - params  # with autouse and usefixtures
    return "site_url" in asks and asks <= ASKS and needs <= NEEDS


def code_and_tools(browser_version: str) -> str:
    """Digest of every test and bookkit module, the installed packages,
    axe-core, the browser and the fonts: a change to any of them reruns
    every test."""
    from bookkit.mkdocs_plugin import environment_key

    versions = f"{environment_key()} {browser_version}"
    digest = hashlib.sha256(versions.encode())
    files = sorted((config.ROOT / "tests").rglob("*.py"))
    files += sorted((config.ROOT / "bookkit").rglob("*.py"))
    files += [config.ROOT / "package-lock.json", AXE]
    for path in files:
        digest.update(str(path.relative_to(config.ROOT)).encode())
        digest.update(path.read_bytes())
    if shutil.which("fc-list") is None:
        return ""  # the fonts are unknown: no test passes from a record
    for command in FONTS:
        fonts = subprocess.run(command, capture_output=True, check=True)
        digest.update(b"".join(sorted(fonts.stdout.splitlines())))
    return digest.hexdigest()


@functools.cache
def file_digest(site: Path, path: str) -> str | None:
    file = site / path.removesuffix("#config")
    if not file.is_file():
        return None
    content = file.read_bytes()
    if path == SEARCH_OPTIONS:
        with contextlib.suppress(ValueError):
            options = json.loads(content)["config"]
            content = json.dumps(options, sort_keys=True).encode()
    return hashlib.sha256(content).hexdigest()


def _record(nodeid: str) -> Path:
    name = hashlib.sha256(nodeid.encode()).hexdigest()[:32]
    return RECORDS / f"{name}.json"


def passed_before(nodeid: str, site: Path, tools: str) -> bool:
    """True when the test passed with these tools and the same files."""
    if os.environ.get("BOOK_RERUN") or not tools:
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


def key_of(tools: str, *inputs: bytes | str) -> str:
    """A digest of a test's tools (`code_and_tools`) and inputs, each part
    kept apart from the next; "" when the tools are unknown, and a test
    with that key passes from no record."""
    if not tools:
        return ""
    digest = hashlib.sha256()
    for part in (tools, *inputs):
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def passed_with(request, key: str) -> bool:
    """True when the test passed before with inputs of digest `key` (and
    the run's summary counts it); False for an empty key, or under
    BOOK_RERUN or BOOK_SCREENSHOTS."""
    rerun = os.environ.get("BOOK_RERUN") or os.environ.get("BOOK_SCREENSHOTS")
    if rerun or not key:
        return False
    nodeid = request.node.nodeid
    try:
        record = json.loads(_record(nodeid).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if record.get("nodeid") != nodeid or record.get("key") != key:
        return False
    request.node.user_properties.append(("reused", True))
    return True


def remember_key(request, key: str) -> None:
    """Keep the digest of a test's inputs: call it as the test passes (an
    empty key keeps nothing and leaves any earlier record)."""
    if not key:
        return
    nodeid = request.node.nodeid
    RECORDS.mkdir(parents=True, exist_ok=True)
    record = {"nodeid": nodeid, "key": key}
    _record(nodeid).write_text(json.dumps(record), encoding="utf-8")
