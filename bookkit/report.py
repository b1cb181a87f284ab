"""Say where a page block failed, the same way in the build and the tests.

A block's code is compiled under the name `<docs/page.md:LINE>`, and each
of its lines remembers its origin (a Markdown line or a snippet line), so
a traceback frame in the block becomes `docs/page.md:14` or
`docs/page.md:12 includes snippets/rules/02_x.py:28`. A failing assert
shows the values it compared (asserts are rewritten as pytest rewrites
a test module's), and the report ends with what the block printed before
it failed.
"""

import re
import traceback
from pathlib import Path

from bookkit import blocks

PRINTED_LINES = 15  # the end of what the block printed, at most


def filename(block: blocks.Block) -> str:
    """The name a block's code is compiled under."""
    return f"<{block.where}>"


def location(block: blocks.Block, lineno: int) -> str:
    """`docs/page.md:12`, or `docs/page.md:9 includes snippets/x.py:3`."""
    origin, line = block.origins[max(1, min(lineno, len(block.origins))) - 1]
    if Path(origin) == Path(block.page):
        return f"{blocks.relative(origin)}:{line}"
    return f"{block.where} includes {blocks.relative(origin)}:{line}"


def describe(
    error: BaseException, chain: list[blocks.Block], printed: str = ""
) -> str:
    """The lines of a block failure: where, the code line, the error."""
    block = chain[-1]
    by_name = {filename(b): b for b in chain}
    lines = [f"Python block at {block.where} failed"]
    if len(chain) > 1:
        lines[0] += f" (session {block.session!r}, run after "
        lines[0] += ", ".join(b.where for b in chain[:-1]) + ")"
    if isinstance(error, SyntaxError) and error.filename in by_name:
        where = location(by_name[error.filename], error.lineno or 1)
        lines.append(f"  at {where}: {(error.text or '').strip()}")
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename in by_name:
            where = location(by_name[frame.filename], frame.lineno)
            lines.append(f"  at {where}: {(frame.line or '').strip()}")
        elif lines[-1].startswith(("  at ", "  in ")):
            lines.append(f"  in {frame.filename}:{frame.lineno}")
    # an assert's explanation spans lines; keep the error last but whole
    lines.append("".join(traceback.format_exception_only(error)).rstrip())
    printed = printed.rstrip()
    if printed:
        tail = printed.split("\n")[-PRINTED_LINES:]
        cut = len(printed.split("\n")) - len(tail)
        lines.append(
            "The block printed before it failed"
            + (f" ({cut} earlier lines left out)" if cut else "")
            + ":"
        )
        lines += [f"  | {line}" for line in tail]
    return "\n".join(lines)


ANSI = re.compile(r"\x1b\[[0-9;]*m")
LOG_LEVEL = re.compile(r"^(ERROR|WARNING)\b")
# mkdocs' heading of a page's error; the book's messages name the page
PAGE_HEADING = re.compile(r"Error (reading|building) page '[^']*':$")
LOG_LINES = 12  # of a failed build's messages, at most


def build_failure(log: str) -> str:
    """What a failed build said, its own messages first, briefly: its
    ERROR and WARNING lines (each with its first lines of detail), or the
    end of the log if it has none."""
    lines = ANSI.sub("", log).splitlines()
    messages = []
    for n, line in enumerate(lines):
        if LOG_LEVEL.match(line) and not PAGE_HEADING.search(line):
            detail = []
            for more in lines[n + 1 : n + 4]:  # a message's own lines
                if LOG_LEVEL.match(more) or not more.startswith(" "):
                    break
                detail.append(more)
            messages.append("\n".join([line, *detail]))
    if not messages:
        return "\n".join(lines[-LOG_LINES:])
    kept = messages[:LOG_LINES]
    if len(messages) > len(kept):
        kept.append(f"... and {len(messages) - len(kept)} more")
    return "\n".join(kept)


BLOCK_FAILED = re.compile(r"Python block at (\S+?\.md):(\d+) (?:failed|shows)")


def failed_blocks(log: str) -> list[str]:
    """The test ids (`docs/page.md::line N`) of the page blocks a failed
    build names, if page blocks are all that failed; else []."""
    log = ANSI.sub("", log)
    errors = [
        line
        for line in log.splitlines()
        if line.startswith("ERROR") and not PAGE_HEADING.search(line)
    ]
    found = [BLOCK_FAILED.search(line) for line in errors]
    if not errors or not all(found):
        return []
    return [f"{blocks.relative(m[1])}::line {m[2]}" for m in found]
