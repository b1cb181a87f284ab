"""Typeset the site's math at build time (MathJax 3 in Node).

Pages carry arithmatex's `\\( \\)` and `\\[ \\]`; notebooks carry raw
`$...$`. Both are replaced by static CommonHTML with MathML for screen
readers, and one stylesheet for the whole site is written at the end, so a
reader downloads no math script and the page does not move while math
renders. The fonts are cut down to the characters the formulas use, and
text shows at once in a fallback font while they load: each glyph's box is
sized by the stylesheet, not by the font, so the swap moves nothing.
"""

import html
import re
import shutil
from pathlib import Path

from bookkit import config
from bookkit.worker import Worker

SCRIPT = Path(__file__).with_name("tex2chtml.mjs")
FONTS = (
    config.ROOT / "node_modules/mathjax-full/es5/output/chtml/fonts/woff-v2"
)
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])</(?P=tag)>",
    re.DOTALL,
)
NOTEBOOK_CELL = re.compile(
    r'<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>'
)
DOLLARS = re.compile(
    r"\$\$(?P<display>.+?)\$\$"
    r"|(?<![\\$\w])\$(?P<inline>[^$\s](?:[^$]*?[^$\s])?)\$(?!\w)",
    re.DOTALL,
)
CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL)


FONT_FACE = re.compile(r"@font-face[^{]*\{")
FONT_URL = re.compile(r'src: url\("([^"]+)"\)')
CONTENT = re.compile(r'content: "((?:\\.|[^"\\])*)"')


class MathError(Exception):
    """TeX that MathJax cannot typeset."""


class Typesetter:
    def __init__(self):
        self._node = Worker(["node", str(SCRIPT)])

    def render(self, formulas: list[tuple[str, bool]]) -> list[str]:
        if not formulas:
            return []
        request = [{"tex": t, "display": d} for t, d in formulas]
        answer = self._node.ask({"formulas": request})
        if answer["errors"]:
            raise MathError(f"cannot typeset: {answer['errors']}")
        return answer["html"]

    def stylesheet(self) -> str:
        return self._node.ask({"stylesheet": True})["css"]

    def close(self):
        self._node.close()


def _typeset_matches(text, pattern, typesetter, wrap) -> str:
    matches = list(pattern.finditer(text))
    formulas = [
        (html.unescape(m["display"] or m["inline"]), m["display"] is not None)
        for m in matches
    ]
    rendered = typesetter.render(formulas)
    pieces, last = [], 0
    for match, markup in zip(matches, rendered, strict=True):
        pieces += [text[last : match.start()], wrap(match, markup)]
        last = match.end()
    return "".join(pieces) + text[last:]


def _notebook_math(page: str, typesetter) -> str:
    """Typeset `$...$` in notebook Markdown cells, leaving code alone."""
    out, last = [], 0
    for start in NOTEBOOK_CELL.finditer(page):
        end = page.find("</div>", start.end())
        cell = page[start.end() : end]
        code = {f"\0{n}\0": m[0] for n, m in enumerate(CODE.finditer(cell))}
        for key, block in code.items():
            cell = cell.replace(block, key, 1)
        cell = _typeset_matches(cell, DOLLARS, typesetter, lambda m, h: h)
        for key, block in code.items():
            cell = cell.replace(key, block, 1)
        out += [page[last : start.end()], cell]
        last = end
    return "".join(out) + page[last:]


def typeset_page(page: str, typesetter: Typesetter) -> str:
    def keep_wrapper(match, markup):
        tag = match["tag"]
        return f'<{tag} class="arithmatex">{markup}</{tag}>'

    page = _typeset_matches(page, ARITHMATEX, typesetter, keep_wrapper)
    return _notebook_math(page, typesetter)


def site_stylesheet(css: str) -> str:
    """MathJax's stylesheet, with text shown before its fonts arrive."""
    return FONT_FACE.sub(lambda m: m[0] + "\n  font-display: swap;", css)


def used_characters(css: str) -> set[str]:
    """Every character the stylesheet draws (its `content:` strings)."""
    chars = set()
    for match in CONTENT.finditer(css):
        text = re.sub(
            r"\\([0-9a-fA-F]{1,6}) ?", lambda e: chr(int(e[1], 16)), match[1]
        )
        chars |= set(re.sub(r"\\(.)", r"\1", text))
    return chars


def subset_fonts(css: str, stylesheet: Path) -> None:
    """Write each font the stylesheet names, cut down to the characters it
    draws, where the stylesheet (written at `stylesheet`) looks for it."""
    from fontTools import subset

    options = subset.Options(flavor="woff", notdef_outline=True)
    options.drop_tables.append("FFTM")  # FontForge's timestamps
    unicodes = sorted(ord(c) for c in used_characters(css))
    for url in FONT_URL.findall(css):
        font = subset.load_font(FONTS / Path(url).name, options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        output = stylesheet.parent / url
        output.parent.mkdir(parents=True, exist_ok=True)
        if font["cmap"].getBestCmap():
            subset.save_font(font, output, options)
        else:  # none of its characters is used: keep it whole and valid
            shutil.copyfile(FONTS / Path(url).name, output)
