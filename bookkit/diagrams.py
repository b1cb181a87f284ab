"""Draw the site's mermaid diagrams at build time, as inline SVG.

Mermaid needs a browser to measure text, so a headless chromium draws each
diagram once, in a worker process (`python -m bookkit.diagrams`, one JSON
request per line). Pages then ship no diagram script: 1 MB less on each
page with a diagram, and nothing to run before the diagram shows.

The build hands every diagram written in the pages' Markdown to the worker
when it starts (`prefetch`), so chromium draws while the chapters' blocks
run; a page then finds its drawing done. A diagram printed by a block is
drawn when its page is rendered.

A drawing is cached under the diagram's text, the mermaid version and the
code that draws and tidies it, so a cached drawing is never stale. The
colours are CSS variables of the theme, so a diagram follows light and
dark mode.
"""

import contextlib
import hashlib
import html
import json
import re
import sys
import textwrap
import threading
from pathlib import Path

from bookkit import blocks, browser, config, svg_text
from bookkit.worker import Worker

MERMAID = config.ROOT / "node_modules" / "mermaid"
CACHE = config.ROOT / ".cache" / "diagrams"
FENCE = re.compile(r'<pre class="mermaid"><code>(.*?)</code></pre>', re.S)
ALT_TEXT = re.compile(r"^\s*acc(Title|Descr)\s*:", re.M)
MARKDOWN_FENCE = re.compile(
    r"^([ \t]*)```mermaid[^\n]*\n(.*?)^\1```", re.S | re.M
)

# Scoped by mermaid to the diagram's id; colours resolve on the page.
THEME_CSS = """
text, .label text, span {
  fill: var(--md-default-fg-color) !important;
  color: var(--md-default-fg-color) !important;
}
.node rect, .node circle, .node ellipse, .node polygon, .node path {
  fill: var(--md-code-bg-color) !important;
  stroke: var(--md-default-fg-color--light) !important;
}
.flowchart-link, .edgePaths .path {
  stroke: var(--md-default-fg-color--light) !important;
}
.marker, .arrowheadPath, .arrowMarkerPath {
  fill: var(--md-default-fg-color--light) !important;
  stroke: var(--md-default-fg-color--light) !important;
}
.edgeLabel rect, .labelBkg {
  fill: var(--md-default-bg-color) !important; opacity: 1 !important;
}
"""
SETTINGS = {
    "startOnLoad": False,
    "theme": "base",
    "fontFamily": "Helvetica, Arial, sans-serif",
    "htmlLabels": False,  # SVG text: no HTML inside the drawing
    # the book's own diagrams, so "click X href" links may be drawn (the
    # start page's map links each chapter); labels stay plain SVG text
    "securityLevel": "loose",
    "flowchart": {"padding": 12},
    "themeCSS": THEME_CSS,
}


class DiagramError(Exception):
    """A diagram mermaid cannot draw, or one without alt text."""

    def __init__(self, message: str, source: str):
        super().__init__(message)
        self.source = source

    def where(self, markdown_file: Path) -> str:
        """`docs/page.md:LINE` of the diagram, when the page's text has it."""
        text = markdown_file.read_text(encoding="utf-8")
        start = text.find(self.source.strip())  # -1: from a block's output
        return blocks.at_line(markdown_file, text, start)


def _tidy(svg: str) -> str:
    """Round coordinates to 0.01 px and drop mermaid's editing data."""
    return svg_text.round_coordinates(re.sub(r' data-points="[^"]*"', "", svg))


class Diagrammer:
    """Turns mermaid text into SVG, from the cache or the worker."""

    def __init__(self):
        self._worker = Worker([sys.executable, "-m", "bookkit.diagrams"])
        package = json.loads((MERMAID / "package.json").read_text())
        code = [Path(__file__), Path(svg_text.__file__)]  # drawing, tidying
        salt = package["version"] + "".join(p.read_text() for p in code)
        self._salt = salt.encode()
        self._lock = threading.Lock()  # one request at a time
        self._prefetching = None

    def prefetch(self, markdown_files) -> None:
        """Draw the diagrams written in these files, in the background.
        Errors are left for the page, which reports them with its line."""
        sources = [
            source
            for path in markdown_files
            for source in written_in(Path(path).read_text("utf-8"))
        ]

        def draw_all():
            for source in sources:
                with contextlib.suppress(DiagramError):
                    self.svg(source)

        self._prefetching = threading.Thread(target=draw_all, daemon=True)
        self._prefetching.start()

    def key(self, source: str) -> str:
        """The drawing's cache key; its first 8 digits are its SVG's id."""
        return hashlib.sha256(self._salt + source.encode()).hexdigest()

    def svg(self, source: str) -> str:
        """The drawing of `source`; DiagramError if mermaid cannot draw it."""
        key = self.key(source)
        cached = CACHE / f"{key[:24]}.svg"
        with self._lock:
            if cached.exists():
                return cached.read_text(encoding="utf-8")
            answer = self._worker.ask(
                {"id": f"diagram-{key[:8]}", "source": source}
            )
            if "error" in answer:
                raise DiagramError(answer["error"], source)
            svg = _tidy(answer["svg"])
            CACHE.mkdir(parents=True, exist_ok=True)
            cached.write_text(svg, encoding="utf-8")
            return svg

    def close(self):
        if self._prefetching is not None:
            self._prefetching.join()
        self._worker.close()


def written_in(markdown: str) -> list[str]:
    """The diagrams fenced in a page's Markdown, as its HTML will hold them."""
    return [
        textwrap.dedent(match[2]).rstrip("\n")
        for match in MARKDOWN_FENCE.finditer(markdown)
    ]


def draw_page(page: str, diagrammer: Diagrammer) -> str:
    """Replace each mermaid block of a rendered page by its drawing."""

    def draw(match):
        source = html.unescape(match[1])
        if not ALT_TEXT.search(source):
            first = source.strip().splitlines()[0]
            raise DiagramError(
                f"diagram '{first} …' has no alt text: give it an "
                "'accTitle: …' or 'accDescr: …' line",
                source,
            )
        svg = svg_text.with_phone_width(diagrammer.svg(source))
        return (
            f'<figure class="book-diagram" data-search-exclude>{svg}</figure>'
        )

    return FENCE.sub(draw, page)


def serve():
    """The worker: draw each requested diagram in one headless chromium."""
    from playwright.sync_api import Error, sync_playwright

    render = "async ([id, text]) => (await mermaid.render(id, text)).svg"
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        page = chromium.new_page()
        page.add_script_tag(path=str(MERMAID / "dist" / "mermaid.min.js"))
        page.evaluate("settings => mermaid.initialize(settings)", SETTINGS)
        for line in sys.stdin:
            request = json.loads(line)
            try:
                args = [request["id"], request["source"]]
                answer = {"svg": page.evaluate(render, args)}
            except Error as error:
                answer = {"error": str(error).strip().splitlines()[0]}
            print(json.dumps(answer), flush=True)
        chromium.close()


if __name__ == "__main__":
    serve()
