"""Give build messages the Markdown line they are about.

- mkdocs' own warnings about a link (a missing page, a missing anchor, an
  absolute or unrecognized link) name the page but not the line: a
  logging filter puts `docs/page.md:LINE: ` in front of each.
- An asset a page would fetch from another site (a script, stylesheet,
  image, frame, media) is a warning naming the Markdown line that wrote
  it, so the strict build fails on it: the site makes no third-party
  request.
"""

import logging
import re
from pathlib import Path

from bookkit import blocks

LINK_WARNING = re.compile(
    r"^Doc file '(?P<doc>[^']+)' contains an? (?:absolute |unrecognized "
    r"relative )?link '(?P<url>[^']+)'"
)
OFF_SITE = re.compile(  # an element that makes the browser fetch its URL
    r"<(script|link|img|iframe|source|audio|video|embed|object)\b[^>]*?"
    r"\b(src|href|data|poster)=[\"']?((?:https?:)?//[^\"'\s>]+)",
    re.IGNORECASE,
)
SCRIPT_IMPORT = re.compile(  # a script that loads a module from elsewhere
    r"""\bimport\(\s*["'`]((?:https?:)?//[^"'`]+)"""
)
LINK_REL = re.compile(r"""\brel=["']?([^"'>]*)""", re.IGNORECASE)
FETCHED_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest"}

log = logging.getLogger("mkdocs.plugins.book")


def line_of(markdown_file: Path, needle: str) -> str:
    """`docs/page.md:LINE` of the first place the page writes `needle`
    (as a link target if it can tell); the page alone if nowhere."""
    text = markdown_file.read_text(encoding="utf-8")
    for probe in (f"]({needle}", f"]: {needle}", f'"{needle}"', needle):
        start = text.find(probe)
        if start >= 0:
            return blocks.at_line(markdown_file, text, start)
    return blocks.relative(markdown_file)


class LinkLines(logging.Filter):
    """Prefix mkdocs' link warnings with the page's file and line."""

    def __init__(self, docs_dir: Path):
        super().__init__()
        self.docs_dir = Path(docs_dir)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        match = LINK_WARNING.match(message)
        page = self.docs_dir / match["doc"] if match else None
        if page is not None and page.is_file():
            record.msg, record.args = (
                f"{line_of(page, match['url'])}: {message}",
                (),
            )
        return True


def name_link_lines(docs_dir: Path) -> None:
    """Install the filter once (mkdocs serve rebuilds with a new config)."""
    logger = logging.getLogger("mkdocs.structure.pages")
    for old in [f for f in logger.filters if isinstance(f, LinkLines)]:
        logger.removeFilter(old)
    logger.addFilter(LinkLines(docs_dir))


def off_site_assets(html: str) -> list[str]:
    """URLs of the assets a page would fetch from another site."""
    found = []
    for match in OFF_SITE.finditer(html):
        if match[1].lower() == "link":
            rel = LINK_REL.search(match[0])
            rels = set(rel[1].lower().split()) if rel else set()
            if not rels & FETCHED_RELS:
                continue  # a link to another site, not an asset
        found.append(match[3])
    return found + [match[1] for match in SCRIPT_IMPORT.finditer(html)]


def warn_off_site(html: str, markdown_file: Path) -> None:
    """A warning (an error in a strict build) for each off-site asset."""
    for url in off_site_assets(html):
        log.warning(
            f"{line_of(markdown_file, url)}: the page loads {url} from "
            "another site; the book makes no third-party request: "
            "serve a copy from docs/assets/ instead"
        )
