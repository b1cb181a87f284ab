"""Every Python block of the book becomes a pytest test.

pytest-markdown-docs provides the test items; this plugin replaces its
CommonMark parser (which cannot see fences inside tabs, admonitions or
details) with `bookkit.blocks`, which finds fences at any depth and expands
`--8<--` includes with pymdownx's own code. Each block runs alone in a
fresh namespace and a clean global state; a block marked with a session
runs after the earlier blocks of its session. Failures name the Markdown
line and, for included code, the snippet line.
"""

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pytest_markdown_docs._runners import _Runner, register_runner
from pytest_markdown_docs.definitions import FenceTestDefinition
from pytest_markdown_docs.plugin import MarkdownInlinePythonItem

from bookkit import blocks, config, report, runner

RUNNER = "BookBlockRunner"
_outputs: dict[str, runner.Output] = {}


@dataclass(frozen=True)
class BookFence(FenceTestDefinition):
    chain: tuple = field(default=(), repr=False)


class BlockFailed(Exception):
    """A block raised: carries the error and what the block printed."""

    def __init__(self, error: BaseException, printed: str):
        super().__init__(str(error))
        self.error, self.printed = error, printed


def run_chain(chain) -> runner.Output:
    """Run a block after the earlier blocks of its session; return the
    output of the block itself."""
    namespace: dict = {}
    with runner.isolated() as output:
        runner.reset_global_state()
        for block in chain:
            earlier = len(output.chunks)
            try:
                runner.execute(block.source, report.filename(block), namespace)
            except Exception as error:
                printed = runner.Output(output.chunks[earlier:]).text
                raise BlockFailed(error, printed) from error
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
        failure = excinfo.value
        if isinstance(failure, BlockFailed):
            return report.describe(
                failure.error, list(test.chain), failure.printed
            )
        return excinfo.exconly()  # names the block itself


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
