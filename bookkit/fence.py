"""The `python` fence: run the code at build time and show its real output.

Registered in mkdocs.yml as a pymdownx.superfences custom fence, so every
`python` block on the site is executed while the page is built. Options:

- `session="name"`: continue the namespace of the earlier block with the
  same session on this page (shown with a "continues from above" label);
- `alt="..."` (required when the block shows a figure), `caption="..."`;
- `output="markdown"`: render what the block prints as Markdown;
- `norun`: show the code without running it (labelled on the page, and
  counted by the tests).
"""

import contextlib
import hashlib
import html
import json
import math
import re
from pathlib import Path
from uuid import uuid4

from markdown_exec import MarkdownConverter, code_block
from pymdownx.superfences import SuperFencesException

from bookkit import blocks, report, runner

OPTIONS = {"session", "alt", "caption", "output", "norun", "title"}
OUTPUTS = {"text", "markdown"}
CONTINUES = (
    '<p class="book-label book-continues">Continues from the block above</p>'
)


class PageCodeError(SuperFencesException):
    """A block failed while the site was built.

    superfences swallows any other exception raised by a formatter and
    quietly renders the block as plain text: this one stops the build.
    """


def validate(language, inputs, options, attrs, md) -> bool:
    unknown = set(inputs) - OPTIONS
    if unknown:
        raise PageCodeError(f"unknown python fence option(s): {unknown}")
    if inputs.get("output", "text") not in OUTPUTS:
        raise PageCodeError(f"output must be one of {OUTPUTS}")
    options.update(inputs)
    return True


def _sessions(md) -> dict:
    """Per page (mkdocs builds each page with a new Markdown instance):
    session name -> (namespace, global state after its last block)."""
    if not hasattr(md, "book_sessions"):
        md.book_sessions = {}
    return md.book_sessions


current_page = None  # set by the book's mkdocs plugin as each page renders
printed: dict = {}  # page -> what its blocks printed (bookkit.numbers)
# The outputs of a page whose blocks ran before in this environment: the
# book's plugin sets the folder (.cache/blocks/<environment key>).
cache_dir: Path | None = None
# the code that runs blocks and draws their figures
CODE = [
    Path(__file__).with_name(name)
    for name in ("fence.py", "runner.py", "figures.py", "svg_text.py")
]


def _find(source: str, md) -> blocks.Block | None:
    """The page block with this source (the first, if several), if any.
    The page's blocks are read once per page (one Markdown per page)."""
    if current_page is None:
        return None
    if getattr(md, "book_page", None) != current_page:
        md.book_page, md.book_blocks = current_page, []
        with contextlib.suppress(blocks.BlockError):
            md.book_blocks = blocks.page_blocks(current_page)
    return next((b for b in md.book_blocks if b.source == source), None)


def _where(block: blocks.Block | None) -> str:
    if block is not None:
        return block.where
    if current_page is not None:
        return blocks.relative(current_page)
    return "an unknown page"


def page_key(page_blocks: list[blocks.Block]) -> str:
    """What a page's outputs depend on besides the environment: its
    blocks' code (includes expanded), in order, with their sessions, and
    the code that runs them and draws their figures."""
    code = [p.read_text(encoding="utf-8") for p in CODE]
    runs = [(b.source, b.session, b.runs) for b in page_blocks]
    return hashlib.sha256(json.dumps([code, runs]).encode()).hexdigest()


class PageRun:
    """The blocks of the page being built, run or read from the cache.

    A page whose blocks (and the environment) are unchanged since it was
    last built shows the outputs they printed then, in the same order; a
    page with any change runs all its blocks again. An entry is written
    only for a page whose blocks all ran, without error, in this build.
    """

    def __init__(self, page: Path, md):
        self.page, self.ran = page, []
        _find("", md)  # the page's blocks, read once per page
        self.blocks = md.book_blocks
        self.path = self.cached = None
        if cache_dir is not None and self.blocks:
            self.path = cache_dir / f"{page_key(self.blocks)}.json"
            with contextlib.suppress(OSError, ValueError):
                self.cached = json.loads(self.path.read_text("utf-8"))

    def lookup(self, source: str) -> runner.Output | None:
        """The cached output of the page's next block, if it is `source`."""
        step = len(self.ran)
        if self.cached is None or step >= len(self.cached):
            return None
        if self.cached[step]["source"] != source:
            self.cached = None  # out of step: the rest runs for real
            return None
        return runner.Output([tuple(c) for c in self.cached[step]["chunks"]])

    def record(self, source, session, output) -> None:
        self.ran.append(
            {"source": source, "session": session, "chunks": output.chunks}
        )

    def replay(self, session: str) -> tuple[dict, dict]:
        """The namespace and state of a session whose blocks so far came
        from the cache: their code run again, their output dropped."""
        namespace: dict = {}
        with runner.isolated():
            runner.reset_global_state()
            for entry in self.ran:
                if entry["session"] == session:
                    runner.execute(entry["source"], "<replay>", namespace)
            return namespace, runner.global_state()

    def save(self) -> None:
        """Keep the outputs, if every block of the page ran just now."""
        expected = [b.source for b in self.blocks if b.runs]
        ran = [entry["source"] for entry in self.ran]
        if self.path is None or self.cached is not None or ran != expected:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(f".{uuid4().hex[:8]}")
        partial.write_text(json.dumps(self.ran), encoding="utf-8")
        partial.replace(self.path)  # a reader never sees half an entry


_page_run: PageRun | None = None
CACHED = "from the cache"  # a session whose blocks came from the cache


def page_run(md) -> PageRun | None:
    global _page_run
    if current_page is None:
        return None
    if _page_run is None or _page_run.page != current_page:
        _page_run = PageRun(current_page, md)
    return _page_run


def start_page(page: Path) -> None:
    """Called by the book's plugin before a page's Markdown is rendered
    (a page whose build failed in `mkdocs serve` starts over)."""
    global current_page, _page_run
    current_page, _page_run = page, None
    printed[page] = []


def finish_page(page: Path) -> None:
    """Called by the book's plugin once the page's Markdown is rendered."""
    global _page_run
    if _page_run is not None and _page_run.page == page:
        _page_run.save()
    _page_run = None


def run(source: str, options: dict, md):
    """Run a block (continuing its session) and return its output."""
    sessions = _sessions(md)
    name = options.get("session")
    continues = bool(name) and name in sessions
    this_page = page_run(md)
    cached = this_page.lookup(source) if this_page else None
    if cached is not None:
        this_page.record(source, name, cached)
        if name:
            sessions[name] = CACHED
        return shown(cached, options, _find(source, md)), continues
    if continues and sessions[name] == CACHED:
        sessions[name] = this_page.replay(name)
    namespace, state = sessions[name] if continues else ({}, None)
    block = _find(source, md)
    filename = (
        report.filename(block)
        if block is not None
        else f"<page block {len(sessions)}:{uuid4().hex[:8]}>"
    )
    with runner.isolated() as output:
        # other blocks ran in between: continue from where the session was,
        # exactly as the tests (and a reader's interpreter) do
        if continues:
            runner.restore_global_state(state)
        else:
            runner.reset_global_state()
        try:
            runner.execute(source, filename, namespace)
        except Exception as error:
            if block is None:  # not found in the page's text: full trace
                import traceback

                trace = "".join(traceback.format_exception(error))
                message = f"Python block at {_where(block)} failed:\n{trace}"
            else:
                message = report.describe(error, [block], output.text)
            raise PageCodeError(message) from error
        if name:
            sessions[name] = (namespace, runner.global_state())
    if this_page is not None:
        this_page.record(source, name, output)
    return shown(output, options, block), continues


def shown(output: runner.Output, options: dict, block) -> runner.Output:
    """The output a page shows, checked (run now or read from the cache)."""
    printed.setdefault(current_page, []).append(output.text)
    if output.figures and not options.get("alt"):
        raise PageCodeError(
            f"Python block at {_where(block)} shows a figure without alt="
        )
    return output


def line_count(text: str) -> int:
    return text.count("\n") + 1


# The height a block takes until the browser first lays it out (book.css
# skips blocks off screen), in em of the text around it, desktop then
# phone: fitted to the blocks of the built chapters. The browser tests hold
# each block to within 3 em of its real height (6 em if it prints tables,
# whose rows wrap to one to three lines), at 1280 and 390 px.
CODE_LINE, CODE_BOX, TITLE_BAR, LABEL = 1.19, (3.4, 5.3), 2.5, 1.3
OUTPUT_LINE, OUTPUT_BOX = 1.12, (3.3, 4.1)
FIGURE_BOX, CAPTION_BOX, TABLE_ROW = 1.3, 1.3, (3.5, 3.9)
COLUMN = (43, 22.4)  # the text's width (a phone's at 390 px)
CAPTION_LINE, CAPTION_LETTER = 1.4, 0.4  # a caption's line, its letter
DRAWN = re.compile(r'width="([\d.]+)pt"')  # (matplotlib's size, in pt)
VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')
PHONE_WIDTH = re.compile(r"--book-phone-width: (\d+)px")  # (svg_text.py)
DESKTOP_WIDTH = re.compile(r"max-width: (\d+)px")


def only_tables(markdown: str) -> bool:
    """Whether printed Markdown is nothing but tables (and blank lines)."""
    lines = [line.strip() for line in markdown.splitlines() if line.strip()]
    return bool(lines) and all(line.startswith("|") for line in lines)


def figure_widths(tag: str, caption: str, screen: int) -> tuple:
    """The widths, in em, of a figure's box and of its drawing (`tag`: its
    <svg ...> tag). On a desktop the box is as wide as the drawing or the
    caption's line, within the column, and the drawing fills it up to its
    max-width; on a phone the box is the column and the drawing at least
    its phone width, scrolling in the box (svg_text.py, book.css)."""
    column = COLUMN[screen]
    drawing = DRAWN.search(tag)
    natural = float(drawing[1]) * 4 / 3 / 16 if drawing else column
    if screen:
        least = PHONE_WIDTH.search(tag)
        narrowest = int(least[1]) / 16 if least else 0
        return column, max(min(column, natural), narrowest)
    most = DESKTOP_WIDTH.search(tag)
    widest = int(most[1]) / 16 if most else column
    box = min(column, max(min(natural, widest), len(caption) * CAPTION_LETTER))
    return box, min(box, widest)


def placeholder(code: str, chunks, caption: str, label: bool, title: bool):
    """A style attribute giving a block's height before it is first shown,
    from its code's and outputs' lines, its tables' rows, its figures'
    shapes and caption; None if a figure has no shape to go by."""
    heights = []
    for screen in (0, 1):
        height = line_count(code) * CODE_LINE + CODE_BOX[screen]
        height += TITLE_BAR * title + LABEL * label
        for kind, body in chunks:
            if kind == "markdown":  # only tables (only_tables)
                lines = [line.strip() for line in body.splitlines()]
                rules = sum(set(x) <= set("|:- ") and "-" in x for x in lines)
                rows = sum(x.startswith("|") for x in lines) - rules
                height += rows * TABLE_ROW[screen]
            elif kind == "text" and body.strip():
                height += line_count(body.rstrip()) * OUTPUT_LINE
                height += OUTPUT_BOX[screen]
            elif kind == "figure":
                tag = body[: body.index(">")]
                shape = VIEWBOX.search(tag)
                if not shape:
                    return None
                width, tall = map(float, shape.groups())
                box, drawn = figure_widths(tag, caption, screen)
                height += drawn * tall / width + FIGURE_BOX
                if caption:
                    lines = math.ceil(len(caption) * CAPTION_LETTER / box)
                    height += lines * CAPTION_LINE + CAPTION_BOX
        heights.append(height)
    return (
        f'style="--book-height: {heights[0]:.1f}em; '
        f'--book-phone-height: {heights[1]:.1f}em"'
    )


APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
NUMBER = r"[-−]?\d+(?:\.\d+)?(?:e[-+]?\d+)?"
# a short name set to a number (y = 1, h ≈ 1e-8), or a number with an
# exponent (1e-308)
UNBROKEN = re.compile(
    rf"\b[^\W\d]\w{{0,2}} [=≈] {NUMBER}\b|\b\d+(?:\.\d+)?e[-+]?\d+\b"
)


def typeset_caption(caption: str) -> str:
    """A caption as the prose reads: ' between letters an apostrophe (’),
    any other a prime (f′, sin′(1), f″), and neither a number with an
    exponent such as 1e-308 nor a short equation such as y = 1 broken
    across lines."""
    caption = caption.replace("'''", "‴").replace("''", "″")
    caption = APOSTROPHE.sub("’", caption).replace("'", "′")
    nowrap = r'<span class="book-nowrap">\g<0></span>'
    return UNBROKEN.sub(nowrap, html.escape(caption))


def render_output(output, options) -> str:
    parts = []
    for kind, body in output.chunks:
        if kind == "figure":
            label = html.escape(options["alt"], quote=True)
            svg = body.replace(  # (its text is not prose for search)
                "<svg ",
                f'<svg data-search-exclude role="img" aria-label="{label}" ',
                1,
            )
            caption = options.get("caption")
            caption = (
                f"<figcaption>{typeset_caption(caption)}</figcaption>"
                if caption
                else ""
            )
            parts.append(
                f'<figure class="book-figure">{svg}{caption}</figure>'
            )
        elif body.strip() and options.get("output") != "markdown":
            parts.append(
                '<div class="book-output" title="Output">'
                f"<pre><code>{html.escape(body.rstrip())}</code></pre></div>"
            )
    return "".join(parts)


def format(source, language, css_class, options, md, **kwargs):
    """Render a python fence: label, highlighted code, real output."""
    converter = MarkdownConverter(md, update_toc=False)
    code = code_block(
        "py",
        source,
        **({"title": options["title"]} if "title" in options else {}),
    )
    if "norun" in options:
        label = '<p class="book-label book-norun">Not run: shown only</p>'
        return label + converter.convert(code)
    output, continues = run(source, options, md)
    label = CONTINUES if continues else ""
    text = f"{code}\n\n"
    stash = {}
    if options.get("output") == "markdown":
        text += output.text
    rendered = render_output(output, options)
    if rendered:
        slot = f'<div class="{uuid4()}"></div>'
        stash[slot] = rendered
        text += f"\n\n{slot}\n"
    body = converter.convert(text, stash=stash)
    chunks = output.chunks
    if options.get("output") == "markdown":
        chunks = [("markdown", output.text)]
        chunks += [("figure", svg) for svg in output.figures]
    size = placeholder(
        source.strip(),
        chunks,
        options.get("caption", ""),
        label=bool(label),
        title="title" in options,
    )
    if size is None or (
        options.get("output") == "markdown" and not only_tables(output.text)
    ):  # a height too hard to guess: the block is always laid out
        return f'<div class="book-block">{label}{body}</div>'
    return f'<div class="book-block" {size}>{label}{body}</div>'
