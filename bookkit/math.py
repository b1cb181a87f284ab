"""Typeset the site's math at build time (MathJax 3 in Node).

Pages carry arithmatex's `\\( \\)` and `\\[ \\]`; notebooks carry raw
`$...$`. Both are replaced by static CommonHTML with MathML for screen
readers, and one stylesheet for the whole site is written at the end, so a
reader downloads no math script and the page does not move while math
renders.
"""

import html
import json
import re
import subprocess
from pathlib import Path

from bookkit import config

SCRIPT = Path(__file__).with_name("tex2chtml.mjs")
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


class MathError(Exception):
    """TeX that MathJax cannot typeset."""


class Typesetter:
    def __init__(self):
        self._node = None

    def _ask(self, request: dict) -> dict:
        if self._node is None:
            self._node = subprocess.Popen(
                ["node", str(SCRIPT)],
                cwd=config.ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        self._node.stdin.write(json.dumps(request) + "\n")
        self._node.stdin.flush()
        return json.loads(self._node.stdout.readline())

    def render(self, formulas: list[tuple[str, bool]]) -> list[str]:
        if not formulas:
            return []
        request = [{"tex": t, "display": d} for t, d in formulas]
        answer = self._ask({"formulas": request})
        if answer["errors"]:
            raise MathError(f"cannot typeset: {answer['errors']}")
        return answer["html"]

    def stylesheet(self) -> str:
        return self._ask({"stylesheet": True})["css"]

    def close(self):
        if self._node is not None:
            self._node.stdin.close()
            self._node.wait()
            self._node = None


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
