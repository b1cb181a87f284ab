"""The strict build, and what the built HTML may and may not contain."""

import re
import subprocess
from pathlib import Path

import nbformat
from mkdocs.config import load_config

from bookkit import blocks, config, diagrams
from bookkit.mkdocs_plugin import MINIFIERS

REQUEST = re.compile(
    r"<(script|link|img|iframe|source|audio|video)\b[^>]*?"
    r"\b(src|href)=[\"']?((?:https?:)?//[^\"'\s>]+)",
    re.IGNORECASE,
)
SCRIPT_IMPORT = re.compile(  # a script that loads a module from elsewhere
    r"""\bimport\(\s*["'`]((?:https?:)?//[^"'`]+)"""
)


def test_site_builds_strictly(built_site):
    assert built_site.returncode == 0, built_site.log[-5000:]
    # mkdocs' own warnings; the notebook kernel's TCP notice is not one
    warnings = [
        line
        for line in built_site.log.splitlines()
        if re.match(r"(\x1b\[\d+m)?(WARNING|ERROR)\b", line)
    ]
    assert warnings == []


def pages(site: Path):
    return sorted(site.rglob("*.html"))


def external_requests(html: str) -> list[tuple[int, str]]:
    """(line, URL) of every asset the page would fetch from elsewhere."""
    found = []
    for match in REQUEST.finditer(html):
        if (
            match[1].lower() == "link"
            and "stylesheet" not in match[0]
            and ("icon" not in match[0])
        ):
            continue
        found.append((html[: match.start()].count("\n") + 1, match[3]))
    for match in SCRIPT_IMPORT.finditer(html):
        found.append((html[: match.start()].count("\n") + 1, match[1]))
    return sorted(found)


def test_no_page_loads_an_asset_from_another_site(built_site):
    found = [
        f"{page.relative_to(built_site.site)}:{line}: {url}"
        for page in pages(built_site.site)
        for line, url in external_requests(page.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_every_lab_figure_has_its_own_alt_text_and_file(built_site):
    labs = built_site.site / "labs"
    images = re.findall(
        r"<img\b[^>]*>",
        "".join(
            page.read_text(encoding="utf-8") for page in labs.rglob("*.html")
        ),
    )
    assert len(images) >= 8
    for image in images:
        alt = re.search(r'alt="([^"]{40,})"', image)
        assert alt and "No description" not in alt[1], image[:200]
        assert "data:" not in image and 'loading="lazy"' in image
        name = re.search(r'src="([^"]+)"', image)[1]
        assert list(labs.glob(f"*/{name}")), f"{name} was not written"


def test_every_page_says_when_its_code_was_verified(built_site):
    for page in config.docs_dir().rglob("*.md"):
        if "chapter-template" in page.name:
            continue
        html = built_site.site / config.page_url(page) / "index.html"
        assert "Last verified" in html.read_text(encoding="utf-8"), html


def test_every_lab_downloads_as_a_valid_notebook(built_site):
    labs = sorted((config.docs_dir() / "labs").glob("*.py"))
    assert labs, "no labs found"
    for lab in labs:
        path = built_site.site / "labs" / lab.stem / f"{lab.stem}.ipynb"
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        code = [c for c in notebook.cells if c.cell_type == "code"]
        assert code, f"{path} has no code cells"


def test_every_lab_ran_in_the_background(built_site):
    """bookkit/labs.py runs the labs while the chapters build; each lab's
    page then finds its result in mkdocs-jupyter's cache instead of
    running the notebook again (on a cold build, as in CI, too)."""
    labs = sorted(p.name for p in (config.docs_dir() / "labs").glob("*.py"))
    served = re.findall(r"Cache (hit|miss, writing): (\S+)", built_site.log)
    assert sorted(Path(path).name for _, path in served) == labs
    assert {outcome for outcome, _ in served} == {"hit"}


def test_block_count_matches_the_pages(built_site):
    """Each block rendered by the fence carries its wrapper in the HTML."""
    for page in blocks.pages():
        if "chapter-template" in page.name:
            continue
        shown = [b for b in blocks.page_blocks(page) if b.runs]
        html_path = built_site.site / config.page_url(page) / "index.html"
        html = html_path.read_text(encoding="utf-8")
        assert html.count('<div class="book-block"') == len(shown), page


def test_each_diagram_written_in_markdown_is_drawn_ahead_of_its_page(
    built_site,
):
    """The build starts drawing the diagrams it reads from the Markdown
    (`Diagrammer.prefetch`); the page must hold that very drawing, or the
    early start was wasted. Each drawing's id comes from its source."""
    diagrammer = diagrams.Diagrammer()  # its chromium starts only on demand
    docs = config.docs_dir()
    written = 0
    for markdown in sorted(docs.rglob("*.md")):
        sources = diagrams.written_in(markdown.read_text("utf-8"))
        page = config.page_url(markdown)
        if not sources:  # (the chapter template is not built)
            continue
        html = (built_site.site / page / "index.html").read_text("utf-8")
        for source in sources:
            written += 1
            drawing = f'id="diagram-{diagrammer.key(source)[:8]}"'
            assert drawing in html, f"{markdown.name}: {source[:40]}"
    assert written >= 6


def test_each_moved_section_is_on_the_page_its_chapter_names(built_site):
    """A chapter split into a folder lists, in its index's front matter,
    the anchors of the old single page now on another page (moved:
    anchor -> page/). Each must be on that page and not on the index,
    where book.js would otherwise not send an old link on."""
    from mkdocs.utils.meta import get_data

    maps = 0
    for index in sorted(config.docs_dir().glob("*/index.md")):
        _, meta = get_data(index.read_text(encoding="utf-8"))
        if "moved" not in meta:
            continue
        maps += 1
        chapter = built_site.site / config.page_url(index)
        html = (chapter / "index.html").read_text(encoding="utf-8")
        for anchor, page in meta["moved"].items():
            target = (chapter / page / "index.html").read_text("utf-8")
            assert f'id="{anchor}"' in target, (index, anchor, page)
            assert f'id="{anchor}"' not in html, (index, anchor)
        assert '<meta name="book-moved" content="' in html
    assert maps == 4  # chapters 4 to 7


def test_the_books_own_stylesheets_and_scripts_are_served_minified(
    built_site,
):
    """Each is its source minified (comments out) and still parses; the
    browser tests run the site with them as served."""
    site_config = load_config(str(config.MKDOCS_YML))
    own = [*site_config.extra_css, *site_config.extra_javascript]
    assert len(own) >= 4
    for entry in map(str, own):
        source = (config.docs_dir() / entry).read_text(encoding="utf-8")
        served = (built_site.site / entry).read_text(encoding="utf-8")
        assert served == MINIFIERS[Path(entry).suffix](source), entry
        assert len(served) < 0.9 * len(source), entry
        if entry.endswith(".css"):
            assert "/*" not in served, entry
        else:
            check = ["node", "--check", built_site.site / entry]
            subprocess.run(check, check=True)
