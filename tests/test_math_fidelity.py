"""Every formula on the site is drawn as its TeX means, in two engines.

The build cuts the math font down to the glyphs the formulas use. A glyph
it leaves out is not an error anywhere: the browser quietly takes it from
another font, or draws nothing (every square root once vanished this way
while every other test passed). So each distinct formula on the built
site, pages and labs, is drawn twice at the same place, once in the cut
font and once in the full STIX Two Math font from npm, and the two must
match pixel for pixel, in chromium and in Firefox. The same drawing checks
where accents, braces and arrow labels sit. A formula that fails is named
by the page and line its TeX is on.

The drawings take a minute: a test passes from its record (tests/reuse.py)
while the formulas, the font, the code and the browsers are unchanged.
"""

import html
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import reuse
from conftest import code_and_tools
from PIL import Image

from bookkit import blocks, config, math

SHOTS = Path(math.__file__).with_name("formula_shots.mjs")
EXECUTABLES = {  # as formula_shots.mjs launches them
    "chromium": "/usr/bin/chromium",
    "firefox": "/usr/bin/firefox-esr",
}
ENGINES = list(EXECUTABLES)
FORMULA = re.compile(r"<math\b.*?</math>", re.DOTALL)
PAGE_STYLE = """
@font-face { font-family: "Cut"; src: url("cut.woff2"); }
@font-face { font-family: "Full"; src: url("full.woff"); }
body { margin: 0; background: #fff; color: #000; font-size: 16px; }
[data-cell] { box-sizing: border-box; padding: 6px 8px;
  white-space: nowrap; overflow: hidden; }
math { font-size: 1.1em; }  /* as on the site (math.css) */
.cut math { font-family: "Cut"; }
.full math { font-family: "Full"; }
"""


@dataclass
class Formula:
    mathml: str
    where: str  # docs/page.md:LINE, or the page alone when not found


def source_of(page: Path, site: Path) -> Path | None:
    """The Markdown page or lab notebook a built page was made from."""
    route = page.relative_to(site).parent
    docs = config.docs_dir()
    for candidate in (
        docs / f"{route}.md",
        docs / route / "index.md",
        docs / f"{route}.py",
    ):
        if candidate.is_file():
            return candidate
    return None


TEX = re.compile(
    r"\\\[(?P<display>.+?)\\\]|\\\((?P<inline>.+?)\\\)", re.DOTALL
)


def tex_in(source: Path) -> list[tuple[str, bool, int]]:
    """Each formula's TeX in a page or lab, with where it starts."""
    text = source.read_text(encoding="utf-8")
    if source.suffix == ".py":  # a notebook's Markdown cells: `# $x$`
        text = re.sub(r"(?m)^# ?", "", text)
        pattern = math.DOLLARS
    else:
        pattern = TEX
    return [
        (m["display"] or m["inline"], m["display"] is not None, m.start())
        for m in pattern.finditer(text)
    ]


def tools(engine: str) -> str:
    """The code, the tools and the version of the browser that draws."""
    version = subprocess.run(
        [EXECUTABLES[engine], "--version"], capture_output=True, text=True
    ).stdout
    return code_and_tools(f"{engine} {version.strip()}")


def site_mathml(site: Path) -> list[str]:
    """Every distinct formula on the built site, in page order."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        found.update(dict.fromkeys(FORMULA.findall(page.read_text("utf-8"))))
    return list(found)


def site_formulas(site: Path) -> list[Formula]:
    """Every distinct formula on the built site, named by its TeX's line."""
    typesetter = math.Typesetter()
    where: dict[str, str] = {}
    found: dict[str, str] = {}
    try:
        for page in sorted(site.rglob("*.html")):
            formulas = FORMULA.findall(page.read_text(encoding="utf-8"))
            if not formulas:
                continue
            source = source_of(page, site)
            if source is not None:
                text = source.read_text(encoding="utf-8")
                candidates = tex_in(source)
                rendered = typesetter.render(
                    [(tex, display) for tex, display, _ in candidates]
                )
                for (_, _, start), mathml in zip(
                    candidates, rendered, strict=True
                ):
                    line = blocks.at_line(source, text, start)
                    # a long inline formula is on the page in pieces
                    for piece in {mathml, *math.breakable(mathml)}:
                        where.setdefault(piece, line)
            page_name = (
                blocks.relative(source)
                if source
                else str(page.relative_to(site))
            )
            for mathml in formulas:
                found.setdefault(mathml, where.get(mathml, page_name))
    finally:
        typesetter.close()
    return [Formula(m, w) for m, w in found.items()]


def formula_page(
    formulas: list[Formula], cut_font: Path, folder: Path
) -> Path:
    """A page of every formula, in the cut font or the full one."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cut.woff2").write_bytes(cut_font.read_bytes())
    (folder / "full.woff").write_bytes(math.FONT.read_bytes())  # uncut
    cells = "\n".join(f"<div data-cell>{f.mathml}</div>" for f in formulas)
    page = folder / "formulas.html"
    page.write_text(
        f'<!doctype html><html lang="en"><meta charset="utf-8">'
        f"<style>{PAGE_STYLE}</style><body>{cells}</body></html>",
        encoding="utf-8",
    )
    return page


def shoot(engine: str, page: Path, out: Path) -> dict:
    result = subprocess.run(
        ["node", str(SHOTS), engine, page.as_uri(), str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def drawing(shots: list[dict], out: Path) -> np.ndarray:
    """The whole page, from its screenshots, in grey levels."""
    return np.vstack(
        [np.asarray(Image.open(out / s["file"]).convert("L")) for s in shots]
    )


def differing(formulas: list[Formula], shots: dict, out: Path) -> list[str]:
    """Formulas drawn differently in the two fonts, with how many pixels
    differ."""
    full, cut = (
        drawing(shots["shots"][font], out) for font in ("full", "cut")
    )
    assert len(shots["cells"]) == len(formulas)
    problems = []
    for formula, (x, y, width, height) in zip(
        formulas, shots["cells"], strict=True
    ):
        box = np.s_[int(y) : int(y + height), int(x) : int(x + width)]
        count = int((full[box] != cut[box]).sum())
        if count:
            text = html.unescape(math.TAG.sub("", formula.mathml))[:60]
            problems.append(f"{formula.where}: {count} pixels differ: {text}")
    return problems


# Ink placement: accents, braces and labels over arrows. Limits (sums,
# lim) are left out: inline, they move beside their operator by design.
ARROWS = set("\u27f5\u27f6\u27f7\u27f8\u27f9\u27fa")
BRACES = set("\u23de\u23df")
FONT_SIZE = 16 * 1.1  # CSS pixels: the site's math size (math.css)


def ink(region: np.ndarray, channel: int) -> tuple[int, int, int, int] | None:
    """The box (left, right, top, bottom) of the pixels drawn in red
    (channel 0) or blue (channel 2); None where nothing is."""
    other = 2 - channel
    redder = region[..., channel].astype(np.int16) - region[..., other]
    ys, xs = np.nonzero(redder > 40)
    if not len(xs):
        return None
    return xs.min(), xs.max(), ys.min(), ys.max()


def misplaced(formulas: list[Formula], shots: dict, out: Path) -> list[str]:
    """Scripts drawn where a typesetter would not put them: an accent or
    brace touching or off-centre on its base, a label off its arrow."""
    image = np.vstack(
        [
            # bytes (a tall page: 8 times less memory than int64)
            np.asarray(Image.open(out / s["file"]).convert("RGB"))
            for s in shots["shots"]["scripts"]
        ]
    )
    problems = []
    for script in shots["scripts"]:
        label = script["kind"] == "mover" and script["base"] in ARROWS
        if not (script["accent"] or label):
            continue
        x, y, width, height = (int(v) for v in script["box"])
        region = image[y - 2 : y + height + 3, x - 2 : x + width + 3]
        base, mark = ink(region, 0), ink(region, 2)
        where = formulas[script["cell"]].where
        name = f"{where}: {script['script']!r} on {script['base']!r}"
        if base is None or mark is None:
            problems.append(f"{name}: not drawn")
            continue
        # rows between the ink of the two, above or below the base
        if script["kind"] == "mover":
            gap = base[2] - mark[3] - 1
        else:
            gap = mark[2] - base[3] - 1
        off_centre = (mark[0] + mark[1] - base[0] - base[1]) / 2
        # an accent may lean right on an italic letter (TeX's skew)
        allowed = 1.5 if label else 0.15 * FONT_SIZE
        if gap < 0:
            problems.append(f"{name}: touches its base")
        if abs(off_centre) > allowed:
            problems.append(f"{name}: {off_centre:+.1f} px off centre")
        # an accent is a small mark; ASCII's ^ and ~ are letter-sized
        tall = mark[3] - mark[2] + 1 > 0.3 * FONT_SIZE
        if script["accent"] and script["script"] not in BRACES and tall:
            problems.append(f"{name}: too large for an accent")
        # a brace comes in a few fixed widths below its glyph assembly
        too_short = base[1] - base[0] - (mark[1] - mark[0]) > 0.25 * FONT_SIZE
        if script["script"] in BRACES and too_short:
            problems.append(f"{name}: shorter than its base")
    return problems


@pytest.fixture(scope="module")
def formulas(built_site) -> list[Formula]:
    assert built_site.returncode == 0, "the site did not build"
    return site_formulas(built_site.site)


def test_every_formula_is_found_on_the_site(built_site, request):
    sources = sorted(config.docs_dir().rglob("*.[mp][dy]"))
    key = reuse.key_of(
        tools("chromium"),
        *site_mathml(built_site.site),
        *(f"{p}\n{p.read_text('utf-8')}" for p in sources),
    )
    if reuse.passed_with(request, key):
        return
    formulas = request.getfixturevalue("formulas")
    assert len(formulas) > 1000
    assert sum(":" in f.where for f in formulas) > 0.9 * len(formulas)
    reuse.remember_key(request, key)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_formula_is_drawn_as_its_tex_means(
    engine, built_site, tmp_path, request
):
    """Each formula looks the same in the cut font as in the full one, and
    its accents, braces and arrow labels sit where a typesetter puts them."""
    font = built_site.site / math.FONT_URL
    key = reuse.key_of(
        tools(engine), font.read_bytes(), *site_mathml(built_site.site)
    )
    if reuse.passed_with(request, key):
        return
    formulas = request.getfixturevalue("formulas")
    page = formula_page(formulas, font, tmp_path / "page")
    shots = shoot(engine, page, tmp_path / "shots")
    assert len(shots["scripts"]) > 50
    problems = differing(formulas, shots, tmp_path / "shots")
    problems += misplaced(formulas, shots, tmp_path / "shots")
    assert not problems, (
        f"{len(problems)} problems: formulas not drawn as their TeX means in "
        f"{shots['engine']}:\n" + "\n".join(problems)
    )
    reuse.remember_key(request, key)


def test_a_missing_glyph_and_a_misplaced_accent_are_caught(tmp_path, request):
    """The test above can fail: a font cut without the radical (as the
    build once cut it), an ASCII hat and a label shifted off its arrow
    (as MathJax writes them) are each named by their line."""
    key = reuse.key_of(tools("chromium"))  # inputs: this code and the tools
    if reuse.passed_with(request, key):
        return
    root, hat = r"\sqrt{\varepsilon}", r"\hat{y} = wx"
    typesetter = math.Typesetter()
    try:
        good = typesetter.render([(root, False), (hat, False)])
        arrow = typesetter.render([(r"\xrightarrow{h \to 0}", False)])[0]
    finally:
        typesetter.close()
    ascii_hat = good[1].replace("&#x2C6;", "^")
    # MathJax's label: an lspace shifts it, and the "+" width that would
    # balance the shift is a length Core cannot read
    shifted = arrow.replace(
        "<mrow><mi>h</mi>", '<mpadded lspace="0.5em"><mi>h</mi>'
    ).replace("</mn></mrow></mover>", "</mn></mpadded></mover>")
    assert ascii_hat != good[1] and shifted != arrow
    formulas = [
        Formula(good[0], "docs/a.md:1"),
        Formula(good[1], "docs/a.md:2"),
        Formula(ascii_hat, "docs/a.md:3"),
        Formula(shifted, "docs/a.md:4"),
    ]
    characters = set().union(*(math.drawn_characters(m) for m in good))
    characters.add("^")  # the old font had the ASCII hat: it was drawn
    without_root = tmp_path / "old.woff2"
    math.write_font(characters - {"\u221a"}, without_root)
    page = formula_page(formulas, without_root, tmp_path / "page")
    shots = shoot("chromium", page, tmp_path / "shots")
    problems = differing(formulas, shots, tmp_path / "shots")
    problems += misplaced(formulas, shots, tmp_path / "shots")
    named = sorted({p.split(": ")[0] for p in problems})
    assert named == ["docs/a.md:1", "docs/a.md:3", "docs/a.md:4"], problems
    assert "too large for an accent" in " ".join(problems)
    assert "off centre" in " ".join(problems)
    reuse.remember_key(request, key)
