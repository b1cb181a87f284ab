"""Check one page, building only what it needs.

    ./book check docs/rules.md

runs, as one pytest run (two workers): the page's blocks; every snippet
it includes and every other file of its snippet folder (each as a
script), and that folder's orphans; the chapter's own tests
(tests/test_<chapter>.py); the strict build of that page alone (links,
anchors on the page, TeX, diagrams, off-site assets), and its browser and
accessibility checks. The build uses the book's mkdocs.yml with every
other page and every lab excluded (a link to one is still checked: the
file must exist), no nav and no notebook plugin.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

from bookkit import blocks, config

CHECKS = Path(".cache") / "check"


def page_config(page: Path) -> Path:
    """mkdocs.yml for the page alone, written under .cache/check/."""
    docs = config.docs_dir()
    uri = page.resolve().relative_to(docs.resolve()).as_posix()
    text = config.MKDOCS_YML.read_text(encoding="utf-8")  # or a planted one
    text = text.split("\nnav:")[0]  # mkdocs' own nav from the page
    text = re.sub(r"(?m)^(docs_dir|site_dir):.*\n?", "", text)
    start = text.index("exclude_docs: |")  # the last setting before nav
    text = text[:start] + f"exclude_docs: |\n  *.md\n  !/{uri}\n  /labs/*.py\n"
    # no labs in this build: without mkdocs-jupyter, none is read either
    text = re.sub(r"\n  - mkdocs-jupyter:\n(    .*\n)*", "\n", text)
    text = text.replace(
        "custom_dir: overrides", f"custom_dir: {config.ROOT}/overrides"
    )
    text = text.replace(
        "base_path: [snippets, includes]",
        f"base_path: [{config.ROOT}/snippets, {config.ROOT}/includes]",
    )
    folder = config.ROOT / CHECKS / uri.replace("/", "_")
    text += f"\ndocs_dir: {docs}\nsite_dir: {folder / 'site'}\n"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(text, encoding="utf-8")
    return folder / "mkdocs.yml"


def chapter_name(page: Path) -> str:
    """docs/chain-rule.md -> chain_rule (its snippet folder and tests);
    a page of a chapter folder, docs/autodiff/pytorch.md -> autodiff."""
    parts = page.resolve().relative_to(config.docs_dir().resolve()).parts
    return (parts[0] if len(parts) > 1 else page.stem).replace("-", "_")


def snippet_files(page: Path) -> list[Path]:
    """The snippets the page includes, and its snippet folder's files."""
    snippets = config.snippets_dir()
    included = {
        Path(origin).resolve()
        for block in blocks.page_blocks(page)
        for origin, _ in block.origins
        if Path(origin).suffix == ".py"
    }
    folder = snippets / chapter_name(page)
    own = set(folder.glob("*.py")) if folder.is_dir() else set()
    return sorted(
        p
        for p in included | {p.resolve() for p in own}
        if p.is_relative_to(snippets.resolve())
    )


def test_ids(page: Path) -> list[str]:
    snippets = config.snippets_dir().resolve()
    ids = [str(page)]
    ids += [
        "tests/test_snippets.py::test_snippet_runs_as_a_script"
        f"[{p.relative_to(snippets).as_posix()}]"
        for p in snippet_files(page)
    ]
    folder = chapter_name(page)
    if (config.snippets_dir() / folder).is_dir():
        ids.append(
            "tests/test_snippets.py::"
            f"test_every_snippet_of_a_folder_is_included[{folder}]"
        )
    own_tests = config.ROOT / "tests" / f"test_{folder}.py"
    if own_tests.exists():
        ids.append(str(own_tests.relative_to(config.ROOT)))
    path = config.page_url(page)
    ids += [
        "tests/test_site.py::test_site_builds_strictly",
        "tests/test_site.py::test_no_page_loads_an_asset_from_another_site",
        f"tests/test_browser.py::test_page_renders_completely_and_offline"
        f"[{path}]",
        f"tests/test_accessibility.py::test_no_accessibility_violations"
        f"[{path}]",
    ]
    return ids


def main(argv: list[str]) -> int:
    if not argv or not argv[0].endswith(".md"):
        print("usage: ./book check docs/<page>.md [pytest options]")
        return 2
    page, options = Path(argv[0]), argv[1:]
    if not page.is_file():
        print(f"{page}: no such page")
        return 2
    yml = page_config(page)
    env = {**os.environ, "BOOK_MKDOCS_YML": str(yml)}
    command = [sys.executable, "-m", "pytest", *test_ids(page), *options]
    return subprocess.run(command, cwd=config.ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
