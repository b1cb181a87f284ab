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


FOLDERS = sorted({p.parent.name for p in SNIPPETS})


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_snippet_of_a_folder_is_included(folder):
    """One test per folder, so `./book check docs/<page>.md` runs its
    chapter's; together they cover every snippet (a file at the top of
    snippets/ has the folder "snippets")."""
    included = {
        Path(origin).resolve()
        for block in blocks.all_blocks()
        for origin, _ in block.origins
    }
    orphans = [
        name(p)
        for p in SNIPPETS
        if p.parent.name == folder and p.resolve() not in included
    ]
    assert orphans == [], f"snippets no page includes: {orphans}"
