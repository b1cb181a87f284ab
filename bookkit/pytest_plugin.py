"""Every Python block of the book becomes a pytest test.

pytest-markdown-docs provides the test items; this plugin replaces its
CommonMark parser (which cannot see fences inside tabs, admonitions or
details) with `bookkit.blocks`, which finds fences at any depth and expands
`--8<--` includes with pymdownx's own code. Each block runs alone in a
fresh namespace and a clean global state; a block marked with a session
runs after the earlier blocks of its session. Failures name the Markdown
line and, for included code, the snippet line.
"""

import traceback
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pytest_markdown_docs._runners import _Runner, register_runner
from pytest_markdown_docs.definitions import FenceTestDefinition
from pytest_markdown_docs.plugin import MarkdownInlinePythonItem

from bookkit import blocks, config, runner

RUNNER = "BookBlockRunner"
_outputs: dict[str, runner.Output] = {}


@dataclass(frozen=True)
class BookFence(FenceTestDefinition):
    chain: tuple = field(default=(), repr=False)


def block_filename(block: blocks.Block) -> str:
    return f"<{block.where}>"


def location(filename: str, lineno: int) -> str:
    """`docs/page.md:12`, or `docs/page.md:9 includes snippets/x.py:3`."""
    for block in blocks.all_blocks():
        if block_filename(block) == filename:
            origin, line = block.origins[min(lineno, len(block.origins)) - 1]
            if Path(origin) == Path(block.page):
                return f"{blocks.relative(origin)}:{line}"
            return f"{block.where} includes {blocks.relative(origin)}:{line}"
    return f"{filename}:{lineno}"


def run_chain(chain) -> runner.Output:
    """Run a block after the earlier blocks of its session; return the
    output of the block itself."""
    namespace: dict = {}
    with runner.isolated() as output:
        runner.reset_global_state()
        for block in chain:
            earlier = len(output.chunks)
            runner.execute(block.source, block_filename(block), namespace)
    return runner.Output(output.chunks[earlier:])


@register_runner()
class BookBlockRunner(_Runner):
    def runtest(self, test: BookFence, args, **kwargs):
        block = test.chain[-1]
        output = run_chain(test.chain)
        _outputs[block.where] = output
        if output.figures and not block.options.get("alt"):
            raise AssertionError(
                f"{block.where}: a block that shows a figure needs alt=..."
            )

    def repr_failure(self, test: BookFence, excinfo, style=None):
        block = test.chain[-1]
        lines = [f"Python block at {block.where} failed"]
        if len(test.chain) > 1:
            lines[0] += f" (session {block.session!r}, run after "
            lines[0] += ", ".join(b.where for b in test.chain[:-1]) + ")"
        error = excinfo.value
        if isinstance(error, SyntaxError) and error.filename.startswith("<"):
            where = location(error.filename, error.lineno or 1)
            lines.append(f"  at {where}: {(error.text or '').strip()}")
        for frame in traceback.extract_tb(excinfo.tb):
            if frame.filename.startswith("<") and ".md:" in frame.filename:
                where = location(frame.filename, frame.lineno)
                lines.append(f"  at {where}: {(frame.line or '').strip()}")
            elif lines[-1].startswith("  at "):
                lines.append(f"  in {frame.filename}:{frame.lineno}")
        lines.append(excinfo.exconly())
        return "\n".join(lines)


class MarkdownPage(pytest.File):
    def collect(self):
        try:
            page_blocks = blocks.page_blocks(self.path)
        except blocks.BlockError as error:
            raise self.CollectError(str(error)) from error
        for block in page_blocks:
            if not block.runs:
                continue
            chain = tuple(blocks.chain(block, page_blocks))
            yield MarkdownInlinePythonItem.from_parent(
                self,
                name=f"line {block.line}",
                test_definition=BookFence(
                    source=block.source,
                    fixture_names=(),
                    start_line=block.line,
                    source_path=self.path,
                    runner_name=RUNNER,
                    chain=chain,
                ),
            )


def pytest_collect_file(file_path: Path, parent):
    docs = config.docs_dir().resolve()
    if file_path.suffix == ".md" and docs in file_path.resolve().parents:
        return MarkdownPage.from_parent(parent, path=file_path)
    return None


def pytest_terminal_summary(terminalreporter):
    try:
        shown = [b for b in blocks.all_blocks() if not b.runs]
    except blocks.BlockError:
        return  # a page that cannot be read failed collection, naming it
    if shown:
        terminalreporter.write_line(
            f"{len(shown)} python block(s) marked norun (shown, not run): "
            + ", ".join(b.where for b in shown)
        )
