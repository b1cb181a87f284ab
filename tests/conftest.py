"""Shared fixtures for the book's own tests."""

import os
import runpy
import subprocess
import sys
import threading
from dataclasses import dataclass
from functools import cache, partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest
import reuse
from filelock import FileLock
from playwright.sync_api import sync_playwright

from bookkit import config, report, runner
from bookkit.browser import launch


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


@pytest.fixture
def run_lab():
    """Run the lab `docs/labs/<name>.py` as the build does; return its
    source and everything it printed: `source, out = run_lab("beyond")`."""

    def run(name: str):
        path = config.docs_dir() / "labs" / f"{name}.py"
        source = path.read_text(encoding="utf-8")
        with runner.isolated() as output:
            runner.reset_global_state()
            runner.execute(source, str(path), {})
        return source, output.text

    return run


def pytest_collection_modifyitems(items):
    """Tests that need the built site run first. With `--dist worksteal`
    the first worker starts building the site at once while the second
    runs the tests that need no site (the page blocks, the planted bad
    builds), then takes its share of the browser tests."""
    items.sort(key=lambda item: "built_site" not in item.fixturenames)


@dataclass
class Build:
    site: Path
    returncode: int
    log: str


def site_build(factory) -> Build:
    """The site, built once per test run with `mkdocs build --strict` and
    shared by the parallel test workers."""
    shared = factory.getbasetemp()
    # an xdist worker's basetemp is <the run's>/popen-gw<N>: share the run's.
    # (A pytest started by a test inherits PYTEST_XDIST_WORKER but not the
    # worker's basetemp, so the name, not the variable, decides.)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and shared.name.endswith(worker):
        shared = shared.parent
    site, log, code = (shared / n for n in ("site", "build.log", "build.rc"))
    with FileLock(shared / "build.lock"):
        if not code.exists():
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
            command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
            result = subprocess.run(
                [*command, "-f", config.MKDOCS_YML, "-d", site],
                cwd=config.ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            log.write_text(result.stdout + result.stderr, encoding="utf-8")
            code.write_text(str(result.returncode))
    return Build(site, int(code.read_text()), log.read_text("utf-8"))


NEEDS_SITE = {"built_site", "site_url"}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A failed build is one failure for the run, its own messages first:
    the first test that needs the site (on any worker) fails with them,
    and the others are skipped, before their fixtures read the site."""
    if not NEEDS_SITE & set(getattr(item, "fixturenames", ())):
        return
    factory = item.config._tmp_path_factory  # what tmp_path_factory gives
    build = site_build(factory)
    if not build.returncode:
        return
    blocks_failed = report.failed_blocks(build.log)
    tests = {i.nodeid for i in item.session.items}
    if blocks_failed and all(f"{b}" in tests for b in blocks_failed):
        pytest.skip(  # those blocks' own tests report them, with the lines
            "the site did not build: a page block failed, reported by its "
            "own test: " + ", ".join(blocks_failed)
        )
    reported = build.site.parent / "build.reported"
    with FileLock(build.site.parent / "build.lock"):
        first = not reported.exists()
        reported.touch()
    if first:
        pytest.fail(
            "mkdocs build --strict failed:\n"
            + report.build_failure(build.log),
            pytrace=False,
        )
    pytest.skip("the site did not build (reported once, by another test)")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Build:
    """The built site (a failed build never reaches a test: see above)."""
    return site_build(tmp_path_factory)


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site, served on 127.0.0.1 for the browser tests."""
    handler = partial(LocalSiteHandler, directory=str(built_site.site))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # a page closed while a file was on its way: nothing went wrong
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LocalSiteHandler(SimpleHTTPRequestHandler):
    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        reuse.fetched.add(path.relative_to(self.directory).as_posix(), True)
        return super().send_head()

    def log_message(self, *args):
        pass


@cache
def code_and_tools(browser_version: str) -> str:
    return reuse.code_and_tools(browser_version)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run a browser test, or pass it from its record when nothing it
    read has changed since it last passed (tests/reuse.py)."""
    if not reuse.eligible(pyfuncitem):
        return None
    args = pyfuncitem.funcargs
    site = site_build(pyfuncitem.config._tmp_path_factory).site
    tools = code_and_tools(args["browser"].version)
    nodeid = pyfuncitem.nodeid
    if reuse.passed_before(nodeid, site, tools):
        pyfuncitem.user_properties.append(("reused", True))
        return True
    reuse.fetched.take()  # what the tests before it left in flight
    names = pyfuncitem._fixtureinfo.argnames
    pyfuncitem.obj(**{name: args[name] for name in names})
    reuse.remember(nodeid, site, tools, reuse.fetched.take())
    return True


reused: list[str] = []  # in the process that reports (xdist's controller)


def pytest_runtest_logreport(report):
    if report.when == "call" and ("reused", True) in report.user_properties:
        reused.append(report.nodeid)


def pytest_terminal_summary(terminalreporter):
    if reused:
        terminalreporter.write_line(
            f"{len(reused)} browser tests passed from their records: "
            "nothing they read changed since they last passed "
            "(tests/reuse.py; BOOK_RERUN=1 runs them)"
        )


LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def mount_widgets(page) -> None:
    """Bring each widget into view, as a reader scrolling down does, and
    wait until all are mounted (they mount as they come near the screen)."""
    for widget in page.locator("[data-widget]").all():
        widget.scroll_into_view_if_needed()
    page.wait_for_function(
        "[...document.querySelectorAll('[data-widget]')]"
        ".every(w => w.dataset.mounted === 'true')"
    )


def wait_for_colours(page) -> None:
    """Wait until no colour is still fading. Material's links and code
    fade to a new scheme (1/8 s): after the toggle, and on a first visit
    whose system prefers dark, as Material switches from its light default."""
    page.wait_for_function(
        "!document.getAnimations().some(a => a instanceof CSSTransition)"
    )


# Material's search posts a query to its worker on each key typed and draws
# each answer as it comes. Counting both tells a test when the answer to the
# last letter is on screen (the worker answers in order).
COUNT_SEARCHES = """
window.searches = { asked: 0, answered: 0 };
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message, ...rest) {
  if (!this.counted) {
    this.counted = true;
    this.addEventListener("message", ({ data }) => {
      if (data?.type === 3) window.searches.answered += 1;
    });
  }
  if (message?.type === 2) window.searches.asked += 1;
  // (Material asks for "" as its worker starts: no result is drawn)
  if (message?.type === 2 && message.data.trim()) {
    window.bookQueried();  // the search index now shapes the page
  }
  return post.call(this, message, ...rest);
};
"""


class Visit:
    """One page in a fresh browser context, with what went wrong recorded."""

    def __init__(
        self, browser, url, color_scheme="light", width=1280, height=900
    ):
        self.context = browser.new_context(
            color_scheme=color_scheme,
            viewport={"width": width, "height": height},
        )
        self.context.add_init_script(COUNT_SEARCHES)
        self.context.expose_function("bookQueried", reuse.read_the_index)
        self.page = self.context.new_page()
        self.off_site: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(url, wait_until="load")

    def _route(self, route):
        url = route.request.url
        if (
            url.startswith(("data:", "blob:"))
            or urlparse(url).hostname in LOOPBACK
        ):
            route.continue_()
        else:
            self.off_site.append(url)
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.errors.append(message.text)

    def axe(
        self, rules: list[str] | None = None, as_loaded: bool = False
    ) -> list[str]:
        """Accessibility violations that axe-core finds on the page (only
        the given rules, if any). `as_loaded`: on the page as it loaded,
        as Lighthouse checks it, with no block laid out for axe."""
        axe = config.ROOT / "node_modules" / "axe-core" / "axe.min.js"
        if as_loaded:
            self.page.add_script_tag(path=str(axe))
        elif not self.page.evaluate("'axe' in window"):
            mount_widgets(self.page)  # check the widgets, not placeholders
            self.page.add_script_tag(path=str(axe))
            # axe reads colours from the rendering, which content-visibility
            # skips off screen
            self.lay_out_every_block()
        options = {"resultTypes": ["violations"]}
        if rules:
            options["runOnly"] = {"type": "rule", "values": rules}
        result = self.page.evaluate(
            "options => axe.run(document, options)", options
        )
        return [
            f"{v['id']}: {v['help']} — {len(v['nodes'])} element(s), "
            f"first {v['nodes'][0]['target']}: "
            f"{v['nodes'][0].get('failureSummary', '')[:300]}"
            for v in result["violations"]
        ]

    def lay_out_every_block(self) -> None:
        """Lay out the blocks content-visibility skips off screen, as
        scrolling through the page would."""
        self.page.add_style_tag(
            content="* { content-visibility: visible !important; }"
        )

    def blocks_not_at_their_height(self, phone: bool) -> list[str]:
        """Blocks shown, and laid out, more than 3 em taller or shorter
        than the height they take until then (bookkit/fence.py estimates
        it; 6 em for a block that prints tables, whose rows may wrap), and
        where the misses of the blocks above add up to more than 10 em: the
        page would move under the reader, or axe, as they are shown."""
        blocks = self.page.evaluate(
            """phone => [...document.querySelectorAll('.book-block[style]')]
              .filter(block => block.offsetParent)  // not in a closed tab
              .map(block => {
                const style = getComputedStyle(block);
                const em = parseFloat(style.fontSize);
                return [block.textContent.trim().slice(0, 40),
                  block.getBoundingClientRect().height / em,
                  parseFloat(style.getPropertyValue(
                    phone ? '--book-phone-height' : '--book-height')),
                  block.querySelector('table') ? 6 : 3];
              })""",
            phone,
        )
        missed = [
            f"{text!r}: {real:.1f} em, estimated {guess} em"
            for text, real, guess, slack in blocks
            if abs(real - guess) > slack
        ]
        moved = 0.0  # how far the page below has moved, block by block
        for _, real, guess, _ in blocks:
            moved += real - guess
            if abs(moved) > 10:
                missed.append(f"the page moves {moved:+.1f} em by here")
                break
        return missed

    def search(self, query: str) -> None:
        """Type `query` into the search box as a reader does (the box has
        the focus) and wait until the results for all of it are shown."""
        self.page.keyboard.type(query)
        self.page.wait_for_function(
            "searches.asked > 0 && searches.answered === searches.asked"
        )

    def close(self):
        # requests still in flight must not fail the test as the page closes
        self.page.unroute_all(behavior="ignoreErrors")
        self.context.close()
