"""Every snippet runs whole as a script and is shown on some page."""

import runpy
from pathlib import Path

import pytest

from bookkit import blocks, config, runner

SNIPPETS = sorted(config.snippets_dir().rglob("*.py"))


def name(path: Path) -> str:
    return str(path.relative_to(config.snippets_dir()))


@pytest.mark.parametrize("path", SNIPPETS, ids=name)
def test_snippet_runs_as_a_script(path):
    with runner.isolated():
        runner.reset_global_state()
        runpy.run_path(str(path), run_name="__main__")


def test_every_snippet_is_included_by_a_page():
    included = {
        Path(origin).resolve()
        for block in blocks.all_blocks()
        for origin, _ in block.origins
    }
    orphans = [name(p) for p in SNIPPETS if p.resolve() not in included]
    assert orphans == [], f"snippets no page includes: {orphans}"
