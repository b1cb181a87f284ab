"""Turn the site's TeX into MathML at build time (MathJax 3 in Node).

Pages carry arithmatex's `\\( \\)` and `\\[ \\]`; notebooks carry raw
`$...$`. Both are replaced by MathML, which the browser lays out itself
with an OpenType math font (STIX Two Math): a reader downloads no math
script, and a chapter's hundreds of formulas add a few hundred elements to
the page rather than thousands. The font is cut down to the characters the
formulas use.
"""

import contextlib
import hashlib
import html
import json
import os
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from mkdocs.utils import get_relative_url

from bookkit import blocks, config
from bookkit.worker import Worker

SCRIPT = Path(__file__).with_name("tex2mathml.mjs")
FONT = (
    config.ROOT / "node_modules/@fontsource/stix-two-math/files"
    "/stix-two-math-latin-400-normal.woff"
)
FONT_URL = "assets/fonts/stix-two-math.woff2"  # where the site serves it
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])</(?P=tag)>"
    r"(?P<punctuation>[.,:;!?)]*)",
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
TAG = re.compile(r"<[^>]*>")
MATH = re.compile(r"(<math\b[^>]*>)(.*)(</math>)", re.DOTALL)
PIECE = re.compile(r"<(/?)([a-z]+)\b[^>]*?(/?)>|[^<]+")
# A long inline formula may break after one of these, as TeX breaks a
# paragraph's formula after a relation or a comma; not inside brackets.
BREAK_AFTER = {
    "=",
    "\u2248",
    "\u2264",
    "\u2265",
    "<",
    ">",
    "\u2260",
    "\u223c",
    "\u2190",
    "\u2192",
    "\u27f6",
    "\u21d2",
    "\u221d",
    ",",
}
OPENING, CLOSING = set("([{\u27e8\u230a\u2308"), set(")]}\u27e9\u230b\u2309")
BINARY = {"+", "\u2212"}  # also after these, where they join two terms
LONG = 24  # characters drawn: about a third of a phone's line


class MathError(Exception):
    """TeX that MathJax cannot read."""

    def __init__(self, errors: list[dict]):
        self.errors = errors  # [{"tex": ..., "message": ...}]
        super().__init__(
            "; ".join(f"{e['message']} in {e['tex']!r}" for e in errors)
        )

    def where(self, source: Path) -> str:
        """`docs/page.md:LINE` of the first bad formula in `source`."""
        text = source.read_text(encoding="utf-8")
        start = text.find(self.errors[0]["tex"].strip().splitlines()[0])
        return blocks.at_line(source, text, start)


# TeX that defines a macro for the formulas after it: a formula's MathML
# would then depend on others, so a build whose pages define one neither
# reads nor writes the cache.
DEFINES = re.compile(r"\\(newcommand|renewcommand|def|let|DeclareMathOp)")


class Typesetter:
    """TeX to MathML, by MathJax in a Node worker. With a `cache` folder,
    each formula's MathML is kept in a file named by the versions of
    MathJax and Node and the converter's code, so a warm build sends only
    new formulas to Node."""

    def __init__(self, cache: Path | None = None):
        self._node = Worker(["node", str(SCRIPT)])
        self.characters: set[str] = set()  # every one the formulas draw
        self.plain: dict[str, str] = {}  # TeX -> the text the reader sees
        self._file = cache / f"{converter_key()}.json" if cache else None
        self._known: dict[str, str] = {}
        self._new: dict[str, str] = {}
        if self._file is not None and self._file.exists():
            with contextlib.suppress(ValueError):
                self._known = json.loads(self._file.read_text("utf-8"))

    def render(self, formulas: list[tuple[str, bool]]) -> list[str]:
        if not formulas:
            return []
        keys = [("D" if display else "I") + tex for tex, display in formulas]
        wanted = {
            key: formula
            for key, formula in zip(keys, formulas, strict=True)
            if self._file is None or key not in self._known
        }
        if wanted:
            request = [{"tex": t, "display": d} for t, d in wanted.values()]
            answer = self._node.ask({"formulas": request})
            if answer["errors"]:
                raise MathError(answer["errors"])
            found = dict(zip(wanted, answer["mathml"], strict=True))
            self._known.update(found)
            self._new.update(found)
        mathml = [self._known[key] for key in keys]
        for (tex, _), markup in zip(formulas, mathml, strict=True):
            self.characters |= drawn_characters(markup)
            self.plain[" ".join(tex.split())] = linear_text(markup)
        return mathml

    def without_cache(self) -> None:
        self._file, self._known, self._new = None, {}, {}

    def close(self):
        self._node.close()
        if self._file is None or not self._new:
            return
        known = {}  # another build may have added some meanwhile
        with contextlib.suppress(OSError, ValueError):
            known = json.loads(self._file.read_text("utf-8"))
        self._file.parent.mkdir(parents=True, exist_ok=True)
        partial = self._file.with_suffix(f".{os.getpid()}")
        partial.write_text(json.dumps({**known, **self._new}), "utf-8")
        partial.replace(self._file)
        self._new = {}


def converter_key() -> str:
    """MathJax's version, Node's, and the converter script."""
    package = config.ROOT / "node_modules" / "mathjax-full" / "package.json"
    node = subprocess.run(
        ["node", "--version"], capture_output=True, text=True, check=False
    ).stdout
    text = package.read_text("utf-8") + node + SCRIPT.read_text("utf-8")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# Elements the browser draws with a glyph their text does not contain.
IMPLIED = {"msqrt": "\u221a", "mroot": "\u221a"}
# Glyphs Firefox measures to set its own layout constants, formulas or not:
# the overbar (rule thickness, used to place accents) and the minus sign
# (the math axis). Without the overbar, every hat sits 2 px higher.
MEASURED = {"\u00af", "\u2212"}


def drawn_characters(mathml: str) -> set[str]:
    """Every character the browser draws for `mathml`: its text, and the
    radical sign of a square or nth root, which is in no text at all."""
    characters = set(html.unescape(TAG.sub("", mathml)))
    for element, glyph in IMPLIED.items():
        if f"<{element}" in mathml:
            characters.add(glyph)
    return characters


def breakable(mathml: str) -> list[str]:
    """A long inline formula as pieces the line may break between: a
    `<math>` for each run that ends in a relation or a comma at the
    formula's top level (browsers do not break inside a formula). A short
    formula, or one with nowhere to break, stays whole."""
    match = MATH.fullmatch(mathml)
    if not match or len(html.unescape(TAG.sub("", mathml))) < LONG:
        return [mathml]
    opening, body, closing = match.groups()
    pieces, start, depth, brackets = [], 0, 0, 0
    mo_text = None  # the text of the operator being read
    after = None  # the element before, at the top level
    for token in PIECE.finditer(body):
        close, name, empty = token[1], token[2], token[3]
        if name is None:  # text
            if mo_text is not None:
                mo_text += html.unescape(token[0])
            continue
        if close:
            depth -= 1
            if name == "mo" and mo_text is not None:
                # brackets are counted at any depth: in (W^T)^2 the closing
                # one is inside the power
                text = mo_text.strip()
                brackets += (text in OPENING) - (text in CLOSING)
                binary = text in BINARY and after not in (None, "mo")
                if (
                    depth == 0
                    and brackets == 0
                    and (text in BREAK_AFTER or binary)
                ):
                    pieces.append(body[start : token.end()])
                    start = token.end()
            mo_text = None
            if depth == 0:
                after = name
        elif not empty:
            if name == "mo":
                mo_text = ""
            depth += 1
    rest = body[start:]
    if not pieces or not TAG.sub("", rest).strip():
        return [mathml]
    return [f"{opening}{piece}{closing}" for piece in [*pieces, rest]]


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
        # punctuation right after inline math goes inside its (nowrap)
        # span, so a line never starts with the comma after a formula
        # (a long formula is in pieces, each kept whole, that a narrow
        # screen may break between)
        tag, punctuation = match["tag"], match["punctuation"]
        if tag == "span":
            pieces = breakable(markup)
            if len(pieces) > 1:
                return (
                    '<span class="arithmatex book-breakable">'
                    f"{'<wbr>'.join(pieces)}{punctuation}</span>"
                )
            return f'<span class="arithmatex">{markup}{punctuation}</span>'
        return f'<div class="arithmatex">{markup}</div>{punctuation}'

    page = _typeset_matches(page, ARITHMATEX, typesetter, keep_wrapper)
    return _notebook_math(page, typesetter)


SUPERSCRIPT = dict(
    zip("0123456789+-−=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ", strict=True)
)
SUBSCRIPT = dict(
    zip(
        "0123456789+-−=()aeijklmnoprstuvx",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ",
        strict=True,
    )
)
COMBINING = {
    "ˆ": "\u0302",
    "^": "\u0302",
    "~": "\u0303",
    "˜": "\u0303",
    "¯": "\u0304",
    "‾": "\u0304",
    "˙": "\u0307",
    "→": "\u20d7",
}


def linear_text(mathml: str) -> str:
    """A formula as one line of text, for search results: ½ reads "1/2",
    not "12"; x² and w₁ keep their scripts; √ε keeps its root."""
    try:
        return unicodedata.normalize(
            "NFC", _linear(ElementTree.fromstring(mathml))
        )
    except ElementTree.ParseError:
        return html.unescape(TAG.sub("", mathml))


def _linear(element) -> str:
    tag = element.tag.rsplit("}", 1)[-1]
    if tag in ("mi", "mn", "mo", "mtext", "ms"):
        return element.text or ""
    parts = [_linear(child) for child in element]
    if tag == "mfrac":
        return f"{_group(parts[0])}/{_group(parts[1])}"
    if tag == "msqrt":
        return "√" + _group("".join(parts))
    if tag == "mroot":
        return _script(parts[1], SUPERSCRIPT, "^") + "√" + _group(parts[0])
    if tag in ("msub", "munder"):
        return parts[0] + _script(parts[1], SUBSCRIPT, "_")
    if tag == "mover" and element.get("accent") == "true":
        mark = COMBINING.get(parts[1])
        if mark and len(parts[0]) == 1:
            return parts[0] + mark
    if tag in ("msup", "mover"):
        return parts[0] + _script(parts[1], SUPERSCRIPT, "^")
    if tag in ("msubsup", "munderover"):
        return (
            parts[0]
            + _script(parts[1], SUBSCRIPT, "_")
            + _script(parts[2], SUPERSCRIPT, "^")
        )
    if tag == "mtr":
        return ", ".join(parts)
    if tag == "mtable":
        return "; ".join(parts)
    return "".join(parts)


def _group(text: str) -> str:
    """Brackets around what is more than one symbol (a number is one)."""
    plain = text.replace("\u2061", "")
    if len(plain) <= 1 or plain.isdigit() or plain.replace(".", "").isdigit():
        return plain
    fences = {"(": ")", "[": "]", "|": "|", "‖": "‖"}
    if fences.get(plain[0]) == plain[-1]:  # (a+b), ‖g‖: already one
        return plain
    return f"({plain})"


def _script(text: str, table: dict[str, str], mark: str) -> str:
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    return mark + _group(text)


SEARCHED_TEX = re.compile(
    r"\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\]"
    r"|\$\$(?P<block>.+?)\$\$"
    r"|(?<![\\$\w])\$(?P<dollars>[^$\s](?:[^$]*?[^$\s])?)\$(?!\w)",
    re.DOTALL,
)


def plain_search_index(index: Path, plain: dict[str, str]) -> None:
    """Replace the TeX in Material's search index (titles and text) with
    the characters the page draws for it: a result reads "f′(x)", not
    "\\(f'(x)\\)". TeX the site never typeset stays as it is."""
    data = json.loads(index.read_text(encoding="utf-8"))

    def readable(match):
        tex = next(group for group in match.groups() if group is not None)
        return plain.get(" ".join(html.unescape(tex).split()), match[0])

    for doc in data["docs"]:
        for field in ("title", "text"):
            doc[field] = SEARCHED_TEX.sub(readable, doc[field])
    index.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def preload_font(page: str, page_url: str) -> str:
    """Ask for the math font with the stylesheets on a page with math, so
    it is there for the first layout: a font arriving later means laying
    out every formula again."""
    if "<math" not in page:
        return page
    href = get_relative_url(FONT_URL, page_url)
    link = (
        f'<link rel="preload" href="{href}" as="font" type="font/woff2"'
        " crossorigin>\n"
    )
    at = page.find('<link rel="stylesheet"')
    return page[:at] + link + page[at:] if at >= 0 else page


def italic(char: str) -> str | None:
    """The math italic form the browser draws a one-letter `<mi>` in."""
    name = unicodedata.name(char, "")
    name = re.sub(r"^(LATIN|GREEK) (SMALL|CAPITAL) LETTER ", r"\2 ", name)
    name = re.sub(r"^GREEK (LUNATE )?(\w+) SYMBOL$", r"\2 SYMBOL", name)
    try:
        return unicodedata.lookup(f"MATHEMATICAL ITALIC {name}")
    except KeyError:
        return "\u210e" if char == "h" else None  # Planck's h


def write_font(characters: set[str], target: Path) -> None:
    """Write the math font to `target` as WOFF2, cut down to `characters`
    plus the glyphs its MATH table builds from them (taller brackets,
    wider hats, the pieces of a long square root)."""
    from fontTools import subset

    options = subset.Options(flavor="woff2", layout_features=["*"])
    font = subset.load_font(FONT, options)
    subsetter = subset.Subsetter(options)
    characters = characters | MEASURED
    characters |= {italic(c) for c in characters} - {None}
    subsetter.populate(unicodes=sorted(ord(c) for c in characters))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, target, options)
