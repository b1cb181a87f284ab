"""Lab pages: alt text and files for figures, and no unused weight.

- Each figure a lab draws needs alt text, given on its cell's first line:
  `# %% alt="What the figure shows"`. The build fails without it, naming
  the line. The PNG, inlined by nbconvert as base64, becomes a file next
  to the page, with its size reserved and loaded when scrolled to.

Trimmed, from what mkdocs-jupyter puts on every lab page:

- JupyterLab's whole stylesheet (570 kB) is inlined into each lab. Only
  the rules whose classes occur on the page are kept, and of the custom
  properties (1,000 of them, 80 kB of icons among them) only those some
  kept rule reads: about a tenth is left.
- A module script that would import mermaid from a CDN if a notebook
  output held a diagram. The labs hold none, and the book loads nothing
  from other sites.
"""

import base64
import functools
import html
import math
import re
import struct
from pathlib import Path

import tinycss2
from tinycss2.ast import AtRule, QualifiedRule

from bookkit import blocks
from bookkit.svg_text import SMALLEST_TEXT  # CSS px, on a phone

STYLE = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.DOTALL)
MERMAID_LOADER = re.compile(
    r'<script type="module">(?:(?!</script>).)*?\.jp-Mermaid.*?</script>\s*',
    re.DOTALL,
)
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
ATTRIBUTE = re.compile(r"\[[^\]]*\]")  # [data-x="a.b"] names no class
VAR = re.compile(r"var\(\s*(--[\w-]+)")
BIG = 20_000  # characters: JupyterLab's sheets, not a page's own styles
CELL = re.compile(r'<div class="jp-Cell [^"]*" id="cell-id=')
PNG = re.compile(r'<img\b[^>]*?src="data:image/png;base64,([^"]+)"[^>]*>')
CELL_MARKER = re.compile(r"^# %%", re.MULTILINE)
# the copy button (its "Copied!" notice), the hidden copy of each cell's
# code it copies, and the ¶ link of each heading
UNSEARCHED = re.compile(
    r'(<div class="(?:zeroclipboard-container|clipboard-copy-txt)"'
    r'[^>]*|<a class="anchor-link"[^>]*)>'
)


class LabError(Exception):
    """A lab figure without alt text."""


def figures(page: str, notebook, source: Path, folder: Path) -> str:
    """Give each figure its cell's alt text and write it to `folder` as a
    PNG file, named after the lab; the page links to it."""
    starts = [m.start() for m in CELL.finditer(page)]
    if len(starts) != len(notebook.cells):
        raise LabError(
            f"{blocks.relative(source)}: {len(starts)} cells on the page, "
            f"{len(notebook.cells)} in the notebook"
        )
    pieces, last, count = [], 0, 0
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(page)
        for image in PNG.finditer(page, start, end):
            alt = notebook.cells[index].metadata.get("alt")
            if not alt:
                raise LabError(
                    f"{_cell_line(source, index)}: this cell draws a figure;"
                    ' give it alt text: # %% alt="what the figure shows"'
                )
            count += 1
            name = f"{source.stem}-figure-{count}.png"
            png = base64.b64decode(image[1])
            (folder / name).write_bytes(png)
            width, height = struct.unpack(">II", png[16:24])  # IHDR
            pieces += [
                page[last : image.start()],
                f'<img src="{name}" alt="{html.escape(alt)}" width="{width}"'
                f' height="{height}" loading="lazy" decoding="async"'
                f' style="--book-phone-width: {phone_width(png, width)}px">',
            ]
            last = image.end()
    return "".join(pieces) + page[last:]


TEXT_POINTS = 10  # matplotlib's default font size, which the labs keep


def phone_width(png: bytes, width: int) -> int:
    """The width in CSS px at which a lab figure's text (TEXT_POINTS at the
    PNG's resolution, from its pHYs chunk) is SMALLEST_TEXT px tall."""
    at = png.find(b"pHYs")
    per_metre = struct.unpack(">I", png[at + 4 : at + 8])[0] if at > 0 else 0
    dpi = per_metre * 0.0254 or 100  # matplotlib's default
    return math.ceil(width * SMALLEST_TEXT / (TEXT_POINTS * dpi / 72))


def _cell_line(source: Path, index: int) -> str:
    """`docs/labs/x.py:LINE` of the notebook's cell number `index`."""
    text = source.read_text(encoding="utf-8")
    markers = list(CELL_MARKER.finditer(text))
    at = markers[index].start() if index < len(markers) else -1
    return blocks.at_line(source, text, at)


def trim(page: str) -> str:
    """A lab's notebook HTML without the CDN loader and the CSS it cannot
    use (Material's page around it holds no JupyterLab class), its copy
    buttons' text and headings' ¶ kept out of search."""
    page = MERMAID_LOADER.sub("", page)
    page = UNSEARCHED.sub(r"\1 data-search-exclude>", page)
    classes = {c for a in CLASS_ATTRIBUTE.findall(page) for c in a.split()}
    big = [m for m in STYLE.finditer(page) if len(m[2]) >= BIG]
    rest = STYLE.sub(lambda m: "" if len(m[2]) >= BIG else m[0], page)
    read_elsewhere = set(VAR.findall(rest))  # e.g. the dark theme's sheet
    for match in reversed(big):
        css = used_css(match[2], classes, read_elsewhere)
        page = page[: match.start(2)] + css + page[match.end(2) :]
    return page


def used_css(css: str, classes: set[str], read_elsewhere=frozenset()) -> str:
    """The rules of `css` that can match an element with these classes,
    without custom properties that nothing kept reads: neither a kept
    rule's own properties, nor the rest of the page, nor (in turn) a
    custom property that is itself read."""
    rules = _matching(_parse(css), classes)
    reads: dict[str, set[str]] = {}  # custom property -> what it reads
    needed = set(read_elsewhere)
    for declaration in _declarations(rules):
        found = set(VAR.findall(tinycss2.serialize(declaration.value)))
        if declaration.name.startswith("--"):
            reads.setdefault(declaration.name, set()).update(found)
        else:
            needed |= found
    pending = list(needed)
    while pending:
        for name in reads.get(pending.pop(), ()):
            if name not in needed:
                needed.add(name)
                pending.append(name)
    return tinycss2.serialize(_without_unread(rules, needed))


def can_match(selector: str, classes: set[str]) -> bool:
    """False for a selector naming a class no element has, or `:root`
    below another element: it can never match on this page."""
    selector = ATTRIBUTE.sub("", selector).strip()
    return (
        set(CLASS.findall(selector)) <= classes and ":root" not in selector[1:]
    )


@functools.lru_cache(maxsize=256)
def _parse(css: str) -> tuple:
    """The rules of `css`, parsed once per text: the labs share JupyterLab's
    sheets. The nodes are never changed; trimming builds new ones."""
    nodes = tinycss2.parse_stylesheet(
        css, skip_comments=True, skip_whitespace=True
    )
    return tuple(n for n in nodes if n.type != "error")


GROUPS = ("media", "supports")  # at-rules holding rules


def _each_rule(rules: list, keep) -> list:
    """Rules (also those inside @media and @supports) that `keep` returns,
    as it returns them; other nodes as they are; empty groups dropped."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            rule = keep(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPS:
            inner = _each_rule(_parse(tinycss2.serialize(rule.content)), keep)
            content = tinycss2.parse_component_value_list(
                tinycss2.serialize(inner)
            )
            rule = _at_rule(rule, content) if inner else None
        if rule is not None:
            kept.append(rule)
    return kept


def _matching(rules: list, classes: set[str]) -> list:
    def keep(rule):
        selectors = [
            s
            for s in tinycss2.serialize(rule.prelude).split(",")
            if can_match(s, classes)
        ]
        if not selectors:
            return None
        prelude = tinycss2.parse_component_value_list(
            ",".join(selectors).lstrip()
        )
        return QualifiedRule(
            rule.source_line, rule.source_column, prelude, rule.content
        )

    return _each_rule(rules, keep)


def _declarations(rules: list):
    """Every declaration of `rules`, also inside @media and @supports."""
    for rule in rules:
        if rule.type == "qualified-rule":
            for node in _contents(rule):
                if node.type == "declaration":
                    yield node
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPS:
            yield from _declarations(_parse(tinycss2.serialize(rule.content)))


def _contents(rule) -> list:
    return tinycss2.parse_blocks_contents(
        rule.content, skip_comments=True, skip_whitespace=True
    )


def _without_unread(rules: list, read: set[str]) -> list:
    def keep(rule):
        declarations = _contents(rule)
        used = [
            d
            for d in declarations
            if not (d.type == "declaration" and d.name.startswith("--"))
            or d.name in read
        ]
        if not used:
            return None
        if len(used) == len(declarations):
            return rule
        content = tinycss2.parse_component_value_list(
            tinycss2.serialize(used)  # each ends in its ";"
        )
        return QualifiedRule(
            rule.source_line, rule.source_column, rule.prelude, content
        )

    return _each_rule(rules, keep)


def _at_rule(rule, content):
    return AtRule(
        rule.source_line,
        rule.source_column,
        rule.at_keyword,
        rule.lower_at_keyword,
        rule.prelude,
        content,
    )


DOWNLOADS = """<p class="book-lab-download">
<a class="md-button md-button--primary" href="{stem}.ipynb" download>\
Download the notebook, with outputs (.ipynb)</a>
<a class="md-button" href="{stem}.py" download>\
Download the script (.py)</a>{colab}
</p>"""

# CI publishes the labs' executed notebooks on this branch of the book's
# GitHub repository (.github/workflows/site.yml), where Colab opens them.
NOTEBOOKS_BRANCH = "notebooks"
COLAB = """
<a class="md-button" href="https://colab.research.google.com/github/\
{repo}/blob/{branch}/{stem}.ipynb">Open in Colab</a>"""
GITHUB_REPO = re.compile(r"https://github\.com/([\w.-]+/[\w.-]+?)/?$")


def colab_repo(repo_url: str | None) -> str | None:
    """`owner/name` when the book's repository is on GitHub (Colab opens
    notebooks from GitHub only), else None."""
    match = GITHUB_REPO.match(repo_url or "")
    return match[1] if match else None


def downloads_under_title(page: str, stem: str, repo: str | None) -> str:
    """The lab's downloads, right under its title (the first h1), and a
    link that opens it in Colab if the book's repository is on GitHub
    (`repo`): a link only, so the page makes no request to Google."""
    end = page.find("</h1>")
    if end < 0:
        raise LabError(f"labs/{stem}.py: no title (# # Lab N: ...)")
    end += len("</h1>")
    colab = COLAB.format(repo=repo, branch=NOTEBOOKS_BRANCH, stem=stem)
    downloads = DOWNLOADS.format(stem=stem, colab=colab if repo else "")
    return page[:end] + downloads + page[end:]
