"""The book's mkdocs plugin: notebook downloads and the "last verified" line.

- Executed notebooks are cached under a key that includes every installed
  package's version, so a cached output is never stale: mkdocs-jupyter's
  own key covers only the notebook's text.
- Every lab (`docs/labs/*.py`, a jupytext percent notebook) is also
  written to the site as a real `.ipynb`, next to its rendered page, for
  the page's download button.
- The labs run in the background while the chapters build (`labs`), and
  their pages lose the JupyterLab CSS they do not use (`lab_pages`).
- Math is typeset and diagrams are drawn at build time (`math`,
  `diagrams`): pages ship no math or diagram script.
- Material's palette stylesheet loses a rule, and tables get a wrapper of
  their own: both spare a restyle of the whole page at load (`material`).
- A precise number in a page's prose must be printed by a block of the
  page or written in its code or tests (`numbers`).
- Every build error names the Markdown line: a page's blocks (`fence`),
  includes (`blocks`), links and off-site assets (`where`), TeX and
  diagrams (`math`, `diagrams`).
- Plain `mkdocs build` without the npm packages says in one line what to
  install.
- Every page gets the date of the build and the versions the code on it
  ran with (`config.extra.verified`).
"""

import datetime
import hashlib
import platform
import re
import shutil
import sys
from functools import cache
from importlib.metadata import distributions, version
from pathlib import Path

import rcssmin
import rjsmin
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from bookkit import (
    blocks,
    diagrams,
    fence,
    lab_pages,
    material,
    math,
    numbers,
    where,
)
from bookkit import config as book_config

LABS = "labs/"
NODE_PACKAGES = ("mathjax-full", "mermaid", "@fontsource/stix-two-math")
INSTALL = "run ./book build (installs them, then builds) or npm ci"
PRE = re.compile(r"<pre(?=[\s>])")


def is_lab(page) -> bool:
    uri = page.file.src_uri
    return uri.startswith(LABS) and uri.endswith(".py")


@cache
def environment_key() -> str:
    """A digest of the Python version and every installed package."""
    # a set: the same package can be found twice on sys.path
    packages = sorted({f"{d.name}=={d.version}" for d in distributions()})
    text = "\n".join([sys.version, platform.platform(), *packages])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def missing_tools(root: Path) -> str | None:
    """One line naming what the build needs and lacks, or None."""
    if shutil.which("node") is None:
        return (
            "Node.js is not installed (the build typesets math with it): "
            "run ./book build, or apt-get install nodejs npm, then npm ci"
        )
    modules = root / "node_modules"
    missing = [p for p in NODE_PACKAGES if not (modules / p).is_dir()]
    if missing:
        return (
            f"npm packages missing from {modules}: {', '.join(missing)}; "
            + INSTALL
        )
    return None


MINIFIERS = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


def minify_own_assets(site: Path, config) -> None:
    """The book's own stylesheets and scripts (extra_css and
    extra_javascript) lose their comments and spaces in the site: every
    page loads them, and compressed they are 3.8 kB smaller. Their sources
    keep the comments."""
    for entry in [*config.extra_css, *config.extra_javascript]:
        file = site / str(entry)
        if "://" in str(entry) or not file.is_file():
            continue  # another site's, or not in this site (a planted one)
        minify = MINIFIERS[file.suffix]
        file.write_text(minify(file.read_text("utf-8")), encoding="utf-8")


class BookPlugin(BasePlugin):
    labs = notebooks = typesetter = diagrammer = None  # set by on_config

    def on_config(self, config):
        problem = missing_tools(book_config.ROOT)
        if problem:
            raise PluginError(problem)
        where.name_link_lines(Path(config.docs_dir))
        book_config.use(config.config_file_path)  # e.g. `mkdocs build -f`
        notebooks = config.plugins.get("mkdocs-jupyter")
        # the book's caches, shared by `./book check`'s page builds; a
        # planted site (tests/test_bad_input.py) has its own
        caches = Path(config.docs_dir).parent / ".cache"
        fence.cache_dir = caches / "blocks" / environment_key()
        if notebooks is not None:
            cache = Path(config.config_file_path).parent / ".cache"
            notebooks.config["cache"] = True
            notebooks.config["cache_dir"] = str(
                cache / "notebooks" / environment_key()
            )
        packages = ("torch", "numpy", "matplotlib")
        versions = ", ".join(f"{name} {version(name)}" for name in packages)
        self.notebooks, self.labs = notebooks, None
        self.typesetter = math.Typesetter(caches / "math")
        self.diagrammer = diagrams.Diagrammer()
        config.extra["verified"] = {
            "date": datetime.date.today().isoformat(),
            "versions": f"Python {platform.python_version()}, {versions}",
        }
        return config

    def on_files(self, files, config):
        if self.notebooks and any(
            self.notebooks.should_include(f) and not f.inclusion.is_excluded()
            for f in files
        ):  # nbconvert and jupytext load only for a build with labs (1 s)
            from bookkit import labs

            self.labs = labs.LabRunner(self.notebooks)
            self.labs.start(files)
        pages = [
            f.abs_src_path
            for f in files
            if f.src_uri.endswith(".md") and not f.inclusion.is_excluded()
        ]
        self.diagrammer.prefetch(pages)
        labs = [
            f.abs_src_path
            for f in files
            if f.src_uri.startswith(LABS) and f.src_uri.endswith(".py")
        ]
        texts = (Path(p).read_text("utf-8") for p in pages + labs)
        if any(math.DEFINES.search(text) for text in texts):
            self.typesetter.without_cache()  # see math.DEFINES
        return files

    def on_pre_page(self, page, config, files):
        if self.labs:
            self.labs.wait_for(page.file.abs_src_path)
        return page

    def on_page_markdown(self, markdown, page, config, files):
        fence.start_page(Path(page.file.abs_src_path))
        # mkdocs has cut the front matter (a chapter index's moved: map)
        source = fence.current_page.read_text(encoding="utf-8")
        first_line = 1 + source.count("\n") - markdown.count("\n")
        try:  # pymdownx would name neither the page nor the line
            blocks.check_includes(fence.current_page, markdown, first_line)
        except blocks.BlockError as error:
            raise PluginError(str(error)) from error
        return markdown

    def on_page_content(self, html, page, config, files):
        fence.finish_page(Path(page.file.abs_src_path))
        if is_lab(page):  # before search reads the page
            html = lab_pages.trim(html)
        source = Path(page.file.abs_src_path)
        where.warn_off_site(html, source)
        if numbers.applies_to(page.file.src_uri):
            text = source.read_text(encoding="utf-8")
            printed = fence.printed.pop(source, [])
            versions = config.extra["verified"]["versions"]
            for problem in numbers.unprinted(source, text, printed, versions):
                where.log.warning(problem)
        try:
            html = diagrams.draw_page(html, self.diagrammer)
        except diagrams.DiagramError as error:
            place = error.where(Path(page.file.abs_src_path))
            raise PluginError(f"{place}: {error}") from error
        html = material.wrap_tables(html)
        # search indexes prose, headings and inline code; code blocks and
        # outputs are left out (over 40% of an index every page fetches),
        # and so are the tabs' names ("BrokenFixed" in a result)
        html = html.replace(
            '<div class="tabbed-labels">',
            '<div class="tabbed-labels" data-search-exclude>',
        )
        return PRE.sub("<pre data-search-exclude", html)

    def on_post_page(self, output, page, config):
        if is_lab(page):
            import nbformat  # loads only for a build with labs

            source = Path(page.file.abs_src_path)
            target = Path(page.file.abs_dest_path).parent / (
                source.stem + ".ipynb"
            )
            target.parent.mkdir(parents=True, exist_ok=True)
            executed = self.labs.executed(str(source)) if self.labs else None
            if executed:  # the download holds the page's outputs
                notebook = nbformat.read(executed, as_version=4)
            else:
                from bookkit import labs

                notebook = labs.lab_notebook(source)
            nbformat.write(notebook, target)
            try:
                output = lab_pages.figures(
                    output, notebook, source, target.parent
                )
            except lab_pages.LabError as error:
                raise PluginError(str(error)) from error
            output = lab_pages.downloads_under_title(
                output, source.stem, lab_pages.colab_repo(config.repo_url)
            )
        try:
            output = math.typeset_page(output, self.typesetter)
        except math.MathError as error:
            place = error.where(Path(page.file.abs_src_path))
            raise PluginError(f"{place}: {error}") from error
        return math.preload_font(output, page.url)

    def on_post_build(self, config):
        site = Path(config.site_dir)
        math.write_font(self.typesetter.characters, site / math.FONT_URL)
        minify_own_assets(site, config)
        index = site / "search" / "search_index.json"  # Material's, written
        if index.exists():  # by the search plugin, which runs before this
            math.plain_search_index(index, self.typesetter.plain)
        try:
            material.drop_switching_rule(site)
        except material.PaletteError as error:
            raise PluginError(str(error)) from error
        self.close()

    def on_build_error(self, error):
        self.close()

    def close(self):
        for part in (self.labs, self.typesetter, self.diagrammer):
            if part is not None:
                part.close()
