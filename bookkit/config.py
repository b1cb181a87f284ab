"""The site's Markdown configuration, loaded once from mkdocs.yml."""

import os
from functools import cache
from pathlib import Path

import markdown
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parent.parent
# BOOK_MKDOCS_YML points the tests of bad input at small planted sites.
MKDOCS_YML = Path(os.environ.get("BOOK_MKDOCS_YML", ROOT / "mkdocs.yml"))


@cache
def site_config():
    return load_config(str(MKDOCS_YML))


def use(mkdocs_yml) -> None:
    """Read the site's settings from this file (the one mkdocs builds)."""
    global MKDOCS_YML
    if Path(mkdocs_yml).resolve() != MKDOCS_YML.resolve():
        MKDOCS_YML = Path(mkdocs_yml)
        site_config.cache_clear()
        snippet_preprocessor.cache_clear()


def docs_dir() -> Path:
    return Path(site_config()["docs_dir"])


def snippets_dir() -> Path:
    """The first of the snippet base paths: the book's `snippets/`, or a
    planted site's own (tests/test_bad_input.py)."""
    return Path(markdown_options()[1]["pymdownx.snippets"]["base_path"][0])


def page_url(source: Path) -> str:
    """A page's URL path on the site: docs/rules.md -> rules/, a chapter
    folder's docs/autodiff/index.md -> autodiff/, docs/index.md -> ""."""
    stem = source.resolve().relative_to(docs_dir().resolve()).with_suffix("")
    if stem.name == "index":
        stem = stem.parent
    return "" if stem == Path() else f"{stem.as_posix()}/"


def markdown_options() -> tuple[list, dict]:
    """The extensions and their settings, with snippet paths made absolute."""
    config = site_config()
    options = {name: dict(opts) for name, opts in config.mdx_configs.items()}
    snippets = options["pymdownx.snippets"]
    base = snippets.get("base_path", ["."])
    base = [base] if isinstance(base, str) else base
    snippets["base_path"] = [str((ROOT / path).resolve()) for path in base]
    return list(config.markdown_extensions), options


def new_markdown(**overrides) -> markdown.Markdown:
    """A Markdown instance configured exactly as mkdocs builds pages."""
    extensions, options = markdown_options()
    for name, value in overrides.items():
        options[name] = {**options.get(name, {}), **value}
    return markdown.Markdown(extensions=extensions, extension_configs=options)


@cache
def snippet_preprocessor():
    """pymdownx's own snippet preprocessor, configured from mkdocs.yml.

    Without `auto_append`: that adds a page footer, not code to a block.
    """
    md = new_markdown(**{"pymdownx.snippets": {"auto_append": []}})
    return md.preprocessors["snippet"]
