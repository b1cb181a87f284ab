"""The parity guard: the reader sees no Python block the tests did not run.

A page is rendered with the real Markdown pipeline from mkdocs.yml, with
the `python` fence's formatter swapped for one that records each block
instead of running it. The recorded blocks must equal, in order and in
form, the blocks `bookkit.blocks` hands to the tests; and the rendered page
must hold no other Python code block (a `py` fence, a fence the block
finder missed, a notebook-style console block).
"""

import copy
import re
from pathlib import Path

import markdown

from bookkit import blocks, config, fence

UNRUN_PYTHON = re.compile(
    r'class="language-(python3?|py|pycon|ipython3?)\b[^"]*"'
)


def _recording_markdown(recorded: list) -> markdown.Markdown:
    def record(source, language, css_class, options, md, **kwargs):
        recorded.append((source, "norun" in options))
        return '<div class="book-recorded"></div>'

    extensions, options = config.markdown_options()
    options = copy.deepcopy(options)
    for custom in options["pymdownx.superfences"]["custom_fences"]:
        if custom.get("format") is fence.format:
            custom["format"] = record
    return markdown.Markdown(extensions=extensions, extension_configs=options)


def problems(page: Path, text: str | None = None) -> list[str]:
    """Every way the rendered page and the tested blocks disagree."""
    page = Path(page)
    text = page.read_text(encoding="utf-8") if text is None else text
    where = blocks.relative(page)
    recorded: list = []
    html = _recording_markdown(recorded).convert(text)
    found = []
    for match in UNRUN_PYTHON.finditer(html):
        line = html[: match.start()].count("\n") + 1
        found.append(
            f"{where}: a {match[1]} block is shown but never run "
            f"(rendered HTML line {line}); use a python fence"
        )
    tested = [(b.source, not b.runs) for b in blocks.page_blocks(page, text)]
    if recorded != tested:
        missing = [src for src, _ in recorded if src not in dict(tested)]
        for src in missing:
            first = src.strip().splitlines()[0] if src.strip() else "(empty)"
            found.append(
                f"{where}: the reader sees a python block the tests do not "
                f"run, starting {first!r}"
            )
        if not missing:
            found.append(
                f"{where}: rendered blocks and tested blocks differ "
                f"({len(recorded)} rendered, {len(tested)} tested)"
            )
    return found
